// A schedule that names no zone runs in the organisation's (CRM_TIME_ZONE). When that setting
// changes, the queued occurrence moves to the same occurrence read in the new zone — "every day at
// 09:00" runs once on the day of the change, at nine where the organisation now is, or at once when
// that nine o'clock has passed. Before, the next run was derived from the moment of the change: a
// move west ran the day twice (09:00 UTC, then 09:00 New York), a move east skipped it. The pages
// of an occurrence still to run (a continuation job queued in the old zone) run as queued; they
// used to be deleted as stale, their records left without the occurrence's actions.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const metadata = [
  { kind: 'entity', name: 'memo', label: 'Memo', fields: { note: { type: 'text' } } },
  {
    kind: 'workflow', name: 'daily', entity: 'memo', label: 'Daily',
    triggers: { morning: { on: 'schedule', cron: '0 9 * * *', actions: ['jot'] } },
    actions: { jot: { type: 'createRecord', entity: 'memo', values: { note: "'morning'" } } },
  },
];

const servers: TestServer[] = [];
const folders: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function queuedRuns(t: TestServer): Promise<string[]> {
  const jobs = (await t.get<any>('/api/scheduler/jobs?status=pending&key=cron.daily.morning')).body.items as { dueAt: string }[];
  return jobs.map((job) => job.dueAt);
}
const memos = async (t: TestServer): Promise<number> => (await t.get<any>('/api/data/memo?total=1&limit=1')).body.total as number;
async function tickAt(t: TestServer, at: string): Promise<void> {
  t.clock.set(at);
  await t.post('/api/scheduler/tick');
}

/** A server on `dataDir` with the organisation in `zone` (unset: UTC). */
async function serverIn(dataDir: string, zone?: string): Promise<TestServer> {
  const t = await startTestServer({ dataDir, env: zone ? { CRM_TIME_ZONE: zone } : {} });
  servers.push(t);
  return t;
}

describe('the organisation\u2019s time zone changes on the day', () => {
  it('west (UTC → New York) after the day\u2019s run: no second run that day', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cron-zone-west-'));
    folders.push(dataDir);
    const before = await serverIn(dataDir);
    before.clock.set('2026-03-01T00:30:00.000Z');
    expect((await before.post<any>('/api/meta/apply', metadata)).status).toBe(200);
    await before.post('/api/scheduler/tick');
    await tickAt(before, '2026-03-01T09:00:00.000Z');
    expect(await memos(before)).toBe(1);
    expect(await queuedRuns(before)).toEqual(['2026-03-02T09:00:00.000Z']);
    await before.close();

    const after = await serverIn(dataDir, 'America/New_York');
    await tickAt(after, '2026-03-01T10:00:00.000Z');
    // 09:00 in New York (UTC−5) on 2 March; its 09:00 of 1 March would have been the day's second run.
    expect(await queuedRuns(after)).toEqual(['2026-03-02T14:00:00.000Z']);
    await tickAt(after, '2026-03-01T14:00:00.000Z');
    expect(await memos(after)).toBe(1);
    await tickAt(after, '2026-03-02T14:00:00.000Z');
    expect(await memos(after)).toBe(2);
  });

  it('east (New York → UTC) before the day\u2019s run: the day still runs, once', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cron-zone-east-'));
    folders.push(dataDir);
    const before = await serverIn(dataDir, 'America/New_York');
    before.clock.set('2026-03-01T00:30:00.000Z');
    expect((await before.post<any>('/api/meta/apply', metadata)).status).toBe(200);
    await before.post('/api/scheduler/tick');
    expect(await queuedRuns(before)).toEqual(['2026-03-01T14:00:00.000Z']);
    await before.close();

    const after = await serverIn(dataDir);
    // 09:00 UTC has passed when the server starts in UTC at 10:00: the day's run is made at once.
    await tickAt(after, '2026-03-01T10:00:00.000Z');
    expect(await memos(after)).toBe(1);
    expect(await queuedRuns(after)).toEqual(['2026-03-02T09:00:00.000Z']);
    await tickAt(after, '2026-03-01T14:00:00.000Z');
    expect(await memos(after)).toBe(1);
  });

  it('an occurrence\u2019s remaining pages, queued before the change, still run', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cron-zone-pages-'));
    folders.push(dataDir);
    const t = await serverIn(dataDir, 'Asia/Shanghai');
    t.clock.set('2026-03-01T09:00:00.000Z');
    const paged = { ...metadata[1], triggers: { morning: { on: 'schedule', cron: '0 9 * * *', filter: { note: 'planted' }, actions: ['jot'] } } };
    expect((await t.post<any>('/api/meta/apply', [metadata[0], paged])).status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await t.post<any>('/api/data/memo', { note: 'planted' })).body.id);
    ids.sort();
    // What a run in UTC left when its process stopped after the first page: the pages after it, as a continuation.
    const scheduler = findWorkflowRuntime(t.server.services)!.scheduler;
    const occurrence = 'cron.daily.morning.2026-03-01T09:00:00.000Z';
    const continuation = `${occurrence}.after.${ids[0]}`;
    await scheduler.enqueue({ id: continuation, kind: 'cron', dueAt: new Date('2026-03-01T09:00:00.000Z'), key: 'cron.daily.morning', payload: { workflow: 'daily', trigger: 'morning', cron: '0 9 * * *', timezone: 'UTC', occurrence, after: ids[0] } });
    await t.post('/api/scheduler/tick');
    const done = (await t.get<any>('/api/scheduler/jobs?status=done&key=cron.daily.morning')).body.items as { id: string; note: string }[];
    expect(done.find((job) => job.id === continuation)?.note).toMatch(/^queued 1 action\(s\) over 1 record\(s\)/);
    expect(await memos(t)).toBe(3);
  });
});
