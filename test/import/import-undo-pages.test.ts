// An import's undo writes a page of records per transaction (engine/import/undo-import.ts). A record
// the store refuses rolls its page back, and that page runs again one record per transaction: the
// refused one is listed, every other one undone, once. An undo stopped part-way (here: an error
// thrown inside its third page's transaction, which leaves the store as a kill at that moment would)
// is run again after a restart on the same data folder: it finishes the rest, undoes nothing twice,
// and reports — as its dry run does first — what an uninterrupted run would have.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoPageSize } from '../../engine/import/undo-import.ts';
import type { RecordEvent } from '../../engine/records/record-events.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, undoJob, upload } from './support.ts';

const firm = {
  kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true } },
};
const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '交易' }, titleField: 'title',
  fields: { title: { type: 'text', required: true }, firm: { type: 'lookup', to: 'firm', onDelete: 'restrict' } },
};
const mapping = { name: 'firms', targets: [{ entity: 'firm', key: ['code'], columns: { code: 'code', name: 'name' } }] };
/** More than two pages of records. */
const created = 2 * undoPageSize + 100;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-undo-pages-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function importFirms(server: TestServer, name: string, lines: string[]) {
  const file = path.join(work, name);
  await writeFile(file, ['code,name', ...lines].join('\n') + '\n');
  return runJob(server, { upload: await upload(server, file, name), mapping, mode: 'validOnly' });
}

async function firmsByCode(server: TestServer): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  let after: string | undefined;
  for (;;) {
    const page = await server.get<any>(`/api/data/firm?limit=500&sort=id${after ? `&filter=${encodeURIComponent(JSON.stringify({ id: { $gt: after } }))}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    for (const r of page.body.items) out.set(r.code, r);
    if (page.body.items.length < 500) return out;
    after = page.body.items[page.body.items.length - 1].id;
  }
}

/** The ids of the records each published event of a type names (after their transactions committed). */
function published(server: TestServer, type: RecordEvent['type']): string[] {
  const ids: string[] = [];
  server.server.services.records.events.subscribe((event) => {
    if (event.type === type && event.entity === 'firm') ids.push(event.id);
  });
  return ids;
}

describe('undo of an import, a page per transaction', () => {
  it('a record the store refuses is listed; the rest of its page, and every other page, is undone once', async () => {
    const server = await startTestServer();
    try {
      expect((await server.post('/api/meta/apply', { documents: [firm, deal] })).status).toBeLessThan(300);
      const job = await importFirms(server, 'refused.csv', Array.from({ length: created }, (_, i) => `F${i + 1},Firm ${i + 1}`));
      expect(job.counts).toMatchObject({ created });
      // Undone newest first: F300 lies in the second page, between records undone in the same transaction.
      const kept = (await firmsByCode(server)).get('F300');
      expect((await server.post('/api/data/deal', { title: 'Kept deal', firm: kept.id })).status).toBe(201);
      const deletedEvents = published(server, 'deleted');

      const undo = await undoJob(server, job.id, { 'accept-language': 'zh-CN' });
      expect(undo.started.status, JSON.stringify(undo.started.body)).toBe(202);
      expect(undo.report).toMatchObject({ deleted: created - 1, restored: 0, missing: 0, changedSince: [] });
      expect(undo.report.refused).toEqual([{ entity: 'firm', id: kept.id, reason: '仍有 1 条交易记录引用此记录' }]);
      // The job's undo says the same, the refusal's reason in the reader's language whoever asked.
      expect(undo.job.undo).toMatchObject({ total: created, done: created, deleted: created - 1, refused: 1, refusedRecords: [{ entity: 'firm', id: kept.id, reason: '仍有 1 条交易记录引用此记录' }] });
      const en = await server.get<any>(`/api/import/jobs/${job.id}`, { 'accept-language': 'en' });
      expect(en.body.undo.refusedRecords[0].reason).toBe('1 Deal record(s) still refer to this record');
      expect(en.body.undo.refusedRecords[0].reason).not.toMatch(/仍有/);
      const left = await firmsByCode(server);
      expect([...left.keys()]).toEqual(['F300']);
      // One event per record deleted, after its page committed; none for the refused one.
      expect(deletedEvents).toHaveLength(created - 1);
      expect(new Set(deletedEvents).size).toBe(created - 1);
      expect(deletedEvents).not.toContain(kept.id);
      expect((await server.get<any>(`/api/import/jobs/${job.id}`)).body).toMatchObject({ status: 'undone', undo: { deleted: created - 1, restored: 0, changedSince: 0 } });
    } finally {
      await server.close();
    }
  });

  it('stopped in its third page and run again after a restart: finishes the rest, nothing undone twice, the report of an uninterrupted run', async () => {
    const dataDir = await mkdtemp(path.join(work, 'data-'));
    const first = await startTestServer({ dataDir });
    let jobId: string;
    let expected: any;
    const restoredCodes = ['E1', 'E2', 'E3', 'E4', 'E5'];
    try {
      expect((await first.post('/api/meta/apply', { documents: [firm, deal] })).status).toBeLessThan(300);
      for (const code of restoredCodes) expect((await first.post('/api/data/firm', { code, name: `Before ${code}` })).status).toBe(201);
      // The updates come last in the file: they are the newest changes, undone in the first page.
      const job = await importFirms(first, 'stopped.csv', [...Array.from({ length: created }, (_, i) => `N${i + 1},New ${i + 1}`), ...restoredCodes.map((code) => `${code},Imported ${code}`)]);
      expect(job.counts).toMatchObject({ created, updated: restoredCodes.length });
      jobId = job.id;
      const imported = await firmsByCode(first);
      // Changed since the import: the oldest change, in the last page.
      expect((await first.patch(`/api/data/firm/${imported.get('N10').id}`, { name: 'Changed by hand' })).status).toBe(200);

      const dry = await first.post<any>(`/api/import/jobs/${jobId}/undo?dryRun=1`);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, deleted: created - 1, restored: restoredCodes.length, missing: 0, refused: [] });
      expect(dry.body.changedSince).toEqual([{ entity: 'firm', id: imported.get('N10').id, version: 2, importedVersion: 1 }]);
      expected = { ...dry.body, dryRun: false };

      // The process "dies" inside the third page's transaction: what the first two pages wrote has committed, the third rolls back.
      let deletes = 0;
      first.server.services.records.events.subscribeInTransaction((_tx, event) => {
        if (event.type === 'deleted' && ++deletes === 2 * undoPageSize) throw new Error('the process died here');
      });
      const stopped = await undoJob(first, jobId);
      expect(stopped.started.status).toBe(202);
      // The failure is kept on the job, which has its status back (the undo can be asked again).
      expect(stopped.job).toMatchObject({ status: 'done', undo: { error: 'the process died here', from: 'done', total: created + restoredCodes.length, done: 2 * undoPageSize } });
      const between = await firmsByCode(first);
      // The first page: the five restores and the newest creates; the second: the next page of creates.
      const undoneCreates = 2 * undoPageSize - restoredCodes.length;
      for (const code of restoredCodes) expect(between.get(code).name).toBe(`Before ${code}`);
      expect(between.size).toBe(restoredCodes.length + created - undoneCreates);
      expect(between.has(`N${created - undoneCreates}`)).toBe(true);
      expect(between.has(`N${created - undoneCreates + 1}`)).toBe(false);
    } finally {
      await first.close();
    }

    const second = await startTestServer({ dataDir });
    try {
      const deletedEvents = published(second, 'deleted');
      // The dry run now says what the run will report: what committed counted as it was, and the rest.
      const dry = await second.post<any>(`/api/import/jobs/${jobId}/undo?dryRun=1`);
      expect(dry.body).toEqual({ ...expected, dryRun: true });
      const undo = await undoJob(second, jobId);
      expect(undo.started.status, JSON.stringify(undo.started.body)).toBe(202);
      expect(undo.report).toEqual({ ...expected, status: 'undone' });
      expect(undo.job.undo.error).toBeUndefined();
      // Only the records left were deleted this time.
      expect(deletedEvents).toHaveLength(created - 1 - (2 * undoPageSize - restoredCodes.length));
      const left = await firmsByCode(second);
      expect([...left.keys()].sort()).toEqual([...restoredCodes, 'N10']);
      for (const code of restoredCodes) {
        expect(left.get(code)).toMatchObject({ name: `Before ${code}`, version: 3 });
        // Restored once: one audit entry of the undo.
        const history = await second.get<any>(`/api/data/firm/${left.get(code).id}/history`);
        expect(history.body.items.map((e: any) => e.action)).toEqual(['create', 'import', 'importUndo']);
      }
      expect((await second.get<any>(`/api/import/jobs/${jobId}`)).body).toMatchObject({ status: 'undone', undo: { deleted: created - 1, restored: restoredCodes.length, changedSince: 1 } });
    } finally {
      await second.close();
    }
  });
});
