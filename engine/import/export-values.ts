// The values of a human-readable export: each value as a typed cell (text, number, yes/no, date,
// instant, a list of texts) — options by their label, linked records by their title, users by
// their name. Titles are read per page in one list call per target entity (chunks of 500 ids),
// through the records API as the caller: a record or title field they may not read has no title,
// and its id is shown instead (the id is what the caller already reads in the lookup field).

import type { CompiledModel } from '../compile/compiled-model.ts';
import { linkIds } from '../fields/link-values.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { formatMoney } from '../kernel/money.ts';
import { localDateTime } from '../kernel/time-zones.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { findUsersByIds } from '../security/user-store.ts';
import type { StoreReader } from '../store/store-port.ts';
import { kindOf, type ColumnKind, type ExportColumn } from './export-columns.ts';

/** One value as a file shows it; each format writes each kind its own way. */
export type Cell =
  | { t: 'empty' }
  | { t: 'text'; text: string }
  | { t: 'number'; value: number }
  /** An amount in a known currency: text with its sign in CSV, a number formatted as money in XLSX. */
  | { t: 'money'; value: number; currency: string }
  | { t: 'boolean'; value: boolean }
  /** `YYYY-MM-DD`. */
  | { t: 'date'; date: string }
  /** An ISO instant, shown at the organisation's wall-clock time. */
  | { t: 'datetime'; iso: string }
  | { t: 'texts'; items: string[] };

/** Titles of linked records (entity → id → title) and people's names (id → name) for one page. */
export interface PageNames {
  titles: Map<string, Map<string, string>>;
  people: Map<string, string>;
}

export interface DisplayContext {
  model: CompiledModel;
  locale: Locale;
  timeZone: string;
  /** The organisation's currency (CRM_CURRENCY): what an amount whose field names none is in. */
  currency?: string | undefined;
  names: PageNames;
}

/** The value of a column in a record as the records API answered it. */
export function valueOf(column: ExportColumn, item: RecordValues): unknown {
  const value = item[column.source];
  if (column.part === undefined) return value;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[column.part] : undefined;
}

const maxIdsPerQuery = 500;
const noNames: PageNames = { titles: new Map(), people: new Map() };

/** What the lookups and user fields of a page point at, read in bulk. */
export async function resolvePageNames(args: { ctx: RequestContext; records: RecordService; store: StoreReader; columns: readonly ExportColumn[]; items: readonly RecordValues[]; locale: Locale; timeZone: string; currency?: string | undefined }): Promise<PageNames> {
  const wanted = new Map<string, Set<string>>();
  const people = new Set<string>();
  const want = (entity: string, id: unknown) => {
    if (typeof id !== 'string') return;
    let ids = wanted.get(entity);
    if (!ids) wanted.set(entity, (ids = new Set()));
    ids.add(id);
  };
  for (const column of args.columns) {
    const type = column.type;
    for (const item of args.items) {
      const value = valueOf(column, item);
      if (value === undefined || value === null) continue;
      if (type.kind === 'lookup') want(type.to, value);
      else if (type.kind === 'multiLookup') for (const id of linkIds(value)) want(type.to, id);
      else if (type.kind === 'polymorphic' && typeof value === 'object') want(String((value as { entity?: unknown }).entity), (value as { id?: unknown }).id);
      else if (type.kind === 'user' && typeof value === 'string') people.add(value);
    }
  }
  const titles = new Map<string, Map<string, string>>();
  for (const [entity, ids] of wanted) titles.set(entity, await titlesOf({ ...args, entityName: entity, ids: [...ids] }));
  const users = await findUsersByIds(args.store, [...people]);
  return { titles, people: new Map(users.map((u) => [u.id, u.name || u.email])) };
}

async function titlesOf(args: { ctx: RequestContext; records: RecordService; entityName: string; ids: string[]; locale: Locale; timeZone: string; currency?: string | undefined }): Promise<Map<string, string>> {
  const { ctx, records, entityName, ids, locale, timeZone, currency } = args;
  const out = new Map<string, string>();
  const target = ctx.model.entities.get(entityName);
  const titleField = target?.definition.titleField;
  if (!target || !titleField) return out;
  try {
    ctx.policy.assertEntityAction(ctx.principal, target, 'read');
  } catch {
    return out;
  }
  const definition = target.fields.get(titleField)?.definition;
  if (!definition || !ctx.policy.readableFields(ctx.principal, target).has(titleField)) return out;
  const type = kindOf(ctx.model, definition);
  for (let i = 0; i < ids.length; i += maxIdsPerQuery) {
    const chunk = ids.slice(i, i + maxIdsPerQuery);
    const page = await records.list(ctx, entityName, { filter: { id: { $in: chunk } }, fields: ['id', titleField], limit: chunk.length });
    for (const item of page.items) {
      // A title is shown as text: an option's label, a date; never resolved a second time.
      const text = cellText(displayCell(type, item[titleField], { model: ctx.model, locale, timeZone, currency, names: noNames }), locale, timeZone);
      if (text !== '') out.set(String(item.id), text);
    }
  }
  return out;
}

/** A value with no field type to go by: as the JSON it is, lists element by element. */
export function rawCell(value: unknown): Cell {
  if (value === undefined || value === null || value === '') return { t: 'empty' };
  if (typeof value === 'number') return { t: 'number', value };
  if (typeof value === 'boolean') return { t: 'boolean', value };
  if (typeof value === 'string') return { t: 'text', text: value };
  if (Array.isArray(value)) return { t: 'texts', items: value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))) };
  return { t: 'text', text: JSON.stringify(value) };
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A value as a person reads it, by its column's kind; anything unexpected falls back to rawCell. */
export function displayCell(type: ColumnKind, value: unknown, env: DisplayContext): Cell {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { t: 'empty' };
  const { locale, names } = env;
  switch (type.kind) {
    case 'number':
      return typeof value === 'number' ? { t: 'number', value } : rawCell(value);
    case 'money': {
      // The field's own currency, else the organisation's; with neither, a plain number as before.
      const currency = type.currency ?? env.currency;
      if (typeof value !== 'number') return rawCell(value);
      return currency !== undefined ? { t: 'money', value, currency } : { t: 'number', value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { t: 'boolean', value } : rawCell(value);
    case 'date':
      return typeof value === 'string' && isoDate.test(value) ? { t: 'date', date: value } : rawCell(value);
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? { t: 'datetime', iso: value } : rawCell(value);
    case 'option': {
      const label = (key: unknown) => localize(type.options[String(key)]?.label, locale) || String(key);
      return Array.isArray(value) ? { t: 'texts', items: value.map(label) } : { t: 'text', text: label(value) };
    }
    case 'lookup':
      return { t: 'text', text: names.titles.get(type.to)?.get(String(value)) ?? String(value) };
    case 'multiLookup':
      return { t: 'texts', items: linkIds(value).map((id) => names.titles.get(type.to)?.get(id) ?? id) };
    case 'polymorphic': {
      const { entity, id } = value as { entity?: unknown; id?: unknown };
      if (typeof entity !== 'string' || typeof id !== 'string') return rawCell(value);
      const entityLabel = localize(env.model.entities.get(entity)?.definition.label, locale) || entity;
      return { t: 'text', text: `${entityLabel}: ${names.titles.get(entity)?.get(id) ?? id}` };
    }
    case 'user':
      return { t: 'text', text: names.people.get(String(value)) ?? String(value) };
    case 'file': {
      const files = Array.isArray(value) ? value : [value];
      return { t: 'texts', items: files.map((f) => (f !== null && typeof f === 'object' ? String((f as { name?: unknown }).name ?? (f as { id?: unknown }).id ?? '') : String(f))) };
    }
    case 'address':
      return typeof value === 'object' && !Array.isArray(value) ? { t: 'text', text: Object.values(value as Record<string, unknown>).filter((v) => typeof v === 'string' && v !== '').join(', ') } : rawCell(value);
    case 'consent': {
      const { givenAt, withdrawnAt } = value as { givenAt?: unknown; withdrawnAt?: unknown };
      const at = (iso: unknown) => (typeof iso === 'string' ? wallClock(iso, env.timeZone) : '');
      if (typeof withdrawnAt === 'string') return { t: 'text', text: localize({ en: `Withdrawn ${at(withdrawnAt)}`, zh: `已撤回 ${at(withdrawnAt)}` }, locale) };
      return typeof givenAt === 'string' ? { t: 'text', text: localize({ en: `Given ${at(givenAt)}`, zh: `已同意 ${at(givenAt)}` }, locale) } : rawCell(value);
    }
    case 'list':
      return Array.isArray(value) ? { t: 'texts', items: value.map(String) } : rawCell(value);
    case 'text':
      return typeof value === 'string' ? { t: 'text', text: value } : rawCell(value);
    default:
      return rawCell(value);
  }
}

/** `YYYY-MM-DD HH:MM:SS` at the zone's wall clock. */
export function wallClock(iso: string, timeZone: string): string {
  return (localDateTime(iso, timeZone) ?? iso).replace('T', ' ');
}

/** A cell as plain text (titles, CSV before neutralizing). */
export function cellText(cell: Cell, locale: Locale, timeZone: string): string {
  switch (cell.t) {
    case 'empty':
      return '';
    case 'text':
      return cell.text;
    case 'number':
      return String(cell.value);
    case 'money':
      return formatMoney(cell.value, locale, cell.currency);
    case 'boolean':
      return localize(cell.value ? { en: 'Yes', zh: '是' } : { en: 'No', zh: '否' }, locale);
    case 'date':
      return cell.date;
    case 'datetime':
      return wallClock(cell.iso, timeZone);
    case 'texts':
      return cell.items.join('; ');
  }
}
