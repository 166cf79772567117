// One control per filterable column, chosen by the field's type.

import { DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { optionLabel } from '../records/format-value.tsx';
import { LookupSelect } from '../records/LookupSelect.tsx';
import { targetsOf } from '../records/lookup-titles.ts';
import { filterControlFor, type FilterState } from './list-filters.ts';
import type { ColumnSpec } from './resolve-view.ts';

export function FilterBar({ entity, columns, state, onChange }: { entity: EntityDef; columns: ColumnSpec[]; state: FilterState; onChange: (s: FilterState) => void }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const set = (name: string, value: FilterState[string]) => onChange({ ...state, [name]: value });
  const controls = columns.filter((c) => !c.via && filterControlFor(entity.fields[c.field]) !== undefined);
  return (
    <Space wrap size="small" role="search" aria-label={t('list.filters')}>
      {controls.map((c) => {
        const field = entity.fields[c.field]!;
        const name = label(c.label ?? field.label, c.field);
        const value = state[c.field];
        switch (filterControlFor(field)) {
          case 'select':
            return (
              <Select
                key={c.field}
                mode="multiple"
                allowClear
                aria-label={name}
                placeholder={name}
                style={{ minWidth: 160 }}
                maxTagCount="responsive"
                value={(value as string[] | undefined) ?? []}
                options={Object.keys(field.options ?? {}).map((o) => ({ value: o, label: optionLabel(field, o, language) }))}
                onChange={(v: string[]) => set(c.field, v.length ? v : undefined)}
              />
            );
          case 'dateRange': {
            const [from, to] = (value as [string | null, string | null] | undefined) ?? [null, null];
            return (
              <DatePicker.RangePicker
                key={c.field}
                aria-label={name}
                placeholder={[`${name} ≥`, `${name} ≤`]}
                value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
                onChange={(r) =>
                  set(c.field, r ? [r[0] ? (field.type === 'date' ? r[0].format('YYYY-MM-DD') : r[0].startOf('day').toISOString()) : null, r[1] ? (field.type === 'date' ? r[1].format('YYYY-MM-DD') : r[1].endOf('day').toISOString()) : null] : undefined)
                }
              />
            );
          }
          case 'lookup':
            return <LookupSelect key={c.field} target={targetsOf(field)[0] ?? ''} ariaLabel={name} placeholder={name} value={value as string | undefined} onChange={(v) => set(c.field, v)} style={{ minWidth: 180 }} />;
          case 'numberRange': {
            const [min, max] = (value as [number | null, number | null] | undefined) ?? [null, null];
            return (
              <Space.Compact key={c.field}>
                <InputNumber aria-label={`${name} ≥`} placeholder={`${name} ≥`} value={min} onChange={(v) => set(c.field, [v, max])} />
                <InputNumber aria-label={`${name} ≤`} placeholder="≤" value={max} onChange={(v) => set(c.field, [min, v])} />
              </Space.Compact>
            );
          }
          case 'boolean':
            return <Select key={c.field} allowClear aria-label={name} placeholder={name} style={{ minWidth: 120 }} value={value as string | undefined} options={[{ value: 'true', label: '✓' }, { value: 'false', label: '✗' }]} onChange={(v) => set(c.field, v)} />;
          default:
            return <Input.Search key={c.field} allowClear aria-label={name} placeholder={name} style={{ width: 180 }} defaultValue={(value as string | undefined) ?? ''} onSearch={(v) => set(c.field, v || undefined)} />;
        }
      })}
    </Space>
  );
}
