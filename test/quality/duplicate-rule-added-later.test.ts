// A blocking duplicate rule added to an entity that already holds duplicates, over HTTP. The rule
// finds them at once (the keys are built for the stored records: the scan and a new write both name
// them), a new duplicate is refused with 409 at the matched field's pointer, in the caller's
// language (the field named by its label) — but the records that were duplicates before the rule existed stay editable: a write
// that leaves the matched fields as they are makes no duplicate, so it is warned of, not refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, email: { type: 'email', label: { en: 'E-mail', zh: '电子邮箱' } } },
};
const withRule = { ...contact, duplicateRules: { sameEmail: { match: ['email'], method: 'normalized', action: 'block' } } };

const emails = ['Kim@Example.com', 'kim@example.COM', 'lee@example.com'];
const ids: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/contact', contact)).status).toBe(201);
  for (const [i, email] of emails.entries()) {
    const res = await server.post<any>('/api/data/contact', { name: `Person ${i}`, email });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  const res = await server.put('/api/meta/entities/contact', withRule);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}, 60_000);
afterAll(async () => server?.close());

const folded = (email: string) => email.toLowerCase();
const twins = () => ids.filter((_, i) => emails.filter((e) => folded(e) === folded(emails[i]!)).length > 1).sort();

async function patch(id: string, values: Record<string, unknown>, locale = 'en') {
  const current = await server.get<any>(`/api/data/contact/${id}`);
  return server.patch<any>(`/api/data/contact/${id}`, values, { 'if-match': current.headers.get('etag')!, 'accept-language': locale });
}

describe('a blocking rule added over existing duplicates', () => {
  it('finds the duplicates already stored', async () => {
    const scan = await server.get<any>('/api/quality/contact/duplicates');
    expect(scan.body.items.map((c: any) => c.ids)).toEqual([twins()]);
  });

  it('refuses a new duplicate at the matched field, in the caller\'s language', async () => {
    const en = await server.post<any>('/api/data/contact', { name: 'New', email: emails[0]!.toUpperCase() });
    expect(en.status).toBe(409);
    expect(en.body.error.details.map((d: any) => d.path)).toEqual(['/email']);
    expect(en.body.error.details[0].message).toContain(twins()[0]);
    const zh = await server.post<any>('/api/data/contact', { name: 'New', email: emails[0] }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(409);
    expect(zh.body.error.details[0].path).toBe('/email');
    // The field by its label in the caller's language, as the form shows it.
    expect(zh.body.error.details[0].message).toMatch(/重复.*电子邮箱/);
    expect(en.body.error.details[0].message).toContain('E-mail');
    const moved = await patch(ids[2]!, { email: emails[1] });
    expect(moved.status).toBe(409);
    expect(moved.body.error.details[0].path).toBe('/email');
  });

  it('lets an existing duplicate be edited elsewhere, warning of its twin', async () => {
    const [first, second] = twins();
    const res = await patch(first!, { name: 'Renamed' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.name).toBe('Renamed');
    expect(JSON.parse(res.headers.get('x-crm-duplicates')!)).toEqual([expect.objectContaining({ rule: 'sameEmail', ids: [second] })]);
  });
});
