// The template lifecycle over real HTTP with the fixture template `desk` (test/fixtures/templates,
// 1.0.0 and 2.0.0, found through CRM_TEMPLATE_DIRS): install with sample data, modules switched on
// one at a time, five kinds of admin change kept as an overlay through the upgrade, the conflicts
// reported, dry-run counts equal to what apply does, a refused upgrade that changes nothing,
// modules off and on, uninstall and reinstall.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allRecords, expectOk, fixturesDir, snapshot } from './template-helpers.ts';

describe('template lifecycle: desk 1.0.0 → 2.0.0 under the admin’s changes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { CRM_TEMPLATE_DIRS: fixturesDir } });
  });
  afterAll(async () => server.close());

  const meta = async (kind: string, name: string) => {
    const res = await server.get(`/api/meta/${kind}/${name}`);
    expectOk(res);
    return res.body;
  };

  it('lists the bundled template with both versions and its modules, not installed', async () => {
    const res = await server.get('/api/templates');
    expectOk(res);
    const desk = res.body.templates.find((t: { name: string }) => t.name === 'desk');
    expect(desk.available.map((a: { version: string }) => a.version)).toEqual(['2.0.0', '1.0.0']);
    expect(desk.installed).toBeUndefined();
    expect(desk.modules.map((m: { name: string; on: boolean; dependsOn: string[] }) => [m.name, m.on, m.dependsOn])).toEqual([
      ['customers', false, []],
      ['tickets', false, ['customers']],
    ]);
  });

  it('refuses the lifecycle to a user who is not an admin', async () => {
    const user = await server.createUser();
    expectError(await user.client.get('/api/templates'), 403, 'FORBIDDEN');
    expectError(await user.client.post('/api/templates/desk/install', {}), 403, 'FORBIDDEN');
    expect([401, 403]).toContain((await server.anonymous.get('/api/templates')).status);
  });

  it('installs 1.0.0 with its sample data: the default module only', async () => {
    const dry = await server.post('/api/templates/desk/install?dryRun=1', { version: '1.0.0', sampleData: true });
    expectOk(dry);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, issues: [], toVersion: '1.0.0' });
    expect(dry.body.items.map((i: { kind: string; name: string; action: string }) => `${i.action} ${i.kind} ${i.name}`).sort()).toEqual([
      'create entity customer', 'create form customerMain', 'create role deskClerk', 'create view customerList',
    ]);
    expect(dry.body.sampleData).toEqual([{ entity: 'customer', file: 'sample-data/customer.json', records: 20, loaded: 20, skipped: 0 }]);
    expectError(await server.get('/api/meta/entities/customer'), 404);

    const res = await server.post('/api/templates/desk/install', { version: '1.0.0', sampleData: true });
    expectOk(res, 201);
    expect(res.body.sampleData).toEqual(dry.body.sampleData);
    expect(res.body.modules).toEqual([{ name: 'customers', on: true }, { name: 'tickets', on: false }]);
    expect(await allRecords(server, 'customer')).toHaveLength(20);
    expectError(await server.get('/api/meta/entities/ticket'), 404);
    const listed = (await server.get('/api/meta/entities')).body.items.find((e: { name: string }) => e.name === 'customer');
    expect(listed.layers).toEqual(['template:desk']);
    expect(listed.origin).toEqual({ by: 'template', template: 'desk', version: '1.0.0' });
    expectError(await server.post('/api/templates/desk/install', { version: '1.0.0' }), 409, 'CONFLICT');
  });

  it('switches modules on one at a time (tickets with its sample data), and refuses to switch off what another needs', async () => {
    // An item of the admin's own with the name of a template item is never taken over silently.
    expectOk(await server.put('/api/meta/entities/ticket', { kind: 'entity', name: 'ticket', label: 'Mine', fields: { note: { type: 'text' } } }), 201);
    const clash = expectError(await server.post('/api/templates/desk/modules/tickets', { enabled: true }), 409, 'CONFLICT');
    expect(clash.map((d) => d.path)).toEqual(['/entity/ticket']);
    expectOk(await server.delete('/api/meta/entities/ticket'));
    const res = await server.post('/api/templates/desk/modules/tickets', { enabled: true, sampleData: true });
    expectOk(res);
    expect(res.body.items.map((i: { kind: string; name: string }) => `${i.kind} ${i.name}`).sort()).toEqual(['entity ticket', 'role ticketAgent', 'view ticketBoard', 'workflow ticketFlow']);
    expect(res.body.sampleData).toMatchObject([{ entity: 'ticket', loaded: 30 }]);
    expect(await allRecords(server, 'ticket')).toHaveLength(30);
    const refused = expectError(await server.post('/api/templates/desk/modules/customers', { enabled: false }), 409, 'CONFLICT');
    expect(refused.map((d) => d.path)).toEqual(['/modules/tickets']);
    expectError(await server.post('/api/templates/desk/modules/nothing', { enabled: true }), 404);
    expectError(await server.post('/api/templates/desk/modules/tickets', { enabled: 'yes' }), 400);
  });

  it('keeps five kinds of admin change as an overlay on the template’s base', async () => {
    // 1. A field of the admin's own on a template entity.
    const customer = await meta('entities', 'customer');
    customer.fields.nickname = { type: 'text', label: { en: 'Nickname', zh: '昵称' }, maxLength: 40 };
    expectOk(await server.put('/api/meta/entities/customer', customer));
    // 2. Relabels: one the template leaves alone, one it relabels too (v2), one of a field it drops (v2).
    const relabel = await meta('entities', 'customer');
    relabel.fields.name.label = { en: 'Full name', zh: '全名' };
    relabel.fields.phone.label = { en: 'Mobile', zh: '手机' };
    relabel.fields.fax.label = { en: 'Fax (legacy)', zh: '传真（旧）' };
    expectOk(await server.put('/api/meta/entities/customer', relabel));
    // 3. A picklist option.
    const option = await meta('entities', 'customer');
    option.fields.tier.options.vip = { label: { en: 'VIP', zh: '贵宾' } };
    expectOk(await server.put('/api/meta/entities/customer', option));
    // 4. A workflow state and transitions (and the state as an option of the field it drives), in one revision.
    const ticket = await meta('entities', 'ticket');
    ticket.fields.state.options.escalated = { label: 'Escalated' };
    const flow = await meta('workflows', 'ticketFlow');
    flow.states.escalated = { label: { en: 'Escalated', zh: '已升级' }, order: 25 };
    flow.transitions.escalate = { label: { en: 'Escalate', zh: '升级' }, from: 'open', to: 'escalated' };
    flow.transitions.closeEscalated = { label: { en: 'Close', zh: '关闭' }, from: 'escalated', to: 'closed' };
    expectOk(await server.post('/api/meta/apply', [ticket, flow]));
    // 5. A form change: the new field placed, a field moved.
    const form = await meta('forms', 'customerMain');
    form.sections.main.fields.nickname = { order: 15 };
    form.sections.main.fields.code.order = 5;
    expectOk(await server.put('/api/meta/forms/customerMain', form));

    const entities = (await server.get('/api/meta/entities')).body.items;
    expect(entities.find((e: { name: string }) => e.name === 'customer').layers).toEqual(['template:desk', 'admin']);
    // The records API follows at once.
    const created = await server.post('/api/data/customer', { name: 'Overlay Ltd', nickname: 'OL', tier: 'vip' });
    expectOk(created, 201);
  });

  // Customers holding a fax number, which 2.0.0 drops: a refused upgrade keeps them, the applied one takes them out.
  const faxes = new Map<string, string>();
  it('customers hold fax numbers (every third one)', async () => {
    for (const [i, record] of (await allRecords(server, 'customer')).entries()) {
      if (i % 3 !== 0) continue;
      const fax = `+86 10 6666 ${String(i).padStart(4, '0')}`;
      expectOk(await server.patch(`/api/data/customer/${String(record['id'])}`, { fax }));
      faxes.set(String(record['id']), fax);
    }
    expect(faxes.size).toBeGreaterThan(0);
  });

  it('a refused upgrade leaves metadata, data and template state exactly as before', async () => {
    // 2.0.0 makes `code` unique; two records now share C001.
    expectOk(await server.post('/api/data/customer', { name: 'Copycat', code: 'C001' }), 201);
    const before = await snapshot(server);
    const dry = await server.post('/api/templates/desk/upgrade?dryRun=1', {});
    expectOk(dry);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'customer', path: '/fields/code', code: 'UNIQUE_INDEX' })]);
    // Worded in the caller's language.
    const dryZh = await server.post('/api/templates/desk/upgrade?dryRun=1', {}, { 'accept-language': 'zh-CN' });
    expect(dryZh.body.issues[0].message).toMatch(/^2 条记录在 code 上有相同的值/);
    const refused = expectError(await server.post('/api/templates/desk/upgrade', {}), 409, 'UNIQUE_VIOLATION');
    expect(refused[0]!.path).toBe('/entity/customer/fields/code');
    expect(await snapshot(server)).toEqual(before);
    const copycat = (await allRecords(server, 'customer')).find((c) => c['name'] === 'Copycat')!;
    expectOk(await server.delete(`/api/data/customer/${String(copycat['id'])}`), 204);
  });

  let dryRun: any;
  it('the upgrade’s dry run shows the item diff, the conflicts with the overlay and the records the new rules refuse', async () => {
    const before = await snapshot(server);
    const res = await server.post('/api/templates/desk/upgrade?dryRun=1', {});
    expectOk(res);
    dryRun = res.body;
    expect(dryRun).toMatchObject({ dryRun: true, applied: false, fromVersion: '1.0.0', toVersion: '2.0.0', issues: [] });
    const items = Object.fromEntries(dryRun.items.map((i: { kind: string; name: string; changes: { path: string }[] }) => [`${i.kind} ${i.name}`, i.changes.map((c) => c.path)]));
    expect(Object.keys(items).sort()).toEqual(['entity customer', 'entity ticket', 'form customerMain', 'workflow ticketFlow']);
    expect(items['entity customer']).toEqual(expect.arrayContaining(['/fields/code/unique', '/fields/fax', '/fields/website', '/fields/tier/options/platinum', '/rules']));
    expect(items['entity customer']).not.toContain('/fields/phone/label/en'); // the admin's label stays
    expect(items['workflow ticketFlow']).toEqual(expect.arrayContaining(['/states/waiting', '/transitions/wait', '/transitions/resume', '/transitions/close/from']));
    const conflicts = dryRun.overlayConflicts.map((c: { kind: string; name: string; path: string; type: string; resolution: string }) => `${c.kind} ${c.name} ${c.path} ${c.type} ${c.resolution}`);
    expect(conflicts.sort()).toEqual([
      'entity customer /fields/fax removedByTemplate overlayDropped',
      'entity customer /fields/phone/label/en bothChanged overlayKept',
      'entity customer /fields/phone/label/zh bothChanged overlayKept',
    ]);
    // Three gold customers of the sample data have no e-mail: 2.0.0's new rule refuses them.
    const customerImpact = dryRun.impact.find((i: { entity: string }) => i.entity === 'customer');
    expect(customerImpact).toMatchObject({ records: 21, invalid: 3 });
    expect(customerImpact.examples.map((e: { id: string }) => e.id).sort()).toEqual(['01JDESKC000000000000000002', '01JDESKC000000000000000006', '01JDESKC000000000000000010']);
    expect(dryRun.impact.find((i: { entity: string }) => i.entity === 'ticket')).toMatchObject({ records: 30, invalid: 0 });
    expect(customerImpact.removedFields).toEqual([{ field: 'fax', records: faxes.size }]);
    expect(await snapshot(server)).toEqual(before);
  });

  it('applies the upgrade: the counts are the dry run’s, and all five admin changes survive', async () => {
    const res = await server.post('/api/templates/desk/upgrade', {});
    expectOk(res);
    expect(res.body.applied).toBe(true);
    expect(res.body.items).toEqual(dryRun.items);
    expect(res.body.impact).toEqual(dryRun.impact);
    expect(res.body.overlayConflicts).toEqual(dryRun.overlayConflicts);

    // What the dry run counted is what the new rules now refuse: re-validate every customer.
    let refused = 0;
    for (const record of await allRecords(server, 'customer')) {
      const patched = await server.patch(`/api/data/customer/${String(record['id'])}`, {});
      if (patched.status === 400) refused++;
      else expectOk(patched);
    }
    expect(refused).toBe(dryRun.impact.find((i: { entity: string }) => i.entity === 'customer').invalid);

    const customer = await meta('entities', 'customer');
    expect(customer.fields.nickname).toMatchObject({ type: 'text' }); // 1. the admin's field
    expect(customer.fields.name.label).toEqual({ en: 'Full name', zh: '全名' }); // 2. relabel kept
    expect(customer.fields.phone.label).toEqual({ en: 'Mobile', zh: '手机' }); // 2. the admin wins the conflict
    expect(customer.fields.fax).toBeUndefined(); // 2. the relabel of a dropped field went with it
    expect(Object.keys(customer.fields.tier.options).sort()).toEqual(['bronze', 'gold', 'platinum', 'silver', 'vip']); // 3.
    expect(customer.fields.website).toBeDefined();
    expect(customer.fields.code.unique).toBe(true);
    expect(customer.rules.goldNeedsEmail).toBeDefined();
    const flow = await meta('workflows', 'ticketFlow'); // 4.
    expect(Object.keys(flow.states).sort()).toEqual(['closed', 'escalated', 'new', 'open', 'waiting']);
    expect(Object.keys(flow.transitions).sort()).toEqual(['close', 'closeEscalated', 'escalate', 'resume', 'start', 'wait']);
    expect(flow.transitions.close.from).toEqual(['new', 'open', 'waiting']);
    const form = await meta('forms', 'customerMain'); // 5.
    expect(form.sections.main.fields).toMatchObject({ nickname: { order: 15 }, code: { order: 5 }, website: { order: 60 } });

    const state = (await server.get('/api/templates/desk')).body;
    expect(state.version).toBe('2.0.0');
    expect(state.droppedOverlays).toEqual([expect.objectContaining({ kind: 'entity', name: 'customer', path: '/fields/fax', value: { label: { en: 'Fax (legacy)', zh: '传真（旧）' } }, version: '2.0.0' })]);
    expect(state.history.map((h: { action: string; version: string }) => `${h.action} ${h.version}`)).toEqual(['install 1.0.0', 'enableModule 1.0.0', 'upgrade 2.0.0']);
    const listed = (await server.get('/api/templates')).body.templates.find((t: { name: string }) => t.name === 'desk');
    expect(listed.installed.version).toBe('2.0.0');
    expect(listed.upgradeTo).toBeUndefined();
    expectError(await server.post('/api/templates/desk/upgrade', {}), 409, 'CONFLICT'); // nothing newer
  });

  it('the upgrade took fax out of the customers: re-added as a number it reads empty, and the trail keeps the old values', async () => {
    const customers = await allRecords(server, 'customer');
    expect(customers.filter((c) => c['fax'] !== undefined)).toEqual([]);
    const customer = await meta('entities', 'customer');
    customer.fields.fax = { type: 'number' };
    expectOk(await server.put('/api/meta/entities/customer', customer));
    for (const record of await allRecords(server, 'customer')) expect(record['fax'], String(record['id'])).toBeUndefined();
    const listed = await server.get(`/api/data/customer?filter=${encodeURIComponent(JSON.stringify({ fax: { $exists: true } }))}&total=1`);
    expectOk(listed);
    expect(listed.body.total).toBe(0);
    for (const [id, fax] of faxes) {
      const history = (await server.get(`/api/data/customer/${id}/history`)).body.items as { changes: Record<string, { after?: unknown }> }[];
      expect(history.map((e) => e.changes['fax']?.after).filter((v) => v !== undefined)).toEqual([fax]);
    }
  });

  it('the upgraded workflow runs with the template’s and the admin’s states', async () => {
    const customer = (await allRecords(server, 'customer'))[0]!;
    const ticket = await server.post('/api/data/ticket', { subject: 'Printer on fire', customer: customer['id'] });
    expectOk(ticket, 201);
    expect(ticket.body.state).toBe('new');
    for (const step of ['start', 'escalate', 'closeEscalated']) expectOk(await server.post(`/api/data/ticket/${String(ticket.body.id)}/transitions/${step}`, {}));
    expect((await server.get(`/api/data/ticket/${String(ticket.body.id)}`)).body.state).toBe('closed');
  });

  it('switching a module off hides its items and keeps its data; on again shows both, with the overlay', async () => {
    const dry = await server.post('/api/templates/desk/modules/tickets?dryRun=1', { enabled: false });
    expectOk(dry);
    expect(dry.body.items.map((i: { action: string; kind: string; name: string }) => `${i.action} ${i.kind} ${i.name}`).sort()).toEqual([
      'delete entity ticket', 'delete role ticketAgent', 'delete view ticketBoard', 'delete workflow ticketFlow',
    ]);
    expectOk(await server.post('/api/templates/desk/modules/tickets', { enabled: false }));
    expectError(await server.get('/api/meta/entities/ticket'), 404);
    expectError(await server.get('/api/meta/workflows/ticketFlow'), 404);
    expectError(await server.get('/api/data/ticket'), 404);
    const on = await server.post('/api/templates/desk/modules/tickets', { enabled: true });
    expectOk(on);
    expect(on.body.impact).toEqual([expect.objectContaining({ entity: 'ticket', records: 31, invalid: 0 })]);
    expect(await allRecords(server, 'ticket')).toHaveLength(31);
    expect(Object.keys((await meta('workflows', 'ticketFlow')).states)).toContain('escalated');
  });

  it('uninstall keeps the data (dry run first); reinstalling finds the records and the admin’s overlay again', async () => {
    // An item of the admin's own that uses the template's entity holds the uninstall up, by name.
    expectOk(await server.put('/api/meta/views/myCustomers', { kind: 'view', name: 'myCustomers', entity: 'customer', label: 'Mine', type: 'list', columns: { name: { order: 1 } } }), 201);
    const held = expectError(await server.delete('/api/templates/desk'), 400, 'INVALID_METADATA');
    expect(held.map((d) => d.path)).toContain('/view/myCustomers/entity');
    expectOk(await server.delete('/api/meta/views/myCustomers'));
    const dry = await server.delete('/api/templates/desk?dryRun=1');
    expectOk(dry);
    expect(dry.body.items.every((i: { action: string }) => i.action === 'delete')).toBe(true);
    expect(dry.body.items).toHaveLength(8);
    expect(dry.body.deletedData).toEqual([]);
    const res = await server.delete('/api/templates/desk');
    expectOk(res);
    expectError(await server.get('/api/meta/entities/customer'), 404);
    expectError(await server.get('/api/data/customer'), 404);
    expectError(await server.get('/api/templates/desk'), 404);
    expect((await server.get('/api/templates')).body.templates.find((t: { name: string }) => t.name === 'desk').installed).toBeUndefined();

    const again = await server.post('/api/templates/desk/install', { modules: ['tickets'], sampleData: true });
    expectOk(again, 201);
    expect(again.body.toVersion).toBe('2.0.0');
    // Every sample record is still there: nothing loaded twice.
    expect(again.body.sampleData.map((s: { entity: string; loaded: number; skipped: number }) => [s.entity, s.loaded, s.skipped])).toEqual([['customer', 0, 20], ['ticket', 0, 30]]);
    expect(await allRecords(server, 'customer')).toHaveLength(21);
    expect(await allRecords(server, 'ticket')).toHaveLength(31);
    const customer = await meta('entities', 'customer');
    expect(customer.fields.nickname).toBeDefined();
    expect(customer.fields.phone.label).toEqual({ en: 'Mobile', zh: '手机' });
    expect((await allRecords(server, 'customer')).find((c) => c['name'] === 'Overlay Ltd')).toMatchObject({ nickname: 'OL', tier: 'vip' });
  });

  it('uninstall with deleteData removes the records and the admin’s overlays too', async () => {
    const dry = await server.delete('/api/templates/desk?dryRun=1&deleteData=1');
    expectOk(dry);
    expect(dry.body.deletedData.sort((a: { entity: string }, b: { entity: string }) => a.entity.localeCompare(b.entity))).toEqual([{ entity: 'customer', records: 21 }, { entity: 'ticket', records: 31 }]);
    expectOk(await server.delete('/api/templates/desk?deleteData=1'));
    expectOk(await server.post('/api/templates/desk/install', {}), 201);
    expect(await allRecords(server, 'customer')).toHaveLength(0);
    const customer = await meta('entities', 'customer');
    expect(customer.fields.nickname).toBeUndefined();
    expect(customer.fields.phone.label).toEqual({ en: 'Main phone', zh: '主要电话' });
  });
});
