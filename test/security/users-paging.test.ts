// GET /api/users a page at a time: e-mail order, `next` to continue, search by words, disabled users
// included — the list once answered at most 10,000 users and said nothing of the rest. Real HTTP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachUser } from '../../engine/security/user-store.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
const people = Array.from({ length: 23 }, (_, i) => ({ email: `user${String(i).padStart(2, '0')}@crm.test`, name: i % 4 === 0 ? `Wang Smith ${i}` : `Person ${i}` }));

beforeAll(async () => {
  t = await startTestServer();
  for (const p of people) expect((await t.post('/api/users', { ...p, password: 'long-enough-password' })).status).toBe(201);
  const third = (await t.get<any>('/api/users?q=user02@')).body.items[0];
  expect((await t.patch(`/api/users/${third.id}`, { disabled: true })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function walk(query: string): Promise<{ emails: string[]; pages: number }> {
  const emails: string[] = [];
  let pages = 0;
  for (let after: string | null | undefined; after !== null; ) {
    const res = await t.get<any>(`/api/users?${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages++;
    emails.push(...res.body.items.map((u: { email: string }) => u.email));
    after = res.body.next;
  }
  return { emails, pages };
}

describe('GET /api/users', () => {
  it('pages through every user in e-mail order, disabled ones included, each once', async () => {
    const all = [t.admin!.email, ...people.map((p) => p.email)].sort();
    const { emails, pages } = await walk('limit=10');
    expect(emails).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 10));
    const whole = (await t.get<any>('/api/users')).body;
    expect(whole.items.map((u: { email: string }) => u.email)).toEqual(all);
    expect(whole.next).toBeNull();
  });

  it('finds users by every word of q in the name or e-mail, case-insensitive, paged the same way', async () => {
    const expected = people.filter((p) => /wang/i.test(p.name) && /smith/i.test(p.name)).map((p) => p.email).sort();
    expect(expected.length).toBeGreaterThan(3);
    const { emails } = await walk(`q=${encodeURIComponent('SMITH wang')}&limit=3`);
    expect(emails).toEqual(expected);
    expect((await walk('q=nobody-has-this')).emails).toEqual([]);
  });

  it('refuses a bad page size or an unknown parameter, naming it', async () => {
    for (const [query, path] of [['limit=0', '/query/limit'], ['limit=1001', '/query/limit'], ['limit=x', '/query/limit'], ['page=2', '/query/page']] as const) {
      const res = await t.get<any>(`/api/users?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path), query).toContain(path);
    }
  });

  it('is read whole by the CLI a page at a time (eachUser)', async () => {
    const seen: string[] = [];
    for await (const user of eachUser(t.server.services.store, 4)) seen.push(user.email);
    expect(seen).toEqual([t.admin!.email, ...people.map((p) => p.email)].sort());
  });
});
