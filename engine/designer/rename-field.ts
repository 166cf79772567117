// A field's rename as one refactoring: the entity with the field under its new name, every usage
// the usages finder lists rewritten (forms, views, workflows, dashboards, roles, formulas, rollups,
// rules, expressions, lookup paths from other entities), the saved import mappings that name it,
// and every stored record's value moved — all in the transaction that commits the revision. The
// dry run runs the same steps in a transaction it rolls back, so its counts are what apply does.

import { matchAll } from '../filter/filter-tree.ts';
import { importMappingsCollection } from '../import/import-store.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';
import { findUsagesWithPaths, type Usage } from '../metadata/usages.ts';
import { rewriteStoredRecords } from '../records/rewrite-stored-records.ts';
import type { RequestedChange } from '../runtime/model-runtime.ts';
import type { StoreReader, StoreTransaction } from '../store/store-port.ts';
import { renameKey, rewriteUsages, type PathRenames } from './rewrite-references.ts';

/** Field names: what schemas/common.schema.json#/$defs/identifier accepts. */
export const fieldNamePattern = /^[a-z][a-zA-Z0-9]{0,62}$/;

export interface FieldRenamePlan {
  requested: RequestedChange[];
  /** Every reference rewritten, at its pointer in its document (the usages of the field). */
  usages: Usage[];
  /** References rewritten per kind, the entity's own definition not counted. */
  byKind: Record<string, number>;
}

/** Why a field cannot be renamed so (at the request's pointers), or nothing. */
export function checkFieldRename(set: MetadataSet, entity: string, field: string, to: string): IssueDetail[] {
  const definition = set.entity(entity);
  if (!definition) return [{ path: '/entity', code: 'UNKNOWN_ENTITY', message: `there is no entity "${entity}"` }];
  if (!Object.hasOwn(definition.fields, field)) return [{ path: '/field', code: 'UNKNOWN_FIELD', message: `there is no field "${field}" on ${entity}` }];
  if (!fieldNamePattern.test(to)) return [{ path: '/to', code: 'INVALID_NAME', message: 'must be a field name: a lower-case letter, then letters and digits (at most 63)' }];
  if (to === field) return [{ path: '/to', code: 'INVALID_NAME', message: 'is the field\'s current name' }];
  if (Object.hasOwn(definition.fields, to) || systemFieldNames.has(to)) return [{ path: '/to', code: 'NAME_TAKEN', message: `"${to}" is already a field of ${entity}` }];
  return [];
}

/** The metadata side: every changed document, ready for runtime.prepare. */
export function planFieldRename(set: MetadataSet, entity: string, field: string, to: string): FieldRenamePlan {
  const usages = findUsagesWithPaths(set, { kind: 'entity', name: entity, field });
  const documents = new Map<string, MetadataDocument>();
  for (const u of usages) {
    const doc = set.get(u.kind, u.name);
    if (doc) documents.set(`${u.kind}/${u.name}`, doc);
  }
  const own = `entity/${entity}`;
  documents.set(own, set.get('entity', entity)!);
  // `amount` → `total` here; `account.amount` → `account.total` where another entity reaches it.
  const renamesOf = (usage: { paths: string[] }): PathRenames => new Map(usage.paths.map((p) => [p, p.slice(0, p.length - field.length) + to]));
  const { documents: rewritten, rewritten: done } = rewriteUsages(documents, usages, renamesOf);
  const entityDoc = rewritten.get(own) ?? structuredClone(documents.get(own)!);
  entityDoc['fields'] = renameKey(entityDoc['fields'] as Record<string, unknown>, field, to);
  rewritten.set(own, entityDoc);
  const byKind: Record<string, number> = {};
  for (const u of done) byKind[u.kind] = (byKind[u.kind] ?? 0) + 1;
  const requested: RequestedChange[] = [...rewritten.values()].map((document) => ({ kind: document.kind, name: document.name, document }));
  return { requested, usages: done.map(({ kind, name, path }) => ({ kind, name, path })), byKind };
}

export interface StoredRename {
  /** Records whose value moved to the new name. */
  recordsMoved: number;
  /** Records that held a stale value under the new name (a field deleted earlier), cleared. */
  staleCleared: number;
  /** Saved import mappings rewritten, and the references in them. */
  importMappings: number;
  importMappingReferences: number;
}

/**
 * Moves the stored values and rewrites saved import mappings. With a transaction it writes (apply,
 * or the dry run's rolled-back transaction); with a reader it only counts (a store without
 * atomic transactions cannot rehearse).
 */
export async function renameStoredField(args: { store: StoreReader | StoreTransaction; write: boolean; set: MetadataSet; entity: string; field: string; to: string; revision: number }): Promise<StoredRename> {
  const { store, write, entity, field, to } = args;
  const tx = store as StoreTransaction;
  const out: StoredRename = { recordsMoved: 0, staleCleared: 0, importMappings: 0, importMappingReferences: 0 };
  await rewriteStoredRecords({
    store, write, entity, revision: args.revision,
    rewrite: (row) => {
      const has = Object.hasOwn(row.data, field);
      if (!has && !Object.hasOwn(row.data, to)) return undefined;
      if (has) out.recordsMoved++;
      else out.staleCleared++;
      // What was stale under the new name goes first: renamed over, it would win (the later key).
      const current = { ...row.data };
      delete current[to];
      return has ? renameKey(current, field, to) : current;
    },
  });
  // Lookups of other entities whose import `lookups.<field>.by` names the renamed field.
  const lookupsTo = new Map<string, Set<string>>();
  for (const doc of args.set.all()) {
    if (doc.kind !== 'entity') continue;
    for (const [name, def] of Object.entries((doc['fields'] ?? {}) as Record<string, { type?: string; to?: unknown }>)) {
      if (def.type === 'lookup' && def.to === entity) lookupsTo.set(doc.name, new Set([...(lookupsTo.get(doc.name) ?? []), name]));
    }
  }
  for (const row of await store.find(importMappingsCollection.name, { filter: matchAll, sort: [], limit: 10_000 })) {
    const mapping = structuredClone(row.data) as { targets?: Record<string, unknown>[] };
    let references = 0;
    for (const target of mapping.targets ?? []) {
      if (target['entity'] === entity) {
        for (const part of ['columns', 'transforms', 'values', 'defaults', 'lookups']) {
          const map = target[part] as Record<string, unknown> | undefined;
          if (map && Object.hasOwn(map, field)) {
            target[part] = renameKey(map, field, to);
            references++;
          }
        }
        if (Array.isArray(target['key'])) {
          const keys = target['key'] as unknown[];
          references += keys.filter((k) => k === field).length;
          target['key'] = keys.map((k) => (k === field ? to : k));
        }
      }
      const viaLookups = lookupsTo.get(String(target['entity']));
      for (const [lookup, spec] of Object.entries((target['lookups'] ?? {}) as Record<string, { by?: string }>)) {
        if (viaLookups?.has(lookup) && spec.by === field) {
          spec.by = to;
          references++;
        }
      }
    }
    if (references === 0) continue;
    out.importMappings++;
    out.importMappingReferences += references;
    if (write) await tx.replace(importMappingsCollection.name, { ...row, version: row.version + 1, data: mapping as unknown as Record<string, unknown> }, row.version);
  }
  return out;
}
