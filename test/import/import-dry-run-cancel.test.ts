// A dry run cancelled part-way (the user saw from its first rejected rows that the mapping is wrong):
// it stops after the batch it was checking, writes nothing, and reports what it checked — its counts
// and checkpoint those of the committed batches, every row it rejected kept, listed and downloadable
// as the rows were read (with the file's columns, to fix and import again), and the file's columns
// on the job. The job is held by the server between its batches (the import service's seam), so the
// cancel meets it still running; every expected count is computed here from the file, up to the
// line the API says it stopped after.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdImportBatches } from '../support/import-suite.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let file: string;
const columns = ['code', 'value', 'note'];
// More rows than a first batch, every seventh value unreadable as a number.
const source = Array.from({ length: 2000 }, (_, i) => ({ line: i + 2, code: `R${i + 1}`, value: i % 7 === 3 ? 'n/a' : String(i), note: `meter ${i + 1}` }));
const mapping = { name: 'readings', targets: [{ entity: 'reading', key: ['code'], columns: { code: 'code', value: 'value' } }] };

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/reading', { kind: 'entity', name: 'reading', label: { en: 'Reading', zh: '读数' }, titleField: 'code', fields: { code: { type: 'text', unique: true }, value: { type: 'integer' } } });
  expect(res.status).toBe(201);
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'dry-run-cancel-')), 'readings.csv');
  await writeFile(file, [columns.join(','), ...source.map((r) => `${r.code},${r.value},${r.note}`)].join('\n') + '\n');
}, 120_000);
afterAll(() => server?.close());

const stored = async () => (await server.get<any>('/api/data/reading?total=1&limit=1')).body.total as number;

describe('cancelling a dry run', () => {
  it.each([
    ['after its first batch', (job: { counts: { rows: number } }) => job.counts.rows > 0],
    ['before its first batch', (job: { counts: { rows: number } }) => job.counts.rows === 0],
  ] as const)('%s: nothing written; counts, rejected rows (listed and as CSV with the file\u2019s columns) and the source are those of the lines it checked', async (_when, when) => {
    const up = await upload(server, file, 'readings.csv');
    const hold = holdImportBatches(server, (job) => job.mode === 'dryRun' && when(job));
    let id: string;
    let cancelled: any;
    try {
      const started = await server.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'dryRun' });
      expect(started.status).toBe(202);
      id = started.body.id;
      const held = await hold.reached;
      expect(held.id).toBe(id);
      const res = await server.post<any>(`/api/import/jobs/${id}/cancel`);
      expect(res.status).toBe(200);
      cancelled = res.body;
      // What it had checked when it was held is what it reports: the cancel came before the next batch.
      expect(cancelled).toMatchObject({ status: 'cancelled', mode: 'dryRun', cancelled: { by: server.admin!.id }, checkpoint: held.job.checkpoint, counts: held.job.counts });
    } finally {
      hold.release();
    }

    const checked = source.filter((r) => r.line <= cancelled.checkpoint);
    const refused = checked.filter((r) => r.value === 'n/a');
    expect(checked.length).toBeLessThan(source.length);
    expect(cancelled.counts).toMatchObject({ rows: checked.length, created: checked.length - refused.length, updated: 0, unchanged: 0, rejected: refused.length });
    expect(cancelled.source).toMatchObject({ columns });
    expect(await stored()).toBe(0);
    const job = (await server.get<any>(`/api/import/jobs/${id}`)).body;
    expect(job).toMatchObject({ status: 'cancelled', counts: cancelled.counts, checkpoint: cancelled.checkpoint, source: { columns } });

    expect((await rejectedRows(server, id)).map((r) => r.line)).toEqual(refused.map((r) => r.line));
    const csv = await server.get<string>(`/api/import/jobs/${id}/rejected.csv`);
    expect(csv.status).toBe(200);
    const downloaded = parse(csv.body, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
    expect(downloaded.map(({ _reason, ...row }) => row)).toEqual(refused.map((r) => ({ code: r.code, value: r.value, note: r.note, _line: String(r.line) })));
    for (const row of downloaded) expect(row['_reason']).toContain('n/a');

    // Nothing to undo, nor to cancel twice.
    expect((await server.post<any>(`/api/import/jobs/${id}/undo`)).status).toBe(409);
    expect((await server.post<any>(`/api/import/jobs/${id}/cancel`)).status).toBe(409);
  });

  it('the dry run run again (the value column no longer mapped) checks the whole file', async () => {
    const up = await upload(server, file, 'readings.csv');
    const job = await runJob(server, { upload: up, mapping: { ...mapping, targets: [{ ...mapping.targets[0]!, columns: { code: 'code' } }] }, mode: 'dryRun' });
    expect(job).toMatchObject({ status: 'done', counts: { rows: source.length, created: source.length, rejected: 0 }, source: { columns } });
    expect(await stored()).toBe(0);
  });
});
