// Differential test for lookup paths: random filters and sorts over `org.*` and `org.region.*`
// (with caller scopes on both targets) must select and order exactly what mingo selects from the
// same records with each in-scope target embedded in place of its id — the meaning of a left join.
// The MongoDB compiler's pipeline ($lookup/$unwind, then $match/$sort) runs through mingo's
// Aggregator too. Replay a failure with FILTER_SEED=<seed printed in the failure>.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator, Query } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterOperators, type FilterableField, type LookupHop, type SortKey, type ValueType } from '../../engine/filter/filter-tree.ts';
import { parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import { compileFilterMongo } from '../../engine/store/mongodb/compile-filter-mongo.ts';
import { compileSortMongo } from '../../engine/store/mongodb/compile-order-mongo.ts';
import { dropLookupStage, lookupChainsOf, lookupStages } from '../../engine/store/mongodb/lookup-stages-mongo.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { RandomPicker, seededRandom } from './random-filters.ts';

const seed = Number(process.env.FILTER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const caseCount = 250;
const random = new RandomPicker(seededRandom(seed));

const pools = {
  name: ['Acme', 'acme', 'Beta', 'Gamma', 'delta', ''],
  tier: [1, 2, 3, 2.5],
  amount: [0, 5, 10],
  region: ['North', 'South', 'north'],
};
type Data = Record<string, unknown>;
const maybe = <T>(p: number, value: () => T): T | undefined => (random.chance(p) ? value() : undefined);
const compact = (data: Data): Data => Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));

const regions = Array.from({ length: 6 }, (_, i) => ({ id: `g${i}`, data: compact({ name: maybe(0.8, () => random.pick(pools.region)), secret: maybe(0.3, () => true) }) }));
const regionIds = [...regions.map((r) => r.id), 'gMissing'];
const orgs = Array.from({ length: 20 }, (_, i) => ({
  id: `o${String(i).padStart(2, '0')}`,
  data: compact({ name: maybe(0.8, () => random.pick(pools.name)), tier: maybe(0.7, () => random.pick(pools.tier)), region: maybe(0.8, () => random.pick(regionIds)), hidden: maybe(0.25, () => true) }),
}));
const orgIds = [...orgs.map((o) => o.id), 'oMissing'];
const deals = Array.from({ length: 150 }, (_, i) => ({
  id: `d${String(i).padStart(3, '0')}`,
  data: compact({ org: maybe(0.85, () => random.pick(orgIds)), amount: maybe(0.7, () => random.pick(pools.amount)) }),
}));

const field = (path: string, valueType: ValueType, via?: LookupHop[]): FilterableField => ({ path: path.split('.'), valueType, array: false, operators: filterOperators, sortable: true, ...(via ? { via } : {}) });
const notSet = (flag: string) => parseFilter({ [flag]: { $ne: true } }, (p) => field(p, 'boolean'));
const orgHop: LookupHop = { collection: 'org', localPath: ['org'], scope: notSet('hidden') };
const regionHop: LookupHop = { collection: 'region', localPath: ['region'], scope: notSet('secret') };
const fields: Record<string, FilterableField> = {
  amount: field('amount', 'number'),
  'org.name': field('name', 'string', [orgHop]),
  'org.tier': field('tier', 'number', [orgHop]),
  'org.id': field('id', 'string', [orgHop]),
  'org.region.name': field('name', 'string', [orgHop, regionHop]),
};
const resolve = (dotted: string) => fields[dotted];
const valuePool: Record<string, readonly unknown[]> = { amount: pools.amount, 'org.name': pools.name, 'org.tier': pools.tier, 'org.id': orgIds, 'org.region.name': pools.region };

/** Each deal with its in-scope org (and the org's in-scope region) embedded: what the paths mean. */
const embedded = deals.map((deal) => {
  const org = orgs.find((o) => o.id === deal.data.org && o.data.hidden !== true);
  const region = org && regions.find((r) => r.id === org.data.region && r.data.secret !== true);
  const orgDoc = org ? compact({ ...org.data, id: org.id, region: region ? region.data : undefined }) : undefined;
  return compact({ id: deal.id, amount: deal.data.amount, org: orgDoc });
});

function randomCondition(): Data {
  const name = random.pick(Object.keys(fields));
  const pool = valuePool[name]!;
  const op = random.pick(['eq', '$ne', '$gt', '$lte', '$in', '$nin', '$exists', '$not', '$regex']);
  const value = () => (random.chance(0.1) ? null : random.pick(pool));
  if (op === 'eq') return { [name]: value() };
  if (op === '$exists') return { [name]: { $exists: random.chance(0.5) } };
  if (op === '$in' || op === '$nin') return { [name]: { [op]: [value(), value()] } };
  if (op === '$not') return { [name]: { $not: { $gt: random.pick(pool) } } };
  if (op === '$regex') return typeof pool[0] === 'string' ? { [name]: { $regex: random.pick(['^a', 'c', '^$', 'th$']), $options: random.pick(['', 'i']) } } : { [name]: value() };
  return { [name]: { [op]: op === '$ne' ? value() : random.pick(pool) } };
}

function randomPathFilter(): Data {
  const parts = Array.from({ length: random.int(1, 3) }, randomCondition);
  if (random.chance(0.3)) return { $or: parts };
  if (random.chance(0.15)) return { $nor: parts };
  return { $and: parts };
}

describe(`lookup path differential against mingo (seed ${seed})`, () => {
  let directory = '';
  let store: SqliteStore | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'crm-path-differential-'));
    store = await openSqliteStore({ directory });
    await store.transaction(async (tx) => {
      for (const [collection, rows] of [['region', regions], ['org', orgs], ['deal', deals]] as const) {
        for (const r of rows) await tx.insert(collection, { id: r.id, version: 1, revision: 0, data: r.data });
      }
    });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`selects and orders the same records as mingo for ${caseCount} random path filters and sorts`, async () => {
    const stored = { region: regions, org: orgs, deal: deals };
    const collectionResolver = (name: string) => (stored[name as keyof typeof stored] ?? []).map((r) => ({ _id: r.id, version: 1, revision: 0, doc: r.data }));
    let nonEmpty = 0;
    const joined = new Map<string, object[]>();
    for (let n = 0; n < caseCount; n += 1) {
      const json = randomPathFilter();
      const sortText = random.some(Object.keys(fields), 1, 2).map((f) => `${random.chance(0.5) ? '-' : ''}${f}`).join(',');
      const context = `seed=${seed} case=${n} filter=${JSON.stringify(json)} sort=${sortText}`;
      const filter = parseFilter(json, resolve);
      const sort: SortKey[] = parseSort(sortText, resolve);

      const expectedSet = new Query(json).find(embedded).all().map((d) => String((d as Data).id));
      const expectedOrder = new Aggregator([{ $match: json }, { $sort: { ...Object.fromEntries(sortText.split(',').map((k) => [k.replace(/^-/, ''), k.startsWith('-') ? -1 : 1])), id: 1 } }])
        .run(embedded)
        .map((d) => String(d.id));
      expect([...expectedOrder].sort(), context).toEqual([...expectedSet].sort());

      const found = await store!.find('deal', { filter, sort, limit: 1000 });
      expect(found.map((r) => r.id), context).toEqual(expectedOrder);
      expect(await store!.count('deal', filter), context).toBe(expectedSet.length);

      // The joins do not depend on the filter: mingo runs each distinct set of $lookup stages once.
      const chains = lookupChainsOf(filter, sort);
      const stages = lookupStages(chains);
      const key = JSON.stringify(stages);
      if (!joined.has(key)) joined.set(key, new Aggregator(stages, { collectionResolver }).run(collectionResolver('deal')));
      const pipeline = [{ $match: compileFilterMongo(filter) }, { $sort: compileSortMongo(sort) }, ...dropLookupStage(chains)];
      const viaMongo = new Aggregator(pipeline).run(joined.get(key)!).map((d) => String(d._id));
      expect(viaMongo, `${context} (MongoDB compiler)`).toEqual(expectedOrder);
      if (expectedSet.length > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(caseCount / 4);
  });
});
