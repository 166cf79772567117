// Idempotent writes over real HTTP: a POST retried with the same Idempotency-Key after a network
// drop creates one record and gets the first answer; the key is per user, refuses another body,
// serializes concurrent duplicates, lasts 24 h of clock time, and covers transitions and
// reassignments too. The key's mark commits in the write's own transaction.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithTransactionHook } from '../../engine/store/transaction-hooks.ts';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let t: TestServer;
let clerk: TestUser;

const metadata = [
  { kind: 'entity', name: 'order', label: 'Order', fields: { ref: { type: 'text', required: true }, amount: { type: 'number' }, stage: { type: 'picklist', options: { open: { label: 'Open' }, shipped: { label: 'Shipped' } } } } },
  {
    kind: 'workflow', name: 'orderFlow', entity: 'order', field: 'stage', label: 'Order flow', triggers: { opened: { on: 'create', actions: ['noop'] } }, actions: { noop: { type: 'setFields', values: { amount: 'amount' } } },
    states: { open: { label: 'Open', initial: true }, shipped: { label: 'Shipped' } },
    transitions: { ship: { label: 'Ship', from: 'open', to: 'shipped' } },
  },
  { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { order: { create: true, read: 'all', update: 'all', reassign: 'all' } } },
];

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  clerk = await t.createUser({ roles: ['clerk'] });
});

afterAll(async () => {
  await t?.close();
});

const count = async (ref: string): Promise<number> => (await t.get(`/api/data/order?total=1&filter=${encodeURIComponent(JSON.stringify({ ref }))}`)).body.total;

/** Sends a raw HTTP POST on its own socket; `readAnswer` false drops the connection right after sending. */
function rawPost(path: string, body: unknown, headers: Record<string, string>, readAnswer: boolean): Promise<string> {
  const url = new URL(t.url);
  const text = JSON.stringify(body);
  const lines = [`POST ${path} HTTP/1.1`, `host: ${url.host}`, 'content-type: application/json', `content-length: ${Buffer.byteLength(text)}`, 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`${lines.join('\r\n')}\r\n\r\n${text}`, () => {
        if (!readAnswer) {
          socket.destroy(); // the network drops: the client never sees an answer
          resolve('');
        }
      });
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', (error) => (readAnswer ? reject(error) : resolve('')));
  });
}

describe('Idempotency-Key on POST', () => {
  it('a create retried after the client socket was dropped creates one record', async () => {
    const key = 'drop-1';
    await rawPost('/api/data/order', { ref: 'R-drop', amount: 10 }, { authorization: `Bearer ${t.admin!.token}`, 'idempotency-key': key }, false);
    const retry = await t.post('/api/data/order', { ref: 'R-drop', amount: 10 }, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    const again = await t.post('/api/data/order', { ref: 'R-drop', amount: 10 }, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(retry.body.id);
    expect(await count('R-drop')).toBe(1);
  });

  it('the retry gets the first answer: same status, body and headers', async () => {
    const raw = await rawPost('/api/data/order', { ref: 'R-first', amount: 3 }, { authorization: `Bearer ${t.admin!.token}`, 'idempotency-key': 'first-answer' }, true);
    const [head, firstBody] = raw.split('\r\n\r\n') as [string, string];
    const firstHeaders = new Map(head.split('\r\n').slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    expect(head.startsWith('HTTP/1.1 201')).toBe(true);
    const retry = await t.post('/api/data/order', { ref: 'R-first', amount: 3 }, { 'idempotency-key': 'first-answer' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(JSON.stringify(retry.body)).toBe(firstBody.trim());
    expect(retry.headers.get('etag')).toBe(firstHeaders.get('etag'));
    expect(retry.headers.get('location')).toBe(firstHeaders.get('location'));
    expect(await count('R-first')).toBe(1);
  });

  it('without a key, the same retry creates a second record (what the key prevents)', async () => {
    await t.post('/api/data/order', { ref: 'R-nokey' });
    await t.post('/api/data/order', { ref: 'R-nokey' });
    expect(await count('R-nokey')).toBe(2);
  });

  it('the same key with another body is refused with 422 and acts not', async () => {
    await t.post('/api/data/order', { ref: 'R-body', amount: 1 }, { 'idempotency-key': 'body-1' });
    const other = await t.post('/api/data/order', { ref: 'R-body', amount: 2 }, { 'idempotency-key': 'body-1' });
    expect(expectError(other, 422, 'IDEMPOTENCY_KEY_REUSED')[0]!.path).toBe('/headers/idempotency-key');
    const otherPath = await t.post('/api/data/order/x/transitions/ship', { ref: 'R-body', amount: 1 }, { 'idempotency-key': 'body-1' });
    expectError(otherPath, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await count('R-body')).toBe(1);
  });

  it('a retry whose object keys come in another order is the same request', async () => {
    const first = await t.post('/api/data/order', { ref: 'R-order', amount: 4 }, { 'idempotency-key': 'order-keys' });
    expect(first.status).toBe(201);
    const reordered = await t.post('/api/data/order', { amount: 4, ref: 'R-order' }, { 'idempotency-key': 'order-keys' });
    expect(reordered.status).toBe(201);
    expect(reordered.headers.get('idempotent-replayed')).toBe('true');
    expect(reordered.body.id).toBe(first.body.id);
    expect(await count('R-order')).toBe(1);
  });

  it('a request refused before anything was written does not spend its key: the corrected one acts with it', async () => {
    const refused = await t.post('/api/data/order', { ref: 'R-fix', amount: 'ten' }, { 'idempotency-key': 'fix-1' });
    expect(expectError(refused, 400, 'INVALID_RECORD')[0]!.path).toBe('/amount');
    const corrected = await t.post('/api/data/order', { ref: 'R-fix', amount: 10 }, { 'idempotency-key': 'fix-1' });
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    // From here the key holds the created answer: a retry replays it, another body is refused.
    const retry = await t.post('/api/data/order', { ref: 'R-fix', amount: 10 }, { 'idempotency-key': 'fix-1' });
    expect(retry.body.id).toBe(corrected.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expectError(await t.post('/api/data/order', { ref: 'R-fix', amount: 11 }, { 'idempotency-key': 'fix-1' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await count('R-fix')).toBe(1);
  });

  it('keys are per user: another user with the same key acts for themselves', async () => {
    const mine = await t.post('/api/data/order', { ref: 'R-user' }, { 'idempotency-key': 'shared-key' });
    const theirs = await clerk.client.post('/api/data/order', { ref: 'R-user' }, { 'idempotency-key': 'shared-key' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('R-user')).toBe(2);
  });

  it('concurrent duplicates wait for the first and get its answer', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.post('/api/data/order', { ref: 'R-race' }, { 'idempotency-key': 'race-1' })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect(await count('R-race')).toBe(1);
  });

  it('a key is kept 24 hours of clock time, then it may act again', async () => {
    const first = await t.post('/api/data/order', { ref: 'R-ttl' }, { 'idempotency-key': 'ttl-1' });
    t.clock.advance(23 * 3_600_000);
    expect((await t.post('/api/data/order', { ref: 'R-ttl' }, { 'idempotency-key': 'ttl-1' })).body.id).toBe(first.body.id);
    t.clock.advance(2 * 3_600_000);
    const later = await t.post('/api/data/order', { ref: 'R-ttl' }, { 'idempotency-key': 'ttl-1' });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await count('R-ttl')).toBe(2);
  });

  it('a transition and a reassignment retried with their key act once', async () => {
    const order = (await t.post('/api/data/order', { ref: 'R-move' })).body;
    const moved = await t.post(`/api/data/order/${order.id}/transitions/ship`, {}, { 'idempotency-key': 'ship-1' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const retried = await t.post(`/api/data/order/${order.id}/transitions/ship`, {}, { 'idempotency-key': 'ship-1' });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(moved.body);
    // Without the key the second attempt is a real second try: refused, it is shipped already.
    expect((await t.post(`/api/data/order/${order.id}/transitions/ship`, {})).status).toBe(409);
    const reassigned = await t.post(`/api/data/order/${order.id}/reassign`, { owner: clerk.id }, { 'idempotency-key': 'reassign-1' });
    expect(reassigned.status, JSON.stringify(reassigned.body)).toBe(200);
    const again = await t.post(`/api/data/order/${order.id}/reassign`, { owner: clerk.id }, { 'idempotency-key': 'reassign-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const history = (await t.get(`/api/data/order/${order.id}/history`)).body.items as { action: string }[];
    expect(history.filter((h) => h.action === 'reassign')).toHaveLength(1);
  });

  it('a malformed key is refused with its pointer', async () => {
    expect(expectError(await t.post('/api/data/order', { ref: 'R-bad' }, { 'idempotency-key': 'x'.repeat(256) }), 400, 'BAD_REQUEST')[0]!.path).toBe('/headers/idempotency-key');
  });

  it('an answer lost in a crash after the commit is rebuilt from the committed mark', async () => {
    const store = t.server.store;
    const order = (await t.post('/api/data/order', { ref: 'R-crash' })).body;
    const { keyDocumentId, fingerprintOf, keyHashOf } = await import('../../engine/idempotency/idempotency-records.ts');
    const now = t.clock.now();
    const entry = {
      user: t.admin!.id, keyHash: keyHashOf('crash-1'), fingerprint: fingerprintOf('POST', '/api/data/order', { ref: 'R-crash' }), state: 'committed',
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
      outcomes: [{ type: 'created', entity: 'order', id: order.id }],
    };
    await store.transaction((tx) => tx.insert('_idempotencyKeys', { id: keyDocumentId(t.admin!.id, 'crash-1'), version: 1, revision: 0, data: entry }));
    expectError(await t.post('/api/data/order', { ref: 'R-crash' }, { 'idempotency-key': 'crash-1' }), 409, 'IDEMPOTENCY_IN_PROGRESS');
    t.clock.advance(61_000); // the dead request's lease ends
    const rebuilt = await t.post('/api/data/order', { ref: 'R-crash' }, { 'idempotency-key': 'crash-1' });
    expect(rebuilt.status).toBe(201);
    expect(rebuilt.body.id).toBe(order.id);
    expect(await count('R-crash')).toBe(1);
  });

  it('the mark and the write are one transaction: a failing mark rolls the write back', async () => {
    const store = t.server.store;
    const failing = { beforeCommit: async () => { throw new Error('crash before commit'); } };
    await expect(runWithTransactionHook(failing, () => store.transaction((tx) => tx.insert('_idempotencyKeys', { id: 'idem.probe', version: 1, revision: 0, data: { probe: true } })))).rejects.toThrow('crash before commit');
    expect(await store.get('_idempotencyKeys', 'idem.probe')).toBeUndefined();
  });
});
