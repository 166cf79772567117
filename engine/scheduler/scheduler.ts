// scheduler/: runs due jobs inside the server — no extra service. Jobs live in the store (they
// survive restarts); each is run by the one process that wins its lease; a job whose holder died
// is taken over once the lease expires. Time comes only from the injected clock: tests advance a
// manual clock and call runDue(); in production a timer calls it.

import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock.ts';
import type { Store, StoreTransaction } from '../store/store-port.ts';
import { claimJob, enqueueJob, findClaimable, finishJob, purgeFinishedJobs, releaseLeases, type Job, type NewJob } from './jobs.ts';
import { log } from '../kernel/log.ts';

/** Thrown by a handler to be tried again later (e.g. a webhook answered 500). */
export class RetryLater extends Error {
  constructor(message: string, readonly delayMs?: number) {
    super(message);
    this.name = 'RetryLater';
  }
}

export interface JobContext {
  job: Job;
  now: Date;
  scheduler: Scheduler;
}

/** Returns a note for the job log, or nothing. Throw to fail (retried with backoff). */
export type JobHandler = (ctx: JobContext) => Promise<string | void>;

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  /** How long a claimed job is held before another process may take it over. */
  leaseMs?: number;
  /** First retry delay; doubled per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Identifies this process in leases. */
  owner?: string;
}

export interface RunSummary {
  ran: number;
  failed: number;
  ids: string[];
}

export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export class Scheduler {
  readonly owner: string;
  readonly leaseMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly beforeRun: (() => Promise<void>)[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private lastPurge = 0;
  private stopped = false;
  private startedWith: number | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.backoffMs = options.backoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  }

  get clock(): Clock {
    return this.options.clock;
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Work done at the start of every run (e.g. making sure cron jobs exist for the current metadata). */
  onBeforeRun(work: () => Promise<void>): void {
    this.beforeRun.push(work);
  }

  /** Enqueues in its own transaction, or in the caller's (`tx`) so that the job commits with the write that caused it. */
  async enqueue(job: NewJob, tx?: StoreTransaction): Promise<boolean> {
    const now = this.options.clock.now();
    if (tx) return enqueueJob(tx, job, now);
    return this.options.store.transaction((t) => enqueueJob(t, job, now));
  }

  /**
   * Runs every job due at `now` (the clock's time when omitted), including jobs that become due
   * while it runs (a job enqueueing follow-ups), until none is left. Serialized within a process;
   * across processes the leases decide. Waits for effects started in the background first.
   */
  runDue(now?: Date): Promise<RunSummary> {
    const run = this.running.then(async () => {
      await this.idle();
      for (const work of this.beforeRun) await work();
      const summary: RunSummary = { ran: 0, failed: 0, ids: [] };
      for (let round = 0; round < 100; round++) {
        const at = now ?? this.options.clock.now();
        const jobs = await findClaimable(this.options.store, at, 100);
        let progressed = false;
        for (const job of jobs) {
          if (this.stopped) break; // shutting down: claim nothing new
          const outcome = await this.claimAndRun(job, at);
          if (outcome === undefined) continue;
          progressed = true;
          summary.ids.push(job.id);
          if (outcome) summary.ran++;
          else summary.failed++;
        }
        // Effects a job started in the background (a transition's notifications) finish in this run.
        const background = this.inFlight.size > 0;
        await this.idle();
        if ((!progressed && !background) || this.stopped) break;
      }
      return summary;
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs the named jobs now if they are due (effects right after the write that caused them),
   * in the background; runDue() and idle() wait for them.
   */
  runSoon(ids: readonly string[]): void {
    if (ids.length === 0 || this.stopped) return;
    const work = (async () => {
      for (const id of ids) {
        const row = await this.options.store.get('_jobs', id);
        if (!row) continue;
        const job = { id: row.id, version: row.version, ...(row.data as unknown as Omit<Job, 'id' | 'version'>) } as Job;
        const now = this.options.clock.now();
        if (job.status !== 'pending' || job.dueAt > now.toISOString()) continue;
        await this.claimAndRun(job, now);
      }
    })().catch((error: unknown) => log.error('[scheduler] background run failed:', (error as Error).message));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves when no background run is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Claims one job and runs it: true done, false failed (will retry or gave up), undefined not won. */
  private async claimAndRun(job: Job, at: Date): Promise<boolean | undefined> {
    const claimed = await claimJob(this.options.store, job, this.owner, at, this.leaseMs);
    if (!claimed) return undefined;
    const handler = this.handlers.get(claimed.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${claimed.kind}"`);
      const note = await handler({ job: claimed, now: at, scheduler: this });
      const finished = await finishJob(this.options.store, claimed, { status: 'done', finishedAt: this.options.clock.now().toISOString(), leaseOwner: undefined, leaseUntil: undefined, ...(note ? { note } : {}) });
      if (!finished) log.warn(`[scheduler] job ${claimed.id} finished after its lease was taken over`);
      return true;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const giveUp = claimed.attempts >= claimed.maxAttempts;
      const delay = error instanceof RetryLater && error.delayMs !== undefined ? error.delayMs : backoffDelay(claimed.attempts, this.backoffMs, this.maxBackoffMs);
      const now = this.options.clock.now();
      log.warn(`[scheduler] job ${claimed.id} (${claimed.kind}) attempt ${claimed.attempts} failed: ${message}${giveUp ? ' — giving up' : ''}`);
      await finishJob(this.options.store, claimed, giveUp
        ? { status: 'failed', finishedAt: now.toISOString(), lastError: message, leaseOwner: undefined, leaseUntil: undefined }
        : { status: 'pending', dueAt: new Date(now.getTime() + delay).toISOString(), lastError: message, leaseOwner: undefined, leaseUntil: undefined });
      return false;
    }
  }

  /** runDue() at the clock's time: what the production timer calls. */
  tick(): Promise<RunSummary> {
    return this.runDue();
  }

  /** Removes jobs finished more than `keepMs` ago, at most once a day of clock time. */
  async purgeFinished(keepMs = 30 * 86_400_000): Promise<number> {
    const now = this.options.clock.now().getTime();
    if (now - this.lastPurge < 86_400_000) return 0;
    this.lastPurge = now;
    return purgeFinishedJobs(this.options.store, new Date(now - keepMs));
  }

  /** Calls runDue() every intervalMs (production); 0 or less: never (tests call runDue themselves). */
  start(intervalMs: number): void {
    this.startedWith = intervalMs;
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      void this.runDue().catch((error: unknown) => log.error('[scheduler] run failed:', (error as Error).message));
    }, intervalMs);
    this.timer.unref();
  }

  /** For readiness: the timer runs, is off by setting (interval 0), has not started yet, or stopped. */
  get status(): 'running' | 'off' | 'starting' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (this.startedWith === undefined) return 'starting';
    return this.startedWith > 0 ? 'running' : 'off';
  }

  /**
   * Claims nothing more, waits for the job in hand (at most `waitMs` when given), then hands back
   * any lease this process still holds so that another process runs the job at once.
   */
  async stop(waitMs?: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const finished = (async () => {
      await this.running;
      await this.idle();
    })();
    if (waitMs === undefined) await finished;
    else {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise<void>((resolve) => (timeout = setTimeout(resolve, waitMs)))]);
      clearTimeout(timeout);
    }
    // A store closed before the scheduler stops (a test's teardown order) leaves the leases to expire.
    const released = await releaseLeases(this.options.store, this.owner).catch((error: unknown) => {
      log.warn(`[scheduler] job leases not released on stop (they expire): ${(error as Error).message}`);
      return 0;
    });
    if (released > 0) log.warn(`[scheduler] released ${released} job lease(s) on stop`);
  }
}
