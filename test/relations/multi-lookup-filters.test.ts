// Lookup filters on many-to-many fields: a deal's contacts must be contacts of its account. Refused
// on apply when the filter names what does not exist; refused on every write that links a record
// outside it (each link at its pointer, in the caller's language) and, when the account changes, for
// every link kept; the link endpoint and a merge meet the same check; the picker lists only what fits.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, errorPaths, expectError, query } from '../api/api-helpers.ts';

const account = { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', fields: { name: { type: 'text', required: true } } };
const contact = { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' } } };
const deal = (contactsField: Record<string, unknown>) => ({
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '交易' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' }, contacts: { type: 'multiLookup', to: 'contact', ...contactsField } },
});
const narrowed = { filter: { account: '$record.account' }, filterMessage: { en: 'must be contacts of the deal\'s account', zh: '必须是该交易客户的联系人' } };

describe('multiLookup filters', () => {
  let server: TestServer;
  let acme: string;
  let globex: string;
  let ada: string;
  let amy: string;
  let bob: string;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [account, contact, deal(narrowed)]);
    acme = (await createRecord(server, 'account', { name: 'Acme' })).id;
    globex = (await createRecord(server, 'account', { name: 'Globex' })).id;
    ada = (await createRecord(server, 'contact', { name: 'Ada', account: acme })).id;
    amy = (await createRecord(server, 'contact', { name: 'Amy', account: acme })).id;
    bob = (await createRecord(server, 'contact', { name: 'Bob', account: globex })).id;
  });
  afterAll(async () => server?.close());

  it('refuses on apply a filter naming a field the target lacks, or a $record field the source lacks, at its pointer', async () => {
    const res = await server.post('/api/meta/apply', [account, contact, deal({ filter: { nickname: 'x', account: '$record.company' } })]);
    expectError(res, 400, 'INVALID_METADATA');
    expect(errorPaths(res)).toEqual(['/entity/deal/fields/contacts/filter/account', '/entity/deal/fields/contacts/filter/nickname']);
  });

  it('refuses a write linking a contact of another account, at that link, in the caller\'s language; nothing is written', async () => {
    const en = await server.post('/api/data/deal', { name: 'Deal', account: acme, contacts: [ada, bob] });
    expect(expectError(en, 400, 'INVALID_RECORD')).toEqual([expect.objectContaining({ path: '/contacts/1', code: 'LOOKUP_FILTER', message: 'must be contacts of the deal\'s account' })]);
    const zh = await server.post('/api/data/deal', { name: 'Deal', account: acme, contacts: [ada, bob] }, { 'accept-language': 'zh-CN' });
    expect(expectError(zh, 400, 'INVALID_RECORD')[0]!.message).toBe('必须是该交易客户的联系人');
    expect((await server.get(`/api/data/deal${query({ total: 1 })}`)).body.total).toBe(0);
    // No account chosen: the condition goes.
    expect((await server.post('/api/data/deal', { name: 'Open deal', contacts: [ada, bob] })).status).toBe(201);
  });

  it('checks every kept link when the account changes, and a link added through the link endpoint', async () => {
    const created = await createRecord(server, 'deal', { name: 'Acme deal', account: acme, contacts: [ada, amy] });
    const moved = await server.patch(`/api/data/deal/${created.id}`, { account: globex });
    expect(expectError(moved, 400, 'INVALID_RECORD').map((d) => [d.path, d.code])).toEqual([['/contacts/0', 'LOOKUP_FILTER'], ['/contacts/1', 'LOOKUP_FILTER']]);
    expect((await server.patch(`/api/data/deal/${created.id}`, { account: globex, contacts: [bob] })).status).toBe(200);
    const linked = await server.post(`/api/data/deal/${created.id}/links/contacts`, { ids: [ada] });
    expect(expectError(linked, 400, 'INVALID_RECORD').map((d) => d.code)).toEqual(['LOOKUP_FILTER']);
    expect((await server.get(`/api/data/deal/${created.id}`)).body.contacts).toEqual([bob]);
  });

  it('the picker lists only the contacts of the account the form holds', async () => {
    const names = async (params: Record<string, unknown>) => ((await server.get(`/api/data/contact${query({ ...params, sort: 'name' })}`)).body.items as { name: string }[]).map((c) => c.name);
    expect(await names({ lookupFor: 'deal.contacts', record: { account: acme } })).toEqual(['Ada', 'Amy']);
    expect(await names({ lookupFor: 'deal.contacts', record: {} })).toEqual(['Ada', 'Amy', 'Bob']);
  });

  it('refuses to merge contacts when a deal would link the survivor, of another account; names the entity and field', async () => {
    const duplicate = await createRecord(server, 'contact', { name: 'Ada', account: globex });
    const linking = await createRecord(server, 'deal', { name: 'Globex deal', account: globex, contacts: [bob, duplicate.id] });
    const res = await server.post('/api/quality/contact/merge', { survivor: ada, merged: [duplicate.id] }, { 'accept-language': 'zh-CN' });
    const details = expectError(res, 409, 'CONFLICT');
    expect(details).toEqual([expect.objectContaining({ path: '/deal/contacts', code: 'LOOKUP_FILTER' })]);
    expect(details[0]!.message).toContain('必须是该交易客户的联系人');
    expect((await server.get(`/api/data/deal/${linking.id}`)).body).toMatchObject({ version: linking.version, contacts: [bob, duplicate.id] });
  });
});
