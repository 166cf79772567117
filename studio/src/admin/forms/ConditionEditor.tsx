// A condition built from rows — field, operator, value — that writes what its language says: the
// JSONata expression forms evaluate (the default), or the records API's filter JSON that views and
// dashboard widgets save (`filterLanguage`, whose values may be variables such as $me or
// "$today - 30 days"). A raw mode takes anything the rows cannot say.

import { DeleteOutlined } from '../../app/icons.tsx';
import { AutoComplete, Button, Input, Segmented, Space, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityDef, FieldDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { needsValue, operators, readCondition, writeCondition, type Condition, type Operator } from './condition.ts';
import { filterVariables, readFilter, writeFilter, type FilterJson } from './filter-condition.ts';

/** How rows become a stored value and back, and how that value reads as raw text. */
export interface ConditionLanguage<V> {
  read: (value: V | undefined) => Condition | undefined;
  write: (c: Condition, typeOf: (field: string) => string | undefined) => V | undefined;
  toText: (value: V | undefined) => string;
  /** The value of raw text; an Error when it cannot be one. */
  fromText: (text: string) => V | undefined | Error;
  /** Variables offered as values of a field of this type. */
  variables?: (fieldType: string | undefined) => string[];
}

export const expressionLanguage: ConditionLanguage<string> = {
  read: readCondition,
  write: (c, typeOf) => writeCondition(c, typeOf) || undefined,
  toText: (v) => v ?? '',
  fromText: (text) => text || undefined,
};

export const filterLanguage: ConditionLanguage<FilterJson> = {
  read: readFilter,
  write: writeFilter,
  toText: (v) => (v === undefined ? '' : JSON.stringify(v)),
  fromText: (text) => {
    if (!text.trim()) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FilterJson) : new Error('{…}');
    } catch (e) {
      return e as Error;
    }
  },
  variables: filterVariables,
};

/** A field (or lookup path) a row may test. */
export interface FieldChoice {
  value: string;
  label: string;
  def?: FieldDef;
}

export interface ConditionEditorProps<V> {
  id: string;
  label: string;
  value: V | undefined;
  entity: EntityDef;
  onChange: (value: V | undefined) => void;
  language?: ConditionLanguage<V>;
  /** The fields rows may test; the entity's own fields when absent. */
  fields?: FieldChoice[];
}

export function ConditionEditor<V = string>(props: ConditionEditorProps<V>) {
  const { id, label, value, entity, onChange } = props;
  const language = (props.language ?? expressionLanguage) as ConditionLanguage<V>;
  const { t } = useTranslation();
  const { label: localize } = useLanguage();
  const parsed = language.read(value);
  const [mode, setMode] = useState<'rows' | 'raw'>(parsed ? 'rows' : 'raw');
  const [rawText, setRawText] = useState<string>();
  const [rawError, setRawError] = useState<string>();
  const condition: Condition = parsed ?? { join: 'and', rows: [] };
  const fields = props.fields ?? Object.entries(entity.fields).map(([n, f]) => ({ value: n, label: localize(f.label, n), def: f }));
  const defOf = (f: string) => fields.find((c) => c.value === f)?.def;
  const write = (c: Condition) => onChange(language.write(c, (f) => defOf(f)?.type));
  const setRow = (i: number, patch: Partial<Condition['rows'][number]>) => write({ ...condition, rows: condition.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const typeRaw = (text: string) => {
    setRawText(text);
    const next = language.fromText(text);
    if (next instanceof Error) setRawError(next.message);
    else {
      setRawError(undefined);
      onChange(next);
    }
  };
  const shown = language.toText(value);
  return (
    <div role="group" aria-label={label} data-testid={`condition-${id}`}>
      <Space style={{ marginBottom: 6 }} wrap>
        <Typography.Text>{label}</Typography.Text>
        <Segmented
          size="small"
          value={mode}
          onChange={(m) => {
            setMode(m as 'rows' | 'raw');
            setRawText(undefined);
            setRawError(undefined);
          }}
          options={[
            { value: 'rows', label: t('formDesigner.builder'), disabled: !parsed },
            { value: 'raw', label: t('formDesigner.raw') },
          ]}
        />
      </Space>
      {mode === 'raw' ? (
        <>
          <Input.TextArea id={`${id}-raw`} aria-label={t('formDesigner.rawOf', { label })} aria-invalid={rawError !== undefined} value={rawText ?? shown} style={{ fontFamily: 'monospace' }} autoSize={{ minRows: 1 }} onChange={(e) => typeRaw(e.target.value)} />
          {rawError && <Typography.Text type="danger" role="alert">{rawError}</Typography.Text>}
        </>
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          {condition.rows.map((row, i) => (
            <Space key={i} wrap size={4}>
              {i > 0 && (
                <Select size="small" aria-label={t('formDesigner.join')} value={condition.join} onChange={(j: 'and' | 'or') => write({ ...condition, join: j })} options={[{ value: 'and', label: t('formDesigner.and') }, { value: 'or', label: t('formDesigner.or') }]} />
              )}
              <Select size="small" showSearch optionFilterProp="label" aria-label={t('formDesigner.conditionField', { n: i + 1 })} value={row.field || undefined} placeholder={t('formDesigner.field')} onChange={(f: string) => setRow(i, { field: f })} options={fields.map((f) => ({ value: f.value, label: f.label }))} style={{ minWidth: 150 }} />
              <Select size="small" aria-label={t('formDesigner.conditionOperator', { n: i + 1 })} value={row.op} onChange={(op: Operator) => setRow(i, { op })} options={operators.map((op) => ({ value: op, label: t(`formDesigner.op.${op}`) }))} style={{ minWidth: 130 }} />
              {needsValue(row.op) && <ValueInput index={i} def={defOf(row.field)} variables={language.variables?.(defOf(row.field)?.type) ?? []} value={row.value} onChange={(v) => setRow(i, { value: v })} />}
              <Button size="small" icon={<DeleteOutlined />} aria-label={t('formDesigner.removeCondition', { n: i + 1 })} onClick={() => write({ ...condition, rows: condition.rows.filter((_, j) => j !== i) })} />
            </Space>
          ))}
          <Space size={4} wrap>
            <Button size="small" onClick={() => write({ ...condition, rows: [...condition.rows, { field: fields[0]?.value ?? '', op: 'exists', value: '' }] })}>
              {t('formDesigner.addCondition')}
            </Button>
            {shown && <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{shown}</Typography.Text>}
          </Space>
        </Space>
      )}
    </div>
  );
}

function ValueInput({ index, def, variables, value, onChange }: { index: number; def: FieldDef | undefined; variables: string[]; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const aria = t('formDesigner.conditionValue', { n: index + 1 });
  if (def?.options) return <Select size="small" aria-label={aria} value={value || undefined} onChange={onChange} options={Object.entries(def.options).map(([k, o]) => ({ value: k, label: label(o.label, k) }))} style={{ minWidth: 140 }} />;
  if (def?.type === 'boolean') return <Select size="small" aria-label={aria} value={value || undefined} onChange={onChange} options={[{ value: 'true', label: t('formDesigner.yes') }, { value: 'false', label: t('formDesigner.no') }]} />;
  // Variables are suggestions: any value may still be typed.
  if (variables.length > 0) return <AutoComplete size="small" aria-label={aria} value={value} onChange={onChange} options={variables.map((v) => ({ value: v }))} style={{ width: 170 }} />;
  return <Input size="small" aria-label={aria} value={value} onChange={(e) => onChange(e.target.value)} style={{ width: 140 }} />;
}
