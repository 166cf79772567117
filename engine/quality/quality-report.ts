// The data quality report of an entity, over the records the caller may read: completeness per
// field, values invalid under the current metadata (per field: the field's own schema, and the
// entity's rules — a close date required once a deal is won — at the field each names), duplicate
// clusters of its rules, records not touched for N days, and a score (0–100) averaging those four
// fractions (100 for no records: nothing is wrong with them).

import { hasValue } from '../kernel/has-value.ts';
import type { CompiledDuplicateRule, CompiledEntity } from '../compile/compiled-model.ts';
import type { FilterNode } from '../filter/filter-tree.ts';
import type { Locale } from '../kernel/i18n.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import type { Clock } from '../kernel/clock.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { loadThroughOverlay } from '../records/through-lookups.ts';
import { checkValues } from '../records/validate-values.ts';
import { pagesById } from '../store/read-pages.ts';
import type { StoreReader } from '../store/store-port.ts';
import { findDuplicateClusters, type DuplicateCluster } from './find-duplicate-clusters.ts';

export interface QualityReport {
  entity: string;
  records: number;
  /** field → share of records with a value (0–1). */
  completeness: Record<string, number>;
  /** field → records whose value the current metadata refuses. */
  invalid: Record<string, number>;
  /** field → the first few records (by id) whose value it refuses, with that value: where to start fixing. */
  invalidExamples: Record<string, { id: string; value: unknown }[]>;
  invalidRecords: number;
  duplicates: { clusters: number; records: number; items: DuplicateCluster[] };
  stale: { days: number; records: number };
  score: number;
}

const pageSize = 2000;
const examplesPerField = 5;
/** Records not updated for this many days count as stale unless the caller says otherwise. */
export const defaultStaleDays = 180;
const round = (n: number) => Math.round(n * 1000) / 1000;

export async function buildQualityReport(args: { reader: StoreReader; entity: CompiledEntity; scope: FilterNode; now: Date; clock: Clock; staleDays: number; locale: Locale; rules: readonly CompiledDuplicateRule[]; fields: ReadonlySet<string> }): Promise<QualityReport> {
  const { reader, entity, scope } = args;
  // Only the fields the caller may read: the score, the invalid records and the widget counted over
  // a hidden one moved when only it changed, telling its values over a scope narrowed far enough.
  const all = [...entity.valueFields];
  const fields = all.filter((f) => args.fields.has(f));
  const filled = new Map<string, number>(fields.map((f) => [f, 0]));
  const invalid: Record<string, number> = {};
  const invalidExamples: Record<string, { id: string; value: unknown }[]> = {};
  let records = 0;
  let invalidRecords = 0;
  let stale = 0;
  const cutoff = new Date(args.now.getTime() - args.staleDays * 86_400_000).toISOString();
  for await (const page of pagesById(reader, entity.name, scope, pageSize)) {
    for (const record of page) {
      records++;
      const values: Record<string, unknown> = {};
      for (const f of all) {
        const v = record.data[f];
        if (!hasValue(v)) continue;
        if (filled.has(f)) filled.set(f, filled.get(f)! + 1);
        values[f] = v;
      }
      // An issue at a field the caller may not read is none of theirs; a rule that names no field
      // counts for the record only (its message is what a write of the record would say to them).
      const issues = [...checkValues(entity, values, args.locale), ...(await brokenRules(entity, record.data, args.reader, args.clock))].filter((i) => {
        const field = i.path.split('/')[1];
        return field === undefined || field === '' || args.fields.has(field);
      });
      if (issues.length > 0) invalidRecords++;
      for (const field of new Set(issues.flatMap((i) => i.path.split('/')[1] || []))) {
        invalid[field] = (invalid[field] ?? 0) + 1;
        const examples = (invalidExamples[field] ??= []);
        if (examples.length < examplesPerField) examples.push({ id: record.id, value: record.data[field] ?? null });
      }
      if (typeof record.data['updatedAt'] === 'string' && record.data['updatedAt'] < cutoff) stale++;
    }
  }
  const clusters = await findDuplicateClusters({ reader, entity, rules: args.rules, scope, locale: args.locale });
  const duplicated = new Set(clusters.flatMap((c) => c.ids)).size;
  const completeness = Object.fromEntries(fields.map((f) => [f, records === 0 ? 1 : round(filled.get(f)! / records)]));
  const share = (n: number) => (records === 0 ? 0 : n / records);
  const meanCompleteness = fields.length === 0 ? 1 : fields.reduce((sum, f) => sum + completeness[f]!, 0) / fields.length;
  const score = Math.round(((meanCompleteness + (1 - share(invalidRecords)) + (1 - share(duplicated)) + (1 - share(stale))) / 4) * 100);
  return { entity: entity.name, records, completeness, invalid, invalidExamples, invalidRecords, duplicates: { clusters: clusters.length, records: duplicated, items: clusters }, stale: { days: args.staleDays, records: stale }, score };
}

/** The entity's rules a stored record breaks, each at its field's pointer (or the record's). */
async function brokenRules(entity: CompiledEntity, data: RecordValues, reader: StoreReader, clock: Clock): Promise<{ path: string }[]> {
  if (entity.rules.length === 0) return [];
  const through = await loadThroughOverlay(entity, data, reader);
  const input = through ? { ...data, ...through } : data;
  const broken: { path: string }[] = [];
  for (const rule of entity.rules) {
    // A rule that fails to evaluate on a record would refuse its next write; the report says nothing it cannot show.
    const result = await evaluateExpression(rule.when, input, { clock, origin: `/rules/${rule.name}/when` }).catch(() => false);
    if (result === true) broken.push({ path: rule.field ? `/${rule.field}` : '' });
  }
  return broken;
}

/**
 * The duplicate rules whose every field the caller may read: the only ones their report, widget and
 * duplicates page count or list. A cluster by a hidden field — even its count — would tell them
 * which records share its value (or, for a fuzzy rule, how alike they are).
 */
export function readableDuplicateRules(ctx: RequestContext, entity: CompiledEntity): readonly CompiledDuplicateRule[] {
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  return entity.duplicateRules.filter((r) => r.match.every((field) => readable.has(field)));
}

/**
 * The report as a reader sees it: completeness, invalid counts and examples only for the fields they
 * may read (an example carries the value). It was built over those fields (its score and invalid
 * records) and the rules they may read (its duplicates: readableDuplicateRules).
 */
export function readableReport(report: QualityReport, readable: ReadonlySet<string>): QualityReport {
  const only = <T>(byField: Record<string, T>) => Object.fromEntries(Object.entries(byField).filter(([field]) => readable.has(field)));
  return { ...report, completeness: only(report.completeness), invalid: only(report.invalid), invalidExamples: only(report.invalidExamples) };
}
