// Differential test: random filters from the accepted grammar, run through parseFilter and the
// SQLite store, must select exactly what mingo (an independent implementation of MongoDB's query
// language) selects from the same raw JSON. The MongoDB compiler's output is run through mingo too,
// so that adapter's filter, sort and keyset compilation is checked even without a server.
// Replay a failure with FILTER_SEED=<seed printed in the failure>.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, KeysetPosition, ScalarValue, SortKey } from '../../engine/filter/filter-tree.ts';
import { parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import { compileFilterMongo, type RecordDocument } from '../../engine/store/mongodb/compile-filter-mongo.ts';
import { compileKeysetAfterMongo, compileSortMongo } from '../../engine/store/mongodb/compile-order-mongo.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { resolveTestField } from '../filter/test-fields.ts';
import { RandomPicker, acceptedRandomFilter, randomRecords, randomSort, seededRandom } from './random-filters.ts';
import { operatorCases, operatorRecords } from './conformance-cases.ts';

const seed = Number(process.env.FILTER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const caseCount = 1200;
const random = new RandomPicker(seededRandom(seed));
const records = randomRecords(random, 300);
const flattened = records.map((r) => ({ id: r.id, ...r.data }));
const mongoShaped: RecordDocument[] = records.map((r) => ({ _id: r.id, version: 1, revision: 0, doc: r.data }));
const collection = 'differential';

function valueAt(data: Record<string, unknown>, id: string, path: readonly string[]): ScalarValue {
  if (path.length === 1 && path[0] === 'id') return id;
  let value: unknown = data;
  for (const segment of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return (value ?? null) as ScalarValue;
}

/** MongoDB's order for one field's values: absent/null first, then by value; strings by code point. */
function compareValues(a: ScalarValue, b: ScalarValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function expectedOrder(ids: string[], sort: readonly SortKey[]): string[] {
  const byId = new Map(records.map((r) => [r.id, r.data]));
  return [...ids].sort((x, y) => {
    for (const key of sort) {
      const order = compareValues(valueAt(byId.get(x)!, x, key.field.path), valueAt(byId.get(y)!, y, key.field.path)) * key.direction;
      if (order !== 0) return order;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function mingoIds(filter: object, documents: object[], key: 'id' | '_id'): string[] {
  return new Query(filter).find(documents).all().map((d) => String((d as Record<string, unknown>)[key]));
}

describe(`filter differential against mingo (seed ${seed})`, () => {
  let directory = '';
  let store: SqliteStore | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'crm-differential-'));
    store = await openSqliteStore({ directory });
    await store.transaction(async (tx) => {
      for (const r of records) await tx.insert(collection, { id: r.id, version: 1, revision: 0, data: r.data });
    });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`selects the same records as mingo for ${caseCount} random filters, sorts and pages`, async () => {
    let nonEmpty = 0;
    for (let n = 0; n < caseCount; n += 1) {
      const json = acceptedRandomFilter(random);
      const sortText = n % 3 === 0 ? randomSort(random) : '';
      const pageSize = random.int(1, 40);
      const context = `seed=${seed} case=${n} filter=${JSON.stringify(json)} sort=${sortText}`;
      const filter: FilterNode = parseFilter(json, resolveTestField);
      const sort = parseSort(sortText, resolveTestField);

      const expected = mingoIds(json, flattened, 'id').sort();
      const found = await store!.find(collection, { filter, sort, limit: 1000 });
      expect(found.map((r) => r.id).sort(), context).toEqual(expected);
      expect(await store!.count(collection, filter), context).toBe(expected.length);
      expect(mingoIds(compileFilterMongo(filter), mongoShaped, '_id').sort(), `${context} (MongoDB compiler)`).toEqual(expected);
      if (expected.length > 0) nonEmpty += 1;
      if (sortText === '') continue;

      const ordered = expectedOrder(expected, sort);
      expect(found.map((r) => r.id), context).toEqual(ordered);
      expect(await pageThroughSqlite(filter, sort, pageSize), `${context} pageSize=${pageSize}`).toEqual(ordered);
      expect(pageThroughMongoCompiler(filter, sort, pageSize), `${context} pageSize=${pageSize} (MongoDB compiler)`).toEqual(ordered);
    }
    // Guard against a generator that only produces filters matching nothing.
    expect(nonEmpty).toBeGreaterThan(caseCount / 3);
  });

  async function pageThroughSqlite(filter: FilterNode, sort: SortKey[], pageSize: number): Promise<string[]> {
    const seen: string[] = [];
    let after: KeysetPosition | undefined;
    for (;;) {
      const page = await store!.find(collection, { filter, sort, limit: pageSize, after });
      seen.push(...page.map((r) => r.id));
      const last = page.at(-1);
      if (page.length < pageSize || last === undefined) return seen;
      after = { values: sort.map((key) => valueAt(last.data, last.id, key.field.path)), id: last.id };
    }
  }

  function pageThroughMongoCompiler(filter: FilterNode, sort: SortKey[], pageSize: number): string[] {
    const seen: string[] = [];
    let after: KeysetPosition | undefined;
    for (;;) {
      const base = compileFilterMongo(filter);
      const query = after === undefined ? base : { $and: [base, compileKeysetAfterMongo(sort, after)] };
      const page = new Query(query)
        .find(mongoShaped)
        .sort(compileSortMongo(sort) as Record<string, 1 | -1>)
        .limit(pageSize)
        .all() as unknown as RecordDocument[];
      seen.push(...page.map((d) => d._id));
      const last = page.at(-1);
      if (page.length < pageSize || last === undefined) return seen;
      after = { values: sort.map((key) => valueAt(last.doc, last._id, key.field.path)), id: last._id };
    }
  }
});

// The conformance suite's fixed cases through the MongoDB compiler and mingo, so that the adapter's
// element matching of links with attributes (`{ id, … }` or a plain id) is checked without a server.
describe('the MongoDB compiler on the conformance cases of link elements', () => {
  const documents: RecordDocument[] = Object.entries(operatorRecords).map(([id, doc]) => ({ _id: id, version: 1, revision: 0, doc }));
  it.each(operatorCases.filter(([title]) => title.startsWith('links:')))('%s', (_title, filter, expected) => {
    const query = new Query(compileFilterMongo(parseFilter(filter, resolveTestField)) as Record<string, unknown>);
    expect(documents.filter((d) => query.test(d as unknown as Record<string, unknown>)).map((d) => d._id).sort()).toEqual(expected);
  });
});
