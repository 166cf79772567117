// bench/subscription-delivery.ts — `npx tsx bench/subscription-delivery.ts [--rate 200] [--seconds 15]
// [--burst 2000]`: event subscription delivery, on the embedded store with the system clock.
//  (1) paced: writes (creates and updates) at --rate per second for --seconds; a receiver on
//      localhost notes when each signed event arrives; lag = arrival − the event's `at` (taken in
//      the write's transaction, just before its commit). p50/p95/max lag and delivered events/s.
//  (2) burst: --burst creates as fast as 16 connections go, then the time until the receiver has
//      every event: the delivery job's throughput when it has a backlog.
// Prints a markdown section for bench/RESULTS.md.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../engine/kernel/clock.ts';
import { startServer } from '../engine/server/start-server.ts';
import { verifySignature } from '../engine/webhooks/sign-payload.ts';
import { loadAverage } from './lib/machine-load.ts';
import { int, ms, summarize } from './lib/stats.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const rate = option('rate', 200);
const seconds = option('seconds', 15);
const burst = option('burst', 2000);
const secret = 'bench-secret';
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

const arrivals: { at: number; lag: number; event: string }[] = [];
let badSignatures = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verifySignature(secret, String(req.headers['x-crm-timestamp']), body, String(req.headers['x-crm-signature']))) badSignatures++;
    const event = JSON.parse(body) as { at: string; event: string };
    arrivals.push({ at: now, lag: now - Date.parse(event.at), event: event.event });
    res.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-subs-'));
const admin = { email: 'bench@crm.test', password: `Q7-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-xZ` };
const server = await startServer({ dataDir, port: 0, clock: systemClock, env: { CRM_ADMIN_EMAIL: admin.email, CRM_ADMIN_PASSWORD: admin.password, BENCH_SECRET: secret, CRM_SCHEDULER_INTERVAL_MS: '1000' } });
const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
const { csrfToken } = (await login.json()) as { csrfToken: string };
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
const tokenAnswer = await fetch(`${server.url}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'bench', role: 'admin' }) });
const { token } = (await tokenAnswer.json()) as { token: string };
let retried = 0;
const call = async (method: string, url: string, body?: unknown): Promise<any> => {
  // A connection reset on a busy machine is retried; the Idempotency-Key keeps a create single.
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(method === 'POST' ? { 'idempotency-key': `bench-${Math.random().toString(36).slice(2)}` } : {}) };
  let response: Response | undefined;
  for (let attempt = 1; !response; attempt++) {
    try {
      response = await fetch(server.url + url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      if (attempt >= 3) throw error;
      retried++;
    }
  }
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
};
await call('POST', '/api/meta/apply', [
  { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { subject: { type: 'text', required: true }, priority: { type: 'integer' } } },
  { kind: 'role', name: 'feed', label: 'Feed', permissions: { ticket: { read: 'all' } } },
  { kind: 'subscription', name: 'ticketFeed', label: 'Ticket feed', entity: 'ticket', events: ['created', 'updated'], url: receiverUrl, secretRef: 'BENCH_SECRET', role: 'feed' },
]);

async function waitFor(count: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (arrivals.length < count && Date.now() < until) await sleep(20);
  return arrivals.length >= count;
}

// (1) paced writes: every third write updates an earlier ticket.
const total = rate * seconds;
const ids: string[] = [];
const started = Date.now();
const inFlight = new Set<Promise<unknown>>();
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / rate;
  if (due > Date.now()) await sleep(due - Date.now());
  // At most 64 writes in flight: a machine that cannot keep the pace shows it as a lower achieved rate.
  while (inFlight.size >= 64) await Promise.race(inFlight);
  const write = i % 3 === 2 && ids.length > 0
    ? call('PATCH', `/api/data/ticket/${ids[Math.floor(Math.random() * ids.length)]}`, { priority: i })
    : call('POST', '/api/data/ticket', { subject: `t${i}`, priority: 0 }).then((record: { id: string }) => ids.push(record.id));
  inFlight.add(write);
  void write.finally(() => inFlight.delete(write));
}
await Promise.all(inFlight);
const writeSeconds = (Date.now() - started) / 1000;
const pacedDelivered = await waitFor(total, 60_000);
const paced = summarize(arrivals.map((a) => a.lag));
const pacedSpan = (arrivals.at(-1)!.at - arrivals[0]!.at) / 1000;

// (2) burst: a backlog of creates, then the time to deliver it.
const before = arrivals.length;
const burstStart = Date.now();
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (next < burst) {
    next++;
    await call('POST', '/api/data/ticket', { subject: `b${next}` });
  }
}));
const writesDone = Date.now();
const burstDelivered = await waitFor(before + burst, 120_000);
const burstEnd = arrivals.at(-1)!.at;

console.log(`## Event subscription delivery (bench/subscription-delivery.ts, ${new Date().toISOString().slice(0, 10)})

Embedded store, system clock, one subscription, receiver on localhost answering 200; load average at the end ${loadAverage()}.

| run | writes | achieved write rate | delivered | lag p50 | lag p95 | lag max | delivered/s |
|---|---|---|---|---|---|---|---|
| paced ${rate}/s for ${seconds} s | ${int(total)} | ${int(total / writeSeconds)}/s | ${int(arrivals.slice(0, before).length)}${pacedDelivered ? '' : ' (timed out)'} | ${ms(paced.p50)} ms | ${ms(paced.p95)} ms | ${ms(Math.max(...arrivals.slice(0, before).map((a) => a.lag)))} ms | ${int(before / pacedSpan)} |
| burst of ${burst} creates (16 connections) | ${int(burst)} | ${int(burst / ((writesDone - burstStart) / 1000))}/s | ${int(arrivals.length - before)}${burstDelivered ? '' : ' (timed out)'} | – | – | – | ${int((arrivals.length - before) / ((burstEnd - burstStart) / 1000))} (backlog drained ${ms(burstEnd - writesDone)} ms after the last write) |

Bad signatures: ${badSignatures}. Writes retried after a connection reset (with their Idempotency-Key): ${retried}.
`);
await server.close();
receiver.close();
rmSync(dataDir, { recursive: true, force: true });
