// One trigger or action as a form for its kind: the state, date field, lookup, entity, role and
// transition pickers come from the workflow and its entity; values are rows of field → JSONata;
// recipients are roles, users and user fields. Keys the form does not show (a schedule's filter, a
// webhook's extra settings) are kept as they are; the raw JSON stays one click away.

import { DeleteOutlined, PlusOutlined } from '../../app/icons.tsx';
import { Button, Checkbox, Form, Input, Space } from 'antd';
import { InputNumber, Select } from '../../app/localized-controls.tsx';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/admin-meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { Label } from '../../i18n/i18n.ts';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import type { WorkflowDoc } from './workflow-model.ts';

export type Item = Record<string, unknown>;

type InputKind =
  | 'label' | 'expression' | 'text' | 'duration' | 'offset' | 'time' | 'number' | 'actions' | 'state' | 'dateField'
  | 'lookupField' | 'entity' | 'transition' | 'approvalTransition' | 'role' | 'values' | 'recipients' | 'channels' | 'localized' | 'localizedLong';

interface Part {
  key: string;
  input: InputKind;
  required?: boolean;
}

const common: Part[] = [{ key: 'label', input: 'label' }];
const when: Part = { key: 'when', input: 'expression' };

/** What the form shows for each kind, in order; `required` as the schema has it. */
export const itemParts: Record<'triggers' | 'actions', Record<string, Part[]>> = {
  triggers: {
    create: [...common, when, { key: 'actions', input: 'actions', required: true }],
    update: [...common, { ...when, required: true }, { key: 'actions', input: 'actions', required: true }],
    schedule: [...common, { key: 'cron', input: 'text', required: true }, { key: 'timezone', input: 'text' }, when, { key: 'actions', input: 'actions', required: true }],
    date: [...common, { key: 'field', input: 'dateField', required: true }, { key: 'offset', input: 'offset', required: true }, { key: 'at', input: 'time' }, { key: 'timezone', input: 'text' }, when, { key: 'actions', input: 'actions', required: true }],
    inState: [...common, { key: 'state', input: 'state', required: true }, { key: 'after', input: 'duration', required: true }, { key: 'repeatEvery', input: 'duration' }, when, { key: 'actions', input: 'actions', required: true }],
  },
  actions: {
    setFields: [...common, when, { key: 'values', input: 'values', required: true }],
    createRecord: [...common, when, { key: 'entity', input: 'entity', required: true }, { key: 'values', input: 'values', required: true }],
    updateRelated: [...common, when, { key: 'via', input: 'lookupField', required: true }, { key: 'values', input: 'values' }, { key: 'transition', input: 'text' }],
    notify: [...common, when, { key: 'to', input: 'recipients', required: true }, { key: 'subject', input: 'localized', required: true }, { key: 'body', input: 'localizedLong' }, { key: 'channels', input: 'channels' }],
    webhook: [...common, when, { key: 'url', input: 'text', required: true }, { key: 'secretRef', input: 'text', required: true }, { key: 'role', input: 'role', required: true }, { key: 'maxAttempts', input: 'number' }],
    transition: [...common, when, { key: 'transition', input: 'transition', required: true }],
    startApproval: [...common, when, { key: 'transition', input: 'approvalTransition', required: true }],
  },
};

/** Whether a kind has a form (an unknown kind is edited as JSON). */
export function hasForm(which: 'triggers' | 'actions', item: Item): boolean {
  return Boolean(itemParts[which][String(item[which === 'triggers' ? 'on' : 'type'])]);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

/** The keys of required parts the item leaves empty. */
export function missingParts(which: 'triggers' | 'actions', item: Item): string[] {
  const parts = itemParts[which][String(item[which === 'triggers' ? 'on' : 'type'])] ?? [];
  return parts.filter((p) => p.required && isEmpty(item[p.key])).map((p) => p.key);
}

type FieldDefs = Record<string, { type?: string; label?: Label; to?: string }>;

export interface ItemContext {
  doc: WorkflowDoc;
  entity: MetaDocument;
  entities: MetaDocument[];
  roles: { name: string; label: string }[];
}

export function ItemForm({ which, item, onChange, context, idPrefix }: { which: 'triggers' | 'actions'; item: Item; onChange: (next: Item) => void; context: ItemContext; idPrefix: string }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const kind = String(item[which === 'triggers' ? 'on' : 'type']);
  const parts = itemParts[which][kind] ?? [];
  const set = (key: string, value: unknown) => {
    const next = { ...item };
    if (isEmpty(value)) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const fieldsOf = (entity: MetaDocument | undefined): FieldDefs => ((entity?.['fields'] ?? {}) as FieldDefs);
  const ownFields = fieldsOf(context.entity);
  const fieldOptions = (defs: FieldDefs, keep: (f: FieldDefs[string]) => boolean = () => true) =>
    Object.entries(defs).filter(([, f]) => keep(f)).map(([n, f]) => ({ value: n, label: `${label(f.label, n)} (${n})` }));
  const transitions = Object.entries(context.doc.transitions ?? {});
  const entityNamed = (name: unknown) => context.entities.find((e) => e.name === name);
  const valuesTarget = kind === 'createRecord' ? entityNamed(item['entity']) : kind === 'updateRelated' ? entityNamed(ownFields[String(item['via'] ?? '')]?.to) : context.entity;

  const input = (p: Part, id: string): ReactNode => {
    const value = item[p.key];
    const text = typeof value === 'string' ? value : '';
    switch (p.input) {
      case 'label':
      case 'localized':
      case 'localizedLong':
        return <LocalizedInput id={id} label={t(`wfItem.${p.key}`)} value={value as Label} multiline={p.input === 'localizedLong'} onChange={(v) => set(p.key, v)} />;
      case 'expression':
        return <Input.TextArea id={id} value={text} autoSize={{ minRows: 1, maxRows: 4 }} style={{ fontFamily: 'monospace' }} onChange={(e) => set(p.key, e.target.value)} />;
      case 'text':
      case 'duration':
      case 'offset':
      case 'time':
        return <Input id={id} value={text} autoComplete="off" onChange={(e) => set(p.key, e.target.value.trim())} />;
      case 'number':
        return <InputNumber id={id} min={1} max={20} value={typeof value === 'number' ? value : null} onChange={(v) => set(p.key, v ?? undefined)} />;
      case 'actions':
        return <Select id={id} mode="multiple" value={(value as string[] | undefined) ?? []} onChange={(v: string[]) => set(p.key, v)} options={Object.keys(context.doc.actions ?? {}).map((a) => ({ value: a, label: a }))} />;
      case 'state':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={Object.entries(context.doc.states ?? {}).map(([n, s]) => ({ value: n, label: `${label(s.label, n)} (${n})` }))} />;
      case 'dateField':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={fieldOptions(ownFields, (f) => f.type === 'date' || f.type === 'datetime')} />;
      case 'lookupField':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={fieldOptions(ownFields, (f) => f.type === 'lookup')} />;
      case 'entity':
        return <Select id={id} showSearch optionFilterProp="label" value={text || undefined} onChange={(v: string) => set(p.key, v)} options={context.entities.map((e) => ({ value: e.name, label: `${label(e['label'] as Label, e.name)} (${e.name})` }))} />;
      case 'transition':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={transitions.map(([n, tr]) => ({ value: n, label: `${label(tr.label, n)} (${n})` }))} />;
      case 'approvalTransition':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={transitions.filter(([, tr]) => tr.approval).map(([n, tr]) => ({ value: n, label: `${label(tr.label, n)} (${n})` }))} />;
      case 'role':
        return <Select id={id} value={text || undefined} onChange={(v: string) => set(p.key, v)} options={context.roles.map((r) => ({ value: r.name, label: r.label }))} />;
      case 'channels':
        return <Checkbox.Group value={(value as string[] | undefined) ?? []} onChange={(v) => set(p.key, v)} options={(['inbox', 'email'] as const).map((c) => ({ value: c, label: t(`wfItem.channel_${c}`) }))} />;
      case 'values':
        return <ValuesInput id={id} value={(value as Record<string, string> | undefined) ?? {}} options={fieldOptions(fieldsOf(valuesTarget))} onChange={(v) => set(p.key, v)} />;
      case 'recipients':
        return <RecipientsInput id={id} value={(value as Recipients | undefined) ?? {}} roles={context.roles} userFields={[{ value: 'owner', label: t('wfItem.owner') }, ...fieldOptions(ownFields, (f) => f.type === 'user')]} onChange={(v) => set(p.key, v)} />;
    }
  };

  return (
    <>
      {parts.map((p) => {
        const id = `${idPrefix}-${p.key}`;
        const grouped = p.input === 'label' || p.input === 'localized' || p.input === 'localizedLong' || p.input === 'values' || p.input === 'recipients' || p.input === 'channels';
        return (
          <Form.Item key={p.key} label={t(`wfItem.${p.key}`)} required={p.required} extra={t(`wfItem.help_${p.input}`, { defaultValue: '', example: 'Case {{ number }}' }) || undefined} {...(grouped ? {} : { htmlFor: id })}>
            {input(p, id)}
          </Form.Item>
        );
      })}
    </>
  );
}

function ValuesInput({ id, value, options, onChange }: { id: string; value: Record<string, string>; options: { value: string; label: string }[]; onChange: (next: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const rows = Object.entries(value);
  const write = (next: [string, string][]) => onChange(Object.fromEntries(next));
  const unused = options.find((o) => value[o.value] === undefined);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      {rows.map(([field, expression], n) => (
        <Space.Compact key={field} block>
          <Select aria-label={t('wfItem.valueField', { n: n + 1 })} value={field} style={{ width: '45%' }} showSearch optionFilterProp="label"
            options={options.filter((o) => o.value === field || value[o.value] === undefined)}
            onChange={(f: string) => write(rows.map(([k, v]) => (k === field ? [f, v] : [k, v])))} />
          <Input id={n === 0 ? id : undefined} aria-label={t('wfItem.valueExpression', { n: n + 1 })} value={expression} style={{ fontFamily: 'monospace' }}
            onChange={(e) => write(rows.map(([k, v]) => (k === field ? [k, e.target.value] : [k, v])))} />
          <Button icon={<DeleteOutlined />} aria-label={t('wfItem.removeValue', { n: n + 1 })} onClick={() => write(rows.filter(([k]) => k !== field))} />
        </Space.Compact>
      ))}
      <Button size="small" icon={<PlusOutlined />} disabled={!unused} onClick={() => unused && write([...rows, [unused.value, '']])}>
        {t('wfItem.addValue')}
      </Button>
    </Space>
  );
}

interface Recipients {
  roles?: string[];
  users?: string[];
  fields?: string[];
}

function RecipientsInput({ id, value, roles, userFields, onChange }: { id: string; value: Recipients; roles: { name: string; label: string }[]; userFields: { value: string; label: string }[]; onChange: (next: Recipients) => void }) {
  const { t } = useTranslation();
  const set = (key: keyof Recipients, list: string[]) => {
    const next = { ...value };
    if (list.length === 0) delete next[key];
    else next[key] = list;
    onChange(next);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      <Select id={`${id}-roles`} aria-label={t('wfItem.toRoles')} placeholder={t('wfItem.toRoles')} mode="multiple" optionFilterProp="label" value={value.roles ?? []} onChange={(v: string[]) => set('roles', v)} options={roles.map((r) => ({ value: r.name, label: r.label }))} />
      <Select id={`${id}-fields`} aria-label={t('wfItem.toFields')} placeholder={t('wfItem.toFields')} mode="tags" value={value.fields ?? []} onChange={(v: string[]) => set('fields', v)} options={userFields} />
      <Select id={`${id}-users`} aria-label={t('wfItem.toUsers')} placeholder={t('wfItem.toUsers')} mode="tags" value={value.users ?? []} onChange={(v: string[]) => set('users', v)} options={[]} />
    </Space>
  );
}
