// An import's undo is a job of its own (import-service.ts): POST …/undo answers 202 at once with the
// job undoing, the job shows how far the undo got after each page it committed, and ends undone with
// its report (GET …/undo lists every record left alone or refused). The undo is held between two
// pages by the service's test gate — no sleeping, no timing: the test acts while it is known to be
// half done. An undo left undoing (its process gone) is taken up by the next server on the data
// folder as it starts, and nothing is undone twice — not even when the first process comes back.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { undoPageSize } from '../../engine/import/undo-import.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

const firm = {
  kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true } },
};
const mapping = { name: 'firms', targets: [{ entity: 'firm', key: ['code'], columns: { code: 'code', name: 'name' } }] };
/** Two whole pages and part of a third. */
const created = 2 * undoPageSize + 100;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-undo-job-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function importFirms(server: TestServer, name: string, count = created) {
  expect((await server.post('/api/meta/apply', { documents: [firm] })).status).toBeLessThan(300);
  const file = path.join(work, name);
  await writeFile(file, ['code,name', ...Array.from({ length: count }, (_, i) => `F${i + 1},Firm ${i + 1}`)].join('\n') + '\n');
  const job = await runJob(server, { upload: await upload(server, file, name), mapping, mode: 'validOnly' });
  expect(job.counts).toMatchObject({ created: count });
  return job.id as string;
}

const firmCount = async (server: TestServer) => (await server.get<any>('/api/data/firm?total=1&limit=1')).body.total as number;

/**
 * Holds the server's undos before a page: `reached(n)` resolves once the n-th page is about to be
 * written (the pages before it committed, their progress saved); the undo goes on when `release()`.
 */
function holdBeforePage(server: TestServer, page: number) {
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let pages = 0;
  importServices.get(server.server.services)!.holdUndoPages(async () => {
    if (++pages !== page) return;
    arrived();
    await released;
  });
  return { reached, release };
}

/** The ids of the firms deleted (published once their page committed). */
function deletions(server: TestServer): string[] {
  const ids: string[] = [];
  server.server.services.records.events.subscribe((event) => {
    if (event.type === 'deleted' && event.entity === 'firm') ids.push(event.id);
  });
  return ids;
}

describe('undo of an import as a job', () => {
  it('answers 202 at once; the job shows its progress after each page, refuses a second undo meanwhile, and ends undone with its report', async () => {
    const server = await startTestServer();
    try {
      const id = await importFirms(server, 'progress.csv');
      const hold = holdBeforePage(server, 3);
      const started = await server.post<any>(`/api/import/jobs/${id}/undo`);
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.headers.get('location')).toBe(`/api/import/jobs/${id}`);
      expect(started.body).toMatchObject({ id, status: 'undoing', undo: { by: server.admin!.id, from: 'done', deleted: 0 } });
      expect(started.body.undo.principal).toBeUndefined();

      await hold.reached;
      // Two pages committed: the job says so, and the records are gone.
      const halfway = await server.get<any>(`/api/import/jobs/${id}`);
      expect(halfway.body).toMatchObject({ status: 'undoing', undo: { total: created, done: 2 * undoPageSize, deleted: 2 * undoPageSize, restored: 0, changedSince: 0 } });
      expect(halfway.body.undo.finishedAt).toBeUndefined();
      expect(await firmCount(server)).toBe(created - 2 * undoPageSize);
      // The report so far: what committed.
      const soFar = await server.get<any>(`/api/import/jobs/${id}/undo`);
      expect(soFar.body).toEqual({ status: 'undoing', dryRun: false, deleted: 2 * undoPageSize, restored: 0, missing: 0, changedSince: [], refused: [] });
      // The dry run still answers at once: what committed, and what the rest would do.
      const dry = await server.post<any>(`/api/import/jobs/${id}/undo?dryRun=true`);
      expect(dry.body).toMatchObject({ dryRun: true, deleted: created });
      // A second undo while this one runs: refused, in the reader's language.
      for (const [lang, text] of [['en', 'The import is being undone: follow its progress on the job'], ['zh-CN', '该导入正在撤销：请在任务中查看进度']] as const) {
        const again = await server.post<any>(`/api/import/jobs/${id}/undo`, undefined, { 'accept-language': lang });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toBe(text);
      }

      hold.release();
      await importServices.get(server.server.services)!.idle();
      const ended = await server.get<any>(`/api/import/jobs/${id}`);
      expect(ended.body).toMatchObject({ status: 'undone', undo: { total: created, done: created, deleted: created, restored: 0, missing: 0, changedSince: 0, refused: 0, finishedAt: expect.any(String) } });
      expect(await firmCount(server)).toBe(0);
      const report = await server.get<any>(`/api/import/jobs/${id}/undo`);
      expect(report.body).toEqual({ status: 'undone', dryRun: false, deleted: created, restored: 0, missing: 0, changedSince: [], refused: [] });
      const twice = await server.post<any>(`/api/import/jobs/${id}/undo`, undefined, { 'accept-language': 'zh-CN' });
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toBe('该导入已撤销');
    } finally {
      await server.close();
    }
  });

  it('bad requests get a 4xx naming what is wrong, in the reader\u2019s language — never a 500', async () => {
    const server = await startTestServer();
    try {
      const id = await importFirms(server, 'bad.csv', 3);
      const flag = await server.post<any>(`/api/import/jobs/${id}/undo?dryRun=maybe`);
      expect(flag.status).toBe(400);
      expect(flag.body.error.details).toEqual([expect.objectContaining({ path: '/query/dryRun' })]);
      const extra = await server.get<any>(`/api/import/jobs/${id}/undo?x=1`);
      expect(extra.status).toBe(400);
      for (const [lang, text] of [['en', 'The import has not been undone'], ['zh-CN', '该导入尚未撤销']] as const) {
        const report = await server.get<any>(`/api/import/jobs/${id}/undo`, { 'accept-language': lang });
        expect(report.status).toBe(404);
        expect(report.body.error.message).toBe(text);
      }
      expect((await server.post<any>('/api/import/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV/undo')).status).toBe(404);
      expect((await server.get<any>('/api/import/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV/undo')).status).toBe(404);
      // Someone else's import is not there for them.
      const other = await server.createUser();
      expect((await other.client.post<any>(`/api/import/jobs/${id}/undo`)).status).toBe(404);
      expect((await other.client.get<any>(`/api/import/jobs/${id}/undo`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('left undoing by a process that stopped, it is taken up by the next server as it starts; nothing is undone twice', async () => {
    const dataDir = await mkdtemp(path.join(work, 'data-'));
    const first = await startTestServer({ dataDir });
    const firstDeleted = deletions(first);
    const hold = holdBeforePage(first, 3);
    let id: string;
    try {
      id = await importFirms(first, 'restart.csv');
      expect((await first.post<any>(`/api/import/jobs/${id}/undo`)).status).toBe(202);
      // The first process stops between two pages (held there: as far as the store knows, it is gone).
      await hold.reached;
      expect(firstDeleted).toHaveLength(2 * undoPageSize);
      expect(await firmCount(first)).toBe(created - 2 * undoPageSize);

      // (It takes the undo up while it starts: before a test could listen to its events; the records left say what it did.)
      const second = await startTestServer({ dataDir });
      try {
        // Resumed as the server starts (no one asked): wait for it through the service, then read it through the API.
        await importServices.get(second.server.services)!.idle();
        const job = await second.get<any>(`/api/import/jobs/${id}`);
        expect(job.body).toMatchObject({ status: 'undone', undo: { by: first.admin!.id, total: created, done: created, deleted: created, refused: 0 } });
        expect(await firmCount(second)).toBe(0);

        // The first process comes back: its next page meets rows the second moved on, and it stops without writing.
        hold.release();
        await importServices.get(first.server.services)!.idle();
        expect(firstDeleted).toHaveLength(2 * undoPageSize);
        const after = await second.get<any>(`/api/import/jobs/${id}`);
        expect(after.body).toMatchObject({ status: 'undone', undo: { done: created, deleted: created } });
        expect(after.body.undo.error).toBeUndefined();
        expect((await second.get<any>(`/api/import/jobs/${id}/undo`)).body).toMatchObject({ deleted: created, changedSince: [], refused: [] });
      } finally {
        await second.close();
      }
    } finally {
      hold.release();
      await first.close();
    }
  });
});
