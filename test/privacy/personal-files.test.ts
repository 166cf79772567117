// Acceptance: a file field marked `personal` is personal data like any other value. A subject
// export lists its files; erasure (anonymize and delete alike) and retention let them go — the
// record no longer holds them, the scheduler's sweep deletes the `_files` entry and the bytes — and
// their names leave the audit trail. A file field not marked personal keeps its files through an
// anonymization. Checked over HTTP, with real files in the data folder and the scheduler's sweep
// under the test server's clock.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { filesContaining } from '../support/data-folder.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

const day = 24 * 60 * 60 * 1000;
const documents = [
  {
    kind: 'entity', name: 'member', label: 'Member', titleField: 'name',
    privacy: { erasure: 'anonymize', subjectField: 'email' },
    fields: {
      name: { type: 'text', personal: true },
      email: { type: 'email', personal: true },
      idScan: { type: 'file', personal: true, contentTypes: ['application/pdf'] },
      contracts: { type: 'file', multiple: true, personal: true },
      brochure: { type: 'file' },
    },
  },
  {
    kind: 'entity', name: 'applicant', label: 'Applicant',
    privacy: { erasure: 'delete', subjectField: 'email' },
    fields: { email: { type: 'email', personal: true }, cv: { type: 'file', personal: true } },
  },
  {
    kind: 'entity', name: 'visitor', label: 'Visitor',
    privacy: { subjectField: 'email', retentionDays: 30, retentionAction: 'anonymize' },
    fields: { email: { type: 'email', personal: true }, photo: { type: 'file', personal: true }, floorPlan: { type: 'file' } },
  },
];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', { documents });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}, 60_000);
afterAll(async () => server?.close());

const upload = async (entity: string, field: string, name: string, text: string, contentType = 'text/plain') => ({ id: await uploadFile(server, { entity, field, name, text, contentType }), name });

async function create(entity: string, body: object): Promise<string> {
  const res = await server.post<any>(`/api/data/${entity}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const runScheduler = () => findWorkflowRuntime(server.server.services)!.scheduler.runDue();
const inStore = async (id: string) => (await server.server.store.get('_files', id)) !== undefined;
const onDisk = (id: string) => existsSync(path.join(server.dataDir, 'files', id));
const download = async (id: string) => {
  const res = await fetch(`${server.url}/api/files/${id}`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
  return res.status === 200 ? { type: res.headers.get('content-type'), text: await res.text() } : res.status;
};
const history = async (entity: string, id: string) => JSON.stringify((await server.get<any>(`/api/data/${entity}/${id}/history`)).body.items);

describe('personal file fields', () => {
  it('the field designer\'s language takes `personal` on a file field, as on other fields', async () => {
    const res = await server.post<any>('/api/meta/validate', { documents: [{ ...documents[0], name: 'member2' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wrong = await server.post<any>('/api/meta/validate', { documents: [{ ...documents[0], name: 'member3', fields: { scan: { type: 'file', personal: 'yes' } } }] });
    expect(JSON.stringify(wrong.body)).toContain('/fields/scan/personal');
  });

  it('anonymize: the export lists the personal files; erasure lets them go (the sweep deletes entry and bytes), their names leave the trail; a file field not personal keeps its file', async () => {
    const scan = await upload('member', 'idScan', 'passport-zelda-quixotic.pdf', '%PDF passport of Zelda Quixotic', 'application/pdf');
    const contract = await upload('member', 'contracts', 'contract signed by Zelda Quixotic.txt', 'signed: Zelda Quixotic');
    const brochure = await upload('member', 'brochure', 'spring-catalogue.pdf', '%PDF spring catalogue', 'application/pdf');
    const id = await create('member', { name: 'Zelda Quixotic', email: 'zelda@example.org', idScan: scan.id, contracts: [contract.id], brochure: brochure.id });
    // An earlier contract, replaced: its name stays in the audit trail until the erasure.
    const later = await upload('member', 'contracts', 'contract renewal Zelda Quixotic.txt', 'renewed: Zelda Quixotic');
    expect((await server.patch(`/api/data/member/${id}`, { contracts: [later.id] })).status).toBe(200);
    expect(await history('member', id)).toContain('contract signed by Zelda Quixotic');

    const exported = await server.get<any>('/api/privacy/export?email=zelda@example.org');
    const record = exported.body.records.find((r: { entity: string }) => r.entity === 'member');
    expect(record.personalFields).toEqual(['contracts', 'email', 'idScan', 'name']);
    expect(record.values.idScan).toMatchObject({ id: scan.id, name: scan.name, contentType: 'application/pdf' });
    expect(record.values.contracts).toEqual([expect.objectContaining({ id: later.id, name: later.name })]);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'zelda@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erased).toEqual([{ entity: 'member', id, action: 'anonymized', fields: ['contracts', 'email', 'idScan', 'name'] }]);
    const after = (await server.get<any>(`/api/data/member/${id}`)).body;
    expect(after).not.toHaveProperty('idScan');
    expect(after).not.toHaveProperty('contracts');
    // Released at once: no one may download them, and their names are gone from the store.
    expect(await download(scan.id)).toBe(404);
    expect(await download(later.id)).toBe(404);
    expect(JSON.stringify((await server.server.store.get('_files', scan.id))?.data ?? {})).not.toMatch(/zelda/i);
    expect(await history('member', id)).not.toMatch(/zelda|quixotic/i);

    await runScheduler();
    for (const file of [scan, later]) {
      expect(await inStore(file.id)).toBe(false);
      expect(onDisk(file.id)).toBe(false);
    }
    // Not personal: kept, with its type (a file's descriptor is not scrubbed as a personal string).
    expect(after.brochure).toMatchObject({ id: brochure.id, name: 'spring-catalogue.pdf' });
    expect(await download(brochure.id)).toEqual({ type: 'application/pdf', text: '%PDF spring catalogue' });
    await server.server.store.purgeDeleted?.();
    expect(await filesContaining(server.dataDir, ['Zelda', 'Quixotic'])).toEqual([]);
  });

  it('delete: the record\'s files go and their names leave the audit trail the deleted record keeps', async () => {
    const cv = await upload('applicant', 'cv', 'cv-yannick-wozniak.txt', 'Yannick Wozniak, engineer');
    const id = await create('applicant', { email: 'yannick@example.org', cv: cv.id });
    expect((await server.post('/api/privacy/erase', { email: 'yannick@example.org' })).status).toBe(200);
    expect((await server.get(`/api/data/applicant/${id}`)).status).toBe(404);
    const trail = await server.server.store.find('_audit', { filter: { kind: 'true' }, sort: [], limit: 10_000 });
    const own = trail.filter((row) => row.data['recordId'] === id);
    expect(own.map((row) => row.data['action'])).toEqual(['create', 'erase']);
    expect(JSON.stringify(own)).not.toMatch(/yannick|wozniak/i);
    await runScheduler();
    expect(await inStore(cv.id)).toBe(false);
    expect(onDisk(cv.id)).toBe(false);
  });

  it('a file of another record named alike keeps its name: erasing one person\'s "signed-contract.pdf" renames no one else\'s', async () => {
    const mine = await upload('applicant', 'cv', 'signed-contract.pdf', 'Quentin Marlowe signed');
    const theirs = await upload('applicant', 'cv', 'signed-contract.pdf', 'Rosa Lindqvist signed');
    await create('applicant', { email: 'quentin@example.org', cv: mine.id });
    const other = await create('applicant', { email: 'rosa@example.org', cv: theirs.id });
    expect((await server.post('/api/privacy/erase', { email: 'quentin@example.org' })).status).toBe(200);
    await runScheduler();
    expect(await inStore(mine.id)).toBe(false);
    expect((await server.server.store.get('_files', theirs.id))?.data['name']).toBe('signed-contract.pdf');
    expect((await server.get<any>(`/api/data/applicant/${other}`)).body.cv).toMatchObject({ id: theirs.id, name: 'signed-contract.pdf' });
  });

  it('retention anonymizes personal files alike: the sweep deletes them, a file field not personal keeps its file', async () => {
    const photo = await upload('visitor', 'photo', 'badge-photo-ottilie-vance.jpg', 'jpeg of Ottilie Vance', 'image/jpeg');
    const plan = await upload('visitor', 'floorPlan', 'floor-2.txt', 'floor plan');
    const id = await create('visitor', { email: 'ottilie@example.org', photo: photo.id, floorPlan: plan.id });
    await runScheduler();
    expect(await download(photo.id)).toEqual({ type: 'image/jpeg', text: 'jpeg of Ottilie Vance' });
    for (let n = 0; n < 31; n++) {
      server.clock.advance(day);
      await runScheduler();
    }
    const visitor = (await server.get<any>(`/api/data/visitor/${id}`)).body;
    expect(visitor).not.toHaveProperty('email');
    expect(visitor).not.toHaveProperty('photo');
    expect(await download(photo.id)).toBe(404);
    // The sweep runs before the scheduler's jobs: the next run deletes what retention let go.
    await runScheduler();
    expect(await inStore(photo.id)).toBe(false);
    expect(onDisk(photo.id)).toBe(false);
    expect(await history('visitor', id)).not.toMatch(/ottilie|vance/i);
    expect(await download(plan.id)).toEqual({ type: 'text/plain', text: 'floor plan' });
  });
});
