// subscriptions/: event subscriptions — every matching change to an entity, written to an outbox
// in the change's own transaction, delivered signed (engine/webhooks) in order per record, retried
// with backoff, paused after repeated failure, replayable. This file: the outbox rows and the
// per-subscription delivery state.

import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import type { CollectionSpec, StoreReader, StoreTransaction, StoredRecord } from '../store/store-port.ts';

export const outboxCollection: CollectionSpec = {
  name: '_subscriptionEvents',
  indexes: [
    { name: 'queue', keys: [{ path: ['subscription'], direction: 1 }, { path: ['state'], direction: 1 }, { path: ['seq'], direction: 1 }], unique: false },
    { name: 'at', keys: [{ path: ['subscription'], direction: 1 }, { path: ['at'], direction: 1 }], unique: false },
  ],
};

export const subscriptionStateCollection: CollectionSpec = { name: '_subscriptionState', indexes: [] };

export interface OutboxRow {
  subscription: string;
  event: string;
  entity: string;
  recordId: string;
  /** The subscription's order: commit order of the changes (per record, the order they happened). */
  seq: number;
  /** When the change committed (ISO). */
  at: string;
  /** The signed body, fixed when the change committed. */
  body: string;
  state: 'pending' | 'delivered';
  attempts: number;
  /** A failed row is tried again from then on (ISO). */
  nextAttemptAt: string;
  deliveredAt?: string;
  lastError?: string;
  /** A replay's copy names the row it repeats. */
  replayOf?: string;
}

export interface OutboxEntry extends OutboxRow {
  id: string;
  version: number;
}

export interface SubscriptionState {
  /** A delivery job is queued or running (at most one per subscription). */
  pumpScheduled: boolean;
  paused: boolean;
  pausedAt?: string;
  /** Delivery rounds in a row in which nothing got through. */
  failedRounds: number;
  /** The queued delivery job: an older one that still runs later stands down. */
  pumpJob?: string;
  /** The queued job is parked until then: every pending event waits for a retry of its record. */
  waitingUntil?: string;
}

export const asEntry = (row: StoredRecord): OutboxEntry => ({ id: row.id, version: row.version, ...(row.data as unknown as OutboxRow) });

export async function loadState(reader: StoreReader, name: string): Promise<SubscriptionState & { version: number }> {
  const row = await reader.get(subscriptionStateCollection.name, name);
  return row ? { version: row.version, ...(row.data as unknown as SubscriptionState) } : { version: 0, pumpScheduled: false, paused: false, failedRounds: 0 };
}

/** Writes the state (inserted the first time); false when another write won the race. */
export async function saveState(tx: StoreTransaction, name: string, state: SubscriptionState & { version: number }): Promise<boolean> {
  const { version, ...data } = state;
  if (version === 0) {
    await tx.insert(subscriptionStateCollection.name, { id: name, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
    return true;
  }
  return tx.replace(subscriptionStateCollection.name, { id: name, version: version + 1, revision: 0, data: data as unknown as Record<string, unknown> }, version);
}

export async function pendingRows(reader: StoreReader, subscription: string, limit: number): Promise<OutboxEntry[]> {
  const rows = await reader.find(outboxCollection.name, { filter: where({ subscription, state: 'pending' }), sort: [{ field: internalField('seq', 'number'), direction: 1 }], limit });
  return rows.map(asEntry);
}

export async function rowsBetween(reader: StoreReader, query: { subscription: string; from?: string; to?: string; limit: number }): Promise<OutboxEntry[]> {
  const at = internalField('at');
  const filter = andFilters(
    where({ subscription: query.subscription }),
    query.from ? { kind: 'compare', field: at, op: '$gte', value: query.from } : undefined,
    query.to ? { kind: 'compare', field: at, op: '$lte', value: query.to } : undefined,
  );
  const rows = await reader.find(outboxCollection.name, { filter, sort: [{ field: internalField('seq', 'number'), direction: 1 }], limit: query.limit });
  return rows.map(asEntry);
}

export async function replaceRow(tx: StoreTransaction, row: OutboxEntry, change: Partial<OutboxRow>): Promise<boolean> {
  const { id, version, ...data } = row;
  const next: Record<string, unknown> = { ...data, ...change };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return tx.replace(outboxCollection.name, { id, version: version + 1, revision: 0, data: next }, version);
}
