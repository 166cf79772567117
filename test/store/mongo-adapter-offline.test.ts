// What of the MongoDB adapter can be checked without a server (the conformance suite covers the
// rest when MONGODB_URI is set): duplicate-key translation and the index commands sync issues.

import { MongoServerError, type Collection } from 'mongodb';
import { Aggregator } from 'mingo';
import { describe, expect, it } from 'vitest';
import { parseGroupSpec } from '../../engine/filter/parse-group.ts';
import { compileGroupMongo, groupRowFromMongo } from '../../engine/store/mongodb/compile-group-mongo.ts';
import { groupCases, groupRecords } from './group-conformance-cases.ts';
import type { RecordDocument } from '../../engine/store/mongodb/compile-filter-mongo.ts';
import { compileSortMongo } from '../../engine/store/mongodb/compile-order-mongo.ts';
import { translateMongoError, withKeyPattern } from '../../engine/store/mongodb/mongo-errors.ts';
import { listManagedIndexNames, syncMongoIndexes } from '../../engine/store/mongodb/mongo-indexes.ts';
import { CrmError } from '../../engine/kernel/errors.ts';
import { parseSort } from '../../engine/filter/parse-filter.ts';
import { resolveTestField } from '../filter/test-fields.ts';

interface IndexCall {
  op: 'create' | 'drop';
  name: string;
  keys?: Record<string, number>;
  options?: Record<string, unknown>;
}

/** Just enough of a driver Collection to watch what syncMongoIndexes asks the server to do. */
function recordingCollection(existing: string[]): { collection: Collection<RecordDocument>; calls: IndexCall[] } {
  const calls: IndexCall[] = [];
  const names = new Set(existing);
  const fake = {
    listIndexes: () => ({ toArray: async () => [...names].map((name) => ({ name })) }),
    dropIndex: async (name: string) => {
      calls.push({ op: 'drop', name });
      names.delete(name);
    },
    createIndex: async (keys: Record<string, number>, options: Record<string, unknown>) => {
      calls.push({ op: 'create', name: String(options.name), keys, options });
      names.add(String(options.name));
      return options.name;
    },
  };
  return { collection: fake as unknown as Collection<RecordDocument>, calls };
}

describe('MongoDB adapter without a server', () => {
  it('turns E11000 into UNIQUE_VIOLATION naming the document fields', () => {
    const error = new MongoServerError({ message: 'E11000 duplicate key error', code: 11000, keyPattern: { 'doc.address.city': 1, 'doc.stage': 1 } });
    const translated = translateMongoError(error);
    expect(translated).toBeInstanceOf(CrmError);
    expect((translated as CrmError).code).toBe('UNIQUE_VIOLATION');
    expect((translated as CrmError).details.map((d) => d.path)).toEqual(['/address/city', '/stage']);
    const byId = translateMongoError(new MongoServerError({ message: 'E11000', code: 11000, keyPattern: { _id: 1 } }));
    expect((byId as CrmError).details.map((d) => d.path)).toEqual(['/id']);
    const other = new MongoServerError({ message: 'WriteConflict', code: 112 });
    expect(translateMongoError(other)).toBe(other);
  });

  it("names the fields of an insertMany clash, whose error has no keyPattern, from the index its message names", async () => {
    const indexes = [{ name: '_id_', key: { _id: 1 } }, { name: 'crm_uniqueCity_1a2b3c', key: { 'doc.address.city': 1 } }];
    const collection = { listIndexes: () => ({ toArray: async () => indexes }) } as unknown as Collection<RecordDocument>;
    // What MongoBulkWriteError carries: the first write error's message and code, nothing of its keyPattern.
    const bulk = (message: string) => new MongoServerError({ message, code: 11000 });
    const byCity = translateMongoError(await withKeyPattern(bulk('E11000 duplicate key error collection: crm.deal index: crm_uniqueCity_1a2b3c dup key: { doc.address.city: "Oslo" }'), collection));
    expect((byCity as CrmError).details.map((d) => d.path)).toEqual(['/address/city']);
    const byId = translateMongoError(await withKeyPattern(bulk('E11000 duplicate key error collection: crm.deal index: _id_ dup key: { _id: "a" }'), collection));
    expect((byId as CrmError).details.map((d) => d.path)).toEqual(['/id']);
    const unknownIndex = translateMongoError(await withKeyPattern(bulk('E11000 duplicate key error collection: crm.deal index: gone dup key: { x: 1 }'), collection));
    expect((unknownIndex as CrmError).code).toBe('UNIQUE_VIOLATION');
    const other = new MongoServerError({ message: 'WriteConflict', code: 112 });
    expect(await withKeyPattern(other, collection)).toBe(other);
  });

  it('creates partial unique indexes, ends others with _id, and drops only its own', async () => {
    const { collection, calls } = recordingCollection(['_id_', 'someoneElses', 'crm_gone_0123456789']);
    await syncMongoIndexes(collection, [
      { name: 'uniqueCity', keys: [{ path: ['address', 'city'], direction: 1 }, { path: ['stage'], direction: -1 }], unique: true },
      { name: 'byAmount', keys: [{ path: ['amount'], direction: -1 }], unique: false },
    ]);
    expect(calls.filter((c) => c.op === 'drop').map((c) => c.name)).toEqual(['crm_gone_0123456789']);
    const created = calls.filter((c) => c.op === 'create');
    expect(created[0]).toMatchObject({
      keys: { 'doc.address.city': 1, 'doc.stage': -1 },
      options: { unique: true, partialFilterExpression: { 'doc.address.city': { $exists: true }, 'doc.stage': { $exists: true } } },
    });
    expect(created[1]).toMatchObject({ keys: { 'doc.amount': -1, _id: 1 }, options: { unique: false } });
    expect(created[1]!.options).not.toHaveProperty('partialFilterExpression');
    expect(await listManagedIndexNames(collection)).toEqual(['byAmount', 'uniqueCity']);

    calls.length = 0;
    await syncMongoIndexes(collection, [{ name: 'byAmount', keys: [{ path: ['amount'], direction: -1 }], unique: false }]);
    expect(calls.map((c) => `${c.op} ${c.name.replace(/_[0-9a-f]{10}$/, '')}`)).toEqual(['drop crm_uniqueCity']);
  });

  it('sorts by the keys then _id, without overriding an explicit id direction', () => {
    expect(compileSortMongo(parseSort('-amount,address.city', resolveTestField))).toEqual({ 'doc.amount': -1, 'doc.address.city': 1, _id: 1 });
    expect(Object.entries(compileSortMongo(parseSort('-id', resolveTestField)))).toEqual([['_id', -1]]);
  });

  it.each(groupCases)('compiles group "%s" to a pipeline mingo answers as computed by hand', (_title, spec, expected) => {
    const query = parseGroupSpec(spec, { resolve: resolveTestField, defaultTimeZone: 'UTC' });
    const documents = Object.entries(groupRecords).map(([id, doc]) => ({ _id: id, version: 1, revision: 0, doc }));
    const rows = (new Aggregator(compileGroupMongo(query)).run(documents) as { doc: Record<string, unknown> }[]).map((d) => groupRowFromMongo(query, d));
    expect(rows.map((row) => [row.key, row.values])).toEqual(expected);
  });
});
