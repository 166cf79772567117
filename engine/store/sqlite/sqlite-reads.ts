// store/sqlite/sqlite-reads: get, find, count and aggregate on one connection — the read
// connection outside transactions (committed data only), the write connection inside one.
// A collection that was never created reads as empty, as it does in MongoDB.

import type { FilterNode, ScalarValue, SortKey } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import type { MaybePromise } from '../../kernel/maybe-promise.ts';
import type { AggregateQuery, FindQuery, GroupQuery, GroupRow, StoredRecord, StoreReader } from '../store-port.ts';
import { compileGroupSql, groupRowFromSql } from './compile-group-sql.ts';
import { compileFilterSql } from './compile-filter-sql.ts';
import { compileKeysetAfter, compileOrderBy } from './compile-order-sql.ts';
import { isMissingTable, type SqliteConnection } from './sqlite-connection.ts';
import { joinSql, jsonTypeExpression, quoteName, sql, valueExpression, type Sql, type SqlValue } from './sql-fragments.ts';
import { tableNameOf } from './table-names.ts';

/** What a statement is for: aggregations and counts may be slow even when an index serves them. */
export type ReadKind = 'find' | 'count' | 'aggregate' | 'group';

export interface RecordRow {
  id: string;
  version: number;
  revision: number;
  doc: string;
}

export function recordFromRow(row: RecordRow): StoredRecord {
  return { id: row.id, version: row.version, revision: row.revision, data: JSON.parse(row.doc) as Record<string, unknown> };
}

/** The SELECT behind find(); exported so the adapter can EXPLAIN exactly what find() runs. */
export function compileFindSql(collection: string, query: FindQuery): Sql {
  if (!Number.isInteger(query.limit) || query.limit < 0) throw new CrmError('INTERNAL', `Invalid limit ${query.limit}`);
  const conditions = [compiledFilter(query.filter)];
  if (query.after !== undefined) conditions.push(compileKeysetAfter(query.sort, query.after));
  const where = joinSql(conditions.map((c) => sql(`(${c.text})`, c.params)), ' AND ');
  return sql(`SELECT id, version, revision, doc FROM ${quoteName(tableNameOf(collection))} WHERE ${where.text} ORDER BY ${compiledOrder(query.sort)} LIMIT ?`, [
    ...where.params,
    query.limit,
  ]);
}

// The SQL of a filter tree and of a sort, by the tree's and the array's identity: a list repeated
// with the same query gets the same parsed tree (records/read-records.ts), compiled once. Trees are
// not changed once built.
const filterSql = new WeakMap<FilterNode, Sql>();
const orderSql = new WeakMap<readonly SortKey[], string>();

function compiledFilter(filter: FilterNode): Sql {
  let compiled = filterSql.get(filter);
  if (compiled === undefined) filterSql.set(filter, (compiled = compileFilterSql(filter)));
  return compiled;
}

function compiledOrder(sort: readonly SortKey[]): string {
  let compiled = orderSql.get(sort);
  if (compiled === undefined) orderSql.set(sort, (compiled = compileOrderBy(sort)));
  return compiled;
}

export class SqliteReader implements StoreReader {
  constructor(protected readonly connection: () => SqliteConnection) {}

  async get(collection: string, id: string): Promise<StoredRecord | undefined> {
    return this.getNow(collection, id);
  }

  /** get() on this thread, at once (StoreReader.getNow). */
  getNow(collection: string, id: string): StoredRecord | undefined {
    const row = this.read(undefined, (c) => c.get<RecordRow>(sql(`SELECT id, version, revision, doc FROM ${this.table(collection)} WHERE id = ?`, [id])));
    return row === undefined ? undefined : recordFromRow(row);
  }

  async find(collection: string, query: FindQuery): Promise<StoredRecord[]> {
    return this.findNow(collection, query);
  }

  /** find(), at once when it runs on this thread; a promise when it is sent to a worker (StoreReader.findNow). */
  findNow(collection: string, query: FindQuery): MaybePromise<StoredRecord[]> {
    const statement = compileFindSql(collection, query);
    if (query.limit === 0) return [];
    const rows = this.readAllNow<RecordRow>(collection, statement, 'find');
    return rows instanceof Promise ? rows.then((found) => found.map(recordFromRow)) : rows.map(recordFromRow);
  }

  async count(collection: string, filter: FilterNode): Promise<number> {
    const where = compileFilterSql(filter);
    const row = await this.readOne<{ n: number }>(collection, sql(`SELECT count(*) AS n FROM ${this.table(collection)} WHERE ${where.text}`, where.params), 'count');
    return row?.n ?? 0;
  }

  async aggregate(collection: string, query: AggregateQuery): Promise<ScalarValue> {
    if (query.op === 'count') return this.count(collection, query.filter);
    if (query.path === undefined) throw new CrmError('INTERNAL', `Aggregate ${query.op} needs a path`);
    const where = compileFilterSql(query.filter);
    const value = valueExpression(query.path);
    const type = jsonTypeExpression(query.path);
    const table = this.table(collection);
    if (query.op === 'min' || query.op === 'max') {
      // ORDER BY … LIMIT 1 rather than min()/max(): it can walk an index, and json_type tells
      // booleans (read as 1/0) apart from numbers.
      const order = query.op === 'min' ? 'ASC' : 'DESC';
      const text = `SELECT ${value} AS v, ${type} AS t FROM ${table} WHERE (${where.text}) AND ${value} IS NOT NULL ORDER BY ${value} ${order} LIMIT 1`;
      const row = await this.readOne<{ v: string | number; t: string }>(collection, sql(text, where.params), 'aggregate');
      if (row === undefined) return null;
      return row.t === 'true' ? true : row.t === 'false' ? false : row.v;
    }
    // Like MongoDB's $sum and $avg, only numbers count; total() is 0.0 and avg() NULL over nothing.
    const numeric = `CASE WHEN ${type} IN ('integer', 'real') THEN ${value} END`;
    const fn = query.op === 'sum' ? 'total' : 'avg';
    const row = await this.readOne<{ r: number | null }>(collection, sql(`SELECT ${fn}(${numeric}) AS r FROM ${table} WHERE ${where.text}`, where.params), 'aggregate');
    return row?.r ?? (query.op === 'sum' ? 0 : null);
  }

  async group(collection: string, query: GroupQuery): Promise<GroupRow[]> {
    const statement = compileGroupSql(this.table(collection), query);
    if (query.limit === 0) return [];
    return (await this.readAll<Record<string, SqlValue>>(collection, statement, 'group')).map((row) => groupRowFromSql(query, row));
  }

  /**
   * The rows of a find, count, aggregate or group statement. Here on this connection; the store's
   * committed reader overrides readAllNow and readOne to send reads that may be slow to its worker threads.
   */
  protected async readAll<Row>(collection: string, statement: Sql, kind: ReadKind): Promise<Row[]> {
    return this.readAllNow(collection, statement, kind);
  }

  /** readAll() without a promise when the rows are read here. */
  protected readAllNow<Row>(_collection: string, statement: Sql, _kind: ReadKind): MaybePromise<Row[]> {
    return this.read([], (c) => c.all<Row>(statement));
  }

  protected async readOne<Row>(_collection: string, statement: Sql, _kind: ReadKind): Promise<Row | undefined> {
    return this.read(undefined, (c) => c.get<Row>(statement));
  }

  protected table(collection: string): string {
    return quoteName(tableNameOf(collection));
  }

  /** Runs a read; a missing table yields `empty` instead of an error. */
  protected read<T>(empty: T, run: (connection: SqliteConnection) => T): T {
    try {
      return run(this.connection());
    } catch (error) {
      if (isMissingTable(error)) return empty;
      throw error;
    }
  }
}
