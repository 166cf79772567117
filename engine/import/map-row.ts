// One source row → the values of one import target: value maps, cleansing, the field type's text
// parsing, JSONata transforms, defaults and lookups resolved by key. Every problem is reported with
// the column, the field, the value and the reason — the row is never half understood.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { parseDatetime, type ParseTextOptions } from '../fields/parse-text.ts';
import type { Clock } from '../kernel/clock.ts';
import { isCrmError } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { cleanseValue } from '../records/cleanse-values.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { HistoricalValues } from '../records/write-record.ts';
import type { CompiledTarget } from './import-mapping.ts';

export interface RowIssue {
  column?: string;
  field?: string;
  value?: string;
  reason: string;
}

/** Finds the id of the record of `entity` whose `by` field holds `key` (already cleansed); undefined when none. */
export type LookupResolver = (entity: CompiledEntity, by: string, key: string) => Promise<string | undefined>;

export interface MappedRow {
  values: RecordValues;
  issues: RowIssue[];
  history: HistoricalValues & { closedAt?: string };
  /** The target's `when` said no. */
  skipped: boolean;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

export async function mapRow(args: {
  target: CompiledTarget;
  row: Record<string, unknown>;
  line: number;
  clock: Clock;
  locale: Locale;
  parseOptions: ParseTextOptions;
  resolveLookup: LookupResolver;
  model: { entities: ReadonlyMap<string, CompiledEntity> };
  historyMode: boolean;
  /** Map only these fields (no `when`, no history): a batch's keys read ahead (batch-prefetch.ts). */
  only?: ReadonlySet<string>;
}): Promise<MappedRow> {
  const { target, row, locale } = args;
  const { entity } = target;
  const spec = target.target;
  const issues: RowIssue[] = [];
  const values: RecordValues = {};
  const out: MappedRow = { values, issues, history: {}, skipped: false };
  const evaluate = async (source: (typeof target)['when'], origin: string) => evaluateExpression(source!, row, { clock: args.clock, bindings: { row: args.line }, origin });

  const only = args.only;
  if (target.when && !only) {
    try {
      if ((await evaluate(target.when, `/targets/${target.index}/when`)) !== true) return { ...out, skipped: true };
    } catch (error) {
      issues.push({ reason: errorText(error, locale) });
      return out;
    }
  }

  const take = async (field: string, raw: unknown, column?: string) => {
    if (blank(raw)) return;
    const where = { ...(column ? { column } : {}), field, value: show(raw) };
    let value: unknown = typeof raw === 'string' ? raw.trim() : raw;
    const map = spec.values?.[field];
    if (map && typeof value === 'string') {
      const mapped = map[value] ?? Object.entries(map).find(([from]) => from.toLowerCase() === (value as string).toLowerCase())?.[1];
      if (mapped !== undefined) value = mapped;
    }
    const compiled = entity.fields.get(field)!;
    const lookup = spec.lookups?.[field];
    if (lookup) {
      const to = args.model.entities.get((compiled.definition as { to: string }).to)!;
      const key = cleanseValue(to, lookup.by, String(value));
      const id = await args.resolveLookup(to, lookup.by, String(key));
      if (id === undefined) issues.push({ ...where, reason: localize({ en: `no ${to.name} with ${lookup.by} "${String(key)}"`, zh: `没有${lookup.by}为「${String(key)}」的${to.name}` }, locale) });
      else values[field] = id;
      return;
    }
    value = cleanseValue(entity, field, value);
    if (typeof value === 'string' && compiled.type.parseText) {
      const parsed = compiled.type.parseText(value, compiled.definition as never, args.parseOptions);
      if (!parsed.ok) return void issues.push({ ...where, reason: localize(parsed.reason, locale) });
      value = parsed.value;
    }
    values[field] = value;
  };

  for (const [field, column] of Object.entries(spec.columns ?? {})) {
    if (target.transforms.has(field) || (only && !only.has(field))) continue;
    if (!(column in row) && !blank(column)) {
      issues.push({ column, field, reason: localize({ en: `the file has no column "${column}"`, zh: `文件中没有「${column}」列` }, locale) });
      continue;
    }
    await take(field, row[column], column);
  }
  for (const [field, expression] of target.transforms) {
    if (only && !only.has(field)) continue;
    try {
      await take(field, await evaluate(expression, `/targets/${target.index}/transforms/${field}`));
    } catch (error) {
      issues.push({ field, reason: errorText(error, locale) });
    }
  }
  for (const [field, value] of Object.entries(spec.defaults ?? {})) if (values[field] === undefined && (!only || only.has(field))) values[field] = structuredClone(value);

  if (args.historyMode && spec.history && !only) {
    const zone = { timeZone: args.parseOptions.timeZone ?? 'UTC' };
    for (const part of ['createdAt', 'closedAt'] as const) {
      const column = spec.history[part];
      const raw = column ? row[column] : undefined;
      if (blank(raw)) continue;
      const parsed = parseDatetime(String(raw), zone);
      if (parsed.ok) out.history[part] = parsed.value as string;
      else issues.push({ column: column!, value: show(raw), reason: localize(parsed.reason, locale) });
    }
    const ownerColumn = spec.history.owner;
    if (ownerColumn && !blank(row[ownerColumn])) out.history.owner = String(row[ownerColumn]).trim();
  }
  return out;
}

export function errorText(error: unknown, locale: Locale): string {
  if (isCrmError(error)) {
    const details = error.details.map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`).join('; ');
    return details || error.localizedMessage(locale);
  }
  return (error as Error).message;
}
