// store/: the one port through which the engine keeps documents, and its adapters (embedded
// SQLite, MongoDB). A store knows collections of JSON documents, metadata-derived indexes and the
// typed filter tree; it knows nothing of entities, fields or permissions.

import type { DateBucket } from '../filter/group-tree.ts';
import type { FilterNode, KeysetPosition, ScalarValue, SortKey } from '../filter/filter-tree.ts';
import type { GroupQuery, GroupRow } from '../filter/group-tree.ts';
import type { MaybePromise } from '../kernel/maybe-promise.ts';

export type { GroupQuery, GroupRow };

/**
 * One stored document. `id`, `version` and `revision` are kept beside the document (columns in
 * SQLite, top-level properties in MongoDB). `data` never holds `null` values: absent means null.
 */
export interface StoredRecord {
  id: string;
  /** Optimistic-concurrency version: 1 on insert, +1 on every update. */
  version: number;
  /** The metadata revision the record was last validated against (0 for system documents). */
  revision: number;
  data: Record<string, unknown>;
}

/** An index the metadata asks for. Names are chosen by the engine and stable across runs. */
export interface IndexSpec {
  name: string;
  /**
   * `bucket`: the key is the calendar bucket of a stored date (`YYYY-MM-DD`) or UTC datetime, as
   * group() computes it — on SQLite the index then holds the very expression a grouping reads and
   * can cover it; MongoDB indexes the field itself.
   */
  keys: readonly { path: readonly string[]; direction: 1 | -1; bucket?: DateBucket }[];
  unique: boolean;
  /**
   * The key is a list matched by element (a record's teams): MongoDB indexes every element (a
   * multikey index); SQLite cannot index inside a JSON array and keeps no such index.
   */
  elements?: boolean;
}

/**
 * A collection and its indexes. Entity collections are named after the entity (`deal`);
 * system collections start with `_` (`_audit`, `_metaItems`), which entity names cannot.
 */
export interface CollectionSpec {
  name: string;
  indexes: readonly IndexSpec[];
}

export interface FindQuery {
  filter: FilterNode;
  /** Sort keys; the store always appends `id` ascending as the final tie-breaker. */
  sort: readonly SortKey[];
  /** At most this many records. */
  limit: number;
  /** Keyset pagination: return only records strictly after this position in sort order. */
  after?: KeysetPosition;
}

export type AggregateOp = 'count' | 'sum' | 'min' | 'max' | 'avg';

export interface AggregateQuery {
  filter: FilterNode;
  op: AggregateOp;
  /** The field aggregated; not needed for count. */
  path?: readonly string[];
}

/** Reads. Outside a transaction they see committed data; inside one, also the transaction's own writes. */
export interface StoreReader {
  get(collection: string, id: string): Promise<StoredRecord | undefined>;
  find(collection: string, query: FindQuery): Promise<StoredRecord[]>;
  count(collection: string, filter: FilterNode): Promise<number>;
  /** count → number; sum/avg → number (0 / null when nothing matches); min/max → the value or null. */
  aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue>;
  /**
   * Groups the matching records and measures each group, in MongoDB's $group semantics (absent
   * values group as null; sum/avg count numbers only; no keys over no records: no row), then
   * applies having, sort (keys ascending as tie-breakers) and limit.
   */
  group(collection: string, query: GroupQuery): Promise<GroupRow[]>;
  /**
   * Optional: get() and find() answered without a promise when the store can do so without waiting
   * (the embedded store reading on this thread): the same result, or the same error thrown rather
   * than rejected; otherwise a promise, as get() and find() give. Call them through getNow() and
   * findNow() below, which fall back to get() and find(). A wrapper that overrides get() or find()
   * must override these too (or hide them), or its override is passed by.
   */
  getNow?(collection: string, id: string): MaybePromise<StoredRecord | undefined>;
  findNow?(collection: string, query: FindQuery): MaybePromise<StoredRecord[]>;
}

/** reader.get(), without a promise when the reader can answer at once (StoreReader.getNow). */
export function getNow(reader: StoreReader, collection: string, id: string): MaybePromise<StoredRecord | undefined> {
  return reader.getNow ? reader.getNow(collection, id) : reader.get(collection, id);
}

/** reader.find(), without a promise when the reader can answer at once (StoreReader.findNow). */
export function findNow(reader: StoreReader, collection: string, query: FindQuery): MaybePromise<StoredRecord[]> {
  return reader.findNow ? reader.findNow(collection, query) : reader.find(collection, query);
}

export interface StoreTransaction extends StoreReader {
  /** Throws CrmError UNIQUE_VIOLATION (details name the fields of the violated index). */
  insert(collection: string, record: StoredRecord): Promise<void>;
  /**
   * Inserts many records of one collection in as few statements as the store allows (bulk loads:
   * audit entries, import change logs). All or nothing within the transaction; a unique clash
   * throws like insert() without saying which record clashed, so use it where none can.
   */
  insertMany?(collection: string, records: readonly StoredRecord[]): Promise<void>;
  /**
   * Replaces the document when its current version equals `expectedVersion` — one atomic,
   * conditional write, never read-then-write. Returns false when the record is missing or its
   * version differs. The caller sets `record.version` (normally expectedVersion + 1).
   */
  replace(collection: string, record: StoredRecord, expectedVersion: number): Promise<boolean>;
  /** Deletes when the version matches (any version when omitted). Returns false if nothing was deleted. */
  delete(collection: string, id: string, expectedVersion?: number): Promise<boolean>;
  /** Atomically increments and returns a named counter, starting at 1. Never hands a number out twice. */
  nextSequence(key: string): Promise<number>;
  /**
   * Moves a counter to a new key, keeping its value (an entity renamed keeps its autonumbers); a
   * counter already under `to` is replaced. Returns false when `from` had never been used.
   */
  renameSequence(from: string, to: string): Promise<boolean>;
}

export interface Store extends StoreReader {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * True when transaction() is all-or-nothing. Always true for SQLite; for MongoDB only on a
   * replica set or mongos — on a standalone server each write is atomic on its own, no more.
   */
  readonly atomicTransactions: boolean;
  /** Creates the collection if missing, creates missing indexes and drops indexes it created that are no longer asked for. */
  syncCollection(spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;
  /**
   * Runs `work` as one atomic unit: all its writes commit together or none do (the embedded store
   * uses one SQLite transaction; MongoDB a session transaction where the server supports one).
   * Transactions must not nest: pass `tx` down instead.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Makes data that was deleted or overwritten unrecoverable from the store's files (privacy
   * erasure). The embedded store zeroes freed space as it goes (secure_delete) and here moves the
   * WAL into the database and truncates it. Absent where the store cannot promise it (MongoDB).
   */
  purgeDeleted?(): Promise<void>;
  /**
   * A number that moves whenever another process (or another connection) has committed to the
   * store — not when this process's own transactions commit. In-process caches of data this process
   * writes through the store (and so hears of: store/write-watch.ts) start over when it moves.
   * Absent where the store cannot tell (MongoDB).
   */
  changeMarker?(): number;
  close(): Promise<void>;
}
