// Regression, the list-flood class (issue 9, defect 6): approval lists read the newest 500 approvals
// and filtered them afterwards, so one user opening 505 requests pushed another user's pending
// approval out of the window — their approver saw an empty list. The lists now filter in the store
// query (who the current step waits for, who requested it) and page with a cursor.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let t: TestServer;
let flooder: TestUser;
let requester: TestUser;
let manager: TestUser;
let clerk: TestUser;
let quietId: string;
const floodSize = 505;

const metadata = [
  { kind: 'entity', name: 'request', label: 'Request', fields: { title: { type: 'text', required: true }, big: { type: 'boolean' }, status: { type: 'picklist', options: { draft: {}, done: {} } } } },
  {
    kind: 'workflow', name: 'requestFlow', entity: 'request', label: 'Request', field: 'status',
    states: { draft: { label: 'Draft', initial: true }, done: { label: 'Done', final: true } },
    transitions: {
      submit: {
        label: 'Submit', from: 'draft', to: 'done',
        approval: { steps: { manager: { order: 10, label: 'Manager', approver: { role: 'manager' }, when: 'big = true' }, clerk: { order: 20, label: 'Clerk', approver: { role: 'clerk' }, when: 'big != true' } } },
      },
    },
  },
  { kind: 'role', name: 'staff', label: 'Staff', permissions: { request: { create: true, read: 'own', update: 'own' } } },
  { kind: 'role', name: 'manager', label: 'Manager', permissions: { request: { read: 'all', update: 'all' } } },
  { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { request: { read: 'all', update: 'all' } } },
];

async function submitted(who: TestUser, title: string, big: boolean): Promise<string> {
  const created = await who.client.post('/api/data/request', { title, big });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const res = await who.client.post(`/api/data/request/${created.body.id}/transitions/submit`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.approval.id;
}

async function allPages(who: TestUser, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await who.client.get(`/api/approvals?${query}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.items.map((a: { id: string }) => a.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  flooder = await t.createUser({ roles: ['staff'] });
  requester = await t.createUser({ roles: ['staff'] });
  manager = await t.createUser({ roles: ['manager'] });
  clerk = await t.createUser({ roles: ['clerk'] });
  // The quiet request first, then the flood: 505 newer pending approvals, none for the manager.
  quietId = await submitted(requester, 'New laptop', true);
  for (let i = 0; i < floodSize; i += 15) {
    await Promise.all(Array.from({ length: Math.min(15, floodSize - i) }, (_, k) => submitted(flooder, `Pen ${i + k}`, false)));
  }
}, 240_000);
afterAll(async () => t?.close());

describe('approval lists cannot be flooded', () => {
  it("another user's 505 requests do not hide the one approval waiting for the manager", async () => {
    const res = await manager.client.get('/api/approvals');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([quietId]);
    expect(res.body.nextCursor).toBeUndefined();
    expect((await manager.client.post(`/api/approvals/${quietId}/approve`, {})).body.status).toBe('approved');
    expect((await manager.client.get('/api/approvals')).body.items).toEqual([]);
  });

  it("the requester's own list is not crowded out either", async () => {
    const mine = await requester.client.get('/api/approvals?requested=1');
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([quietId]);
  });

  it('the flood itself is there for the one it waits for, every approval once, a page at a time', async () => {
    const waiting = await allPages(clerk, '', 200);
    expect(waiting.pages).toBe(3);
    expect(new Set(waiting.ids).size).toBe(floodSize);
    const requested = await allPages(flooder, 'requested=1&', 100);
    expect(requested.ids).toEqual(waiting.ids);
    expect(requested.pages).toBe(6);
  });

  it('a cursor that is not one, or a page size beyond the cap, is 400 with its pointer', async () => {
    const badCursor = await clerk.client.get('/api/approvals?cursor=zzz');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details).toEqual([expect.objectContaining({ path: '/query/cursor' })]);
    expect((await clerk.client.get('/api/approvals?limit=201')).status).toBe(400);
  });
});
