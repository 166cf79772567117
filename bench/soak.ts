// bench/soak: memory under constant load over time (issue 16, point 7). The engine runs in a child
// process (bench/servers/engine-server.ts, security on, token auth) with 10,000 seeded deals; the
// parent drives a constant mix — GET by id, the filtered list, and creates — at a fixed request rate
// for `--minutes` (default 10) and samples the child's RSS and its V8 heap after a forced GC every
// `--sample` seconds. The first samples (warm-up: JIT, caches filling) are reported but not judged.
// Growth is the least-squares slope of heap-after-GC over the judged samples, per minute: a leak
// shows as a steady slope whatever the machine's load, whereas requests/s depend on it.
//
//   npx tsx bench/soak.ts [--minutes 10] [--sample 30] [--rate 40]
//
// Prints a markdown section (copied into RESULTS.md by hand) with the load average beside it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChildServer } from './lib/child.ts';
import { createBody, entityName, listPath, type Credentials } from './lib/deal.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { loadAverage } from './lib/machine-load.ts';
import type { SeedResult } from './lib/seed.ts';
import { int, ms } from './lib/stats.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const minutes = option('minutes', 10);
const sampleSeconds = option('sample', 30);
/** Requests per second per connection; three connections (get, list, create) run side by side. */
const rate = option('rate', 40);
const warmupSamples = 2;

interface Sample {
  atSeconds: number;
  rss: number;
  heapUsed: number;
  requests: number;
  failed: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-soak-'));
  const child = ChildServer.start(new URL('./servers/engine-server.ts', import.meta.url), 'engine');
  try {
    const { url } = await child.call<{ url: string }>('start', { dataDir, withView: true });
    const seeded = await child.call<SeedResult>('seed', { from: 0, to: 10_000, sampleSize: 2000 });
    const credentials = await child.call<Credentials>('credentials');
    const headers = { authorization: `Bearer ${credentials.token}` };
    const ids = seeded.sampleIds;
    let next = 0;

    const samples: Sample[] = [];
    let requests = 0;
    let failed = 0;
    const started = Date.now();
    const sample = async () => {
      const memory = await child.call<{ rss: number; heapUsed: number }>('memory');
      samples.push({ atSeconds: (Date.now() - started) / 1000, rss: memory.rss, heapUsed: memory.heapUsed, requests, failed });
      const last = samples.at(-1)!;
      process.stderr.write(`soak ${Math.round(last.atSeconds)} s: rss ${mb(last.rss)}, heap after GC ${mb(last.heapUsed)}, ${int(requests)} requests, ${failed} failed\n`);
    };
    await sample();
    const count = (result: LoadResult) => {
      requests += result.ok;
      failed += result.failed;
    };
    // Load in slices of one sample period, so that memory is read between slices at a steady rate.
    const endAt = started + minutes * 60_000;
    const p95s: number[] = [];
    while (Date.now() < endAt) {
      const duration = Math.max(1, Math.min(sampleSeconds, Math.round((endAt - Date.now()) / 1000)));
      const results = await Promise.all([
        runLoad({ url, pathFor: () => `/api/data/${entityName}/${ids[next++ % ids.length]}`, headers, connections: 1, rate, duration }),
        runLoad({ url, path: listPath, headers, connections: 1, rate, duration }),
        runLoad({ url, method: 'POST', path: `/api/data/${entityName}`, body: createBody, headers, connections: 1, rate, duration }),
      ]);
      results.forEach(count);
      p95s.push(results[0]!.p95);
      await sample();
    }

    const judged = samples.slice(warmupSamples);
    const heapSlope = slope(judged.map((s) => ({ x: s.atSeconds / 60, y: s.heapUsed })));
    const rssSlope = slope(judged.map((s) => ({ x: s.atSeconds / 60, y: s.rss })));
    const first = judged[0]!;
    const last = judged.at(-1)!;
    const lines = [
      `## Soak — \`npx tsx bench/soak.ts --minutes ${minutes} --sample ${sampleSeconds} --rate ${rate}\``,
      '',
      `Run of ${new Date().toISOString()}; load average before ${loadBefore}, after ${loadAverage()}. Constant load: GET by id, the`,
      `filtered list and creates, each at ${rate} requests/s on its own connection (token auth), over 10,000 seeded deals`,
      `(creates add ~${int(rate * minutes * 60)} more). Heap is V8's heap used after a forced GC in the server process.`,
      '',
      '| at | RSS | heap after GC | requests so far | failed |',
      '|---:|---:|---:|---:|---:|',
      ...samples.map((s, i) => `| ${Math.round(s.atSeconds)} s${i < warmupSamples ? ' (warm-up)' : ''} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${int(s.requests)} | ${s.failed} |`),
      '',
      `- After warm-up, from ${Math.round(first.atSeconds)} s to ${Math.round(last.atSeconds)} s: heap ${mb(first.heapUsed)} → ${mb(last.heapUsed)} (slope ${mb(heapSlope)}/min), RSS ${mb(first.rss)} → ${mb(last.rss)} (slope ${mb(rssSlope)}/min).`,
      `- GET by id p95 per slice: ${p95s.map((p) => ms(p)).join(', ')} ms.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
