// Defaults: a value for each required field the file does not give (and, on request, for any other
// field no column feeds) — used for every row where the source has none.

import { DeleteOutlined } from '../app/icons.tsx';
import { Button, Card, Flex, Input, Switch, Typography } from 'antd';
import { InputNumber, Select } from '../app/localized-controls.tsx';
import { useTranslation } from 'react-i18next';
import type { EntityDef, FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { importableFields, type Draft } from './mapping-model.ts';

const numeric = new Set(['integer', 'number', 'decimal', 'currency', 'percent']);

/** The id of a default's input (the wizard focuses one the server could not read). */
export const defaultInputId = (field: string) => `import-default-${field}`;

function DefaultInput({ name, def, value, onChange, ariaLabel, error }: { name: string; def: FieldDef; value: unknown; onChange: (v: unknown) => void; ariaLabel: string; error?: boolean }) {
  const { label } = useLanguage();
  const invalid = { id: defaultInputId(name), ...(error ? ({ 'aria-invalid': true, status: 'error' } as const) : {}) };
  if (def.type === 'picklist') {
    return <Select aria-label={ariaLabel} allowClear style={{ minWidth: 200 }} value={value as string | undefined} onChange={(v?: string) => onChange(v)} options={Object.entries(def.options ?? {}).map(([k, o]) => ({ value: k, label: label(o.label, k) }))} />;
  }
  if (def.type === 'boolean') return <Switch aria-label={ariaLabel} checked={value === true} onChange={onChange} />;
  if (numeric.has(def.type)) return <InputNumber aria-label={ariaLabel} style={{ minWidth: 200 }} value={value as number | undefined} onChange={(v) => onChange(v ?? undefined)} {...invalid} />;
  return <Input aria-label={ariaLabel} style={{ maxWidth: 320 }} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} name={name} {...invalid} />;
}

/** The value a default starts from when added (a picklist's first option, no, zero, empty text). */
function initialDefault(def: FieldDef): unknown {
  if (def.type === 'picklist') return Object.keys(def.options ?? {})[0] ?? '';
  if (def.type === 'boolean') return false;
  return numeric.has(def.type) ? 0 : '';
}

/** `errors`: why the server could not read a default (field → reason), shown under it. */
export function DefaultsEditor({ entity, draft, onDraft, missing, errors = {} }: { entity: EntityDef; draft: Draft; onDraft: (d: Draft) => void; missing: string[]; errors?: Record<string, string> }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const mapped = new Set(Object.values(draft.fieldOf));
  const shown = [...new Set([...missing, ...Object.keys(draft.defaults)])].filter((f) => entity.fields[f]);
  const addable = importableFields(entity).filter(([name, f]) => !mapped.has(name) && !shown.includes(name) && f.type !== 'lookup' && f.type !== 'multiLookup');
  const set = (field: string, value: unknown) => {
    const defaults = { ...draft.defaults };
    if (value === undefined) delete defaults[field];
    else defaults[field] = value;
    onDraft({ ...draft, defaults });
  };

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.defaultsTitle')}</Typography.Title>} size="small">
      <Typography.Paragraph type="secondary">{t('importWizard.defaultsHelp')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {shown.map((field) => {
          const fieldLabel = label(entity.fields[field]!.label, field);
          return (
            <Flex key={field} vertical gap={2}>
              <Flex gap={8} align="center" wrap>
                <span style={{ minWidth: 160 }}>{fieldLabel}{entity.fields[field]!.required ? ' *' : ''}</span>
                <DefaultInput name={field} def={entity.fields[field]!} value={draft.defaults[field]} onChange={(v) => set(field, v)} ariaLabel={t('importWizard.defaultFor', { field: fieldLabel })} error={errors[field] !== undefined} />
                {draft.defaults[field] !== undefined && <Button type="text" icon={<DeleteOutlined />} aria-label={t('importWizard.removeDefault', { field: fieldLabel })} onClick={() => set(field, undefined)} />}
              </Flex>
              {errors[field] && <Typography.Text type="danger" role="alert" data-testid={`import-default-error-${field}`}>{errors[field]}</Typography.Text>}
            </Flex>
          );
        })}
        <Select
          aria-label={t('importWizard.addDefault')}
          placeholder={t('importWizard.addDefault')}
          showSearch
          optionFilterProp="label"
          style={{ maxWidth: 320 }}
          value={null}
          options={addable.map(([name, f]) => ({ value: name, label: label(f.label, name) }))}
          onChange={(field: string) => set(field, initialDefault(entity.fields[field]!))}
          data-testid="import-add-default"
        />
      </Flex>
    </Card>
  );
}
