// store/deferred-inserts: a transaction whose inserts into some append-only collections (audit
// entries, an import's change log) are held back and written together — one multi-row statement
// per hundred records instead of one per record — before the transaction commits. Bulk writers
// (imports, cleansing jobs, bulk merges) wrap their transaction in it and keep calling the one
// record-write path; reads, replaces and deletes of a held collection write its held inserts
// first, so the transaction still sees its own writes.
//
// An import may also hold the inserts of the records themselves (`records`): one INSERT for up to a
// hundred records. Those collections have unique indexes, so a clash is only found when they are
// written — and a multi-row statement cannot say which row clashed: such a failure throws
// HeldInsertsFailed, for the caller to run its batch again row by row (one insert per record). Any
// read, replace or delete, of whatever collection (a filter may join another table), first writes
// the held records, so nothing ever reads around them.

import type { AggregateQuery, FindQuery, GroupQuery, GroupRow, StoredRecord, StoreTransaction } from './store-port.ts';
import type { FilterNode, ScalarValue } from '../filter/filter-tree.ts';

/** Held inserts of records (DeferredInserts' `records`) failed — a unique clash, most likely: run the batch again without holding them. */
export class HeldInsertsFailed extends Error {
  constructor(readonly collection: string, override readonly cause: unknown) {
    super(`held inserts into ${collection} failed`);
  }
}

const done: Promise<void> = Promise.resolve();

/**
 * Held inserts of one collection are written once this many wait (a full multi-row statement of the
 * SQLite store): written soon, a record's audit entry and stored copy die young instead of living
 * through the whole batch — past the young generation, where the garbage collector copies them.
 */
const writeAt = 100;

export class DeferredInserts implements StoreTransaction {
  private readonly held = new Map<string, StoredRecord[]>();
  private readonly records: ReadonlySet<string>;
  /** Records are held now (some `records` collection has inserts waiting). */
  private holdingRecords = false;

  /**
   * `collections`: the collections whose inserts are held; use only those whose ids never clash.
   * `observe`: told of every insert and replace made through this transaction (held or not).
   * `records`: collections of records whose inserts are held too (see the header): a failed write of them throws HeldInsertsFailed.
   * `observeDelete`: told of every delete made through this transaction.
   */
  constructor(private readonly tx: StoreTransaction, private readonly collections: ReadonlySet<string>, private readonly observe?: (collection: string, record: StoredRecord) => void, records?: ReadonlySet<string>, private readonly observeDelete?: (collection: string, id: string) => void) {
    this.records = records ?? new Set();
  }

  /** Writes every held insert; call before the transaction's work returns. */
  async flush(): Promise<void> {
    await this.flushRecords();
    for (const collection of [...this.held.keys()]) await this.flushCollection(collection);
  }

  /** Writes the held records (not the other held inserts): a dry run's clashes show before it rolls back. */
  async flushRecords(): Promise<void> {
    if (!this.holdingRecords) return;
    this.holdingRecords = false;
    for (const collection of this.records) await this.flushCollection(collection);
  }

  private async flushCollection(collection: string): Promise<void> {
    const records = this.held.get(collection);
    if (!records || records.length === 0) return;
    this.held.delete(collection);
    try {
      if (this.tx.insertMany) await this.tx.insertMany(collection, records);
      else for (const record of records) await this.tx.insert(collection, record);
    } catch (error) {
      if (this.records.has(collection)) throw new HeldInsertsFailed(collection, error);
      throw error;
    }
  }

  /** Before any read or other write: held records written, and the collection's own held inserts. */
  private async settle(collection: string): Promise<void> {
    if (this.holdingRecords) await this.flushRecords();
    if (this.held.has(collection)) await this.flushCollection(collection);
  }

  insert(collection: string, record: StoredRecord): Promise<void> {
    this.observe?.(collection, record);
    const holdsRecords = this.records.has(collection);
    if (!holdsRecords && !this.collections.has(collection)) return this.tx.insert(collection, record);
    let records = this.held.get(collection);
    if (!records) this.held.set(collection, (records = []));
    records.push(record);
    if (holdsRecords) this.holdingRecords = true;
    if (records.length < writeAt) return done;
    return holdsRecords ? this.flushRecords() : this.flushCollection(collection);
  }

  async insertMany(collection: string, records: readonly StoredRecord[]): Promise<void> {
    for (const record of records) await this.insert(collection, record);
  }

  async replace(collection: string, record: StoredRecord, expectedVersion: number): Promise<boolean> {
    this.observe?.(collection, record);
    await this.settle(collection);
    return this.tx.replace(collection, record, expectedVersion);
  }

  async delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    this.observeDelete?.(collection, id);
    // A delete by id reads no other collection: held records are written first only when it may be one of them.
    if (this.records.has(collection) || this.held.has(collection)) await this.settle(collection);
    return this.tx.delete(collection, id, expectedVersion);
  }

  nextSequence(key: string): Promise<number> {
    return this.tx.nextSequence(key);
  }

  renameSequence(from: string, to: string): Promise<boolean> {
    return this.tx.renameSequence(from, to);
  }

  async get(collection: string, id: string): Promise<StoredRecord | undefined> {
    await this.settle(collection);
    return this.tx.get(collection, id);
  }

  async find(collection: string, query: FindQuery): Promise<StoredRecord[]> {
    await this.settle(collection);
    return this.tx.find(collection, query);
  }

  async count(collection: string, filter: FilterNode): Promise<number> {
    await this.settle(collection);
    return this.tx.count(collection, filter);
  }

  async aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue> {
    await this.settle(collection);
    return this.tx.aggregate(collection, query);
  }

  async group(collection: string, query: GroupQuery): Promise<GroupRow[]> {
    await this.settle(collection);
    return this.tx.group(collection, query);
  }
}

/** Runs `work` on a DeferredInserts over `tx`, writing the held inserts once it returns. */
export async function withDeferredInserts<T>(tx: StoreTransaction, collections: ReadonlySet<string>, work: (tx: StoreTransaction) => Promise<T>, observe?: (collection: string, record: StoredRecord) => void): Promise<T> {
  const deferred = new DeferredInserts(tx, collections, observe);
  const result = await work(deferred);
  await deferred.flush();
  return result;
}
