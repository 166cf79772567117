// The import pipeline (a worker thread reads and maps batch N+1 while the main thread writes batch
// N; engine/import/pipeline-source.ts) must end exactly where the single-thread import ends: the
// same records, counts and rejected rows (line, column, value, reason), the same dry run, and a
// resumed job starting after its checkpoint. Each run below imports the same file into an engine of
// its own, once with the pipeline forced on (any file size) and once off; the real store, no server.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { importServices } from '../../engine/import/import-module.ts';
import { importJobsCollection, importRowsCollection, type ImportJob, type ImportMode } from '../../engine/import/import-store.ts';
import { runImportJob } from '../../engine/import/run-import.ts';
import { MapWorkerPool } from '../../engine/import/map-worker-pool.ts';
import { pipelinedBatches } from '../../engine/import/pipeline-source.ts';
import { newSourceInfo } from '../../engine/import/read-rows.ts';
import { maxWriterShare, nextWriterShare, rowsMappedByWorker, writerWaited } from '../../engine/import/writer-share.ts';
import { MetadataSet, type MetadataDocument } from '../../engine/metadata/metadata-set.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: {
    code: { type: 'text', required: true, unique: true },
    name: { type: 'text', required: true },
    phone: { type: 'phone' },
    company: { type: 'text' },
    tier: { type: 'picklist', required: true, options: { gold: { label: 'Gold' }, silver: { label: 'Silver' } } },
    amount: { type: 'currency', min: 0 },
    // An entity default the file never fills: the worker applies it when it checks a row ahead.
    channel: { type: 'text', default: 'file' },
  },
  cleansing: { name: { trim: true, halfWidth: true }, company: { trim: true, halfWidth: true }, phone: { phone: 'GB' } },
  duplicateRules: { sameNameAndCompany: { match: ['name', 'company'], action: 'block' } },
};
const mapping = {
  name: 'pipeline-contacts',
  targets: [{ entity: 'contact', key: ['code'], columns: { code: 'code', name: 'name', phone: 'phone', company: 'company', tier: 'tier', amount: 'amount' }, values: { tier: { Gold: 'gold', Silver: 'silver' } }, defaults: { tier: 'silver' } }],
};
const rows = 2600; // batches of 500, 1000, then the rest

/**
 * Every 50th name full-width and padded; every 97th amount has three decimals (refused: amount);
 * every 89th tier is no option (refused: tier); every 101st row repeats an earlier code (an update);
 * every 211th row repeats the name and company of the row before under a new code (blocked as a
 * duplicate); line 1001 has a field too many (unreadable).
 */
function sourceCsv(): string {
  const lines = ['code,name,phone,company,tier,amount'];
  for (let i = 1; i <= rows; i++) {
    if (i === 1000) {
      lines.push('X1000,Broken,020 7946 0000,Company 1,Gold,1,extra');
      continue;
    }
    const code = i % 101 === 0 ? `C${i - 50}` : `C${i}`;
    const n = i % 211 === 0 ? i - 1 : i;
    const name = n % 50 === 0 ? `  Ｐｅｒｓｏｎ ${n} ` : `Person ${n}`;
    const tier = i % 89 === 0 ? 'Bronze' : i % 3 === 0 ? 'Gold' : i % 3 === 1 ? 'Silver' : '';
    const amount = i % 97 === 0 ? '1.005' : String((i * 37) % 10_000);
    lines.push(`${code},${name},020 7946 ${String(i % 10_000).padStart(4, '0')},Company ${n % 97},${tier},${amount}`);
  }
  return lines.join('\n') + '\n';
}

let work: string;
let file: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-import-pipeline-'));
  file = path.join(work, 'contacts.csv');
  await writeFile(file, sourceCsv());
});
afterAll(async () => rm(work, { recursive: true, force: true }));

/**
 * Imports the file into a fresh engine; `pipeline` forces the worker thread on or off. With it on, the
 * main thread reads `localBatches` batches itself (1 unless told) and the worker takes over from there,
 * as when it has started meanwhile.
 */
async function importInto(name: string, args: { pipeline: boolean; mode: ImportMode; checkpoint?: number; localBatches?: number; writerShare?: number; entities?: { name: string }[]; mapping?: unknown; file?: string; workers?: MapWorkerPool; warmAboveBytes?: number }) {
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const engine = await openEngine({ dataDir: path.join(work, name), clock, env: {} });
  try {
    const { runtime, store, policy } = engine.services;
    await runtime.apply(runtime.prepare((args.entities ?? [contact]).map((document) => ({ kind: 'entity', name: document.name, document: document as never }))), { by: 'test' });
    const service = importServices.get(engine.services)!;
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy };
    const { id } = await service.startJob({ ctx, file: { path: args.file ?? file, name: args.file?.endsWith('.xlsx') ? path.basename(args.file) : 'contacts.csv' }, mapping: args.mapping ?? mapping, mode: args.mode, history: false });
    if (args.checkpoint !== undefined) {
      // As a killed job left it: its first rows committed by an earlier run (here: none were, so those rows stay absent).
      await store.transaction(async (tx) => {
        const row = (await tx.get(importJobsCollection.name, id))!;
        await tx.replace(importJobsCollection.name, { ...row, version: row.version + 1, data: { ...row.data, checkpoint: args.checkpoint } }, row.version);
      });
    }
    const job = await runImportJob({ store, clock, policy, events: engine.services.records.events, model: () => runtime.model, pipelineAboveBytes: args.pipeline ? 0 : Number.POSITIVE_INFINITY, pipelineLocalBatches: args.localBatches ?? 1, ...(args.writerShare !== undefined ? { pipelineWriterShare: args.writerShare } : {}), ...(args.workers ? { mapWorkers: args.workers } : {}), ...(args.warmAboveBytes !== undefined ? { pipelineWarmAboveBytes: args.warmAboveBytes } : {}) }, id);
    const rejected = (await store.find(importRowsCollection.name, { filter: { kind: 'true' }, sort: [], limit: 10_000 })).map((r) => r.data as { line: number; issues: unknown[]; row?: unknown }).sort((a, b) => a.line - b.line);
    const records = (await store.find('contact', { filter: { kind: 'true' }, sort: [], limit: 10_000 }).catch(() => []))
      .map((r) => ({ code: r.data['code'], name: r.data['name'], phone: r.data['phone'], company: r.data['company'], tier: r.data['tier'], amount: r.data['amount'], since: r.data['since'], channel: r.data['channel'], version: r.version }))
      .sort((a, b) => String(a.code).localeCompare(String(b.code)));
    // People point at firms by id (different in each engine): compared by the firm's name.
    const firms = new Map((await store.find('firm', { filter: { kind: 'true' }, sort: [], limit: 10_000 }).catch(() => [])).map((r) => [r.id, r.data['name']]));
    const people = (await store.find('person', { filter: { kind: 'true' }, sort: [], limit: 10_000 }).catch(() => []))
      .map((r) => ({ code: r.data['code'], name: r.data['name'], firm: firms.get(String(r.data['firm'])) }))
      .sort((a, b) => String(a.code).localeCompare(String(b.code)));
    return { job: job as ImportJob, rejected, records, people, firms: [...firms.values()].sort() };
  } finally {
    await engine.close();
  }
}

/** A duplicate's reason names the stored record's id, which differs from run to run. */
const withoutIds = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, '<id>')) as unknown;
const report = (rejected: { line: number; issues: unknown[]; row?: unknown }[]) => withoutIds(rejected.map(({ line, issues, row }) => ({ line, issues, row })));
const outcome = (job: ImportJob) => ({ status: job.status, counts: job.counts, checkpoint: job.checkpoint, samples: job.samples.map(({ line, entity, action }) => ({ line, entity, action })), source: job.source });

describe('import pipeline (worker thread reads and maps, the main thread writes)', () => {
  it('writes the same records and reports the same rejected rows as the single-thread import', { timeout: 120_000 }, async () => {
    const single = await importInto('single', { pipeline: false, mode: 'validOnly' });
    const piped = await importInto('piped', { pipeline: true, mode: 'validOnly' });
    expect(single.job.status).toBe('done');
    // The file's own defects, counted here from how it was made.
    const refused = Array.from({ length: rows }, (_, k) => k + 1).filter((i) => i === 1000 || i % 97 === 0 || (i % 89 === 0 && i % 97 !== 0));
    expect(single.rejected.map((r) => r.line).filter((line) => refused.includes(line - 1))).toHaveLength(refused.length);
    expect(single.rejected.find((r) => r.line === 98)!.issues).toEqual([expect.objectContaining({ column: 'amount', field: 'amount', value: '1.005' })]);
    expect(single.rejected.find((r) => r.line === 1001)!.issues).toEqual([expect.objectContaining({ reason: expect.objectContaining({ en: expect.stringContaining('line 1001') }) })]);
    expect(single.job.counts.updated).toBeGreaterThan(0);
    expect(single.records.find((r) => r.code === 'C50')).toMatchObject({ name: 'Person 50', phone: '+442079460050', channel: 'file' });

    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.records).toEqual(single.records);
  });

  it('maps on the writing thread the rows the worker leaves to it, with the same outcome', { timeout: 120_000 }, async () => {
    const single = await importInto('single-shared', { pipeline: false, mode: 'validOnly' });
    // Half of every batch of the worker's left to the writing thread; and all of it.
    for (const writerShare of [0.5, 1]) {
      const shared = await importInto(`shared-${writerShare}`, { pipeline: true, mode: 'validOnly', writerShare, localBatches: 0 });
      expect(outcome(shared.job)).toEqual(outcome(single.job));
      expect(report(shared.rejected)).toEqual(report(single.rejected));
      expect(shared.records).toEqual(single.records);
    }
  });

  it('leaves the share of each batch it is told to the writing thread: the last rows, unmapped', { timeout: 120_000 }, async () => {
    const set = new MetadataSet([contact as unknown as MetadataDocument]);
    // One kept thread serves the three runs, each with the share it is given.
    const workers = new MapWorkerPool();
    for (const writerShare of [0, 0.5, 1]) {
      const counts: { rows: number; readable: number; left: number; leftAtEnd: boolean }[] = [];
      for await (const { rows: batch, premapped } of pipelinedBatches({ file, format: 'csv', mapping: mapping as never, set, revision: 1, history: false, maxBatchSize: 4000, ahead: 2, info: newSourceInfo(), checkpoint: 0, firstBatchSize: 500, localBatches: 0, writerShare, workers })) {
        const mapped = premapped!.get(0)!;
        const readable = batch.map((row, index) => ('error' in row ? -1 : index)).filter((index) => index >= 0);
        const left = readable.filter((index) => mapped[index] === undefined);
        const mappedHere = rowsMappedByWorker(batch.length, writerShare);
        counts.push({ rows: batch.length, readable: readable.length, left: left.length, leftAtEnd: left.every((index) => index >= mappedHere) });
      }
      // Every row of the file came through (line 1001 unreadable), in batches of 500, 1000, then the rest.
      expect(counts.map((c) => c.rows)).toEqual([500, 1000, rows - 1500]);
      for (const c of counts) {
        expect(c.left).toBeLessThanOrEqual(Math.round(c.rows * writerShare));
        expect(c.leftAtEnd).toBe(true);
      }
      if (writerShare === 0) expect(counts.every((c) => c.left === 0)).toBe(true);
      if (writerShare === 1) expect(counts.every((c) => c.left === c.readable)).toBe(true);
      if (writerShare === 0.5) expect(counts.map((c) => c.left)).toEqual(counts.map((c) => Math.round(c.rows / 2)));
    }
    expect({ started: workers.started, taken: workers.taken }).toEqual({ started: 1, taken: 3 });
    await workers.close();
  });

  it('keeps the thread of a finished job for the next one, and ends one whose job was left part-way', { timeout: 120_000 }, async () => {
    const workers = new MapWorkerPool();
    const single = await importInto('single-kept', { pipeline: false, mode: 'validOnly' });
    // The second job of the kept thread starts at once (no batch read here first) with its code compiled: the same outcome.
    const first = await importInto('kept-1', { pipeline: true, mode: 'validOnly', workers });
    expect(workers.warm).toBe(true);
    const second = await importInto('kept-2', { pipeline: true, mode: 'validOnly', workers, localBatches: 0 });
    expect({ started: workers.started, taken: workers.taken }).toEqual({ started: 1, taken: 2 });
    for (const run of [first, second]) {
      expect(outcome(run.job)).toEqual(outcome(single.job));
      expect(report(run.rejected)).toEqual(report(single.rejected));
      expect(run.records).toEqual(single.records);
    }
    // Left after its first batch (as a failed batch leaves it): the thread may still be reading, so it is not kept.
    const set = new MetadataSet([contact as unknown as MetadataDocument]);
    for await (const batch of pipelinedBatches({ file, format: 'csv', mapping: mapping as never, set, revision: 1, history: false, maxBatchSize: 4000, ahead: 2, info: newSourceInfo(), checkpoint: 0, firstBatchSize: 500, localBatches: 0, workers })) {
      expect(batch.premapped).toBeDefined();
      break;
    }
    expect(workers.warm).toBe(false);
    const third = await importInto('kept-3', { pipeline: true, mode: 'validOnly', workers });
    expect(workers.started).toBe(2);
    expect(third.records).toEqual(single.records);
    await workers.close();
    expect(workers.warm).toBe(false);
  });

  it('keeps a thread that was never handed its job (the file read here before it was ready), and recompiles for a changed model', { timeout: 120_000 }, async () => {
    const workers = new MapWorkerPool();
    const set = new MetadataSet([contact as unknown as MetadataDocument]);
    const run = async (source: string, metadata: MetadataSet, handOver: { localBatches?: number; writerShare?: number } = {}) => {
      const batches = [];
      for await (const batch of pipelinedBatches({ file: source, format: 'csv', mapping: mapping as never, set: metadata, revision: 1, history: false, maxBatchSize: 4000, ahead: 2, info: newSourceInfo(), checkpoint: 0, firstBatchSize: 500, workers, ...handOver })) batches.push(batch);
      return batches;
    };
    // A new thread is not ready before this small file is read here: told to skip it, it is kept all the same.
    await run(file, set);
    await workers.settled();
    expect(workers.warm).toBe(true);
    // Fewer rows than the first cut: read here whole, the kept thread never told where to start.
    const tiny = path.join(work, 'tiny.csv');
    await writeFile(tiny, sourceCsv().split('\n').slice(0, 101).join('\n') + '\n');
    const tinyBatches = await run(tiny, set);
    expect(tinyBatches.map((b) => [b.rows.length, b.premapped])).toEqual([[100, undefined]]);
    await workers.settled();
    expect(workers.warm).toBe(true);
    // The same revision number with other metadata (names upper-cased): mapped with the new definition.
    const upper = new MetadataSet([{ ...contact, cleansing: { ...contact.cleansing, name: { trim: true, halfWidth: true, case: 'upper' } } } as unknown as MetadataDocument]);
    // Every row from the kept thread, all of each batch mapped there.
    const batches = await run(file, upper, { localBatches: 0, writerShare: 0 });
    const names = batches.flatMap((b) => b.premapped?.get(0)?.map((m) => m?.values['name']) ?? []).filter((name) => name !== undefined);
    expect(names.length).toBeGreaterThan(2000);
    expect(names).toContain('PERSON 2000');
    expect(names.every((name) => name === String(name).toUpperCase())).toBe(true);
    expect({ started: workers.started, taken: workers.taken }).toEqual({ started: 1, taken: 3 });
    await workers.close();
  });

  it('pipelines a file below the cold threshold only when a kept thread is ready for it', { timeout: 120_000 }, async () => {
    const workers = new MapWorkerPool();
    const size = Buffer.byteLength(sourceCsv());
    // As the service runs a job: no cap on the batches read here before the hand-over.
    const small = { pipeline: false, mode: 'validOnly' as const, workers, warmAboveBytes: size, localBatches: Number.POSITIVE_INFINITY };
    // Nothing kept yet: the file is read on the writing thread, and no thread is started for it.
    const cold = await importInto('small-cold', small);
    expect(workers.taken).toBe(0);
    await importInto('small-warm-up', { pipeline: true, mode: 'validOnly', workers });
    const warm = await importInto('small-warm', small);
    expect({ started: workers.started, taken: workers.taken }).toEqual({ started: 1, taken: 2 });
    expect(outcome(warm.job)).toEqual(outcome(cold.job));
    expect(report(warm.rejected)).toEqual(report(cold.rejected));
    expect(warm.records).toEqual(cold.records);
    // Just above the file's size: not worth a thread even kept.
    await importInto('small-below', { ...small, warmAboveBytes: size + 1 });
    expect(workers.taken).toBe(2);
    await workers.close();
  });

  it('raises the share while the writer waits for batches and lowers it while batches wait, within 0 and the cap', () => {
    let share = 0;
    const path = [true, true, true, true, true, true, true, true, false, false, true, false, false, false, false, false, false, false].map((waited) => (share = nextWriterShare(share, waited)));
    expect(path.map((s) => Math.round(s * 10) / 10)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.5, 0.4, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0, 0]);
    expect(maxWriterShare).toBe(0.6);
    expect(rowsMappedByWorker(4000, 0.25)).toBe(3000);
    // A wait of a moment after a long batch is a message being delivered, not a worker behind.
    expect(writerWaited(1, 10)).toBe(false);
    expect(writerWaited(5, 200)).toBe(false);
    expect(writerWaited(15, 200)).toBe(true);
    expect(writerWaited(3, 10)).toBe(true);
  });

  it('leaves out a workbook\u2019s totals rows and counts its blank rows on the worker as on the main thread', { timeout: 120_000 }, async () => {
    // 1,200 contacts in four groups, each closed by a subtotal and a blank row; a grand total and a note at the bottom.
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('contacts');
    sheet.addRow(['code', 'name', 'phone', 'company', 'tier', 'amount']);
    const totals: number[] = [];
    for (let group = 0; group < 4; group++) {
      const from = sheet.rowCount + 1;
      for (let i = 1; i <= 300; i++) sheet.addRow([`C${group * 300 + i}`, `Person ${group * 300 + i}`, '', `Company ${group}`, 'Gold', i]);
      totals.push(sheet.addRow(['', 'subtotal', '', '', '', { formula: `SUBTOTAL(9,F${from}:F${sheet.rowCount})`, result: 45_150 }]).number);
      sheet.addRow([]);
    }
    totals.push(sheet.addRow(['', 'total', '', '', '', { formula: `SUBTOTAL(9,F2:F${sheet.rowCount})`, result: 180_600 }]).number);
    const note = sheet.addRow(['as of 2026-02-28']).number;
    const workbook = path.join(work, 'grouped.xlsx');
    await book.xlsx.writeFile(workbook);
    const single = await importInto('single-totals', { pipeline: false, mode: 'validOnly', file: workbook });
    const piped = await importInto('piped-totals', { pipeline: true, mode: 'validOnly', file: workbook });
    expect(single.job.counts).toMatchObject({ rows: 1200, created: 1200, rejected: 0, totals: totals.length + 1, blank: 4 });
    expect(single.job.skippedRows!.map((r) => r.line)).toEqual([...totals, note]);
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(piped.job.skippedRows).toEqual(single.job.skippedRows);
    expect(piped.records).toEqual(single.records);
  });

  it('gives the same dry run', { timeout: 120_000 }, async () => {
    const single = await importInto('single-dry', { pipeline: false, mode: 'dryRun' });
    const piped = await importInto('piped-dry', { pipeline: true, mode: 'dryRun' });
    expect(single.job.counts.created).toBeGreaterThan(2000);
    expect(single.records).toEqual([]);
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.records).toEqual([]);
  });

  it('resumes after the checkpoint: rows at or before it are not read again', { timeout: 120_000 }, async () => {
    const single = await importInto('single-resume', { pipeline: false, mode: 'validOnly', checkpoint: 1500 });
    const piped = await importInto('piped-resume', { pipeline: true, mode: 'validOnly', checkpoint: 1500 });
    // The worker from the checkpoint on, with no batch read here first.
    const workerOnly = await importInto('worker-resume', { pipeline: true, mode: 'validOnly', checkpoint: 1500, localBatches: 0 });
    expect(single.records.every((r) => Number(String(r.code).slice(1)) >= 1450)).toBe(true);
    expect(single.records.some((r) => r.code === 'C1499')).toBe(false);
    expect(single.records.some((r) => r.code === 'C1500')).toBe(true);
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.records).toEqual(single.records);
    expect(outcome(workerOnly.job)).toEqual(outcome(single.job));
    expect(report(workerOnly.rejected)).toEqual(report(single.rejected));
    expect(workerOnly.records).toEqual(single.records);
  });

  it('maps a plain target on the worker and a target with a lookup in the transaction, as the single-thread import does', { timeout: 120_000 }, async () => {
    const firm = { kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, titleField: 'name', fields: { name: { type: 'text', required: true, unique: true }, city: { type: 'text' } }, cleansing: { name: { trim: true, halfWidth: true } } };
    const person = { kind: 'entity', name: 'person', label: { en: 'Person', zh: '人员' }, titleField: 'name', fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, firm: { type: 'lookup', to: 'firm', required: true } } };
    const twoTargets = {
      name: 'firms-and-people',
      targets: [
        { entity: 'firm', key: ['name'], columns: { name: 'firm', city: 'city' } },
        { entity: 'person', key: ['code'], columns: { code: 'code', name: 'name', firm: 'firm' }, lookups: { firm: { by: 'name' } } },
      ],
    };
    // 40 firms (every 7th written full-width and padded: cleansed to the same firm); every 53rd row names no firm (the
    // firm target refuses it: no person either); line 700 is unreadable.
    const lines = ['code,name,firm,city'];
    for (let i = 1; i <= 1800; i++) {
      if (i === 699) lines.push('P699,Broken,Firm 1');
      else if (i % 53 === 0) lines.push(`P${i},Person ${i},,Nowhere`);
      else lines.push(`P${i},Person ${i},${i % 7 === 0 ? `  Ｆｉｒｍ ${i % 40} ` : `Firm ${i % 40}`},City ${i % 40}`);
    }
    const twoFile = path.join(work, 'people.csv');
    await writeFile(twoFile, lines.join('\n') + '\n');
    const run = (name: string, pipeline: boolean) => importInto(name, { pipeline, mode: 'validOnly', entities: [firm, person], mapping: twoTargets, file: twoFile });
    const single = await run('single-two', false);
    const piped = await run('piped-two', true);
    // The plain target's rows all left to the writing thread, beside the target it maps in the transaction.
    const left = await importInto('left-two', { pipeline: true, mode: 'validOnly', entities: [firm, person], mapping: twoTargets, file: twoFile, writerShare: 1 });
    expect(single.job.status).toBe('done');
    expect(single.firms).toEqual(Array.from({ length: 40 }, (_, k) => `Firm ${k}`).sort());
    expect(single.people.find((p) => p.code === 'P14')).toEqual({ code: 'P14', name: 'Person 14', firm: 'Firm 14' });
    expect(single.rejected.map((r) => r.line)).toEqual(expect.arrayContaining([54, 700]));
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.firms).toEqual(single.firms);
    expect(piped.people).toEqual(single.people);
    expect(outcome(left.job)).toEqual(outcome(single.job));
    expect(report(left.rejected)).toEqual(report(single.rejected));
    expect(left.firms).toEqual(single.firms);
    expect(left.people).toEqual(single.people);
  });

  it('reads day-first dates and decimal commas on the worker as on the main thread', { timeout: 120_000 }, async () => {
    const dated = { ...contact, fields: { ...contact.fields, since: { type: 'date' } } };
    const european = { ...mapping, name: 'european-contacts', delimiter: ';', dateOrder: 'DMY', decimalSeparator: ',', targets: [{ ...mapping.targets[0]!, columns: { ...mapping.targets[0]!.columns, since: 'since' } }] };
    // Every 61st date is impossible (31/02), every 67th amount has three decimals after the comma.
    const lines = ['code;name;phone;company;tier;amount;since'];
    for (let i = 1; i <= 1800; i++) {
      const since = i % 61 === 0 ? '31/02/2025' : `${(i % 28) + 1}/${(i % 12) + 1}/2025`;
      const amount = i % 67 === 0 ? '1,005' : `${1 + Math.floor(i / 1000)}.${String(i % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}`;
      lines.push(`C${i};Person ${i};020 7946 ${String(i).padStart(4, '0')};Company ${i % 97};Gold;${amount};${since}`);
    }
    const europeanFile = path.join(work, 'european.csv');
    await writeFile(europeanFile, lines.join('\n') + '\n');
    const run = (name: string, pipeline: boolean) => importInto(name, { pipeline, mode: 'validOnly', entities: [dated], mapping: european, file: europeanFile });
    const single = await run('single-european', false);
    const piped = await run('piped-european', true);
    expect(single.records.find((r) => r.code === 'C1234')).toMatchObject({ amount: 2234.34, since: '2025-11-03' });
    expect(single.rejected.map((r) => r.line)).toEqual(Array.from({ length: 1800 }, (_, k) => k + 1).filter((i) => i % 61 === 0 || i % 67 === 0).map((i) => i + 1));
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.records).toEqual(single.records);
  });

  it('clears fields on update from empty cells (blankCells: clear) on the worker as on the main thread', { timeout: 120_000 }, async () => {
    const clearing = { ...mapping, name: 'clearing-contacts', targets: [{ ...mapping.targets[0]!, blankCells: 'clear' }] };
    // 1,200 contacts, then each of the first 300 again: every 2nd with an empty company (cleared),
    // every 3rd with an empty phone (cleared), every 10th with an empty name (required: refused),
    // every 7th with an empty tier (the mapping's default fills it: not cleared).
    const lines = ['code,name,phone,company,tier,amount'];
    for (let i = 1; i <= 1200; i++) lines.push(`C${i},Person ${i},020 7946 ${String(i).padStart(4, '0')},Company ${i},Gold,${i}`);
    for (let i = 1; i <= 300; i++) lines.push(`C${i},${i % 10 === 0 ? '' : `Person ${i}`},${i % 3 === 0 ? '' : `020 7946 ${String(i).padStart(4, '0')}`},${i % 2 === 0 ? '' : `Company ${i}`},${i % 7 === 0 ? '' : 'Gold'},${i}`);
    const clearingFile = path.join(work, 'clearing.csv');
    await writeFile(clearingFile, lines.join('\n') + '\n');
    const run = (name: string, pipeline: boolean) => importInto(name, { pipeline, mode: 'validOnly', mapping: clearing, file: clearingFile });
    const single = await run('single-clearing', false);
    const piped = await run('piped-clearing', true);
    const second = Array.from({ length: 300 }, (_, k) => k + 1);
    expect(single.rejected.map((r) => r.line)).toEqual(second.filter((i) => i % 10 === 0).map((i) => 1201 + i));
    expect(single.rejected[0]!.issues).toEqual([expect.objectContaining({ column: 'name', field: 'name', reason: expect.objectContaining({ en: 'is required' }) })]);
    const changed = second.filter((i) => i % 10 !== 0 && (i % 2 === 0 || i % 3 === 0 || i % 7 === 0));
    expect(single.job.counts).toMatchObject({ created: 1200, updated: changed.length, unchanged: 300 - 30 - changed.length });
    const byCode = new Map(single.records.map((r) => [r.code, r]));
    expect(byCode.get('C6')).toMatchObject({ name: 'Person 6', company: undefined, phone: undefined, tier: 'gold' });
    expect(byCode.get('C14')).toMatchObject({ company: undefined, phone: '+442079460014', tier: 'silver' });
    expect(byCode.get('C10')).toMatchObject({ name: 'Person 10', company: 'Company 10', phone: '+442079460010' });
    expect(byCode.get('C301')).toMatchObject({ company: 'Company 301' });
    expect(outcome(piped.job)).toEqual(outcome(single.job));
    expect(report(piped.rejected)).toEqual(report(single.rejected));
    expect(piped.records).toEqual(single.records);
  });
});
