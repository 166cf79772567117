// store/write-watch: tells in-process caches of a few system collections (the credential rows every
// request reads: security/credential-cache.ts) that this process wrote to them. Adapter-agnostic: it
// wraps any Store's transaction() and hands the work a transaction whose writes to a watched
// collection are noted. Listeners hear of each such write twice — when it is made (so a read
// already under way is not kept as current) and when its transaction has ended, committed or not.
// Writes by other processes on the same data folder are not seen: caches bound their age for those.

import type { StoredRecord, Store, StoreReader, StoreTransaction } from './store-port.ts';

/** `id` of the written record (every write names one). */
export type WriteListener = (collection: string, id: string) => void;

export interface WriteWatch {
  /** Calls `listener` for every write this process makes to one of `collections`; returns the unsubscribe. */
  onWrite(collections: readonly string[], listener: WriteListener): () => void;
}

/** The write watch of a store wrapped by watchWrites(), if it is one. */
export function writeWatchOf(store: StoreReader): WriteWatch | undefined {
  return (store as Partial<Record<typeof watchKey, WriteWatch>>)[watchKey];
}

const watchKey = Symbol('crm.store.writeWatch');

/** A transaction noting its writes to watched collections; reads and the rest pass straight through. */
class WatchedTransaction implements StoreTransaction {
  declare insertMany?: StoreTransaction['insertMany'];

  constructor(
    private readonly tx: StoreTransaction,
    private readonly watched: ReadonlyMap<string, ReadonlySet<WriteListener>>,
    private readonly written: [string, string][],
  ) {
    if (tx.insertMany) {
      this.insertMany = (collection, records) => {
        for (const record of records) this.note(collection, record.id);
        return tx.insertMany!(collection, records);
      };
    }
  }

  private note(collection: string, id: string): void {
    const listeners = this.watched.get(collection);
    if (listeners === undefined) return;
    this.written.push([collection, id]);
    for (const listener of listeners) listener(collection, id);
  }

  get(collection: string, id: string) {
    return this.tx.get(collection, id);
  }
  find(...args: Parameters<StoreTransaction['find']>) {
    return this.tx.find(...args);
  }
  count(...args: Parameters<StoreTransaction['count']>) {
    return this.tx.count(...args);
  }
  aggregate(...args: Parameters<StoreTransaction['aggregate']>) {
    return this.tx.aggregate(...args);
  }
  group(...args: Parameters<StoreTransaction['group']>) {
    return this.tx.group(...args);
  }
  insert(collection: string, record: StoredRecord) {
    this.note(collection, record.id);
    return this.tx.insert(collection, record);
  }
  replace(collection: string, record: StoredRecord, expectedVersion: number) {
    this.note(collection, record.id);
    return this.tx.replace(collection, record, expectedVersion);
  }
  delete(collection: string, id: string, expectedVersion?: number) {
    this.note(collection, id);
    return this.tx.delete(collection, id, expectedVersion);
  }
  nextSequence(key: string) {
    return this.tx.nextSequence(key);
  }
  renameSequence(from: string, to: string) {
    return this.tx.renameSequence(from, to);
  }
}

/** `store` with a write watch (writeWatchOf). While nothing listens, transactions are not wrapped. */
export function watchWrites(store: Store): Store {
  const watched = new Map<string, Set<WriteListener>>();
  const watch: WriteWatch = {
    onWrite(collections, listener) {
      for (const collection of collections) {
        let set = watched.get(collection);
        if (!set) watched.set(collection, (set = new Set()));
        set.add(listener);
      }
      return () => {
        for (const collection of collections) {
          const set = watched.get(collection);
          set?.delete(listener);
          if (set?.size === 0) watched.delete(collection);
        }
      };
    },
  };
  const wrapped = Object.create(store) as Store & Record<typeof watchKey, WriteWatch>;
  wrapped[watchKey] = watch;
  wrapped.transaction = async <T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> => {
    if (watched.size === 0) return store.transaction(work);
    const written: [string, string][] = [];
    try {
      return await store.transaction((tx) => work(new WatchedTransaction(tx, watched, written)));
    } finally {
      // Again once the transaction has ended: a read made meanwhile saw the data before the write.
      for (const [collection, id] of written) for (const listener of watched.get(collection) ?? []) listener(collection, id);
    }
  };
  return wrapped;
}
