// store/mongodb/mongo-operations: reads and writes on MongoDB, inside a session transaction or
// without one. Operations of one transaction run one at a time (the driver does not support
// parallel operations in a transaction), and every write is one conditional server command.

import type { ClientSession, Collection, Db } from 'mongodb';
import type { FilterNode, ScalarValue } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { AsyncMutex } from '../async-mutex.ts';
import type { AggregateQuery, FindQuery, GroupQuery, GroupRow, StoredRecord, StoreReader, StoreTransaction } from '../store-port.ts';
import { compileGroupMongo, groupRowFromMongo } from './compile-group-mongo.ts';
import { assertCollectionName } from '../store-names.ts';
import { compileFilterMongo, mongoFieldName, type RecordDocument, type RecordFilter } from './compile-filter-mongo.ts';
import { compileKeysetAfterMongo, compileSortMongo } from './compile-order-mongo.ts';
import { dropLookupStage, lookupChainsOf, lookupStages } from './lookup-stages-mongo.ts';
import { isDuplicateKey, translateMongoError, withKeyPattern } from './mongo-errors.ts';

/** Where sequences live: a name no collection can have (collection names have no dots). */
export const sequencesCollection = '_store.sequences';

interface SequenceDocument {
  _id: string;
  value: number;
}

function recordOf(document: RecordDocument): StoredRecord {
  return { id: document._id, version: document.version, revision: document.revision, data: document.doc };
}

export class MongoReader implements StoreReader {
  constructor(
    protected readonly db: Db,
    protected readonly session?: ClientSession,
  ) {}

  async get(collection: string, id: string): Promise<StoredRecord | undefined> {
    const found = await this.collection(collection).findOne({ _id: id }, { session: this.session });
    return found === null ? undefined : recordOf(found);
  }

  async find(collection: string, query: FindQuery): Promise<StoredRecord[]> {
    if (!Number.isInteger(query.limit) || query.limit < 0) throw new CrmError('INTERNAL', `Invalid limit ${query.limit}`);
    const filter = compileFilterMongo(query.filter);
    const where = query.after === undefined ? filter : { $and: [filter, compileKeysetAfterMongo(query.sort, query.after)] };
    // A limit of 0 means "no limit" to MongoDB.
    if (query.limit === 0) return [];
    const chains = lookupChainsOf(query.filter, query.sort);
    if (chains.length > 0) {
      const pipeline = [...lookupStages(chains), { $match: where }, { $sort: compileSortMongo(query.sort) }, { $limit: query.limit }, ...dropLookupStage(chains)];
      return (await this.collection(collection).aggregate<RecordDocument>(pipeline, { session: this.session }).toArray()).map(recordOf);
    }
    const found = await this.collection(collection).find(where, { session: this.session, sort: compileSortMongo(query.sort), limit: query.limit }).toArray();
    return found.map(recordOf);
  }

  count(collection: string, filter: FilterNode): Promise<number> {
    return this.countMatching(collection, filter);
  }

  async aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue> {
    // countMatching, not this.count: in a transaction count() queues behind the running operation — this one.
    if (query.op === 'count') return this.countMatching(collection, query.filter);
    if (query.path === undefined) throw new CrmError('INTERNAL', `Aggregate ${query.op} needs a path`);
    // $sum/$avg skip non-numbers and $min/$max skip null and absent values, as the SQLite adapter does.
    const pipeline = [
      ...lookupStages(lookupChainsOf(query.filter)),
      { $match: compileFilterMongo(query.filter) },
      { $group: { _id: null, result: { [`$${query.op}`]: `$${mongoFieldName(query.path)}` } } },
    ];
    const [group] = await this.collection(collection).aggregate<{ result: ScalarValue }>(pipeline, { session: this.session }).toArray();
    return group?.result ?? (query.op === 'sum' ? 0 : null);
  }

  private async countMatching(collection: string, filter: FilterNode): Promise<number> {
    const chains = lookupChainsOf(filter);
    if (chains.length > 0) {
      const pipeline = [...lookupStages(chains), { $match: compileFilterMongo(filter) }, { $count: 'n' }];
      const [counted] = await this.collection(collection).aggregate<{ n: number }>(pipeline, { session: this.session }).toArray();
      return counted?.n ?? 0;
    }
    return this.collection(collection).countDocuments(compileFilterMongo(filter), { session: this.session });
  }

  async group(collection: string, query: GroupQuery): Promise<GroupRow[]> {
    // A limit of 0 is refused by $limit: nothing to ask for.
    if (query.limit === 0) return [];
    const found = await this.collection(collection).aggregate<{ doc: Record<string, unknown> }>(compileGroupMongo(query), { session: this.session }).toArray();
    return found.map((document) => groupRowFromMongo(query, document));
  }

  protected collection(name: string): Collection<RecordDocument> {
    assertCollectionName(name);
    return this.db.collection<RecordDocument>(name);
  }
}

export class MongoTransaction extends MongoReader implements StoreTransaction {
  private readonly queue = new AsyncMutex();
  private finished = false;

  /** Called once the transaction's work has settled; later use is a programming error. */
  finish(): void {
    this.finished = true;
  }

  override get(collection: string, id: string): Promise<StoredRecord | undefined> {
    return this.serial(() => super.get(collection, id));
  }
  override find(collection: string, query: FindQuery): Promise<StoredRecord[]> {
    return this.serial(() => super.find(collection, query));
  }
  override count(collection: string, filter: FilterNode): Promise<number> {
    return this.serial(() => super.count(collection, filter));
  }
  override aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue> {
    return this.serial(() => super.aggregate(collection, query));
  }
  override group(collection: string, query: GroupQuery): Promise<GroupRow[]> {
    return this.serial(() => super.group(collection, query));
  }

  insert(collection: string, record: StoredRecord): Promise<void> {
    return this.serial(async () => {
      await this.collection(collection).insertOne(this.documentOf(record), { session: this.session });
    });
  }

  insertMany(collection: string, records: readonly StoredRecord[]): Promise<void> {
    return this.serial(async () => {
      if (records.length === 0) return;
      const target = this.collection(collection);
      try {
        await target.insertMany(records.map((record) => this.documentOf(record)), { session: this.session, ordered: true });
      } catch (error) {
        throw await withKeyPattern(error, target);
      }
    });
  }

  replace(collection: string, record: StoredRecord, expectedVersion: number): Promise<boolean> {
    return this.serial(async () => {
      const { _id, ...replacement } = this.documentOf(record);
      const result = await this.collection(collection).replaceOne({ _id, version: expectedVersion } as RecordFilter, replacement, { session: this.session });
      return result.matchedCount === 1;
    });
  }

  delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    return this.serial(async () => {
      const filter: RecordFilter = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
      const result = await this.collection(collection).deleteOne(filter, { session: this.session });
      return result.deletedCount === 1;
    });
  }

  nextSequence(key: string): Promise<number> {
    return this.serial(async () => {
      const sequences = this.db.collection<SequenceDocument>(sequencesCollection);
      const increment = () =>
        sequences.findOneAndUpdate({ _id: key }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after', session: this.session });
      let updated: SequenceDocument | null;
      try {
        updated = await increment();
      } catch (error) {
        // Two first-ever upserts of one key can race on _id; the loser retries and increments.
        // Inside a transaction the error has aborted it, so it must propagate instead.
        if (!isDuplicateKey(error) || this.session !== undefined) throw error;
        updated = await increment();
      }
      return updated!.value;
    });
  }

  renameSequence(from: string, to: string): Promise<boolean> {
    return this.serial(async () => {
      const sequences = this.db.collection<SequenceDocument>(sequencesCollection);
      const current = await sequences.findOne({ _id: from }, { session: this.session });
      if (!current) return false;
      if (from === to) return true;
      // _id cannot change in place: the counter is written under its new key, then the old one removed.
      await sequences.replaceOne({ _id: to }, { value: current.value }, { upsert: true, session: this.session });
      await sequences.deleteOne({ _id: from }, { session: this.session });
      return true;
    });
  }

  private documentOf(record: StoredRecord): RecordDocument {
    if (typeof record.id !== 'string' || record.id === '' || !Number.isInteger(record.version) || !Number.isInteger(record.revision)) {
      throw new CrmError('INTERNAL', 'A stored record needs a non-empty id and integer version and revision');
    }
    return { _id: record.id, version: record.version, revision: record.revision, doc: record.data };
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    if (this.finished) return Promise.reject(new CrmError('INTERNAL', 'The transaction has already finished; use it only inside its work function'));
    return this.queue.run(async () => {
      try {
        return await operation();
      } catch (error) {
        throw translateMongoError(error);
      }
    });
  }
}
