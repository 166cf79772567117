// A lookup field's filter as rows of "field of the target equals field of this record" — the
// dependent lookup most CRMs offer (an opportunity's contact among its account's contacts). A
// filter richer than such rows (operators, $or, constants) is edited as JSON (FieldEditor).

import { DeleteOutlined, PlusOutlined } from '../../app/icons.tsx';
import { Button, Space, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { filterRows, rowsToFilter, type FilterRow } from './lookup-filter-rows.ts';
import { isComputed } from '../../records/form-model.ts';

export interface LookupFilterEditorProps {
  /** The first control's id; `${id}-label` names the group (the form item's label). */
  id: string;
  value: unknown;
  /** The entity being designed (its fields stand for `$record.x`). */
  entity: EntityDef;
  /** The lookup's target, when chosen. */
  target: EntityDef | undefined;
  onChange: (next: Record<string, string> | undefined) => void;
}

export function LookupFilterEditor({ id, value, entity, target, onChange }: LookupFilterEditorProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  // Rows being built (a target field chosen, not yet the record's) live here until complete.
  const [draft, setDraft] = useState<FilterRow[]>(() => filterRows(value) ?? []);
  if (!target) return <Typography.Text type="secondary">{t('entityDesigner.lookupFilter.chooseTarget')}</Typography.Text>;
  const write = (rows: FilterRow[]) => {
    setDraft(rows);
    onChange(rowsToFilter(rows));
  };
  const options = (def: EntityDef, which: (f: EntityDef['fields'][string]) => boolean = () => true) =>
    Object.entries(def.fields).filter(([, f]) => which(f)).map(([name, f]) => ({ value: name, label: `${label(f.label, name)} (${name})` }));
  const targetName = label(target.label, target.name);
  const entityName = label(entity.label, entity.name);
  return (
    <div role="group" aria-labelledby={`${id}-label`}>
      {draft.map((row, index) => (
        <Space key={index} wrap style={{ marginBottom: 8 }}>
          <Select
            id={index === 0 ? id : undefined}
            aria-label={t('entityDesigner.lookupFilter.targetField', { n: index + 1, entity: targetName })}
            placeholder={t('entityDesigner.lookupFilter.targetPlaceholder', { entity: targetName })}
            value={row.targetField || undefined}
            onChange={(v: string) => write(draft.map((r, i) => (i === index ? { ...r, targetField: v } : r)))}
            options={options(target)}
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 200 }}
          />
          <Typography.Text>{t('entityDesigner.lookupFilter.equals')}</Typography.Text>
          <Select
            aria-label={t('entityDesigner.lookupFilter.recordField', { n: index + 1, entity: entityName })}
            placeholder={t('entityDesigner.lookupFilter.recordPlaceholder', { entity: entityName })}
            value={row.recordField || undefined}
            onChange={(v: string) => write(draft.map((r, i) => (i === index ? { ...r, recordField: v } : r)))}
            // A computed field is computed after the write's lookup check: the server refuses it here.
            options={options(entity, (f) => !isComputed(f))}
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 200 }}
          />
          <Button icon={<DeleteOutlined />} aria-label={t('entityDesigner.lookupFilter.remove', { n: index + 1 })} onClick={() => write(draft.filter((_, i) => i !== index))} />
        </Space>
      ))}
      <div>
        <Button icon={<PlusOutlined />} onClick={() => setDraft([...draft, { targetField: '', recordField: '' }])}>
          {t('entityDesigner.lookupFilter.add')}
        </Button>
      </div>
    </div>
  );
}
