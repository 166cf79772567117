// One contract suite for every store: the embedded SQLite store always, MongoDB when MONGODB_URI is
// set (a fresh database per run, dropped afterwards). Store-specific checks sit at the end.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterNode, SortKey } from '../../engine/filter/filter-tree.ts';
import { parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import { CrmError } from '../../engine/kernel/errors.ts';
import { openMongoStore } from '../../engine/store/mongodb/open-mongo-store.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { findNow, getNow, type Store, type StoredRecord } from '../../engine/store/store-port.ts';
import { resolveTestField } from '../filter/test-fields.ts';
import { operatorCases, operatorRecords, sortCases, sortRecords } from './conformance-cases.ts';
import { groupCases, groupRecords } from './group-conformance-cases.ts';
import { parseGroupSpec } from '../../engine/filter/parse-group.ts';
import { pathCollections, pathFilterCases, pathRecords, pathSortCases, pathValue, resolvePathField } from './path-cases.ts';

type InspectableStore = Store & { listIndexNames(collection: string): Promise<string[]> };

const where = (json: unknown): FilterNode => parseFilter(json, resolveTestField);
const sortBy = (text: string): SortKey[] => parseSort(text, resolveTestField);
const record = (id: string, data: Record<string, unknown>, version = 1): StoredRecord => ({ id, version, revision: 3, data });

async function insertAll(store: Store, collection: string, records: Record<string, Record<string, unknown>>): Promise<void> {
  await store.transaction(async (tx) => {
    for (const [id, data] of Object.entries(records)) await tx.insert(collection, record(id, data));
  });
}

async function ids(store: Store, collection: string, filter: FilterNode, sort: SortKey[] = []): Promise<string[]> {
  return (await store.find(collection, { filter, sort, limit: 1000 })).map((r) => r.id);
}

async function rejection(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof CrmError) return error;
  throw new Error(`expected a CrmError, got ${String(error)}`);
}

/** Every page after the first starts from the previous page's last row. */
async function paginate(store: Store, collection: string, sort: SortKey[], pageSize: number, between?: () => Promise<void>): Promise<StoredRecord[]> {
  const seen: StoredRecord[] = [];
  for (;;) {
    const last = seen.at(-1);
    const after = last === undefined ? undefined : { values: sort.map((key) => valueAt(last, key.field.path)), id: last.id };
    const [page] = await Promise.all([store.find(collection, { filter: { kind: 'true' }, sort, limit: pageSize, after }), between?.()]);
    seen.push(...page);
    if (page.length < pageSize) return seen;
  }
}

function valueAt(stored: StoredRecord, path: readonly string[]): string | number | boolean | null {
  if (path.length === 1 && path[0] === 'id') return stored.id;
  let value: unknown = stored.data;
  for (const segment of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return (value ?? null) as string | number | boolean | null;
}

function defineConformance(open: () => InspectableStore): void {
  let collectionCount = 0;
  const freshCollection = (): string => `conf${++collectionCount}`;

  describe('filters', () => {
    const collection = 'operators';
    beforeAll(() => insertAll(open(), collection, operatorRecords));

    it.each(operatorCases)('%s', async (_title, filter, expected) => {
      expect((await ids(open(), collection, where(filter))).sort()).toEqual(expected);
      expect(await open().count(collection, where(filter))).toBe(expected.length);
    });

    // Lists longer than SQLite's parameter limit (32,766) come from inside the engine (a large
    // segment's members, ids in bulk), not from a caller's filter, which the parser caps at 500.
    const manyNumbers = Array.from({ length: 40_000 }, (_, i) => 100_000 + i);
    const manyStrings = Array.from({ length: 40_000 }, (_, i) => `absent-${i}`);
    const lengthened = (node: FilterNode, extra: readonly (string | number)[]): FilterNode =>
      node.kind === 'in' ? { ...node, values: [...node.values, ...extra] } : node.kind === 'and' || node.kind === 'or' ? { ...node, children: node.children.map((c) => lengthened(c, extra)) } : node;
    it.each([
      ['$in with 40,000 more values', { amount: { $in: [10] } }, manyNumbers, ['r1']],
      ['$nin with 40,000 more values', { amount: { $nin: [10, -5] } }, manyNumbers, ['r2', 'r4', 'r5']],
      ['$in with null and 40,000 more values', { name: { $in: [null, 'Alpha'] } }, manyStrings, ['r1', 'r4']],
      ['array: $in with 40,000 more values', { tags: { $in: ['c'] } }, manyStrings, ['r2']],
    ] as const)('%s', async (_title, filter, extra, expected) => {
      const node = lengthened(where(filter), extra);
      expect((await ids(open(), collection, node)).sort()).toEqual(expected);
      expect(await open().count(collection, node)).toBe(expected.length);
    });
  });

  describe('group', () => {
    const collection = 'grouping';
    beforeAll(() => insertAll(open(), collection, groupRecords));

    it.each(groupCases)('%s', async (_title, spec, expected) => {
      const query = parseGroupSpec(spec, { resolve: resolveTestField, defaultTimeZone: 'UTC' });
      const rows = await open().group(collection, query);
      expect(rows.map((row) => [row.key, row.values])).toEqual(expected);
    });

    it('reads a collection that does not exist as no groups', async () => {
      expect(await open().group('neverCreated', parseGroupSpec({ groupBy: ['stage'] }, { resolve: resolveTestField, defaultTimeZone: 'UTC' }))).toEqual([]);
    });
  });

  describe('sort and keyset pagination', () => {
    const collection = 'sorting';
    beforeAll(() => insertAll(open(), collection, sortRecords));

    it.each(sortCases)('sorts by %s with nulls first ascending and id as tie-break', async (sort, expected) => {
      expect(await ids(open(), collection, { kind: 'true' }, sortBy(sort))).toEqual(expected);
      for (const pageSize of [1, 2, 3]) {
        expect((await paginate(open(), collection, sortBy(sort), pageSize)).map((r) => r.id)).toEqual(expected);
      }
    });

    it('pages without gaps or repeats while records are inserted between and during pages', async () => {
      const store = open();
      const target = freshCollection();
      const initial: Record<string, Record<string, unknown>> = {};
      for (let i = 0; i < 60; i += 1) initial[`k${String(i).padStart(3, '0')}`] = i % 7 === 0 ? {} : { amount: (i * 37) % 11, stage: `s${i % 3}` };
      await insertAll(store, target, initial);
      let added = 0;
      const insertMore = () =>
        store.transaction(async (tx) => {
          for (let j = 0; j < 3; j += 1, added += 1) await tx.insert(target, record(`n${String(added).padStart(3, '0')}`, added % 4 === 0 ? {} : { amount: added % 11 }));
        });
      const sort = sortBy('-amount,stage');
      const pages = await paginate(store, target, sort, 7, insertMore);
      const seen = pages.map((r) => r.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of Object.keys(initial)) expect(seen).toContain(id);
      // Every row comes strictly after the one before it in the full, current order.
      const order = await ids(store, target, { kind: 'true' }, sort);
      const positions = seen.map((id) => order.indexOf(id));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(added).toBeGreaterThan(20);
    });
  });

  describe('writes', () => {
    it('inserts, reads back, replaces only from the current version and deletes', async () => {
      const store = open();
      const c = freshCollection();
      await insertAll(store, c, { a: { name: 'x', tags: ['p'], address: { city: 'Oslo' } } });
      expect(await store.get(c, 'a')).toEqual(record('a', { name: 'x', tags: ['p'], address: { city: 'Oslo' } }));
      expect(await store.transaction((tx) => tx.replace(c, record('a', { name: 'y' }, 2), 1))).toBe(true);
      expect(await store.transaction((tx) => tx.replace(c, record('a', { name: 'stale' }, 2), 1))).toBe(false);
      expect(await store.transaction((tx) => tx.replace(c, record('missing', { name: 'z' }, 2), 1))).toBe(false);
      expect(await store.get(c, 'a')).toMatchObject({ version: 2, data: { name: 'y' } });
      expect(await store.transaction((tx) => tx.delete(c, 'a', 1))).toBe(false);
      expect(await store.transaction((tx) => tx.delete(c, 'a', 2))).toBe(true);
      expect(await store.transaction((tx) => tx.delete(c, 'a'))).toBe(false);
      expect(await store.get(c, 'a')).toBeUndefined();
    });

    it('answers getNow and findNow as get and find (at once or as a promise), missing collections included', async () => {
      const store = open();
      const c = freshCollection();
      await insertAll(store, c, { a: { amount: 1 }, b: { amount: 2 }, c: { amount: 3 } });
      const query = { filter: where({ amount: { $gte: 2 } }), sort: sortBy('-amount'), limit: 10 };
      expect(await getNow(store, c, 'b')).toEqual(await store.get(c, 'b'));
      expect(await getNow(store, c, 'missing')).toBeUndefined();
      expect(await getNow(store, freshCollection(), 'a')).toBeUndefined();
      expect(await findNow(store, c, query)).toEqual(await store.find(c, query));
      expect((await findNow(store, c, query)).map((r) => r.id)).toEqual(['c', 'b']);
      expect(await findNow(store, freshCollection(), query)).toEqual([]);
      expect(await findNow(store, c, { ...query, limit: 0 })).toEqual([]);
      await store.transaction(async (tx) => {
        await tx.insert(c, record('d', { amount: 4 }));
        expect(await getNow(tx, c, 'd')).toMatchObject({ id: 'd', data: { amount: 4 } });
        expect((await findNow(tx, c, query)).map((r) => r.id)).toEqual(['d', 'c', 'b']);
      });
    });

    it('lets exactly one of 50 concurrent replaces from the same version win', async () => {
      const store = open();
      const c = freshCollection();
      await insertAll(store, c, { one: { n: -1 } });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, n) => store.transaction((tx) => tx.replace(c, record('one', { n }, 2), 1))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.get(c, 'one')).toEqual(record('one', { n: winner }, 2));
    });

    it('refuses duplicates of a unique index, naming its fields, and lets absent values repeat', async () => {
      const store = open();
      const c = freshCollection();
      await store.syncCollection({
        name: c,
        indexes: [
          { name: 'uniqueName', keys: [{ path: ['name'], direction: 1 }], unique: true },
          { name: 'uniqueCityStage', keys: [{ path: ['address', 'city'], direction: 1 }, { path: ['stage'], direction: 1 }], unique: true },
        ],
      });
      await insertAll(store, c, { a: { name: 'x', stage: 's', address: { city: 'Oslo' } }, b: {}, c: {}, d: { stage: 's' } });
      const byName = await rejection(insertAll(store, c, { e: { name: 'x' } }));
      expect(byName.code).toBe('UNIQUE_VIOLATION');
      expect(byName.details.map((d) => d.path)).toEqual(['/name']);
      const byPair = await rejection(insertAll(store, c, { f: { stage: 's', address: { city: 'Oslo' } } }));
      expect(byPair.details.map((d) => d.path)).toEqual(['/address/city', '/stage']);
      const byId = await rejection(insertAll(store, c, { a: { name: 'other' } }));
      expect(byId.details.map((d) => d.path)).toEqual(['/id']);
      const byReplace = await rejection(store.transaction((tx) => tx.replace(c, record('b', { name: 'x' }, 2), 1)));
      expect(byReplace.code).toBe('UNIQUE_VIOLATION');
      expect((await ids(store, c, { kind: 'true' })).sort()).toEqual(['a', 'b', 'c', 'd']);
    });

    it('insertMany refuses a unique clash like insert, naming the fields of the index, and writes none of the batch', async () => {
      const store = open();
      const c = freshCollection();
      await store.syncCollection({ name: c, indexes: [{ name: 'uniqueCity', keys: [{ path: ['address', 'city'], direction: 1 }], unique: true }] });
      await insertAll(store, c, { a: { address: { city: 'Oslo' } } });
      const many = (records: StoredRecord[]) =>
        store.transaction(async (tx) => {
          expect(tx.insertMany).toBeTypeOf('function');
          await tx.insertMany!(c, records);
        });
      const byCity = await rejection(many([record('b', { address: { city: 'Rome' } }), record('c', { address: { city: 'Oslo' } })]));
      expect(byCity.code).toBe('UNIQUE_VIOLATION');
      expect(byCity.details.map((d) => d.path)).toEqual(['/address/city']);
      const byId = await rejection(many([record('d', {}), record('a', {})]));
      expect(byId.code).toBe('UNIQUE_VIOLATION');
      expect(byId.details.map((d) => d.path)).toEqual(['/id']);
      if (store.atomicTransactions) expect((await ids(store, c, { kind: 'true' })).sort()).toEqual(['a']);
    });

    it('hands out each sequence number once under 50 concurrent calls', async () => {
      const store = open();
      const key = `seq-${Date.now()}`;
      const numbers = await Promise.all(Array.from({ length: 50 }, () => store.transaction((tx) => tx.nextSequence(key))));
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await store.transaction((tx) => tx.nextSequence(`${key}-other`))).toBe(1);
    });

    it('renames a sequence keeping its value, replacing a counter under the new key', async () => {
      const store = open();
      const key = `seqRename-${Date.now()}`;
      for (let i = 0; i < 3; i++) await store.transaction((tx) => tx.nextSequence(key));
      await store.transaction((tx) => tx.nextSequence(`${key}-to`));
      expect(await store.transaction((tx) => tx.renameSequence(key, `${key}-to`))).toBe(true);
      expect(await store.transaction((tx) => tx.nextSequence(`${key}-to`))).toBe(4);
      expect(await store.transaction((tx) => tx.nextSequence(key))).toBe(1);
      expect(await store.transaction((tx) => tx.renameSequence(`${key}-never`, `${key}-x`))).toBe(false);
      expect(await store.transaction((tx) => tx.nextSequence(`${key}-x`))).toBe(1);
    });
  });

  describe('transactions', () => {
    it('see their own writes; a throw rolls every write back', async (context) => {
      const store = open();
      if (!store.atomicTransactions) context.skip('this MongoDB server is standalone: transactions are not atomic there');
      const c = freshCollection();
      const key = `rollback-${Date.now()}`;
      const failure = new Error('work failed');
      await expect(
        store.transaction(async (tx) => {
          await tx.insert(c, record('x', { amount: 1 }));
          await tx.insert(c, record('y', { amount: 2 }));
          expect(await tx.get(c, 'x')).toBeDefined();
          expect(await tx.count(c, { kind: 'true' })).toBe(2);
          expect(await store.get(c, 'x')).toBeUndefined();
          await tx.nextSequence(key);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.count(c, { kind: 'true' })).toBe(0);
      expect(await store.get(c, 'x')).toBeUndefined();
      expect(await store.transaction((tx) => tx.nextSequence(key))).toBe(1);
    });

    it('refuse to nest and to be used after they finish', async () => {
      const store = open();
      const c = freshCollection();
      await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nest/);
      let leaked: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.insert(c, record('late', {}))).rejects.toThrow(/finished/);
    });
  });

  describe('lookup paths (left joins through the caller\'s scope on each target)', () => {
    const pathWhere = (json: unknown): FilterNode => parseFilter(json, resolvePathField);
    const pathSort = (text: string): SortKey[] => parseSort(text, resolvePathField);
    beforeAll(async () => {
      for (const [key, collection] of Object.entries(pathCollections)) await insertAll(open(), collection, pathRecords[key as keyof typeof pathCollections]);
    });

    it.each(pathFilterCases)('%s', async (_title, filter, expected) => {
      expect((await ids(open(), pathCollections.deal, pathWhere(filter))).sort()).toEqual(expected);
      expect(await open().count(pathCollections.deal, pathWhere(filter))).toBe(expected.length);
    });

    it.each(pathSortCases)('sorts by %s and pages by keyset', async (text, expected) => {
      const sort = pathSort(text);
      expect(await ids(open(), pathCollections.deal, { kind: 'true' }, sort)).toEqual(expected);
      for (const pageSize of [1, 2, 3]) {
        const seen: string[] = [];
        for (;;) {
          const last = seen.at(-1);
          const after = last === undefined ? undefined : { values: text.split(',').map((key) => pathValue(last, key.replace(/^-/, ''))), id: last };
          const page = await open().find(pathCollections.deal, { filter: { kind: 'true' }, sort, limit: pageSize, after });
          seen.push(...page.map((r) => r.id));
          if (page.length < pageSize) break;
        }
        expect(seen, `page size ${pageSize}`).toEqual(expected);
      }
    });

    it('aggregates over records chosen by a path', async () => {
      expect(await open().aggregate(pathCollections.deal, { op: 'sum', path: ['amount'], filter: pathWhere({ 'org.industry': 'retail' }) })).toBe(6);
    });
  });

  describe('aggregates', () => {
    const collection = 'aggregates';
    beforeAll(() => insertAll(open(), collection, operatorRecords));

    it.each([
      ['count', undefined, {}, 5],
      ['count', undefined, { amount: { $gt: 0 } }, 2],
      ['sum', ['amount'], {}, 25.5],
      ['avg', ['amount'], {}, 6.375],
      ['min', ['amount'], {}, -5],
      ['max', ['amount'], {}, 20.5],
      ['max', ['name'], {}, 'delta'],
      ['min', ['closeDate'], {}, '2023-12-31'],
      ['min', ['active'], {}, false],
      ['max', ['active'], {}, true],
      ['max', ['address', 'city'], {}, 'paris'],
      ['sum', ['amount'], { amount: { $gt: 100 } }, 0],
      ['avg', ['amount'], { amount: { $gt: 100 } }, null],
      ['min', ['amount'], { amount: { $gt: 100 } }, null],
      ['sum', ['amount'], { amount: null }, 0],
    ] as const)('%s of %j where %j', async (op, path, filter, expected) => {
      const result = await open().aggregate(collection, { op, path, filter: where(filter) });
      if (typeof expected === 'number') expect(result).toBeCloseTo(expected, 10);
      else expect(result).toBe(expected);
    });

    it('are answered inside a transaction too, the count among them (a rollup on create reads it there)', async () => {
      const store = open();
      const inside = await store.transaction(async (tx) => ({
        count: await tx.aggregate(collection, { op: 'count', filter: where({ amount: { $gt: 0 } }) }),
        sum: await tx.aggregate(collection, { op: 'sum', path: ['amount'], filter: where({}) }),
        counted: await tx.count(collection, where({})),
      }));
      expect(inside).toEqual({ count: 2, sum: 25.5, counted: 5 });
    });
  });

  describe('collections and indexes', () => {
    it('creates, lists and drops collections; a missing collection reads as empty', async () => {
      const store = open();
      const c = `${freshCollection()}Mixed`;
      await store.syncCollection({ name: c, indexes: [] });
      await store.syncCollection({ name: '_systemThing', indexes: [] });
      expect(await store.listCollections()).toEqual(expect.arrayContaining([c, '_systemThing']));
      await store.dropCollection(c);
      await store.dropCollection(c);
      expect(await store.listCollections()).not.toContain(c);
      expect(await store.get(c, 'x')).toBeUndefined();
      expect(await store.find(c, { filter: where({ amount: 1 }), sort: [], limit: 10 })).toEqual([]);
      expect(await store.aggregate(c, { op: 'max', path: ['amount'], filter: { kind: 'true' } })).toBeNull();
    });

    it('adds missing indexes, drops the ones no longer asked for and rebuilds a changed one', async () => {
      const store = open();
      const c = freshCollection();
      const byName = { name: 'byName', keys: [{ path: ['name'], direction: 1 as const }], unique: false };
      const byAmount = { name: 'byAmount', keys: [{ path: ['amount'], direction: -1 as const }, { path: ['id'], direction: 1 as const }], unique: false };
      const byCity = { name: 'byCity', keys: [{ path: ['address', 'city'], direction: 1 as const }], unique: false };
      await store.syncCollection({ name: c, indexes: [byName, byAmount] });
      expect(await store.listIndexNames(c)).toEqual(['byAmount', 'byName']);
      await store.syncCollection({ name: c, indexes: [byAmount, byCity] });
      expect(await store.listIndexNames(c)).toEqual(['byAmount', 'byCity']);
      await insertAll(store, c, { a: { address: { city: 'Oslo' } }, b: { address: { city: 'Rome' } } });
      await store.syncCollection({ name: c, indexes: [byAmount, { ...byCity, unique: true }] });
      expect(await store.listIndexNames(c)).toEqual(['byAmount', 'byCity']);
      const duplicate = await rejection(insertAll(store, c, { x: { address: { city: 'Oslo' } } }));
      expect(duplicate.details.map((d) => d.path)).toEqual(['/address/city']);
      await store.syncCollection({ name: c, indexes: [] });
      expect(await store.listIndexNames(c)).toEqual([]);
    });

    it('refuses a unique index over data that already repeats, leaving no index behind', async () => {
      const store = open();
      const c = freshCollection();
      await insertAll(store, c, { a: { name: 'same' }, b: { name: 'same' } });
      const refused = await rejection(store.syncCollection({ name: c, indexes: [{ name: 'uniqueName', keys: [{ path: ['name'], direction: 1 }], unique: true }] }));
      expect(refused.code).toBe('UNIQUE_VIOLATION');
      expect(await store.listIndexNames(c)).toEqual([]);
    });
  });
}

describe('embedded store (SQLite)', () => {
  let directory = '';
  let store: SqliteStore | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'crm-conformance-'));
    store = await openSqliteStore({ directory });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  defineConformance(() => store!);

  it('answers getNow, and findNow run on this thread, without a promise', async () => {
    await insertAll(store!, 'now', { a: { n: 1 } });
    expect(store!.getNow!('now', 'a')).toEqual(record('a', { n: 1 }));
    expect(store!.getNow!('now', 'missing')).toBeUndefined();
    expect(store!.findNow!('now', { filter: { kind: 'true' }, sort: [], limit: 5 })).toEqual([record('a', { n: 1 })]);
  });

  it('answers a filtered, sorted find from an index (EXPLAIN QUERY PLAN)', async () => {
    await store!.syncCollection({
      name: 'planned',
      indexes: [{ name: 'byStageAmount', keys: [{ path: ['stage'], direction: 1 }, { path: ['amount'], direction: -1 }], unique: false }],
    });
    const query = { filter: where({ stage: 'won', amount: { $gt: 10 } }), sort: sortBy('-amount'), limit: 20 };
    const plan = (await store!.explainFind('planned', query)).join('\n');
    expect(plan).toMatch(/SEARCH c_planned USING INDEX ix_c_planned__byStageAmount_\w+ \(<expr>=\? AND <expr>>\? AND <expr><\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    const scan = (await store!.explainFind('planned', { ...query, filter: where({ name: 'x' }) })).join('\n');
    expect(scan).toMatch(/SCAN c_planned/);
  });

  it('names the fields when a unique index cannot be built over existing duplicates', async () => {
    await insertAll(store!, 'duplicated', { a: { address: { city: 'Oslo' } }, b: { address: { city: 'Oslo' } } });
    const spec = { name: 'duplicated', indexes: [{ name: 'uniqueCity', keys: [{ path: ['address', 'city'], direction: 1 as const }], unique: true }] };
    const refused = await rejection(store!.syncCollection(spec));
    expect(refused.details.map((d) => d.path)).toEqual(['/address/city']);
  });

  it('maps collections whose names differ only in case to different tables', async () => {
    await insertAll(store!, 'caseProbe', { a: { n: 1 } });
    await insertAll(store!, 'CaseProbe', { a: { n: 2 } });
    expect((await store!.get('caseProbe', 'a'))?.data).toEqual({ n: 1 });
    expect((await store!.get('CaseProbe', 'a'))?.data).toEqual({ n: 2 });
  });
});

const mongodbUri = process.env.MONGODB_URI;
describe.skipIf(!mongodbUri)(`MongoDB store${mongodbUri ? '' : ' (skipped: set MONGODB_URI to run this leg against a server)'}`, () => {
  const database = `crm_conformance_${process.pid}_${Date.now()}`;
  let store: InspectableStore | undefined;
  beforeAll(async () => {
    store = await openMongoStore({ uri: mongodbUri!, database });
  });
  afterAll(async () => {
    await store?.close();
    const client = new MongoClient(mongodbUri!);
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });

  defineConformance(() => store!);
});
