// The data quality report of an entity, over the records and fields the caller may read: completeness per
// field, values invalid under the current metadata (per field: the field's own schema, and the
// entity's rules — a close date required once a deal is won — at the field each names), duplicate
// clusters of its rules, records not touched for N days, and a score (0–100) averaging those four
// fractions (100 for no records: nothing is wrong with them). A field the caller may not read counts
// nowhere — not in completeness, not in the invalid records, not in the score — for even a count
// would tell them something about its values.

import { hasValue } from '../kernel/has-value.ts';
import type { CompiledDuplicateRule, CompiledEntity, CompiledRule } from '../compile/compiled-model.ts';
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

export async function buildQualityReport(args: { reader: StoreReader; entity: CompiledEntity; scope: FilterNode; now: Date; clock: Clock; staleDays: number; locale: Locale; rules: readonly CompiledDuplicateRule[]; readable: ReadonlySet<string> }): Promise<QualityReport> {
  const { reader, entity, scope, readable } = args;
  const fields = [...entity.valueFields].filter((f) => readable.has(f));
  // A rule counts when the caller may read its field and every field it reads.
  const rules = entity.rules.filter((r) => (r.field === undefined || readable.has(r.field)) && [...r.when.rootReferences].every((name) => readable.has(name)));
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
      for (const f of fields) {
        const v = record.data[f];
        if (!hasValue(v)) continue;
        filled.set(f, filled.get(f)! + 1);
        values[f] = v;
      }
      // A required field the caller may not read is absent from `values`: its issue is not theirs to see.
      const issues = [...checkValues(entity, values, args.locale).filter((i) => readable.has(i.path.split('/')[1] ?? '')), ...(await brokenRules(entity, rules, record.data, args.reader, args.clock))];
      if (issues.length > 0) invalidRecords++;
      // A rule that names no field counts for the record only.
      for (const field of new Set(issues.flatMap((i) => i.path.split('/')[1] ?? []))) {
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
async function brokenRules(entity: CompiledEntity, rules: readonly CompiledRule[], data: RecordValues, reader: StoreReader, clock: Clock): Promise<{ path: string }[]> {
  if (rules.length === 0) return [];
  const through = await loadThroughOverlay(entity, data, reader);
  const input = through ? { ...data, ...through } : data;
  const broken: { path: string }[] = [];
  for (const rule of rules) {
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

