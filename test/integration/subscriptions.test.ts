// Event subscriptions over real HTTP, with receivers on localhost: every change in per-record
// order while 8 writers run, each body verified by its signature; a receiver down for five
// attempts gets everything after it returns (manual clock, scheduler ticks — no sleeping); a
// replay sends a past range again; the delivery log shows every attempt; a field hidden from the
// integration role is never sent; field filters, transitions, approvals, and pause with notice.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../engine/webhooks/sign-payload.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { startHttpReceiver, startSmtpSink, type ReceivedMail, type ReceivedRequest } from '../workflow/support/local-receivers.ts';

const secret = 'feed-secret-9d1e';
let t: TestServer;
let seller: TestUser;
let feedDown = false;
let fragileDown = true;
type Receiver = { url: string; requests: ReceivedRequest[]; close(): Promise<void> };
let feed: Receiver;
let watch: Receiver;
let fragile: Receiver;
let picky: Receiver;
let smtp: { url: string; messages: ReceivedMail[]; close(): Promise<void> };

interface Event { id: string; event: string; recordId: string; seq: number; at: string; changed?: string[]; workflow?: { action: string; transition?: string }; record: Record<string, unknown> }

function metadata() {
  return [
    {
      kind: 'entity', name: 'deal', label: 'Deal',
      fields: { title: { type: 'text', required: true }, amount: { type: 'number' }, secretNote: { type: 'text' }, stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' } } } },
    },
    {
      kind: 'workflow', name: 'dealFlow', entity: 'deal', field: 'stage', label: 'Deal flow',
      states: { open: { label: 'Open', initial: true }, won: { label: 'Won' } },
      transitions: { win: { label: 'Win', from: 'open', to: 'won', approval: { steps: { boss: { order: 1, label: 'Boss', approver: { user: 'admin@crm.test' } } } } } },
      triggers: { opened: { on: 'create', when: 'amount < 0', actions: ['noop'] } }, actions: { noop: { type: 'setFields', values: { amount: 'amount' } } },
    },
    { kind: 'role', name: 'seller', label: 'Seller', permissions: { deal: { create: true, read: 'all', update: 'all', delete: 'all' } } },
    { kind: 'role', name: 'integration', label: 'Integration', permissions: { deal: { read: 'all', fields: { secretNote: 'hidden' } } } },
    { kind: 'subscription', name: 'dealFeed', label: 'Deal feed', entity: 'deal', events: ['created', 'updated', 'deleted', 'transition', 'approval'], url: feed.url, secretRef: 'DEAL_FEED_SECRET', role: 'integration', pauseAfterFailures: 8 },
    { kind: 'subscription', name: 'bigAmounts', label: 'Big amounts', entity: 'deal', events: ['updated'], fields: ['amount'], when: 'amount > 100', url: watch.url, secretRef: 'DEAL_FEED_SECRET', role: 'integration' },
    { kind: 'subscription', name: 'picky', label: 'Picky', entity: 'deal', events: ['created'], when: "$contains(title, 'picky')", url: picky.url, secretRef: 'DEAL_FEED_SECRET', role: 'integration' },
    { kind: 'subscription', name: 'fragile', label: 'Fragile', entity: 'deal', events: ['created'], url: fragile.url, secretRef: 'DEAL_FEED_SECRET', role: 'integration', pauseAfterFailures: 2 },
  ];
}

beforeAll(async () => {
  feed = await startHttpReceiver(() => (feedDown ? 503 : 200));
  watch = await startHttpReceiver(() => 200);
  fragile = await startHttpReceiver(() => (fragileDown ? 500 : 200));
  picky = await startHttpReceiver((_n, body) => (body.includes('poison') ? 500 : 200));
  smtp = await startSmtpSink();
  t = await startTestServer({ env: { DEAL_FEED_SECRET: secret, SMTP_URL: smtp.url, SMTP_FROM: 'CRM <crm@crm.test>' } });
  const applied = await t.post('/api/meta/apply', metadata());
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  seller = await t.createUser({ roles: ['seller'] });
  // Who is told when a subscription pauses: a second administrator, a disabled one, a plain user.
  await t.createUser({ email: 'second.admin@crm.test', admin: true });
  const formerAdmin = await t.createUser({ email: 'former.admin@crm.test', admin: true });
  expect((await t.patch(`/api/users/${formerAdmin.id}`, { disabled: true })).status).toBe(200);
  await t.createUser({ email: 'plain.user@crm.test' });
});

afterAll(async () => {
  await t?.close();
  await Promise.all([feed?.close(), watch?.close(), fragile?.close(), picky?.close(), smtp?.close()]);
});

const tick = async () => (await t.post('/api/scheduler/tick')).body;

/** Every request verified by its signature, parsed. */
function events(receiver: Receiver, from = 0): Event[] {
  return receiver.requests.slice(from).map((request) => {
    const timestamp = String(request.headers['x-crm-timestamp']);
    expect(verifySignature(secret, timestamp, request.body, String(request.headers['x-crm-signature'])), 'signature').toBe(true);
    expect(verifySignature('another-secret', timestamp, request.body, String(request.headers['x-crm-signature']))).toBe(false);
    return JSON.parse(request.body) as Event;
  });
}

describe('event subscriptions', () => {
  it('delivers every change in per-record order while 8 writers run; the hidden field is never sent', async () => {
    const shared = (await seller.client.post('/api/data/deal', { title: 'shared', amount: 0.5 })).body;
    const writer = async (w: number) => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await seller.client.post('/api/data/deal', { title: `w${w}-${i}`, amount: i, secretNote: `secret-${w}-${i}` })).body.id);
      for (let round = 1; round <= 3; round++) {
        for (const id of ids) expect((await seller.client.patch(`/api/data/deal/${id}`, { amount: round * 10 + w, ...(round === 2 ? { secretNote: `hush-${w}` } : {}) })).status).toBe(200);
        expect((await seller.client.patch(`/api/data/deal/${shared.id}`, { amount: w * 100 + round })).status).toBe(200);
      }
      expect((await seller.client.delete(`/api/data/deal/${ids[0]}`)).status).toBe(204);
      return ids;
    };
    const written = (await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)))).flat();
    await tick();

    const got = events(feed);
    const byRecord = new Map<string, Event[]>();
    for (const e of got) byRecord.set(e.recordId, [...(byRecord.get(e.recordId) ?? []), e]);
    // Per record: created, then every version in order, then deleted where deleted — carrying the
    // version it deleted, so a receiver applying events by version can order a deletion too.
    for (const id of written) {
      const list = byRecord.get(id)!;
      expect(list[0]!.event).toBe('created');
      const versions = list.filter((e) => e.event !== 'deleted').map((e) => e.record['version']);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      const deleted = list.filter((e) => e.event === 'deleted');
      for (const e of deleted) expect(e.record['version']).toBe(versions.length);
    }
    expect(byRecord.get(shared.id)!.map((e) => e.record['version'])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(got.filter((e) => e.event === 'deleted')).toHaveLength(8);
    expect(got).toHaveLength(1 + 25 - 1 + 8 * (3 * 4 + 1)); // shared: create + 24 updates; each writer: 3 creates, 9 updates, 1 delete
    // seq is the commit order: increasing in arrival order for each record.
    for (const list of byRecord.values()) expect(list.map((e) => e.seq)).toEqual([...list.map((e) => e.seq)].sort((a, b) => a - b));
    // The integration role may not read secretNote: not in any body, not even its values or its name in `changed`.
    expect(feed.requests.some((r) => r.body.includes('secretNote') || r.body.includes('secret-') || r.body.includes('hush-'))).toBe(false);
    expect(new Set(feed.requests.map((r) => r.headers['x-crm-delivery'])).size).toBe(feed.requests.length);
  });

  it('a change only to a hidden field is not sent at all', async () => {
    const deal = (await seller.client.post('/api/data/deal', { title: 'quiet', amount: 5 })).body;
    await tick();
    const before = feed.requests.length;
    await seller.client.patch(`/api/data/deal/${deal.id}`, { secretNote: 'only this' });
    await tick();
    expect(feed.requests.length).toBe(before);
  });

  it('field filter and condition: only amount changes above 100 reach the second subscription', async () => {
    const deal = (await seller.client.post('/api/data/deal', { title: 'watched', amount: 5 })).body;
    await tick();
    const before = watch.requests.length;
    await seller.client.patch(`/api/data/deal/${deal.id}`, { title: 'renamed' });
    await seller.client.patch(`/api/data/deal/${deal.id}`, { amount: 50 });
    await seller.client.patch(`/api/data/deal/${deal.id}`, { amount: 500 });
    await tick();
    const got = events(watch, before);
    expect(got.map((e) => [e.event, e.record['amount'], e.changed])).toEqual([['updated', 500, ['amount']]]);
  });

  it('a receiver down for five attempts gets every event after it returns, in order; the log shows every attempt', async () => {
    feedDown = true;
    const before = feed.requests.length;
    const deal = (await seller.client.post('/api/data/deal', { title: 'outage', amount: 1 })).body;
    await seller.client.patch(`/api/data/deal/${deal.id}`, { amount: 2 });
    await seller.client.patch(`/api/data/deal/${deal.id}`, { amount: 3 });
    await tick();
    for (let attempt = 2; attempt <= 5; attempt++) {
      t.clock.advance(3_600_000 + 1000); // past the longest backoff
      await tick();
    }
    // Only the first event was tried (five times): the later ones wait behind it.
    const during = events(feed, before);
    expect(during.map((e) => e.record['amount'])).toEqual([1, 1, 1, 1, 1]);
    feedDown = false;
    t.clock.advance(3_600_000 + 1000);
    await tick();
    const after = events(feed, before + 5);
    expect(after.map((e) => [e.event, e.record['amount']])).toEqual([['created', 1], ['updated', 2], ['updated', 3]]);

    const log = (await t.get('/api/subscriptions/dealFeed/deliveries?limit=1000')).body.items as { deliveryId: string; attempt: number; outcome: string; status?: number; nextAttemptAt?: string }[];
    const first = log.filter((a) => a.deliveryId === during[0]!.id).sort((a, b) => a.attempt - b.attempt);
    expect(first.map((a) => [a.attempt, a.outcome, a.status])).toEqual([[1, 'failed', 503], [2, 'failed', 503], [3, 'failed', 503], [4, 'failed', 503], [5, 'failed', 503], [6, 'delivered', 200]]);
    expect(first.slice(0, 5).every((a) => typeof a.nextAttemptAt === 'string')).toBe(true);
    const state = (await t.get('/api/subscriptions')).body.items.find((s: { name: string }) => s.name === 'dealFeed');
    expect(state).toMatchObject({ paused: false, pending: 0, failedRounds: 0 });
  });

  it('replays one event, and a past time range, with the original bodies', async () => {
    const range = (await t.get('/api/subscriptions/dealFeed/events?limit=1000')).body.items as { id: string; at: string; seq: number; replayOf?: string }[];
    expect(range.length).toBeGreaterThan(100);
    const from = range[10]!.at;
    const to = range[20]!.at;
    const inRange = range.filter((e) => e.at >= from && e.at <= to && !e.replayOf);
    const before = feed.requests.length;
    const replay = await t.post('/api/subscriptions/dealFeed/replay', { from, to });
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    expect(replay.body.replayed).toBe(inRange.length);
    await tick();
    // Records side by side, so compare as sets; per record the order holds (as for every delivery).
    const again = events(feed, before);
    expect(again.map((e) => e.id).sort()).toEqual(inRange.map((e) => e.id).sort());
    const originals = new Map(feed.requests.slice(0, before).map((r) => [JSON.parse(r.body).id as string, r.body]));
    for (const request of feed.requests.slice(before)) expect(request.body).toBe(originals.get(JSON.parse(request.body).id));

    const one = await t.post('/api/subscriptions/dealFeed/replay', { event: range[0]!.id });
    expect(one.body.replayed).toBe(1);
    await tick();
    expect(events(feed, before + inRange.length).map((e) => e.id)).toEqual([range[0]!.id]);
    expect((await t.post('/api/subscriptions/dealFeed/replay', { from: 'yesterday' })).status).toBe(400);
    expect((await seller.client.post('/api/subscriptions/dealFeed/replay', { event: range[0]!.id })).status).toBe(403);
  });

  it('sends a transition and an approval decision as their own events, in order', async () => {
    const deal = (await seller.client.post('/api/data/deal', { title: 'big one', amount: 9 })).body;
    await tick();
    const before = feed.requests.length;
    const requested = await seller.client.post(`/api/data/deal/${deal.id}/transitions/win`, {});
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const approved = await t.post(`/api/approvals/${requested.body.approval.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await tick();
    const got = events(feed, before);
    // The last step's approval moves the record in the same commit: both events show it moved.
    expect(got.map((e) => [e.event, e.workflow?.action, e.record['stage']])).toEqual([['approval', 'approval.approve', 'won'], ['transition', 'transition', 'won']]);
    expect(got[1]!.workflow).toMatchObject({ transition: 'win', from: 'open', to: 'won' });
  });

  it('one record whose delivery fails does not hold up the others while it waits for its retry', async () => {
    const titles = (from = 0) => events(picky, from).map((e) => String(e.record['title']));
    await seller.client.post('/api/data/deal', { title: 'picky poison', amount: 1 });
    await tick();
    expect(titles()).toEqual(['picky poison']);
    // Nothing got through in that round: the receiver as a whole is given its backoff first.
    await seller.client.post('/api/data/deal', { title: 'picky fine 1', amount: 2 });
    await tick();
    expect(titles()).toEqual(['picky poison']);
    t.clock.advance(31_000);
    await tick();
    expect(titles(1).sort()).toEqual(['picky fine 1', 'picky poison']);
    // Now only the poisoned record waits (its third attempt is a minute away, and the clock stays):
    // a new record's event goes at once instead of queueing behind it.
    await seller.client.post('/api/data/deal', { title: 'picky fine 2', amount: 3 });
    await tick();
    expect(titles(3)).toEqual(['picky fine 2']);
  });

  it('pauses after repeated failure, tells the administrators, and delivers on resume', async () => {
    t.clock.advance(3_600_000 + 1000);
    await tick();
    t.clock.advance(3_600_000 + 1000);
    await tick();
    const state = (await t.get('/api/subscriptions')).body.items.find((s: { name: string }) => s.name === 'fragile');
    expect(state.paused).toBe(true);
    expect(state.pending).toBeGreaterThan(0);
    const inbox = (await t.get('/api/notifications')).body.items as { subject: string }[];
    expect(inbox.some((n) => n.subject.includes('fragile') && n.subject.includes('paused'))).toBe(true);
    // …and by e-mail (engine/mail), to the administrator's address.
    const told = smtp.messages.filter((m) => m.raw.includes('Subscription fragile paused')).flatMap((m) => m.to).sort();
    // Every administrator not disabled: not the disabled one, not the plain user (made in beforeAll).
    expect(told).toEqual(['admin@crm.test', 'second.admin@crm.test']);
    // Paused: nothing more is tried, whatever the clock says.
    const tried = fragile.requests.length;
    t.clock.advance(10 * 3_600_000);
    await tick();
    expect(fragile.requests.length).toBe(tried);
    fragileDown = false;
    expect((await t.post('/api/subscriptions/fragile/resume', {})).status).toBe(200);
    await tick();
    const after = (await t.get('/api/subscriptions')).body.items.find((s: { name: string }) => s.name === 'fragile');
    expect(after).toMatchObject({ paused: false, pending: 0 });
    expect(events(fragile, tried).every((e) => e.event === 'created')).toBe(true);
  });

  it('every body and header sent is what the API document\u2019s webhook recordEvent declares', async () => {
    const doc = (await t.get<any>('/api/openapi.json')).body;
    const hook = doc.webhooks?.recordEvent?.post;
    expect(hook?.requestBody?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/crm.SubscriptionEvent' });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validBody = ajv.compile(doc.components.schemas['crm.SubscriptionEvent']);
    const headers = (hook.parameters as { name: string; in: string; required: boolean; schema: { pattern?: string } }[]).filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name).sort()).toEqual(['X-CRM-Delivery', 'X-CRM-Signature', 'X-CRM-Timestamp']);
    const sent = [...feed.requests, ...watch.requests];
    // Created, updated, deleted, transition and approval events were all sent by the tests above.
    expect(new Set(sent.map((r) => JSON.parse(r.body).event))).toEqual(new Set(['created', 'updated', 'deleted', 'transition', 'approval']));
    for (const request of sent) {
      expect(validBody(JSON.parse(request.body)), JSON.stringify(validBody.errors)).toBe(true);
      for (const header of headers) {
        const value = request.headers[header.name.toLowerCase()];
        expect(typeof value, header.name).toBe('string');
        if (header.schema.pattern) expect(value).toMatch(new RegExp(header.schema.pattern));
      }
    }
  });
});
