// When a child record is created, changed or deleted, the rollups of the parents it pointed to
// (before) and points to (now) are recomputed in the same transaction, and so on up the chain.
// A child write may not make a parent break one of its rules (a credit limit over the sum of open
// orders, say): such a write is refused, reported on the child's lookup field. Formulas that read a
// changed record through lookups are recomputed here too, the two propagations feeding each other.

import { keepMatchKeys } from './match-keys.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { internalField, type FilterNode } from '../filter/filter-tree.ts';
import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { checkRules, computeFormulas, computeRollups } from './compute-values.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { loadThroughOverlay } from './through-lookups.ts';

const maxDepth = 8;

export async function propagateRollups(args: {
  child: CompiledEntity;
  before: RecordValues | undefined;
  after: RecordValues | undefined;
  tx: StoreTransaction;
  ctx: RequestContext;
  depth?: number;
  /**
   * Bulk loads turn this off: records arrive in an order (a receipt before its lines) in which a
   * parent's rules over rollups may not hold until the load is complete; the load checks them then.
   */
  checkParentRules?: boolean;
}): Promise<void> {
  const { child, before, after, tx, ctx } = args;
  const checkParentRules = args.checkParentRules ?? true;
  const depth = args.depth ?? 0;
  if (depth >= maxDepth) return;
  const parents = new Map<string, { entity: string; id: string; via: string }>();
  for (const feed of child.rollupFeeds) {
    const watched = [feed.via, ...(feed.childField ? [feed.childField] : [])];
    const relevant = !before || !after || watched.some((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
    if (!relevant) continue;
    for (const values of [before, after]) {
      const id = values?.[feed.via];
      if (typeof id === 'string') parents.set(`${feed.parentEntity}/${id}`, { entity: feed.parentEntity, id, via: feed.via });
    }
  }
  for (const { entity: parentName, id, via } of parents.values()) {
    const parent = ctx.model.entities.get(parentName);
    const stored = parent ? await tx.get(parentName, id) : undefined;
    if (!parent || !stored) continue;
    const previous = stored.data;
    const next: RecordValues = { ...previous };
    await computeRollups(parent, id, next, tx, ctx);
    const through = await loadThroughOverlay(parent, next, tx);
    await computeFormulas(parent, next, ctx, through);
    if (JSON.stringify(next) === JSON.stringify(previous)) continue;
    if (checkParentRules) await refuseNewViolations({ parent, previous, next, via, ctx, through });
    // Derived values only: the parent's version (its ETag) stays, so no one's edit turns stale.
    await tx.replace(parentName, { ...stored, data: next }, stored.version);
    await keepMatchKeys(tx, parent, id, next, previous);
    await propagateLookupFormulas({ entity: parent, id, before: previous, after: next, tx, ctx, depth: depth + 1 });
    await propagateRollups({ child: parent, before: previous, after: next, tx, ctx, depth: depth + 1, checkParentRules });
  }
}

/** Rules the parent breaks after the change but did not break before are refused. */
async function refuseNewViolations(args: { parent: CompiledEntity; previous: RecordValues; next: RecordValues; via: string; ctx: RequestContext; through: RecordValues | undefined }): Promise<void> {
  const { parent, previous, next, via, ctx, through } = args;
  if (parent.rules.length === 0) return;
  const after = await checkRules(parent, next, ctx, through);
  if (after.length === 0) return;
  const before = new Set((await checkRules(parent, previous, ctx, through)).map((issue) => issue.code));
  const added: IssueDetail[] = after.filter((issue) => !before.has(issue.code)).map((issue) => ({ ...issue, path: pointer(via) }));
  if (added.length > 0) throw new CrmError('INVALID_RECORD', undefined, added);
}

/**
 * Recomputes the formulas of records that read `entity`'s record `id` through lookups, when a field
 * they read changed; a recomputed record is a changed child in turn, so the rollups over it follow
 * (an order's total over its lines' `quantity * product.price` moves with the product's price).
 * Shares the depth with propagateRollups: what one starts, the other continues, within maxDepth.
 */
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
        // Not the parent's own write: its rules over the rollup are not the reason to refuse this one (as lookup formulas never refuse).
        if (source.rollupFeeds.length > 0) await propagateRollups({ child: source, before: row.data, after: next, tx, ctx, depth: depth + 1, checkParentRules: false });
        await propagateLookupFormulas({ entity: source, id: row.id, before: row.data, after: next, tx, ctx, depth: depth + 1 });
      }
    }
  }
}

function pointsAt(field: string, ids: readonly string[]): FilterNode {
  return { kind: 'in', field: internalField(field), values: ids, negate: false };
}
