// Copies of personal values outside the records and their audit trail — notification texts,
// webhook delivery bodies, job payloads, approval comments: after an erasure, every string in the
// other system collections that contains an erased value has that value replaced.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { internalField, where } from '../filter/filter-tree.ts';
import { auditCollection, type AuditEntry } from '../records/audit-trail.ts';
import { metadataCollections } from '../metadata/metadata-repository.ts';
import { pagesById } from '../store/read-pages.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { escapeRegex } from '../kernel/safe-regex.ts';
import { filesCollection } from '../records/release-files.ts';
import { personalFields } from './personal-data.ts';

/**
 * Collections that hold no copies of record values (metadata, accounts), or are handled elsewhere (the audit trail; the
 * duplicate keys, which erase-records.ts drops; the file entries, each its own record's: an erased record's files are
 * released by name there, and another record's "signed-contract.pdf" is no copy of anyone's).
 */
const skipped = new Set(['_users', '_sessions', '_tokens', '_teams', '_audit', '_templates', '_sequences', '_matchKeys', filesCollection, ...metadataCollections.map((c) => c.name)]);
const pageSize = 500;
export const erasedText = '[erased]';

/** The strings (at least 5 characters) inside personal values: plain, or parts of composites. */
export function erasableStrings(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.trim().length >= 5) out.add(value.trim());
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  values.forEach(walk);
  // Longest first, so that a value containing another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}


function replaceDeep(value: unknown, pattern: RegExp): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    const next = value.replace(pattern, erasedText);
    return { value: next, changed: next !== value };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item) => {
      const r = replaceDeep(item, pattern);
      changed ||= r.changed;
      return r.value;
    });
    return { value: next, changed };
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const next: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const r = replaceDeep(item, pattern);
      changed ||= r.changed;
      next[key] = r.value;
    }
    return { value: next, changed };
  }
  return { value, changed: false };
}

/** The erased records by entity and id, each with its entity's personal fields. */
export class ErasedRecords {
  private readonly fields = new Map<string, ReadonlySet<string>>();
  add(entity: string, ids: readonly string[], personal: ReadonlySet<string>): void {
    for (const id of ids) this.fields.set(`${entity}\u0000${id}`, personal);
  }
  get size(): number {
    return this.fields.size;
  }
  /** The erased ids of each entity. */
  byEntity(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const key of this.fields.keys()) {
      const [entity, id] = key.split('\u0000') as [string, string];
      let ids = out.get(entity);
      if (!ids) out.set(entity, (ids = new Set()));
      ids.add(id);
    }
    return out;
  }
  /** The personal fields of the erased record a document names (`entity`, `recordId`), if it names one. */
  personalOf(data: Record<string, unknown>): ReadonlySet<string> | undefined {
    return typeof data['entity'] === 'string' && typeof data['recordId'] === 'string' ? this.fields.get(`${data['entity']}\u0000${data['recordId']}`) : undefined;
  }
}

/**
 * A change log's copy of an erased record (an import's or a cleansing job's `before`, which names
 * the record it copies) without its personal fields — all of them, however short: the search by
 * string below takes only the longer ones.
 */
function withoutOwnValues(data: Record<string, unknown>, erased: ErasedRecords | undefined): { value: Record<string, unknown>; changed: boolean } {
  const personal = erased?.personalOf(data);
  const before = data['before'];
  if (!personal || !before || typeof before !== 'object' || Array.isArray(before)) return { value: data, changed: false };
  const kept = Object.fromEntries(Object.entries(before).filter(([field]) => !personal.has(field)));
  return Object.keys(kept).length === Object.keys(before).length ? { value: data, changed: false } : { value: { ...data, before: kept }, changed: true };
}

/**
 * Replaces the strings in every document of the other system collections, and takes the erased
 * records' personal fields out of the change logs that copy them; returns how many documents changed.
 */
export async function scrubCopies(tx: StoreTransaction, collections: readonly string[], strings: readonly string[], erased?: ErasedRecords): Promise<number> {
  if (strings.length === 0 && !erased?.size) return 0;
  const pattern = strings.length === 0 ? undefined : new RegExp(strings.map(escapeRegex).join('|'), 'gi');
  let changed = 0;
  for (const collection of collections) {
    if (!collection.startsWith('_') || skipped.has(collection)) continue;
    let after: string | undefined;
    for (;;) {
      const rows = await tx.find(collection, { filter: { kind: 'true' }, sort: [{ field: internalField('id'), direction: 1 }], limit: pageSize, ...(after ? { after: { values: [after], id: after } } : {}) });
      for (const row of rows) {
        const own = withoutOwnValues(row.data, erased);
        const result = pattern ? replaceDeep(own.value, pattern) : { value: own.value, changed: false };
        if (!own.changed && !result.changed) continue;
        await tx.replace(collection, { ...row, version: row.version + 1, data: result.value as Record<string, unknown> }, row.version);
        changed++;
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  return changed;
}

/**
 * Formula fields of other entities that read the erased entities' personal fields through a lookup
 * (a ticket's `member.email`), by entity: each write of such a record copied the value into its
 * audit entry, where it stays after the person is gone whichever record it points at now.
 */
function quotingFormulas(model: CompiledModel, erased: Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const name of new Set(erased)) {
    const entity = model.entities.get(name);
    if (!entity) continue;
    const personal = personalFields(entity);
    for (const feed of entity.lookupFormulaFeeds) {
      const source = model.entities.get(feed.source);
      if (!source || ![...feed.fields].some((field) => personal.has(field))) continue;
      const formulas = out.get(source.name) ?? new Set<string>();
      for (const field of source.fields.values()) if (field.type.compute === 'formula') formulas.add(field.name);
      out.set(source.name, formulas);
    }
  }
  return out;
}

/** Replaces the strings in the audit entries' values of formulas that quote the erased entities through lookups; returns how many entries changed. */
export async function scrubQuotingFormulas(tx: StoreTransaction, model: CompiledModel, erased: Iterable<string>, strings: readonly string[]): Promise<number> {
  if (strings.length === 0) return 0;
  const pattern = new RegExp(strings.map(escapeRegex).join('|'), 'gi');
  let changed = 0;
  for (const [entity, formulas] of quotingFormulas(model, erased)) {
    for await (const rows of pagesById(tx, auditCollection.name, where({ entity }), pageSize)) {
      for (const row of rows) {
        const entry = row.data as unknown as AuditEntry;
        const quoted = Object.keys(entry.changes ?? {}).filter((field) => formulas.has(field));
        if (quoted.length === 0) continue;
        const result = replaceDeep(Object.fromEntries(quoted.map((field) => [field, entry.changes[field]])), pattern);
        if (!result.changed) continue;
        await tx.replace(auditCollection.name, { ...row, version: row.version + 1, data: { ...row.data, changes: { ...entry.changes, ...(result.value as AuditEntry['changes']) }, scrubbed: true } }, row.version);
        changed++;
      }
    }
  }
  return changed;
}
