// bench/group-by: analytics through the HTTP API on the embedded store.
//
// (1) A two-level group-by (stage × month of closeDate, count and sum of amount) answered by
//     GET /api/aggregate/deal?spec=… beside the same GROUP BY written by hand in SQL on the same
//     table, served by a minimal express route on the same store file — both over HTTP, one request
//     in flight, alternating chunks so that both see the same machine conditions.
// (2) A dashboard of 6 widgets (metric with previous-period comparison, stacked bar, line over
//     months, donut, pivot with subtotals, top-10 table) answered by GET /api/dashboards/{name}.
//
// The dashboard is applied as metadata, so the engine derives each widget's covering index (its
// group keys — date buckets as group() computes them —, filter fields, measure, owner). The stacked
// bar is the same stage × month grouping as (1): both sides of (1) read the same index.
//
// The engine runs with the analytics module only (no sign-in: the open policy answers the access
// checks, an admin's view — no scope filter). Records are loaded straight through the store while
// the dashboard is absent; applying it then builds its indexes (timed).
// Run: npx tsx bench/group-by.ts [--sizes 100000,1000000] [--requests 40]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';
import { analyticsModule } from '../engine/analytics/analytics-module.ts';
import { startServer } from '../engine/server/start-server.ts';
import type { SqliteStore } from '../engine/store/sqlite/open-sqlite-store.ts';
import { tableNameOf } from '../engine/store/sqlite/table-names.ts';
import { benchDashboard, dealEntity, entityName } from './lib/deal.ts';
import { loadAverage } from './lib/machine-load.ts';
import { seedDeals } from './lib/seed.ts';
import { ms, summarize } from './lib/stats.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}
const sizes = option('sizes', '100000,1000000').split(',').map(Number).filter((n) => n > 0);
const requests = Number(option('requests', '40'));
const dashboardRequests = Number(option('dashboard-requests', '40'));

const spec = { groupBy: ['stage', { field: 'closeDate', bucket: 'month', as: 'month' }], measures: { n: 'count', total: { op: 'sum', field: 'amount' } } };
const dashboardFilters = { period: { from: '2026-01-01', to: '2026-12-31' } };

async function timeGet(url: string, retried = false): Promise<{ ms: number; body: unknown }> {
  const started = process.hrtime.bigint();
  // A kept-alive connection the server closed while records were loading: one retry on a new one.
  const res = await fetch(url).catch((error: unknown) => {
    if (retried) throw error;
    return undefined;
  });
  if (!res) return timeGet(url, true);
  const body = (await res.json()) as unknown;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: elapsed, body };
}

/** Samples both URLs in four alternating chunks after two warm-up requests each. */
async function alternate(urls: string[], count: number): Promise<number[][]> {
  const samples = urls.map(() => [] as number[]);
  for (const url of urls) for (let i = 0; i < 2; i += 1) await timeGet(url);
  const chunk = Math.max(1, Math.ceil(count / 4));
  for (let round = 0; round < 4; round += 1) {
    for (const [index, url] of urls.entries()) {
      for (let i = 0; i < chunk; i += 1) samples[index]!.push((await timeGet(url)).ms);
    }
  }
  return samples;
}

const directory = mkdtempSync(join(tmpdir(), 'crm-bench-analytics-'));
const server = await startServer({ dataDir: directory, port: 0, modules: [analyticsModule], env: { CRM_TIME_ZONE: 'UTC' } });
/** Applies (or, with `remove`, takes away) metadata items; returns the milliseconds it took (check, compile, indexes). */
async function apply(documents: readonly { kind: string; name: string }[], remove = false): Promise<number> {
  const started = performance.now();
  const prepared = server.runtime.prepare(documents.map((document) => ({ kind: document.kind, name: document.name, document: remove ? undefined : (document as unknown as Record<string, unknown>) })) as Parameters<typeof server.runtime.prepare>[0]);
  if (!prepared.model) throw new Error(`metadata refused: ${JSON.stringify(prepared.issues)}`);
  await server.runtime.apply(prepared, { by: 'bench', message: 'benchmark metadata' });
  return performance.now() - started;
}
await apply([dealEntity]);

// The hand-written side: the same GROUP BY as one prepared statement on a read connection of the same file.
const table = tableNameOf(entityName);
const handDb = new Database((server.store as SqliteStore).file, { readonly: true });
const handSql = handDb.prepare(
  `SELECT json_extract(doc,'$.stage') AS stage, substr(json_extract(doc,'$.closeDate'),1,7) AS month, count(*) AS n, total(json_extract(doc,'$.amount')) AS total
   FROM "${table}" GROUP BY stage, month ORDER BY stage, month`,
);
const hand = express();
hand.get('/groups', (_req, res) => {
  const rows = handSql.all() as { stage: string | null; month: string | null; n: number; total: number }[];
  res.json({ entity: entityName, groups: rows.map((r) => ({ key: { stage: r.stage, month: r.month }, values: { n: r.n, total: r.total } })), truncated: false });
});
const handServer = hand.listen(0, '127.0.0.1');
await new Promise((resolve) => handServer.once('listening', resolve));
const handUrl = `http://127.0.0.1:${(handServer.address() as AddressInfo).port}/groups`;
const engineUrl = `${server.url}/api/aggregate/${entityName}?spec=${encodeURIComponent(JSON.stringify(spec))}`;
const dashboardUrl = `${server.url}/api/dashboards/${benchDashboard.name}?filters=${encodeURIComponent(JSON.stringify(dashboardFilters))}`;

const results: Record<string, unknown>[] = [];
let loaded = 0;
const loadBefore = loadAverage();
for (const size of sizes) {
  // Loaded while the dashboard (and so its indexes) is absent; applying it builds them.
  if (loaded > 0) await apply([benchDashboard], true);
  const seeded = await seedDeals(server.store, { from: loaded, to: size, revision: server.runtime.model.revision, by: 'anonymous' });
  loaded = size;
  const indexBuildMs = Math.round(await apply([benchDashboard]));
  // Same answer from both sides before timing.
    const plan = handDb.prepare(`EXPLAIN QUERY PLAN ${handSql.source}`).all().map((r) => (r as { detail: string }).detail);
  const engineBody = (await timeGet(engineUrl)).body as { groups: { key: { stage: string; month: string }; values: { n: number; total: number } }[] };
  const handBody = (await timeGet(handUrl)).body as typeof engineBody;
  const same = engineBody.groups.length === handBody.groups.length && engineBody.groups.every((g, i) => {
    const h = handBody.groups[i]!;
    return g.key.stage === h.key.stage && g.key.month === h.key.month && g.values.n === h.values.n && Math.abs(g.values.total - h.values.total) < 1e-6 * Math.max(1, Math.abs(h.values.total));
  });
  if (!same) throw new Error('engine and hand-written SQL disagree');
  const [engine, byHand] = (await alternate([engineUrl, handUrl], requests)).map(summarize);
  const dashboard = summarize((await alternate([dashboardUrl], dashboardRequests))[0]!);
  const row = {
    records: size, groups: engineBody.groups.length, handPlan: plan, seedMs: Math.round(seeded.ms), indexBuildMs,
    engine, handWritten: byHand, ratioEngineOverHand: +(byHand!.p50 / engine!.p50).toFixed(2), dashboard,
  };
  results.push(row);
  console.log(JSON.stringify(row));
}
const loadAfter = loadAverage();

console.log('\n| records | groups | engine API p50 / p95 ms | hand-written SQL API p50 / p95 ms | **engine ÷ hand-written** (p50 throughput) | 6-widget dashboard p50 / p95 ms |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of results as { records: number; groups: number; engine: { p50: number; p95: number }; handWritten: { p50: number; p95: number }; ratioEngineOverHand: number; dashboard: { p50: number; p95: number } }[]) {
  console.log(`| ${r.records.toLocaleString('en-US')} | ${r.groups} | ${ms(r.engine.p50)} / ${ms(r.engine.p95)} | ${ms(r.handWritten.p50)} / ${ms(r.handWritten.p95)} | **${r.ratioEngineOverHand.toFixed(2)}** | ${ms(r.dashboard.p50)} / ${ms(r.dashboard.p95)} |`);
}
console.log(`\nrequests per side: ${requests} (+2 warm-up), dashboard: ${dashboardRequests}; machine load before: ${JSON.stringify(loadBefore)}, after: ${JSON.stringify(loadAfter)}`);

handDb.close();
handServer.close();
await server.close();
rmSync(directory, { recursive: true, force: true });
