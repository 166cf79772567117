// A field's type change as one refactoring: the entity with the field's new definition, and every
// stored value converted to the new type in the transaction that commits the revision. The preview
// counts, over the stored records, the values that convert, those that cannot (failing: cleared on
// apply, or the change refused), and those that convert with a loss (rounded, shortened). The counts
// come from the same walk that converts (convertStoredField), run by the one shared dry run.

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { parseDate, parseDatetime } from '../fields/parse-text.ts';
import { eachStoredRecord } from '../records/check-existing-records.ts';
import type { Locale } from '../kernel/i18n.ts';
import { checkValues } from '../records/validate-values.ts';
import type { StoreReader, StoreTransaction } from '../store/store-port.ts';

export interface TypeChangePreview {
  records: number;
  /** Records holding a value in the field. */
  withValue: number;
  /** Values that convert (including those that stay as they are). */
  converting: number;
  /** Values that cannot convert: cleared on apply (onFailure "clear") or the change is refused. */
  failing: number;
  /** Values that convert with a loss: rounded, shortened, split parts dropped. */
  lost: number;
  /** Records whose stored value changes: converted, or cleared (failing or empty values). What apply rewrites. */
  changed: number;
  /** A few conversions, failing ones first. */
  examples: { id: string; from: unknown; to?: unknown; reason?: string }[];
  /** Failing values by how often they occur (the options a picklist may still need). */
  unmatched: { value: string; count: number }[];
}

interface Converted {
  ok: boolean;
  value?: unknown;
  lossy?: boolean;
  reason?: string;
}

const textTypes = new Set(['text', 'textarea', 'email', 'phone', 'url']);
const numberTypes = new Set(['number', 'currency', 'percent', 'integer']);

const asText = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

function optionMatcher(options: Record<string, { label?: unknown }>): (text: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const [key, option] of Object.entries(options)) {
    byKey.set(key.toLowerCase(), key);
    const label = option.label;
    const labels = typeof label === 'string' ? [label] : label && typeof label === 'object' ? Object.values(label as Record<string, string>) : [];
    for (const l of labels) if (typeof l === 'string' && !byKey.has(l.trim().toLowerCase())) byKey.set(l.trim().toLowerCase(), key);
  }
  return (text) => (text in options ? text : byKey.get(text.trim().toLowerCase()));
}

/** How one stored value becomes a value of the new definition (before the new field's own checks). */
function converterFor(definition: Record<string, unknown>): (value: unknown) => Converted {
  const type = String(definition['type']);
  if (type === 'picklist' || type === 'multipicklist') {
    const match = optionMatcher((definition['options'] ?? {}) as Record<string, { label?: unknown }>);
    if (type === 'picklist') {
      return (value) => {
        const key = match(asText(value));
        return key === undefined ? { ok: false, reason: 'no option matches' } : { ok: true, value: key };
      };
    }
    return (value) => {
      const parts = Array.isArray(value) ? value.map(asText) : asText(value).split(/[,;，；]/).map((s) => s.trim()).filter(Boolean);
      const keys = parts.map(match);
      if (keys.some((k) => k === undefined)) return { ok: false, reason: 'no option matches' };
      return { ok: true, value: [...new Set(keys as string[])] };
    };
  }
  if (textTypes.has(type)) {
    const max = typeof definition['maxLength'] === 'number' ? definition['maxLength'] : undefined;
    return (value) => {
      const text = asText(value);
      return max !== undefined && text.length > max ? { ok: true, value: text.slice(0, max), lossy: true } : { ok: true, value: text };
    };
  }
  if (numberTypes.has(type)) {
    return (value) => {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[\s,，¥$€£%]/g, '')) : typeof value === 'boolean' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) return { ok: false, reason: 'not a number' };
      if (type === 'integer' && !Number.isInteger(n)) return { ok: true, value: Math.round(n), lossy: true };
      const scale = typeof definition['scale'] === 'number' ? definition['scale'] : type === 'currency' ? 2 : undefined;
      if (scale !== undefined) {
        const rounded = Math.round(n * 10 ** scale) / 10 ** scale;
        return { ok: true, value: rounded, lossy: rounded !== n };
      }
      return { ok: true, value: n };
    };
  }
  if (type === 'boolean') {
    const yes = new Set(['true', 'yes', 'y', '1', 'on', '是', '对']);
    const no = new Set(['false', 'no', 'n', '0', 'off', '否', '不']);
    return (value) => {
      if (typeof value === 'boolean') return { ok: true, value };
      const text = asText(value).trim().toLowerCase();
      if (yes.has(text)) return { ok: true, value: true };
      if (no.has(text)) return { ok: true, value: false };
      return { ok: false, reason: 'not yes or no' };
    };
  }
  if (type === 'date' || type === 'datetime') {
    // Read as an import reads a date column (fields/parse-text.ts), not by Date.parse: V8's fallback
    // parser takes almost anything — "Room 12" as 2001-12-01, 1.5 as 2001-01-05, 2024-02-30 as
    // March 1st — and the values would convert silently into days nobody wrote. A number is no date.
    return (value) => {
      if (typeof value !== 'string') return { ok: false, reason: 'not a date' };
      const text = value.trim();
      // A datetime's instant: its day as written (UTC, as stored); the time of day is what is lost.
      const instant = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}/.exec(text);
      if (type === 'date') {
        const day = parseDate(instant ? instant[1]! : text);
        return day.ok ? { ok: true, value: day.value, lossy: instant !== null } : { ok: false, reason: 'not a date' };
      }
      // A day alone is its midnight in UTC, as Date.parse read it before.
      const moment = parseDatetime(text, { timeZone: 'UTC' });
      return moment.ok ? { ok: true, value: moment.value } : { ok: false, reason: 'not a date' };
    };
  }
  return (value) => ({ ok: true, value });
}

/** Types a stored value cannot be converted into: computed ones (the designer adds those as new fields). */
export const notConvertible = new Set(['formula', 'rollup', 'autonumber', 'lookup', 'polymorphicLookup', 'multiLookup', 'user', 'address', 'consent', 'file']);

/** The conversion of one record's value, checked against the new compiled entity's own rules for the field. */
export function planConversion(next: CompiledEntity, field: string, locale: Locale): (value: unknown) => Converted {
  const definition = next.fields.get(field)!.definition as unknown as Record<string, unknown>;
  const convert = converterFor(definition);
  return (value) => {
    const out = convert(value);
    if (!out.ok) return out;
    const issues = checkValues(next, { [field]: out.value }, locale).filter((i) => i.path === `/${field}` || i.path.startsWith(`/${field}/`));
    return issues.length > 0 ? { ok: false, reason: issues[0]!.message } : out;
  };
}

/**
 * The records' side of a type change, one walk for the dry run and for apply: counts every stored
 * value (converting, failing, lost) and, with `write`, rewrites each record whose value changes —
 * converted, or cleared when it cannot convert or is empty. The dry run runs it in a transaction it
 * rolls back (designer/refactoring.ts), so its counts are what apply does.
 */
export async function convertStoredField(args: { store: Pick<StoreReader, 'find'> | StoreTransaction; write: boolean; model: CompiledModel; entity: string; field: string; locale: Locale }): Promise<TypeChangePreview> {
  const { write, model, entity, field } = args;
  const tx = args.store as StoreTransaction;
  const convert = planConversion(model.entities.get(entity)!, field, args.locale);
  const preview: TypeChangePreview = { records: 0, withValue: 0, converting: 0, failing: 0, lost: 0, changed: 0, examples: [], unmatched: [] };
  const failingExamples: TypeChangePreview['examples'] = [];
  const okExamples: TypeChangePreview['examples'] = [];
  const unmatched = new Map<string, number>();
  await eachStoredRecord(args.store, entity, async (row) => {
    preview.records++;
    const value = row.data[field];
    if (value === undefined || value === null) return;
    let next: { ok: boolean; value?: unknown } = { ok: false };
    if (value !== '') {
      preview.withValue++;
      next = convert(value);
      if (!next.ok) {
        preview.failing++;
        const text = asText(value);
        unmatched.set(text, (unmatched.get(text) ?? 0) + 1);
        if (failingExamples.length < 5) failingExamples.push({ id: row.id, from: value, reason: (next as Converted).reason ?? '' });
      } else {
        preview.converting++;
        if ((next as Converted).lossy) preview.lost++;
        if (okExamples.length < 5) okExamples.push({ id: row.id, from: value, to: next.value });
      }
    }
    // Empty text and failing values are cleared; a value that converts to itself stays as it is.
    if (next.ok && JSON.stringify(next.value) === JSON.stringify(value)) return;
    preview.changed++;
    if (!write) return;
    const data = { ...row.data };
    if (next.ok) data[field] = next.value;
    else delete data[field];
    await tx.replace(entity, { ...row, version: row.version + 1, revision: model.revision, data }, row.version);
  });
  preview.examples = [...failingExamples, ...okExamples].slice(0, 5);
  preview.unmatched = [...unmatched.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50).map(([value, count]) => ({ value, count }));
  return preview;
}
