// Erasure of one record inside a transaction: anonymize its personal fields or delete it (lookups
// that point at a deleted record are cleared; an anonymized record lets go of the files of its
// personal file fields, a deleted one of all its files), scrub personal values out of its earlier audit
// entries (those of records merged into it included: they moved to it), close the merges into it
// (what they kept to undo them — the merged records' values and files — goes), and append an audit
// entry that names the fields but keeps no value. Formulas of other records that read it through a
// lookup (a ticket's `member.email`) are computed again: they held copies of its values.

import { computeFormulas } from '../records/compute-values.ts';
import { withoutReference } from '../records/incoming-references.ts';
import { systemContext } from '../records/request-context.ts';
import { propagateLookupFormulas } from '../records/propagate-rollups.ts';
import { loadThroughOverlay } from '../records/through-lookups.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { internalField, where } from '../filter/filter-tree.ts';
import { appendAudit, auditCollection, type AuditEntry } from '../records/audit-trail.ts';
import { dropMatchKeys, keepMatchKeys } from '../records/match-keys.ts';
import { closeMergesInto } from '../records/merge-log.ts';
import { releaseFieldFiles, releaseFiles } from '../records/release-files.ts';
import type { StoreTransaction, StoredRecord } from '../store/store-port.ts';
import { anonymizedData, personalFields } from './personal-data.ts';

export type ErasureMode = 'anonymize' | 'delete';

export interface ErasedRecord {
  entity: string;
  id: string;
  action: 'anonymized' | 'deleted';
  /** Names of the personal fields that held values (never the values). */
  fields: string[];
}

const isFileField = (entity: CompiledEntity, field: string): boolean => entity.fields.get(field)?.definition.type === 'file';

/**
 * What of a personal value may have been copied elsewhere and must be found there: the value, or
 * for a file field the files' names only — their ids and media types say nothing of the person, and
 * other files share them ("application/pdf").
 */
function quotable(entity: CompiledEntity, field: string, value: unknown): unknown {
  if (!isFileField(entity, field)) return value;
  const files = Array.isArray(value) ? value : [value];
  return files.map((file) => (file && typeof file === 'object' ? (file as { name?: unknown }).name : undefined)).filter((name) => typeof name === 'string');
}

/** The personal values a record held before erasure (to find their copies elsewhere; never returned). */
export function personalValuesOf(entity: CompiledEntity, data: Record<string, unknown>): unknown[] {
  const personal = personalFields(entity);
  return Object.entries(data).filter(([field]) => personal.has(field)).map(([field, value]) => quotable(entity, field, value));
}

/**
 * Removes the values of the given fields from every audit entry of one record (those of records
 * merged into it included); returns the values removed — earlier ones, and the merged records' —
 * whose copies elsewhere must go too.
 */
export async function scrubAuditTrail(tx: StoreTransaction, entity: CompiledEntity, recordId: string, fields: ReadonlySet<string>): Promise<unknown[]> {
  const rows = await tx.find(auditCollection.name, { filter: where({ entity: entity.name, recordId }), sort: [{ field: internalField('id'), direction: 1 }], limit: 100_000 });
  const removed: unknown[] = [];
  for (const row of rows) {
    const entry = row.data as unknown as AuditEntry;
    const touched = Object.keys(entry.changes ?? {}).filter((field) => fields.has(field));
    if (touched.length === 0) continue;
    const changes = { ...entry.changes };
    for (const field of touched) {
      removed.push(quotable(entity, field, changes[field]?.before), quotable(entity, field, changes[field]?.after));
      changes[field] = {};
    }
    await tx.replace(auditCollection.name, { ...row, version: row.version + 1, data: { ...row.data, changes, scrubbed: true } }, row.version);
  }
  return removed.filter((value) => value !== undefined && value !== null);
}

/**
 * Erases one record; returns what was erased, the personal values it and the records merged into
 * it held, and the ids of those records (for the caller to find their copies elsewhere: scrub-copies.ts).
 */
export async function eraseRecord(tx: StoreTransaction, args: { model: CompiledModel; entity: CompiledEntity; record: StoredRecord; mode: ErasureMode; by: string; at: string; reason: 'erasure' | 'retention' }): Promise<{ erased: ErasedRecord; values: unknown[]; records: string[] }> {
  const { model, entity, record, mode, by, at } = args;
  const personal = personalFields(entity);
  // Derived values only, as a write's propagation computes them (system context, the erasure's time).
  const ctx = systemContext({ reason: args.reason, clock: { now: () => new Date(at) }, model });
  let erased: ErasedRecord;
  if (mode === 'delete') {
    for (const incoming of entity.incomingLookups) {
      const source = model.entities.get(incoming.entity);
      const field = source?.filterables.get(incoming.field);
      if (!source || !field) continue;
      for (const child of await tx.find(source.name, { filter: { kind: 'compare', field, op: '$eq', value: record.id }, sort: [], limit: 100_000 })) {
        // A polymorphic lookup (`parent.id`) is cleared whole; a multiLookup loses this one id.
        const { data: without, field: cleared } = withoutReference(child.data, incoming, record.id);
        const data: Record<string, unknown> = { ...without, updatedAt: at, updatedBy: by };
        // Its formulas read the record through the lookup cleared: they read nothing now.
        await computeFormulas(source, data, ctx, await loadThroughOverlay(source, data, tx));
        await tx.replace(source.name, { ...child, version: child.version + 1, data }, child.version);
        await keepMatchKeys(tx, source, child.id, data, child.data);
        await propagateLookupFormulas({ entity: source, id: child.id, before: child.data, after: data, tx, ctx });
        await appendAudit(tx, { entity: source.name, recordId: child.id, action: 'update', at, by, revision: model.revision, changes: { [cleared]: { before: child.data[cleared] } } });
      }
    }
    await tx.delete(entity.name, record.id);
    await dropMatchKeys(tx, entity, record.id);
    await releaseFiles(tx, entity.name, record.id, at);
    erased = { entity: entity.name, id: record.id, action: 'deleted', fields: Object.keys(record.data).filter((f) => personal.has(f)).sort() };
  } else {
    const { data, fields } = anonymizedData(entity, record.data, at);
    await tx.replace(entity.name, { ...record, version: record.version + 1, data: { ...data, updatedAt: at, updatedBy: by } }, record.version);
    await propagateLookupFormulas({ entity, id: record.id, before: record.data, after: data, tx, ctx });
    // Its duplicate keys held its personal values folded: dropped whatever they held, kept for what it holds now.
    await dropMatchKeys(tx, entity, record.id);
    await keepMatchKeys(tx, entity, record.id, data);
    await releaseFieldFiles(tx, entity.name, record.id, new Set([...personal].filter((field) => isFileField(entity, field))), at);
    erased = { entity: entity.name, id: record.id, action: 'anonymized', fields };
  }
  // A deleted record's trail keeps who did what when, but no personal value.
  const earlier = await scrubAuditTrail(tx, entity, record.id, personal);
  // The merges into it can no longer be undone, and what they kept of the person goes.
  const merged = await closeMergesInto(tx, { entity: entity.name, recordId: record.id, at, reason: args.reason });
  const values = [...[record.data, ...merged.values].flatMap((data) => personalValuesOf(entity, data)), ...earlier];
  await appendAudit(tx, {
    entity: entity.name, recordId: record.id, action: args.reason === 'erasure' ? 'erase' : 'retention', at, by, revision: model.revision, changes: {},
    details: { mode, fields: erased.fields },
  });
  return { erased, values, records: [record.id, ...merged.merged] };
}
