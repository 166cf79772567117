// Acceptance (issue 16, item 4): a read no index serves runs off the event loop, within the
// request's time budget — past it the request is answered 503 QUERY_TIMEOUT in the caller's
// language, and meanwhile /api/health (and an indexed read) keep answering. Real server, real
// store: 60,000 records loaded through the store, a filter of twenty regular expressions over
// them (no index can serve a $regex; the statement runs for seconds) and a 1 s budget
// (CRM_REQUEST_BUDGET_MS).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const records = 60_000;
const entity = { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { subject: { type: 'text', required: true }, body: { type: 'text' }, priority: { type: 'number' } } };

// Twenty patterns that match no record: every pattern runs over every row before the sort.
const slowFilter = { $or: Array.from({ length: 20 }, (_, i) => ({ body: { $regex: `z${i}q+x[0-9]{3}$`, $options: 'i' } })) };
const slowPath = `/api/data/ticket?filter=${encodeURIComponent(JSON.stringify(slowFilter))}&sort=-priority,subject`;

describe('a slow read over its time budget', () => {
  let server: TestServer;
  let someId = '';

  beforeAll(async () => {
    server = await startTestServer({ env: { CRM_REQUEST_BUDGET_MS: '1000' } });
    expect((await server.post('/api/meta/apply', { documents: [entity] })).status).toBe(200);
    const { store, runtime } = server.server;
    const revision = runtime.model.revision;
    for (let start = 0; start < records; start += 5000) {
      await store.transaction(async (tx) => {
        for (let i = start; i < start + 5000; i += 1) {
          const id = `01J${String(i).padStart(23, '0')}`;
          if (i === 0) someId = id;
          await tx.insert('ticket', { id, version: 1, revision, data: { subject: `Ticket ${i}`, body: `The printer on floor ${i % 7} is jammed again (${i})`, priority: i % 5 } });
        }
      });
    }
    // The worker threads start with the first large table; wait until they take reads (tsx makes their start slow here).
    await (store as SqliteStore).warmReadWorkers();
  });
  afterAll(async () => server?.close());

  it('runs on a worker thread, because its plan scans the table', async () => {
    const store = server.server.store as SqliteStore;
    const entityModel = server.server.runtime.model.entities.get('ticket')!;
    const { parseFilter, parseSort } = await import('../../engine/filter/parse-filter.ts');
    const resolve = (path: string) => entityModel.filterables.get(path);
    const query = { filter: parseFilter(slowFilter, resolve), sort: parseSort('-priority,subject', resolve), limit: 51 };
    expect((await store.explainFind('ticket', query)).some((line) => line.startsWith('SCAN'))).toBe(true);
    expect(store.placeOfFind('ticket', query)).toBe('worker');
    // A read by id stays on the main thread.
    expect((await server.get(`/api/data/ticket/${someId}`)).status).toBe(200);
  });

  it('is answered 503 QUERY_TIMEOUT in the caller\'s language while /api/health keeps answering', async () => {
    let slowDone = false;
    const slow = server.get(slowPath, { 'accept-language': 'zh' }).finally(() => {
      slowDone = true;
    });
    // While the slow read runs on its worker, the event loop is free: health and a read by id answer.
    let answeredMeanwhile = 0;
    while (!slowDone && answeredMeanwhile < 3) {
      const health = await server.anonymous.get('/api/health');
      expect(health.status).toBe(200);
      expect((await server.get(`/api/data/ticket/${someId}`)).status).toBe(200);
      if (!slowDone) answeredMeanwhile += 1;
    }
    const answer = await slow;
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('QUERY_TIMEOUT');
    expect(answer.body.error.message).toMatch(/查询超出/);
    expect(answeredMeanwhile).toBeGreaterThanOrEqual(1);
    // The server goes on serving, the worker that was cancelled replaced.
    await (server.server.store as SqliteStore).warmReadWorkers();
    expect((await server.get('/api/data/ticket?filter={"priority":4}&limit=5')).status).toBe(200);
  });
});

describe('the request budget setting', () => {
  it('refuses a malformed CRM_REQUEST_BUDGET_MS at start', async () => {
    await expect(startTestServer({ env: { CRM_REQUEST_BUDGET_MS: 'soon' } })).rejects.toThrow(/CRM_REQUEST_BUDGET_MS/);
  });
});
