// Our field types as rjsf widgets, registered by name in the form's registry: lookup, multiLookup and
// user (type-ahead search), picklist (with its colours), currency (with its unit), computed (formulas, rollups and
// autonumbers, read-only). Dates, numbers, text and radios come from @rjsf/antd.

import { InputNumber, Select, Space, Tag } from 'antd';
import type { RegistryWidgetsType, WidgetProps } from '@rjsf/utils';
import type { FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { optionLabel, valueText } from './format-value.tsx';
import { LookupSelect, UserSelect } from './LookupSelect.tsx';
import { usePeopleNames } from './people.ts';
import { LinkAttributes, linkId, type Link } from './LinkAttributes.tsx';
import { targetsOf, useLookupTitles } from './lookup-titles.ts';

const fieldOf = (props: WidgetProps): FieldDef => (props.options as { field?: FieldDef }).field ?? { type: 'text' };

function LookupWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const target = targetsOf(field)[0] ?? '';
  const titles = useLookupTitles(target, props.readonly && props.value ? [String(props.value)] : []);
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{props.value ? (titles.data?.get(String(props.value)) ?? '…') : '—'}</div>;
  return <LookupSelect id={props.id} target={target} value={props.value as string | undefined} onChange={(v) => props.onChange(v)} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} />;
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
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{ids.length > 0 ? ids.map((id) => titles.data?.get(id) ?? '…').join(', ') : '—'}</div>;
  const change = (next: string[]) => props.onChange(next.map((id) => links.find((l) => linkId(l) === id) ?? id));
  return (
    <>
      <LookupSelect multiple id={props.id} target={target} value={ids} onChange={change} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} />
      {linkFields && <LinkAttributes id={props.id} linkFields={linkFields} links={links} titles={titles.data} onChange={(next) => props.onChange(next)} />}
    </>
  );
}

/** A user of this CRM (an assignee, an account manager), chosen from the people directory. */
function UserWidget(props: WidgetProps) {
  const value = props.value ? String(props.value) : undefined;
  const names = usePeopleNames(props.readonly && value ? [value] : []);
  if (props.readonly) return <div id={props.id} style={{ padding: '4px 0' }}>{value ? (names.data?.get(value) ?? '…') : '—'}</div>;
  return <UserSelect id={props.id} value={value} onChange={(v) => props.onChange(v)} disabled={props.disabled} ariaLabel={props.label} placeholder={props.placeholder} onBlur={() => props.onBlur(props.id, props.value)} />;
}

function PicklistWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const { language } = useLanguage();
  const options = Object.entries(field.options ?? {}).map(([value, o]) => ({
    value,
    label: (
      <Space size={6}>
        <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: o.color ?? '#bfbfbf' }} />
        {optionLabel(field, value, language)}
      </Space>
    ),
    title: optionLabel(field, value, language),
  }));
  return (
    <Select
      id={props.id}
      aria-label={props.label}
      allowClear={!props.required}
      value={props.value ?? undefined}
      options={options}
      disabled={props.disabled || props.readonly}
      placeholder={props.placeholder}
      onChange={(v) => props.onChange(v ?? undefined)}
      onBlur={() => props.onBlur(props.id, props.value)}
      style={{ width: '100%' }}
    />
  );
}

function CurrencyWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const unit = String(field.currency ?? '');
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber
        id={props.id}
        aria-label={props.label}
        value={props.value ?? null}
        precision={2}
        disabled={props.disabled}
        readOnly={props.readonly}
        onChange={(v) => props.onChange(v ?? undefined)}
        onBlur={() => props.onBlur(props.id, props.value)}
        style={{ width: '100%' }}
      />
      {unit && <span style={{ padding: '4px 11px', border: '1px solid #d9d9d9', borderLeft: 0, borderRadius: '0 6px 6px 0', background: '#fafafa' }}>{unit}</span>}
    </Space.Compact>
  );
}

function ComputedWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const { language } = useLanguage();
  const text = valueText(field, props.value, language);
  return (
    <div id={props.id} style={{ padding: '4px 0' }}>
      {field.type === 'picklist' ? <Tag>{text}</Tag> : text || '—'}
    </div>
  );
}

export const recordWidgets: RegistryWidgetsType = {
  lookup: LookupWidget,
  multiLookup: MultiLookupWidget,
  user: UserWidget,
  picklist: PicklistWidget,
  currency: CurrencyWidget,
  computed: ComputedWidget,
};
