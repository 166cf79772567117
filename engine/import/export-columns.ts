// The columns of an export: which (the fields asked for, else the view's columns, else every
// readable field — always after the id), what each is called in the caller's language, and what
// kind of value it holds, so that a human-readable file can show an option's label, a linked
// record's title or a typed spreadsheet cell for any field type, lookup paths (`account.name`) included.

import { metadataViewer, narrowDocument } from '../access/narrow-metadata.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import type { FieldDefinition, ViewDefinition } from '../metadata/generated/metadata.ts';
import { checkFieldList } from '../records/field-list.ts';
import type { RequestContext } from '../records/request-context.ts';

type Options = Record<string, { label?: LocalizedText }>;

/** What a column's values are, as far as showing them goes. */
type PlainKind = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'user' | 'file' | 'address' | 'consent' | 'polymorphic' | 'list' | 'other';

export type ColumnKind =
  | { kind: PlainKind }
  | { kind: 'option'; options: Options }
  /** An amount of money; `currency` when its field names one (else it is the organisation's, if set). */
  | { kind: 'money'; currency?: string }
  | { kind: 'lookup' | 'multiLookup'; to: string };

export interface ExportColumn {
  /** The key in the API's records (`amount`, `account.name`). */
  key: string;
  /** The header in the caller's language. */
  label: string;
  type: ColumnKind;
  /** What to ask the records API for: the key itself, or the composite field a part (`address.city`) is read from. */
  source: string;
  /** The part of `source` this column shows. */
  part?: string;
}

/** The headers of system columns (the id, version, dates, people) in each language. */
export const systemColumnLabels: Record<string, LocalizedText> = {
  id: { en: 'ID', zh: 'ID' },
  version: { en: 'Version', zh: '版本' },
  revision: { en: 'Metadata revision', zh: '元数据版本' },
  createdAt: { en: 'Created at', zh: '创建时间' },
  updatedAt: { en: 'Updated at', zh: '更新时间' },
  createdBy: { en: 'Created by', zh: '创建人' },
  updatedBy: { en: 'Updated by', zh: '更新人' },
  owner: { en: 'Owner', zh: '负责人' },
  teams: { en: 'Teams', zh: '团队' },
};

const systemKinds: Record<string, ColumnKind> = {
  id: { kind: 'text' }, version: { kind: 'number' }, revision: { kind: 'number' }, createdAt: { kind: 'datetime' }, updatedAt: { kind: 'datetime' },
  createdBy: { kind: 'user' }, updatedBy: { kind: 'user' }, owner: { kind: 'user' }, teams: { kind: 'list' },
};

const scalarKinds: Record<string, PlainKind> = {
  text: 'text', textarea: 'text', email: 'text', phone: 'text', url: 'text', autonumber: 'text',
  integer: 'number', number: 'number', percent: 'number',
  boolean: 'boolean', date: 'date', datetime: 'datetime', user: 'user', file: 'file', address: 'address', consent: 'consent', polymorphicLookup: 'polymorphic',
};

const money = (currency: string | undefined): ColumnKind => (currency !== undefined ? { kind: 'money', currency } : { kind: 'money' });

/** The kind of a field's values; computed fields by what they compute. */
export function kindOf(model: CompiledModel, definition: FieldDefinition): ColumnKind {
  switch (definition.type) {
    case 'currency':
      return money(definition.currency);
    case 'picklist':
    case 'multipicklist':
      return { kind: 'option', options: definition.options };
    case 'lookup':
      return { kind: 'lookup', to: definition.to };
    case 'multiLookup':
      return { kind: 'multiLookup', to: definition.to };
    case 'formula':
      return definition.returns === 'currency' ? money(definition.currency) : { kind: scalarKinds[definition.returns] ?? 'other' };
    case 'rollup': {
      if (definition.op === 'count') return { kind: 'number' };
      // A sum, average, least or greatest of money is money; min and max take the kind of what they
      // range over (a latest date is a date).
      const source = definition.field ? model.entities.get(definition.from)?.fields.get(definition.field)?.definition : undefined;
      const kind = source ? kindOf(model, source) : { kind: 'number' as const };
      if (kind.kind === 'money') return kind;
      if (definition.op !== 'min' && definition.op !== 'max') return { kind: 'number' };
      return { kind: kind.kind === 'date' ? 'date' : kind.kind === 'datetime' ? 'datetime' : 'number' };
    }
    default:
      return { kind: scalarKinds[definition.type] ?? 'other' };
  }
}

/** A field of `entity` or a lookup path from it: its kind and its label (hops joined with ›). */
function describe(model: CompiledModel, entity: CompiledEntity, key: string, locale: Locale): { label: string; type: ColumnKind } | undefined {
  const [head, ...rest] = key.split('.');
  const own = entity.fields.get(head!);
  if (rest.length === 0) {
    if (own) return { label: localize(own.definition.label, locale) || key, type: kindOf(model, own.definition) };
    const system = systemKinds[key];
    return system ? { label: localize(systemColumnLabels[key], locale), type: system } : undefined;
  }
  // `address.city`, `consent.givenAt`: a part of a composite field.
  if (own && own.definition.type !== 'lookup') {
    const part = rest.join('.');
    return { label: `${localize(own.definition.label, locale) || head} › ${part}`, type: own.definition.type === 'consent' ? { kind: 'datetime' } : { kind: 'text' } };
  }
  const target = own?.definition.type === 'lookup' ? model.entities.get(own.definition.to) : undefined;
  const next = target ? describe(model, target, rest.join('.'), locale) : undefined;
  return next && own ? { label: `${localize(own.definition.label, locale) || head} › ${next.label}`, type: next.type } : undefined;
}

/** The view as the caller sees it: its column paths in order, with their labels. */
function viewColumns(ctx: RequestContext, entity: CompiledEntity, viewName: string): { key: string; label?: LocalizedText }[] {
  const stored = ctx.model.set.get('view', viewName);
  if (!stored || stored['entity'] !== entity.name) return [];
  const narrowed = narrowDocument(stored, metadataViewer({ policy: ctx.policy, principal: ctx.principal, model: ctx.model }), ctx.model.set.get('entity', entity.name)) as unknown as ViewDefinition | undefined;
  return Object.entries(narrowed?.columns ?? {})
    .sort(([a, x], [b, y]) => x.order - y.order || a.localeCompare(b))
    .map(([key, column]) => ({ key, ...(column.label !== undefined ? { label: column.label } : {}) }));
}

/**
 * The columns, `id` first. Asked-for fields the caller may not read (or that do not exist: the two
 * are not told apart) are a 400 naming them, as for lists; labels that two columns share get
 * their key added, so that every header names one column.
 */
export function exportColumns(args: { ctx: RequestContext; entity: CompiledEntity; fields: string[] | undefined; view: string | undefined; locale: Locale }): ExportColumn[] {
  const { ctx, entity, locale } = args;
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const fromView = args.view !== undefined ? viewColumns(ctx, entity, args.view) : [];
  const viewLabels = new Map(fromView.map((c) => [c.key, c.label]));
  const keys = args.fields ?? (fromView.length > 0 ? fromView.map((c) => c.key) : [...entity.fields.keys()].filter((f) => readable.has(f)));
  const wanted = [...new Set(['id', ...keys])];
  // What the list API would answer for `fields=` is what may be exported (the same 400 otherwise).
  checkFieldList({ ctx, entity, fields: wanted, locale });
  const issues: IssueDetail[] = [];
  const columns: ExportColumn[] = [];
  for (const key of wanted) {
    const described = describe(ctx.model, entity, key, locale);
    if (!described) {
      issues.push({ path: '/query/fields', message: localize({ en: `"${key}" is not a field you can read`, zh: `「${key}」不是可读字段` }, locale) });
      continue;
    }
    const viewLabel = viewLabels.get(key);
    const composite = key.includes('.') && entity.fields.get(key.split('.')[0]!)?.definition.type !== 'lookup';
    const source = composite ? { source: key.split('.')[0]!, part: key.slice(key.indexOf('.') + 1) } : { source: key };
    columns.push({ key, label: viewLabel !== undefined ? localize(viewLabel, locale) || described.label : described.label, type: described.type, ...source });
  }
  if (issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, issues);
  const counts = new Map<string, number>();
  for (const column of columns) counts.set(column.label, (counts.get(column.label) ?? 0) + 1);
  return columns.map((column) => (counts.get(column.label)! > 1 ? { ...column, label: `${column.label} (${column.key})` } : column));
}
