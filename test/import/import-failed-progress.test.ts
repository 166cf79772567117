// A job that fails part-way (here: its progress listener throws after the second batch) keeps the
// progress of the batches that committed — counts and checkpoint as stored with them — so its report
// says what was written and a resume starts after it, not from the first row again — and the file's
// header as read, for its rejected rows' download.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { importServices } from '../../engine/import/import-module.ts';
import { loadJob, runImportJob } from '../../engine/import/run-import.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';

const member = { kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name', fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true } } };
const mapping = { name: 'members', targets: [{ entity: 'member', key: ['code'], columns: { code: 'code', name: 'name' } }] };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-import-failed-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

it('a job failing part-way reports the rows its committed batches wrote, and its checkpoint', { timeout: 60_000 }, async () => {
  const file = path.join(work, 'members.csv');
  await writeFile(file, ['code,name', ...Array.from({ length: 3000 }, (_, i) => `M${i + 1},Member ${i + 1}`)].join('\n') + '\n');
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const engine = await openEngine({ dataDir: path.join(work, 'data'), clock, env: {} });
  try {
    const { runtime, store, policy } = engine.services;
    await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'member', document: member as never }]), { by: 'test' });
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy };
    const { id } = await importServices.get(engine.services)!.startJob({ ctx, file: { path: file, name: 'members.csv' }, mapping, mode: 'validOnly', history: false });
    let batches = 0;
    const failing = () => {
      if (++batches === 2) throw new Error('the progress listener failed');
    };
    const job = await runImportJob({ store, clock, policy, events: engine.services.records.events, model: () => runtime.model, pipelineAboveBytes: Number.POSITIVE_INFINITY }, id, { onProgress: failing });
    const written = await store.find('member', { filter: { kind: 'true' }, sort: [], limit: 10_000 });
    expect(job.status).toBe('failed');
    expect(job.error).toContain('the progress listener failed');
    // Both batches committed before the listener heard of the second: counted from the store, not from the file.
    expect(written.length).toBeGreaterThan(0);
    expect(job.counts).toMatchObject({ rows: written.length, created: written.length, rejected: 0 });
    const lastWritten = Math.max(...written.map((r) => Number(String(r.data['code']).slice(1))));
    expect(job.checkpoint).toBe(lastWritten + 1); // the header is line 1
    expect((await loadJob(store, id))!.job).toMatchObject({ status: 'failed', checkpoint: job.checkpoint, counts: job.counts });
    // What it read of the file's header stays with it: a failed job's rejected rows are downloaded with the file's columns.
    expect(job.source?.columns).toEqual(['code', 'name']);
  } finally {
    await engine.close();
  }
});
