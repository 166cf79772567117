// bench/subscription-delivery.ts — `npx tsx bench/subscription-delivery.ts [--rate 200] [--seconds 15]
// [--burst 2000]`: event subscription delivery, on the embedded store with the system clock.
//  (0) side by side: paced writes alternating between an entity no subscription watches and the
//      subscribed one — write round trips of each under the same load, and the lag.
//  (1) paced: writes (creates and updates) at --rate per second for --seconds; a receiver on
//      localhost notes when each signed event arrives; lag = arrival − the event's `at` (taken in
//      the write's transaction, just before its commit). p50/p95/max lag and delivered events/s.
//  (2) burst: --burst creates as fast as 16 connections go, then the time until the receiver has
//      every event: the delivery job's throughput when it has a backlog.
// Prints a markdown section for bench/RESULTS.md, with the ratios of this one run side by side.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { where } from '../engine/filter/filter-tree.ts';
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
  { kind: 'entity', name: 'quietTicket', label: 'Quiet ticket', fields: { subject: { type: 'text', required: true }, priority: { type: 'integer' } } },
  { kind: 'role', name: 'feed', label: 'Feed', permissions: { ticket: { read: 'all' } } },
  { kind: 'subscription', name: 'ticketFeed', label: 'Ticket feed', entity: 'ticket', events: ['created', 'updated'], url: receiverUrl, secretRef: 'BENCH_SECRET', role: 'feed' },
]);

async function waitFor(count: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (arrivals.length < count && Date.now() < until) await sleep(20);
  return arrivals.length >= count;
}

/**
 * Writes at `rate` per second for `seconds` to `entity` (every third one updates an earlier record),
 * at most 64 in flight: a machine that cannot keep the pace shows it as a lower achieved rate.
 * Returns each write's round trip and the achieved rate.
 */
async function paced(entityOf: (i: number) => string): Promise<{ latencies: Map<string, number[]>; achieved: number }> {
  const total = rate * seconds;
  const ids = new Map<string, string[]>();
  const latencies = new Map<string, number[]>();
  const started = Date.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= 64) await Promise.race(inFlight);
    const sent = performance.now();
    const entity = entityOf(i);
    const known = ids.get(entity) ?? [];
    ids.set(entity, known);
    const write = (Math.floor(i / 2) % 3 === 2 && known.length > 0
      ? call('PATCH', `/api/data/${entity}/${known[Math.floor(Math.random() * known.length)]}`, { priority: i })
      : call('POST', `/api/data/${entity}`, { subject: `t${i}`, priority: 0 }).then((record: { id: string }) => known.push(record.id))
    ).then(() => latencies.set(entity, [...(latencies.get(entity) ?? []), performance.now() - sent]));
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
  }
  await Promise.all(inFlight);
  return { latencies, achieved: total / ((Date.now() - started) / 1000) };
}

// (0) side by side: the paced writes alternate between an entity nobody subscribes to and the
// subscribed one, so both see the same machine at the same moments (it is shared and its load moves).
const total = rate * seconds;
const mixed = await paced((i) => (i % 2 === 0 ? 'quietTicket' : 'ticket'));
const quietWrites = summarize(mixed.latencies.get('quietTicket') ?? []);
const mixedWrites = summarize(mixed.latencies.get('ticket') ?? []);
const mixedEvents = mixed.latencies.get('ticket')?.length ?? 0;
await waitFor(mixedEvents, 60_000);
const mixedLag = summarize(arrivals.map((a) => a.lag));
const start1 = arrivals.length;

// (1) every paced write to the subscribed entity: the lag and delivery rate at the full rate.
const subscribed = await paced(() => 'ticket');
const subscribedWrites = summarize(subscribed.latencies.get('ticket') ?? []);
const pacedDelivered = await waitFor(start1 + total, 60_000);
const before = arrivals.length;
const phase1 = arrivals.slice(start1);
const paced1 = summarize(phase1.map((a) => a.lag));
const pacedSpan = (phase1.at(-1)!.at - phase1[0]!.at) / 1000;
const pacedMax = Math.max(...phase1.map((a) => a.lag));

// (2) burst: a backlog of creates, then the time to deliver it.
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
const burstWriteRate = burst / ((writesDone - burstStart) / 1000);
const burstDeliveryRate = (arrivals.length - before) / ((burstEnd - burstStart) / 1000);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
// Failed attempts from the delivery log (a failure the receiver saw anyway arrives twice).
const failed = await server.store.find('_webhookDeliveries', { filter: where({ subscription: 'ticketFeed', outcome: 'failed' }), sort: [], limit: 100_000 });
const reasons = [...new Set(failed.map((row) => String(row.data['error'])))].slice(0, 3).join('; ');

console.log(`## Event subscription delivery (bench/subscription-delivery.ts, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)

\`npx tsx bench/subscription-delivery.ts --rate ${rate} --seconds ${seconds} --burst ${burst}\`. Embedded store, system clock, one subscription,
receiver on localhost answering 200, every signature verified; ${os.cpus().length} cores, load average at the end ${loadAverage()}.
Lag = arrival at the receiver − the event's \`at\` (taken in the write's transaction, just before commit).

| run | writes | achieved write rate | write p50 / p95 | delivered | lag p50 / p95 / max | delivered/s |
|---|---|---|---|---|---|---|
| side by side, ${rate}/s for ${seconds} s: unsubscribed half | ${int(total - mixedEvents)} | ${int(mixed.achieved / 2)}/s | ${ms(quietWrites.p50)} / ${ms(quietWrites.p95)} ms | – | – | – |
| side by side: subscribed half | ${int(mixedEvents)} | ${int(mixed.achieved / 2)}/s | ${ms(mixedWrites.p50)} / ${ms(mixedWrites.p95)} ms | ${int(start1)} | ${ms(mixedLag.p50)} / ${ms(mixedLag.p95)} / – ms | – |
| paced ${rate}/s for ${seconds} s, all subscribed | ${int(total)} | ${int(subscribed.achieved)}/s | ${ms(subscribedWrites.p50)} / ${ms(subscribedWrites.p95)} ms | ${int(before - start1)}${pacedDelivered ? '' : ' (timed out)'} | ${ms(paced1.p50)} / ${ms(paced1.p95)} / ${ms(pacedMax)} ms | ${int((before - start1) / pacedSpan)} |
| burst of ${burst} creates (16 connections), subscribed | ${int(burst)} | ${int(burstWriteRate)}/s | – | ${int(arrivals.length - before)}${burstDelivered ? '' : ' (timed out)'} | – | ${int(burstDeliveryRate)} (backlog drained ${ms(burstEnd - writesDone)} ms after the last write) |

Ratios from this one run: write p95 subscribed ÷ unsubscribed, side by side, **${ratio(mixedWrites.p95, quietWrites.p95)}** (p50 ${ratio(mixedWrites.p50, quietWrites.p50)}): what the
outbox row and job cost a write; delivered/s ÷ achieved write rate, paced **${ratio((before - start1) / pacedSpan, subscribed.achieved)}**, burst **${ratio(burstDeliveryRate, burstWriteRate)}**
(1.00 = delivery keeps up with writing); lag p95 ÷ write p95 (subscribed) **${ratio(paced1.p95, subscribedWrites.p95)}**.

Bad signatures: ${badSignatures}. Failed delivery attempts: ${failed.length}${reasons ? ` (${reasons})` : ''}; events that arrived twice: ${arrivals.length - mixedEvents - total - burst}. Writes retried after a connection reset (with their Idempotency-Key): ${retried}.
`);
await server.close();
receiver.close();
rmSync(dataDir, { recursive: true, force: true });
