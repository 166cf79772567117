// Lookup filters: a lookup field's `filter` narrows the records it may point to, with `$record.x`
// standing for a field of the record being edited — an opportunity's contact must be one of its
// account's contacts. Refused on save when it names what does not exist; refused on every write
// (API and import alike) that points outside it; the picker's search lists only what fits.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, errorPaths, expectError, query } from '../api/api-helpers.ts';
import { rejectedRows, runJob, upload } from '../import/support.ts';

const account = { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', fields: { name: { type: 'text', required: true }, active: { type: 'boolean' } } };
const contact = { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' } } };
const opportunity = (contactField: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: 'entity', name: 'opportunity', label: 'Opportunity', titleField: 'name',
  fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' }, amount: { type: 'number' }, contact: { type: 'lookup', to: 'contact', ...contactField }, ...extra },
});
const narrowed = { filter: { account: '$record.account' }, filterMessage: { en: 'must be a contact of the chosen account', zh: '必须是所选客户的联系人' } };

describe('lookup filters', () => {
  let server: TestServer;
  let acme: string;
  let globex: string;
  let ada: string;
  let bob: string;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [account, contact, opportunity(narrowed)]);
    acme = (await createRecord(server, 'account', { name: 'Acme' })).id;
    globex = (await createRecord(server, 'account', { name: 'Globex' })).id;
    ada = (await createRecord(server, 'contact', { name: 'Ada', account: acme })).id;
    bob = (await createRecord(server, 'contact', { name: 'Bob', account: globex })).id;
    await createRecord(server, 'contact', { name: 'Cy' });
  });
  afterAll(async () => server?.close());

  it('refuses on apply a filter naming a field the target lacks, or a $record field the source lacks, at its pointer', async () => {
    const before = (await server.get('/api/health')).body.revision;
    const res = await server.post('/api/meta/apply', [account, contact, opportunity({ filter: { nickname: 'x', account: '$record.company', $or: [{ name: '$record.amount' }] } })]);
    expectError(res, 400, 'INVALID_METADATA');
    expect(errorPaths(res)).toEqual(['/entity/opportunity/fields/contact/filter/$or/0/name', '/entity/opportunity/fields/contact/filter/account', '/entity/opportunity/fields/contact/filter/nickname']);
    const details = res.body.error.details as { path: string; message: string }[];
    expect(details.find((d) => d.path.endsWith('/filter/account'))!.message).toContain('$record.company');
    expect(details.find((d) => d.path.endsWith('/$or/0/name'))!.message).toMatch(/number.*string/);
    // $record belongs to lookup filters: a view does not know it.
    const view = await server.post('/api/meta/apply', [{ kind: 'view', name: 'byAccount', entity: 'contact', label: 'By account', type: 'list', columns: { name: { order: 1 } }, filter: { account: '$record.account' } }]);
    expect(errorPaths(view)).toEqual(['/view/byAccount/filter/account']);
    expect((await server.get('/api/health')).body.revision).toBe(before);
  });

  it('refuses on apply a $record field computed after the check (a formula), at its pointer, in the caller\'s language', async () => {
    // The write check runs before formulas: it would read the formula's old value, or none, and let anything through.
    const tiered = opportunity({ filter: { account: '$record.tier' } }, { tier: { type: 'formula', returns: 'text', expression: "amount > 1000 ? 'big' : 'small'" } });
    const en = await server.post('/api/meta/apply', [account, contact, tiered]);
    expectError(en, 400, 'INVALID_METADATA');
    expect(errorPaths(en)).toEqual(['/entity/opportunity/fields/contact/filter/account']);
    expect(en.body.error.details[0].message).toMatch(/formula field, computed after the lookup is checked/);
    const zh = await server.post('/api/meta/apply', [account, contact, tiered], { 'accept-language': 'zh' });
    expect(zh.body.error.details[0].message).toMatch(/formula 字段，在检查查找之后才计算/);
  });

  it('refuses on apply an operator the target field does not take with a $record value, as a write with the value filled would', async () => {
    const flagged = { ...contact, fields: { ...contact.fields, vip: { type: 'boolean' } } };
    const res = await server.post('/api/meta/apply', [account, flagged, opportunity({ filter: { vip: { $gte: '$record.urgent' } } }, { urgent: { type: 'boolean' } })]);
    expectError(res, 400, 'INVALID_METADATA');
    expect(errorPaths(res)).toEqual(['/entity/opportunity/fields/contact/filter/vip/$gte']);
  });

  it('refuses a write whose contact is not of the chosen account, at /contact, in the caller\'s language', async () => {
    const en = await server.post('/api/data/opportunity', { name: 'Deal', account: acme, contact: bob });
    const details = expectError(en, 400, 'INVALID_RECORD');
    expect(details).toEqual([expect.objectContaining({ path: '/contact', code: 'LOOKUP_FILTER', message: 'must be a contact of the chosen account' })]);
    const zh = await server.post('/api/data/opportunity', { name: 'Deal', account: acme, contact: bob }, { 'accept-language': 'zh-CN' });
    expect(expectError(zh, 400, 'INVALID_RECORD')[0]!.message).toBe('必须是所选客户的联系人');
    expect((await server.get(`/api/data/opportunity${query({ total: 1 })}`)).body.total).toBe(0);
  });

  it('accepts a contact of the account, and any contact while the account is empty (no narrowing by it)', async () => {
    const deal = await createRecord(server, 'opportunity', { name: 'Fits', account: acme, contact: ada });
    expect(deal.contact).toBe(ada);
    expect((await createRecord(server, 'opportunity', { name: 'No account yet', contact: bob })).contact).toBe(bob);
  });

  it('checks the contact again when the account changes, and names the default reason without a filterMessage', async () => {
    const deal = await createRecord(server, 'opportunity', { name: 'Moving', account: acme, contact: ada });
    const moved = await server.patch(`/api/data/opportunity/${deal.id}`, { account: globex });
    expect(expectError(moved, 400, 'INVALID_RECORD')).toEqual([expect.objectContaining({ path: '/contact', code: 'LOOKUP_FILTER' })]);
    expect((await server.patch(`/api/data/opportunity/${deal.id}`, { account: globex, contact: bob })).status).toBe(200);
    expect((await server.patch(`/api/data/opportunity/${deal.id}`, { name: 'Renamed' })).status).toBe(200);

    await applyMetadata(server, [opportunity({ filter: { account: '$record.account' } })]);
    const plain = expectError(await server.post('/api/data/opportunity', { name: 'X', account: globex, contact: ada }), 400, 'INVALID_RECORD');
    expect(plain[0]).toMatchObject({ path: '/contact', message: "the chosen contact record does not fit this field's filter" });
    const zh = expectError(await server.post('/api/data/opportunity', { name: 'X', account: globex, contact: ada }, { 'accept-language': 'zh' }), 400);
    expect(zh[0]!.message).toBe('所选的 contact 记录不符合此字段的筛选条件');
    await applyMetadata(server, [opportunity(narrowed)]);
  });

  it('lists for the picker only the records the filter bound to the form\'s values lets through', async () => {
    const names = async (params: Record<string, unknown>) => {
      const res = await server.get(`/api/data/contact${query({ sort: 'name', fields: 'name', ...params })}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as { name: string }[]).map((r) => r.name);
    };
    expect(await names({})).toEqual(['Ada', 'Bob', 'Cy']);
    expect(await names({ lookupFor: 'opportunity.contact', record: { account: acme } })).toEqual(['Ada']);
    expect(await names({ lookupFor: 'opportunity.contact', record: { account: globex }, filter: { name: { $regex: 'o' } } })).toEqual(['Bob']);
    expect(await names({ lookupFor: 'opportunity.contact', record: {} })).toEqual(['Ada', 'Bob', 'Cy']);
    expect(errorPaths(await server.get(`/api/data/contact${query({ lookupFor: 'opportunity.account', record: {} })}`))).toEqual(['/query/lookupFor']);
    expect(errorPaths(await server.get(`/api/data/contact${query({ record: {} })}`))).toEqual(['/query/record']);
    expect(errorPaths(await server.get(`/api/data/contact${query({ lookupFor: 'opportunity.contact', record: [1] })}`))).toEqual(['/query/record']);
  });

  it('refuses a form value of another type than its field, or an object, at /query/record/<field> in the caller\'s language', async () => {
    const search = (record: unknown, headers: Record<string, string> = {}) => server.get(`/api/data/contact${query({ lookupFor: 'opportunity.contact', record })}`, headers);
    for (const record of [{ account: 5 }, { account: { $ne: null } }, { account: [acme, globex] }]) {
      const res = await search(record);
      expectError(res, 400, 'INVALID_QUERY');
      expect(errorPaths(res), JSON.stringify(record)).toEqual(['/query/record/account']);
    }
    const zh = expectError(await search({ account: 5 }, { 'accept-language': 'zh' }), 400, 'INVALID_QUERY');
    expect(zh[0]!.message).toMatch(/应为字符串/);
    // Fields the filter does not read are the form's business, whatever they hold.
    expect((await search({ account: acme, name: { any: 'thing' } })).status).toBe(200);
  });

  it('drops a $nor branch whose $record value is empty, rather than letting nothing through', async () => {
    await applyMetadata(server, [opportunity({ filter: { $nor: [{ account: '$record.account' }] } })]);
    try {
      const names = async (record: unknown) => ((await server.get(`/api/data/contact${query({ lookupFor: 'opportunity.contact', record, sort: 'name', fields: 'name' })}`)).body.items as { name: string }[]).map((r) => r.name);
      expect(await names({ account: acme })).toEqual(['Bob', 'Cy']);
      expect(await names({})).toEqual(['Ada', 'Bob', 'Cy']);
      expect((await createRecord(server, 'opportunity', { name: 'Referral, no account yet', contact: ada })).contact).toBe(ada);
    } finally {
      await applyMetadata(server, [opportunity(narrowed)]);
    }
  });

  it('imports go through the same check: a row whose contact is of another account is rejected at its column', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-lookup-filter-'));
    const file = path.join(dir, 'deals.csv');
    await writeFile(file, 'Name,Account,Contact\r\nImported fits,Acme,Ada\r\nImported wrong,Acme,Bob\r\n');
    const mapping = { name: 'deals', targets: [{ entity: 'opportunity', key: ['name'], columns: { name: 'Name', account: 'Account', contact: 'Contact' }, lookups: { account: { by: 'name' }, contact: { by: 'name' } } }] };
    const job = await runJob(server, { upload: await upload(server, file, 'deals.csv'), mapping, mode: 'validOnly' });
    expect(job.status).toBe('done');
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.row?.Name, r.issues.map((i: { column?: string; reason: string }) => `${i.column}:${i.reason}`)])).toEqual([['Imported wrong', ['Contact:must be a contact of the chosen account']]]);
    const imported = await server.get(`/api/data/opportunity${query({ filter: { name: { $regex: '^Imported' } }, fields: 'name' })}`);
    expect(imported.body.items.map((r: { name: string }) => r.name)).toEqual(['Imported fits']);
  });

  it('a field rename rewrites the filter: the target\'s field in its keys, the source\'s in $record values, and nothing else', async () => {
    const usages = (await server.get('/api/meta/usages/entities/opportunity/account')).body.usages as { path: string }[];
    expect(usages.map((u) => u.path)).toContain('/fields/contact/filter/account');
    const renamed = await server.post('/api/meta/refactor/rename', { entity: 'opportunity', field: 'account', to: 'customer', apply: true });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await server.get('/api/meta/entities/opportunity')).body.fields.contact.filter).toEqual({ account: '$record.customer' });
    const target = await server.post('/api/meta/refactor/rename', { entity: 'contact', field: 'account', to: 'company', apply: true });
    expect(target.status, JSON.stringify(target.body)).toBe(200);
    expect((await server.get('/api/meta/entities/opportunity')).body.fields.contact.filter).toEqual({ company: '$record.customer' });
    // Still enforced under the new names.
    expect(expectError(await server.post('/api/data/opportunity', { name: 'Renamed', customer: acme, contact: bob }), 400, 'INVALID_RECORD')[0]!.path).toBe('/contact');
  });
});
