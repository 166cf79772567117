// Metadata reads per role: a non-admin sees only entities they may read, only readable fields, and
// forms, views, workflows, dashboards and roles of those entities cut down to match — no hidden
// field's name, no expression, no webhook address. Writes stay admin-only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../support/test-server.ts';

const documents = [
  {
    kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
    fields: {
      name: { type: 'text', required: true },
      amount: { type: 'number' },
      marginSecret: { type: 'number' },
      status: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' } } },
      weighted: { type: 'formula', returns: 'number', expression: 'amount * 2' },
    },
    rules: { noNegativeMargin: { when: 'marginSecret < 0', message: 'no' } },
  },
  { kind: 'entity', name: 'payroll', label: 'Payroll', fields: { name: { type: 'text' }, pay: { type: 'number' } } },
  {
    kind: 'form', name: 'dealMain', entity: 'deal', label: 'Deal',
    sections: {
      main: { order: 10, fields: { name: { order: 10 }, amount: { order: 20, visibleWhen: 'marginSecret > 3' } } },
      secret: { order: 20, fields: { marginSecret: { order: 10 } } },
    },
  },
  { kind: 'form', name: 'payrollMain', entity: 'payroll', label: 'Payroll', sections: { main: { order: 10, fields: { pay: { order: 10 } } } } },
  { kind: 'view', name: 'bigDeals', entity: 'deal', label: 'Big deals', type: 'list', columns: { name: { order: 10 }, marginSecret: { order: 20 } }, filter: { amount: { $gt: 1000 } }, sort: '-amount' },
  { kind: 'view', name: 'goodMargins', entity: 'deal', label: 'Good margins', type: 'list', columns: { name: { order: 10 } }, filter: { marginSecret: { $gt: 30 } } },
  {
    kind: 'workflow', name: 'dealFlow', entity: 'deal', label: 'Deal flow', field: 'status',
    states: { open: { label: 'Open', initial: true }, won: { label: 'Won', final: true } },
    transitions: { win: { label: 'Win', from: 'open', to: 'won', guard: 'marginSecret > 10' } },
  },
  {
    kind: 'role', name: 'rep', label: 'Rep',
    permissions: { deal: { create: true, read: 'own', update: 'own', fields: { marginSecret: 'hidden' } } },
  },
  { kind: 'role', name: 'hr', label: 'HR', permissions: { payroll: { read: 'all' } } },
];

describe('metadata reads narrowed per role', () => {
  let server: TestServer;
  let rep: ApiClient;
  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', { documents });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    rep = (await server.createUser({ roles: ['rep'] })).client;
  });
  afterAll(async () => server.close());

  it('entities: only readable ones, only readable fields, no rules or expressions', async () => {
    const list = await rep.get('/api/meta/entities');
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['deal']);
    expect(list.body.items[0]).not.toHaveProperty('layers');
    const deal = await rep.get('/api/meta/entities/deal');
    expect(Object.keys(deal.body.fields).sort()).toEqual(['amount', 'name', 'status', 'weighted']);
    expect(deal.body).not.toHaveProperty('rules');
    expect(deal.body.fields.weighted).not.toHaveProperty('expression');
    expect((await rep.get('/api/meta/entities/payroll')).status).toBe(404);
    expect((await rep.get('/api/meta/entities/nosuch')).status).toBe(404);
  });

  it('forms: only of readable entities, hidden fields and conditions on them removed', async () => {
    const list = await rep.get('/api/meta/forms');
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['dealMain']);
    const form = (await rep.get('/api/meta/forms/dealMain')).body;
    expect(Object.keys(form.sections)).toEqual(['main']);
    expect(Object.keys(form.sections.main.fields)).toEqual(['name', 'amount']);
    expect(form.sections.main.fields.amount).not.toHaveProperty('visibleWhen');
    expect((await rep.get('/api/meta/forms/payrollMain')).status).toBe(404);
  });

  it('views: a view filtering on a hidden field is not shown; hidden columns are removed', async () => {
    const list = await rep.get('/api/meta/views');
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['bigDeals']);
    expect(Object.keys(list.body.items[0].definition.columns)).toEqual(['name']);
    expect((await rep.get('/api/meta/views/goodMargins')).status).toBe(404);
  });

  it('workflows: states and transitions without guards or actions', async () => {
    const flow = await rep.get('/api/meta/workflows/dealFlow');
    expect(flow.status).toBe(200);
    expect(flow.body.transitions.win).toEqual({ label: 'Win', from: 'open', to: 'won' });
  });

  it('roles: only the caller’s own, without the names of hidden fields', async () => {
    const list = await rep.get('/api/meta/roles');
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(['rep']);
    expect((await rep.get('/api/meta/roles/hr')).status).toBe(404);
  });

  it('no hidden field name appears in any metadata, OpenAPI or types answer to the rep', async () => {
    for (const url of ['/api/meta/entities', '/api/meta/forms', '/api/meta/views', '/api/meta/workflows', '/api/meta/roles', '/api/meta/dashboards', '/api/openapi.json', '/api/types.ts']) {
      const res = await rep.get(url);
      expect(res.status, url).toBe(200);
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(text, url).not.toContain('marginSecret');
      expect(text, url).not.toMatch(/payroll/i);
    }
  });

  it('admins see everything unchanged, with layers', async () => {
    const deal = await server.get('/api/meta/entities/deal');
    expect(deal.body.fields).toHaveProperty('marginSecret');
    expect(deal.body.rules).toBeDefined();
    const list = await server.get('/api/meta/forms');
    expect(list.body.items).toHaveLength(2);
  });
});
