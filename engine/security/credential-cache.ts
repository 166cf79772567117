// security/credential-cache: the rows every authenticated request reads — its session or API token,
// and its user — kept by id for a moment, so that a client sending request after request does not
// cost two store reads each. What is kept is the stored row (the secret's SHA-256, never the secret):
// every request still hashes the secret it presents and compares it with the stored hash in constant
// time, checks expiry, the user's state and epoch (authenticate.ts).
//
// Revocation: a write this process makes to sessions, tokens or users (sign-out, token deletion, a
// disabled user, changed roles) drops the entry at once, through the store's write watch
// (store/write-watch.ts). A commit by another process on the same data folder (the `crm` CLI, a
// second server) drops every entry on the next request where the store can tell (SQLite:
// Store.changeMarker), and within `maxAgeMs` where it cannot (MongoDB). Without a write watch
// nothing is kept.

import { performance } from 'node:perf_hooks';
import { after } from '../kernel/maybe-promise.ts';
import { getNow, type StoredRecord, type StoreReader } from '../store/store-port.ts';
import { writeWatchOf } from '../store/write-watch.ts';
import { sessionsCollection, tokensCollection, usersCollection } from './collections.ts';

/** How long a row read by another process's change may stay in use. */
export const credentialCacheMs = 1000;
const maxEntries = 10_000;
const cached = new Set([sessionsCollection.name, tokensCollection.name, usersCollection.name]);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The authenticator's reader. */
export interface CredentialReader extends StoreReader {
  /** Runs `work` (one authentication): the reads it makes before returning share one look at the store's change marker. */
  authenticating<T>(work: () => T): T;
}

/**
 * A reader for the authenticator: get() of a session, token or user row answers from the cache when
 * the row was read less than `maxAgeMs` ago (by `now`, in ms; a monotonic clock by default), not
 * written by this process since and nothing committed by another since; every other read goes to `store`. Rows handed out are frozen (shared between requests).
 */
export function credentialReader(store: StoreReader, options: { maxAgeMs?: number; now?: () => number } = {}): CredentialReader {
  const maxAgeMs = options.maxAgeMs ?? credentialCacheMs;
  const clock = options.now ?? (() => performance.now());
  const watch = writeWatchOf(store);
  if (!watch || maxAgeMs <= 0) return Object.assign(Object.create(store) as StoreReader, { authenticating: <T>(work: () => T): T => work() });
  const entries = new Map<string, { row: StoredRecord; at: number; marker: number }>();
  const readMarker = (store as { changeMarker?: () => number }).changeMarker?.bind(store);
  // One look at the marker per authentication (its credential row and its user row, read one after
  // the other without a pause): SQLite answers it with a statement of its own, a few microseconds each.
  let sharing = false;
  let shared: number | undefined;
  const changeMarker = readMarker && (() => (sharing ? (shared ??= readMarker()) : readMarker()));
  // Moves on with every write seen: a read that began before one is not kept.
  let generation = 0;
  watch.onWrite([...cached], (collection, id) => {
    generation += 1;
    entries.delete(`${collection}/${id}`);
  });
  const reader = Object.create(store) as StoreReader;
  // Without a promise when the row is kept, or when the store reads at once (the embedded store).
  reader.getNow = (collection, id) => {
    if (!cached.has(collection)) return getNow(store, collection, id);
    const key = `${collection}/${id}`;
    const now = clock();
    const marker = changeMarker ? changeMarker() : 0;
    const hit = entries.get(key);
    if (hit !== undefined && now - hit.at < maxAgeMs && hit.marker === marker) return hit.row;
    const seen = generation;
    return after(getNow(store, collection, id), (row) => {
      // Absent rows are not kept: one created a moment later must be found.
      if (row !== undefined && seen === generation) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.delete(key);
        entries.set(key, { row: deepFreeze(row), at: now, marker });
      }
      return row;
    });
  };
  reader.get = async (collection, id) => reader.getNow!(collection, id);
  return Object.assign(reader, {
    authenticating<T>(work: () => T): T {
      sharing = true;
      shared = undefined;
      try {
        return work();
      } finally {
        sharing = false;
        shared = undefined;
      }
    },
  });
}
