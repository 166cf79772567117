// store/deferred-inserts: a transaction whose inserts into some append-only collections (audit
// entries, an import's change log) are held back and written together — one multi-row statement
// per hundred records instead of one per record — before the transaction commits. Bulk writers
// (imports, cleansing jobs, bulk merges) wrap their transaction in it and keep calling the one
// record-write path; reads, replaces and deletes of a held collection write its held inserts
// first, so the transaction still sees its own writes.

import type { AggregateQuery, FindQuery, GroupQuery, GroupRow, StoredRecord, StoreTransaction } from './store-port.ts';
import type { FilterNode, ScalarValue } from '../filter/filter-tree.ts';

export class DeferredInserts implements StoreTransaction {
  private readonly held = new Map<string, StoredRecord[]>();

  /**
   * `collections`: the collections whose inserts are held; use only those whose ids never clash.
   * `observe`: told of every insert and replace made through this transaction (held or not).
   */
  constructor(private readonly tx: StoreTransaction, private readonly collections: ReadonlySet<string>, private readonly observe?: (collection: string, record: StoredRecord) => void) {}

  /** Writes every held insert; call before the transaction's work returns. */
  async flush(): Promise<void> {
    for (const collection of [...this.held.keys()]) await this.flushCollection(collection);
  }

  private async flushCollection(collection: string): Promise<void> {
    const records = this.held.get(collection);
    if (!records || records.length === 0) return;
    this.held.delete(collection);
    if (this.tx.insertMany) await this.tx.insertMany(collection, records);
    else for (const record of records) await this.tx.insert(collection, record);
  }

  async insert(collection: string, record: StoredRecord): Promise<void> {
    this.observe?.(collection, record);
    if (!this.collections.has(collection)) return this.tx.insert(collection, record);
    let records = this.held.get(collection);
    if (!records) this.held.set(collection, (records = []));
    records.push(record);
  }

  async insertMany(collection: string, records: readonly StoredRecord[]): Promise<void> {
    for (const record of records) await this.insert(collection, record);
  }

  async replace(collection: string, record: StoredRecord, expectedVersion: number): Promise<boolean> {
    this.observe?.(collection, record);
    await this.flushCollection(collection);
    return this.tx.replace(collection, record, expectedVersion);
  }

  async delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    await this.flushCollection(collection);
    return this.tx.delete(collection, id, expectedVersion);
  }

  nextSequence(key: string): Promise<number> {
    return this.tx.nextSequence(key);
  }

  renameSequence(from: string, to: string): Promise<boolean> {
    return this.tx.renameSequence(from, to);
  }

  async get(collection: string, id: string): Promise<StoredRecord | undefined> {
    await this.flushCollection(collection);
    return this.tx.get(collection, id);
  }

  async find(collection: string, query: FindQuery): Promise<StoredRecord[]> {
    await this.flushCollection(collection);
    return this.tx.find(collection, query);
  }

  async count(collection: string, filter: FilterNode): Promise<number> {
    await this.flushCollection(collection);
    return this.tx.count(collection, filter);
  }

  async aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue> {
    await this.flushCollection(collection);
    return this.tx.aggregate(collection, query);
  }

  async group(collection: string, query: GroupQuery): Promise<GroupRow[]> {
    await this.flushCollection(collection);
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
