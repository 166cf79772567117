// A lookup column is matched by a field of the looked-up entity, whose stored values are in the
// field type's one form: an e-mail address in lower case, a phone number in half-width digits (as
// Chinese input methods type them, ０２１…). The key was compared as
// the file wrote it, so "Ann@Example.COM" found no account stored as "ann@example.com" and the row
// was refused, though a form typing it finds it (and an upsert key by the same field does). The key
// is now brought to the field's form first. Real HTTP, real store; the file's values differ from the
// stored ones only in that form.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let work: string;
const accounts: { name: string; mail: string; phone: string }[] = [
  { name: 'Acme', mail: 'ann@example.com', phone: '021-5555 0101' },
  { name: 'Bolt', mail: 'bo@example.com', phone: '010-8888 0202' },
];
const ids = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer();
  const account = { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true }, mail: { type: 'email' }, phone: { type: 'phone' } } };
  const contact = { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'ref', fields: { ref: { type: 'text', required: true, unique: true }, account: { type: 'lookup', to: 'account' } } };
  for (const doc of [account, contact]) {
    const put = await server.put(`/api/meta/entities/${doc.name}`, doc);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
  }
  for (const a of accounts) {
    const res = await server.post<any>('/api/data/account', a);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Stored in the field's form, whatever was sent.
    expect([res.body.mail, res.body.phone]).toEqual([a.mail, a.phone]);
    ids.set(a.name, res.body.id);
  }
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-lookup-form-'));
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const fullWidth = (text: string) => text.replace(/[0-9-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

async function importBy(by: 'mail' | 'phone', keys: string[]) {
  const file = path.join(work, `${by}.csv`);
  await writeFile(file, ['ref,account', ...keys.map((k, i) => `${by}-${i},"${k}"`)].join('\r\n') + '\r\n');
  const job = await runJob(server, { upload: await upload(server, file, `${by}.csv`), mapping: { name: by, targets: [{ entity: 'contact', key: ['ref'], columns: { ref: 'ref', account: 'account' }, lookups: { account: { by } } }] }, mode: 'validOnly' });
  const rejected = await rejectedRows(server, job.id);
  expect(rejected.map((r: any) => r.issues.map((i: any) => i.reason)).flat(), by).toEqual([]);
  const linked = await Promise.all(keys.map(async (_, i) => (await server.get<any>(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ ref: `${by}-${i}` }))}`)).body.items[0]?.account));
  return linked;
}

describe('a lookup by a field whose values have one stored form', () => {
  it('finds the account by its e-mail address written in any letter case', async () => {
    expect(await importBy('mail', ['Ann@Example.COM', 'BO@EXAMPLE.COM'])).toEqual([ids.get('Acme'), ids.get('Bolt')]);
  });

  it('finds the account by its phone number in full-width digits', async () => {
    expect(await importBy('phone', accounts.map((a) => fullWidth(a.phone)))).toEqual([ids.get('Acme'), ids.get('Bolt')]);
  });

});
