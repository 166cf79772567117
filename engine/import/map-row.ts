// One source row → the values of one import target: value maps, cleansing, the field type's text
// parsing, JSONata transforms, defaults and lookups resolved by key. Every problem is reported with
// the column, the field, the value and the reason — the row is never half understood.

import type { CompiledEntity, CompiledField } from '../compile/compiled-model.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { parseDatetime, type ParseTextOptions } from '../fields/parse-text.ts';
import type { Clock } from '../kernel/clock.ts';
import { compactText, detailMessage } from '../kernel/detail-text.ts';
import { isCrmError } from '../kernel/errors.ts';
import { labelsOf, locales, type LocalizedText } from '../kernel/i18n.ts';
import { cleanseValue } from '../records/cleanse-values.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { HistoricalValues } from '../records/write-record.ts';
import { plainTarget, type CompiledTarget } from './import-mapping.ts';
import { textRefusal } from './text-values.ts';

export interface RowIssue {
  column?: string;
  field?: string;
  value?: string;
  /**
   * In every language where the engine words it in each (the API answers in the reader's); a plain
   * string when it reads the same in all, or for reports kept before reasons carried their languages.
   */
  reason: LocalizedText;
  /** With several targets: the index of the one whose mapping or write refused the row (a field's name alone may be any of theirs). */
  target?: number;
}

/** Several records hold the key: the row cannot say which it means. */
export const severalFound = Symbol('several records');

/** Finds the id of the record of `entity` whose `by` field holds `key` (already cleansed); undefined when none, severalFound when more than one. */
export type LookupResolver = (entity: CompiledEntity, by: string, key: string | number | boolean) => Promise<string | typeof severalFound | undefined>;

/**
 * A lookup key as its field stores it: a cell's "1042" is the number an integer title holds, "Gold"
 * the option a picklist title holds (what an export shows). Text that does not parse stays text.
 */
function typedKey(entity: CompiledEntity, field: string, text: string, options: ParseTextOptions): string | number | boolean {
  const compiled = entity.fields.get(field);
  const read = compiled?.type.parseText?.(text, compiled.definition as never, options);
  const value = read?.ok ? read.value : undefined;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : text;
}

/**
 * What a lookup column's cell is looked up by: the target entity, the key as cleansed (what a refusal
 * quotes) and as its field stores it. `raw` is a non-blank cell of a field with a lookup.
 */
export function lookupKey(target: CompiledTarget, field: string, raw: unknown, model: { entities: ReadonlyMap<string, CompiledEntity> }, parseOptions: ParseTextOptions): { to: CompiledEntity; key: unknown; typed: string | number | boolean } {
  const by = target.target.lookups![field]!.by;
  const value = mapValue(target, field, typeof raw === 'string' ? raw.trim() : raw);
  const to = model.entities.get((target.entity.fields.get(field)!.definition as { to: string }).to)!;
  const key = cleanseValue(to, by, String(value));
  return { to, key, typed: storedForm(to, by, typedKey(to, by, String(key), parseOptions)) };
}

/**
 * A key in the one form its field stores (an e-mail address in lower case, a phone number's
 * half-width digits), as an upsert key is: "Ann@Example.COM" found no
 * account stored as "ann@example.com".
 */
function storedForm(entity: CompiledEntity, field: string, key: string | number | boolean): string | number | boolean {
  const compiled = entity.fields.get(field);
  const normal = compiled?.type.normalize?.(key, compiled.definition as never);
  return typeof normal === 'string' || typeof normal === 'number' || typeof normal === 'boolean' ? normal : key;
}

/** The lookup fields of a target fed straight by a column (no transform): their keys can be read from the rows ahead. */
export function columnLookups(target: CompiledTarget): { field: string; column: string; by: string }[] {
  const lookups = target.target.lookups ?? {};
  return Object.keys(lookups).flatMap((field) => {
    const column = target.target.columns?.[field];
    return column === undefined || target.transforms.has(field) ? [] : [{ field, column, by: lookups[field]!.by }];
  });
}

export { blank as blankCell };

export interface MappedRow {
  values: RecordValues;
  issues: RowIssue[];
  history: HistoricalValues & { closedAt?: string };
  /** The target's `when` said no. */
  skipped: boolean;
  /**
   * Set by the map worker for a create of an entity whose defaults need neither caller nor clock:
   * the values with their defaults, validated by the entity's compiled validator and normalized —
   * what the write path would make of `values` on a create, so the writing thread skips those steps.
   */
  checked?: RecordValues;
  /** Fields whose mapped cell was empty, the target clearing them (`blankCells: clear`) and no default filling them. */
  cleared?: string[];
}

/** What a column's text became: the field's value, or why it was refused (in the job's language). */
type ColumnOutcome = { value: unknown } | { reason: LocalizedText };

/**
 * A job's memory of conversions: what each distinct text of a target's column became through its
 * value map, cleansing rule and text parsing — pure functions of the text for a given mapping,
 * model, time zone and language (all fixed for a job's phase), so a text seen again (a company, a
 * picklist value, a country, a phone number shared by a company's contacts) is not cleansed and
 * parsed again. Only texts whose result is a plain value (no object or list, which a row could
 * alter) are kept. Each field keeps at most `perField` texts: when full, a field whose texts were
 * seen again less than once in ten (a key, a name, an e-mail address) is no longer remembered at
 * all; any other starts afresh. Memory stays flat however long the file.
 */
export class MappingMemo {
  private readonly targets = new Map<CompiledTarget, Map<string, FieldMemo>>();
  constructor(private readonly perField = 20_000) {}

  /** The memory of one field of one target. */
  field(target: CompiledTarget, field: string): FieldMemo {
    let fields = this.targets.get(target);
    if (!fields) this.targets.set(target, (fields = new Map()));
    let memo = fields.get(field);
    if (!memo) fields.set(field, (memo = { texts: new Map(), hits: 0, off: false }));
    return memo;
  }

  remember(memo: FieldMemo, text: string, outcome: ColumnOutcome): void {
    if ('value' in outcome && outcome.value !== null && typeof outcome.value === 'object') return;
    if (memo.texts.size >= this.perField) {
      if (memo.hits * 10 < memo.texts.size) memo.off = true;
      memo.texts.clear();
      memo.hits = 0;
      if (memo.off) return;
    }
    memo.texts.set(text, outcome);
  }
}

interface FieldMemo {
  texts: Map<string, ColumnOutcome>;
  /** Texts found again since the memory last started afresh. */
  hits: number;
  /** Too few repeats to be worth remembering. */
  off: boolean;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/** A target's value map applied to a (trimmed) value: exact first, then ignoring case. */
function mapValue(target: CompiledTarget, field: string, value: unknown): unknown {
  const map = target.target.values?.[field];
  if (!map || typeof value !== 'string') return value;
  const mapped = map[value] ?? Object.entries(map).find(([from]) => from.toLowerCase() === value.toLowerCase())?.[1];
  return mapped === undefined ? value : mapped;
}

/** A value's way through the value map, the cleansing rule and the field type's text parsing. */
function convert(target: CompiledTarget, field: string, raw: unknown, parseOptions: ParseTextOptions): ColumnOutcome {
  const { entity } = target;
  // The id column (the upsert key `id`): a record id as written, kept apart from the values by the write.
  if (field === 'id') return { value: String(raw).trim() };
  let value = mapValue(target, field, typeof raw === 'string' ? raw.trim() : raw);
  const compiled = entity.fields.get(field)!;
  value = cleanseValue(entity, field, value);
  // A JSON Lines value that is an object or a list (a nested record) into a field holding one
  // scalar: said so, with the way out, rather than a schema's "must be string".
  if (value !== null && typeof value === 'object' && holdsScalar(compiled)) {
    const list = Array.isArray(value);
    return { reason: { en: `is a nested ${list ? 'list' : 'object'} in the file, not one value: map one of its ${list ? 'items' : 'keys'} with a transform (such as ${list ? 'tags[0]' : 'name.first'})`, zh: `在文件中是嵌套的${list ? '列表' : '对象'}，不是单个值：请用转换映射其中的一个${list ? '元素' : '键'}（例如 ${list ? 'tags[0]' : 'name.first'}）` } };
  }
  if (typeof value === 'string' && compiled.type.parseText) {
    const parsed = compiled.type.parseText(value, compiled.definition as never, parseOptions);
    if (!parsed.ok) return { reason: parsed.reason };
    value = parsed.value;
  } else if (typeof value === 'string') {
    const refusal = textRefusal(compiled, value, target.target.columns?.[field]);
    if (refusal) return { reason: refusal };
  }
  return { value };
}

const scalarTypes = new Set(['string', 'number', 'integer', 'boolean']);

/** Whether one value of the field is a string, number or boolean (not an object or a list). */
function holdsScalar(field: CompiledField): boolean {
  const type = field.type.valueSchema(field.definition as never)['type'];
  return typeof type === 'string' && scalarTypes.has(type);
}

/** A non-blank value of a field without a lookup, converted (through the memo when given) into `values` or `issues`. */
function takeConverted(target: CompiledTarget, field: string, raw: unknown, column: string | undefined, out: { values: RecordValues; issues: RowIssue[] }, parseOptions: ParseTextOptions, memo: MappingMemo | undefined): void {
  let outcome: ColumnOutcome | undefined;
  const remembered = memo && typeof raw === 'string' ? memo.field(target, field) : undefined;
  if (remembered && !remembered.off) {
    outcome = remembered.texts.get(raw as string);
    if (outcome !== undefined) remembered.hits++;
    else {
      outcome = convert(target, field, raw, parseOptions);
      memo!.remember(remembered, raw as string, outcome);
    }
  } else outcome = convert(target, field, raw, parseOptions);
  if ('reason' in outcome) out.issues.push({ ...(column ? { column } : {}), field, value: show(raw), reason: outcome.reason });
  else out.values[field] = outcome.value;
}

/**
 * The values of the columns mapped straight to `only` (no transform, no lookup) and their defaults,
 * synchronously: what a batch reads ahead by (batch-prefetch.ts). The same conversion as mapRow.
 */
export function mapDirectFields(args: { target: CompiledTarget; row: Record<string, unknown>; only: ReadonlySet<string>; parseOptions: ParseTextOptions; memo?: MappingMemo }): { values: RecordValues; issues: RowIssue[] } {
  const { target, row, only } = args;
  const spec = target.target;
  const out = { values: {} as RecordValues, issues: [] as RowIssue[] };
  for (const field of only) {
    if (target.transforms.has(field) || spec.lookups?.[field]) continue;
    const column = spec.columns?.[field];
    if (column !== undefined) {
      if (!(column in row) && !blank(column)) {
        out.issues.push({ column, field, reason: { en: `the file has no column "${column}"`, zh: `文件中没有「${column}」列` } });
        continue;
      }
      const raw = row[column];
      if (!blank(raw)) takeConverted(target, field, raw, column, out, args.parseOptions, args.memo);
    }
    if (out.values[field] === undefined && spec.defaults?.[field] !== undefined) out.values[field] = structuredClone(spec.defaults[field]);
  }
  return out;
}

type MapRowArgs = Parameters<typeof mapRowWaiting>[0];

/**
 * A row's values for a target. A target with no `when`, lookup or transform never waits: its row is
 * mapped on the spot and returned as is (no promise per row for the plain case, which bulk files are).
 */
export function mapRow(args: MapRowArgs): MappedRow | Promise<MappedRow> {
  const { target } = args;
  if (!plainTarget(target)) return mapRowWaiting(args);
  const out: MappedRow = { values: {}, issues: [], history: {}, skipped: false };
  mapColumns(args, out);
  mapDefaultsAndHistory(args, out);
  return out;
}

/** The plain columns (no lookup, no transform) of a row, converted through the memo. */
function mapColumns(args: MapRowArgs, out: MappedRow): void {
  const { target, row, parseOptions, memo, only } = args;
  const spec = target.target;
  for (const field in spec.columns ?? {}) {
    const column = spec.columns![field]!;
    if (target.transforms.has(field) || (only && !only.has(field)) || spec.lookups?.[field]) continue;
    if (!(column in row) && !blank(column)) {
      out.issues.push({ column, field, reason: { en: `the file has no column "${column}"`, zh: `文件中没有「${column}」列` } });
      continue;
    }
    const raw = row[column];
    if (!blank(raw)) takeConverted(target, field, raw, column, out, parseOptions, memo);
    else if (clearsBlank(target, field)) (out.cleared ??= []).push(field);
  }
}

/** An empty cell of `field` clears it on an update: the target says so and the field is no key (a blank key finds nothing). */
function clearsBlank(target: CompiledTarget, field: string): boolean {
  return target.target.blankCells === 'clear' && field !== 'id' && !target.target.key?.includes(field);
}

/** The target's defaults for fields the row left empty, and (history mode) the old system's dates and owner. */
function mapDefaultsAndHistory(args: MapRowArgs, out: MappedRow): void {
  const { target, row, only } = args;
  const spec = target.target;
  const { values, issues } = out;
  if (spec.defaults) for (const [field, value] of Object.entries(spec.defaults)) if (values[field] === undefined && (!only || only.has(field))) values[field] = structuredClone(value);
  if (out.cleared) {
    const cleared = out.cleared.filter((field) => values[field] === undefined);
    if (cleared.length > 0) out.cleared = cleared;
    else delete out.cleared;
  }
  if (args.historyMode && spec.history && !only) {
    const zone = { ...args.parseOptions, timeZone: args.parseOptions.timeZone ?? 'UTC' };
    for (const part of ['createdAt', 'closedAt'] as const) {
      const column = spec.history[part];
      const raw = column ? row[column] : undefined;
      if (blank(raw)) continue;
      const parsed = parseDatetime(String(raw), zone);
      if (parsed.ok) out.history[part] = parsed.value as string;
      else issues.push({ column: column!, value: show(raw), reason: parsed.reason });
    }
    const ownerColumn = spec.history.owner;
    if (ownerColumn && !blank(row[ownerColumn])) out.history.owner = String(row[ownerColumn]).trim();
  }
}

async function mapRowWaiting(args: {
  target: CompiledTarget;
  row: Record<string, unknown>;
  line: number;
  clock: Clock;
  parseOptions: ParseTextOptions;
  resolveLookup: LookupResolver;
  model: { entities: ReadonlyMap<string, CompiledEntity> };
  historyMode: boolean;
  /** Map only these fields (no `when`, no history): a batch's keys read ahead (batch-prefetch.ts). */
  only?: ReadonlySet<string>;
  /** What each distinct text of a column became, kept for the job (see MappingMemo). */
  memo?: MappingMemo;
}): Promise<MappedRow> {
  const { target, row, parseOptions, memo } = args;
  const spec = target.target;
  const issues: RowIssue[] = [];
  const values: RecordValues = {};
  const out: MappedRow = { values, issues, history: {}, skipped: false };
  const only = args.only;
  if (target.when && !only) {
    try {
      if ((await evaluateExpression(target.when, row, { clock: args.clock, bindings: { row: args.line }, origin: `/targets/${target.index}/when` })) !== true) return { ...out, skipped: true };
    } catch (error) {
      issues.push({ reason: errorText(error) });
      return out;
    }
  }

  // Lookups and transforms wait for the store or an expression; plain columns never do (below).
  const take = !spec.lookups && target.transforms.size === 0 ? undefined : async (field: string, raw: unknown, column?: string) => {
    if (blank(raw)) return;
    const lookup = spec.lookups?.[field];
    if (!lookup) return takeConverted(target, field, raw, column, out, parseOptions, memo);
    const { to, key, typed } = lookupKey(target, field, raw, args.model, parseOptions);
    const id = await args.resolveLookup(to, lookup.by, typed);
    // The entity and the key field by their labels: "no account with email …" reads as code.
    const named = labelsOf(to.definition.label, to.name);
    const by = labelsOf(to.fields.get(lookup.by)?.definition.label, lookup.by);
    if (id === undefined) issues.push({ ...(column ? { column } : {}), field, value: show(raw), reason: { en: `no ${named.en} with ${by.en} "${String(key)}"`, zh: `没有${by.zh}为「${String(key)}」的${named.zh}` } });
    else if (id === severalFound) issues.push({ ...(column ? { column } : {}), field, value: show(raw), reason: { en: `more than one ${named.en} has ${by.en} "${String(key)}": the row cannot say which (rename one, or give the id)`, zh: `有多条${named.zh}的${by.zh}为「${String(key)}」：无法确定是哪一条（请改名其一，或填写 ID）` } });
    else values[field] = id;
  };

  for (const field in spec.columns ?? {}) {
    const column = spec.columns![field]!;
    if (target.transforms.has(field) || (only && !only.has(field))) continue;
    if (!(column in row) && !blank(column)) {
      issues.push({ column, field, reason: { en: `the file has no column "${column}"`, zh: `文件中没有「${column}」列` } });
      continue;
    }
    const raw = row[column];
    if (blank(raw)) {
      if (clearsBlank(target, field)) (out.cleared ??= []).push(field);
      continue;
    }
    // Columns without a lookup are converted on the spot; only a lookup waits for the store.
    if (take && spec.lookups?.[field]) await take(field, raw, column);
    else takeConverted(target, field, raw, column, out, parseOptions, memo);
  }
  for (const [field, expression] of target.transforms) {
    if (only && !only.has(field)) continue;
    try {
      await take!(field, await evaluateExpression(expression, row, { clock: args.clock, bindings: { row: args.line }, origin: `/targets/${target.index}/transforms/${field}` }));
    } catch (error) {
      issues.push({ field, reason: errorText(error) });
    }
  }
  mapDefaultsAndHistory(args, out);
  return out;
}

/** What went wrong, in every language (its details, or its message when it has none): read later in the reader's language. */
export function errorText(error: unknown): LocalizedText {
  if (!isCrmError(error)) return (error as Error).message;
  if (error.details.length === 0) return error.localizedText;
  return compactText(Object.fromEntries(locales.map((locale) => [locale, error.details.map((d) => `${d.path ? `${d.path}: ` : ''}${detailMessage(d, locale)}`).join('; ')])));
}
