// store/sqlite/: the embedded store — one SQLite file `<directory>/crm.db` through better-sqlite3,
// one table per collection (id, version, revision, doc JSON) with expression indexes from metadata.
// This file owns the connections and transactions:
//  - writes run on a dedicated write connection inside `BEGIN IMMEDIATE`, one transaction at a time
//    in this process (an async mutex) and across processes (SQLite's write lock, waited for up to
//    the busy timeout), so two processes can share one data folder;
//  - reads outside a transaction use a second connection and see committed data only;
//  - WAL with synchronous=FULL: a transaction whose promise resolved survives kill -9;
//  - reads that may be slow — a scan or a sort no index serves (EXPLAIN QUERY PLAN), counts and
//    groupings — on a table past `offloadAboveRows` run on worker threads with their own read-only
//    connections (read-pool.ts), within the current request's time budget; the rest run here.

import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CrmError } from '../../kernel/errors.ts';
import type { MaybePromise } from '../../kernel/maybe-promise.ts';
import type { CollectionSpec, FindQuery, GroupQuery, Store, StoreTransaction } from '../store-port.ts';
import { compileGroupSql } from './compile-group-sql.ts';
import { tableNameOf } from './table-names.ts';
import { AsyncMutex } from '../async-mutex.ts';
import { SqliteConnection } from './sqlite-connection.ts';
import { translateSqliteError } from './sqlite-errors.ts';
import { compileFindSql, SqliteReader, type ReadKind } from './sqlite-reads.ts';
import { ReadPool } from './read-pool.ts';
import { currentDeadline } from '../../kernel/request-budget.ts';
import { quoteName, sql, type Sql } from './sql-fragments.ts';
import { createStoreTables, dropCollectionTable, indexedPaths, listCollectionTables, listManagedIndexes, missingIndexStatements, syncIndexes } from './sqlite-schema.ts';
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
  /** Where find() would run the query: on a worker thread (may be slow) or on the main thread. */
  placeOfFind(collection: string, query: FindQuery): 'worker' | 'main';
  /** Starts the slow-read worker threads now; resolves when they can take reads (else they start with the first large table). */
  warmReadWorkers(): Promise<void>;
}

/** Below this many rows a table is read on the main thread whatever the plan: a full scan stays within a few milliseconds. */
export const defaultOffloadAboveRows = 10_000;

/** A statement's plan says it may be slow: it scans a table or sorts the matches (no index serves the filter or the order). */
export function planMayBeSlow(plan: readonly string[]): boolean {
  return plan.some((line) => /^SCAN /.test(line) || line.includes('TEMP B-TREE'));
}

/**
 * The committed-data reader: decides per statement where it runs. Plans are cached by statement
 * text (dropped when indexes change); table sizes are estimated from max(rowid), cached briefly.
 */
class OffloadingReader extends SqliteReader {
  private readonly plans = new Map<string, boolean>();
  private readonly sizes = new Map<string, { rows: number; at: number }>();

  constructor(connection: () => SqliteConnection, private readonly pool: ReadPool, private readonly offloadAboveRows: number) {
    super(connection);
  }

  forgetPlans(): void {
    this.plans.clear();
    this.sizes.clear();
  }

  /** Where a read runs: 'worker' (off the event loop) or here. */
  placeOf(collection: string, statement: Sql, kind: ReadKind): 'worker' | 'main' {
    if (this.approximateRows(collection) < this.offloadAboveRows) return 'main';
    // The first large table seen starts the threads, so the first slow read does not wait for them.
    if (!this.pool.started) void this.pool.warm();
    if (kind === 'count' || kind === 'group') return 'worker';
    let slow = this.plans.get(statement.text);
    if (slow === undefined) {
      const plan = this.read<{ detail: string }[]>([], (c) => c.all({ text: `EXPLAIN QUERY PLAN ${statement.text}`, params: statement.params }));
      // A walk of an index in sort order with no filter stops at the limit: fast however large the table.
      const unfilteredWalk = / WHERE \(1\) ORDER BY /.test(statement.text) && !plan.some((row) => row.detail.includes('TEMP B-TREE'));
      slow = !unfilteredWalk && planMayBeSlow(plan.map((row) => row.detail));
      if (this.plans.size >= 500) this.plans.clear();
      this.plans.set(statement.text, slow);
    }
    return slow ? 'worker' : 'main';
  }

  protected override readAllNow<Row>(collection: string, statement: Sql, kind: ReadKind): MaybePromise<Row[]> {
    if (this.placeOf(collection, statement, kind) === 'main') return super.readAllNow(collection, statement, kind);
    return this.offload(statement, 'all', []);
  }

  protected override async readOne<Row>(collection: string, statement: Sql, kind: ReadKind): Promise<Row | undefined> {
    if (this.placeOf(collection, statement, kind) === 'main') return super.readOne(collection, statement, kind);
    return this.offload(statement, 'get', undefined);
  }

  private async offload<T>(statement: Sql, mode: 'all' | 'get', empty: T): Promise<T> {
    try {
      return await this.pool.run<T>(statement, mode, currentDeadline());
    } catch (error) {
      if ((error as { missingTable?: boolean }).missingTable) return empty;
      throw error;
    }
  }

  approximateRows(collection: string): number {
    const now = performance.now();
    const known = this.sizes.get(collection);
    if (known && now - known.at < 5000) return known.rows;
    // The largest rowid: one step down the table's b-tree; deleted rows make it an over-estimate.
    const row = this.read(undefined, (c) => c.get<{ n: number | null }>(sql(`SELECT max(rowid) AS n FROM ${this.table(collection)}`)));
    const rows = row?.n ?? 0;
    this.sizes.set(collection, { rows, at: now });
    return rows;
  }
}

export interface SqliteStoreOptions {
  directory: string;
  /** Tables with fewer rows are always read on the main thread (default 10,000). */
  offloadAboveRows?: number;
  /** Worker threads for slow reads (default: one fewer than the available cores, 1–4; read-pool.ts). */
  readWorkers?: number;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
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
  const pool = new ReadPool(file, options.readWorkers);
  const committedReads = new OffloadingReader(readerConnection, pool, options.offloadAboveRows ?? defaultOffloadAboveRows);

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
  // SQLite's data_version on the write connection moves when any other connection commits — another
  // process, an index-build thread — never for this connection's own commits (Store.changeMarker).
  const dataVersion = writer.db.prepare<[], number>('PRAGMA data_version').pluck();

  return {
    kind: 'sqlite',
    atomicTransactions: true,
    file,
    get: (collection, id) => committedReads.get(collection, id),
    find: (collection, query) => committedReads.find(collection, query),
    getNow: (collection, id) => committedReads.getNow(collection, id),
    findNow: (collection, query) => committedReads.findNow(collection, query),
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

    async syncCollection(spec: CollectionSpec) {
      // New indexes on a large table are built first on a thread of their own (CREATE INDEX takes
      // ~1.4 s at a million records), holding the write mutex but not the event loop: reads go on,
      // writes queue. Should that fail (duplicates under a new unique index), the build below fails
      // the same way on the main thread and names the fields.
      await mutex.run(async () => {
        if (closed || committedReads.approximateRows(spec.name) < (options.offloadAboveRows ?? defaultOffloadAboveRows)) return;
        const statements = missingIndexStatements(writer, spec.name, spec.indexes);
        if (statements.length > 0) await pool.build(statements).catch(() => undefined);
      });
      return exclusive(async (connection) => {
        syncIndexes(connection, spec.name, spec.indexes);
        committedReads.forgetPlans();
      });
    },
    dropCollection: (name) =>
      exclusive(async (connection) => {
        dropCollectionTable(connection, name);
        committedReads.forgetPlans();
      }),

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

    warmReadWorkers: () => pool.warm(),
    changeMarker: () => (closed ? -1 : dataVersion.get()!),
    placeOfFind: (collection, query) => committedReads.placeOf(collection, compileFindSql(collection, query), 'find'),

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
        await pool.close();
        reader.close();
        writer.close();
      });
    },
  };
}
