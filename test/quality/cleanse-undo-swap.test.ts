// The undo of a cleansing job whose records must swap values in a unique field. The field is made
// unique after the job (while it ran, two records could pass through each other's value): the
// synonyms, applied twice by the job and its write, took Alpha from "alpha" to "gamma" and Gamma from
// "gamma" to "alpha". Each record's old value is now held by the other, which gives it up only in
// its own undo — no order writes one before the other. The check used to pass them (each holder
// "moves away"), and the undo was then refused by the store's generic unique message. The undo and
// its dry run now answer 409 naming the field and both records, in the caller's language, and write
// nothing. Real HTTP, real store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const fields = { name: { type: 'text', required: true }, code: { type: 'text' } };
const entity = { kind: 'entity', name: 'product', label: { en: 'Product', zh: '产品' }, titleField: 'name', fields };
const withRule = { ...entity, cleansing: { code: { synonyms: { alpha: 'beta', beta: 'gamma', gamma: 'delta', delta: 'alpha' } } } };
const unique = { ...entity, fields: { ...fields, code: { type: 'text', unique: true } } };

async function create(name: string, code: string): Promise<string> {
  const res = await server.post<any>('/api/data/product', { name, code });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
const codeOf = async (id: string) => (await server.get<any>(`/api/data/product/${id}`)).body.code;
const codes = async (ids: string[]) => Promise.all(ids.map(codeOf));

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/product', entity)).status).toBe(201);
});
afterAll(async () => server?.close());

describe('undoing a cleansing job whose records must swap values in a unique field', () => {
  it('refuses the undo and its dry run naming the field and the records of the swap, and writes nothing', async () => {
    const alpha = await create('Alpha', 'alpha');
    const gamma = await create('Gamma', 'gamma');
    // A record the job changes too, on its own: it must stay as the job left it while the undo is refused.
    const beta = await create('Beta', 'beta');
    const ids = [alpha, gamma, beta];
    expect((await server.put('/api/meta/entities/product', withRule)).status).toBe(200);
    const started = await server.post<any>('/api/quality/product/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    const job = (await server.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`)).body;
    expect(job).toMatchObject({ status: 'done', counts: { written: 3, refused: 0 } });
    const cleansed = await codes(ids);
    // The job and its write each map once: alpha → beta → gamma, gamma → delta → alpha.
    expect(cleansed).toEqual(['gamma', 'alpha', 'delta']);
    // The values are distinct now, so the field can be made unique.
    const made = await server.put<any>('/api/meta/entities/product', unique);
    expect(made.status, JSON.stringify(made.body)).toBe(200);

    for (const dryRun of ['?dryRun=true', '']) {
      const en = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo${dryRun}`, undefined, { 'accept-language': 'en' });
      expect(en.status, JSON.stringify(en.body)).toBe(409);
      expect(en.body.error.code).toBe('UNIQUE_VIOLATION');
      expect(en.body.error.message).toMatch(/swap/);
      expect(en.body.error.details).toHaveLength(1);
      const [detail] = en.body.error.details;
      expect([`/product/${alpha}/code`, `/product/${gamma}/code`]).toContain(detail.path);
      expect(detail.message).toContain(`"Alpha" (${alpha})`);
      expect(detail.message).toContain(`"Gamma" (${gamma})`);
      expect(detail.message).toMatch(/swap/);
      expect(detail.message).not.toContain(beta);

      const zh = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo${dryRun}`, undefined, { 'accept-language': 'zh-CN' });
      expect(zh.status, JSON.stringify(zh.body)).toBe(409);
      expect(zh.body.error.message).toMatch(/互换/);
      expect(zh.body.error.details).toHaveLength(1);
      expect(zh.body.error.details[0].path).toBe(detail.path);
      expect(zh.body.error.details[0].message).toContain(`「Alpha」（${alpha}）`);
      expect(zh.body.error.details[0].message).toContain(`「Gamma」（${gamma}）`);
      expect(zh.body.error.details[0].message).toMatch(/互换/);
    }
    // Nothing written: every record as the job left it, and the job can still be undone.
    expect(await codes(ids)).toEqual(cleansed);
    expect((await server.get<any>(`/api/quality/cleanse-jobs/${job.id}`)).body.status).toBe('done');

    // One record of the swap moved by hand breaks the cycle: the rest goes back, that one is left alone.
    expect((await server.patch<any>(`/api/data/product/${gamma}`, { code: 'epsilon' })).status).toBe(200);
    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toMatchObject({ restored: 2, missing: 0, changedSince: [expect.objectContaining({ id: gamma })] });
    expect(await codes(ids)).toEqual(['alpha', 'epsilon', 'beta']);
  });

  it('names every record of a longer cycle once, at the field of the first', async () => {
    // Six synonyms round a ring, applied twice: "a" → "c" → "e" → "a", three records passing values round.
    const ring = { a: 'b', b: 'c', c: 'd', d: 'e', e: 'f', f: 'a' };
    const part = { kind: 'entity', name: 'part', label: { en: 'Part', zh: '零件' }, titleField: 'name', fields };
    expect((await server.put('/api/meta/entities/part', part)).status).toBe(201);
    const planted: [string, string][] = [];
    for (const code of ['a', 'c', 'e']) {
      const res = await server.post<any>('/api/data/part', { name: `Part ${code}`, code });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      planted.push([res.body.id as string, code]);
    }
    expect((await server.put('/api/meta/entities/part', { ...part, cleansing: { code: { synonyms: ring } } })).status).toBe(200);
    const started = await server.post<any>('/api/quality/part/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    expect((await server.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`)).body).toMatchObject({ status: 'done', counts: { written: 3 } });
    const partCode = async (id: string) => (await server.get<any>(`/api/data/part/${id}`)).body.code;
    const cleansed = await Promise.all(planted.map(([id]) => partCode(id)));
    expect(cleansed).toEqual(['c', 'e', 'a']);
    expect((await server.put('/api/meta/entities/part', { ...part, fields: { ...fields, code: { type: 'text', unique: true } } })).status).toBe(200);

    const res = await server.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo`, undefined, { 'accept-language': 'en' });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.details).toHaveLength(1);
    const first = planted.map(([id]) => id).sort()[0]!;
    expect(res.body.error.details[0].path).toBe(`/part/${first}/code`);
    for (const [id, code] of planted) expect(res.body.error.details[0].message).toContain(`"Part ${code}" (${id}) gets back code "${code}"`);
    expect(await Promise.all(planted.map(([id]) => partCode(id)))).toEqual(cleansed);
  });
});
