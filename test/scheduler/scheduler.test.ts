// The scheduler on a real embedded store with a manual clock: two schedulers (as two processes
// would) never run one job twice; failures are retried with backoff and given up after the last
// attempt; a lease that expired (its holder died) is taken over; jobs survive a reopened store.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { claimJob, jobsCollection, listJobs } from '../../engine/scheduler/jobs.ts';
import { RetryLater, Scheduler, backoffDelay } from '../../engine/scheduler/scheduler.ts';
import { matchAll } from '../../engine/filter/filter-tree.ts';
import { openStore } from '../../engine/store/open-store.ts';
import type { Store } from '../../engine/store/store-port.ts';

let dir: string;
let store: Store;
let clock: ManualClock;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-sched-'));
  store = await openStore({ dataDir: dir });
  await store.syncCollection(jobsCollection);
  clock = new ManualClock('2026-03-01T09:00:00.000Z');
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const scheduler = (owner: string, options: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) => new Scheduler({ store, clock, owner, leaseMs: 60_000, backoffMs: 1_000, ...options });
const jobs = async () => (await listJobs(store, matchAll)).map((j) => ({ id: j.id, status: j.status, attempts: j.attempts, dueAt: j.dueAt, lastError: j.lastError }));

describe('scheduler', () => {
  it('runs a due job once even when two schedulers run at the same time', async () => {
    const runs: string[] = [];
    const a = scheduler('a');
    const b = scheduler('b');
    for (const s of [a, b]) s.register('count', async ({ scheduler: who }) => {
      runs.push(who.owner);
    });
    for (let i = 0; i < 20; i++) await a.enqueue({ id: `job-${i}`, kind: 'count', dueAt: clock.now(), payload: {} });
    expect(await a.enqueue({ id: 'job-0', kind: 'count', dueAt: clock.now(), payload: {} })).toBe(false); // idempotent
    await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(runs).toHaveLength(20);
    expect((await jobs()).every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
  });

  it('does not run a job before it is due', async () => {
    const s = scheduler('a');
    let ran = 0;
    s.register('later', async () => {
      ran++;
    });
    await s.enqueue({ id: 'later', kind: 'later', dueAt: new Date(clock.now().getTime() + 60_000), payload: {} });
    await s.runDue();
    expect(ran).toBe(0);
    clock.advance(60_000);
    await s.tick();
    expect(ran).toBe(1);
  });

  it('retries a failure with doubling backoff and gives up after the last attempt', async () => {
    const s = scheduler('a');
    s.register('flaky', async () => {
      throw new Error('down');
    });
    await s.enqueue({ id: 'f', kind: 'flaky', dueAt: clock.now(), payload: {}, maxAttempts: 3 });
    await s.runDue();
    expect(await jobs()).toEqual([{ id: 'f', status: 'pending', attempts: 1, dueAt: '2026-03-01T09:00:01.000Z', lastError: 'down' }]);
    clock.advance(1_000);
    await s.runDue();
    expect((await jobs())[0]).toMatchObject({ status: 'pending', attempts: 2, dueAt: '2026-03-01T09:00:03.000Z' });
    clock.advance(2_000);
    await s.runDue();
    expect((await jobs())[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'down' });
    clock.advance(3_600_000);
    expect((await s.runDue()).ran + (await s.runDue()).failed).toBe(0);
    expect(backoffDelay(10, 30_000, 3_600_000)).toBe(3_600_000);
  });

  it('RetryLater chooses its own delay', async () => {
    const s = scheduler('a');
    let n = 0;
    s.register('hook', async () => {
      if (++n === 1) throw new RetryLater('answered 503', 5_000);
    });
    await s.enqueue({ id: 'h', kind: 'hook', dueAt: clock.now(), payload: {} });
    await s.runDue();
    expect((await jobs())[0]).toMatchObject({ status: 'pending', dueAt: '2026-03-01T09:00:05.000Z' });
    clock.advance(5_000);
    await s.runDue();
    expect((await jobs())[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('takes over a job whose holder died, once its lease has expired', async () => {
    const b = scheduler('b');
    let ran = 0;
    b.register('work', async () => {
      ran++;
    });
    await b.enqueue({ id: 'w', kind: 'work', dueAt: clock.now(), payload: {} });
    const [job] = await listJobs(store, matchAll);
    expect(await claimJob(store, job!, 'dead-process', clock.now(), 60_000)).toBeDefined(); // a claims, then dies
    expect(await claimJob(store, job!, 'late', clock.now(), 60_000)).toBeUndefined(); // the version moved on: one winner
    await b.runDue();
    expect(ran).toBe(0);
    clock.advance(60_000);
    await b.runDue();
    expect(ran).toBe(1);
    expect((await jobs())[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('keeps jobs across a reopened store', async () => {
    await scheduler('a').enqueue({ id: 'kept', kind: 'work', dueAt: clock.now(), payload: { n: 1 } });
    await store.close();
    store = await openStore({ dataDir: dir });
    const s = scheduler('a2');
    const seen: unknown[] = [];
    s.register('work', async ({ job }) => {
      seen.push(job.payload);
    });
    await s.runDue();
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('purges finished jobs after 30 days, keeping failed ones', async () => {
    const s = scheduler('a', { maxBackoffMs: 1_000 });
    s.register('ok', async () => undefined);
    s.register('bad', async () => {
      throw new Error('no');
    });
    await s.enqueue({ id: 'ok', kind: 'ok', dueAt: clock.now(), payload: {} });
    await s.enqueue({ id: 'bad', kind: 'bad', dueAt: clock.now(), payload: {}, maxAttempts: 1 });
    await s.runDue();
    expect(await s.purgeFinished()).toBe(0);
    clock.advance(31 * 86_400_000);
    expect(await s.purgeFinished()).toBe(1);
    expect((await jobs()).map((j) => [j.id, j.status])).toEqual([['bad', 'failed']]);
  });
});
