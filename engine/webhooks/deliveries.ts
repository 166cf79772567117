// The delivery log: one document per attempt — which hook, which URL, when, the answer's status or
// the error, and how long it took. The first attempt keeps the body, so retries send the same one.

import { newId } from '../kernel/ids.ts';
import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import type { CollectionSpec, Store, StoreReader, StoreTransaction } from '../store/store-port.ts';

export const deliveriesCollection: CollectionSpec = {
  name: '_webhookDeliveries',
  indexes: [
    { name: 'delivery', keys: [{ path: ['deliveryId'], direction: 1 }, { path: ['attempt'], direction: 1 }], unique: false },
    { name: 'at', keys: [{ path: ['at'], direction: -1 }], unique: false },
    { name: 'subscription', keys: [{ path: ['subscription'], direction: 1 }, { path: ['at'], direction: 1 }], unique: false },
  ],
};

export interface DeliveryAttempt {
  /** The same for every attempt of one delivery (the job id). */
  deliveryId: string;
  attempt: number;
  workflow?: string;
  action?: string;
  url: string;
  at: string;
  outcome: 'delivered' | 'failed';
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  error?: string;
  durationMs: number;
  /** When the next attempt is due, for a failed attempt that will be retried. */
  nextAttemptAt?: string;
  /** The signed body (kept on the first attempt only). */
  body?: string;
  entity?: string;
  recordId?: string;
  /** For an event subscription's delivery: which, which event, and its place in the subscription's order. */
  subscription?: string;
  event?: string;
  seq?: number;
}

export async function logAttempt(store: Store, attempt: DeliveryAttempt): Promise<void> {
  await store.transaction((tx) => insertAttempt(tx, attempt));
}

/** Logs an attempt inside the caller's transaction (a batch of deliveries committed at once). */
export async function insertAttempt(tx: StoreTransaction, attempt: DeliveryAttempt): Promise<void> {
  await tx.insert(deliveriesCollection.name, { id: newId(), version: 1, revision: 0, data: attempt as unknown as Record<string, unknown> });
}

export async function attemptsOf(reader: StoreReader, deliveryId: string): Promise<(DeliveryAttempt & { id: string })[]> {
  const rows = await reader.find(deliveriesCollection.name, { filter: where({ deliveryId }), sort: [{ field: internalField('attempt', 'number'), direction: 1 }], limit: 100 });
  return rows.map((r) => ({ id: r.id, ...(r.data as unknown as DeliveryAttempt) }));
}

export async function listDeliveries(reader: StoreReader, query: { deliveryId?: string; workflow?: string; subscription?: string; limit: number }): Promise<(DeliveryAttempt & { id: string })[]> {
  const filter = andFilters(
    query.deliveryId ? where({ deliveryId: query.deliveryId }) : undefined, query.workflow ? where({ workflow: query.workflow }) : undefined,
    query.subscription ? where({ subscription: query.subscription }) : undefined,
  );
  const rows = await reader.find(deliveriesCollection.name, { filter, sort: [{ field: internalField('id'), direction: -1 }], limit: query.limit });
  return rows.map((r) => {
    const { body: _body, ...rest } = r.data as unknown as DeliveryAttempt;
    return { id: r.id, ...rest };
  });
}
