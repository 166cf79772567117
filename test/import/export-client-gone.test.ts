// An export streams page after page while the client reads it, and has no upper bound on its rows:
// the whole filtered list, a page of records in memory at a time. A client that goes away mid-file
// (a closed tab, a cancelled download) ends it: before, a CSV or JSON Lines export waited for a
// 'drain' that never comes — its handler and its page held for the life of the process, one more
// for each cancelled download — and an XLSX one read and wrote every remaining page into the closed
// connection. Each now stops at once and says so in the log with the rows it wrote.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, type LogCapture } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let log: LogCapture;
const rows = 3000;
const text = 4000;

beforeAll(async () => {
  server = await startTestServer();
  const thing = { kind: 'entity', name: 'thing', label: 'Thing', titleField: 'name', fields: { name: { type: 'text', maxLength: 5000 } } };
  expect((await server.put('/api/meta/entities/thing', thing)).status).toBe(201);
  // Rows of ~4 KB: more than a socket buffers, and more than one page (1000 records).
  await server.server.store.transaction(async (tx) => {
    for (let i = 0; i < rows; i++) await tx.insert('thing', { id: `0${String(i).padStart(25, '0')}`, version: 1, revision: 1, data: { name: `${i} ${'x'.repeat(text)}` } });
  });
  log = captureLog();
}, 120_000);
afterAll(async () => {
  log?.restore();
  await server?.close();
});

const stopped = () => log.lines('info').filter((l) => /^\[export\] thing: the client went away after \d+ row\(s\); the export stopped$/.test(l.msg));

describe('an export whose client goes away', () => {
  it('stops, in every format, and says how far it got', async () => {
    for (const [n, format] of (['csv', 'jsonl', 'xlsx'] as const).entries()) {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/api/export/thing?format=${format}`, { headers: { authorization: `Bearer ${server.admin!.token}` }, signal: abort.signal });
      expect(res.status).toBe(200);
      await res.body!.getReader().read();
      abort.abort();
      await expect.poll(() => stopped().length, { timeout: 20_000, interval: 50 }).toBe(n + 1);
      const wrote = Number(/after (\d+) row/.exec(stopped()[n]!.msg)![1]);
      expect(wrote, format).toBeLessThan(rows);
    }
  }, 90_000);

  it('a whole export is still the whole list, with no such line', async () => {
    const before = stopped().length;
    const res = await fetch(`${server.url}/api/export/thing?format=jsonl`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    const lines = (await res.text()).trim().split('\n');
    expect(lines).toHaveLength(rows);
    expect(stopped()).toHaveLength(before);
  }, 60_000);
});
