// Formulas and rules that read through lookups (`account.industry`): before they are evaluated the
// lookup fields they read through are replaced, in the evaluation input only, by their target
// records (system context: a formula's stored value is the same for everyone; the access policy
// hides the formula from whoever cannot read what it reads). When a target changes, the records
// whose formulas read it are recomputed in the same transaction, like rollups.

import { keepMatchKeys } from './match-keys.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { ThroughLookups } from '../fields/lookup-reads.ts';
import { internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { StoreReader, StoreTransaction } from '../store/store-port.ts';
import { computeFormulas } from './compute-values.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

/** The lookup fields read through, each replaced by `{ id, ...its target's values }`; undefined when none are. */
export async function loadThroughOverlay(entity: CompiledEntity, values: RecordValues, reader: Pick<StoreReader, 'get'>): Promise<RecordValues | undefined> {
  if (entity.throughLookups.size === 0) return undefined;
  return expand(entity.throughLookups, values, reader);
}

async function expand(tree: ThroughLookups, values: RecordValues, reader: Pick<StoreReader, 'get'>): Promise<RecordValues> {
  const overlay: RecordValues = {};
  for (const [field, hop] of tree) {
    const id = values[field];
    if (typeof id !== 'string') continue;
    const target = await reader.get(hop.target, id);
    if (!target) continue;
    const data: RecordValues = { id: target.id, ...target.data };
    overlay[field] = hop.next.size === 0 ? data : { ...data, ...(await expand(hop.next, data, reader)) };
  }
  return overlay;
}

const maxDepth = 4;

/** Recomputes the formulas of records that read `entity`'s record `id` through lookups, when a field they read changed. */
export async function propagateLookupFormulas(args: {
  entity: CompiledEntity;
  id: string;
  before: RecordValues;
  after: RecordValues;
  tx: StoreTransaction;
  ctx: RequestContext;
  depth?: number;
}): Promise<void> {
  const { entity, id, before, after, tx, ctx } = args;
  const depth = args.depth ?? 0;
  if (depth >= maxDepth) return;
  for (const feed of entity.lookupFormulaFeeds) {
    if (![...feed.fields].some((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))) continue;
    const source = ctx.model.entities.get(feed.source);
    if (!source) continue;
    let keys = [id];
    if (feed.chain.length === 2 && feed.middle !== undefined) {
      const middles = await tx.find(feed.middle, { filter: pointsAt(feed.chain[1]!, keys), sort: [], limit: 100_000 });
      keys = middles.map((row) => row.id);
      if (keys.length === 0) continue;
    }
    for (let start = 0; start < keys.length; start += 500) {
      const rows = await tx.find(source.name, { filter: pointsAt(feed.chain[0]!, keys.slice(start, start + 500)), sort: [], limit: 100_000 });
      for (const row of rows) {
        const next = { ...row.data };
        await computeFormulas(source, next, ctx, await loadThroughOverlay(source, next, tx));
        if (JSON.stringify(next) === JSON.stringify(row.data)) continue;
        // Derived values only: the version (the record's ETag) stays, as for rollups.
        await tx.replace(source.name, { ...row, data: next }, row.version);
        await keepMatchKeys(tx, source, row.id, next, row.data);
        await propagateLookupFormulas({ entity: source, id: row.id, before: row.data, after: next, tx, ctx, depth: depth + 1 });
      }
    }
  }
}

function pointsAt(field: string, ids: readonly string[]): FilterNode {
  return { kind: 'in', field: internalField(field), values: ids, negate: false };
}
