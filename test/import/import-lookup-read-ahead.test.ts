// Lookups and upsert keys on a field without an index (an account's name), read ahead for each batch
// in one query: each row still gets what a query of its own would say — the one account holding the
// name (not another whose name differs only in letter case), a refusal naming the key when none or
// several hold it, and an account the same file created or changed earlier in the batch (several
// entities from one file; a key given twice). Real HTTP, real store; a dry run counts the same.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

const account = {
  kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, city: { type: 'text' } },
};
const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account' } },
};
const contactsOnly = { name: 'contacts', targets: [{ entity: 'contact', key: ['code'], columns: { code: 'code', name: 'name', account: 'account' }, lookups: { account: { by: 'name' } } }] };

let server: TestServer;
let work: string;
const accountIds = new Map<string, string[]>();

async function createAccount(name: string, city?: string): Promise<string> {
  const res = await server.post<any>('/api/data/account', { name, ...(city ? { city } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  accountIds.set(name, [...(accountIds.get(name) ?? []), res.body.id]);
  return res.body.id;
}

async function accountOf(code: string): Promise<string | undefined> {
  const res = await server.get<any>(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ code }))}`);
  expect(res.body.items, code).toHaveLength(1);
  return res.body.items[0].account;
}

async function importCsv(name: string, lines: string[], mapping: unknown, mode = 'validOnly') {
  const file = path.join(work, `${name}.csv`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return runJob(server, { upload: await upload(server, file, `${name}.csv`), mapping, mode });
}

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-import-lookup-ahead-'));
  for (const doc of [account, contact]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
  for (const name of ['Acme', 'ACME', 'Twin', 'Twin', 'Solo']) await createAccount(name);
  // Enough accounts that the batch's keys are a small part of them.
  for (let i = 1; i <= 40; i++) await createAccount(`Filler ${i}`);
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('an import resolving lookups by a field without an index', () => {
  const lines = ['code,name,account', 'K1,Kim,Acme', 'K2,Lee,ACME', 'K3,Max,Twin', 'K4,Ned,Nobody', 'K5,Ola,Solo', 'K6,Pia,  Solo ', 'K7,Quy,acme'];

  it('a dry run says what the import then does', async () => {
    const dry = await importCsv('dry', lines, contactsOnly, 'dryRun');
    expect(dry.status).toBe('done');
    expect(dry.counts).toMatchObject({ rows: 7, created: 4, rejected: 3 });
  });

  it('links each row to the one account holding its key, and refuses a key none or several hold', async () => {
    const job = await importCsv('contacts', lines, contactsOnly);
    expect(job.counts).toMatchObject({ rows: 7, created: 4, rejected: 3 });
    expect(await accountOf('K1')).toBe(accountIds.get('Acme')![0]);
    // Differs from "Acme" only in case: its own account, as a query of its own finds.
    expect(await accountOf('K2')).toBe(accountIds.get('ACME')![0]);
    expect(await accountOf('K5')).toBe(accountIds.get('Solo')![0]);
    expect(await accountOf('K6')).toBe(accountIds.get('Solo')![0]);
    const rejected = await rejectedRows(server, job.id);
    const reasons = Object.fromEntries(rejected.map((r: any) => [r.line, r.issues.map((i: any) => `${i.field}: ${i.reason}`)]));
    expect(reasons).toEqual({
      4: ['account: more than one Account has name "Twin": the row cannot say which (rename one, or give the id)'],
      5: ['account: no Account with name "Nobody"'],
      8: ['account: no Account with name "acme"'],
    });
  });

  it('several entities from one file: a contact is linked to the account its own row, or a row before it in the batch, created', async () => {
    const mapping = {
      name: 'accounts-and-contacts',
      targets: [
        { entity: 'account', key: ['name'], columns: { name: 'account', city: 'city' } },
        { entity: 'contact', key: ['code'], columns: { code: 'code', name: 'name', account: 'account' }, lookups: { account: { by: 'name' } } },
      ],
    };
    const job = await importCsv('both', ['code,name,account,city', 'N1,Ray,Newco,Oslo', 'N2,Sam,Newco,Oslo', 'N3,Tia,Solo,Rome', 'N4,Uma,Other,Bergen'], mapping);
    expect(job.counts).toMatchObject({ rows: 4, rejected: 0 });
    const created = await server.get<any>(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ name: { $in: ['Newco', 'Other'] } }))}&sort=name`);
    expect(created.body.items.map((a: any) => a.name)).toEqual(['Newco', 'Other']);
    const [newco, other] = created.body.items.map((a: any) => a.id);
    expect(await accountOf('N1')).toBe(newco);
    expect(await accountOf('N2')).toBe(newco);
    // Solo updated by the first target (its city) in the batch, and still found by its name.
    expect(await accountOf('N3')).toBe(accountIds.get('Solo')![0]);
    expect((await server.get<any>(`/api/data/account/${accountIds.get('Solo')![0]}`)).body.city).toBe('Rome');
    expect(await accountOf('N4')).toBe(other);
  });
});

describe('an import upserting by a field without an index', () => {
  const accountsByName = { name: 'accounts', targets: [{ entity: 'account', key: ['name'], columns: { name: 'name', city: 'city' } }] };
  const lines = ['name,city', 'Beta,Paris', 'Gem,Quito', 'Uno,Rome', 'Uno,Lima', 'Fresh,Oslo', 'Fresh,Bergen', 'delta,Kyiv'];
  const named = async (name: string) => (await server.get<any>(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ name }))}`)).body.items;

  beforeAll(async () => {
    for (const name of ['Beta', 'Delta', 'DELTA', 'Gem', 'Gem', 'Uno']) await createAccount(name);
  });

  it('updates the one record holding the key — again when the file gives it twice —, creates where none does, refuses where several do', async () => {
    const dry = await importCsv('accounts-dry', lines, accountsByName, 'dryRun');
    // Uno and Fresh twice each: the second row finds what the first wrote.
    const expected = { rows: 7, created: 2, updated: 4, rejected: 1 };
    expect(dry.counts).toMatchObject(expected);
    const job = await importCsv('accounts', lines, accountsByName);
    expect(job.counts).toMatchObject(expected);
    expect((await named('Beta')).map((a: any) => [a.id, a.city])).toEqual([[accountIds.get('Beta')![0], 'Paris']]);
    // No stored name is "delta" as written: a record of its own, as a query of the key finds none.
    expect((await named('delta')).map((a: any) => a.city)).toEqual(['Kyiv']);
    expect([...(await named('Delta')), ...(await named('DELTA'))].map((a: any) => a.city)).toEqual([undefined, undefined]);
    expect((await named('Uno')).map((a: any) => [a.id, a.city, a.version])).toEqual([[accountIds.get('Uno')![0], 'Lima', 3]]);
    expect((await named('Fresh')).map((a: any) => [a.city, a.version])).toEqual([['Bergen', 2]]);
    expect((await named('Gem')).map((a: any) => a.city)).toEqual([undefined, undefined]);
    const rejected = await rejectedRows(server, job.id);
    expect(rejected.map((r: any) => [r.line, r.issues.map((i: any) => i.reason)])).toEqual([[3, ['more than one Account has this name']]]);
  });
});
