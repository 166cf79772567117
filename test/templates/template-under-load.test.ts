// A running system keeps serving while templates change under it: workers read and write records
// (an entity of the admin's own, and the template's own entity once it exists) and read the
// template's metadata without pause while the template is installed with sample data, a module is
// switched on, and the template is upgraded. No request may fail, and every metadata read sees
// either the old or the new document — never a mix.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../support/test-server.ts';
import { expectOk, fixturesDir } from './template-helpers.ts';

describe('templates change while requests keep coming', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { CRM_TEMPLATE_DIRS: fixturesDir } });
    expectOk(await server.put('/api/meta/entities/memo', { kind: 'entity', name: 'memo', label: 'Memo', fields: { title: { type: 'text', required: true, maxLength: 80 }, n: { type: 'integer' } } }), 201);
  });
  afterAll(async () => server.close());

  it('serves every read and write during install, module switch and upgrade', async () => {
    const failures: string[] = [];
    const customerDocs: string[] = [];
    let requests = 0;
    let stop = false;
    let customerReady = false;
    const record = (what: string, status: number, body: unknown) => {
      requests++;
      if (status >= 400) failures.push(`${what}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
    };
    const worker = async (w: number) => {
      const mine: string[] = [];
      for (let i = 0; !stop; i++) {
        const created = await server.post('/api/data/memo', { title: `memo ${w}-${i}`, n: i });
        record('create memo', created.status, created.body);
        if (created.status === 201) mine.push(String(created.body.id));
        const id = mine[i % mine.length];
        if (id) {
          const got = await server.get(`/api/data/memo/${id}`);
          record('get memo', got.status, got.body);
          const patched = await server.patch(`/api/data/memo/${id}`, { n: i + 1000 });
          record('patch memo', patched.status, patched.body);
        }
        const listed = await server.get(`/api/data/memo?filter=${encodeURIComponent(JSON.stringify({ n: { $gte: 0 } }))}&sort=-n&limit=20`);
        record('list memo', listed.status, listed.body);
        if (customerReady) {
          const customers = await server.get('/api/data/customer?limit=10&sort=name');
          record('list customer', customers.status, customers.body);
          const customer = await server.post('/api/data/customer', { name: `Load ${w}-${i}`, email: `load${w}.${i}@example.com`, tier: 'bronze' });
          record('create customer', customer.status, customer.body);
          const doc = await server.get('/api/meta/entities/customer');
          record('get customer entity', doc.status, doc.body);
          customerDocs.push(JSON.stringify(doc.body));
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    const during = async (step: Promise<ApiResponse>) => {
      const before = requests;
      const res = await step;
      return { res, served: requests - before };
    };

    const install = await during(server.post('/api/templates/desk/install', { version: '1.0.0', sampleData: true }));
    expectOk(install.res, 201);
    customerReady = true;
    const v1Doc = JSON.stringify((await server.get('/api/meta/entities/customer')).body);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const module = await during(server.post('/api/templates/desk/modules/tickets', { enabled: true, sampleData: true }));
    expectOk(module.res);
    const upgrade = await during(server.post('/api/templates/desk/upgrade', {}));
    expectOk(upgrade.res);
    const v2Doc = JSON.stringify((await server.get('/api/meta/entities/customer')).body);
    await new Promise((resolve) => setTimeout(resolve, 150));
    stop = true;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    // Requests were answered while each step was running, not only between them.
    expect([install.served, module.served, upgrade.served].every((n) => n > 0)).toBe(true);
    expect(requests).toBeGreaterThan(200);
    // Each read of the template's entity saw one whole revision's document.
    expect(customerDocs.length).toBeGreaterThan(0);
    expect(customerDocs.filter((d) => d !== v1Doc && d !== v2Doc)).toEqual([]);
    expect(customerDocs).toContain(v2Doc);
  });
});
