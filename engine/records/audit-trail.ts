// The append-only audit trail: who changed which record, when, at which metadata revision, and
// each changed field's value before and after.

import { newId } from '../kernel/ids.ts';
import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import type { CollectionSpec, StoreReader, StoreTransaction } from '../store/store-port.ts';

export const auditCollection: CollectionSpec = {
  name: '_audit',
  indexes: [{ name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }], unique: false }],
};

export interface AuditEntry {
  entity: string;
  recordId: string;
  action: string;
  at: string;
  by: string;
  revision: number;
  /** Field → { before, after }. */
  changes: Record<string, { before?: unknown; after?: unknown }>;
  comment?: string;
  /** e.g. `{ transition: 'approve', from: 'open', to: 'won' }` for workflow steps. */
  details?: Record<string, unknown>;
}


/** Not an async function: bulk writers call it per record, and an extra promise per call costs them per row. */
export function appendAudit(tx: StoreTransaction, entry: AuditEntry): Promise<void> {
  return tx.insert(auditCollection.name, { id: newId(), version: 1, revision: entry.revision, data: entry as unknown as Record<string, unknown> });
}

/** A record's history, oldest first (ids are time-ordered). */
export async function loadHistory(reader: StoreReader, entity: string, recordId: string, page: { limit?: number; after?: string } = {}): Promise<(AuditEntry & { id: string })[]> {
  const rows = await reader.find(auditCollection.name, {
    filter: andFilters(
      where({ entity, recordId }),
      page.after !== undefined ? { kind: 'compare', field: internalField('id'), op: '$gt', value: page.after } : undefined,
    ),
    sort: [{ field: internalField('id'), direction: 1 }],
    limit: page.limit ?? 1000,
  });
  return rows.map((row) => ({ id: row.id, ...(row.data as unknown as AuditEntry) }));
}

/** Every entry of a record's history, page by page (subject exports need all of it). */
export async function loadAllHistory(reader: StoreReader, entity: string, recordId: string): Promise<(AuditEntry & { id: string })[]> {
  const all: (AuditEntry & { id: string })[] = [];
  for (;;) {
    const page = await loadHistory(reader, entity, recordId, { limit: 1000, ...(all.length > 0 ? { after: all[all.length - 1]!.id } : {}) });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}
