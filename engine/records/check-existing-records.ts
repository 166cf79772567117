// For a metadata dry run: how many of an entity's stored records a new compiled entity would
// refuse on their next write (schema and rules; lookups are not re-checked), with a few examples,
// and how many hold a value for each field the new definition removes (values an admin loses sight of).

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { hasValue } from '../kernel/has-value.ts';
import { internalField, matchAll, type FilterNode, type KeysetPosition } from '../filter/filter-tree.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';
import { applyDefaults, checkRules, computeFormulas } from './compute-values.ts';
import { loadThroughOverlay } from './through-lookups.ts';
import type { RequestContext } from './request-context.ts';
import { checkValues } from './validate-values.ts';
import { publicDetails } from '../kernel/detail-text.ts';

export interface RecordImpact {
  entity: string;
  records: number;
  invalid: number;
  examples: { id: string; issues: IssueDetail[] }[];
  /** Fields the change removes, each with the records holding a value for it. Absent when none is removed. */
  removedFields?: { field: string; records: number }[];
  /** Records the change puts in a workflow state: without a value, into the initial state; in a removed state, by `stateMapping`. Absent when none moves. */
  stateMoves?: StateMove[];
  /** Records whose formulas, defaults and rules were not evaluated, as an expression ran away on an earlier one. Absent when every record was. */
  unchecked?: number;
}

/** Records a metadata change moves into a workflow state (`from` absent: they had no value). */
export interface StateMove {
  entity: string;
  workflow: string;
  field: string;
  from?: string;
  to: string;
  records: number;
}

const batchSize = 500;

/** The issues a stored record would meet on its next write: schema and rules (not lookups). */
export async function checkStoredRecord(entity: CompiledEntity, row: StoredRecord, ctx: RequestContext, reader?: Pick<StoreReader, 'get'>): Promise<IssueDetail[]> {
  return (await checkOneStoredRecord(entity, row, ctx, reader, true)).issues;
}

/**
 * `expressions` false: the schema only (a scan whose expressions ran away on an earlier record).
 * `ranAway`: a formula, default or rule hit its time or size bound on this record.
 */
async function checkOneStoredRecord(entity: CompiledEntity, row: StoredRecord, ctx: RequestContext, reader: Pick<StoreReader, 'get'> | undefined, expressions: boolean): Promise<{ issues: IssueDetail[]; ranAway: boolean }> {
  const values = Object.fromEntries([...entity.valueFields].filter((f) => row.data[f] !== undefined).map((f) => [f, row.data[f]]));
  try {
    const withDefaults = expressions ? await applyDefaults(entity, values, ctx, 'update') : values;
    const issues = checkValues(entity, withDefaults, ctx.locale);
    if (issues.length > 0 || !expressions) return { issues: publicDetails(issues, ctx.locale), ranAway: false };
    const complete = { ...row.data, ...withDefaults };
    // Formulas and rules that read through lookups see the targets as a write would.
    const through = reader ? await loadThroughOverlay(entity, complete, reader) : undefined;
    await computeFormulas(entity, complete, ctx, through);
    return { issues: publicDetails(await checkRules(entity, complete, ctx, through), ctx.locale), ranAway: false };
  } catch (error) {
    // A formula or rule that fails on this record: where, and why, as its write would be told.
    if (error instanceof CrmError && error.details.length > 0) return { issues: publicDetails(error.details, ctx.locale), ranAway: error.code === 'EXPR_TIMEOUT' };
    return { issues: [{ path: '', message: (error as Error).message }], ranAway: false };
  }
}

/**
 * Every stored record of a collection, in id-ordered pages (a page in memory at a time): the dry
 * run's scans and every rewrite of stored records (refactorings, removed fields' values) walk this way.
 * `filter`: only the documents matching it — a visit may change a document so that it no longer
 * matches, as the next page starts after the last id seen.
 */
export async function eachStoredRecord(reader: Pick<StoreReader, 'find'>, entity: string, visit: (row: StoredRecord) => void | Promise<void>, filter: FilterNode = matchAll): Promise<void> {
  let after: KeysetPosition | undefined;
  for (;;) {
    const rows = await reader.find(entity, { filter, sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after } : {}) });
    for (const row of rows) await visit(row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { values: [last.id], id: last.id };
  }
}

/** `store` may be a transaction: the records as a change being applied leaves them. */
export async function checkExistingRecords(store: Pick<StoreReader, 'find' | 'get'>, ctx: RequestContext, entity: CompiledEntity): Promise<RecordImpact> {
  const impact: RecordImpact = { entity: entity.name, records: 0, invalid: 0, examples: [] };
  // An expression that runs away takes its whole time bound (a second) on each record: over every
  // stored record the dry run would take hours and hold the server. After the first, the rest are
  // checked against the schema alone and counted as unchecked; the runaway is the record's issue.
  let expressions = true;
  await eachStoredRecord(store, entity.name, async (row) => {
    impact.records++;
    if (!expressions) impact.unchecked = (impact.unchecked ?? 0) + 1;
    const { issues, ranAway } = await checkOneStoredRecord(entity, row, ctx, store, expressions);
    if (ranAway) expressions = false;
    if (issues.length > 0) {
      impact.invalid++;
      if (impact.examples.length < 5) impact.examples.push({ id: row.id, issues });
    }
  });
  return impact;
}

export type RemovedValues = ReadonlyMap<string, { field: string; records: number }[]>;

/**
 * Per entity: each field `previous` stores values for that `next` no longer does — gone, or now
 * computed (a formula's values replace the stored ones) — with the records holding a value for it.
 * Count on the records as they are before the change's apply hooks (those recompute computed fields).
 */
export async function countRemovedValues(reader: Pick<StoreReader, 'find'>, previous: CompiledModel, next: CompiledModel, entities: readonly string[]): Promise<RemovedValues> {
  const out = new Map<string, { field: string; records: number }[]>();
  for (const name of entities) {
    const before = previous.entities.get(name);
    const after = next.entities.get(name);
    if (!before || !after) continue;
    const removed = [...before.valueFields].filter((f) => !after.valueFields.has(f)).map((field) => ({ field, records: 0 }));
    if (removed.length === 0) continue;
    out.set(name, removed);
    await eachStoredRecord(reader, name, (row) => {
      for (const r of removed) if (hasValue(row.data[r.field])) r.records++;
    });
  }
  return out;
}

/** The impact entries with the removed fields of their entity. */
export function withRemovedValues(impact: RecordImpact[], removed: RemovedValues): RecordImpact[] {
  return impact.map((i) => (removed.has(i.entity) ? { ...i, removedFields: removed.get(i.entity)! } : i));
}

/** Each entity's impact with the state moves the apply hooks made there. */
export function withStateMoves(impact: RecordImpact[], moves: readonly StateMove[]): RecordImpact[] {
  return impact.map((i) => {
    // The hooks report only moves that moved records.
    const own = moves.filter((m) => m.entity === i.entity);
    return own.length > 0 ? { ...i, stateMoves: own } : i;
  });
}
