// Dashboards derive covering indexes: each widget's equality filters, the dashboard's date range,
// its group keys (a date's calendar bucket as the very expression group() computes), the other
// fields it tests, what it measures and the owner. On the embedded store the widget's grouping then
// reads that index instead of every document — and answers exactly what it answers without it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveIndexes } from '../../engine/compile/derive-indexes.ts';
import { parseGroupSpec } from '../../engine/filter/parse-group.ts';
import type { EntityDefinition } from '../../engine/metadata/generated/metadata.ts';
import { MetadataSet } from '../../engine/metadata/metadata-set.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { resolveTestField } from '../filter/test-fields.ts';
import { seededRandom } from '../support/seeded-random.ts';

const entity = {
  kind: 'entity', name: 'deal', label: 'Deal',
  fields: {
    stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' } } },
    amount: { type: 'currency' }, closeDate: { type: 'date' }, createdOn: { type: 'datetime' }, tags: { type: 'multipicklist', options: { a: { label: 'A' } } },
  },
};
const dashboard = {
  kind: 'dashboard', name: 'sales', title: 'Sales',
  filters: { period: { type: 'dateRange', fields: { deal: 'closeDate' } }, stage: { type: 'picklist', fields: { deal: 'stage' } } },
  widgets: {
    won: { type: 'metric', title: 'Won', entity: 'deal', filter: { stage: 'won' }, measure: { op: 'sum', field: 'amount' }, layout: { x: 0, y: 0, w: 4, h: 2 } },
    byMonth: { type: 'bar', title: 'By month', entity: 'deal', groupBy: { field: 'closeDate', bucket: 'month' }, series: 'stage', measure: { op: 'sum', field: 'amount' }, layout: { x: 4, y: 0, w: 4, h: 2 } },
    created: { type: 'line', title: 'Created', entity: 'deal', groupBy: { field: 'createdOn', bucket: 'week' }, measure: { op: 'count' }, layout: { x: 8, y: 0, w: 4, h: 2 } },
    top: { type: 'table', title: 'Top', entity: 'deal', columns: ['stage', 'amount'], filter: { stage: 'open', tags: 'a' }, sort: '-amount', layout: { x: 0, y: 2, w: 4, h: 2 } },
  },
};
const set = new MetadataSet([entity, dashboard] as never);
const specs = deriveIndexes(set.entity('deal') as EntityDefinition, set);
const keysOf = (name: string) => specs.find((spec) => spec.name === name)?.keys;

describe('indexes derived from dashboards', () => {
  it('lead with equality tests, then group keys and the date range, bucket dates only, skip multi-valued fields', () => {
    expect(keysOf('d_sales_won')).toEqual([['stage'], ['closeDate'], ['amount'], ['owner']].map((path) => ({ path, direction: 1 })));
    expect(keysOf('d_sales_byMonth')).toEqual([
      { path: ['closeDate'], direction: 1, bucket: 'month' }, { path: ['stage'], direction: 1 }, { path: ['closeDate'], direction: 1 },
      { path: ['amount'], direction: 1 }, { path: ['owner'], direction: 1 },
    ]);
    // A datetime's week depends on the zone it is seen from: the field itself is indexed, not a bucket.
    expect(keysOf('d_sales_created')?.some((key) => 'bucket' in key)).toBe(false);
    expect(keysOf('d_sales_top')).toEqual([{ path: ['stage'], direction: 1 }, { path: ['amount'], direction: -1 }]);
  });

  describe('on the embedded store', () => {
    let indexed: SqliteStore;
    let plain: SqliteStore;
    const dirs: string[] = [];
    beforeAll(async () => {
      for (const _ of [0, 1]) dirs.push(mkdtempSync(join(tmpdir(), 'crm-dash-ix-')));
      indexed = await openSqliteStore({ directory: dirs[0]! });
      plain = await openSqliteStore({ directory: dirs[1]! });
      await indexed.syncCollection({ name: 'deal', indexes: specs });
      await plain.syncCollection({ name: 'deal', indexes: [] });
      for (const store of [indexed, plain]) {
        const rnd = seededRandom(7);
        await store.transaction(async (tx) => {
          for (let i = 0; i < 600; i += 1) {
            const day = new Date(Date.UTC(2023, 10, 1) + Math.floor(rnd() * 500) * 86_400_000).toISOString().slice(0, 10);
            const data: Record<string, unknown> = { owner: rnd() < 0.5 ? 'u1' : 'u2' };
            if (rnd() < 0.9) data['stage'] = rnd() < 0.5 ? 'open' : 'won';
            if (rnd() < 0.9) data['amount'] = Math.round(rnd() * 100_000) / 100;
            if (rnd() < 0.95) data['closeDate'] = day;
            await tx.insert('deal', { id: `d${String(i).padStart(4, '0')}`, version: 1, revision: 1, data });
          }
        });
      }
    });
    afterAll(async () => {
      await indexed.close();
      await plain.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    // (Which derived index SQLite picks for an unfiltered grouping is its choice: any of them covers the month.)
    it('answer the widgets from their index, with the same figures as a full scan', async () => {
      const queries = [
        { filter: { $and: [{ stage: 'won' }, { closeDate: { $gte: '2024-01-01', $lte: '2024-06-30' } }] }, measures: { value: { op: 'sum', field: 'amount' } } },
        { filter: { closeDate: { $gte: '2023-12-15', $lte: '2024-03-31' } }, groupBy: [{ field: 'closeDate', bucket: 'month', as: 'key' }, { field: 'stage', as: 'series' }], measures: { value: { op: 'sum', field: 'amount' }, n: 'count' } },
        { groupBy: [{ field: 'closeDate', bucket: 'month', as: 'key' }], measures: { value: { op: 'count' } }, sort: '-value', limit: 5 },
      ].map((spec) => parseGroupSpec(spec, { resolve: resolveTestField, defaultTimeZone: 'UTC' }));
      for (const [i, query] of queries.entries()) {
        const expected = await plain.group('deal', query);
        expect(expected.length).toBeGreaterThan(0);
        expect(await indexed.group('deal', query)).toEqual(expected);
        const plan = (await indexed.explainGroup('deal', query)).join(' ');
        expect(plan, `query ${i}`).toMatch(/USING (COVERING )?INDEX ix_c_deal__d_sales_/);
        expect((await plain.explainGroup('deal', query)).join(' ')).toMatch(/SCAN c_deal(?! USING)/);
      }
    });
  });
});
