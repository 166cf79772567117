// A person with two records, merged, then erased (both modes) or reached by a retention rule: what
// the merge kept to be undone — the merged record's snapshot, the survivor's earlier values, the
// merged record's files the survivor did not keep — is the person's data too, and goes with the
// erasure. The undo is then refused with 409 saying why. Checked over HTTP, in the store, and by
// searching every file of the data folder (database, WAL, stored files) for the values.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../engine/privacy/run-retention.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { filesContaining } from '../support/data-folder.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

const day = 24 * 60 * 60 * 1000;

const personEntity = (name: string, privacy: Record<string, unknown>) => ({
  kind: 'entity', name, label: name, titleField: 'name', privacy: { subjectField: 'email', ...privacy },
  duplicateRules: { samePhone: { match: ['phone'], method: 'normalized', region: 'GB' } },
  fields: {
    name: { type: 'text', required: true, personal: true },
    email: { type: 'email', personal: true },
    phone: { type: 'phone', personal: true },
    notes: { type: 'textarea', personal: true },
    cv: { type: 'file' },
    docs: { type: 'file', multiple: true },
    tier: { type: 'text' },
  },
});

const documents = [
  personEntity('member', { erasure: 'anonymize' }),
  personEntity('prospect', { erasure: 'delete' }),
  personEntity('visitor', { retentionDays: 30, retentionAction: 'anonymize' }),
  personEntity('caller', { retentionDays: 30, retentionAction: 'delete' }),
];

// What only the merged record held (its values, an earlier value in its audit trail, the name and
// contents of the file the survivor did not keep), and what the survivor held.
const mergedOnly = ['Oldname', 'Wapping Old Stairs', 'Rotherhithe', '7946 1234', '79461234', 'Passport scan'];
const survivorOwn = ['Quixotic', '7946 0958', '79460958'];

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', { documents });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}, 60_000);
afterAll(async () => server?.close());

const upload = (entity: string, field: string, name: string, text: string) => uploadFile(server, { entity, field, name, text });

async function create(entity: string, values: Record<string, unknown>): Promise<any> {
  const res = await server.post<any>(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One person, two records (the second with an earlier value in its trail and two files), the second merged into the first keeping its CV. */
async function mergedPerson(entity: string, email: string, options: { batch?: boolean } = {}) {
  const survivor = await create(entity, { name: 'Zelda Quixotic', email, phone: '+44 20 7946 0958', tier: 'gold', docs: [await upload(entity, 'docs', 'contract.txt', 'Annual service contract')] });
  const twin = await create(entity, {
    name: 'Zelda Oldname', email, phone: '020 7946 1234', notes: 'met at Wapping Old Stairs',
    cv: await upload(entity, 'cv', 'cv.txt', 'Curriculum vitae'),
    docs: [await upload(entity, 'docs', 'passport.txt', 'Passport scan, Z. Oldname')],
  });
  expect((await server.patch(`/api/data/${entity}/${twin.id}`, { notes: 'lives in Rotherhithe' })).status).toBe(200);
  const request = { survivor: survivor.id, merged: [twin.id], values: { cv: twin.id } };
  let merge: string;
  let batch: string | undefined;
  if (options.batch) {
    const res = await server.post<any>(`/api/quality/${entity}/merge-groups`, { groups: [request] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    merge = res.body.results[0].merge;
    batch = res.body.batch;
  } else {
    const res = await server.post<any>(`/api/quality/${entity}/merge`, request);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    merge = res.body.merge;
  }
  const files = { contract: survivor.docs[0].id as string, cv: twin.cv.id as string, passport: twin.docs[0].id as string };
  return { survivor, twin, merge, batch, files };
}

const scheduler = () => findWorkflowRuntime(server.server.services)!.scheduler;
const fileStored = async (id: string) => (await server.server.store.get('_files', id)) !== undefined || existsSync(path.join(server.dataDir, 'files', id));
const download = async (id: string) => (await fetch(`${server.url}/api/files/${id}`, { headers: { authorization: `Bearer ${server.admin!.token}` } })).text();
const mergeLog = async (id: string) => JSON.stringify((await server.server.store.get('_merges', id))?.data);
const matchKeysOf = async (recordId: string) => (await server.server.store.find('_matchKeys', { filter: { kind: 'true' }, sort: [], limit: 10_000 })).filter((row) => row.data['recordId'] === recordId);

async function expectUndoRefused(merge: string, en: RegExp, zh: RegExp) {
  const refused = await server.post<any>(`/api/quality/merges/${merge}/undo`, undefined, { 'accept-language': 'en' });
  expect(refused.status, JSON.stringify(refused.body)).toBe(409);
  expect(refused.body.error.message).toMatch(en);
  expect(refused.body.error.details[0].path).toBe('/survivor');
  const zhRefused = await server.post<any>(`/api/quality/merges/${merge}/undo`, undefined, { 'accept-language': 'zh-CN' });
  expect(zhRefused.status).toBe(409);
  expect(zhRefused.body.error.message).toMatch(zh);
}

describe('erasing a person whose records were merged', () => {
  it('anonymize: the merged record\'s snapshot, earlier values and files go too; the undo is refused, saying why', async () => {
    const { survivor, twin, merge, files } = await mergedPerson('member', 'zelda.anon@example.org');
    // The search works: before the erasure, every value is somewhere in the data folder.
    expect((await filesContaining(server.dataDir, [...mergedOnly, ...survivorOwn])).length).toBeGreaterThanOrEqual(mergedOnly.length);
    expect(await mergeLog(merge)).toMatch(/Oldname/);
    expect(await fileStored(files.passport)).toBe(true);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'zelda.anon@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erased).toEqual([{ entity: 'member', id: survivor.id, action: 'anonymized', fields: ['email', 'name', 'phone'] }]);
    await scheduler().runDue();

    // The merged record's file the survivor did not keep is gone; the files the survivor holds (non-personal fields) stay with it.
    expect(await fileStored(files.passport)).toBe(false);
    expect(await download(files.cv)).toBe('Curriculum vitae');
    expect(await download(files.contract)).toBe('Annual service contract');
    // The record's history (the merged record's entries moved into it) names no value.
    expect(JSON.stringify((await server.get(`/api/data/member/${survivor.id}/history`)).body.items)).not.toMatch(/oldname|wapping|rotherhithe|quixotic|7946/i);
    expect(await matchKeysOf(twin.id)).toEqual([]);
    expect(await mergeLog(merge)).not.toMatch(/oldname|wapping|rotherhithe|quixotic|7946/i);
    expect(await filesContaining(server.dataDir, [...mergedOnly, ...survivorOwn])).toEqual([]);

    await expectUndoRefused(merge, /erased at the person's request/, /应本人请求.*擦除/);
    // Refused whole: the merged record did not come back.
    expect((await server.get(`/api/data/member/${twin.id}`)).status).toBe(404);
  });

  it('delete: the same, and a batch\'s undo reports the merge refused with the reason', async () => {
    const { survivor, twin, merge, batch, files } = await mergedPerson('prospect', 'zelda.del@example.org', { batch: true });
    const erased = await server.post<any>('/api/privacy/erase', { email: 'zelda.del@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erased.map((e: any) => `${e.entity}/${e.id}/${e.action}`)).toEqual([`prospect/${survivor.id}/deleted`]);
    await scheduler().runDue();

    for (const id of Object.values(files)) expect(await fileStored(id)).toBe(false);
    expect(await matchKeysOf(twin.id)).toEqual([]);
    expect(await mergeLog(merge)).not.toMatch(/oldname|wapping|rotherhithe|quixotic|7946/i);
    expect(await filesContaining(server.dataDir, [...mergedOnly, ...survivorOwn])).toEqual([]);

    await expectUndoRefused(merge, /erased at the person's request/, /应本人请求.*擦除/);
    const undoBatch = await server.post<any>(`/api/quality/merge-batches/${batch}/undo`, undefined, { 'accept-language': 'en' });
    expect(undoBatch.status, JSON.stringify(undoBatch.body)).toBe(200);
    expect(undoBatch.body.undone).toEqual([]);
    expect(undoBatch.body.refused).toEqual([{ merge, message: expect.stringMatching(/erased at the person's request/), details: [expect.objectContaining({ path: '/survivor' })] }]);
    expect((await server.get(`/api/data/prospect/${twin.id}`)).status).toBe(404);
  });
});

describe('a person known by an address only a merged record held', () => {
  it('is found through the merge — the record it was merged into is theirs — exported and erased', async () => {
    const survivor = await create('member', { name: 'Yorick Newman', email: 'yorick.now@example.org', tier: 'silver' });
    const twin = await create('member', { name: 'Yorick Oldman', email: 'yorick.then@example.org', notes: 'asked about Bermondsey Wall' });
    const merged = await server.post<any>('/api/quality/member/merge', { survivor: survivor.id, merged: [twin.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.record.email).toBe('yorick.now@example.org');

    const exported = await server.get<any>(`/api/privacy/export?email=${encodeURIComponent('Yorick.Then@example.org')}`);
    expect(exported.status).toBe(200);
    expect(exported.body.records.map((r: any) => `${r.entity}/${r.id}/${r.relation}`)).toEqual([`member/${survivor.id}/subject`]);
    // Its history holds what the merged record held: the person sees the address they asked about.
    expect(JSON.stringify(exported.body.records[0].history)).toMatch(/yorick\.then@example\.org/);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'yorick.then@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erased.map((e: any) => `${e.entity}/${e.id}/${e.action}`)).toEqual([`member/${survivor.id}/anonymized`]);
    expect((await server.get<any>(`/api/data/member/${survivor.id}`)).body.tier).toBe('silver');
    await scheduler().runDue();
    expect(await filesContaining(server.dataDir, ['Yorick', 'Newman', 'Oldman', 'yorick.now', 'yorick.then', 'Bermondsey'])).toEqual([]);
    expect((await server.get<any>('/api/privacy/export?email=yorick.then@example.org')).body.records).toEqual([]);
  });
});

describe('copies of a merged record\'s values elsewhere', () => {
  it('are scrubbed by the erasure, also after the merge was closed (its copies of the merged record gone)', async () => {
    const survivor = await create('member', { name: 'Xavia Keeper', email: 'xavia@example.org' });
    const twin = await create('member', { name: 'Xavia Formerly', email: 'xavia@example.org', phone: '020 7946 5555', notes: 'prefers the Tower Bridge office' });
    expect((await server.post('/api/quality/member/merge', { survivor: survivor.id, merged: [twin.id] })).status).toBe(200);
    // A write to the survivor closes the merge: the log no longer has the merged record's values.
    expect((await server.patch(`/api/data/member/${survivor.id}`, { tier: 'bronze' })).status).toBe(200);
    // A notification sent earlier quoted the merged record.
    const store = server.server.store;
    await store.syncCollection({ name: '_copiesForTest', indexes: [] });
    await store.transaction((tx) => tx.insert('_copiesForTest', { id: 'n1', version: 1, revision: 0, data: { text: 'Call Xavia Formerly on 020 7946 5555: prefers the Tower Bridge office' } }));

    expect((await server.post('/api/privacy/erase', { email: 'xavia@example.org' })).status).toBe(200);
    expect((await store.get('_copiesForTest', 'n1'))!.data['text']).toBe('Call [erased] on [erased]: [erased]');
  });
});

describe('a retention rule reaching a merged record', () => {
  it('anonymizing or deleting the survivor takes what the merge kept of the merged record; the undo is refused, naming the retention rule', async () => {
    const { twin, merge, files } = await mergedPerson('visitor', 'zelda.kept@example.org');
    const deleted = await mergedPerson('caller', 'zelda.called@example.org');
    server.clock.advance(31 * day);
    const done = await runRetention(server.server.services, server.clock.now());
    expect(done.filter((d) => d.entity === 'visitor' || d.entity === 'caller').map((d) => `${d.entity}:${d.action}`).sort()).toEqual(['caller:deleted', 'visitor:anonymized']);
    await scheduler().runDue();

    for (const id of Object.values(deleted.files)) expect(await fileStored(id)).toBe(false);
    expect(await mergeLog(deleted.merge)).not.toMatch(/oldname|wapping|rotherhithe|quixotic|7946/i);
    await expectUndoRefused(deleted.merge, /retention rule/, /保留期限/);

    expect(await fileStored(files.passport)).toBe(false);
    expect(await download(files.cv)).toBe('Curriculum vitae');
    expect(await download(files.contract)).toBe('Annual service contract');
    expect(await matchKeysOf(twin.id)).toEqual([]);
    expect(await mergeLog(merge)).not.toMatch(/oldname|wapping|rotherhithe|quixotic|7946/i);
    expect(await filesContaining(server.dataDir, [...mergedOnly, ...survivorOwn])).toEqual([]);
    await expectUndoRefused(merge, /retention rule/, /保留期限/);
  });
});
