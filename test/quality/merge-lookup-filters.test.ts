// Merging duplicates under lookup filters. An opportunity's account must be active and its contact
// one of its account's contacts. A merge is refused, whole and in the caller's language, when the
// values the survivor keeps break a filter of its own (reported at the field, as a write would be),
// and when a record pointing at a merged record would, re-pointed to the survivor, fall outside its
// lookup's filter (named by entity and field). The dry run says the same; nothing is half applied.
// A merge whose re-pointed records stay consistent only once all of them are re-pointed goes through.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, expectError } from '../api/api-helpers.ts';

const account = { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true }, active: { type: 'boolean' } } };
const contact = { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' } } };
const opportunity = {
  kind: 'entity', name: 'opportunity', label: { en: 'Opportunity', zh: '商机' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    account: { type: 'lookup', to: 'account', filter: { active: true }, filterMessage: { en: 'must be an active account', zh: '必须是有效客户' } },
    contact: { type: 'lookup', to: 'contact', filter: { account: '$record.account' }, filterMessage: { en: 'must be a contact of the chosen account', zh: '必须是所选客户的联系人' } },
  },
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await applyMetadata(server, [account, contact, opportunity]);
});
afterAll(async () => server?.close());

const merge = (entity: string, body: unknown, locale = 'en', dryRun = false) => server.post<any>(`/api/quality/${entity}/merge${dryRun ? '?dryRun=true' : ''}`, body, { 'accept-language': locale });
const read = async (entity: string, id: string) => (await server.get<any>(`/api/data/${entity}/${id}`)).body;

/** Every answer — merge and dry run, en and zh — is the same refusal; returns the English details. */
async function expectRefused(entity: string, body: unknown, status: number, code: string) {
  const en = await merge(entity, body);
  const details = expectError(en, status, code);
  const zh = await merge(entity, body, 'zh-CN');
  expect(expectError(zh, status, code).map((d) => d.path)).toEqual(details.map((d) => d.path));
  const dry = await merge(entity, body, 'en', true);
  expect(expectError(dry, status, code)).toEqual(details);
  return { details, zh: zh.body.error.details as { path: string; message: string; code?: string }[] };
}

describe('the survivor\'s own lookups', () => {
  let acme: string;
  let globex: string;
  let ada: string;
  let bob: string;

  beforeAll(async () => {
    acme = (await createRecord(server, 'account', { name: 'Acme', active: true })).id;
    globex = (await createRecord(server, 'account', { name: 'Globex', active: true })).id;
    ada = (await createRecord(server, 'contact', { name: 'Ada', account: acme })).id;
    bob = (await createRecord(server, 'contact', { name: 'Bob', account: globex })).id;
  });

  it('refuses a merge whose kept contact is not of the kept account, at /contact, with nothing applied', async () => {
    const survivor = await createRecord(server, 'opportunity', { name: 'Deal', account: acme, contact: ada });
    const duplicate = await createRecord(server, 'opportunity', { name: 'Deal (copy)', account: globex, contact: bob });
    for (const values of [{ contact: duplicate.id }, { account: duplicate.id }]) {
      const { details, zh } = await expectRefused('opportunity', { survivor: survivor.id, merged: [duplicate.id], values }, 400, 'INVALID_RECORD');
      expect(details).toEqual([expect.objectContaining({ path: '/contact', code: 'LOOKUP_FILTER', message: 'must be a contact of the chosen account' })]);
      expect(zh).toEqual([expect.objectContaining({ path: '/contact', code: 'LOOKUP_FILTER', message: '必须是所选客户的联系人' })]);
    }
    expect(await read('opportunity', survivor.id)).toMatchObject({ version: survivor.version, account: acme, contact: ada });
    expect(await read('opportunity', duplicate.id)).toMatchObject({ version: duplicate.version, account: globex, contact: bob });
    // Both taken from the duplicate, they fit together.
    const merged = await merge('opportunity', { survivor: survivor.id, merged: [duplicate.id], values: { account: duplicate.id, contact: duplicate.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.record).toMatchObject({ account: globex, contact: bob });
  });

  it('refuses a merge keeping an account that has since left the filter, at /account', async () => {
    const initech = await createRecord(server, 'account', { name: 'Initech', active: true });
    const survivor = await createRecord(server, 'opportunity', { name: 'Renewal', account: acme });
    const duplicate = await createRecord(server, 'opportunity', { name: 'Renewal (copy)', account: initech.id });
    expect((await server.patch(`/api/data/account/${initech.id}`, { active: false })).status).toBe(200);
    const { details, zh } = await expectRefused('opportunity', { survivor: survivor.id, merged: [duplicate.id], values: { account: duplicate.id } }, 400, 'INVALID_RECORD');
    expect(details).toEqual([expect.objectContaining({ path: '/account', code: 'LOOKUP_FILTER', message: 'must be an active account' })]);
    expect(zh[0]!.message).toBe('必须是有效客户');
    expect(await read('opportunity', duplicate.id)).toMatchObject({ version: duplicate.version });
  });
});

describe('records re-pointed to the survivor', () => {
  it('refuses to merge contacts when an opportunity of the merged contact\'s account would get the survivor of another account', async () => {
    const acme = await createRecord(server, 'account', { name: 'Acme Two', active: true });
    const globex = await createRecord(server, 'account', { name: 'Globex Two', active: true });
    const ada = await createRecord(server, 'contact', { name: 'Ada Lovelace', account: acme.id });
    const adaDuplicate = await createRecord(server, 'contact', { name: 'Ada Lovelace', account: globex.id });
    const fine = await createRecord(server, 'opportunity', { name: 'Fine', account: acme.id, contact: ada.id });
    const deal = await createRecord(server, 'opportunity', { name: 'Globex deal', account: globex.id, contact: adaDuplicate.id });
    const { details, zh } = await expectRefused('contact', { survivor: ada.id, merged: [adaDuplicate.id] }, 409, 'CONFLICT');
    expect(details).toEqual([expect.objectContaining({ path: '/opportunity/contact', code: 'LOOKUP_FILTER' })]);
    expect(details[0]!.message).toContain('must be a contact of the chosen account');
    expect(details[0]!.message).toContain('Opportunity');
    expect(zh[0]!.message).toContain('必须是所选客户的联系人');
    expect(zh[0]!.message).toContain('商机');
    // Nothing half applied: the opportunity, both contacts and the one already pointing at the survivor are as they were.
    expect(await read('opportunity', deal.id)).toMatchObject({ version: deal.version, contact: adaDuplicate.id });
    expect(await read('opportunity', fine.id)).toMatchObject({ version: fine.version });
    expect(await read('contact', adaDuplicate.id)).toMatchObject({ version: adaDuplicate.version });
    expect(await read('contact', ada.id)).toMatchObject({ version: ada.version });
    // With the duplicate as the survivor the Globex deal fits, but the Acme one would not.
    const other = await expectRefused('contact', { survivor: adaDuplicate.id, merged: [ada.id] }, 409, 'CONFLICT');
    expect(other.details.map((d) => d.path)).toEqual(['/opportunity/contact']);
  });

  it('refuses to merge an active account into an inactive one its opportunities may not point to, at /opportunity/account', async () => {
    const closed = await createRecord(server, 'account', { name: 'Umbrella', active: false });
    const open = await createRecord(server, 'account', { name: 'Umbrella Corp', active: true });
    const deal = await createRecord(server, 'opportunity', { name: 'Umbrella deal', account: open.id });
    const { details } = await expectRefused('account', { survivor: closed.id, merged: [open.id] }, 409, 'CONFLICT');
    expect(details).toEqual([expect.objectContaining({ path: '/opportunity/account', code: 'LOOKUP_FILTER' })]);
    expect(details[0]!.message).toContain('must be an active account');
    expect(await read('opportunity', deal.id)).toMatchObject({ version: deal.version, account: open.id });
    expect(await read('account', open.id)).toMatchObject({ version: open.version });
    // Keeping the duplicate's active flag makes the survivor fit.
    const merged = await merge('account', { survivor: closed.id, merged: [open.id], values: { active: open.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(await read('opportunity', deal.id)).toMatchObject({ account: closed.id });
  });

  it('merges accounts whose opportunity and its contact are both re-pointed: the filter holds once all are', async () => {
    const survivor = await createRecord(server, 'account', { name: 'Hooli', active: true });
    const duplicate = await createRecord(server, 'account', { name: 'Hooli Inc', active: true });
    const gavin = await createRecord(server, 'contact', { name: 'Gavin', account: duplicate.id });
    const deal = await createRecord(server, 'opportunity', { name: 'Hooli deal', account: duplicate.id, contact: gavin.id });
    const merged = await merge('account', { survivor: survivor.id, merged: [duplicate.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(await read('opportunity', deal.id)).toMatchObject({ account: survivor.id, contact: gavin.id });
    expect(await read('contact', gavin.id)).toMatchObject({ account: survivor.id });
  });

  it('a bulk merge reports the refused group with the same detail and merges the others', async () => {
    const closed = await createRecord(server, 'account', { name: 'Stark', active: false });
    const open = await createRecord(server, 'account', { name: 'Stark Industries', active: true });
    const deal = await createRecord(server, 'opportunity', { name: 'Stark deal', account: open.id });
    const a = await createRecord(server, 'account', { name: 'Wayne', active: true });
    const b = await createRecord(server, 'account', { name: 'Wayne Enterprises', active: true });
    const res = await server.post<any>('/api/quality/account/merge-groups', { groups: [{ survivor: closed.id, merged: [open.id] }, { survivor: a.id, merged: [b.id] }] }, { 'accept-language': 'zh-CN' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ merged: 1, failed: 1 });
    expect(res.body.results[0].error).toMatchObject({ code: 'CONFLICT', details: [expect.objectContaining({ path: '/opportunity/account', code: 'LOOKUP_FILTER' })] });
    expect(res.body.results[0].error.details[0].message).toContain('必须是有效客户');
    expect(await read('opportunity', deal.id)).toMatchObject({ version: deal.version, account: open.id });
  });
});
