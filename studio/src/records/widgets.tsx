// Our field types as rjsf widgets, registered by name in the form's registry: lookup, multiLookup and
// user (type-ahead search), picklist (with its colours), currency (with its unit), percent (with its sign), computed (formulas, rollups and
// autonumbers, read-only), dates and dates with times (antd's picker, drawn as a plain input until
// focused: LazyControl.tsx). Numbers, text and radios come from @rjsf/antd.

import { App, DatePicker, Space, type DatePickerProps } from 'antd';
import { InputNumber, Select } from '../app/localized-controls.tsx';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ariaDescribedByIds, type RegistryWidgetsType, type WidgetProps } from '@rjsf/utils';
import dayjs, { type Dayjs } from 'dayjs';
import type { FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { formatDate, formatDateTime, pickerFormats } from '../i18n/format.ts';
import { amountCurrency } from './amount-currency.ts';
import { optionLabel } from './format-value.tsx';
import { LazyControl } from './LazyControl.tsx';
import { ReadOnlyValue } from './ReadOnlyValue.tsx';
import { LookupSelect, UserSelect, type LookupNarrowing } from './LookupSelect.tsx';
import { recordFieldsRead, useDraftFields, type DraftValues } from './draft-values.ts';
import { usePeopleNames } from './people.ts';
import { LinkAttributes, linkId, type Link } from './LinkAttributes.tsx';
import { targetsOf, useLookupTitles } from './lookup-titles.ts';
import { RichTextWidget } from './rich-text/RichTextWidget.tsx';
import { CheckboxGroupWidget, ChoiceSelectWidget, RadioGroupWidget, SliderWidget, StepperWidget, TagsWidget, ToggleWidget } from './choice-widgets.tsx';

const fieldOf = (props: WidgetProps): FieldDef => (props.options as { field?: FieldDef }).field ?? { type: 'text' };
/** What an empty read-only value reads as: a new record's "Set when created" (form-model.ts), else a dash. */
export const emptyText = (props: WidgetProps): string => ((props.options as { setWhenCreated?: boolean }).setWhenCreated && props.placeholder) || '—';

function LookupWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const target = targetsOf(field)[0] ?? '';
  const titles = useLookupTitles(target, props.readonly && props.value ? [String(props.value)] : []);
  const narrowing = useNarrowing(props, field);
  const { t } = useTranslation();
  const { message } = App.useApp();
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{props.value ? (titles.data?.get(String(props.value)) ?? '…') : emptyText(props)}</div>;
  const unfit = () => {
    props.onChange(undefined);
    void message.info(t('lookupCleared', { field: props.label }));
  };
  return <LookupSelect id={props.id} target={target} value={props.value as string | undefined} onChange={(v) => props.onChange(v)} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} {...(narrowing ? { narrowing, onUnfit: unfit } : {})} />;
}

/** A lookup with a filter, on a record editor: the search narrowed by the fields the filter reads, as they are now. */
function useNarrowing(props: WidgetProps, field: FieldDef): LookupNarrowing | undefined {
  const context = props.registry.formContext as { entity?: string; draft?: DraftValues } | undefined;
  const filter = field['filter'];
  // A non-admin's metadata names only the fields the filter reads (filterReads), not the filter.
  const filterReads = field['filterReads'] as string[] | undefined;
  const narrowed = filter !== undefined || filterReads !== undefined;
  const reads = useMemo(() => filterReads ?? recordFieldsRead(filter), [filterReads, filter]);
  const record = useDraftFields(context?.draft, reads);
  const entity = context?.entity;
  return useMemo(() => (narrowed && entity !== undefined && context?.draft ? { lookupFor: `${entity}.${props.name}`, record } : undefined), [narrowed, entity, context?.draft, props.name, record]);
}

/**
 * A many-to-many field's links, chosen by searching the target's records. Links kept keep their
 * attributes (a contact's role in the deal), edited in a row per link when the field has link fields.
 */
function MultiLookupWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const target = typeof field.to === 'string' ? field.to : '';
  const links = (Array.isArray(props.value) ? props.value : []) as Link[];
  const ids = links.map(linkId);
  const linkFields = field['linkFields'] as Record<string, FieldDef> | undefined;
  const titles = useLookupTitles(target, props.readonly || linkFields ? ids : []);
  const narrowing = useNarrowing(props, field);
  const { t } = useTranslation();
  const { message } = App.useApp();
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{ids.length > 0 ? ids.map((id) => titles.data?.get(id) ?? '…').join(', ') : emptyText(props)}</div>;
  const change = (next: string[]) => props.onChange(next.map((id) => links.find((l) => linkId(l) === id) ?? id));
  const unfit = (fitting: string[]) => {
    change(fitting);
    void message.info(t('linksDropped', { field: props.label }));
  };
  return (
    <>
      <LookupSelect multiple id={props.id} target={target} value={ids} onChange={change} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} {...(narrowing ? { narrowing, onUnfit: unfit } : {})} />
      {linkFields && <LinkAttributes id={props.id} linkFields={linkFields} links={links} titles={titles.data} onChange={(next) => props.onChange(next)} />}
    </>
  );
}

/** A user of this CRM (an assignee, an account manager), chosen from the people directory. */
function UserWidget(props: WidgetProps) {
  const value = props.value ? String(props.value) : undefined;
  const names = usePeopleNames(props.readonly && value ? [value] : []);
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{value ? (names.data?.get(value) ?? (names.isPending ? '…' : value)) : emptyText(props)}</div>;
  return <UserSelect id={props.id} value={value} onChange={(v) => props.onChange(v)} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} />;
}

const dot = (color: string | undefined) => <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: color ?? '#bfbfbf' }} />;
const fullWidth = { width: '100%' } as const;

/** A picklist: a plain input showing the chosen option until the user comes to it, then antd's select. */
function PicklistWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const { language } = useLanguage();
  const chosen = props.value == null || props.value === '' ? undefined : String(props.value);
  return (
    <LazyControl
      id={props.id}
      kind="select"
      text={chosen === undefined ? '' : optionLabel(field, chosen, language)}
      placeholder={props.placeholder}
      prefix={chosen === undefined ? undefined : dot(field.options?.[chosen]?.color)}
      disabled={props.disabled || props.readonly}
      ariaLabel={props.label}
      render={(activation) => (
        <Select
          id={props.id}
          aria-label={props.label}
          allowClear={!props.required}
          // Long lists (countries, products, reasons) are found by typing a part of the option's label.
          showSearch
          optionFilterProp="title"
          value={props.value ?? undefined}
          options={Object.entries(field.options ?? {}).map(([value, o]) => ({
            value,
            label: (
              <Space size={6}>
                {dot(o.color)}
                {optionLabel(field, value, language)}
              </Space>
            ),
            title: optionLabel(field, value, language),
          }))}
          disabled={props.disabled || props.readonly}
          placeholder={props.placeholder}
          autoFocus
          defaultOpen={activation === 'pointer'}
          onChange={(v) => props.onChange(v ?? undefined)}
          onBlur={() => props.onBlur(props.id, props.value)}
          style={fullWidth}
        />
      )}
    />
  );
}

/**
 * A date (or date and time): a plain input with the date's text until focused, then antd's picker,
 * open (as it opens on focus). Both write the date in the UI language (format.ts) and the picker
 * also takes one typed as ISO; the value stays ISO: "2026-12-04" (the picker's own day, never
 * shifted by a zone) or the instant of a date and time.
 */
function DateWidget(props: WidgetProps & { showTime?: boolean }) {
  const { id, value, showTime = false } = props;
  const { language } = useLanguage();
  const readonly = props.readonly || props.disabled;
  const day = value ? dayjs(value as string) : undefined;
  const text = day?.isValid() ? (showTime ? formatDateTime(value as string, language) : formatDate(value as string, language)) : '';
  return (
    <LazyControl
      id={id}
      kind="date"
      text={text}
      placeholder={props.placeholder}
      disabled={readonly}
      ariaDescribedBy={ariaDescribedByIds(id)}
      render={() => (
        <OpenOnFocusDatePicker
          id={id}
          name={id}
          disabled={readonly}
          autoFocus={!readonly}
          startOpen={!readonly}
          showTime={showTime}
          format={pickerFormats(language, showTime ? 'datetime' : 'date')}
          placeholder={props.placeholder}
          value={day ?? null}
          onChange={readonly ? undefined : (next) => props.onChange(next ? (showTime ? next.toISOString() : next.format('YYYY-MM-DD')) : undefined)}
          onBlur={() => props.onBlur(id, value)}
          onFocus={() => props.onFocus(id, value)}
          style={fullWidth}
          aria-describedby={ariaDescribedByIds(id)}
        />
      )}
    />
  );
}

/**
 * antd's picker opens on a click, not on focus: drawn in place of its stand-in it opened once (the
 * stand-in's focus), and a later Tab back to it — or a refused save that focused it first — found it
 * closed. It opens whenever it takes the focus, as the stand-in promises.
 */
function OpenOnFocusDatePicker({ startOpen, onFocus, ...props }: DatePickerProps<Dayjs, false> & { startOpen: boolean }) {
  const [open, setOpen] = useState(startOpen);
  return (
    <DatePicker
      {...props}
      open={open}
      onOpenChange={setOpen}
      onFocus={(event, info) => {
        if (!props.disabled) setOpen(true);
        onFocus?.(event, info);
      }}
    />
  );
}

const DateTimeWidget = (props: WidgetProps) => <DateWidget {...props} showTime />;

function CurrencyWidget(props: WidgetProps) {
  const field = fieldOf(props);
  if (props.readonly || props.disabled) return <ReadOnlyValue id={props.id} field={field} value={props.value} empty={emptyText(props)} />;
  const unit = amountCurrency(field) ?? '';
  const input = (
    <InputNumber
      id={props.id}
      aria-label={props.label}
      value={props.value ?? null}
      precision={2}
      onChange={(v) => props.onChange(v ?? undefined)}
      onBlur={() => props.onBlur(props.id, props.value)}
      style={{ width: '100%' }}
    />
  );
  // Compact only with the unit beside it: alone, a compact group's first item loses its right edge.
  if (!unit) return input;
  return (
    <Space.Compact style={{ width: '100%' }}>
      {input}
      <span style={{ padding: '4px 11px', border: '1px solid #d9d9d9', borderLeft: 0, borderRadius: '0 6px 6px 0', background: '#fafafa' }}>{unit}</span>
    </Space.Compact>
  );
}

/**
 * A percentage: the number with a % after it, which the input's description also says in words
 * (its name stays the field's label).
 */
function PercentWidget(props: WidgetProps) {
  const { t } = useTranslation();
  const field = fieldOf(props);
  if (props.readonly || props.disabled) return <ReadOnlyValue id={props.id} field={field} value={props.value} empty={emptyText(props)} />;
  const unit = `${props.id}__unit`;
  return (
    <InputNumber
      id={props.id}
      value={typeof props.value === 'number' ? props.value : null}
      {...(typeof field.scale === 'number' ? { precision: field.scale } : {})}
      suffix={
        <span id={unit} data-testid="percent-sign">
          <span aria-hidden="true">%</span>
          <span className="crm-visually-hidden">{t('percentInput.unit')}</span>
        </span>
      }
      aria-describedby={`${ariaDescribedByIds(props.id)} ${unit}`}
      onChange={(v) => props.onChange(v ?? undefined)}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
      style={{ width: '100%' }}
    />
  );
}

/** A formula, rollup or autonumber: its value as text, written as lists write it. */
const ComputedWidget = (props: WidgetProps) => <ReadOnlyValue id={props.id} field={fieldOf(props)} value={props.value} empty={emptyText(props)} />;

export const recordWidgets: RegistryWidgetsType = {
  lookup: LookupWidget,
  multiLookup: MultiLookupWidget,
  user: UserWidget,
  picklist: PicklistWidget,
  DateWidget,
  DateTimeWidget,
  currency: CurrencyWidget,
  percent: PercentWidget,
  computed: ComputedWidget,
  // The form designer's choices (choice-widgets.tsx); radios and checkboxes replace @rjsf/antd's, whose groups had no name.
  radio: RadioGroupWidget,
  choiceSelect: ChoiceSelectWidget,
  checkboxes: CheckboxGroupWidget,
  tags: TagsWidget,
  toggle: ToggleWidget,
  slider: SliderWidget,
  stepper: StepperWidget,
  richText: (props: WidgetProps) => <RichTextWidget {...props} empty={emptyText(props)} />,
};
