// Issue 10, point 6: POST /api/meta/refactor/rename with kind "entity" renames an entity as one
// revision — every document naming it (lookups, a multi-lookup and a polymorphic lookup from other
// entities, a self lookup, forms, views and a polymorphic filter, a workflow with records in its
// states, a role's grant, a dashboard, a subscription-free import mapping) and the stored data (the
// records, their audit trail and state history, polymorphic values pointing at them, autonumber
// counters). Over real HTTP: after the rename every GET through the new name answers what the old
// name answered; the old name 404s; the dry run's counts equal apply's; bad input 4xx at its pointer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEntityRename } from '../../engine/designer/rename-entity.ts';
import { MetadataSet } from '../../engine/metadata/metadata-set.ts';
import { startTestServer, type ApiClient, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, currentRevision, expectError } from './api-helpers.ts';

const t = (en: string) => ({ en, zh: en });
const docs = [
  { kind: 'entity', name: 'account', label: t('Account'), titleField: 'name', fields: { name: { type: 'text', required: true }, dealCount: { type: 'rollup', from: 'deal', via: 'account', op: 'count' } } },
  {
    kind: 'entity', name: 'deal', label: t('Deal'), titleField: 'name',
    fields: {
      name: { type: 'text', required: true }, amount: { type: 'number', index: true }, account: { type: 'lookup', to: 'account' },
      parentDeal: { type: 'lookup', to: 'deal' }, number: { type: 'autonumber', prefix: 'D-', digits: 4 },
      stage: { type: 'picklist', options: { open: { label: t('Open') }, won: { label: t('Won') } } },
    },
  },
  { kind: 'entity', name: 'contact', label: t('Contact'), titleField: 'name', fields: { name: { type: 'text', required: true }, mainDeal: { type: 'lookup', to: 'deal' }, deals: { type: 'multiLookup', to: 'deal' } } },
  { kind: 'entity', name: 'note', label: t('Note'), titleField: 'body', fields: { body: { type: 'text', required: true }, parent: { type: 'polymorphicLookup', to: ['account', 'deal'] } } },
  { kind: 'form', name: 'dealForm', entity: 'deal', label: t('Deal'), sections: { main: { order: 10, fields: { name: { order: 10 }, amount: { order: 20 } } } } },
  { kind: 'view', name: 'bigDeals', entity: 'deal', label: t('Big deals'), type: 'list', columns: { name: { order: 10 }, amount: { order: 20 }, stage: { order: 30 } }, filter: { amount: { $gt: 100 } }, sort: '-amount' },
  { kind: 'view', name: 'dealNotes', entity: 'note', label: t('Deal notes'), type: 'list', columns: { body: { order: 10 } }, filter: { 'parent.entity': 'deal' }, sort: 'body' },
  { kind: 'workflow', name: 'dealFlow', entity: 'deal', field: 'stage', label: t('Deal flow'), states: { open: { initial: true, label: t('Open') }, won: { final: true, label: t('Won') } }, transitions: { win: { from: 'open', to: 'won', label: t('Win') } } },
  { kind: 'role', name: 'sales', label: t('Sales'), permissions: { deal: { read: 'all', update: 'all' }, account: { read: 'all' }, contact: { read: 'all' }, note: { read: 'all' } } },
  { kind: 'dashboard', name: 'pipeline', title: t('Pipeline'), widgets: { total: { type: 'metric', title: t('Amount'), entity: 'deal', measure: { op: 'sum', field: 'amount' }, layout: { x: 0, y: 0, w: 3, h: 2 } } } },
];
const mapping = { name: 'deals', targets: [{ entity: 'deal', key: ['name'], columns: { name: 'Deal', amount: 'Amount' } }] };

type Usage = { kind: string; name: string; path: string };
const pointers = (usages: Usage[]) => usages.map((u) => `${u.kind}/${u.name}${u.path}`).sort();
/** An answer through the old name, as the new name should answer it. */
const renamed = (body: unknown) => JSON.parse(JSON.stringify(body).replaceAll('"deal"', '"opportunity"').replaceAll('/api/data/deal/', '/api/data/opportunity/'));

describe('rename an entity', () => {
  let server: TestServer;
  let sales: ApiClient;
  const ids: Record<string, string> = {};
  /** Every read an end user or admin makes of the entity, by path relative to its name. */
  const reads = (): string[] => [
    '?limit=100&sort=name', '?view=bigDeals', `/${ids['d0']}`, `/${ids['d1']}`, `/${ids['d1']}/history`, `/${ids['d1']}/state-history`,
    `/${ids['d0']}/transitions`, `/${ids['d0']}/timeline`,
  ];
  const before: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, docs);
    expect((await server.put('/api/import/mappings/deals', mapping)).status).toBe(200);
    const acme = await createRecord(server, 'account', { name: 'Acme' });
    for (const [i, amount] of [500, 50, 2000].entries()) ids[`d${i}`] = (await createRecord(server, 'deal', { name: `D${i}`, amount, account: acme.id })).id;
    await server.patch(`/api/data/deal/${ids['d2']}`, { parentDeal: ids['d0'] }, { 'if-match': '"1"' });
    const won = await server.post(`/api/data/deal/${ids['d1']}/transitions/win`, {});
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    ids['c0'] = (await createRecord(server, 'contact', { name: 'Ann', mainDeal: ids['d0'], deals: [ids['d0'], ids['d2']] })).id;
    await createRecord(server, 'note', { body: 'Call back', parent: { entity: 'deal', id: ids['d0'] } });
    await createRecord(server, 'note', { body: 'Kick-off', parent: { entity: 'account', id: acme.id } });
    ids['account'] = acme.id;
    sales = (await server.createUser({ roles: ['sales'] })).client;
    for (const path of reads()) {
      const res = await server.get(`/api/data/deal${path}`);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      before[path] = res.body;
    }
    before['sales'] = (await sales.get('/api/data/deal?sort=name')).body;
    before['links'] = (await server.get(`/api/data/contact/${ids['c0']}/links/deals`)).body;
    before['dashboard'] = (await server.get('/api/dashboards/pipeline')).body;
    before['dealNotes'] = (await server.get('/api/data/note?view=dealNotes')).body;
  });
  afterAll(async () => server?.close());

  it('the dry run lists every rewritten reference and the stored data it moves, and changes nothing', async () => {
    const usages = (await server.get('/api/meta/usages/entities/deal')).body.usages as Usage[];
    const revision = await currentRevision(server);
    const res = await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'deal', to: 'opportunity' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid, JSON.stringify(res.body.issues)).toBe(true);
    // The usages an admin sees, each rewritten, and the entity's own lookup to itself.
    expect(pointers(res.body.preview.usages)).toEqual([...pointers(usages), 'entity/opportunity/fields/parentDeal/to'].sort());
    expect(pointers(res.body.preview.usages)).toEqual([
      'dashboard/pipeline/widgets/total/entity', 'entity/account/fields/dealCount/from', 'entity/contact/fields/deals/to', 'entity/contact/fields/mainDeal/to',
      'entity/note/fields/parent/to/1', 'entity/opportunity/fields/parentDeal/to', 'form/dealForm/entity', 'role/sales/permissions/deal',
      'view/bigDeals/entity', 'view/dealNotes/filter/parent.entity', 'workflow/dealFlow/entity',
    ]);
    expect(res.body.preview.byKind).toEqual({ dashboard: 1, entity: 5, form: 1, role: 1, view: 2, workflow: 1 });
    const stored = res.body.preview.stored;
    expect(stored).toMatchObject({ recordsMoved: 3, polymorphicValues: 1, sequences: 1, importMappings: 1 });
    // 3 creates, a patch and a transition in the audit trail; the three records' stays in their states.
    expect(stored.systemEntries).toMatchObject({ _audit: 5, _wfStateHistory: 4 });
    expect(await currentRevision(server)).toBe(revision);
    expect((await server.get('/api/data/deal?limit=100')).body.items).toHaveLength(3);
    expectError(await server.get('/api/data/opportunity'), 404);
  });

  it('apply does what the dry run counted; every GET through the new name answers what the old name did; the old name 404s', async () => {
    const preview = (await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'deal', to: 'opportunity' })).body.preview;
    const revision = await currentRevision(server);
    const res = await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'deal', to: 'opportunity', apply: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.applied).toEqual(preview);
    expect(res.body.revision).toBe(revision + 1);

    for (const path of reads()) {
      const now = await server.get(`/api/data/opportunity${path}`);
      expect(now.status, `${path} ${JSON.stringify(now.body)}`).toBe(200);
      expect(now.body, path).toEqual(renamed(before[path]));
      expectError(await server.get(`/api/data/deal${path}`), 404);
    }
    expect((await sales.get('/api/data/opportunity?sort=name')).body).toEqual(renamed(before['sales']));
    expectError(await sales.get('/api/data/deal'), 404);
    expect((await server.get(`/api/data/contact/${ids['c0']}/links/deals`)).body).toEqual(renamed(before['links']));
    expect((await server.get('/api/dashboards/pipeline')).body).toEqual(renamed(before['dashboard']));
    expect((await server.get('/api/data/note?view=dealNotes')).body).toEqual(renamed(before['dealNotes']));
    expectError(await server.get('/api/meta/entities/deal'), 404);

    // The metadata names the new entity everywhere.
    expect((await server.get('/api/meta/usages/entities/deal')).status).toBe(404);
    const after = (await server.get('/api/meta/usages/entities/opportunity')).body.usages as Usage[];
    expect(pointers(after)).toEqual(pointers(preview.usages).filter((p) => !p.startsWith('entity/opportunity/')).map((p) => p.replace('/permissions/deal', '/permissions/opportunity')));
    expect((await server.get('/api/meta/entities/opportunity')).body.fields.parentDeal.to).toBe('opportunity');
    expect((await server.get('/api/import/mappings/deals')).body.targets[0].entity).toBe('opportunity');

    // It keeps working: a transition, a write with its autonumber continuing, a rollup, a lookup from elsewhere, a role's grant.
    const won = await server.post(`/api/data/opportunity/${ids['d0']}/transitions/win`, {});
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    const created = await createRecord(server, 'opportunity', { name: 'D3', amount: 10, account: ids['account'] });
    expect(created.number).toBe('D-0004');
    expect(created.stage).toBe('open');
    expect((await server.get(`/api/data/account/${ids['account']}`)).body.dealCount).toBe(4);
    expect((await createRecord(server, 'contact', { name: 'Bo', mainDeal: created.id })).mainDeal).toBe(created.id);
    expectError(await server.post('/api/data/contact', { name: 'Cy', mainDeal: 'nope' }), 400);
    expect((await sales.patch(`/api/data/opportunity/${created.id}`, { amount: 11 }, { 'if-match': `"${created.version}"` })).status).toBe(200);
    expect((await server.get(`/api/data/opportunity/${ids['d0']}/history`)).body.items.map((e: { action: string }) => e.action)).toContain('transition');
  });

  it('refuses bad input 4xx at its pointer, in the caller\'s language', async () => {
    const rename = (body: Record<string, unknown>, headers?: Record<string, string>) => server.post('/api/meta/refactor/rename', body, headers);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'account' }), 409, 'CONFLICT').map((d) => d.code)).toEqual(['NAME_TAKEN']);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'Deal' }), 400).map((d) => [d.path, d.code])).toEqual([['/to', 'INVALID_NAME']]);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'opportunity' }), 400).map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ kind: 'entity', from: 'deal', to: 'x' }), 404, 'UNKNOWN_ENTITY').map((d) => d.path)).toEqual(['/from']);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity' }), 400).map((d) => d.path)).toEqual(['/to']);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'x', entity: 'y' }), 400).map((d) => d.path)).toEqual(['/entity']);
    expect(expectError(await rename({ kind: 'table', from: 'opportunity', to: 'x' }), 400).map((d) => d.path)).toEqual(['/kind']);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'x', apply: 1 }), 400).map((d) => d.path)).toEqual(['/apply']);
    const zh = expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'account' }, { 'accept-language': 'zh' }), 409);
    expect(zh[0]!.message).toBe('"account" 已是一个实体');
    // A reserved name is refused by the entity's own checks: the dry run says so, apply refuses the same.
    const reserved = await rename({ kind: 'entity', from: 'opportunity', to: 'users' });
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
    expect(reserved.body.valid).toBe(false);
    expect(reserved.body.issues.map((i: { path: string; code: string }) => [i.path, i.code])).toEqual([['/entity/users/name', 'META_RESERVED_NAME']]);
    expect(expectError(await rename({ kind: 'entity', from: 'opportunity', to: 'users', apply: true }), 400, 'INVALID_METADATA').map((d) => d.path)).toEqual(['/entity/users/name']);
    const user = await server.createUser({ roles: ['sales'] });
    expectError(await user.client.post('/api/meta/refactor/rename', { kind: 'entity', from: 'opportunity', to: 'x' }), 403, 'FORBIDDEN');
  });

  it('refuses a name still holding a removed entity\'s records', async () => {
    await applyMetadata(server, [{ kind: 'entity', name: 'legacy', label: t('Legacy'), fields: { name: { type: 'text' } } }]);
    await createRecord(server, 'legacy', { name: 'old' });
    const removed = await server.post('/api/meta/apply', { documents: [], remove: [{ kind: 'entity', name: 'legacy' }] });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const res = await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'note', to: 'legacy' });
    expect(expectError(res, 409).map((d) => [d.path, d.code])).toEqual([['/to', 'NAME_TAKEN']]);
  });

  it('refuses an entity a template owns, saying why', () => {
    const set = new MetadataSet([docs[0] as never]);
    const issues = checkEntityRename({ set, from: 'account', to: 'client', ownedBy: ['retail'], storedUnderTo: 0 });
    expect(issues).toEqual([{ path: '/from', code: 'TEMPLATE_OWNED', message: expect.stringContaining('an upgrade would install it again under its old name') }]);
  });
});

describe('rename an entity a template owns', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('refuses it, saying why in the caller\'s language', async () => {
    const installed = await server.post('/api/templates/services/install', { sampleData: false, modules: ['clients'] });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    const owned = expectError(await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'account', to: 'client' }), 409, 'CONFLICT');
    expect(owned.map((d) => [d.path, d.code])).toEqual([['/from', 'TEMPLATE_OWNED']]);
    expect(owned[0]!.message).toContain('"services"');
    const zh = expectError(await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'account', to: 'client' }, { 'accept-language': 'zh' }), 409);
    expect(zh[0]!.message).toBe('属于模板 "services"：模板升级会以原名称重新安装它，因此不能重命名；请改为修改它的显示名称');
  });
});
