// One control per filterable column, chosen by the field's type. An empty select or date range is
// drawn as a plain stand-in until the user comes to it (LazyControl, RangeStandIn): the list page's
// render and its forced layouts were mostly these controls, and most visits filter nothing.

import { DatePicker, Space, type GetRef, type SelectProps } from 'antd';
import { InputNumber, SearchInput, Select } from '../app/localized-controls.tsx';
import dayjs from 'dayjs';
import { useId, useLayoutEffect, useRef, type ComponentProps, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { pickerFormats } from '../i18n/format.ts';
import { optionLabel } from '../records/format-value.tsx';
import { LazyControl } from '../records/LazyControl.tsx';
import { InputLookProvider } from '../records/light-input.tsx';
import { LookupSelect } from '../records/LookupSelect.tsx';
import { targetsOf } from '../records/lookup-titles.ts';
import { filterControlFor, type FilterState } from './list-filters.ts';
import { RangeStandIn } from './RangeStandIn.tsx';
import type { ColumnSpec } from './resolve-view.ts';

const selectStyle = { minWidth: 160 } as const;
const booleanStyle = { minWidth: 120 } as const;
// An empty select is as wide as its min-width; an input (the stand-in) would take its own default width.
const standInWidth = (style: SelectProps['style']) => ({ width: style?.minWidth });

/** A select, or while it is empty its stand-in (opened at once when the stand-in was clicked). */
function LazySelect(props: SelectProps & { 'aria-label': string; placeholder: string; empty: boolean }) {
  const { empty, ...select } = props;
  return <LazyControl kind="select" text="" eager={!empty} placeholder={props.placeholder} ariaLabel={props['aria-label']} style={standInWidth(props.style)} render={(activation) => <Select {...select} autoFocus={activation !== undefined} defaultOpen={activation === 'pointer'} />} />;
}

type RangeProps = ComponentProps<typeof DatePicker.RangePicker>;

/** The range picker, given the focus on the side its stand-in was focused on. */
function FocusedRange({ side, ...props }: RangeProps & { side: 0 | 1 | undefined }) {
  const picker = useRef<GetRef<typeof DatePicker.RangePicker>>(null);
  useLayoutEffect(() => {
    // rc-picker's range focus takes the side (antd types the ref as a single picker's).
    if (side !== undefined) picker.current?.focus({ index: side } as FocusOptions);
    // Once, when the picker replaces its stand-in.
  }, []);
  return <DatePicker.RangePicker ref={picker} {...props} />;
}

// A range's name would not fit in its inputs' placeholders (a number input is 90 px wide, a phone
// screen 390 px): it stands above them, wrapping when it is longer than the range is wide.
const rangeStyle = { display: 'flex', flexDirection: 'column', gap: 2, maxWidth: '100%' } as const;
const rangeLabelStyle = { fontSize: 12, lineHeight: '16px', whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

function LabelledRange({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={id} style={rangeStyle}>
      <span id={id} data-range-label style={rangeLabelStyle}>
        {label}
      </span>
      {children}
    </div>
  );
}

export function FilterBar({ entity, columns, state, onChange }: { entity: EntityDef; columns: ColumnSpec[]; state: FilterState; onChange: (s: FilterState) => void }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const set = (name: string, value: FilterState[string]) => onChange({ ...state, [name]: value });
  const controls = columns.filter((c) => !c.via && filterControlFor(entity.fields[c.field]) !== undefined);
  return (
    <InputLookProvider>
    <Space wrap size="small" align="end" role="search" aria-label={t('list.filters')}>
      {controls.map((c) => {
        const field = entity.fields[c.field]!;
        const name = label(c.label ?? field.label, c.field);
        const value = state[c.field];
        switch (filterControlFor(field)) {
          case 'select':
            return (
              <LazySelect
                key={c.field}
                empty={!(value as string[] | undefined)?.length}
                mode="multiple"
                allowClear
                aria-label={name}
                placeholder={name}
                style={selectStyle}
                maxTagCount="responsive"
                value={(value as string[] | undefined) ?? []}
                options={Object.keys(field.options ?? {}).map((o) => ({ value: o, label: optionLabel(field, o, language) }))}
                onChange={(v: string[]) => set(c.field, v.length ? v : undefined)}
              />
            );
          case 'dateRange': {
            const [from, to] = (value as [string | null, string | null] | undefined) ?? [null, null];
            const placeholders: [string, string] = [t('list.rangeFrom'), t('list.rangeTo')];
            const picker = (side: 0 | 1 | undefined) => (
              <FocusedRange
                side={side}
                // Either bound alone is a filter ("due after …"); and rc-picker keeps the focus in an
                // empty side that may not be empty, so without it Tab never leaves the picker.
                allowEmpty={[true, true]}
                // A day range, for a date or a date-time field: days as the UI language writes them.
                format={pickerFormats(language, 'date')}
                {...(side !== undefined ? { defaultOpen: true } : {})}
                aria-label={name}
                placeholder={placeholders}
                value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
                onChange={(r) =>
                  set(c.field, r ? [r[0] ? (field.type === 'date' ? r[0].format('YYYY-MM-DD') : r[0].startOf('day').toISOString()) : null, r[1] ? (field.type === 'date' ? r[1].format('YYYY-MM-DD') : r[1].endOf('day').toISOString()) : null] : undefined)
                }
              />
            );
            return (
              <LabelledRange key={c.field} label={name}>
                <RangeStandIn empty={!from && !to} label={name} placeholders={placeholders} render={picker} />
              </LabelledRange>
            );
          }
          case 'lookup':
            return <LookupSelect key={c.field} target={targetsOf(field)[0] ?? ''} ariaLabel={name} placeholder={name} value={value as string | undefined} onChange={(v) => set(c.field, v)} style={{ minWidth: 180 }} />;
          case 'numberRange': {
            const [min, max] = (value as [number | null, number | null] | undefined) ?? [null, null];
            return (
              <LabelledRange key={c.field} label={name}>
                <Space.Compact>
                  <InputNumber aria-label={`${name} ≥`} placeholder={t('list.rangeFrom')} value={min} onChange={(v) => set(c.field, [v, max])} />
                  <InputNumber aria-label={`${name} ≤`} placeholder={t('list.rangeTo')} value={max} onChange={(v) => set(c.field, [min, v])} />
                </Space.Compact>
              </LabelledRange>
            );
          }
          case 'boolean':
            return <LazySelect key={c.field} empty={value === undefined} allowClear aria-label={name} placeholder={name} style={booleanStyle} value={value as string | undefined} options={[{ value: 'true', label: '✓' }, { value: 'false', label: '✗' }]} onChange={(v) => set(c.field, v)} />;
          default:
            return <SearchInput key={c.field} allowClear aria-label={name} placeholder={name} style={{ width: 180 }} defaultValue={(value as string | undefined) ?? ''} onSearch={(v) => set(c.field, v || undefined)} />;
        }
      })}
    </Space>
    </InputLookProvider>
  );
}
