// A record's history pages oldest first with limit and cursor, so a busy record's newest entries
// stay reachable (they used to fall off after the first 1,000).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let id: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/counter', { kind: 'entity', name: 'counter', label: 'Counter', fields: { n: { type: 'integer' } } })).status).toBe(201);
  id = (await server.post('/api/data/counter', { n: 0 })).body.id;
  for (let n = 1; n <= 12; n++) expect((await server.patch(`/api/data/counter/${id}`, { n })).status).toBe(200);
});
afterAll(async () => server.close());

describe('history paging', () => {
  it('walks every entry exactly once, oldest first, five at a time', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await server.get(`/api/data/counter/${id}/history?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { changes: { n?: { after?: number } } }) => e.changes.n?.after ?? -1));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it.each(['../x', 'abc', 'zzzzzzzzzzzzzzzzzzzzzzzzzz', '01m98j2gta4gxtnvfx8mavnh5r', '0'.repeat(40)])('refuses a cursor it did not issue (%s), not an empty page', async (cursor) => {
    const res = await server.get(`/api/data/counter/${id}/history?cursor=${encodeURIComponent(cursor)}`, { 'accept-language': 'zh' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: '/query/cursor', message: '不是本服务返回的游标' });
  });
});
