// idempotency/: a retried POST returns the first answer instead of acting twice. This file: the
// kept keys (`_idempotencyKeys`) — one document per user and key, holding a fingerprint of the
// request, its state (pending → committed → done) and, once answered, the answer itself.

import { createHash } from 'node:crypto';
import { stringify as canonicalJson } from 'safe-stable-stringify';
import { internalField } from '../filter/filter-tree.ts';
import type { CollectionSpec, Store, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { CrmError } from '../kernel/errors.ts';

export const idempotencyCollection: CollectionSpec = {
  name: '_idempotencyKeys',
  indexes: [{ name: 'expires', keys: [{ path: ['expiresAt'], direction: 1 }], unique: false }],
};

/** Keys are kept this long after first use. */
export const keepMs = 24 * 3_600_000;
/** A pending key whose request shows no sign of life for this long may be taken over. */
export const pendingLeaseMs = 60_000;

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the write transactions of the request did (for an answer lost in a crash). */
export interface WriteOutcome {
  type: string;
  entity: string;
  id: string;
}

export interface IdempotencyEntry {
  user: string;
  /** SHA-256 of the key (the key itself may be anything the client chose). */
  keyHash: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  /** pending: being served; committed: a write of it committed, answer not stored yet; done: answer stored. */
  state: 'pending' | 'committed' | 'done';
  createdAt: string;
  expiresAt: string;
  leaseUntil: string;
  outcomes?: WriteOutcome[];
  answer?: StoredAnswer;
}

export interface KeptKey extends IdempotencyEntry {
  id: string;
  version: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function keyDocumentId(user: string, key: string): string {
  return `idem.${sha256(`${user}\u0000${key}`).slice(0, 40)}`;
}

/**
 * The request as compared on a retry: its body as parsed JSON with the keys of every object in
 * order — a client library may send a retry's keys in another order; a list's order counts.
 */
export function fingerprintOf(method: string, path: string, body: unknown): string {
  return sha256(`${method} ${path}\n${body === undefined ? '' : (canonicalJson(body) ?? '')}`);
}

export function keyHashOf(key: string): string {
  return sha256(key);
}

export async function findKey(reader: StoreReader, id: string): Promise<KeptKey | undefined> {
  const row = await reader.get(idempotencyCollection.name, id);
  return row ? { id: row.id, version: row.version, ...(row.data as unknown as IdempotencyEntry) } : undefined;
}

/** Inserts a pending key; false when one exists already (another request got there first). */
export async function insertPendingKey(tx: StoreTransaction, id: string, entry: IdempotencyEntry): Promise<boolean> {
  if (await tx.get(idempotencyCollection.name, id)) return false;
  try {
    await tx.insert(idempotencyCollection.name, { id, version: 1, revision: 0, data: entry as unknown as Record<string, unknown> });
    return true;
  } catch (error) {
    if (error instanceof CrmError && error.code === 'UNIQUE_VIOLATION') return false;
    throw error;
  }
}

/** Replaces the key's document with `change` applied, re-reading on a lost race. */
export async function updateKey(tx: StoreTransaction, id: string, change: (entry: IdempotencyEntry) => IdempotencyEntry | undefined): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const current = await findKey(tx, id);
    if (!current) return;
    const { id: _id, version, ...entry } = current;
    const next = change(entry);
    if (!next) return;
    if (await tx.replace(idempotencyCollection.name, { id, version: version + 1, revision: 0, data: next as unknown as Record<string, unknown> }, version)) return;
  }
}

export async function deleteKey(store: Store, id: string): Promise<void> {
  await store.transaction((tx) => tx.delete(idempotencyCollection.name, id));
}

/** Removes keys past their 24 hours; returns how many. */
export async function purgeExpiredKeys(store: Store, now: Date, limit = 500): Promise<number> {
  const rows = await store.find(idempotencyCollection.name, { filter: { kind: 'compare', field: internalField('expiresAt'), op: '$lt', value: now.toISOString() }, sort: [], limit });
  if (rows.length === 0) return 0;
  await store.transaction(async (tx) => {
    for (const row of rows) await tx.delete(idempotencyCollection.name, row.id, row.version);
  });
  return rows.length;
}
