// The undo of a cleansing job is all or nothing. A job over more records than one page; then a
// record is edited to hold the unique value a record on the last page had before the cleanse. The
// undo — and its dry run — answer 409 naming that record and field, in the caller's language, and
// restore nothing (it used to commit page by page: the pages before the clash stayed restored).
// Once the clash is gone the undo puts every record back but the edited one. Real HTTP, real store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const entity = { kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, titleField: 'name', fields: { name: { type: 'text', required: true }, code: { type: 'text', unique: true } } };
// More than one page of the undo's change log (500 rows).
const count = 530;
/** The code each record was created with, by id: in lower case, which the cleansing upper-cases (spaces around a unique key are cut on every write). */
const planted = new Map<string, string>();

async function allCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (let cursor: string | undefined; ;) {
    const page = (await server.get<any>(`/api/data/company?limit=500&fields=code${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
    for (const record of page.items) codes.set(record.id, record.code);
    if (!page.nextCursor) return codes;
    cursor = page.nextCursor;
  }
}

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/company', entity)).status).toBe(201);
  const codes = Array.from({ length: count }, (_, i) => `c${String(i).padStart(4, '0')}`);
  for (let i = 0; i < codes.length; i += 16) {
    const batch = codes.slice(i, i + 16);
    const created = await Promise.all(batch.map((code, j) => server.post<any>('/api/data/company', { name: `Company ${i + j}`, code })));
    created.forEach((res, j) => {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      planted.set(res.body.id, batch[j]!);
    });
  }
  expect((await server.put('/api/meta/entities/company', { ...entity, cleansing: { code: { case: 'upper' } } })).status).toBe(200);
}, 120_000);
afterAll(async () => server?.close());

describe('undoing a cleansing job whose restored value now clashes', () => {
  it('restores nothing and names the record and field; restores everything once the clash is gone', { timeout: 120_000 }, async () => {
    const started = await server.post<any>('/api/quality/company/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    const job = (await server.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`)).body;
    expect(job).toMatchObject({ status: 'done', counts: { records: count, changed: count, written: count, refused: 0 } });
    const cleansed = await allCodes();
    for (const [id, code] of planted) expect(cleansed.get(id)).toBe(code.toUpperCase());

    // The rule is dropped again, and the first record takes the code the last one had before the cleanse.
    expect((await server.put('/api/meta/entities/company', entity)).status).toBe(200);
    const ids = [...planted.keys()].sort();
    const [first, last] = [ids[0]!, ids[ids.length - 1]!];
    const edited = await server.patch<any>(`/api/data/company/${first}`, { code: planted.get(last) });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    const clashAt = `/company/${last}/code`;
    const holder = (await server.get<any>(`/api/data/company/${first}`)).body.name as string;
    for (const dryRun of ['?dryRun=true', '']) {
      const en = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo${dryRun}`, undefined, { 'accept-language': 'en' });
      expect(en.status, JSON.stringify(en.body)).toBe(409);
      expect(en.body.error.details).toEqual([expect.objectContaining({ path: clashAt, message: expect.stringContaining(`"${holder}" (${first})`) })]);
      const zh = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo${dryRun}`, undefined, { 'accept-language': 'zh-CN' });
      expect(zh.status).toBe(409);
      expect(zh.body.error.message).toMatch(/[\u3400-\u9fff]/);
      expect(zh.body.error.details[0].path).toBe(clashAt);
      expect(zh.body.error.details[0].message).toMatch(/[\u3400-\u9fff]/);
    }
    // Nothing half applied: every record still holds its cleansed code, and the job can still be undone.
    expect(await allCodes()).toEqual(new Map([...cleansed, [first, planted.get(last)!]]));
    expect((await server.get<any>(`/api/quality/cleanse-jobs/${job.id}`)).body.status).toBe('done');

    // The clash fixed: everything but the edited record goes back as it was.
    expect((await server.patch<any>(`/api/data/company/${first}`, { code: 'Renamed' })).status).toBe(200);
    const dry = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo?dryRun=true`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, restored: count - 1, missing: 0, changedSince: [expect.objectContaining({ id: first })] });
    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toMatchObject({ dryRun: false, restored: count - 1, missing: 0, changedSince: [expect.objectContaining({ id: first })] });
    expect(await allCodes()).toEqual(new Map([...planted, [first, 'Renamed']]));
    expect((await server.get<any>(`/api/quality/cleanse-jobs/${job.id}`)).body).toMatchObject({ status: 'undone', undo: { restored: count - 1, changedSince: 1 } });
  });
});
