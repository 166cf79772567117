// bench/group-by: a two-level group-by (stage × month, count and sum) on the embedded store —
// the engine's compiled query (parseGroupSpec + store.group, what GET /api/aggregate runs below
// HTTP) beside the same GROUP BY written by hand, on the same table. Run: npx tsx bench/group-by.ts [records…]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseGroupSpec } from '../engine/filter/parse-group.ts';
import { openSqliteStore } from '../engine/store/sqlite/open-sqlite-store.ts';
import { tableNameOf } from '../engine/store/sqlite/table-names.ts';
import { resolveTestField } from '../test/filter/test-fields.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const runs = 15;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(run: () => Promise<unknown> | unknown): Promise<number[]> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

for (const size of sizes.length ? sizes : [100_000]) {
  const directory = mkdtempSync(join(tmpdir(), 'crm-bench-group-'));
  const store = await openSqliteStore({ directory });
  const random = seededRandom(size);
  const stages = ['new', 'open', 'won', 'lost'];
  for (let done = 0; done < size; done += 10_000) {
    await store.transaction(async (tx) => {
      for (let i = done; i < Math.min(size, done + 10_000); i += 1) {
        const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
        await tx.insert('deal', { id: `d${String(i).padStart(8, '0')}`, version: 1, revision: 1, data: { stage: stages[Math.floor(random() * 4)], amount: Math.round(random() * 10_000) / 100, closeDate: day } });
      }
    });
  }
  const query = parseGroupSpec(
    { groupBy: ['stage', { field: 'closeDate', bucket: 'month', as: 'month' }], measures: { n: 'count', total: { op: 'sum', field: 'amount' } } },
    { resolve: resolveTestField, defaultTimeZone: 'UTC' },
  );
  const engine = await time(() => store.group('deal', query));
  const db = new Database(store.file, { readonly: true });
  const hand = db.prepare(
    `SELECT json_extract(doc,'$.stage') AS stage, substr(json_extract(doc,'$.closeDate'),1,7) AS month, count(*) AS n, sum(json_extract(doc,'$.amount')) AS total
     FROM "${tableNameOf('deal')}" GROUP BY stage, month ORDER BY stage, month`,
  );
  const byHand = await time(() => hand.all());
  const rows = (await store.group('deal', query)).length;
  console.log(JSON.stringify({
    records: size, groups: rows, runs,
    engine: { p50: +percentile(engine, 50).toFixed(1), p95: +percentile(engine, 95).toFixed(1) },
    handWritten: { p50: +percentile(byHand, 50).toFixed(1), p95: +percentile(byHand, 95).toFixed(1) },
    ratioHandOverEngineP50: +(percentile(byHand, 50) / percentile(engine, 50)).toFixed(2),
  }));
  db.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
