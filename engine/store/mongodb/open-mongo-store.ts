// store/mongodb/: the MongoDB store through the official driver — one collection per collection
// name, records as `{ _id: id, version, revision, doc: {...} }`, the filter tree compiled to a
// MongoDB query, managed indexes prefixed `crm_`.
// This file owns the connection and transactions:
//  - on a replica set or mongos, transaction() is a session transaction (session.withTransaction).
//    The driver retries the whole work function on transient errors (write conflicts), so `work`
//    may run more than once; it must keep its effects inside the transaction;
//  - on a standalone server there are no transactions: work runs with plain operations, each write
//    atomic on its own but not all-or-nothing together (`atomicTransactions` is false). Conditional
//    replace, delete and nextSequence stay atomic either way;
//  - writes use w: 'majority' with journaling, so an acknowledged write survives a crash.

import { AsyncLocalStorage } from 'node:async_hooks';
import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { CrmError } from '../../kernel/errors.ts';
import type { CollectionSpec, Store, StoreTransaction } from '../store-port.ts';
import { assertCollectionName, collectionNamePattern } from '../store-names.ts';
import type { RecordDocument } from './compile-filter-mongo.ts';
import { translateMongoError } from './mongo-errors.ts';
import { ensureCollection, listManagedIndexNames, syncMongoIndexes } from './mongo-indexes.ts';
import { MongoReader, MongoTransaction, sequencesCollection } from './mongo-operations.ts';

const namespaceNotFound = 26;

export interface MongoStore extends Store {
  readonly kind: 'mongodb';
  /** Spec names of the indexes syncCollection created on a collection. */
  listIndexNames(collection: string): Promise<string[]>;
  /** A GridFS bucket of this database, where stored files keep their bytes (file-storage/file-bytes.ts). */
  fileBucket(name: string): GridFSBucket;
}

export async function openMongoStore(options: { uri: string; database?: string }): Promise<MongoStore> {
  const client = new MongoClient(options.uri, { writeConcern: { w: 'majority', journal: true } });
  await client.connect();
  try {
    const db = client.db(options.database ?? databaseInUri(options.uri) ?? 'crm');
    const atomicTransactions = await serverSupportsTransactions(db);
    // Created up front: creating it implicitly inside a transaction fails in cross-shard transactions.
    await ensureCollection(db, sequencesCollection);
    return createMongoStore(client, db, atomicTransactions);
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** The database named in the URI's path (`mongodb://host/crm?…`), if any; the driver would fall back to `test`. */
function databaseInUri(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri)?.[1];
  return name === undefined || name === '' ? undefined : decodeURIComponent(name);
}

/** Transactions need a replica set member (`setName`) or a mongos router (`isdbgrid`). */
async function serverSupportsTransactions(db: Db): Promise<boolean> {
  // `hello` replaced `isMaster` (MongoDB 4.4.2 / 5.0); older servers only know the latter.
  const hello = await db
    .admin()
    .command({ hello: 1 })
    .catch(() => db.admin().command({ isMaster: 1 }));
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

function createMongoStore(client: MongoClient, db: Db, atomicTransactions: boolean): MongoStore {
  const reads = new MongoReader(db);
  const insideTransaction = new AsyncLocalStorage<true>();
  const running = new Set<Promise<unknown>>();

  async function runTransaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    if (!atomicTransactions) return attempt(work, new MongoTransaction(db));
    const session = client.startSession();
    try {
      return await session.withTransaction(() => attempt(work, new MongoTransaction(db, session)), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority', journal: true },
        readPreference: 'primary',
      });
    } finally {
      await session.endSession();
    }
  }

  async function attempt<T>(work: (tx: StoreTransaction) => Promise<T>, tx: MongoTransaction): Promise<T> {
    try {
      return await work(tx);
    } finally {
      tx.finish();
    }
  }

  return {
    kind: 'mongodb',
    atomicTransactions,
    get: (collection, id) => reads.get(collection, id).catch(rethrow),
    find: (collection, query) => reads.find(collection, query).catch(rethrow),
    count: (collection, filter) => reads.count(collection, filter).catch(rethrow),
    aggregate: (collection, query) => reads.aggregate(collection, query).catch(rethrow),
    group: (collection, query) => reads.group(collection, query).catch(rethrow),

    async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      if (insideTransaction.getStore()) throw new CrmError('INTERNAL', 'Transactions must not nest: pass the transaction down instead');
      const result = insideTransaction.run(true, () => runTransaction(work));
      running.add(result);
      try {
        return await result;
      } finally {
        running.delete(result);
      }
    },

    async syncCollection(spec: CollectionSpec) {
      assertCollectionName(spec.name);
      await ensureCollection(db, spec.name);
      await syncMongoIndexes(db.collection<RecordDocument>(spec.name), spec.indexes).catch(rethrow);
    },

    async dropCollection(name) {
      assertCollectionName(name);
      try {
        await db.collection(name).drop();
      } catch (error) {
        if ((error as { code?: unknown }).code !== namespaceNotFound) throw error;
      }
    },

    async listCollections() {
      const collections = await db.listCollections({}, { nameOnly: true }).toArray();
      return collections.map((c) => c.name).filter((name) => collectionNamePattern.test(name)).sort();
    },

    fileBucket: (name) => new GridFSBucket(db, { bucketName: name }),

    listIndexNames: (collection) => {
      assertCollectionName(collection);
      return listManagedIndexNames(db.collection<RecordDocument>(collection));
    },

    async close() {
      await Promise.allSettled([...running]);
      await client.close();
    },
  };
}

function rethrow(error: unknown): never {
  throw translateMongoError(error);
}
