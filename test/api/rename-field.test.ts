// Issue 10, point 6: POST /api/meta/refactor/rename renames a field as one revision — every usage
// (forms, views, workflows, dashboards, roles, formulas, rollups, rules, expressions, lookup paths
// from other entities), saved import mappings and the records' stored values — over real HTTP.
// The dry run's counts equal what apply does; bad input is refused 4xx at its pointer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, currentRevision, expectError } from './api-helpers.ts';

const t = (en: string) => ({ en, zh: en });
const docs = [
  { kind: 'entity', name: 'account', label: t('Account'), titleField: 'name', fields: { name: { type: 'text', required: true }, industry: { type: 'text' }, dealTotal: { type: 'rollup', from: 'deal', via: 'account', op: 'sum', field: 'amount' } } },
  {
    kind: 'entity', name: 'deal', label: t('Deal'), titleField: 'name',
    fields: {
      name: { type: 'text', required: true }, amount: { type: 'number', index: true }, account: { type: 'lookup', to: 'account' },
      stage: { type: 'picklist', options: { open: { label: t('Open') }, won: { label: t('Won') } } },
      industry: { type: 'formula', returns: 'text', expression: 'account.industry' }, doubled: { type: 'formula', returns: 'number', expression: 'amount * 2' },
    },
    rules: { positive: { when: 'amount < 0', field: 'amount', message: t('must not be negative') } },
  },
  // A section and a widget named like the field are names of their own, not references.
  { kind: 'form', name: 'dealForm', entity: 'deal', label: t('Deal'), sections: { amount: { order: 10, fields: { name: { order: 10 }, amount: { order: 20, visibleWhen: 'stage = "won"' }, stage: { order: 30 } } } } },
  { kind: 'view', name: 'bigDeals', entity: 'deal', label: t('Big deals'), type: 'list', columns: { name: { order: 10 }, amount: { order: 20 }, 'account.industry': { order: 30 } }, filter: { amount: { $gt: 100 } }, sort: '-amount,name' },
  { kind: 'workflow', name: 'dealFlow', entity: 'deal', field: 'stage', label: t('Deal flow'), states: { open: { initial: true, label: t('Open') }, won: { final: true, label: t('Won') } }, transitions: { win: { from: 'open', to: 'won', label: t('Win'), guard: 'amount > 0' } } },
  { kind: 'role', name: 'sales', label: t('Sales'), permissions: { deal: { read: 'all', fields: { amount: 'read' } }, account: { read: 'all' } } },
  {
    kind: 'dashboard', name: 'pipeline', title: t('Pipeline'),
    widgets: { amount: { type: 'metric', title: t('Open amount'), entity: 'deal', filter: { amount: { $gt: 0 } }, measure: { op: 'sum', field: 'amount' }, layout: { x: 0, y: 0, w: 3, h: 2 } } },
  },
];
const mapping = { name: 'deals', targets: [{ entity: 'deal', key: ['name'], columns: { name: 'Deal', amount: 'Amount' }, lookups: { account: { by: 'industry' } } }] };

type Usage = { kind: string; name: string; path: string };
const pointers = (usages: Usage[]) => usages.map((u) => `${u.kind}/${u.name}${u.path}`).sort();

describe('rename a field', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, docs);
    const saved = await server.put('/api/import/mappings/deals', mapping);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const acme = await createRecord(server, 'account', { name: 'Acme', industry: 'retail' });
    for (const [i, amount] of [500, 50, undefined, 2000, undefined].entries()) {
      await createRecord(server, 'deal', { name: `D${i}`, account: acme.id, ...(amount !== undefined ? { amount } : {}) });
    }
  });
  afterAll(async () => server?.close());

  it('the dry run counts every usage, the import mapping and the stored values, and changes nothing', async () => {
    const usages = (await server.get('/api/meta/usages/entities/deal/amount')).body.usages as Usage[];
    const revision = await currentRevision(server);
    const res = await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'amount', to: 'total' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid).toBe(true);
    // Exactly the usages an admin sees, each rewritten.
    expect(pointers(res.body.preview.usages)).toEqual(pointers(usages));
    expect(pointers(usages)).toEqual([
      'dashboard/pipeline/widgets/amount/filter/amount', 'dashboard/pipeline/widgets/amount/measure/field',
      'entity/account/fields/dealTotal/field', 'entity/deal/fields/doubled/expression', 'entity/deal/rules/positive/field', 'entity/deal/rules/positive/when',
      'form/dealForm/sections/amount/fields/amount', 'role/sales/permissions/deal/fields/amount',
      'view/bigDeals/columns/amount', 'view/bigDeals/filter/amount', 'view/bigDeals/sort', 'workflow/dealFlow/transitions/win/guard',
    ]);
    expect(res.body.preview.references).toBe(12);
    expect(res.body.preview.byKind).toEqual({ dashboard: 2, entity: 4, form: 1, role: 1, view: 3, workflow: 1 });
    expect(res.body.preview.stored).toEqual({ recordsMoved: 3, staleCleared: 0, importMappings: 1, importMappingReferences: 1 });
    expect(await currentRevision(server)).toBe(revision);
    expect((await server.get('/api/meta/entities/deal')).body.fields.amount).toBeDefined();
    const rows = (await server.get('/api/data/deal?limit=10&sort=name')).body.items as Record<string, unknown>[];
    expect(rows.filter((r) => r['amount'] !== undefined)).toHaveLength(3);
  });

  it('apply does what the dry run counted, as one revision, and everything runs under the new name', async () => {
    const preview = (await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'amount', to: 'total' })).body.preview;
    const revision = await currentRevision(server);
    const res = await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'amount', to: 'total', apply: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.applied).toEqual(preview);
    expect(res.body.revision).toBe(revision + 1);
    expect(await currentRevision(server)).toBe(revision + 1);

    // The usages of the new name are the rewritten ones, at the same places; the old name is gone.
    const after = (await server.get('/api/meta/usages/entities/deal/total')).body.usages as Usage[];
    expect(pointers(after)).toEqual(pointers(preview.usages).map((p) => p.replace(/\/amount$/, '/total')).sort());
    expectError(await server.get('/api/meta/usages/entities/deal/amount'), 404, 'NOT_FOUND');
    const form = (await server.get('/api/meta/forms/dealForm')).body;
    expect(Object.keys(form.sections)).toEqual(['amount']);
    expect(Object.keys(form.sections.amount.fields)).toEqual(['name', 'total', 'stage']);
    expect((await server.get('/api/meta/views/bigDeals')).body).toMatchObject({ sort: '-total,name', filter: { total: { $gt: 100 } } });
    expect((await server.get('/api/meta/workflows/dealFlow')).body.transitions.win.guard).toBe('total > 0');
    expect((await server.get('/api/meta/entities/account')).body.fields.dealTotal.field).toBe('total');
    expect((await server.get('/api/import/mappings/deals')).body.targets[0]).toMatchObject({ columns: { name: 'Deal', total: 'Amount' }, key: ['name'] });

    // Records: the values moved (exactly as many as counted), formulas, rules, rollups and the view run on them.
    const rows = (await server.get('/api/data/deal?limit=10&sort=name')).body.items as Record<string, unknown>[];
    expect(rows.map((r) => [r['name'], r['total'] ?? null, r['amount'] ?? null])).toEqual([['D0', 500, null], ['D1', 50, null], ['D2', null, null], ['D3', 2000, null], ['D4', null, null]]);
    expect(rows.filter((r) => r['total'] !== undefined)).toHaveLength(preview.stored.recordsMoved);
    const d1 = rows[1] as { id: string; version: number };
    const patched = await server.patch(`/api/data/deal/${d1.id}`, { total: 70 }, { 'if-match': `"${d1.version}"` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.doubled).toBe(140);
    expectError(await server.patch(`/api/data/deal/${d1.id}`, { total: -1 }, { 'if-match': `"${patched.body.version}"` }), 400);
    const big = (await server.get('/api/data/deal?view=bigDeals')).body.items as { name: string }[];
    expect(big.map((r) => r.name)).toEqual(['D3', 'D0']);
    const account = (await server.get('/api/data/account?limit=1')).body.items[0];
    expect(account.dealTotal).toBe(2570);
    expectError(await server.post('/api/data/deal', { name: 'old name', amount: 1 }), 400);
  });

  it('renames a workflow-driven field: the states stay, the records keep theirs, transitions work', async () => {
    const created = await createRecord(server, 'deal', { name: 'W1', total: 10 });
    expect(created.stage).toBe('open');
    const dry = await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'stage', to: 'phase' });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.valid, JSON.stringify(dry.body.issues)).toBe(true);
    const res = await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'stage', to: 'phase', apply: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.applied).toEqual(dry.body.preview);
    expect((await server.get('/api/meta/workflows/dealFlow')).body.field).toBe('phase');
    const won = await server.post(`/api/data/deal/${created.id}/transitions/win`, {});
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    const record = (await server.get(`/api/data/deal/${created.id}`)).body;
    expect(record.phase).toBe('won');
    expect(record.stage).toBeUndefined();
  });

  it('renames a field other entities read through a lookup (formulas, view columns, import lookups)', async () => {
    await server.put('/api/import/mappings/deals', { ...mapping, targets: [{ ...mapping.targets[0], columns: { name: 'Deal', total: 'Amount' } }] });
    const res = await server.post('/api/meta/refactor/rename', { entity: 'account', field: 'industry', to: 'sector', apply: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(pointers(res.body.applied.usages)).toEqual(['entity/deal/fields/industry/expression', 'view/bigDeals/columns/account.industry']);
    expect(res.body.applied.stored).toEqual({ recordsMoved: 1, staleCleared: 0, importMappings: 1, importMappingReferences: 1 });
    expect((await server.get('/api/meta/entities/deal')).body.fields.industry.expression).toBe('account.sector');
    expect(Object.keys((await server.get('/api/meta/views/bigDeals')).body.columns)).toEqual(['name', 'total', 'account.sector']);
    expect((await server.get('/api/import/mappings/deals')).body.targets[0].lookups).toEqual({ account: { by: 'sector' } });
    // The formula now reads through the renamed field.
    const account = (await server.get('/api/data/account?limit=1')).body.items[0];
    expect(account.sector).toBe('retail');
    expect((await createRecord(server, 'deal', { name: 'L1', account: account.id })).industry).toBe('retail');
    expect((await server.get('/api/data/deal?view=bigDeals')).status).toBe(200);
  });

  it('a stale value under the new name (left by an engine that kept a removed field\'s values) is cleared, and counted', async () => {
    const account = (await server.get('/api/meta/entities/account')).body;
    await applyMetadata(server, [{ ...account, fields: { ...account.fields, legacy: { type: 'text' } } }]);
    const beta = await createRecord(server, 'account', { name: 'Beta', legacy: 'old' });
    await applyMetadata(server, [account]);
    // Removing the field took its value out; a store written before that was so still holds it: put it back as such a store would.
    const store = server.server.store;
    const row = (await store.get('account', beta.id))!;
    expect(row.data['legacy']).toBeUndefined();
    await store.transaction((tx) => tx.replace('account', { ...row, version: row.version + 1, data: { ...row.data, legacy: 'old' } }, row.version));
    const dry = await server.post('/api/meta/refactor/rename', { entity: 'account', field: 'sector', to: 'legacy' });
    expect(dry.body.preview.stored).toEqual({ recordsMoved: 1, staleCleared: 1, importMappings: 1, importMappingReferences: 1 });
    const res = await server.post('/api/meta/refactor/rename', { entity: 'account', field: 'sector', to: 'legacy', apply: true });
    expect(res.body.applied).toEqual(dry.body.preview);
    const rows = (await server.get('/api/data/account?sort=name')).body.items as Record<string, unknown>[];
    expect(rows.map((r) => [r['name'], r['legacy'] ?? null])).toEqual([['Acme', 'retail'], ['Beta', null]]);
  });

  it('refuses bad input 4xx at its pointer, in the caller\'s language; admins only', async () => {
    const rename = (body: Record<string, unknown>, headers?: Record<string, string>) => server.post('/api/meta/refactor/rename', body, headers);
    expect(expectError(await rename({ entity: 'deal', field: 'nope', to: 'x' }), 400).map((d) => d.path)).toEqual(['/field']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'name' }), 409, 'CONFLICT').map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'owner' }), 409, 'CONFLICT').map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'Total' }), 400).map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'total' }), 400).map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'a-b' }), 400).map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ entity: 'nope', field: 'total', to: 'x' }), 404, 'UNKNOWN_ENTITY').map((d) => d.path)).toEqual(['/entity']);
    expect(expectError(await rename({ entity: 'deal', to: 'x' }), 400).map((d) => d.path)).toEqual(['/field']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'x', apply: 'yes' }), 400).map((d) => d.path)).toEqual(['/apply']);
    expect(expectError(await rename({ entity: 'deal', field: 'total', to: 'x', force: true }), 400).map((d) => d.path)).toEqual(['/force']);
    const zh = expectError(await rename({ entity: 'deal', field: 'total', to: 'name' }, { 'accept-language': 'zh' }), 409);
    expect(zh[0]!.message).toBe('"name" 已是 deal 的字段');
    const zhUnknown = expectError(await rename({ entity: 'deal', field: 'nope', to: 'x' }, { 'accept-language': 'zh' }), 400);
    expect(zhUnknown[0]!.message).toBe('deal 没有字段 "nope"');
    const user = await server.createUser({ roles: ['sales'] });
    expectError(await user.client.post('/api/meta/refactor/rename', { entity: 'deal', field: 'total', to: 'x' }), 403, 'FORBIDDEN');
    expect((await server.get('/api/meta/entities/deal')).body.fields.total).toBeDefined();
  });
});
