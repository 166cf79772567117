// One input for one field by its type, outside a generated form: bulk update, required fields
// asked for by a transition.

import { DatePicker, Input, Switch } from 'antd';
import { InputNumber, Select } from '../app/localized-controls.tsx';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { pickerFormats } from '../i18n/format.ts';
import { optionLabel } from './format-value.tsx';
import { LookupSelect, UserSelect } from './LookupSelect.tsx';
import { targetsOf } from './lookup-titles.ts';

export function FieldInput({ field, value, onChange, ariaLabel, id }: { field: FieldDef; value: unknown; onChange: (v: unknown) => void; ariaLabel: string; id?: string }) {
  const { language } = useLanguage();
  const { t } = useTranslation();
  const common = { 'aria-label': ariaLabel, id, style: { width: '100%' } };
  switch (field.type) {
    case 'picklist':
    case 'multipicklist':
      return (
        <Select
          {...common}
          mode={field.type === 'multipicklist' ? 'multiple' : undefined}
          allowClear
          showSearch
          optionFilterProp="label"
          value={value as string | undefined}
          onChange={onChange}
          options={Object.keys(field.options ?? {}).map((o) => ({ value: o, label: optionLabel(field, o, language) }))}
        />
      );
    case 'lookup':
      return <LookupSelect target={targetsOf(field)[0] ?? ''} value={value as string | undefined} onChange={onChange} ariaLabel={ariaLabel} id={id} />;
    case 'user':
      return <UserSelect value={value as string | undefined} onChange={onChange} ariaLabel={ariaLabel} id={id} />;
    case 'date':
      return <DatePicker {...common} format={pickerFormats(language, 'date')} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)} />;
    case 'datetime':
      return <DatePicker {...common} showTime format={pickerFormats(language, 'datetime')} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.toISOString() : undefined)} />;
    case 'integer':
    case 'number':
    case 'currency':
      return <InputNumber {...common} value={value as number | undefined} onChange={(v) => onChange(v ?? undefined)} />;
    case 'percent':
      // The sign after the number; its name says "percent" in words (records.i18n.json).
      return <InputNumber {...common} aria-label={`${ariaLabel} (${t('percentInput.unit')})`} suffix={<span aria-hidden="true">%</span>} value={value as number | undefined} onChange={(v) => onChange(v ?? undefined)} />;
    case 'boolean':
      return <Switch aria-label={ariaLabel} id={id} checked={Boolean(value)} onChange={onChange} />;
    case 'textarea':
      return <Input.TextArea {...common} rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
    default:
      return <Input {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
}
