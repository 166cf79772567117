// The undo of a cleansing job over a unique multi-value field (a multipicklist): the check for
// restored values another record now holds compares the whole list, as the store's unique index
// does. It used to hand the list to the store as one compared value: the undo, and its dry run,
// failed with a 500. A record holding the very list refuses the undo (409 naming the record and
// field, en and zh); a record sharing only some of its options does not. Real HTTP, real store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const entity = {
  kind: 'entity', name: 'vendor', label: { en: 'Vendor', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, tags: { type: 'multipicklist', unique: true, options: { legacy: {}, partner: {}, supplier: {}, reseller: {} } } },
};
const withRule = { ...entity, cleansing: { tags: { synonyms: { legacy: 'partner' } } } };

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await server.post<any>('/api/data/vendor', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
const tagsOf = async (id: string) => (await server.get<any>(`/api/data/vendor/${id}`)).body.tags;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/vendor', entity)).status).toBe(201);
});
afterAll(async () => server?.close());

describe('undoing a cleansing job over a unique multipicklist', () => {
  it('compares whole lists: a partial overlap is no clash, the same list is (409), and the undo restores', async () => {
    const cleansedOne = await create({ name: 'Old Co', tags: ['legacy', 'supplier'] });
    // Shares an option with what Old Co gets back, but not the list: no clash.
    const overlapping = await create({ name: 'Overlap Co', tags: ['supplier'] });
    expect((await server.put('/api/meta/entities/vendor', withRule)).status).toBe(200);
    const started = await server.post<any>('/api/quality/vendor/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    expect(await tagsOf(cleansedOne)).toEqual(['partner', 'supplier']);
    expect((await server.put('/api/meta/entities/vendor', entity)).status).toBe(200);

    // A record now holds the very list Old Co had: the undo (and its dry run) is refused, naming both.
    const holder = await create({ name: 'Copy Co', tags: ['legacy', 'supplier'] });
    for (const dryRun of ['?dryRun=true', '']) {
      const en = await server.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo${dryRun}`, undefined, { 'accept-language': 'en' });
      expect(en.status, JSON.stringify(en.body)).toBe(409);
      expect(en.body.error.details).toEqual([expect.objectContaining({ path: `/vendor/${cleansedOne}/tags`, message: expect.stringContaining(`"Copy Co" (${holder})`) })]);
      const zh = await server.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo${dryRun}`, undefined, { 'accept-language': 'zh-CN' });
      expect(zh.status, JSON.stringify(zh.body)).toBe(409);
      expect(zh.body.error.details[0]).toMatchObject({ path: `/vendor/${cleansedOne}/tags`, message: expect.stringMatching(/[\u3400-\u9fff]/) });
    }
    expect(await tagsOf(cleansedOne)).toEqual(['partner', 'supplier']);

    // The copy changed to a list that only overlaps: the undo goes through.
    expect((await server.patch<any>(`/api/data/vendor/${holder}`, { tags: ['legacy', 'reseller'] })).status).toBe(200);
    const dry = await server.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo?dryRun=true`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ restored: 1, changedSince: [], missing: 0 });
    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(await tagsOf(cleansedOne)).toEqual(['legacy', 'supplier']);
    expect(await tagsOf(overlapping)).toEqual(['supplier']);
  });
});
