// bench/import-child: one side of bench/import.ts in a process of its own — `import` (the CSV through
// the engine's import job) or `raw` (the same rows read by the same reader and inserted through the
// store port in the import's transaction schedule). Prints one JSON line. bench/import.ts runs it
// bundled the way the server ships (scripts/build-server.ts, with the map worker beside it), or
// under tsx (`--tsx`).
//
//   node dist/<build>/import-child.js import|raw <file.csv> <data folder> [--warm-up <file.csv>] [--one-thread] [--normalized-rule]
//
// For looking into a figure: BENCH_THREADS=1 also prints (stderr) each thread's CPU ms over the measured pass — the
// main thread, V8's helper threads (optimizing compiler, GC) and workers — and marks the pass's start on stdout (for
// `--trace-opt`/`--trace-gc` output); BENCH_CPU_PROFILE=<file> writes a V8 CPU profile of the measured pass,
// BENCH_HEAP_PROFILE=<file> V8's sampling heap profile of it (where the main thread allocates, objects collected included).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { systemPrincipal } from '../engine/access/policy.ts';
import { importServices } from '../engine/import/import-module.ts';
import { runImportJob } from '../engine/import/run-import.ts';
import { newSourceInfo, readRows } from '../engine/import/read-rows.ts';
import { newId } from '../engine/kernel/ids.ts';
import type { RequestContext } from '../engine/records/request-context.ts';
import { openEngine } from '../engine/server/start-server.ts';

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: {
    code: { type: 'text', required: true, unique: true },
    name: { type: 'text', required: true },
    email: { type: 'email' },
    phone: { type: 'phone' },
    company: { type: 'text' },
    amount: { type: 'currency', min: 0 },
  },
  cleansing: { name: { trim: true, halfWidth: true }, company: { trim: true, halfWidth: true }, phone: { phone: 'GB' } },
  duplicateRules: { sameNameAndCompany: { match: ['name', 'company'], action: 'warn' } },
  indexes: { nameCompany: { fields: ['name', 'company'] } },
};
const mapping = { name: 'bench-contacts', targets: [{ entity: 'contact', key: ['code'], columns: { code: 'code', name: 'name', email: 'email', phone: 'phone', company: 'company', amount: 'amount' } }] };

/** CPU ms of each thread of the process by its name (V8's compiler and GC helpers, libuv's pool, workers); Linux only. */
function threadCpuMs(): Record<string, number> {
  const byName: Record<string, number> = {};
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName[`${name}:${task === String(process.pid) ? 'main' : task}`] = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
  } catch {
    // not Linux
  }
  return byName;
}

/** CPU time of the main (JavaScript) thread alone, in ms — without GC helper and worker threads; Linux only (0 elsewhere). */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function child(side: 'import' | 'raw', file: string, dataDir: string, options: { warmUpFile?: string; oneThread: boolean; normalizedRule: boolean }): Promise<void> {
  const { warmUpFile, oneThread, normalizedRule } = options;
  const engine = await openEngine({ dataDir });
  const { runtime, store, clock } = engine.services;
  // A normalized rule folds case, spaces and full-width characters, and keeps each record's folded key beside it.
  const document = normalizedRule ? { ...contact, duplicateRules: { sameNameAndCompany: { ...contact.duplicateRules.sameNameAndCompany, method: 'normalized' } } } : contact;
  const prepared = runtime.prepare([{ kind: 'entity', name: 'contact', document: document as never }]);
  await runtime.apply(prepared, { by: 'bench' });
  const service = importServices.get(engine.services)!;
  const ctx: RequestContext = { principal: systemPrincipal('bench'), locale: 'en', clock, model: runtime.model, policy: engine.services.policy };
  /** One run of this side over a file: an import job, or the raw reads and inserts. */
  const pass = async (source: string): Promise<{ rows: number; written: number }> => {
    if (side === 'import') {
      const { id } = await service.startJob({ ctx, file: { path: source, name: path.basename(source) }, mapping, mode: 'validOnly', history: false });
      // One thread: the file read and mapped on the writing thread whatever its size (as below 1 MB).
      const job = oneThread ? await runImportJob({ store, clock, policy: engine.services.policy, events: engine.services.records.events, model: () => runtime.model, pipelineAboveBytes: Number.POSITIVE_INFINITY }, id) : await service.run(id);
      if (job.status !== 'done') throw new Error(`import ${job.status}: ${job.error ?? ''}`);
      // Rows taken (a re-run's rows are found unchanged): the rest were rejected.
      return { rows: job.counts.rows, written: job.counts.created + job.counts.updated + job.counts.unchanged };
    }
    let rows = 0;
    let written = 0;
    const revision = runtime.model.revision;
    let batch: { id: string; version: number; revision: number; data: Record<string, unknown> }[] = [];
    const flush = async () => {
      const docs = batch;
      batch = [];
      await store.transaction(async (tx) => {
        for (const doc of docs) await tx.insert('contact', doc);
      });
      written += docs.length;
    };
    const now = new Date().toISOString();
    let batchSize = 500;
    for await (const row of readRows({ file: source, format: 'csv', info: newSourceInfo() })) {
      rows++;
      if ('error' in row) continue;
      const v = row.values as Record<string, string>;
      batch.push({ id: newId(), version: 1, revision, data: { code: v['code'], name: v['name'], email: v['email'], phone: v['phone'], company: v['company'], amount: Number(v['amount']), createdAt: now, updatedAt: now, createdBy: 'bench', updatedBy: 'bench', owner: 'bench' } });
      if (batch.length >= batchSize) {
        await flush();
        batchSize = Math.min(batchSize * 2, 4000);
      }
    }
    await flush();
    return { rows, written };
  };
  // A warmed run first imports (or inserts) another file, as a server that has run an import before:
  // the code then runs optimized, where a first import after start runs much of it in V8's interpreter, and a
  // pipelined one leaves its map thread kept (import/map-worker-pool.ts) for the import measured.
  if (warmUpFile) await pass(warmUpFile);
  const threadsStarted = process.env['BENCH_THREADS'] ? threadCpuMs() : undefined;
  if (threadsStarted) process.stdout.write('-- measured pass begins\n');
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const mainStarted = mainThreadCpuMs();
  // Where the memory is at its peak: the JavaScript heap, or outside it (SQLite, buffers).
  const peak = { heapUsedMb: 0, externalMb: 0, rssMb: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heapUsedMb = Math.max(peak.heapUsedMb, Math.round(m.heapUsed / 1048576));
    peak.externalMb = Math.max(peak.externalMb, Math.round(m.external / 1048576));
    peak.rssMb = Math.max(peak.rssMb, Math.round(m.rss / 1048576));
  };
  const sampler = setInterval(sample, 250);
  // BENCH_CPU_PROFILE=<file>: a V8 CPU profile of the measured pass alone (main thread), for chrome://inspect or a script.
  const profileFile = process.env['BENCH_CPU_PROFILE'];
  const profiler = profileFile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // BENCH_HEAP_PROFILE=<file>: V8's sampling heap profile of the measured pass (where the main thread allocates).
  const heapFile = process.env['BENCH_HEAP_PROFILE'];
  const heapProfiler = heapFile ? new Session() : undefined;
  if (heapProfiler) {
    heapProfiler.connect();
    await heapProfiler.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const { rows, written } = await pass(file);
  if (profiler && profileFile) writeFileSync(profileFile, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  if (heapProfiler && heapFile) writeFileSync(heapFile, JSON.stringify((await heapProfiler.post('HeapProfiler.stopSampling')).profile));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  sample();
  const cpu = process.cpuUsage(cpuStarted);
  const cpuUsPerRow = rows > 0 ? (cpu.user + cpu.system) / rows : 0;
  if (threadsStarted) {
    const now = threadCpuMs();
    process.stderr.write(`${JSON.stringify(Object.fromEntries(Object.entries(now).map(([name, ms]) => [name, Math.round(ms - (threadsStarted[name] ?? 0))])))}\n`);
  }
  const mainUsPerRow = rows > 0 ? ((mainThreadCpuMs() - mainStarted) * 1000) / rows : 0;
  await engine.close();
  process.stdout.write(`${JSON.stringify({ side, rows, written, seconds, cpuUsPerRow: Math.round(cpuUsPerRow * 10) / 10, mainUsPerRow: Math.round(mainUsPerRow * 10) / 10, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), peak })}\n`);
}

const [side, file, dataDir, ...flags] = process.argv.slice(2);
const warmUpAt = flags.indexOf('--warm-up');
await child(side as 'import' | 'raw', file!, dataDir!, { ...(warmUpAt >= 0 ? { warmUpFile: flags[warmUpAt + 1] } : {}), oneThread: flags.includes('--one-thread'), normalizedRule: flags.includes('--normalized-rule') });
