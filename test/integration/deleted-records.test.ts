// Following deletions by polling (GET /api/sync/{entity}/deleted) over real HTTP: a client that
// copies records by `updatedAt` never sees one go, so every deletion — a DELETE, a merge (with the
// survivor), an import's undo — leaves a tombstone in its own transaction; a refused delete leaves
// none. Pages oldest first by cursor, kept 90 days of clock time, only for a caller who reads every
// record; bad parameters are named at their pointer, en and zh.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../api/api-helpers.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { runJob, undoJob, upload } from '../import/support.ts';

let t: TestServer;
let reader: TestUser;
let ownReader: TestUser;
let work: string;

const metadata = [
  { kind: 'entity', name: 'site', label: 'Site', titleField: 'name', fields: { name: { type: 'text', required: true } } },
  { kind: 'entity', name: 'ticket', label: 'Ticket', titleField: 'title', fields: { title: { type: 'text', required: true }, site: { type: 'lookup', to: 'site' } } },
  { kind: 'role', name: 'mirror', label: 'Mirror', permissions: { ticket: { read: 'all' }, site: { read: 'all' } } },
  { kind: 'role', name: 'ownTickets', label: 'Own tickets', permissions: { ticket: { read: 'own' } } },
];

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  reader = await t.createUser({ roles: ['mirror'] });
  ownReader = await t.createUser({ roles: ['ownTickets'] });
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-deleted-'));
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const create = async (entity: string, values: Record<string, unknown>) => {
  const res = await t.post(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const deleted = (query: string, client = reader.client, locale = 'en') => client.get(`/api/sync/ticket/deleted?${query}`, { 'accept-language': locale });

describe('deleted records since an instant', () => {
  const start = '2026-03-01T09:00:00.000Z';
  const gone: string[] = [];
  let survivor: string;
  let mergedAway: string;

  it('lists every deletion once, oldest first — a DELETE, a merge naming its survivor, an import undo', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await create('ticket', { title: `T${i}` }));
    t.clock.advance(60_000);
    expect((await t.delete(`/api/data/ticket/${ids[0]}`)).status).toBe(204);
    gone.push(ids[0]!);
    t.clock.advance(60_000);
    [survivor, mergedAway] = [ids[1]!, ids[2]!];
    const merged = await t.post('/api/quality/ticket/merge', { survivor, merged: [mergedAway] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    gone.push(mergedAway);
    t.clock.advance(60_000);
    // An import that creates two tickets, then its undo: both go.
    await writeFile(path.join(work, 'tickets.csv'), 'Title\nImported A\nImported B\n');
    const up = await upload(t, path.join(work, 'tickets.csv'), 'tickets.csv');
    const job = await runJob(t, { upload: up, mapping: { name: 'tickets', targets: [{ entity: 'ticket', columns: { title: 'Title' } }] }, mode: 'validOnly' });
    expect(job.counts.created).toBe(2);
    const created = (await t.get(`/api/data/ticket?filter=${encodeURIComponent(JSON.stringify({ title: { $in: ['Imported A', 'Imported B'] } }))}`)).body.items.map((r: { id: string }) => r.id);
    const undone = await undoJob(t, job.id);
    expect(undone.job?.status, JSON.stringify(undone.started.body)).toBe('undone');
    expect((await t.get(`/api/data/ticket?filter=${encodeURIComponent(JSON.stringify({ title: { $in: ['Imported A', 'Imported B'] } }))}&total=1&limit=1`)).body.total).toBe(0);
    gone.push(...created);

    const res = await deleted(`since=${start}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id).sort()).toEqual([...gone].sort());
    expect(res.body.items.map((i: { id: string }) => i.id).slice(0, 2)).toEqual(gone.slice(0, 2));
    const times = res.body.items.map((i: { deletedAt: string }) => i.deletedAt);
    expect([...times].sort()).toEqual(times);
    expect(res.body.items[0]).toMatchObject({ id: gone[0], deletedAt: '2026-03-01T09:01:00.000Z', by: t.admin!.id, version: 1 });
    expect(res.body.items[1]).toMatchObject({ id: mergedAway, mergedInto: survivor });
    expect(res.body.nextCursor).toBeUndefined();
    // Since the second deletion's minute: the first is left out.
    expect((await deleted('since=2026-03-01T09:02:00Z')).body.items.map((i: { id: string }) => i.id).sort()).toEqual(gone.slice(1).sort());
  });

  it('a delete refused (the record still referenced) leaves no tombstone', async () => {
    const site = await create('site', { name: 'Depot' });
    await create('ticket', { title: 'At depot', site });
    const refused = await t.delete(`/api/data/site/${site}`);
    expect(refused.status).toBe(409);
    const sites = await reader.client.get(`/api/sync/site/deleted?since=${start}`);
    expect(sites.status).toBe(200);
    expect(sites.body.items).toEqual([]);
  });

  it('pages by cursor without losing or repeating one, deletions in the same instant included', async () => {
    const same: string[] = [];
    for (let i = 0; i < 5; i++) same.push(await create('ticket', { title: `Same ${i}` }));
    for (const id of same) expect((await t.delete(`/api/data/ticket/${id}`)).status).toBe(204); // the clock does not move
    const seen: string[] = [];
    let page = await deleted(`since=${start}&limit=2`);
    for (;;) {
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      if (!page.body.nextCursor) break;
      page = await deleted(`cursor=${page.body.nextCursor}&limit=2`);
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen.sort()).toEqual([...gone, ...same].sort());
  });

  it('is only for a caller who reads every record; bad parameters are named at their pointer, en and zh', async () => {
    expect((await deleted(`since=${start}`, ownReader.client)).status).toBe(403);
    expect((await t.anonymous.get(`/api/sync/ticket/deleted?since=${start}`)).status).toBe(401);
    expectError(await reader.client.get(`/api/sync/nothing/deleted?since=${start}`), 404, 'UNKNOWN_ENTITY');
    const noSince = await deleted('', reader.client, 'zh-CN');
    expect(expectError(noSince, 400, 'INVALID_QUERY')).toEqual([{ path: '/query/since', message: expect.stringContaining('UTC 的 ISO 时间') }]);
    expect(expectError(await deleted('since=yesterday'), 400, 'INVALID_QUERY')[0]!.path).toBe('/query/since');
    expect(expectError(await deleted('cursor=bm90IGEgY3Vyc29y'), 400, 'INVALID_QUERY')[0]!.path).toBe('/query/cursor');
    expect(expectError(await deleted(`since=${start}&limit=0`), 400, 'INVALID_QUERY')[0]!.path).toBe('/query/limit');
    expect(expectError(await deleted(`since=${start}&sort=id`), 400)[0]!.path).toBe('/query/sort');
  });

  it('keeps tombstones 90 days of clock time, and says from when it still knows', async () => {
    t.clock.advance(91 * 86_400_000);
    // (A session ends long before 91 days: the administrator's API token reads here.)
    const first = await deleted(`since=${start}`, t);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.keptSince > start).toBe(true);
    // The purge runs beside the first read after the clock moved on: a later read no longer finds them.
    let after = await deleted(`since=${start}`, t);
    for (let i = 0; i < 50 && after.body.items.length > 0; i++) after = await deleted(`since=${start}`, t);
    expect(after.body.items).toEqual([]);
  });
});
