// Two templates side by side sharing an item (an `account` entity both define and both list under
// `shares`): the base is the key-by-key merge of their contributions in install order, records are
// one set, and uninstalling or upgrading one changes only what the other does not contribute —
// the admin's overlay staying on top. An item a template does not share cannot be taken over, and
// a conflicting contribution is refused or yields, as the manifest says.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allRecords, expectOk, sampleId, snapshot, writeTemplate, type TemplateFiles } from './template-helpers.ts';

type Fields = Record<string, Record<string, unknown>>;

function template(args: { name: string; version?: string; label: string; accountFields: Fields; share?: Record<string, unknown> | false; own: string; accounts: { id: string; name: string }[] }): TemplateFiles {
  return {
    manifest: {
      kind: 'template', name: args.name, version: args.version ?? '1.0.0', title: args.name,
      ...(args.share === false ? {} : { shares: { entity: { account: args.share ?? {} } } }),
      modules: { main: { label: 'Main', enabledByDefault: true, items: { entity: ['account', args.own] } } },
      sampleData: { account: { file: 'accounts.json', count: args.accounts.length } },
    },
    items: [
      { kind: 'entity', name: 'account', label: args.label, titleField: 'name', fields: args.accountFields },
      { kind: 'entity', name: args.own, label: args.own, fields: { subject: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' } } },
    ],
    files: { 'accounts.json': args.accounts },
  };
}

const name = { type: 'text', label: 'Name', required: true, maxLength: 120 };
const sales = (version = '1.0.0') =>
  template({
    name: 'sales-lite', version, label: 'Account', own: 'deal',
    accountFields: { name, email: { type: 'email', label: 'E-mail' }, segment: { type: 'picklist', options: { small: { label: 'Small' }, large: { label: 'Large' } } } },
    accounts: [{ id: sampleId('ACC', 1), name: 'Alpha' }, { id: sampleId('ACC', 2), name: 'Beta' }],
  });
const service = (version = '1.0.0', nameField: Record<string, unknown> = name) =>
  template({
    name: 'service-lite', version, label: 'Client', own: 'supportCase', share: { onConflict: 'keepInstalled', note: 'Clients are the sales accounts' },
    accountFields: { name: nameField, phone: { type: 'phone', label: 'Phone' }, segment: { type: 'picklist', options: { small: { label: 'Small' }, public: { label: 'Public sector' } } } },
    accounts: [{ id: sampleId('ACC', 3), name: 'Gamma' }],
  });

describe('two templates sharing an item', () => {
  let server: TestServer;
  let work: string;
  const install = async (files: TemplateFiles, folder: string, body: Record<string, unknown> = {}) =>
    server.post(`/api/templates/${String(files.manifest['name'])}/install`, { ...body, source: { directory: await writeTemplate(path.join(work, folder), files) } });
  const account = async () => (await server.get('/api/meta/entities/account')).body;

  beforeAll(async () => {
    server = await startTestServer();
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-template-share-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it('installs both: the shared entity holds both contributions, the first label, one set of records', async () => {
    expectOk(await install(sales(), 'sales', { sampleData: true }), 201);
    const second = await install(service(), 'service', { sampleData: true });
    expectOk(second, 201);
    expect(second.body.sharedConflicts).toEqual([]);
    const merged = await account();
    expect(Object.keys(merged.fields).sort()).toEqual(['email', 'name', 'phone', 'segment']);
    expect(Object.keys(merged.fields.segment.options).sort()).toEqual(['large', 'public', 'small']);
    expect(merged.label).toBe('Account');
    const listed = (await server.get('/api/meta/entities')).body.items.find((e: { name: string }) => e.name === 'account');
    expect(listed.layers).toEqual(['template:sales-lite', 'template:service-lite']);
    expect((await allRecords(server, 'account')).map((a) => a['name'])).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect((await server.get('/api/meta/entities/deal')).status).toBe(200);
    expect((await server.get('/api/meta/entities/supportCase')).status).toBe(200);
  });

  it('refuses a template that defines the shared item without sharing it, and one whose conflicting share says refuse', async () => {
    const before = await snapshot(server);
    const unshared = template({ name: 'grabber', label: 'Mine', own: 'grab', share: false, accountFields: { name }, accounts: [] });
    const refused = expectError(await install(unshared, 'grabber'), 409, 'CONFLICT');
    expect(refused[0]!.path).toBe('/entity/account');
    expect(refused[0]!.message).toContain('grabber does not share it');
    const clash = template({ name: 'clash', label: 'Clash', own: 'clashCase', share: { onConflict: 'refuse' }, accountFields: { name: { ...name, type: 'textarea' } }, accounts: [] });
    const dry = await server.post('/api/templates/clash/install?dryRun=1', { source: { directory: await writeTemplate(path.join(work, 'clash'), clash) } });
    expect(dry.body.sharedConflicts).toEqual([expect.objectContaining({ path: '/fields/name/type', installedBy: 'sales-lite', incomingBy: 'clash', installed: 'text', incoming: 'textarea', resolution: 'refused' })]);
    const refusedClash = expectError(await install(clash, 'clash'), 409, 'CONFLICT');
    expect(refusedClash.map((d) => d.path)).toEqual(['/entity/account/fields/name/type']);
    expect(await snapshot(server)).toEqual(before);
  });

  it('the admin’s overlay sits on the merged base; upgrading one template yields where its share says keepInstalled', async () => {
    const overlay = await account();
    overlay.fields.vatNumber = { type: 'text', label: 'VAT no.', maxLength: 30 };
    overlay.fields.phone.label = 'Switchboard';
    expectOk(await server.put('/api/meta/entities/account', overlay));
    const upgraded = await install(service('1.1.0', { ...name, maxLength: 80 }), 'service-1.1', {});
    expectError(upgraded, 409); // installed already: upgrade instead
    const res = await server.post('/api/templates/service-lite/upgrade', { source: { directory: path.join(work, 'service-1.1') } });
    expectOk(res);
    expect(res.body.sharedConflicts).toEqual([expect.objectContaining({ path: '/fields/name/maxLength', installed: 120, incoming: 80, resolution: 'installedKept' })]);
    const merged = await account();
    expect(merged.fields.name.maxLength).toBe(120);
    expect(merged.fields.vatNumber).toBeDefined();
    expect(merged.fields.phone.label).toBe('Switchboard');
  });

  it('a template that depends on another installs only after it, and holds its uninstall up', async () => {
    const addOn = (dependencies: Record<string, string>) => ({
      manifest: { kind: 'template', name: 'deal-extras', version: '1.0.0', title: 'Deal extras', dependencies, modules: { main: { label: 'Main', items: { view: ['bigDeals'] } } } },
      items: [{ kind: 'view', name: 'bigDeals', entity: 'deal', label: 'Big deals', type: 'list', columns: { subject: { order: 1 } } }],
    });
    const missing = expectError(await install(addOn({ 'sales-lite': '^2.0.0' }), 'extras-2'), 409, 'CONFLICT');
    expect(missing.map((d) => d.path)).toEqual(['/dependencies/sales-lite']);
    expectOk(await install(addOn({ 'sales-lite': '^1.0.0' }), 'extras-1'), 201);
    expectError(await server.delete('/api/templates/sales-lite'), 409, 'CONFLICT');
    expectOk(await server.delete('/api/templates/deal-extras'));
  });

  it('uninstalling one removes only what the other does not contribute; data and overlay stay; reinstall brings it back', async () => {
    const res = await server.delete('/api/templates/service-lite');
    expectOk(res);
    expect(res.body.items.map((i: { action: string; kind: string; name: string }) => `${i.action} ${i.kind} ${i.name}`).sort()).toEqual(['delete entity supportCase', 'update entity account']);
    const remaining = await account();
    expect(Object.keys(remaining.fields).sort()).toEqual(['email', 'name', 'segment', 'vatNumber']);
    expect(Object.keys(remaining.fields.segment.options).sort()).toEqual(['large', 'small']);
    // The overlay's relabel of phone went with the field, and is kept in the remaining template's state.
    expect(res.body.overlayConflicts).toEqual([expect.objectContaining({ kind: 'entity', name: 'account', path: '/fields/phone', type: 'removedByTemplate' })]);
    expect((await server.get('/api/templates/sales-lite')).body.droppedOverlays).toEqual([expect.objectContaining({ path: '/fields/phone', value: { label: 'Switchboard' } })]);
    expect(await allRecords(server, 'account')).toHaveLength(3);
    expectOk(await server.post('/api/templates/service-lite/install', { source: { directory: path.join(work, 'service-1.1') } }), 201);
    expect(Object.keys((await account()).fields).sort()).toEqual(['email', 'name', 'phone', 'segment', 'vatNumber']);
    expect((await server.get('/api/meta/entities')).body.items.find((e: { name: string }) => e.name === 'account').layers).toEqual(['template:sales-lite', 'template:service-lite', 'admin']);
  });
});
