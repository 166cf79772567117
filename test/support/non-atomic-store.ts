// A store as a standalone MongoDB server behaves (no replica set): every write atomic on its own and
// committed as it is made, a failed transaction keeping what it wrote. The real store, wrapped: the
// code under test runs its own write paths, only the rollback is gone.

import type { Store, StoreTransaction } from '../../engine/store/store-port.ts';

export function withoutRollback(store: Store): Store {
  const commitEach: StoreTransaction = {
    get: (c, id) => store.get(c, id),
    find: (c, q) => store.find(c, q),
    count: (c, f) => store.count(c, f),
    aggregate: (c, q) => store.aggregate(c, q),
    group: (c, q) => store.group(c, q),
    insert: (c, r) => store.transaction((tx) => tx.insert(c, r)),
    // MongoDB's ordered insertMany: the documents before a clash stay written.
    insertMany: async (c, records) => {
      for (const r of records) await store.transaction((tx) => tx.insert(c, r));
    },
    replace: (c, r, v) => store.transaction((tx) => tx.replace(c, r, v)),
    delete: (c, id, v) => store.transaction((tx) => tx.delete(c, id, v)),
    nextSequence: (key) => store.transaction((tx) => tx.nextSequence(key)),
    renameSequence: (from, to) => store.transaction((tx) => tx.renameSequence(from, to)),
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'atomicTransactions') return false;
      if (property === 'transaction') return <T>(work: (tx: StoreTransaction) => Promise<T>) => work(commitEach);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
