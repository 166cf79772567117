// The undo of a cleansing job whose rule maps one value onto another that it maps on in turn
// (synonyms "alpha" → "beta", "beta" → "gamma") on a unique field: Beta (written first) became
// "gamma", then Alpha took the freed "beta". The undo puts Beta back to "beta" while Alpha still
// holds it — the check rightly sees no clash (Alpha moves back to "alpha" in the same undo), but the
// writes, in change order, used to hit the unique index at Beta and refuse the whole undo: the job
// could never be undone. A record waiting for a value the undo frees is now written after it.
// Real HTTP, real store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const entity = { kind: 'entity', name: 'product', label: { en: 'Product', zh: '产品' }, titleField: 'name', fields: { name: { type: 'text', required: true }, code: { type: 'text', unique: true } } };
const withRule = { ...entity, cleansing: { code: { synonyms: { alpha: 'beta', beta: 'gamma', gamma: 'delta' } } } };

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await server.post<any>('/api/data/product', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
const codeOf = async (id: string) => (await server.get<any>(`/api/data/product/${id}`)).body.code;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/product', entity)).status).toBe(201);
});
afterAll(async () => server?.close());

describe('undoing a cleansing job whose changes form a chain on a unique field', () => {
  it('puts every record back, each after the record that frees its value', async () => {
    // The job goes in id order: the codes are given in that order, so the value is freed before the other record takes it.
    const [first, second] = [await create({ name: 'Gamma' }), await create({ name: 'Alpha' })].sort();
    const planted = { gamma: first!, alpha: second! };
    for (const [code, id] of Object.entries(planted)) expect((await server.patch<any>(`/api/data/product/${id}`, { name: code, code })).status).toBe(200);
    expect((await server.put('/api/meta/entities/product', withRule)).status).toBe(200);
    const started = await server.post<any>('/api/quality/product/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    const job = (await server.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`)).body;
    expect(job).toMatchObject({ status: 'done', counts: { written: 2, refused: 0 } });
    // The write path cleanses once more: alpha → beta → gamma.
    expect([await codeOf(planted.gamma), await codeOf(planted.alpha)]).toEqual(['delta', 'gamma']);

    const dry = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo?dryRun=true`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ restored: 2, changedSince: [], missing: 0 });
    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toMatchObject({ restored: 2, changedSince: [], missing: 0 });
    for (const [code, id] of Object.entries(planted)) expect(await codeOf(id)).toBe(code);
  });
});
