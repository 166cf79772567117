// Moving the configuration between instances, over real HTTP: the bundle exported from one server
// (services with two modules, the admin's overlay over a template item and an item of their own)
// imported into a fresh one — the dry run lists every item and changes nothing, the import needs the
// dry run's baseRevision, and afterwards both servers answer the same metadata and template state.
// Also: the admin's overlays beside the template's base, a revert's dry run, template uploads.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allKinds } from '../../engine/kinds/registry.ts';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { bundledVersion, deskV1, deskV2, expectOk } from './template-helpers.ts';

/** Every item of every kind, as an admin reads it (origin and layers included). */
async function metadataOf(server: TestServer): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of allKinds()) {
    const res = await server.get(`/api/meta/${kind.plural}`);
    expectOk(res);
    out[kind.plural] = res.body.items;
  }
  return out;
}

/** What the template listing says about what is installed (not where the bundled folders are). */
async function installedOf(server: TestServer) {
  const res = await server.get('/api/templates');
  expectOk(res);
  return (res.body.templates as { name: string; installed?: { version: string }; modules: { name: string; on: boolean }[] }[])
    .filter((t) => t.installed)
    .map((t) => ({ name: t.name, version: t.installed!.version, modules: t.modules }));
}

async function upload(server: TestServer, content: Buffer | string) {
  const body = typeof content === 'string' ? content : new Uint8Array(content);
  const res = await fetch(`${server.url}/api/templates/uploads`, { method: 'POST', headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'application/gzip' }, body });
  return { status: res.status, body: (await res.json()) as any };
}

describe('configuration bundle: export from one server, import into a fresh one', () => {
  let source: TestServer;
  let target: TestServer;
  let bundle: any;

  beforeAll(async () => {
    [source, target] = await Promise.all([startTestServer(), startTestServer()]);
    expectOk(await source.post('/api/templates/services/install', { modules: ['clients', 'serviceDesk'] }), 201);
    // An overlay over a template item, and an item of the admin's own.
    const account = (await source.get('/api/meta/entities/account')).body;
    account.fields.name.label = { en: 'Client name', zh: '客户名称' };
    account.fields.vipSince = { type: 'date', label: { en: 'VIP since', zh: '贵宾起始日' } };
    expectOk(await source.put('/api/meta/entities/account', account));
    expectOk(await source.put('/api/meta/views/vipAccounts', { kind: 'view', name: 'vipAccounts', entity: 'account', type: 'list', label: 'VIP accounts', columns: { name: { order: 1 }, vipSince: { order: 2 } } }), 201);
  }, 240_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('the admin’s overlays are listed apart from the template’s base', async () => {
    const res = await source.get('/api/meta/overlays');
    expectOk(res);
    const account = res.body.items.find((i: { kind: string; name: string }) => i.kind === 'entity' && i.name === 'account');
    expect(account).toMatchObject({ templates: ['services'], dormant: false, overlay: { fields: { name: { label: { en: 'Client name', zh: '客户名称' } } } } });
    expect(account.base.fields.name.label.en).not.toBe('Client name');
    expect(account.changes.map((c: { path: string }) => c.path).sort()).toEqual(['/fields/name/label/en', '/fields/name/label/zh', '/fields/vipSince']);
    expect(res.body.adminItems).toEqual([{ kind: 'view', name: 'vipAccounts' }]);
  });

  it('exports every layer of every item and the templates’ state as one bundle', async () => {
    const res = await source.get('/api/meta/bundle');
    expectOk(res);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="crm-configuration-r\d+-/);
    bundle = res.body;
    expect(bundle).toMatchObject({ format: 'crm-configuration', formatVersion: 1, revision: (await source.get('/api/health')).body.revision });
    expect(bundle.templates.map((t: { name: string; modulesOn: string[] }) => [t.name, t.modulesOn])).toEqual([['services', ['clients', 'serviceDesk']]]);
    const layers = bundle.layers.filter((l: { kind: string; name: string }) => l.kind === 'entity' && l.name === 'account').map((l: { layer: string; format: string }) => `${l.layer} ${l.format}`);
    expect(layers).toEqual(['admin patch', 'template:services document']);
    // Every item the source answers is in it: roles and workflows included.
    const meta = await metadataOf(source);
    const items = new Set(bundle.layers.map((l: { kind: string; name: string }) => `${l.kind}/${l.name}`));
    const expected = allKinds().flatMap((k) => (meta[k.plural] as { name: string }[]).map((i) => `${k.kind}/${i.name}`));
    expect([...items].sort()).toEqual(expected.sort());
    expect(expected.some((k) => k.startsWith('role/'))).toBe(true);
    expect(expected.some((k) => k.startsWith('workflow/'))).toBe(true);
  });

  it('the import’s dry run into a fresh server lists every item as new and changes nothing', async () => {
    const before = await metadataOf(target);
    const revision = (await target.get('/api/health')).body.revision;
    const res = await target.post('/api/meta/bundle?dryRun=1', bundle);
    expectOk(res);
    expect(res.body).toMatchObject({ dryRun: true, applied: false, valid: true, issues: [], baseRevision: revision, templates: [{ name: 'services', action: 'create', toVersion: bundledVersion('services') }] });
    const items = new Set(bundle.layers.map((l: { kind: string; name: string }) => `${l.kind}/${l.name}`));
    expect(res.body.items.map((i: { kind: string; name: string }) => `${i.kind}/${i.name}`).sort()).toEqual([...items].sort());
    expect(res.body.items.every((i: { action: string }) => i.action === 'create')).toBe(true);
    expect(await metadataOf(target)).toEqual(before);
    expect(await installedOf(target)).toEqual([]);
  });

  it('refuses an import without the dry run’s baseRevision, with a stale one, a malformed bundle, and for a non-admin', async () => {
    const missing = expectError(await target.post('/api/meta/bundle', bundle), 400, 'BAD_REQUEST');
    expect(missing.map((d) => d.path)).toEqual(['/query/baseRevision']);
    expectError(await target.post('/api/meta/bundle?baseRevision=999', bundle), 409, 'CONFLICT');
    const malformed = expectError(await target.post('/api/meta/bundle?dryRun=1', { ...bundle, format: 'zip', layers: 'all' }), 400, 'BAD_REQUEST');
    expect(malformed.map((d) => d.path)).toEqual(['/format', '/layers']);
    const broken = structuredClone(bundle);
    broken.layers[0].format = 'diff';
    expect(expectError(await target.post('/api/meta/bundle?dryRun=1', broken), 400, 'BAD_REQUEST').map((d) => d.path)).toEqual(['/layers/0/format']);
    const clerk = await target.createUser();
    expectError(await clerk.client.get('/api/meta/bundle'), 403, 'FORBIDDEN');
    expectError(await clerk.client.post('/api/meta/bundle?dryRun=1', bundle), 403, 'FORBIDDEN');
  });

  it('imports: afterwards both servers answer the same metadata and template state; importing again changes nothing', async () => {
    const dry = await target.post('/api/meta/bundle?dryRun=1', bundle);
    const res = await target.post(`/api/meta/bundle?baseRevision=${dry.body.baseRevision}`, bundle);
    expectOk(res);
    expect(res.body).toMatchObject({ applied: true, revision: dry.body.baseRevision + 1 });
    expect(res.body.items).toEqual(dry.body.items);
    expect(await metadataOf(target)).toEqual(await metadataOf(source));
    expect(await installedOf(target)).toEqual(await installedOf(source));
    // The records API follows the imported metadata at once.
    expectOk(await target.post('/api/data/account', { name: 'Imported Ltd', clientType: 'business', region: 'east', vipSince: '2026-01-02' }), 201);
    const again = await target.post('/api/meta/bundle?dryRun=1', bundle);
    expect(again.body).toMatchObject({ items: [], layerWrites: 0, templates: [{ name: 'services', action: 'unchanged' }] });
  });

  it('a revert’s dry run shows each item’s diff and changes nothing; the revert then applies it', async () => {
    const revisions = (await source.get('/api/meta/revisions')).body.items as { revision: number; message: string }[];
    const latest = revisions[0]!.revision;
    // Back to before the admin's own view and overlay: the template's install.
    const target = revisions.find((r) => r.message.startsWith('template services'))!.revision;
    const dry = await source.post(`/api/meta/revisions/${target}/revert?dryRun=1`, {});
    expectOk(dry);
    expect(dry.body).toMatchObject({ valid: true, issues: [], baseRevision: latest });
    const byItem = Object.fromEntries(dry.body.changes.map((c: { kind: string; name: string; action: string; diff: { path: string }[] }) => [`${c.action} ${c.kind} ${c.name}`, c.diff.map((d) => d.path).sort()]));
    expect(byItem).toEqual({ 'update entity account': ['/fields/name/label/en', '/fields/name/label/zh', '/fields/vipSince'], 'delete view vipAccounts': [''] });
    expect((await source.get('/api/health')).body.revision).toBe(latest);
    const res = await source.post(`/api/meta/revisions/${target}/revert`, {});
    expectOk(res);
    expect(res.body.revision).toBe(latest + 1);
    expectError(await source.get('/api/meta/views/vipAccounts'), 404);
    const diff = await source.get(`/api/meta/revisions/${latest + 1}/diff`);
    expect(diff.body.changes.find((c: { name: string }) => c.name === 'account').diff.map((d: { path: string }) => d.path).sort()).toEqual(['/fields/name/label/en', '/fields/name/label/zh', '/fields/vipSince']);
  });

  it('importing a bundle without a field takes its values out of the records here, as its dry run counted', async () => {
    const holding = (await target.get(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ vipSince: { $exists: true } }))}&total=1`)).body.total as number;
    expect(holding).toBeGreaterThan(0);
    const reverted = (await source.get('/api/meta/bundle')).body;
    const dry = await target.post('/api/meta/bundle?dryRun=1', reverted);
    expectOk(dry);
    expect(dry.body.impact.find((i: { entity: string }) => i.entity === 'account').removedFields).toEqual([{ field: 'vipSince', records: holding }]);
    expectOk(await target.post(`/api/meta/bundle?baseRevision=${dry.body.baseRevision}`, reverted));
    // Added again, as text: no record shows the dates it held.
    const account = (await target.get('/api/meta/entities/account')).body;
    expectOk(await target.put('/api/meta/entities/account', { ...account, fields: { ...account.fields, vipSince: { type: 'text' } } }));
    const still = await target.get(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ vipSince: { $exists: true } }))}&total=1`);
    expectOk(still);
    expect(still.body.total).toBe(0);
  });
});

describe('template uploads', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('keeps an uploaded .tgz, lists it as an uploaded version and installs and upgrades from it', async () => {
    const pack = async (dir: string) => {
      const file = path.join(os.tmpdir(), `desk-${Date.now()}-${Math.random().toString(36).slice(2)}.tgz`);
      await tar.c({ gzip: true, file, cwd: path.dirname(dir), portable: true }, [path.basename(dir)]);
      return readFile(file);
    };
    const v1 = await upload(server, await pack(deskV1));
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ name: 'desk', version: '1.0.0', modules: [{ name: 'customers' }, { name: 'tickets' }] });
    const v2 = await upload(server, await pack(deskV2));
    expect(v2.body).toMatchObject({ name: 'desk', version: '2.0.0' });
    const listed = (await server.get('/api/templates')).body.templates.find((t: { name: string }) => t.name === 'desk');
    expect(listed.available.map((a: { version: string; origin: string }) => `${a.version} ${a.origin}`)).toEqual(['2.0.0 uploaded', '1.0.0 uploaded']);
    expect(listed.installed).toBeUndefined();
    expectOk(await server.post('/api/templates/desk/install', { source: { directory: v1.body.directory } }), 201);
    // 2.0.0 makes `code` unique: two customers sharing one block it, and the dry run says so.
    const first = await server.post('/api/data/customer', { name: 'First', code: 'C9' });
    expectOk(first, 201);
    expectOk(await server.post('/api/data/customer', { name: 'Second', code: 'C9' }), 201);
    const blocked = await server.post('/api/templates/desk/upgrade?dryRun=1', { source: { directory: v2.body.directory } });
    expect(blocked.body.uniqueIndexes).toEqual([{ entity: 'customer', fields: ['code'], duplicates: 2, examples: expect.any(Array) }]);
    expect(blocked.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'customer', code: 'UNIQUE_INDEX' })]);
    expectOk(await server.delete(`/api/data/customer/${first.body.id}`), 204);
    const dry = await server.post('/api/templates/desk/upgrade?dryRun=1', { source: { directory: v2.body.directory } });
    expect(dry.body).toMatchObject({ fromVersion: '1.0.0', toVersion: '2.0.0', issues: [], uniqueIndexes: [] });
    expectOk(await server.post('/api/templates/desk/upgrade', { source: { directory: v2.body.directory } }));
    expect((await server.get('/api/templates/desk')).body).toMatchObject({ version: '2.0.0', source: { type: 'directory', path: v2.body.directory } });
  });

  it('refuses what is not a template archive, naming why', async () => {
    const notGzip = await upload(server, 'plain text');
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error.details[0].path).toBe('/source/archive');
    const empty = await upload(server, '');
    expect(empty.status).toBe(400);
  });
});
