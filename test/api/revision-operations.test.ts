// The revisions API says what each revision did as data a client can put in its own language: the
// operation that wrote it (a template step, a refactoring, a revert) and each item with its label (a dashboard's title),
// beside the English `message` older clients read — over real HTTP. Revisions stored before the
// operation was, are read back from their message.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFromMessage } from '../../engine/metadata/revision-operation.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata } from './api-helpers.ts';
import { bundledVersion } from '../templates/template-helpers.ts';

const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '商机' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, amount: { type: 'integer' } },
};
const bigDeals = { kind: 'view', name: 'bigDeals', entity: 'deal', label: { en: 'Big deals', zh: '大单' }, type: 'list', columns: { name: { order: 10 } } };
const pipeline = {
  kind: 'dashboard', name: 'pipeline', title: { en: 'Pipeline', zh: '销售漏斗' },
  widgets: { count: { type: 'metric', title: { en: 'Deals', zh: '商机' }, entity: 'deal', measure: { op: 'count' }, layout: { x: 0, y: 0, w: 3, h: 2 } } },
};

type Revision = { revision: number; message: string; operation?: Record<string, unknown>; changes: Record<string, unknown>[] };

describe('revisions as data', () => {
  let server: TestServer;
  const revisions = async () => (await server.get('/api/meta/revisions')).body.items as Revision[];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('a template step: its template, action, version and title; its items with their labels', async () => {
    const installed = await server.post('/api/templates/services/install', { sampleData: false, modules: ['clients'] });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    const [install] = await revisions();
    expect(install).toMatchObject({
      message: `template services: install ${bundledVersion('services')}`,
      operation: { type: 'template', template: 'services', action: 'install', version: bundledVersion('services'), title: { en: 'Services', zh: '售后服务' } },
    });
    expect(install!.changes).toContainEqual({ kind: 'entity', name: 'account', action: 'create', label: expect.objectContaining({ zh: expect.any(String) }) });
    // Only kind, name, action and label: the list stays small, the documents are in the diff.
    expect(Object.keys(install!.changes[0]!).sort()).toEqual(expect.arrayContaining(['action', 'kind', 'name']));
    expect(install!.changes.every((c) => !('before' in c) && !('after' in c))).toBe(true);
  });

  it('a module switched on or off: the revision names the module and its label', async () => {
    const on = await server.post('/api/templates/services/modules/serviceDesk', { enabled: true, sampleData: false });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const [enable] = await revisions();
    expect(enable).toMatchObject({
      revision: on.body.revision, message: 'template services: enableModule serviceDesk',
      operation: { type: 'template', template: 'services', action: 'enableModule', module: 'serviceDesk', moduleLabel: { en: 'Service desk', zh: '服务台' }, title: { en: 'Services', zh: '售后服务' } },
    });
    expect(enable!.operation).not.toHaveProperty('version');
    const off = await server.post('/api/templates/services/modules/serviceDesk', { enabled: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const [disable] = await revisions();
    expect(disable).toMatchObject({ message: 'template services: disableModule serviceDesk', operation: { action: 'disableModule', module: 'serviceDesk', moduleLabel: { en: 'Service desk', zh: '服务台' } } });
    // One revision's diff says the same.
    expect((await server.get(`/api/meta/revisions/${disable!.revision}/diff`)).body.operation).toMatchObject({ action: 'disableModule', module: 'serviceDesk' });
  });

  it('a plain change has no operation; a dashboard goes by its title; a delete keeps the label it had', async () => {
    await applyMetadata(server, [deal, bigDeals, pipeline]);
    const [created] = await revisions();
    expect(created!.operation).toBeUndefined();
    expect(created!.message).toBe('create entity deal; create view bigDeals; create dashboard pipeline');
    expect(created!.changes).toEqual([
      { kind: 'entity', name: 'deal', action: 'create', label: { en: 'Deal', zh: '商机' } },
      { kind: 'view', name: 'bigDeals', action: 'create', label: { en: 'Big deals', zh: '大单' } },
      { kind: 'dashboard', name: 'pipeline', action: 'create', label: { en: 'Pipeline', zh: '销售漏斗' } },
    ]);
    expect((await server.delete('/api/meta/views/bigDeals')).status).toBe(200);
    const [deleted] = await revisions();
    expect(deleted!.changes).toEqual([{ kind: 'view', name: 'bigDeals', action: 'delete', label: { en: 'Big deals', zh: '大单' } }]);
    // The diff of one revision says the same, beside each item's before, after and diff.
    const diff = (await server.get(`/api/meta/revisions/${deleted!.revision}/diff`)).body;
    expect(diff.operation).toBeUndefined();
    expect(diff.changes[0]).toMatchObject({ kind: 'view', name: 'bigDeals', action: 'delete', label: { en: 'Big deals', zh: '大单' }, before: bigDeals });
  });

  it('refactorings and a revert say what they did', async () => {
    const renamed = await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'amount', to: 'total', apply: true });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const [rename] = await revisions();
    expect(rename).toMatchObject({ message: 'rename deal.amount → total', operation: { type: 'renameField', entity: 'deal', field: 'amount', to: 'total' } });

    const changed = await server.post('/api/meta/refactor/change-type', { entity: 'deal', field: 'total', definition: { type: 'number' }, apply: true });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const [typeChange] = await revisions();
    expect(typeChange).toMatchObject({ message: 'change deal.total: integer → number', operation: { type: 'changeFieldType', entity: 'deal', field: 'total', from: 'integer', to: 'number' } });

    const reverted = await server.post(`/api/meta/revisions/${rename!.revision}/revert`);
    expect(reverted.status, JSON.stringify(reverted.body)).toBe(200);
    const [revert] = await revisions();
    expect(revert).toMatchObject({ revision: reverted.body.revision, message: `revert to revision ${rename!.revision}`, operation: { type: 'revert', revision: rename!.revision } });
    expect((await server.get(`/api/meta/revisions/${revert!.revision}/diff`)).body.operation).toEqual({ type: 'revert', revision: rename!.revision });
  });

  it('dry runs name each item by its label, as revisions do: a template step, a revert, a configuration import', async () => {
    type Item = { kind: string; name: string; action: string; label?: unknown };
    const find = (items: Item[], kind: string, name: string) => items.find((i) => i.kind === kind && i.name === name);
    // A template step's dry run (switching a module on): the items it brings, by their labels.
    const step = await server.post('/api/templates/services/modules/care?dryRun=1', { enabled: true });
    expect(step.status, JSON.stringify(step.body)).toBe(200);
    expect(find(step.body.items, 'entity', 'careCall')).toMatchObject({ action: 'create', label: { en: 'Care call', zh: '关怀回访' } });
    expect(find(step.body.items, 'workflow', 'careCallFlow')?.label).toMatchObject({ zh: expect.stringMatching(/[\u4e00-\u9fff]/) });
    // A revert's dry run: the view the revert deletes goes by the label it has now; the dashboard by its title.
    const [created] = (await revisions()).filter((r) => r.message.startsWith('create entity deal'));
    await server.put('/api/meta/views/wonDeals', { kind: 'view', name: 'wonDeals', entity: 'deal', label: { en: 'Won deals', zh: '赢单' }, type: 'list', columns: { name: { order: 10 } } });
    const revert = await server.post(`/api/meta/revisions/${created!.revision}/revert?dryRun=1`, {});
    expect(revert.status, JSON.stringify(revert.body)).toBe(200);
    expect(find(revert.body.changes, 'view', 'wonDeals')).toMatchObject({ action: 'delete', label: { en: 'Won deals', zh: '赢单' } });
    // A configuration import's dry run, into the server it came from after a change: the changed item by its label.
    const bundle = (await server.get('/api/meta/bundle')).body;
    expect((await server.delete('/api/meta/views/wonDeals')).status).toBe(200);
    const imported = await server.post('/api/meta/bundle?dryRun=1', bundle);
    expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBe(200);
    expect(find(imported.body.items, 'view', 'wonDeals')).toMatchObject({ action: 'create', label: { en: 'Won deals', zh: '赢单' } });
  });

  it('the OpenAPI document describes the operation and the labels', async () => {
    const doc = (await server.get('/api/openapi.json')).body;
    const item = doc.paths['/api/meta/revisions'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(['message', 'operation', 'changes']));
    expect(Object.keys(item.properties.changes.items.properties)).toContain('label');
  });
});

describe('revisions stored before operations were', () => {
  it.each([
    ['template services: install 1.0.0', { type: 'template', template: 'services', action: 'install', version: '1.0.0' }],
    ['template desk: uninstall', { type: 'template', template: 'desk', action: 'uninstall' }],
    ['template desk: enableModule 2.0.0', { type: 'template', template: 'desk', action: 'enableModule', version: '2.0.0' }],
    ['template desk: enableModule', { type: 'template', template: 'desk', action: 'enableModule' }],
    ['template desk: disableModule fieldService', { type: 'template', template: 'desk', action: 'disableModule', module: 'fieldService' }],
    ['rename entity account → client', { type: 'renameEntity', from: 'account', to: 'client' }],
    ['rename deal.amount → total', { type: 'renameField', entity: 'deal', field: 'amount', to: 'total' }],
    ['change ticket.channel: text → picklist', { type: 'changeFieldType', entity: 'ticket', field: 'channel', from: 'text', to: 'picklist' }],
    ['import configuration (exported 2026-03-01T09:00:00.000Z at revision 7)', { type: 'importConfiguration', exportedAt: '2026-03-01T09:00:00.000Z', revision: 7 }],
  ])('"%s" is read back as its operation', (message, operation) => {
    expect(operationFromMessage(message)).toEqual(operation);
  });

  it.each(['update entity account; delete view vipAccounts', 'template services: dance 1.0.0', 'create entity template'])('"%s" names no operation', (message) => {
    expect(operationFromMessage(message)).toBeUndefined();
  });
});
