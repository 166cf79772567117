// The embedded store's off-loop work (issue 16, item 4), on the store itself: which reads go to the
// worker threads, that they answer exactly what the main thread would, and that index builds on a
// large table happen on a thread of their own with the same outcome — the index there and used,
// or a unique index over duplicates refused naming its fields, nothing left behind.

import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalField, type FilterNode } from '../../engine/filter/filter-tree.ts';
import type { GroupQuery } from '../../engine/filter/group-tree.ts';
import type { CrmError } from '../../engine/kernel/errors.ts';
import { openSqliteStore, type SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { defaultReadWorkers } from '../../engine/store/sqlite/read-pool.ts';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

const rows = 3000;
const field = (name: string, type: 'string' | 'number' = 'string') => internalField(name, type);
const cityFilter: FilterNode = { kind: 'compare', field: field('city'), op: '$eq', value: 'Oslo' };

describe('off-thread reads and index builds on the embedded store', () => {
  let store: SqliteStore;
  let reference: SqliteStore;
  // Threads at the lowest priority before these stores open: test files share a process, and another
  // file's store may still be closing its workers.
  let lowestBefore = 0;

  beforeAll(async () => {
    lowestBefore = existsSync('/proc/self/task') ? threadNiceValues().filter((nice) => nice === 19).length : 0;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-offload-'));
    // Tables of 1,000 rows or more count as large here; the reference store never offloads.
    store = await openSqliteStore({ directory: path.join(dir, 'a'), offloadAboveRows: 1000 });
    reference = await openSqliteStore({ directory: path.join(dir, 'b'), offloadAboveRows: Number.MAX_SAFE_INTEGER });
    for (const s of [store, reference]) {
      await s.syncCollection({ name: 'person', indexes: [] });
      await s.transaction(async (tx) => {
        for (let i = 0; i < rows; i += 1) {
          await tx.insert('person', { id: `p${String(i).padStart(5, '0')}`, version: 1, revision: 1, data: { name: `Person ${i % 1500}`, city: ['Oslo', 'Rome', 'Lima'][i % 3]!, age: i % 90 } });
        }
      });
    }
    await store.warmReadWorkers();
  });
  afterAll(async () => {
    await store?.close();
    await reference?.close();
  });

  // Threads have a priority of their own on Linux only; elsewhere the workers run at the process's.
  it.skipIf(!existsSync('/proc/self/task'))('runs one worker fewer than the cores, each at the lowest scheduling priority', () => {
    // The main thread's own line (/proc/self/stat is the thread group leader's): a listing of
    // /proc/self/task is in thread-id order, and ids wrap around, so its first entry may be a worker.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const processNice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    expect(processNice).toBeLessThan(19);
    expect(defaultReadWorkers()).toBe(Math.max(1, Math.min(4, os.availableParallelism() - 1)));
    expect(threadNiceValues().filter((nice) => nice === 19).length - lowestBefore).toBe(defaultReadWorkers());
  });

  it('sends scans, unindexed sorts, counts and groupings to the workers, with the same answers', async () => {
    const query = { filter: cityFilter, sort: [{ field: field('age', 'number'), direction: -1 as const }], limit: 20 };
    expect(store.placeOfFind('person', query)).toBe('worker');
    expect(store.placeOfFind('person', { filter: { kind: 'true' }, sort: [], limit: 20 })).toBe('main'); // an index walk that stops at the page
    expect(await store.find('person', query)).toEqual(await reference.find('person', query));
    expect(await store.count('person', cityFilter)).toBe(1000);
    expect(await store.aggregate('person', { filter: cityFilter, op: 'sum', path: ['age'] })).toEqual(await reference.aggregate('person', { filter: cityFilter, op: 'sum', path: ['age'] }));
    const group: GroupQuery = { filter: { kind: 'true' }, keys: [{ name: 'city', field: field('city') }], measures: [{ name: 'n', op: 'count' }, { name: 'age', op: 'avg', field: field('age', 'number') }], sort: [] };
    const grouped = await store.group('person', group);
    expect(grouped).toHaveLength(3);
    expect(grouped).toEqual(await reference.group('person', group));
    expect(await store.find('nothing', query)).toEqual([]); // a collection never created reads as empty
  });

  it('builds a new index on a large table off the main thread; the plan then uses it and the read stays here', async () => {
    const query = { filter: cityFilter, sort: [{ field: field('age', 'number'), direction: -1 as const }], limit: 20 };
    await store.syncCollection({ name: 'person', indexes: [{ name: 'byCityAge', keys: [{ path: ['city'], direction: 1 }, { path: ['age'], direction: -1 }], unique: false }] });
    expect(await store.listIndexNames('person')).toEqual(['byCityAge']);
    expect((await store.explainFind('person', query)).join(' ')).toMatch(/SEARCH .* USING INDEX/);
    expect(store.placeOfFind('person', query)).toBe('main');
    expect(await store.find('person', query)).toEqual(await reference.find('person', query));
  });

  it('refuses a unique index over duplicates on a large table, naming the field, and leaves nothing behind', async () => {
    const refused = await store.syncCollection({ name: 'person', indexes: [{ name: 'uniqueName', keys: [{ path: ['name'], direction: 1 }], unique: true }] }).then(
      () => undefined,
      (error: CrmError) => error,
    );
    expect(refused?.code).toBe('UNIQUE_VIOLATION');
    expect(refused?.details.map((d) => d.path)).toEqual(['/name']);
    expect(await store.listIndexNames('person')).toEqual(['byCityAge']);
  });
});
