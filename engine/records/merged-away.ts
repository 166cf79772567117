// Where a merged-away record went. A merge deletes the records it merges, but their pages stay
// bookmarked and linked: `_mergedAway` keeps one row per merged record, naming the survivor, so that
// a read of the old id can answer "merged into …" (a get by key of an index, not a scan of the log).
// The rows hold ids only — no values — and an undo takes its rows out again (the records are back).

import { where } from '../filter/filter-tree.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { CrmError, localizedDetail } from '../kernel/errors.ts';
import { labelsOf, type Locale } from '../kernel/i18n.ts';
import { newId } from '../kernel/ids.ts';
import type { CollectionSpec, StoreReader, StoreTransaction, StoredRecord } from '../store/store-port.ts';
import { findRecordInScope } from './entity-lookup.ts';
import type { RequestContext } from './request-context.ts';

export const mergedAwayCollection: CollectionSpec = {
  name: '_mergedAway',
  indexes: [{ name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['record'], direction: 1 }], unique: true }],
};

interface MergedAwayRow {
  entity: string;
  record: string;
  survivor: string;
  merge: string;
}

/** A chain of merges longer than this is not followed (each link is one read). */
const maxChain = 20;

async function rowOf(reader: StoreReader, entity: string, record: string): Promise<StoredRecord | undefined> {
  const [row] = await reader.find(mergedAwayCollection.name, { filter: where({ entity, record }), sort: [], limit: 1 });
  return row;
}

/** Notes, in the merge's transaction, that each merged record went into the survivor. */
export async function noteMergedAway(tx: StoreTransaction, args: { entity: string; survivor: string; merged: readonly string[]; merge: string }): Promise<void> {
  for (const record of args.merged) {
    const data: MergedAwayRow = { entity: args.entity, record, survivor: args.survivor, merge: args.merge };
    const earlier = await rowOf(tx, args.entity, record);
    // A record merged, brought back by an undo, merged again: the newest merge says where it is.
    if (earlier) await tx.replace(mergedAwayCollection.name, { ...earlier, version: earlier.version + 1, data: data as unknown as Record<string, unknown> }, earlier.version);
    else await tx.insert(mergedAwayCollection.name, { id: newId(), version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
  }
}

/** An undone merge: its records exist again, and no longer point anywhere. */
export async function forgetMergedAway(tx: StoreTransaction, args: { entity: string; merged: readonly string[]; merge: string }): Promise<void> {
  for (const record of args.merged) {
    const row = await rowOf(tx, args.entity, record);
    if (row && row.data['merge'] === args.merge) await tx.delete(mergedAwayCollection.name, row.id, row.version);
  }
}

export interface MergedInto {
  entity: string;
  id: string;
  /** The survivor's title field, when it has one the caller may read. */
  title?: string;
}

/**
 * The record a merged-away record went into — through later merges, the last survivor — when it
 * exists and the caller may read it; otherwise nothing (a survivor out of their scope is not named).
 */
export async function mergedInto(reader: StoreReader, ctx: RequestContext, entity: CompiledEntity, id: string): Promise<MergedInto | undefined> {
  let current = id;
  const seen = new Set<string>([id]);
  for (let step = 0; step < maxChain; step++) {
    const row = await rowOf(reader, entity.name, current);
    if (!row) return undefined;
    const survivor = row.data['survivor'] as string;
    if (seen.has(survivor)) return undefined;
    seen.add(survivor);
    if (!(await reader.get(entity.name, survivor))) {
      current = survivor;
      continue;
    }
    const readable = await findRecordInScope({ reader, ctx, entity, id: survivor, action: 'read' });
    if (!readable) return undefined;
    const titleField = entity.definition.titleField;
    const value = titleField && ctx.policy.readableFields(ctx.principal, entity).has(titleField) ? readable.data[titleField] : undefined;
    return { entity: entity.name, id: survivor, ...(typeof value === 'string' || typeof value === 'number' ? { title: String(value) } : {}) };
  }
  return undefined;
}

/** The 404 for a merged-away record: says where it went, naming the entity by its label. */
export function mergedAwayError(entity: CompiledEntity, id: string, into: MergedInto, locale: Locale): CrmError {
  const named = labelsOf(entity.definition.label, entity.name);
  const target = { en: into.title !== undefined ? `"${into.title}"` : `record ${into.id}`, zh: into.title !== undefined ? `「${into.title}」` : `记录 ${into.id}` };
  return new CrmError(
    'NOT_FOUND',
    { en: `The ${named.en} record ${id} was merged into ${target.en}`, zh: `${named.zh}记录 ${id} 已合并到${target.zh}` },
    [localizedDetail({ path: '/id', code: 'MERGED_AWAY', text: { en: 'the record was merged into another', zh: '该记录已并入另一条记录' } }, locale)],
    { mergedInto: into },
  );
}
