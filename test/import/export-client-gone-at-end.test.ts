// A CSV export whose last rows are all written, waiting only for the client to take them, and whose
// client then goes away: its end waited for the rows to be read — never, once the connection closed —
// holding the handler and its last page for the life of the process (export-client-gone covers a
// client gone between rows). It now stops there too, and says so in the log. A few large rows, fewer
// than the CSV writer queues before it asks the handler to wait: the handler reaches the file's end
// with the rows still queued behind a client that reads nothing. Real HTTP, real store.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, type LogCapture } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let log: LogCapture;
const rows = 12;
// 6 MB a row, 72 MB in all: more than the connection's buffers hold while the client reads nothing (a
// loopback connection's grow to some 36 MB).
const text = 6_000_000;

beforeAll(async () => {
  server = await startTestServer();
  const thing = { kind: 'entity', name: 'thing', label: 'Thing', titleField: 'name', fields: { name: { type: 'text', maxLength: 5000 } } };
  expect((await server.put('/api/meta/entities/thing', thing)).status).toBe(201);
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

describe('a CSV export whose client goes away while its last rows wait to be sent', () => {
  it('stops, and says so', async () => {
    // A client that takes the first bytes and then no more (a stalled download), then goes away.
    const url = new URL(`${server.url}/api/export/thing?format=csv`);
    const req = http.get(url, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
    expect(res.statusCode).toBe(200);
    await new Promise((resolve) => res.once('data', resolve));
    res.pause();
    // The writer took every row without asking the handler to wait (fewer than it queues), in the one
    // turn of the event loop that sent these first bytes: the handler is at the file's end.
    req.destroy();
    await expect.poll(() => stopped().length, { timeout: 20_000, interval: 50 }).toBe(1);
  }, 60_000);
});

