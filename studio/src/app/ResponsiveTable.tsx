// An antd Table on a desktop, a list of cards on a phone (under 600 px): a table of four or more
// columns either scrolls sideways inside the page there or cuts its cells, and a control past the
// edge is out of sight. Every table of the studio but the record list's (which has its own cards,
// lists/RecordCards.tsx) is drawn by this one component, with the same props as antd's Table.
// A card is a row: the title column (the first, or `cardTitle`) heads it, each other column is a
// "heading  cell" line drawn by the column's own render (left out when the cell drew nothing), and
// the columns without a heading or keyed 'actions' (a row's buttons) close it in a row that wraps. The cells keep their controls and labels; the cards keep
// the table's order, its empty text, its loading state and its pages.

import { Empty, Pagination, Spin, Table, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table/interface.js';
import { isValidElement, useLayoutEffect, useRef, useState, type CSSProperties, type HTMLAttributes, type Key, type ReactNode } from 'react';
import { useCardStyles } from './card-styles.ts';
import './cards.css';
import { usePhoneWidth } from './use-phone-width.ts';

export type ResponsiveTableProps<T> = TableProps<T> & {
  /** The key of the column that heads each card (the first column when not given). */
  cardTitle?: Key;
};

type Column<T> = ColumnType<T> & { children?: unknown };

/** A row's value at a column's dataIndex (a name, an index or a path of them). */
function valueAt(row: unknown, dataIndex: unknown): unknown {
  if (dataIndex === undefined || dataIndex === null || dataIndex === '') return undefined;
  const path = Array.isArray(dataIndex) ? dataIndex : [dataIndex];
  return path.reduce<unknown>((at, step) => (at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[step as string | number] : undefined), row);
}

/** What a column shows for a row, as the table's cell would show it. */
function cellOf<T>(column: Column<T>, row: T, index: number): ReactNode {
  const value = valueAt(row, column.dataIndex);
  if (column.render) {
    const drawn = column.render(value, row, index);
    // A render may return { children, props } (a cell that spans): the cards show its children.
    if (drawn !== null && typeof drawn === 'object' && !isValidElement(drawn) && !Array.isArray(drawn) && 'children' in drawn) return (drawn as { children: ReactNode }).children;
    return drawn as ReactNode;
  }
  if (value === undefined || value === null) return null;
  return typeof value === 'object' && !isValidElement(value) ? JSON.stringify(value) : (value as ReactNode);
}

const titleOf = <T,>(column: Column<T>): ReactNode => (typeof column.title === 'function' ? column.title({}) : column.title);
const columnKey = <T,>(column: Column<T>, index: number): Key => column.key ?? (Array.isArray(column.dataIndex) ? column.dataIndex.join('.') : (column.dataIndex as Key | undefined)) ?? index;
const isEmpty = (node: ReactNode) => node === null || node === undefined || node === false || node === '';

/** A card's heading: its title cell, named by the column's heading when it is a bare number (a row's "4" says nothing alone: "Row 4"). */
function cardHeading<T>(column: Column<T>, cell: ReactNode, styles: ReturnType<typeof useCardStyles>): ReactNode {
  const bare = typeof cell === 'number' || (typeof cell === 'string' && /^\d+$/.test(cell));
  if (!bare || isEmpty(titleOf(column))) return cell;
  return (
    <>
      <span style={{ ...styles.label, fontWeight: 400 }}>{titleOf(column)}</span> {cell}
    </>
  );
}

/** What makes a card's actions row worth showing: a control, a link, a picture or some text. */
const somethingShown = 'button, a, input, select, textarea, img, svg, canvas, [role], [tabindex]';

/**
 * A card's row of actions, left out when its cells drew nothing: a row's buttons are often a wrapper
 * around components that each decided to draw nothing (an undo for a job that cannot be undone), and
 * the empty wrapper still took a blank line at the foot of the card. Checked after every render, as
 * what the cells draw changes with the row.
 */
function ActionsRow({ style, children }: { style: CSSProperties; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [empty, setEmpty] = useState(false);
  useLayoutEffect(() => {
    const row = ref.current;
    if (!row) return;
    const nothing = (row.textContent ?? '').trim() === '' && row.querySelector(somethingShown) === null;
    if (nothing !== empty) setEmpty(nothing);
  });
  return (
    <div ref={ref} style={empty ? { ...style, display: 'none' } : style}>
      {children}
    </div>
  );
}

export function ResponsiveTable<T extends object>(props: ResponsiveTableProps<T>) {
  const { cardTitle: _cardTitle, ...table } = props;
  const phone = usePhoneWidth();
  if (!phone) return <Table<T> {...table} />;
  return <TableCards<T> {...props} />;
}

function TableCards<T extends object>({ cardTitle, columns = [], dataSource = [], rowKey, loading, pagination, locale, onRow, ...rest }: ResponsiveTableProps<T>) {
  const styles = useCardStyles();
  const [page, setPage] = useState(1);
  const visible = (columns as Column<T>[]).filter((c) => !c.hidden);
  const titleIndex = Math.max(0, cardTitle === undefined ? 0 : visible.findIndex((c, i) => columnKey(c, i) === cardTitle));
  const titleColumn = visible[titleIndex];
  const others = visible.map((c, i) => ({ column: c, key: columnKey(c, i) })).filter((_, i) => i !== titleIndex);
  const isAction = (column: Column<T>) => column.key === 'actions' || isEmpty(titleOf(column));
  const lines = others.filter(({ column }) => !isAction(column));
  const actions = others.filter(({ column }) => isAction(column));
  const keyOf = (row: T, index: number): Key =>
    typeof rowKey === 'function' ? rowKey(row, index) : rowKey !== undefined ? ((row as Record<string, Key>)[rowKey as string] ?? index) : ((row as { key?: Key }).key ?? index);
  const paging = pagination && typeof pagination === 'object' ? pagination : undefined;
  const pageSize = paging?.pageSize;
  // A `total` says the server pages (dataSource is the page shown); `current` says the caller keeps the page.
  const serverPaged = paging?.total !== undefined;
  const current = paging?.current ?? page;
  const total = paging?.total ?? dataSource.length;
  const first = pageSize ? (current - 1) * pageSize : 0;
  const rows = pageSize && !serverPaged ? dataSource.slice(first, first + pageSize) : dataSource;
  const turnPage = (next: number, size: number) => {
    if (paging?.current === undefined) setPage(next);
    paging?.onChange?.(next, size);
  };
  const busy = typeof loading === 'object' ? Boolean(loading.spinning) : Boolean(loading);
  // The table's own data-* attributes (a test id) go to the wrapper, as antd puts them on the table's; its name to the list.
  const attributes = Object.fromEntries(Object.entries(rest).filter(([k]) => k.startsWith('data-')));
  const label = (rest as { 'aria-label'?: string })['aria-label'];
  return (
    <div {...attributes}>
      <Spin spinning={busy}>
        {dataSource.length === 0 ? (
          busy ? <div style={{ minHeight: 80 }} /> : ((locale?.emptyText as ReactNode) ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)
        ) : (
          <ul className="crm-table-cards" style={styles.list} aria-label={label}>
            {rows.map((row, i) => {
              const index = serverPaged ? i : first + i;
              const key = keyOf(row, index);
              const rowProps = (onRow?.(row, index) ?? {}) as HTMLAttributes<HTMLElement>;
              const filled = lines.map((line) => ({ ...line, cell: cellOf(line.column, row, index) })).filter(({ cell }) => !isEmpty(cell));
              const buttons = actions.map(({ column, key: k }) => ({ k, cell: cellOf(column, row, index) })).filter(({ cell }) => !isEmpty(cell));
              return (
                <li key={key} data-row-key={String(key)} {...(rowProps as HTMLAttributes<HTMLLIElement>)} style={{ ...styles.card, ...rowProps.style }}>
                  {titleColumn && <div style={styles.title} data-column={String(columnKey(titleColumn, titleIndex))}>{cardHeading(titleColumn, cellOf(titleColumn, row, index), styles)}</div>}
                  {filled.length > 0 && (
                    <dl style={styles.lines}>
                      {filled.map(({ column, key: k, cell }) => (
                        <div key={k} className="crm-card-line" style={styles.line} data-column={String(k)}>
                          <dt style={styles.label}>{titleOf(column)}</dt>
                          <dd style={styles.value}>{cell}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                  {buttons.length > 0 && (
                    <ActionsRow style={styles.actions}>
                      {buttons.map(({ k, cell }) => <div key={k} data-column={String(k)} style={{ minWidth: 0, maxWidth: '100%' }}>{cell}</div>)}
                    </ActionsRow>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {pageSize && total > pageSize && (
          <Pagination style={{ marginTop: 12 }} size="small" simple current={current} pageSize={pageSize} total={total} onChange={turnPage} />
        )}
      </Spin>
    </div>
  );
}
