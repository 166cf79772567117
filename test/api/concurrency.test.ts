// Acceptance: optimistic concurrency over HTTP. 50 concurrent PATCHes with the same If-Match:
// exactly one wins; clients that retry with the fresh ETag lose nothing; a stale DELETE is 412;
// keyset pagination has no gaps and no repeats while records are inserted concurrently.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, expectError, query, seededRandom } from './api-helpers.ts';

const counter = {
  kind: 'entity',
  name: 'counter',
  label: 'Counter',
  fields: { name: { type: 'text', required: true }, count: { type: 'integer', default: 0 }, lastWriter: { type: 'integer' } },
};

const item = {
  kind: 'entity',
  name: 'item',
  label: 'Item',
  fields: { rank: { type: 'integer', required: true }, label: { type: 'text', required: true } },
  indexes: { byRank: { fields: ['-rank', 'label'] } },
};

describe('optimistic concurrency and pagination over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [counter, item]);
  });
  afterAll(async () => server.close());

  it('50 concurrent PATCHes with If-Match of the same version: exactly one 200, 49 × 412', async () => {
    const record = await createRecord(server, 'counter', { name: 'race' });
    expect(record.version).toBe(1);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => server.patch(`/api/data/counter/${record.id}`, { count: 1, lastWriter: i }, { 'if-match': '"1"' })),
    );
    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status === 412);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const loser of losers) expectError(loser, 412, 'STALE_VERSION');
    expect(winners[0]!.headers.get('etag')).toBe('"2"');

    const final = await server.get(`/api/data/counter/${record.id}`);
    expect(final.body).toMatchObject({ version: 2, count: 1, lastWriter: winners[0]!.body.lastWriter });
    expect(final.headers.get('etag')).toBe('"2"');
    // One update in the audit trail: the 49 refused writes left no trace.
    const history = await server.get(`/api/data/counter/${record.id}/history`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
  });

  it('50 clients that retry with the fresh ETag lose no increment: the counter ends at 50', async () => {
    const record = await createRecord(server, 'counter', { name: 'chain' });
    let refused = 0;
    const increment = async (writer: number): Promise<void> => {
      for (;;) {
        const current = await server.get(`/api/data/counter/${record.id}`);
        const etag = current.headers.get('etag')!;
        const res = await server.patch(`/api/data/counter/${record.id}`, { count: current.body.count + 1, lastWriter: writer }, { 'if-match': etag });
        if (res.status === 200) return;
        expect(res.status).toBe(412);
        refused++;
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => increment(i)));
    const final = await server.get(`/api/data/counter/${record.id}`);
    expect(final.body).toMatchObject({ count: 50, version: 51 });
    const history = await server.get(`/api/data/counter/${record.id}/history`);
    const counts = history.body.items.slice(1).map((e: { changes: { count: { after: number } } }) => e.changes.count.after);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // The race was real: some writers had to retry.
    expect(refused).toBeGreaterThan(0);
  });

  it('a PATCH or DELETE with a stale If-Match is 412 and changes nothing; the fresh one succeeds', async () => {
    const record = await createRecord(server, 'counter', { name: 'stale' });
    expect((await server.patch(`/api/data/counter/${record.id}`, { count: 5 }, { 'if-match': '"1"' })).status).toBe(200);

    const stalePatch = await server.patch(`/api/data/counter/${record.id}`, { count: 6 }, { 'if-match': '"1"' });
    expectError(stalePatch, 412, 'STALE_VERSION');
    const staleDelete = await server.delete(`/api/data/counter/${record.id}`, { 'if-match': '"1"' });
    expectError(staleDelete, 412, 'STALE_VERSION');
    const futureDelete = await server.delete(`/api/data/counter/${record.id}`, { 'if-match': '"7"' });
    expectError(futureDelete, 412, 'STALE_VERSION');
    // If-Match compares strongly (RFC 9110 §13.1.1): the weak form of the current ETag does not match.
    expectError(await server.delete(`/api/data/counter/${record.id}`, { 'if-match': 'W/"2"' }), 412, 'STALE_VERSION');
    expect((await server.get(`/api/data/counter/${record.id}`)).body).toMatchObject({ version: 2, count: 5 });

    expect((await server.delete(`/api/data/counter/${record.id}`, { 'if-match': '"2"' })).status).toBe(204);
    expectError(await server.get(`/api/data/counter/${record.id}`), 404, 'NOT_FOUND');
    expectError(await server.delete(`/api/data/counter/${record.id}`, { 'if-match': '"2"' }), 404, 'NOT_FOUND');
  });

  it('concurrent DELETEs of one version: exactly one 204', async () => {
    const record = await createRecord(server, 'counter', { name: 'delete race' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => server.delete(`/api/data/counter/${record.id}`, { 'if-match': '"1"' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    // The others found the record either changed (412) or gone (404): never a 5xx.
    expect(statuses.every((s) => s === 204 || s === 404 || s === 412)).toBe(true);
  });

  it('keyset pagination on two sort keys has no gaps and no repeats while records are inserted concurrently', async () => {
    const random = seededRandom(20260301);
    const existing = new Map<string, { rank: number; label: string }>();
    // Many ties on rank, so the second key and the id decide the order.
    for (let i = 0; i < 240; i++) {
      const values = { rank: Math.floor(random() * 40), label: `L${Math.floor(random() * 6)}` };
      existing.set((await createRecord(server, 'item', values)).id, values);
    }

    const seen: { id: string; rank: number; label: string }[] = [];
    const inserted = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      // Each page is read while a burst of inserts lands, spread across the whole sort order.
      const burst = Array.from({ length: 6 }, () => server.post('/api/data/item', { rank: Math.floor(random() * 40), label: `L${Math.floor(random() * 6)}` }));
      const page = await server.get(`/api/data/item${query({ sort: '-rank,label', limit: '13', ...(cursor ? { cursor } : {}) })}`);
      for (const res of await Promise.all(burst)) {
        expect(res.status).toBe(201);
        inserted.add(res.body.id);
      }
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r: { id: string; rank: number; label: string }) => ({ id: r.id, rank: r.rank, label: r.label })));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 200);

    // No repeats.
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // No gaps: every record that existed before the first page was read is there.
    const missing = [...existing.keys()].filter((id) => !ids.includes(id));
    expect(missing).toEqual([]);
    // Only records that exist were returned, in the requested order (rank desc, label asc, id asc).
    for (const id of ids) expect(existing.has(id) || inserted.has(id)).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      const ordered = a.rank > b.rank || (a.rank === b.rank && (a.label < b.label || (a.label === b.label && a.id < b.id)));
      expect(ordered, `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBe(true);
    }
    expect(pages).toBeGreaterThan(18);
  });

  it('a cursor only works with the sort it was made for', async () => {
    const first = await server.get(`/api/data/item${query({ sort: '-rank,label', limit: '5' })}`);
    const cursor = first.body.nextCursor as string;
    expect(typeof cursor).toBe('string');
    const otherSort = await server.get(`/api/data/item${query({ sort: 'label', limit: '5', cursor })}`);
    expect(expectError(otherSort, 400, 'INVALID_QUERY').map((d) => d.path)).toEqual(['/cursor']);
    const noSort = await server.get(`/api/data/item${query({ limit: '5', cursor })}`);
    expectError(noSort, 400, 'INVALID_QUERY');
  });
});
