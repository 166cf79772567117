// A cleansing job keeps no duplicate warnings, so its writes check only the blocking rules
// (engine/quality/cleanse-records.ts): a record whose cleansed value makes it a duplicate under a
// blocking rule is still refused and listed, in the reader's language, while a warning rule never
// stops a write; every other record is cleansed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const vendor = {
  kind: 'entity', name: 'vendor', label: { en: 'Vendor', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, sector: { type: 'text' } },
  duplicateRules: {
    sameNameSector: { match: ['name', 'sector'], method: 'normalized', action: 'block' },
    alikeName: { match: ['name'], method: 'fuzzy', action: 'warn' },
  },
};

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

describe('a cleansing job and duplicate rules', () => {
  it('refuses the record its cleansing makes a duplicate under a blocking rule; warnings stop nothing', async () => {
    expect((await server.put('/api/meta/entities/vendor', vendor)).status).toBe(201);
    const ids: Record<string, string> = {};
    for (const [key, name, sector] of [['a', 'Acme', 'technology'], ['b', 'Acme', 'technolgy'], ['c', 'Acme Ltd', 'technolgy']] as const) {
      const res = await server.post<any>('/api/data/vendor', { name, sector });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[key] = res.body.id;
    }
    expect((await server.put('/api/meta/entities/vendor', { ...vendor, cleansing: { sector: { synonyms: { technolgy: 'technology' } } } })).status).toBe(200);

    const started = await server.post<any>('/api/quality/vendor/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    const job = await server.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`, { 'accept-language': 'zh-CN' });
    expect(job.body).toMatchObject({ status: 'done', counts: { records: 3, changed: 2, written: 1, refused: 1 } });
    // B would be Acme / technology, as A is: the blocking rule refuses it. C is only alike A by name (a warning): cleansed.
    expect(job.body.refused).toEqual([{ id: ids['b'], issues: [expect.objectContaining({ code: 'DUPLICATE:sameNameSector', message: expect.stringContaining(`疑似重复`) })] }]);
    expect(job.body.refused[0].issues[0].message).toContain(ids['a']);
    const sectors = async (key: string) => (await server.get<any>(`/api/data/vendor/${ids[key]}`)).body.sector;
    expect([await sectors('a'), await sectors('b'), await sectors('c')]).toEqual(['technology', 'technolgy', 'technology']);
  });
});
