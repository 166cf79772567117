// A condition built from rows — field, operator, value — that writes the JSONata expression, with
// a raw-expression mode for anything the rows cannot say.

import { DeleteOutlined } from '@ant-design/icons';
import { Button, Input, Segmented, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { needsValue, operators, readCondition, writeCondition, type Condition, type Operator } from './condition.ts';

export function ConditionEditor({ id, label, value, entity, onChange }: { id: string; label: string; value: string | undefined; entity: EntityDef; onChange: (expression: string | undefined) => void }) {
  const { t } = useTranslation();
  const { label: localize } = useLanguage();
  const parsed = readCondition(value);
  const [mode, setMode] = useState<'rows' | 'raw'>(parsed ? 'rows' : 'raw');
  const condition: Condition = parsed ?? { join: 'and', rows: [] };
  const typeOf = (f: string) => entity.fields[f]?.type;
  const write = (c: Condition) => {
    const text = writeCondition(c, typeOf);
    onChange(text || undefined);
  };
  const fieldOptions = Object.entries(entity.fields).map(([n, f]) => ({ value: n, label: localize(f.label, n) }));
  const setRow = (i: number, patch: Partial<Condition['rows'][number]>) => write({ ...condition, rows: condition.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <div role="group" aria-label={label} data-testid={`condition-${id}`}>
      <Space style={{ marginBottom: 6 }} wrap>
        <Typography.Text>{label}</Typography.Text>
        <Segmented
          size="small"
          value={mode}
          onChange={(m) => setMode(m as 'rows' | 'raw')}
          options={[
            { value: 'rows', label: t('formDesigner.builder'), disabled: !parsed },
            { value: 'raw', label: t('formDesigner.raw') },
          ]}
        />
      </Space>
      {mode === 'raw' ? (
        <Input.TextArea id={`${id}-raw`} aria-label={t('formDesigner.rawOf', { label })} value={value ?? ''} style={{ fontFamily: 'monospace' }} autoSize={{ minRows: 1 }} onChange={(e) => onChange(e.target.value || undefined)} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          {condition.rows.map((row, i) => (
            <Space key={i} wrap size={4}>
              {i > 0 && (
                <Select size="small" aria-label={t('formDesigner.join')} value={condition.join} onChange={(j: 'and' | 'or') => write({ ...condition, join: j })} options={[{ value: 'and', label: t('formDesigner.and') }, { value: 'or', label: t('formDesigner.or') }]} />
              )}
              <Select size="small" showSearch optionFilterProp="label" aria-label={t('formDesigner.conditionField', { n: i + 1 })} value={row.field || undefined} placeholder={t('formDesigner.field')} onChange={(f: string) => setRow(i, { field: f })} options={fieldOptions} style={{ minWidth: 150 }} />
              <Select size="small" aria-label={t('formDesigner.conditionOperator', { n: i + 1 })} value={row.op} onChange={(op: Operator) => setRow(i, { op })} options={operators.map((op) => ({ value: op, label: t(`formDesigner.op.${op}`) }))} style={{ minWidth: 130 }} />
              {needsValue(row.op) && <ValueInput index={i} entity={entity} field={row.field} value={row.value} onChange={(v) => setRow(i, { value: v })} />}
              <Button size="small" icon={<DeleteOutlined />} aria-label={t('formDesigner.removeCondition', { n: i + 1 })} onClick={() => write({ ...condition, rows: condition.rows.filter((_, j) => j !== i) })} />
            </Space>
          ))}
          <Space size={4}>
            <Button size="small" onClick={() => write({ ...condition, rows: [...condition.rows, { field: Object.keys(entity.fields)[0] ?? '', op: 'exists', value: '' }] })}>
              {t('formDesigner.addCondition')}
            </Button>
            {value && <Typography.Text code>{value}</Typography.Text>}
          </Space>
        </Space>
      )}
    </div>
  );
}

function ValueInput({ index, entity, field, value, onChange }: { index: number; entity: EntityDef; field: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const def = entity.fields[field];
  const aria = t('formDesigner.conditionValue', { n: index + 1 });
  if (def?.options) return <Select size="small" aria-label={aria} value={value || undefined} onChange={onChange} options={Object.entries(def.options).map(([k, o]) => ({ value: k, label: label(o.label, k) }))} style={{ minWidth: 140 }} />;
  if (def?.type === 'boolean') return <Select size="small" aria-label={aria} value={value || undefined} onChange={onChange} options={[{ value: 'true', label: t('formDesigner.yes') }, { value: 'false', label: t('formDesigner.no') }]} />;
  return <Input size="small" aria-label={aria} value={value} onChange={(e) => onChange(e.target.value)} style={{ width: 140 }} />;
}
