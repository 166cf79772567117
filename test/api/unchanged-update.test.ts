// A PATCH whose values come out as stored is no write: the version, ETag and updatedAt stay, the
// history gains no entry saying nothing, and no `updated` event leaves (a subscription's receiver on
// localhost, delivered by a scheduler tick). A client that sends its whole record on every sync —
// or two systems syncing each other both ways — would otherwise make history and events forever.
// A patch that changes anything, even back to an earlier value, is written as before; so are a
// formula's value that moves and a link that is added again (the link list is unchanged).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startHttpReceiver, type ReceivedRequest } from '../workflow/support/local-receivers.ts';

let t: TestServer;
let receiver: { url: string; requests: ReceivedRequest[]; close(): Promise<void> };

beforeAll(async () => {
  receiver = await startHttpReceiver(() => 200);
  t = await startTestServer({ env: { FEED_SECRET: 'unchanged-update-secret' } });
  const applied = await t.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'member', label: 'Member', titleField: 'name',
      fields: { name: { type: 'text', required: true }, email: { type: 'email' }, tier: { type: 'picklist', options: { gold: { label: 'Gold' }, silver: { label: 'Silver' } } }, visits: { type: 'number' }, doubled: { type: 'formula', returns: 'number', expression: 'visits * 2' } },
      cleansing: { name: { trim: true } },
    },
    { kind: 'role', name: 'integration', label: 'Integration', permissions: { member: { read: 'all' } } },
    { kind: 'subscription', name: 'memberFeed', label: 'Member feed', entity: 'member', events: ['updated'], url: receiver.url, secretRef: 'FEED_SECRET', role: 'integration' },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

/** The `updated` events the receiver got for a record, after a scheduler tick delivered what was queued. */
async function updatesSent(id: string): Promise<number> {
  expect((await t.post('/api/scheduler/tick')).status).toBe(200);
  return receiver.requests.map((request) => JSON.parse(request.body) as { event: string; recordId: string }).filter((event) => event.event === 'updated' && event.recordId === id).length;
}

const historyLength = async (id: string) => ((await t.get<any>(`/api/data/member/${id}/history`)).body.items as unknown[]).length;

describe('an update that changes nothing', () => {
  it('keeps the version, ETag and updatedAt, adds no history entry and sends no event — whatever the patch repeats', async () => {
    const created = await t.post<any>('/api/data/member', { name: 'Ada Byron', email: 'ada@example.com', tier: 'gold', visits: 3 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id } = created.body;
    const entries = await historyLength(id);
    t.clock.advance(60_000);
    // The same values, as a sync client sends them: the whole record, one value in another spelling
    // that cleansing and normalization make the stored one, and an empty patch.
    for (const patch of [{ name: 'Ada Byron', email: 'ada@example.com', tier: 'gold', visits: 3 }, { name: '  Ada Byron ', email: 'ADA@example.com' }, {}]) {
      const res = await t.patch<any>(`/api/data/member/${id}`, patch, { 'if-match': '"1"' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.version).toBe(1);
      expect(res.headers.get('etag')).toBe(created.headers.get('etag'));
      expect(res.body.updatedAt).toBe(created.body.updatedAt);
      expect(res.body.doubled).toBe(6);
    }
    expect((await t.get<any>(`/api/data/member/${id}`)).body.version).toBe(1);
    expect(await historyLength(id)).toBe(entries);
    expect(await updatesSent(id)).toBe(0);
  });

  it('a change is written as before, and a change back is a change too', async () => {
    const { id } = (await t.post<any>('/api/data/member', { name: 'Grace Hopper', visits: 1 })).body;
    const entries = await historyLength(id);
    const changed = await t.patch<any>(`/api/data/member/${id}`, { visits: 2 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect([changed.body.version, changed.body.doubled]).toEqual([2, 4]);
    const back = await t.patch<any>(`/api/data/member/${id}`, { visits: 1 });
    expect([back.body.version, back.body.doubled]).toEqual([3, 2]);
    const history = (await t.get<any>(`/api/data/member/${id}/history`)).body.items;
    expect(history.length).toBe(entries + 2);
    expect(history.at(-1).changes).toEqual({ visits: { before: 2, after: 1 }, doubled: { before: 4, after: 2 } });
    expect(await updatesSent(id)).toBe(2);
  });

  it('a stale If-Match is refused even when the patch would change nothing', async () => {
    const { id } = (await t.post<any>('/api/data/member', { name: 'Alan Turing' })).body;
    expect((await t.patch<any>(`/api/data/member/${id}`, { visits: 5 })).body.version).toBe(2);
    const stale = await t.patch<any>(`/api/data/member/${id}`, { visits: 5 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
  });
});
