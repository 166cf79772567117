// bench/import: import rows/s (mapping, cleansing — trim, full-width, phone to E.164 —, validation,
// a unique field and an exact duplicate rule checked on every row, batched writes through the
// records' write path with checkpoints and change log) ÷ a raw bulk insert of the same rows, read by
// the same reader, straight through the store port in transactions growing 500, 1,000, 2,000 then 4,000 rows — the
// import's own schedule (engine/import/run-import.ts), so that neither side syncs the log more often. Each size and each side
// runs in its own child process, so its peak RSS is its own.
//
//   npx tsx bench/import.ts --sizes 10000,100000[,1000000]
//
// Prints a markdown table (copied into RESULTS.md by hand) with the machine's load average. CPU µs/row
// is the main thread's CPU time per row (Linux), which contention distorts far less than rows/s.

import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemPrincipal } from '../engine/access/policy.ts';
import { importServices } from '../engine/import/import-module.ts';
import { newSourceInfo, readRows } from '../engine/import/read-rows.ts';
import { newId } from '../engine/kernel/ids.ts';
import type { RequestContext } from '../engine/records/request-context.ts';
import { openEngine } from '../engine/server/start-server.ts';
import { loadAverage } from './lib/machine-load.ts';

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

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('code,name,email,phone,company,amount\n');
  for (let i = 1; i <= rows; i++) {
    // Every 50th name full-width and padded; every 1000th amount has too many decimals (refused).
    const name = i % 50 === 0 ? `  Ｐｅｒｓｏｎ ${i} ` : `Person ${i}`;
    const amount = i % 1000 === 0 ? '1.005' : String((i * 37) % 10_000);
    await write(`C${i},${name},p${i}@Example.com,020 7946 ${String(i % 10_000).padStart(4, '0')},Company ${i % 997},${amount}\n`);
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
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

async function child(side: 'import' | 'raw', file: string, dataDir: string): Promise<void> {
  const engine = await openEngine({ dataDir });
  const { runtime, store, clock } = engine.services;
  const prepared = runtime.prepare([{ kind: 'entity', name: 'contact', document: contact as never }]);
  await runtime.apply(prepared, { by: 'bench' });
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
  let rows = 0;
  let written = 0;
  if (side === 'import') {
    const service = importServices.get(engine.services)!;
    const ctx: RequestContext = { principal: systemPrincipal('bench'), locale: 'en', clock, model: runtime.model, policy: engine.services.policy };
    const { id } = await service.startJob({ ctx, file: { path: file, name: 'contacts.csv' }, mapping, mode: 'validOnly', history: false });
    const job = await service.run(id);
    if (job.status !== 'done') throw new Error(`import ${job.status}: ${job.error ?? ''}`);
    rows = job.counts.rows;
    written = job.counts.created;
  } else {
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
    for await (const row of readRows({ file, format: 'csv', info: newSourceInfo() })) {
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
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  sample();
  const cpu = process.cpuUsage(cpuStarted);
  const cpuUsPerRow = rows > 0 ? (cpu.user + cpu.system) / rows : 0;
  const mainUsPerRow = rows > 0 ? ((mainThreadCpuMs() - mainStarted) * 1000) / rows : 0;
  await engine.close();
  process.stdout.write(`${JSON.stringify({ side, rows, written, seconds, cpuUsPerRow: Math.round(cpuUsPerRow * 10) / 10, mainUsPerRow: Math.round(mainUsPerRow * 10) / 10, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), peak })}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] as 'import' | 'raw', args[2]!, args[3]!);
  const sizesAt = args.indexOf('--sizes');
  const sizes = (sizesAt >= 0 ? args[sizesAt + 1]! : '10000,100000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const lines = [`load average before: ${loadAverage()} (${os.cpus().length} cores)`, '', '| rows | raw insert rows/s | import rows/s | ratio | CPU µs/row raw | CPU µs/row import | rejected | peak RSS raw | peak RSS import | peak heap import |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const size of sizes) {
    const work = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-import-'));
    try {
      const file = path.join(work, 'contacts.csv');
      await writeCsv(file, size);
      const run = (side: string) => {
        const dataDir = mkdtempSync(path.join(work, `${side}-`));
        const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', side, file, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CRM_LOG_LEVEL: 'warn' } });
        return JSON.parse(out.trim().split('\n').pop()!) as { rows: number; written: number; seconds: number; mainUsPerRow: number; peakRssMb: number; peak: { heapUsedMb: number } };
      };
      const raw = run('raw');
      const imported = run('import');
      const rawRate = raw.rows / raw.seconds;
      const importRate = imported.rows / imported.seconds;
      lines.push(`| ${size.toLocaleString('en')} | ${Math.round(rawRate).toLocaleString('en')} | ${Math.round(importRate).toLocaleString('en')} | ${(importRate / rawRate).toFixed(2)} | ${raw.mainUsPerRow} | ${imported.mainUsPerRow} | ${imported.rows - imported.written} | ${raw.peakRssMb} MB | ${imported.peakRssMb} MB | ${imported.peak.heapUsedMb} MB |`);
      process.stderr.write(`${lines[lines.length - 1]}\n`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  lines.push('', `load average after: ${loadAverage()}`);
  console.log(lines.join('\n'));
}

await main();
