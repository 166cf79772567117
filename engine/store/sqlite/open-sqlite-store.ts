// store/sqlite/: the embedded store — one SQLite file `<directory>/crm.db` through better-sqlite3,
// one table per collection (id, version, revision, doc JSON) with expression indexes from metadata.
// This file owns the connections and transactions:
//  - writes run on a dedicated write connection inside `BEGIN IMMEDIATE`, one transaction at a time
//    in this process (an async mutex) and across processes (SQLite's write lock, waited for up to
//    the busy timeout), so two processes can share one data folder;
//  - reads outside a transaction use a second connection and see committed data only;
//  - WAL with synchronous=FULL: a transaction whose promise resolved survives kill -9.

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CrmError } from '../../kernel/errors.ts';
import type { CollectionSpec, FindQuery, GroupQuery, Store, StoreTransaction } from '../store-port.ts';
import { compileGroupSql } from './compile-group-sql.ts';
import { quoteName } from './sql-fragments.ts';
import { tableNameOf } from './table-names.ts';
import { AsyncMutex } from '../async-mutex.ts';
import { SqliteConnection } from './sqlite-connection.ts';
import { translateSqliteError } from './sqlite-errors.ts';
import { compileFindSql, SqliteReader } from './sqlite-reads.ts';
import { createStoreTables, dropCollectionTable, indexedPaths, listCollectionTables, listManagedIndexes, syncIndexes } from './sqlite-schema.ts';
import { SqliteTransaction } from './sqlite-transaction.ts';
import { collectionNameOf } from './table-names.ts';

export const databaseFileName = 'crm.db';

/** The embedded store, plus what tests and diagnostics need to look inside it. */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  readonly file: string;
  /** Spec names of the indexes syncCollection created on a collection. */
  listIndexNames(collection: string): Promise<string[]>;
  /** The `EXPLAIN QUERY PLAN` lines of the statement find() would run. */
  explainFind(collection: string, query: FindQuery): Promise<string[]>;
  /** The `EXPLAIN QUERY PLAN` lines of the statement group() would run. */
  explainGroup(collection: string, query: GroupQuery): Promise<string[]>;
}

export async function openSqliteStore(options: { directory: string }): Promise<SqliteStore> {
  mkdirSync(options.directory, { recursive: true });
  const file = join(options.directory, databaseFileName);
  // The writer opens first: it switches the file to WAL before any reader attaches.
  const writer = new SqliteConnection(file, { role: 'writer' });
  const reader = new SqliteConnection(file, { role: 'reader' });
  const mutex = new AsyncMutex();
  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;

  const readerConnection = (): SqliteConnection => {
    if (closed) throw new CrmError('UNAVAILABLE', 'The store is closed');
    return reader;
  };
  const committedReads = new SqliteReader(readerConnection);

  /** One atomic unit on the write connection: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any throw. */
  async function exclusive<T>(work: (writer: SqliteConnection) => Promise<T>): Promise<T> {
    if (insideTransaction.getStore()) {
      throw new CrmError('INTERNAL', 'Transactions must not nest: pass the transaction down instead');
    }
    return mutex.run(async () => {
      if (closed) throw new CrmError('UNAVAILABLE', 'The store is closed');
      try {
        writer.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw translateSqliteError(error, () => undefined);
      }
      try {
        const result = await insideTransaction.run(true, () => work(writer));
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        // Translated before the rollback: an index created in this transaction is only registered until then.
        const translated = translateSqliteError(error, (name) => indexedPaths(writer, name));
        if (writer.db.inTransaction) writer.exec('ROLLBACK');
        throw translated;
      }
    });
  }

  createStoreTables(writer);

  return {
    kind: 'sqlite',
    atomicTransactions: true,
    file,
    get: (collection, id) => committedReads.get(collection, id),
    find: (collection, query) => committedReads.find(collection, query),
    count: (collection, filter) => committedReads.count(collection, filter),
    aggregate: (collection, query) => committedReads.aggregate(collection, query),
    group: (collection, query) => committedReads.group(collection, query),

    async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
      return exclusive(async (connection) => {
        const tx = new SqliteTransaction(connection);
        try {
          return await work(tx);
        } finally {
          tx.finish();
        }
      });
    },

    syncCollection: (spec: CollectionSpec) => exclusive(async (connection) => syncIndexes(connection, spec.name, spec.indexes)),
    dropCollection: (name) => exclusive(async (connection) => dropCollectionTable(connection, name)),

    async listCollections() {
      return listCollectionTables(readerConnection())
        .map(collectionNameOf)
        .filter((name): name is string => name !== undefined)
        .sort();
    },

    async listIndexNames(collection) {
      return listManagedIndexes(readerConnection(), collection);
    },

    async explainFind(collection, query) {
      const statement = compileFindSql(collection, query);
      const plan = readerConnection().all<{ detail: string }>({ text: `EXPLAIN QUERY PLAN ${statement.text}`, params: statement.params });
      return plan.map((row) => row.detail);
    },

    async explainGroup(collection, query) {
      const statement = compileGroupSql(quoteName(tableNameOf(collection)), query);
      const plan = readerConnection().all<{ detail: string }>({ text: `EXPLAIN QUERY PLAN ${statement.text}`, params: statement.params });
      return plan.map((row) => row.detail);
    },

    async purgeDeleted() {
      // Old page images live on in the WAL until a checkpoint: copy them home and truncate it.
      await mutex.run(async () => {
        if (closed) return;
        for (let attempt = 0; attempt < 50; attempt++) {
          const [result] = writer.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
          if (!result || result.busy === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new CrmError('UNAVAILABLE', 'Could not checkpoint the write-ahead log: another process keeps reading');
      });
    },

    async close() {
      // Queued behind every transaction already started, so none is cut off.
      await mutex.run(async () => {
        if (closed) return;
        closed = true;
        reader.close();
        writer.close();
      });
    },
  };
}
