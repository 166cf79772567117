// Issue 10, point 6: GET /api/meta/usages/{kind}/{name}[/{field}] lists every item that refers to an
// item or to one field — forms, views, workflows, roles, dashboards, formulas, rollups, rules,
// lookup paths through other entities, references inside expressions — each at its JSON pointer;
// what the delete is then refused with names the same documents.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, errorPaths, expectError } from './api-helpers.ts';

const t = (en: string) => ({ en, zh: en });
const docs = [
  { kind: 'entity', name: 'account', label: t('Account'), titleField: 'name', fields: { name: { type: 'text', required: true }, industry: { type: 'text' }, dealTotal: { type: 'rollup', from: 'deal', via: 'account', op: 'sum', field: 'amount' } } },
  {
    kind: 'entity', name: 'deal', label: t('Deal'), titleField: 'name',
    fields: {
      name: { type: 'text', required: true }, amount: { type: 'number' }, account: { type: 'lookup', to: 'account' },
      stage: { type: 'picklist', options: { open: { label: t('Open') }, won: { label: t('Won') } } },
      industry: { type: 'formula', returns: 'text', expression: 'account.industry' }, doubled: { type: 'formula', returns: 'number', expression: 'amount * 2' },
    },
    rules: { positive: { when: 'amount < 0', field: 'amount', message: t('must not be negative') } },
  },
  { kind: 'entity', name: 'note', label: t('Note'), fields: { text: { type: 'text' }, deal: { type: 'lookup', to: 'deal' } } },
  { kind: 'view', name: 'bigDeals', entity: 'deal', label: t('Big deals'), type: 'list', columns: { name: { order: 10 }, amount: { order: 20 }, 'account.industry': { order: 30 } }, filter: { amount: { $gt: 1000 } }, sort: '-amount,name' },
  { kind: 'view', name: 'accounts', entity: 'account', label: t('Accounts'), type: 'list', columns: { name: { order: 10 } } },
  { kind: 'form', name: 'dealForm', entity: 'deal', label: t('Deal'), sections: { main: { order: 10, fields: { name: { order: 10 }, amount: { order: 20, visibleWhen: 'stage = "won"' }, stage: { order: 30 } } } } },
  { kind: 'workflow', name: 'dealFlow', entity: 'deal', field: 'stage', label: t('Deal flow'), states: { open: { initial: true, label: t('Open') }, won: { final: true, label: t('Won') } }, transitions: { win: { from: 'open', to: 'won', label: t('Win'), guard: 'amount > 0' } } },
  { kind: 'role', name: 'sales', label: t('Sales'), permissions: { deal: { read: 'all', fields: { amount: 'read' } }, account: { read: 'all' } } },
];

describe('usages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, docs);
  });
  afterAll(async () => server.close());

  const paths = (body: { usages: { kind: string; name: string; path: string }[] }) => body.usages.map((u) => `${u.kind}/${u.name}${u.path}`).sort();

  it('of an entity: lookups, rollups, documents bound to it, role grants', async () => {
    const res = await server.get('/api/meta/usages/entities/deal');
    expect(res.status).toBe(200);
    expect(res.body.target).toEqual({ kind: 'entity', name: 'deal' });
    expect(paths(res.body)).toEqual([
      'entity/account/fields/dealTotal/from', 'entity/note/fields/deal/to', 'form/dealForm/entity', 'role/sales/permissions/deal', 'view/bigDeals/entity', 'workflow/dealFlow/entity',
    ]);
  });

  it('of a field: forms, views (columns, filter, sort), expressions, rules, rollups, workflow guards, role field grants', async () => {
    const res = await server.get('/api/meta/usages/entities/deal/amount');
    expect(res.status).toBe(200);
    expect(res.body.target).toEqual({ kind: 'entity', name: 'deal', field: 'amount' });
    expect(paths(res.body)).toEqual([
      'entity/account/fields/dealTotal/field', 'entity/deal/fields/doubled/expression', 'entity/deal/rules/positive/field', 'entity/deal/rules/positive/when',
      'form/dealForm/sections/main/fields/amount', 'role/sales/permissions/deal/fields/amount',
      'view/bigDeals/columns/amount', 'view/bigDeals/filter/amount', 'view/bigDeals/sort', 'workflow/dealFlow/transitions/win/guard',
    ]);
  });

  it('of a field read through a lookup: formulas and view columns elsewhere', async () => {
    const res = await server.get('/api/meta/usages/entities/account/industry');
    expect(paths(res.body)).toEqual(['entity/deal/fields/industry/expression', 'view/bigDeals/columns/account.industry']);
    const unused = await server.get('/api/meta/usages/entities/note/text');
    expect(unused.body.usages).toEqual([]);
  });

  it('the delete of a used entity is refused naming the same documents', async () => {
    const usages = await server.get('/api/meta/usages/entities/deal');
    const refused = await server.delete('/api/meta/entities/deal');
    expectError(refused, 400, 'INVALID_METADATA');
    const refusedDocs = new Set(errorPaths(refused).map((p) => p.split('/').slice(1, 3).join('/')));
    for (const u of usages.body.usages) expect(refusedDocs, `${u.kind}/${u.name}`).toContain(`${u.kind}/${u.name}`);
  });

  it('404 for an unknown kind, item or field; admins only', async () => {
    expectError(await server.get('/api/meta/usages/gizmos/deal'), 404, 'NOT_FOUND');
    expectError(await server.get('/api/meta/usages/entities/nope'), 404, 'NOT_FOUND');
    expectError(await server.get('/api/meta/usages/entities/deal/nope'), 404, 'NOT_FOUND');
    expectError(await server.get('/api/meta/usages/views/bigDeals/amount'), 404, 'NOT_FOUND');
    const zh = await server.get('/api/meta/usages/entities/deal/nope', { 'accept-language': 'zh' });
    expect(zh.body.error.message).toMatch(/没有字段/);
    const user = await server.createUser({ roles: ['sales'] });
    expectError(await user.client.get('/api/meta/usages/entities/deal'), 403, 'FORBIDDEN');
  });
});
