// A list on a phone: one card per record instead of a table whose columns past the second would be
// cut off. The card's heading is the record's title, a link to it; the view's other columns follow
// as "label value" lines, drawn by the same cell function as the table's cells. The selection
// checkbox stays on each card (the bulk actions work on it), and a select above the cards sorts.

import { Checkbox, Empty, Spin } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useId, type Key, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordValues } from '../api/records.ts';
import { useCardStyles } from '../app/card-styles.ts';
import '../app/cards.css';
import { RowCheckbox } from './RowCheckbox.tsx';

/** One line of a card: the column's label and its value in a row. */
export type CardLine = { key: string; label: string; value: (row: RecordValues) => ReactNode };

/** Selection as the table has it: the keys selected, a click on card `index` (a shift-click selects a range), all of the page or none. */
export type CardSelection = { selected: Key[]; toggle: (index: number, range: boolean) => void; setAll: (on: boolean) => void };

export function RecordCards(props: { name: string; rows: RecordValues[]; title: (row: RecordValues) => ReactNode; lines: CardLine[]; selection: CardSelection | undefined; loading: boolean }) {
  const { name, rows, title, lines, selection, loading } = props;
  const { t } = useTranslation();
  const styles = useCardStyles();
  const chosen = selection ? rows.filter((r) => selection.selected.includes(r.id)).length : 0;
  return (
    <Spin spinning={loading}>
      {selection && rows.length > 0 && (
        <div style={{ marginBottom: 8, paddingLeft: 12 }}>
          <Checkbox checked={chosen === rows.length} indeterminate={chosen > 0 && chosen < rows.length} onChange={(e) => selection.setAll(e.target.checked)}>
            {t('listCards.selectAll')}
          </Checkbox>
        </div>
      )}
      {rows.length === 0 && !loading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <ul aria-label={name} style={styles.list} data-testid="record-cards">
          {rows.map((row, index) => {
            const checked = selection?.selected.includes(row.id) ?? false;
            return (
              <li key={row.id} data-record-id={row.id} style={styles.card}>
                <div style={styles.head}>
                  {selection && <RowCheckbox checked={checked} index={index} label={t(checked ? 'listCards.selected' : 'listCards.select', { n: index + 1 })} onToggle={selection.toggle} />}
                  <h2 style={styles.title}>{title(row)}</h2>
                </div>
                {lines.length > 0 && (
                  <dl style={styles.lines}>
                    {lines.map((line) => (
                      // An empty value leaves its line out (cards.css), as the other tables' cards do: no label over nothing.
                      <div key={line.key} className="crm-card-line" style={styles.line} data-column={line.key}>
                        <dt style={styles.label}>{line.label}</dt>
                        <dd style={styles.value}>{line.value(row)}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Spin>
  );
}

/** The cards' sort: each sortable column up or down, and the view's own order when it is none of those. */
export function SortSelect(props: { options: { value: string; label: string }[]; value: string; onChange: (sort: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const known = props.options.some((o) => o.value === props.value);
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
      <label htmlFor={id}>{t('listCards.sortBy')}</label>
      <Select id={id} style={{ flex: 1, minWidth: 0 }} value={known ? props.value : undefined} options={props.options} onChange={props.onChange} />
    </div>
  );
}
