// An entity's rename as one refactoring: the entity's document under its new name, every document
// the usages finder lists as naming it rewritten (lookups', multi-lookups' and polymorphic lookups'
// targets, rollups, forms, views and their polymorphic filters, workflows, roles' grants, dashboard
// widgets, reports, segments, subscriptions, inbound and mail channels — web forms are forms), and
// the stored data moved in the transaction that commits the revision: the records into the new
// collection (same ids, versions and revisions; indexes are the new entity's), every entry of the
// engine's own collections that names the entity (audit trail, state history, approvals, files,
// notifications, import changes, outbox, jobs…), the values of polymorphic lookups pointing at it,
// its autonumber counters and saved import mappings. The dry run runs the same steps in a
// transaction it rolls back, so its counts are what apply does.

import { where } from '../filter/filter-tree.ts';
import { importMappingsCollection } from '../import/import-store.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';
import { findUsagesWithPaths, type Usage } from '../metadata/usages.ts';
import type { RequestedChange } from '../runtime/model-runtime.ts';
import type { StoreReader, StoreTransaction, StoredRecord } from '../store/store-port.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { eachStoredRecord } from '../records/check-existing-records.ts';
import { fieldNamePattern } from './rename-field.ts';
import { rewriteUsages } from './rewrite-references.ts';

/** What the request names, and what the store and the template layers say about it. */
export interface EntityRenameRequest {
  set: MetadataSet;
  from: string;
  to: string;
  /** Templates whose base layer holds the entity (empty for an admin's own entity). */
  ownedBy: string[];
  /** Records still stored under `to` (an entity removed earlier keeps its records). */
  storedUnderTo: number;
}

/** Why an entity cannot be renamed so (at the request's pointers), or nothing. */
export function checkEntityRename(request: EntityRenameRequest): IssueDetail[] {
  const { set, from, to } = request;
  if (!set.entity(from)) return [{ path: '/from', code: 'UNKNOWN_ENTITY', message: `there is no entity "${from}"` }];
  if (!fieldNamePattern.test(to)) return [{ path: '/to', code: 'INVALID_NAME', message: 'must be an entity name: a lower-case letter, then letters and digits (at most 63)' }];
  if (to === from) return [{ path: '/to', code: 'INVALID_NAME', message: 'is the entity\'s current name' }];
  if (set.entity(to)) return [{ path: '/to', code: 'NAME_TAKEN', message: `"${to}" is already an entity` }];
  if (request.storedUnderTo > 0) return [{ path: '/to', code: 'NAME_TAKEN', message: `${request.storedUnderTo} records of a removed entity "${to}" are still stored under that name` }];
  if (request.ownedBy.length > 0) {
    return [{
      path: '/from', code: 'TEMPLATE_OWNED',
      message: `belongs to template "${request.ownedBy.join('", "')}": an upgrade would install it again under its old name, so it cannot be renamed; change its label instead`,
    }];
  }
  return [];
}

export interface EntityRenamePlan {
  requested: RequestedChange[];
  /** Every reference rewritten, at its pointer in its document (the usages of the entity, its own self-references included). */
  usages: Usage[];
  /** References rewritten per kind. */
  byKind: Record<string, number>;
}

const renameTo = (from: string, to: string) => (value: unknown): unknown => (value === from ? to : value);

/** The metadata side: the entity under its new name, the old one removed, every usage rewritten. */
export function planEntityRename(set: MetadataSet, from: string, to: string): EntityRenamePlan {
  const usages = findUsagesWithPaths(set, { kind: 'entity', name: from });
  const documents = new Map<string, MetadataDocument>();
  for (const u of usages) {
    const doc = set.get(u.kind, u.name);
    if (doc) documents.set(`${u.kind}/${u.name}`, doc);
  }
  const { documents: rewritten, rewritten: done } = rewriteUsages(documents, usages, () => new Map([[from, to]]));
  // The entity's own references to itself (a parent lookup, a rollup over its children).
  const own = structuredClone(set.get('entity', from)!);
  const selfUsages: Usage[] = [];
  const rename = renameTo(from, to);
  for (const [name, def] of Object.entries((own['fields'] ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const key of ['to', 'from'] as const) {
      const value = def[key];
      if (Array.isArray(value)) {
        value.forEach((v, i) => v === from && selfUsages.push({ kind: 'entity', name: to, path: `/fields/${name}/${key}/${i}` }));
        def[key] = value.map(rename);
      } else if (value === from) {
        selfUsages.push({ kind: 'entity', name: to, path: `/fields/${name}/${key}` });
        def[key] = to;
      }
    }
  }
  const all: Usage[] = [...done.map(({ kind, name, path }) => ({ kind, name, path })), ...selfUsages];
  const byKind: Record<string, number> = {};
  for (const u of all) byKind[u.kind] = (byKind[u.kind] ?? 0) + 1;
  const requested: RequestedChange[] = [
    { kind: 'entity', name: from, document: undefined },
    { kind: 'entity', name: to, document: { ...own, name: to } },
    ...[...rewritten.values()].map((document) => ({ kind: document.kind, name: document.name, document })),
  ];
  return { requested, usages: all, byKind };
}

export interface StoredEntityRename {
  /** Records moved from the old collection into the new one. */
  recordsMoved: number;
  /** Entries of the engine's own collections that name the entity, rewritten, by collection (`_audit`, `_wfStateHistory`, …). */
  systemEntries: Record<string, number>;
  /** Values of polymorphic lookups (in any entity's records) pointing at the entity, rewritten. */
  polymorphicValues: number;
  /** Autonumber counters carried over to the new name (one per autonumber field). */
  sequences: number;
  /** Saved import mappings whose targets name the entity, rewritten. */
  importMappings: number;
}

/** System collections that never name an entity's records, or are rewritten on their own. */
const notSwept = new Set([importMappingsCollection.name, '_templates', '_users', '_sessions', '_tokens', '_teams', '_viewAs']);

/** The engine's own collections a rename sweeps: those the store lists, but metadata's own and the ones above. */
export function sweptCollections(collections: readonly string[]): string[] {
  return collections.filter((name) => name.startsWith('_') && !name.startsWith('_meta') && !notSwept.has(name)).sort();
}

/**
 * Moves the stored data. With a transaction it writes (apply, or the dry run's rolled-back
 * transaction); with a reader it only counts (a store without atomic transactions cannot rehearse).
 */
export async function renameStoredEntity(args: { store: StoreReader | StoreTransaction; write: boolean; model: CompiledModel; from: string; to: string; systemCollections: readonly string[] }): Promise<StoredEntityRename> {
  const { store, write, model, from, to } = args;
  const tx = store as StoreTransaction;
  const out: StoredEntityRename = { recordsMoved: 0, systemEntries: {}, polymorphicValues: 0, sequences: 0, importMappings: 0 };
  // The records, batch by batch: inserted under the new name as they are (id, version, revision), removed from the old.
  let batch: StoredRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (tx.insertMany) await tx.insertMany(to, batch);
    else for (const row of batch) await tx.insert(to, row);
    for (const row of batch) await tx.delete(from, row.id, row.version);
    batch = [];
  };
  await eachStoredRecord(store, from, async (row) => {
    out.recordsMoved++;
    if (!write) return;
    batch.push(row);
    if (batch.length >= 500) await flush();
  });
  await flush();
  // Entries that name the entity at their top level (audit, state history, files, …) or in a job's payload.
  for (const collection of args.systemCollections) {
    for (const path of ['entity', 'payload.entity']) {
      await eachStoredRecord(store, collection, async (row) => {
        out.systemEntries[collection] = (out.systemEntries[collection] ?? 0) + 1;
        if (!write) return;
        const data = structuredClone(row.data);
        if (path === 'entity') data['entity'] = to;
        else (data['payload'] as Record<string, unknown>)['entity'] = to;
        await tx.replace(collection, { ...row, version: row.version + 1, data }, row.version);
      }, where({ [path]: from }));
    }
  }
  // Polymorphic lookups pointing at it: `{ entity, id }` values (the record's meaning is unchanged, so its version stays).
  for (const entity of model.entities.values()) {
    for (const field of entity.fields.values()) {
      const def = field.definition as unknown as { type: string; to?: unknown };
      if (def.type !== 'polymorphicLookup' || !Array.isArray(def.to) || !def.to.includes(to)) continue;
      // Counting without writing, the renamed entity's own records are still under the old name.
      const collection = entity.name === to && !write ? from : entity.name;
      await eachStoredRecord(store, collection, async (row) => {
        out.polymorphicValues++;
        if (!write) return;
        const data = { ...row.data, [field.name]: { ...(row.data[field.name] as Record<string, unknown>), entity: to } };
        await tx.replace(collection, { ...row, data }, row.version);
      }, where({ [`${field.name}.entity`]: from }));
    }
  }
  // Autonumbers continue where they were.
  for (const field of model.entities.get(to)?.fields.values() ?? []) {
    if ((field.definition as unknown as { type: string }).type !== 'autonumber') continue;
    out.sequences++;
    if (write) await tx.renameSequence(`autonumber.${from}.${field.name}`, `autonumber.${to}.${field.name}`);
  }
  // Saved import mappings: targets that write the entity.
  for (const row of await store.find(importMappingsCollection.name, { filter: where({}), sort: [], limit: 10_000 })) {
    const targets = (row.data['targets'] ?? []) as Record<string, unknown>[];
    if (!targets.some((t) => t['entity'] === from)) continue;
    out.importMappings++;
    if (!write) continue;
    const data = { ...row.data, targets: targets.map((t) => (t['entity'] === from ? { ...t, entity: to } : t)) };
    await tx.replace(importMappingsCollection.name, { ...row, version: row.version + 1, data }, row.version);
  }
  return out;
}
