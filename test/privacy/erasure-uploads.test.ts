// An import keeps its uploaded file in the data folder (DATA_DIR/imports/) for its resume and its
// report. Once a person a row of it made is erased, that file is the last whole copy of their row:
// erasure (and retention) delete the uploads of the jobs that created or updated an erased record,
// and the job says its file was removed. Another job's upload stays; a file an admin imported
// where it lies (the CLI's way) is theirs, not the server's, and stays too.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { andFilters, internalField } from '../../engine/filter/filter-tree.ts';
import { createdRunsOf } from '../../engine/import/erase-uploads.ts';
import { importChangesCollection } from '../../engine/import/import-store.ts';
import { importServices } from '../../engine/import/import-module.ts';
import type { SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { runRetention } from '../../engine/privacy/run-retention.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

const day = 24 * 60 * 60 * 1000;
const member = {
  kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name', privacy: { subjectField: 'email', erasure: 'anonymize' },
  fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', personal: true }, city: { type: 'text', personal: true } },
};
const visit = {
  kind: 'entity', name: 'visit', label: 'Visit', titleField: 'ip', privacy: { retentionDays: 30, retentionAction: 'delete' },
  fields: { ip: { type: 'text', personal: true }, page: { type: 'text' } },
};
const members = { name: 'members', targets: [{ entity: 'member', key: ['email'], columns: { name: 'Name', email: 'E-mail', city: 'City' } }] };

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', { documents: [member, visit] })).status).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-erasure-uploads-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const csv = async (name: string, text: string) => {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
};
const uploads = () => path.join(server.dataDir, 'imports');
/** Every upload in the data folder that holds `text`. */
const holding = async (text: string) => {
  const names = (await readdir(uploads())).filter((n) => !n.endsWith('.name'));
  const out: string[] = [];
  for (const name of names) if ((await readFile(path.join(uploads(), name), 'utf8')).includes(text)) out.push(name);
  return out;
};

describe('erasure and the import uploads', () => {
  it('deletes the uploads of the jobs that created or updated the erased person; the others stay', async () => {
    const created = await runJob(server, { upload: await upload(server, await csv('a.csv', 'Name,E-mail,City\nAna Lima,ana@example.org,Porto\nBo Chen,bo@example.org,Xiamen\n'), 'a.csv'), mapping: members, mode: 'validOnly' });
    const other = await runJob(server, { upload: await upload(server, await csv('b.csv', 'Name,E-mail,City\nCarl Berg,carl@example.org,Malmo\n'), 'b.csv'), mapping: members, mode: 'validOnly' });
    const updated = await runJob(server, { upload: await upload(server, await csv('c.csv', 'Name,E-mail,City\nAna Lima,ana@example.org,Braga\n'), 'c.csv'), mapping: members, mode: 'validOnly' });
    expect([created.counts.created, other.counts.created, updated.counts.updated]).toEqual([2, 1, 1]);
    expect(await holding('ana@example.org')).toHaveLength(2);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'ana@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.uploadsRemoved).toBe(2);
    expect(await holding('ana@example.org')).toEqual([]);
    expect(await holding('carl@example.org')).toHaveLength(1);
    const file = async (id: string) => (await server.get<any>(`/api/import/jobs/${id}`)).body.file;
    expect((await file(created.id)).removed).toBe(server.clock.now().toISOString());
    expect((await file(updated.id)).removed).toBe(server.clock.now().toISOString());
    expect(await file(other.id)).not.toHaveProperty('removed');
    // The name sidecars of the deleted uploads went with them.
    expect((await readdir(uploads())).filter((n) => n.endsWith('.name'))).toHaveLength(1);
    // The jobs' reports stay: counts, and undo of what is left.
    expect((await server.get<any>(`/api/import/jobs/${created.id}`)).body.counts.created).toBe(2);
    // Erasing again finds nothing more to delete.
    expect((await server.post<any>('/api/privacy/erase', { email: 'ana@example.org' })).body.uploadsRemoved).toBe(0);
  });

  it('leaves a file imported where it lies (the command line’s way): it is the admin’s own', async () => {
    const own = await csv('own.csv', 'Name,E-mail,City\nDora Ruiz,dora@example.org,Vigo\n');
    const service = importServices.get(server.server.services)!;
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock: server.clock, model: server.server.services.runtime.model, policy: server.server.services.policy };
    const { id } = await service.startJob({ ctx, file: { path: own, name: 'own.csv' }, mapping: members, mode: 'validOnly', history: false });
    expect((await service.run(id)).counts.created).toBe(1);
    const erased = await server.post<any>('/api/privacy/erase', { email: 'dora@example.org' });
    expect(erased.body.uploadsRemoved).toBe(0);
    expect(await readFile(own, 'utf8')).toContain('dora@example.org');
  });

  it('marks every job that read the deleted upload, a dry run of the same upload included', async () => {
    const file = await upload(server, await csv('e.csv', 'Name,E-mail,City\nEva Sato,eva@example.org,Osaka\n'), 'e.csv');
    const dry = await runJob(server, { upload: file, mapping: members, mode: 'dryRun' });
    const real = await runJob(server, { upload: file, mapping: members, mode: 'validOnly' });
    expect([dry.status, real.counts.created]).toEqual(['done', 1]);
    const erased = await server.post<any>('/api/privacy/erase', { email: 'eva@example.org' });
    expect(erased.body.uploadsRemoved).toBe(1);
    expect(await holding('eva@example.org')).toEqual([]);
    // The dry run's file is the same upload: its job says it went too.
    expect((await server.get<any>(`/api/import/jobs/${dry.id}`)).body.file.removed).toBe(server.clock.now().toISOString());
  });

  it('keeps an upload another job of the same file is still running on', async () => {
    const file = await upload(server, await csv('f.csv', 'Name,E-mail,City\nFei Wu,fei@example.org,Wuhan\n'), 'f.csv');
    expect((await runJob(server, { upload: file, mapping: members, mode: 'validOnly' })).counts.created).toBe(1);
    // A dry run of the same upload, recorded and not yet run (as one a killed process left to resume).
    const service = importServices.get(server.server.services)!;
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock: server.clock, model: server.server.services.runtime.model, policy: server.server.services.policy };
    const { id } = await service.startJob({ ctx, file: { path: path.join(uploads(), file), name: 'f.csv' }, mapping: members, mode: 'dryRun', history: false });
    const erased = await server.post<any>('/api/privacy/erase', { email: 'fei@example.org' });
    expect(erased.body.uploadsRemoved).toBe(0);
    const resumed = await service.run(id);
    expect([resumed.status, resumed.error]).toEqual(['done', undefined]);
  });

  it('leaves a file of the admin’s that lies in the uploads folder but is no upload', async () => {
    const own = path.join(uploads(), 'clients.csv');
    await writeFile(own, 'Name,E-mail,City\nGus Hale,gus@example.org,Leeds\n');
    const service = importServices.get(server.server.services)!;
    const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock: server.clock, model: server.server.services.runtime.model, policy: server.server.services.policy };
    const { id } = await service.startJob({ ctx, file: { path: own, name: 'clients.csv' }, mapping: members, mode: 'validOnly', history: false });
    expect((await service.run(id)).counts.created).toBe(1);
    expect((await server.post<any>('/api/privacy/erase', { email: 'gus@example.org' })).body.uploadsRemoved).toBe(0);
    expect(await readFile(own, 'utf8')).toContain('gus@example.org');
    await rm(own);
  });

  it('reads an entity’s runs of creates a page at a time from an index, not sorting its whole change log for each page', async () => {
    // pagesById's query for a page after the first (read-pages.ts).
    const page = { filter: andFilters(createdRunsOf('member'), { kind: 'compare', field: internalField('id'), op: '$gt', value: '0' }), sort: [{ field: internalField('id'), direction: 1 as const }], limit: 500 };
    const plan = (await (server.server.store as SqliteStore).explainFind(importChangesCollection.name, page)).join('\n');
    expect(plan, plan).toMatch(/USING INDEX/);
    // Not a sort of every matching row (TEMP B-TREE FOR ORDER BY). The store's ORDER BY ends "id, id";
    // SQLite orders the repeated last term a row at a time (FOR LAST TERM), which stops at the limit.
    expect(plan, plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('finds the job that updated a record however many import jobs updated it before (a nightly sync over years)', async () => {
    const first = await runJob(server, { upload: await upload(server, await csv('h1.csv', 'Name,E-mail,City\nHana Ito,hana@example.org,Kobe\n'), 'h1.csv'), mapping: members, mode: 'validOnly' });
    const recordId = first.samples[0].id as string;
    // A thousand earlier updates of the record by jobs since deleted, logged before the one below.
    await server.server.store.transaction(async (tx) => {
      for (let i = 0; i < 1000; i++) await tx.insert(importChangesCollection.name, { id: `0${String(i).padStart(25, '0')}`, version: 1, revision: 0, data: { job: `gone${i}`, entity: 'member', recordId, action: 'updated', before: {}, version: 2 } });
    });
    const updated = await runJob(server, { upload: await upload(server, await csv('h2.csv', 'Name,E-mail,City\nHana Ito,hana@example.org,Nara\n'), 'h2.csv'), mapping: members, mode: 'validOnly' });
    expect(updated.counts.updated).toBe(1);
    expect((await server.post<any>('/api/privacy/erase', { email: 'hana@example.org' })).body.uploadsRemoved).toBe(2);
    expect(await holding('hana@example.org')).toEqual([]);
  });

  it('retention deletes the uploads of the records it deletes', async () => {
    const job = await runJob(server, { upload: await upload(server, await csv('visits.csv', 'IP,Page\n203.0.113.77,/pricing\n'), 'visits.csv'), mapping: { name: 'visits', targets: [{ entity: 'visit', columns: { ip: 'IP', page: 'Page' } }] }, mode: 'validOnly' });
    expect(job.counts.created).toBe(1);
    expect(await holding('203.0.113.77')).toHaveLength(1);
    server.clock.advance(31 * day);
    const done = await runRetention(server.server.services, server.clock.now());
    expect(done.map((d) => d.entity)).toEqual(['visit']);
    expect(await holding('203.0.113.77')).toEqual([]);
    expect((await server.get<any>(`/api/import/jobs/${job.id}`)).body.file.removed).toBe(server.clock.now().toISOString());
  });
});
