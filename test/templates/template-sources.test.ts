// Templates from outside the product: a folder or a .tgz archive the admin points at, written by
// the test itself (an entity, a workflow, a role, sample data) — installed and used with no code
// change. Packages that try to reach outside themselves are refused, and a step that fails halfway
// (a sample record breaking a rule, after the metadata was written in the same transaction) leaves
// metadata and data exactly as they were.

import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allRecords, expectOk, sampleId, snapshot, writeTemplate, type TemplateFiles } from './template-helpers.ts';

function siteVisits(options: { version?: string; visits?: Record<string, unknown>[] } = {}): TemplateFiles {
  const visits = options.visits ?? [
    { id: sampleId('VST', 1), title: 'Boiler check', visitDate: '2026-03-02', status: 'planned' },
    { id: sampleId('VST', 2), title: 'Lift repair', visitDate: '2026-03-03', status: 'done', report: 'Cable replaced' },
    { id: sampleId('VST', 3), title: 'Pump service', visitDate: '2026-03-04', status: 'planned' },
  ];
  return {
    manifest: {
      kind: 'template', name: 'site-visits', version: options.version ?? '1.0.0',
      title: { en: 'Site visits', zh: '上门服务' },
      modules: { visits: { label: { en: 'Visits', zh: '上门' }, enabledByDefault: true, items: { entity: ['visit'], workflow: ['visitFlow'], role: ['visitor'], view: ['visitBoard'] } } },
      sampleData: { visit: { file: 'data/visits.ndjson', count: visits.length } },
    },
    items: [
      {
        kind: 'entity', name: 'visit', label: { en: 'Visit', zh: '上门' }, titleField: 'title',
        fields: {
          title: { type: 'text', required: true, maxLength: 100 },
          visitDate: { type: 'date', required: true },
          report: { type: 'textarea', maxLength: 2000 },
          status: { type: 'picklist', options: { planned: { label: 'Planned' }, done: { label: 'Done' } } },
        },
        rules: { doneNeedsReport: { when: "status = 'done' and $not($exists(report))", message: { en: 'A done visit needs a report', zh: '完成的上门需要报告' }, field: 'report' } },
      },
      {
        kind: 'workflow', name: 'visitFlow', entity: 'visit', label: { en: 'Visit', zh: '上门流程' }, field: 'status',
        states: { planned: { label: 'Planned', initial: true }, done: { label: 'Done', final: true } },
        transitions: { finish: { label: 'Finish', from: 'planned', to: 'done', requiredFields: ['report'] } },
      },
      { kind: 'role', name: 'visitor', label: { en: 'Field engineer', zh: '现场工程师' }, permissions: { visit: { create: true, read: 'all', update: 'all', transitions: { visitFlow: ['finish'] } } } },
      { kind: 'view', name: 'visitBoard', entity: 'visit', label: 'Visits', type: 'kanban', kanban: { groupBy: 'status', cardFields: ['title', 'visitDate'] } },
    ],
    files: { 'data/visits.ndjson': visits.map((v) => JSON.stringify(v)).join('\n') + '\n' },
  };
}

describe('templates from a folder or an archive the admin gives', () => {
  let server: TestServer;
  let work: string;
  beforeAll(async () => {
    server = await startTestServer();
    work = await mkdtemp(path.join(os.tmpdir(), 'crm-template-src-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it('a sample record that breaks a rule refuses the whole install: metadata and data exactly as before', async () => {
    const dir = await writeTemplate(path.join(work, 'broken'), siteVisits({ visits: [
      { id: sampleId('VST', 1), title: 'Fine', visitDate: '2026-03-02', status: 'planned' },
      { id: sampleId('VST', 2), title: 'Done without a report', visitDate: '2026-03-03', status: 'done' },
    ] }));
    const before = await snapshot(server, ['visit']);
    const dry = await server.post('/api/templates/site-visits/install?dryRun=1', { sampleData: true, source: { directory: dir } });
    expectOk(dry);
    expect(dry.body.issues).toEqual([expect.objectContaining({ path: '/sampleData/visit/1/report' })]);
    const refused = expectError(await server.post('/api/templates/site-visits/install', { sampleData: true, source: { directory: dir } }), 400, 'INVALID_RECORD');
    expect(refused.map((d) => d.path)).toEqual(['/sampleData/visit/1/report']);
    expect(await snapshot(server, ['visit'])).toEqual(before);
    expect((await server.get('/api/templates')).body.templates.filter((t: { installed?: unknown }) => t.installed)).toEqual([]);
  });

  it('a template written to a temporary folder installs and works with no code change', async () => {
    const dir = await writeTemplate(path.join(work, 'site-visits'), siteVisits());
    const res = await server.post('/api/templates/site-visits/install', { sampleData: true, source: { directory: dir } });
    expectOk(res, 201);
    expect(res.body.sampleData).toEqual([{ entity: 'visit', file: 'data/visits.ndjson', records: 3, loaded: 3, skipped: 0 }]);
    expect((await server.get('/api/meta/roles/visitor')).status).toBe(200);
    // The package is stored: the folder can go away.
    await rm(dir, { recursive: true, force: true });
    const engineer = await server.createUser({ roles: ['visitor'] });
    const created = await engineer.client.post('/api/data/visit', { title: 'Meter reading', visitDate: '2026-03-05' });
    expectOk(created, 201);
    expect(created.body.status).toBe('planned');
    const blocked = await engineer.client.post(`/api/data/visit/${String(created.body.id)}/transitions/finish`, {});
    expect(blocked.status).toBeGreaterThanOrEqual(400);
    expectOk(await engineer.client.patch(`/api/data/visit/${String(created.body.id)}`, { report: 'Read 4711' }));
    expectOk(await engineer.client.post(`/api/data/visit/${String(created.body.id)}/transitions/finish`, {}));
    expect((await engineer.client.get(`/api/data/visit/${String(created.body.id)}`)).body.status).toBe('done');
    expect(await allRecords(server, 'visit')).toHaveLength(4);
    const listed = (await server.get('/api/templates')).body.templates.find((t: { name: string }) => t.name === 'site-visits');
    expect(listed.installed).toMatchObject({ version: '1.0.0', source: { type: 'directory', path: dir } });
  });

  it('upgrades from a .tgz archive', async () => {
    const v2 = siteVisits({ version: '1.1.0' });
    (v2.items[0]!['fields'] as Record<string, unknown>)['technician'] = { type: 'text', maxLength: 80 };
    await writeTemplate(path.join(work, 'pack', 'site-visits'), v2);
    const archive = path.join(work, 'site-visits-1.1.0.tgz');
    await tar.c({ gzip: true, file: archive, cwd: path.join(work, 'pack') }, ['site-visits']);
    const dry = await server.post('/api/templates/site-visits/upgrade?dryRun=1', { source: { archive } });
    expectOk(dry);
    expect(dry.body.items).toEqual([{ kind: 'entity', name: 'visit', action: 'update', label: { en: 'Visit', zh: '上门' }, changes: [{ path: '/fields/technician', after: { type: 'text', maxLength: 80 } }] }]);
    const res = await server.post('/api/templates/site-visits/upgrade', { source: { archive } });
    expectOk(res);
    expect((await server.get('/api/meta/entities/visit')).body.fields.technician).toBeDefined();
    expect((await server.get('/api/templates/site-visits')).body.source).toEqual({ type: 'archive', path: archive });
  });

  it('an upgrade removing a workflow state that records sit in: refused (dry run says so first) until it maps the state', async () => {
    const renamed = (version: string, mapping: boolean): TemplateFiles => {
      const files = siteVisits({ version });
      const [entity, flow] = files.items as unknown as [Record<string, any>, Record<string, any>];
      entity['fields'].technician = { type: 'text', maxLength: 80 };
      entity['fields'].status.options = { scheduled: { label: 'Scheduled' }, done: { label: 'Done' } };
      flow['states'] = { scheduled: { label: 'Scheduled', initial: true }, done: { label: 'Done', final: true } };
      flow['transitions'].finish.from = 'scheduled';
      if (mapping) flow['stateMapping'] = { planned: 'scheduled' };
      return files;
    };
    const before = await snapshot(server);
    const unmapped = await writeTemplate(path.join(work, 'renamed-1.2.0'), renamed('1.2.0', false));
    const dry = await server.post('/api/templates/site-visits/upgrade?dryRun=1', { source: { directory: unmapped } });
    expectOk(dry);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'workflow', name: 'visitFlow', path: '/stateMapping/planned', code: 'WF_STATE_IN_USE' })]);
    const refused = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { directory: unmapped } }), 400, 'INVALID_METADATA');
    expect(refused.map((d) => d.path)).toEqual(['/workflow/visitFlow/stateMapping/planned']);
    expect(await snapshot(server)).toEqual(before);

    const mapped = await writeTemplate(path.join(work, 'renamed-1.2.1'), renamed('1.2.1', true));
    const planned = (await allRecords(server, 'visit')).filter((v) => v['status'] === 'planned').length;
    expect(planned).toBeGreaterThan(0);
    const dryMapped = await server.post('/api/templates/site-visits/upgrade?dryRun=1', { source: { directory: mapped } });
    expectOk(dryMapped);
    expect(dryMapped.body.issues).toEqual([]);
    // Counted after the records moved to their mapped state: none is left invalid; the move itself is reported.
    expect(dryMapped.body.impact).toEqual([expect.objectContaining({ entity: 'visit', records: 4, invalid: 0, stateMoves: [{ entity: 'visit', workflow: 'visitFlow', field: 'status', from: 'planned', to: 'scheduled', records: planned }] })]);
    const res = await server.post('/api/templates/site-visits/upgrade', { source: { directory: mapped } });
    expectOk(res);
    expect(res.body.impact).toEqual(dryMapped.body.impact);
    expect((await allRecords(server, 'visit')).map((v) => v['status']).sort()).toEqual(['done', 'done', 'scheduled', 'scheduled']);
  });

  it('refuses archives that reach outside themselves or hold links, and names the entries', async () => {
    const base = path.join(work, 'evil');
    await writeTemplate(path.join(base, 'pkg'), siteVisits({ version: '2.0.0' }));
    const traversal = path.join(work, 'traversal.tgz');
    await tar.c({ gzip: true, file: traversal, cwd: path.join(base, 'pkg'), preservePaths: true }, ['template.json', '../pkg/template.json']);
    const refused = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { archive: traversal } }), 400, 'BAD_REQUEST');
    expect(refused.some((d) => d.message.includes('..'))).toBe(true);

    await symlink('/etc/hostname', path.join(base, 'pkg', 'data', 'link.json'));
    const linked = path.join(work, 'linked.tgz');
    await tar.c({ gzip: true, file: linked, cwd: base }, ['pkg']);
    const refusedLink = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { archive: linked } }), 400, 'BAD_REQUEST');
    expect(refusedLink.some((d) => d.message.includes('SymbolicLink'))).toBe(true);
    expectError(await server.post('/api/templates/site-visits/upgrade', { source: { archive: path.join(work, 'missing.tgz') } }), 400);
    expectError(await server.post('/api/templates/site-visits/upgrade', { source: { archive: path.join(base, 'pkg', 'template.json') } }), 400);
  });

  it('refuses folders whose files lead outside the package, and malformed packages with every issue', async () => {
    const dir = await writeTemplate(path.join(work, 'outside'), siteVisits({ version: '3.0.0' }));
    await rm(path.join(dir, 'data', 'visits.ndjson'));
    await symlink('/etc/hostname', path.join(dir, 'data', 'visits.ndjson'));
    const refused = expectError(await server.post('/api/templates/site-visits/upgrade', { sampleData: true, source: { directory: dir } }), 400);
    expect(refused.map((d) => d.message).join()).toContain('plain file');

    const bad = siteVisits({ version: '3.0.1' });
    (bad.manifest['sampleData'] as Record<string, unknown>)['visit'] = { file: '../../etc/passwd.json' };
    (bad.manifest['modules'] as Record<string, { items: Record<string, string[]> }>)['visits']!.items['form'] = ['missingForm'];
    const badDir = await writeTemplate(path.join(work, 'bad'), { ...bad, files: { ...bad.files, 'metadata/view/stray.json': { kind: 'view', name: 'stray' } } });
    const issues = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { directory: badDir } }), 400, 'INVALID_METADATA');
    expect(issues.map((d) => d.path).sort()).toEqual(['/template.json/sampleData/visit/file']);
    delete (bad.manifest['sampleData'] as Record<string, unknown>)['visit'];
    const badDir2 = await writeTemplate(path.join(work, 'bad2'), { ...bad, files: { 'metadata/view/stray.json': { kind: 'view', name: 'stray' } } });
    const issues2 = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { directory: badDir2 } }), 400, 'INVALID_METADATA');
    expect(issues2.map((d) => d.path).sort()).toEqual(['/metadata/form/missingForm.json', '/metadata/view/stray.json']);
    // The name in the address must be the package's.
    const valid = await writeTemplate(path.join(work, 'valid'), siteVisits({ version: '5.0.0' }));
    expectError(await server.post('/api/templates/other-name/install', { source: { directory: valid } }), 400, 'BAD_REQUEST');
    expectError(await server.post('/api/templates/site-visits/install', { source: { folder: badDir2 } }), 400, 'BAD_REQUEST');
    expectError(await server.post('/api/templates/site-visits/install', { surprise: true }), 400, 'BAD_REQUEST');
    expectError(await server.post('/api/templates/site-visits/install?dryRun=yes', {}), 400);
  });

  it('metadata the engine refuses (a role granting an unknown transition) is refused whole, nothing changed', async () => {
    const bad = siteVisits({ version: '4.0.0' });
    (bad.items[0]!['fields'] as Record<string, unknown>)['inspector'] = { type: 'lookup', to: 'nobody' };
    const dir = await writeTemplate(path.join(work, 'refused'), bad);
    const before = await snapshot(server);
    const dry = await server.post('/api/templates/site-visits/upgrade?dryRun=1', { source: { directory: dir } });
    expectOk(dry);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'visit', path: '/fields/inspector/to' })]);
    const refused = expectError(await server.post('/api/templates/site-visits/upgrade', { source: { directory: dir } }), 400, 'INVALID_METADATA');
    expect(refused.map((d) => d.path)).toEqual(['/entity/visit/fields/inspector/to']);
    expect(await snapshot(server)).toEqual(before);
  });
});
