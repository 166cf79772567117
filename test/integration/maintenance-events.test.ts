// Maintenance writes reach integrations like any other change, over real HTTP with receivers on
// localhost (manual clock, scheduler ticks — no sleeping): a merge (single and bulk) sends `deleted`
// for each merged record carrying `mergedInto`, `updated` for the survivor and for each re-pointed
// record, and leaves one tombstone per merged record (written by the sync listener, like any
// delete's); a merge's undo brings the merged records back as `created` with `restored: true`, at a
// new version and `updatedAt`, so a client polling `updatedAt` sees them return; a cleansing job
// and its undo send `updated` per record; an import's undo that restores old values sends `updated`
// and stamps the record. Every body verified by its signature.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../engine/webhooks/sign-payload.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { runJob, undoJob, upload } from '../import/support.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { startHttpReceiver, type ReceivedRequest } from '../workflow/support/local-receivers.ts';

const secret = 'maintenance-feed-secret';
type Receiver = { url: string; requests: ReceivedRequest[]; close(): Promise<void> };
interface Event { event: string; entity: string; recordId: string; seq: number; changed?: string[]; mergedInto?: string; restored?: boolean; record: Record<string, unknown> }

let t: TestServer;
let clients: Receiver;
let visits: Receiver;
let work: string;

const client = {
  kind: 'entity', name: 'client', label: 'Client', titleField: 'name',
  fields: { name: { type: 'text', required: true }, code: { type: 'text', unique: true }, note: { type: 'text' } },
};

function metadata() {
  return [
    client,
    { kind: 'entity', name: 'visit', label: 'Visit', titleField: 'title', fields: { title: { type: 'text', required: true }, client: { type: 'lookup', to: 'client' } } },
    { kind: 'role', name: 'integration', label: 'Integration', permissions: { client: { read: 'all' }, visit: { read: 'all' } } },
    { kind: 'subscription', name: 'clientFeed', label: 'Client feed', entity: 'client', events: ['created', 'updated', 'deleted'], url: clients.url, secretRef: 'FEED_SECRET', role: 'integration' },
    { kind: 'subscription', name: 'visitFeed', label: 'Visit feed', entity: 'visit', events: ['updated'], url: visits.url, secretRef: 'FEED_SECRET', role: 'integration' },
  ];
}

beforeAll(async () => {
  clients = await startHttpReceiver(() => 200);
  visits = await startHttpReceiver(() => 200);
  t = await startTestServer({ env: { FEED_SECRET: secret } });
  const applied = await t.post('/api/meta/apply', metadata());
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-maintenance-events-'));
}, 120_000);

afterAll(async () => {
  await t?.close();
  await Promise.all([clients?.close(), visits?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

/** Delivers what is queued, then returns the events the receiver got since `from` (each verified by its signature). */
async function delivered(receiver: Receiver, from: number): Promise<Event[]> {
  expect((await t.post('/api/scheduler/tick')).status).toBe(200);
  return receiver.requests.slice(from).map((request) => {
    expect(verifySignature(secret, String(request.headers['x-crm-timestamp']), request.body, String(request.headers['x-crm-signature'])), 'signature').toBe(true);
    return JSON.parse(request.body) as Event;
  });
}

const create = async (entity: string, values: Record<string, unknown>) => {
  const res = await t.post<any>(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; updatedAt: string };
};

/** The clients changed after an instant, as a client copying by `updatedAt` polls them. */
async function changedAfter(instant: string): Promise<{ id: string; version: number; updatedAt: string }[]> {
  const res = await t.get<any>(`/api/data/client?filter=${encodeURIComponent(JSON.stringify({ updatedAt: { $gt: instant } }))}&limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const brief = (e: Event) => ({ event: e.event, id: e.recordId, version: e.record['version'], ...(e.mergedInto ? { mergedInto: e.mergedInto } : {}), ...(e.restored ? { restored: true } : {}) });

describe('maintenance writes reach subscriptions and the sync feed', () => {
  const merge = { survivor: '', twin: '', visit: '', id: '' };

  it('a merge sends deleted (with mergedInto) for the merged record, updated for the survivor and each re-pointed record, and leaves one tombstone', async () => {
    const survivor = await create('client', { name: 'Acme', code: 'A1' });
    const twin = await create('client', { name: 'ACME Ltd', code: 'A2', note: 'keep me' });
    const visit = await create('visit', { title: 'Kick-off', client: twin.id });
    const [c0, v0] = [(await delivered(clients, 0)).length, (await delivered(visits, 0)).length];
    const beforeMerge = t.clock.now().toISOString();
    t.clock.advance(60_000);

    const merged = await t.post<any>('/api/quality/client/merge', { survivor: survivor.id, merged: [twin.id], values: { note: twin.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    Object.assign(merge, { survivor: survivor.id, twin: twin.id, visit: visit.id, id: merged.body.merge });
    const afterMerge = await delivered(clients, c0);
    expect(afterMerge.map(brief)).toEqual([
      { event: 'deleted', id: twin.id, version: 1, mergedInto: survivor.id },
      { event: 'updated', id: survivor.id, version: 2 },
    ]);
    expect(afterMerge[1]!.changed).toEqual(['note']);
    expect(afterMerge[1]!.record['note']).toBe('keep me');
    const repointed = await delivered(visits, v0);
    expect(repointed.map((e) => [e.event, e.recordId, e.record['version'], e.record['client'], e.changed])).toEqual([['updated', visit.id, 2, survivor.id, ['client']]]);
    // The tombstone comes from the sync listener, once, with the survivor named.
    const tombstones = await t.get<any>(`/api/sync/client/deleted?since=${beforeMerge}`);
    expect(tombstones.body.items).toEqual([expect.objectContaining({ id: twin.id, version: 1, mergedInto: survivor.id })]);
  });

  it("a merge's undo is a change: the merged record comes back at a new version and updatedAt (a poll sees it), sent as created with restored: true", async () => {
    expect(merge.id).not.toBe('');
    const clientsSeen = (await delivered(clients, 0)).length;
    const visitsSeen = (await delivered(visits, 0)).length;
    const beforeUndo = t.clock.now().toISOString();
    t.clock.advance(60_000);
    const undone = await t.post<any>(`/api/quality/merges/${merge.id}/undo`);
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    // A client polling `updatedAt` sees the merged record come back (a new version, stamped now).
    const polled = await changedAfter(beforeUndo);
    expect(polled.map((r) => r.id).sort()).toEqual([merge.survivor, merge.twin].sort());
    const back = polled.find((r) => r.id === merge.twin)!;
    expect(back).toMatchObject({ version: 2, updatedAt: t.clock.now().toISOString(), updatedBy: t.admin!.id });

    const afterUndo = await delivered(clients, clientsSeen);
    expect(afterUndo.map(brief)).toEqual([
      { event: 'updated', id: merge.survivor, version: 3 },
      { event: 'created', id: merge.twin, version: 2, restored: true },
    ]);
    expect(afterUndo[1]!.record).toMatchObject({ name: 'ACME Ltd', code: 'A2', note: 'keep me' });
    expect((await delivered(visits, visitsSeen)).map((e) => [e.event, e.recordId, e.record['version'], e.record['client']])).toEqual([['updated', merge.visit, 3, merge.twin]]);
    // The record takes a write at the version a poll read (If-Match).
    expect((await t.patch(`/api/data/client/${merge.twin}`, { note: 'back again' }, { 'if-match': `"${back.version}"` })).status).toBe(200);
  });

  it('a bulk merge and its batch undo send the same events', async () => {
    const [a, b, c, d] = [await create('client', { name: 'North' }), await create('client', { name: 'NORTH' }), await create('client', { name: 'South' }), await create('client', { name: 'SOUTH' })];
    const from = (await delivered(clients, 0)).length;
    const bulk = await t.post<any>('/api/quality/client/merge-groups', { groups: [{ survivor: a.id, merged: [b.id] }, { survivor: c.id, merged: [d.id] }] });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.merged).toBe(2);
    const merged = await delivered(clients, from);
    // The survivor's `updated` is left out when the merge changed none of its values.
    expect(merged.filter((e) => e.event === 'deleted').map(brief)).toEqual([
      { event: 'deleted', id: b.id, version: 1, mergedInto: a.id },
      { event: 'deleted', id: d.id, version: 1, mergedInto: c.id },
    ]);
    const undo = await t.post<any>(`/api/quality/merge-batches/${bulk.body.batch}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.undone).toHaveLength(2);
    const back = await delivered(clients, from + merged.length);
    expect(back.filter((e) => e.event === 'created').map(brief).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [{ event: 'created', id: b.id, version: 2, restored: true }, { event: 'created', id: d.id, version: 2, restored: true }].sort((x, y) => x.id.localeCompare(y.id)),
    );
  });

  it('a cleansing job and its undo send updated for each record they changed', async () => {
    const padded = [await create('client', { name: '  Padded one ' }), await create('client', { name: 'Padded two  ' })];
    const from = (await delivered(clients, 0)).length;
    const withRules = await t.put('/api/meta/entities/client', { ...client, cleansing: { name: { trim: true } } });
    expect(withRules.status, JSON.stringify(withRules.body)).toBeLessThan(300);
    const started = await t.post<any>('/api/quality/client/cleanse', { dryRun: false, fields: ['name'] });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const scheduler = findWorkflowRuntime(t.server.services)!.scheduler;
    await scheduler.idle();
    await scheduler.runDue();
    expect((await t.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`)).body).toMatchObject({ status: 'done', counts: { written: 2 } });
    const cleansed = await delivered(clients, from);
    expect(cleansed.map((e) => [e.event, e.recordId, e.record['version'], e.record['name'], e.changed])).toEqual(
      expect.arrayContaining([['updated', padded[0]!.id, 2, 'Padded one', ['name']], ['updated', padded[1]!.id, 2, 'Padded two', ['name']]]),
    );
    expect(cleansed).toHaveLength(2);

    const undo = await t.post<any>(`/api/quality/cleanse-jobs/${started.body.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const restored = await delivered(clients, from + cleansed.length);
    expect(restored.map((e) => [e.event, e.recordId, e.record['version'], e.record['name']])).toEqual(
      expect.arrayContaining([['updated', padded[0]!.id, 3, '  Padded one '], ['updated', padded[1]!.id, 3, 'Padded two  ']]),
    );
    expect(restored).toHaveLength(2);
    // Back to the entity as it was (no cleansing rules) for the next test.
    expect((await t.put('/api/meta/entities/client', client)).status).toBeLessThan(300);
  });

  it("an import's undo that restores old values sends updated and stamps the record", async () => {
    const kept = await create('client', { name: 'Old name', code: 'IMP-1' });
    const from = (await delivered(clients, 0)).length;
    const file = path.join(work, 'clients.csv');
    await writeFile(file, 'code,name\nIMP-1,New name\n');
    t.clock.advance(60_000);
    const job = await runJob(t, { upload: await upload(t, file, 'clients.csv'), mapping: { name: 'clients', targets: [{ entity: 'client', key: ['code'], columns: { code: 'code', name: 'name' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ updated: 1 });
    const imported = await delivered(clients, from);
    expect(imported.map((e) => [e.event, e.recordId, e.record['name']])).toEqual([['updated', kept.id, 'New name']]);

    const beforeUndo = t.clock.now().toISOString();
    t.clock.advance(60_000);
    const undone = await undoJob(t, job.id);
    expect(undone.job?.status, JSON.stringify(undone.started.body)).toBe('undone');
    const restored = await delivered(clients, from + imported.length);
    expect(restored.map((e) => [e.event, e.recordId, e.record['version'], e.record['name'], e.changed])).toEqual([['updated', kept.id, 3, 'Old name', ['name']]]);
    expect((await changedAfter(beforeUndo)).map((r) => [r.id, r.version, r.updatedAt])).toEqual([[kept.id, 3, t.clock.now().toISOString()]]);
  });
});
