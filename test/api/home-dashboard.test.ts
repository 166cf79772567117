// The dashboard a user lands on (`home` in GET /api/studio/navigation): their role's own
// `homeDashboard` (or its template's `dashboards.byRole` entry), else an installed template's
// `dashboards.home` — only one they may read. And a
// dashboard's figures (GET /api/dashboards/{name}) hold nothing of a widget over an entity the
// caller cannot read: not its name, not its entity, not its error; a dashboard with no widget they
// may read is 404, as its metadata is.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { writeTemplate } from '../templates/template-helpers.ts';
import { expectError } from './api-helpers.ts';

let t: TestServer;
let rep: TestUser;
let pipelineOnly: TestUser;

const homeOf = async (user: TestUser): Promise<string | undefined> => {
  const res = await user.client.get('/api/studio/navigation');
  expect(res.status).toBe(200);
  return res.body.home as string | undefined;
};
const role = async (name: string) => (await t.get(`/api/meta/roles/${name}`)).body as Record<string, unknown>;

beforeAll(async () => {
  t = await startTestServer();
  const installed = await t.post('/api/templates/wholesale/install', { sampleData: false, modules: ['customers', 'pipeline'] });
  expect(installed.status, JSON.stringify(installed.body).slice(0, 300)).toBe(201);
  rep = await t.createUser({ name: 'Rep', roles: ['salesRep', 'salesRepPipeline'] });
  pipelineOnly = await t.createUser({ name: 'Pipeline only', roles: ['salesRepPipeline'] });
});

afterAll(async () => {
  await t?.close();
});

describe('the home dashboard', () => {
  it('is the installed template\'s home for a role without its own; none when the user may read no widget of it', async () => {
    expect(await homeOf(rep)).toBe('ordersOverview');
    // Orders and accounts are not this role's: the template's home is not theirs to land on.
    expect(await homeOf(pipelineOnly)).toBeUndefined();
  });

  it('is the role\'s own homeDashboard over the template\'s: the first of the user\'s roles that names one they may read', async () => {
    const put = await t.put('/api/meta/roles/salesRepPipeline', { ...(await role('salesRepPipeline')), homeDashboard: 'pipelineOverview' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await homeOf(pipelineOnly)).toBe('pipelineOverview');
    expect(await homeOf(rep)).toBe('pipelineOverview');
    // A role's own dashboard the user may not read is passed over (an order's total reads its lines: both are granted).
    const courier = await t.put('/api/meta/roles/courier', { kind: 'role', name: 'courier', label: 'Courier', homeDashboard: 'pipelineOverview', permissions: { salesOrder: { read: 'own' }, orderLine: { read: 'own' } } });
    expect(courier.status, JSON.stringify(courier.body)).toBe(201);
    const driver = await t.createUser({ name: 'Driver', roles: ['courier'] });
    expect(await homeOf(driver)).toBe('ordersOverview');
  });

  it('refuses a homeDashboard that names no dashboard, at its pointer, in the caller\'s language', async () => {
    const doc = { ...(await role('salesRep')), homeDashboard: 'noSuchBoard' };
    const details = expectError(await t.put('/api/meta/roles/salesRep', doc, { 'accept-language': 'zh' }), 400, 'INVALID_METADATA');
    expect(details.map((d) => [d.path, d.message])).toEqual([['/homeDashboard', '引用的仪表板 "noSuchBoard" 不存在']]);
    expect((await role('salesRep'))['homeDashboard']).toBeUndefined();
    // Nor may the dashboard a role lands on go while the role names it.
    const landing = { kind: 'dashboard', name: 'courierDesk', title: 'Deliveries', widgets: { orders: { type: 'metric', title: 'Orders', entity: 'salesOrder', measure: { op: 'count' }, layout: { x: 0, y: 0, w: 4, h: 2 } } } };
    expect((await t.put('/api/meta/dashboards/courierDesk', landing)).status).toBe(201);
    expect((await t.put('/api/meta/roles/courier', { ...(await role('courier')), homeDashboard: 'courierDesk' })).status).toBe(200);
    const removed = expectError(await t.delete('/api/meta/dashboards/courierDesk'), 400, 'INVALID_METADATA');
    expect(removed.map((d) => d.path)).toEqual(['/role/courier/homeDashboard']);
    expect((await t.get('/api/meta/dashboards/courierDesk')).status).toBe(200);
  });
});

describe('a dashboard\'s figures for a caller who may read only some of its widgets', () => {
  it('hold only the widgets over what they read; a dashboard with none is 404', async () => {
    const mixed = {
      kind: 'dashboard', name: 'mixedDesk', title: 'Mixed',
      widgets: {
        orderCount: { type: 'metric', title: 'Orders', entity: 'salesOrder', measure: { op: 'count' }, layout: { x: 0, y: 0, w: 6, h: 2 } },
        dealCount: { type: 'metric', title: 'Deals', entity: 'opportunity', measure: { op: 'count' }, layout: { x: 6, y: 0, w: 6, h: 2 } },
      },
    };
    expect((await t.put('/api/meta/dashboards/mixedDesk', mixed)).status).toBe(201);
    const salesOnly = await t.createUser({ name: 'Sales only', roles: ['salesRep'] });
    const figures = await salesOnly.client.get('/api/dashboards/mixedDesk');
    expect(figures.status).toBe(200);
    expect(Object.keys(figures.body.widgets)).toEqual(['orderCount']);
    expect(JSON.stringify(figures.body)).not.toMatch(/opportunity|dealCount/);
    // As the metadata answers it.
    expect(Object.keys((await salesOnly.client.get('/api/meta/dashboards/mixedDesk')).body.widgets)).toEqual(['orderCount']);
    expectError(await salesOnly.client.get('/api/dashboards/pipelineOverview'), 404, 'NOT_FOUND');
    // The admin still gets every widget.
    expect(Object.keys((await t.get('/api/dashboards/mixedDesk')).body.widgets).sort()).toEqual(['dealCount', 'orderCount']);
  });
});

describe('a template\'s dashboards.byRole', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-home-by-role-'));
    const metric = (entity: string) => ({ n: { type: 'metric', title: 'Count', entity, measure: { op: 'count' }, layout: { x: 0, y: 0, w: 4, h: 2 } } });
    const dir = await writeTemplate(path.join(work, 'notes-lite'), {
      manifest: {
        kind: 'template', name: 'notes-lite', version: '1.0.0', title: 'Notes',
        modules: { main: { label: 'Notes', enabledByDefault: true, items: { entity: ['memo'], role: ['memoWriter', 'memoReader'], dashboard: ['memosAll', 'writerDesk'] } } },
        dashboards: { home: 'memosAll', byRole: { memoWriter: 'writerDesk' } },
      },
      items: [
        { kind: 'entity', name: 'memo', label: 'Memo', titleField: 'title', fields: { title: { type: 'text' } } },
        { kind: 'role', name: 'memoWriter', label: 'Writer', permissions: { memo: { create: true, read: 'all' } } },
        { kind: 'role', name: 'memoReader', label: 'Reader', permissions: { memo: { read: 'all' } } },
        { kind: 'dashboard', name: 'memosAll', title: 'Memos', widgets: metric('memo') },
        { kind: 'dashboard', name: 'writerDesk', title: 'Writing', widgets: metric('memo') },
      ],
    });
    const installed = await t.post('/api/templates/notes-lite/install', { source: { directory: dir } });
    expect(installed.status, JSON.stringify(installed.body).slice(0, 300)).toBe(201);
  });
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('lands a role it names on its dashboard, before any template\'s home; the others on a home', async () => {
    expect(await homeOf(await t.createUser({ name: 'Writer', roles: ['memoWriter'] }))).toBe('writerDesk');
    // The wholesale template, installed first, names no home this role may read: the next template's counts.
    expect(await homeOf(await t.createUser({ name: 'Reader', roles: ['memoReader'] }))).toBe('memosAll');
    // A role's own homeDashboard, earlier in the user's roles, comes first.
    expect(await homeOf(await t.createUser({ name: 'Both', roles: ['salesRepPipeline', 'memoWriter'] }))).toBe('pipelineOverview');
  });
});
