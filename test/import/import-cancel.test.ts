// A job stopped mid-way by its owner: it ends after the batch it was writing (each batch commits
// whole with its checkpoint), nothing of a half batch is left, the counts say exactly what stays,
// undo takes that back, and a cancelled job is neither resumed nor cancelled twice. Someone else's
// job is not theirs to cancel.

import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { undoJob, upload } from './support.ts';

let server: TestServer;
let file: string;
let large: string;
const rows = 20_000;
// 1 MB or more: read and mapped on the worker thread, which a cancel must stop too.
const largeRows = 120_000;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/reading', { kind: 'entity', name: 'reading', label: { en: 'Reading', zh: '读数' }, titleField: 'code', fields: { code: { type: 'text', unique: true }, value: { type: 'number' } } });
  expect(res.status).toBe(201);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-cancel-'));
  file = path.join(dir, 'readings.csv');
  const lines = ['code,value'];
  for (let i = 1; i <= rows; i++) lines.push(`R${i},${i}`);
  await writeFile(file, lines.join('\n') + '\n');
  large = path.join(dir, 'large.csv');
  for (let i = rows + 1; i <= largeRows; i++) lines.push(`R${i},${i}`);
  await writeFile(large, lines.join('\n') + '\n');
}, 120_000);
afterAll(async () => server?.close());

const stored = async () => (await server.get<any>('/api/data/reading?total=1&limit=1')).body.total;
const mapping = { name: 'readings', targets: [{ entity: 'reading', key: ['code'], columns: { code: 'code', value: 'value' } }] };

describe('cancelling an import', () => {
  it.each([['readings.csv', rows], ['large.csv', largeRows]] as const)('%s: stops after the batch being written; what stays is what the job counts, and undo takes it back', async (name, total) => {
    const up = await upload(server, name === 'large.csv' ? large : file, name);
    const started = await server.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'validOnly' });
    expect(started.status).toBe(202);
    const cancelled = await server.post<any>(`/api/import/jobs/${started.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelled: { by: server.admin!.id } });
    expect(cancelled.body.counts.rows).toBeLessThan(total);
    // Whole batches only: every row read was written, and nothing else.
    expect(await stored()).toBe(cancelled.body.counts.created);
    expect(cancelled.body.counts.created).toBe(cancelled.body.counts.rows);
    const job = await server.get<any>(`/api/import/jobs/${started.body.id}`);
    expect(job.body).toMatchObject({ status: 'cancelled', counts: cancelled.body.counts, checkpoint: cancelled.body.checkpoint });

    for (const [lang, text] of [['en', 'The import is cancelled: nothing to cancel'], ['zh', '导入状态为 cancelled，无法取消']] as const) {
      const again = await server.post<any>(`/api/import/jobs/${started.body.id}/cancel`, undefined, { 'accept-language': lang });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(text);
    }
    expect((await server.post<any>(`/api/import/jobs/${started.body.id}/resume`)).status).toBe(409);
    const undo = await undoJob(server, started.body.id);
    expect(undo.started.status).toBe(202);
    expect(undo.report.deleted).toBe(cancelled.body.counts.created);
    // An undone cancelled job: its status before the undo is kept on it.
    expect(undo.job.undo).toMatchObject({ from: 'cancelled', deleted: cancelled.body.counts.created });
    expect(await stored()).toBe(0);
  });

  it('a dry run cancelled writes nothing; a finished job cannot be cancelled; nor can someone else\u2019s', async () => {
    const up = await upload(server, file, 'readings.csv');
    const started = await server.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'dryRun' });
    const cancelled = await server.post<any>(`/api/import/jobs/${started.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stored()).toBe(0);

    const small = path.join(path.dirname(file), 'small.csv');
    await writeFile(small, 'code,value\nS1,1\n');
    const done = await server.post<any>('/api/import/jobs', { upload: await upload(server, small, 'small.csv'), mapping, mode: 'validOnly' });
    await importServices.get(server.server.services)!.idle();
    expect((await server.post<any>(`/api/import/jobs/${done.body.id}/cancel`)).status).toBe(409);

    await server.put('/api/meta/roles/loader', { kind: 'role', name: 'loader', label: { en: 'Loader' }, permissions: { reading: { read: 'all', create: true } } });
    const other = await server.createUser({ roles: ['loader'] });
    const mine = await server.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'dryRun' });
    expect((await other.client.post<any>(`/api/import/jobs/${mine.body.id}/cancel`)).status).toBe(404);
    await server.post(`/api/import/jobs/${mine.body.id}/cancel`);
  });

  it('a job `crm import` runs in another process stops too, at its next batch, with exactly its committed rows', async () => {
    await writeFile(path.join(path.dirname(file), 'readings.json'), JSON.stringify(mapping));
    const before = await stored();
    const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'import', large, '--mapping', path.join(path.dirname(file), 'readings.json'), '--mode', 'validOnly', '--no-progress'], {
      env: { ...process.env, DATA_DIR: server.dataDir, MONGODB_URI: '', LANG: 'en_GB.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const jobId = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const id = /^job (\S+)$/m.exec(out)?.[1];
        if (id && /^progress /m.test(out)) resolve(id);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exit.then(() => reject(new Error(`exited before a batch:\n${out}`)));
    });
    const cancelled = await server.post<any>(`/api/import/jobs/${jobId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await exit).toBe(1);
    expect(out).toMatch(new RegExp(`^job ${jobId}: cancelled`, 'm'));
    const job = (await server.get<any>(`/api/import/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ status: 'cancelled', cancelled: { by: server.admin!.id } });
    expect(job.counts.rows).toBeLessThan(largeRows);
    expect(job.counts.created).toBe(job.counts.rows);
    expect(await stored()).toBe(before + job.counts.created);
    expect((await undoJob(server, jobId)).started.status).toBe(202);
  }, 120_000);
});
