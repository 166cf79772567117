// Differential test for group(): random grouping specs (keys incl. date buckets in several zones,
// every measure, having, sort, top N) over random records. The SQLite store's answer must equal
// mingo's evaluation of the MongoDB adapter's pipeline for the same parsed spec — two independent
// engines ($group, $dateToString with zones, $sort in mingo; GROUP BY and the registered
// local-time function in SQLite). Replay a failure with GROUP_SEED=<seed printed in the failure>.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aggregator } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupRow } from '../../engine/filter/group-tree.ts';
import { parseGroupSpec } from '../../engine/filter/parse-group.ts';
import type { RecordDocument } from '../../engine/store/mongodb/compile-filter-mongo.ts';
import { compileGroupMongo, groupRowFromMongo } from '../../engine/store/mongodb/compile-group-mongo.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { resolveTestField } from '../filter/test-fields.ts';
import { RandomPicker, acceptedRandomFilter, randomRecords, seededRandom } from './random-filters.ts';

const seed = Number(process.env.GROUP_SEED ?? Math.floor(Math.random() * 2 ** 31));
const caseCount = 520;
const random = new RandomPicker(seededRandom(seed));

// Instants on and around local midnights of month, quarter and year starts in the zones below,
// and anywhere in three years.
const boundaries = ['2023-12-31T16:00:00.000Z', '2023-12-31T23:59:59.999Z', '2024-01-01T05:00:00.000Z', '2024-03-31T16:30:00.000Z', '2024-03-31T22:00:00.000Z',
  '2024-03-10T06:59:00.000Z', '2024-03-10T07:00:00.000Z', '2024-06-30T15:59:59.999Z', '2024-09-30T16:00:00.000Z', '2024-10-27T00:30:00.000Z', '2024-12-31T16:00:00.000Z'];
const records = randomRecords(random, 160).map((r) => {
  const data = { ...r.data };
  if ('createdAt' in data) data['createdAt'] = random.chance(0.4) ? random.pick(boundaries) : new Date(Date.UTC(2023, 0, 1) + random.next() * 3 * 365 * 86_400_000).toISOString();
  return { id: r.id, data };
});
// mingo reads a zone's offset by formatting each date twice with toLocaleString, which makes
// zoned specs ~10x slower than the rest; remembering those strings keeps this test fast and
// changes no answer (Date objects are immutable here: mingo copies before adjusting).
const toLocaleString = Date.prototype.toLocaleString;
const formatted = new Map<string, string>();
Date.prototype.toLocaleString = function (this: Date, locales?: Intl.LocalesArgument, options?: Intl.DateTimeFormatOptions): string {
  const key = `${this.getTime()} ${String(locales)} ${options?.timeZone ?? ''} ${Object.keys(options ?? {}).length}`;
  let text = formatted.get(key);
  if (text === undefined) formatted.set(key, (text = toLocaleString.call(this, locales, options)));
  return text;
};
const mongoShaped: RecordDocument[] = records.map((r) => ({ _id: r.id, version: 1, revision: 0, doc: r.data }));
const collection = 'groupDifferential';

const zones = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin'];
const plainKeys = ['stage', 'rating', 'active', 'address.city', 'closeDate', 'name'];
const bucketed = ['closeDate', 'createdAt'];
const buckets = ['day', 'week', 'month', 'quarter', 'year'];

function randomSpec(): Record<string, unknown> {
  const groupBy: unknown[] = [];
  for (let i = random.int(0, 2); i > 0; i -= 1) {
    if (random.chance(0.5)) groupBy.push({ field: random.pick(bucketed), bucket: random.pick(buckets), as: `k${groupBy.length}` });
    else groupBy.push({ field: random.pick(plainKeys), as: `k${groupBy.length}` });
  }
  const measures: Record<string, unknown> = { n: 'count' };
  for (const name of ['a', 'b', 'c'].slice(0, random.int(0, 3))) {
    const op = random.pick(['count', 'countDistinct', 'sum', 'avg', 'min', 'max']);
    if (op === 'count') measures[name] = 'count';
    else if (op === 'sum' || op === 'avg') measures[name] = { op, field: random.pick(['amount', 'rating']) };
    else if (op === 'countDistinct') measures[name] = { op, field: random.pick(['stage', 'amount', 'active', 'closeDate', 'address.city', 'name']) };
    else measures[name] = { op, field: random.pick(['amount', 'rating', 'closeDate', 'createdAt', 'name']) };
  }
  const outputs = [...groupBy.map((_, i) => `k${i}`), ...Object.keys(measures)];
  const spec: Record<string, unknown> = { groupBy, measures, timeZone: random.pick(zones) };
  if (random.chance(0.5)) spec['filter'] = acceptedRandomFilter(random);
  if (random.chance(0.3)) spec['having'] = { n: { [random.pick(['$gt', '$gte', '$lt', '$ne'])]: random.int(0, 6) } };
  if (random.chance(0.6)) spec['sort'] = random.some(outputs, 1, 2).map((name) => `${random.chance(0.5) ? '-' : ''}${name}`).join(',');
  if (random.chance(0.4)) spec['limit'] = random.int(1, 8);
  return spec;
}

/** Sums and averages may differ in the last bits between engines. */
function rounded(rows: GroupRow[]): GroupRow[] {
  const round = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v);
  return rows.map((row) => ({ key: row.key, values: Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, round(v)])) as GroupRow['values'] }));
}

describe(`group differential against mingo (seed ${seed})`, () => {
  let directory = '';
  let store: SqliteStore | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'crm-group-differential-'));
    store = await openSqliteStore({ directory });
    await store.transaction(async (tx) => {
      for (const r of records) await tx.insert(collection, { id: r.id, version: 1, revision: 0, data: r.data });
    });
  });
  afterAll(async () => {
    Date.prototype.toLocaleString = toLocaleString;
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`groups like mingo for ${caseCount} random specs`, async () => {
    let multiRow = 0;
    for (let n = 0; n < caseCount; n += 1) {
      const spec = randomSpec();
      const context = `seed=${seed} case=${n} spec=${JSON.stringify(spec)}`;
      const query = parseGroupSpec(spec, { resolve: resolveTestField, defaultTimeZone: 'UTC' });
      const fromSqlite = await store!.group(collection, query);
      const pipeline = compileGroupMongo(query);
      const fromMingo = (new Aggregator(pipeline).run(mongoShaped) as { doc: Record<string, unknown> }[]).map((d) => groupRowFromMongo(query, d));
      expect(rounded(fromSqlite), context).toEqual(rounded(fromMingo));
      if (fromSqlite.length > 1) multiRow += 1;
    }
    // Guard against a generator whose specs collapse to nothing.
    expect(multiRow).toBeGreaterThan(caseCount / 3);
  }, 180_000);
});
