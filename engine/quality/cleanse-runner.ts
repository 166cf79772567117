// Runs cleansing jobs in the background (cleanse-records.ts does the work): each slice of a job is
// a job of the scheduler's durable queue — leased, retried, taken over when its process died — that
// enqueues the next slice from the job's checkpoint. The first slice starts at once. Without a
// scheduler (a server started without the workflow module) the slices run in this process, and
// jobs found running at start are resumed.

import type { AccessPolicy } from '../access/policy.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import type { Clock } from '../kernel/clock.ts';
import { log } from '../kernel/log.ts';
import type { RecordEventChannel } from '../records/record-events.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import { where } from '../filter/filter-tree.ts';
import type { Store } from '../store/store-port.ts';
import { cleanseJobKind, cleanseJobsCollection, loadCleanseJob, runCleanseSlice, startCleanseJob, type CleanseJob, type CleanseRequest, type CleanseRunOptions } from './cleanse-records.ts';

export interface CleanseRunnerDeps {
  store: Store;
  clock: Clock;
  policy(): AccessPolicy;
  model(): CompiledModel;
  /** The record events: a page's in its transaction (the outbox, tombstones), and after it commits. */
  events: RecordEventChannel;
  options?: CleanseRunOptions;
}

/** The scheduler job of a slice: named by the job and where it starts, so enqueueing it twice does nothing. */
const sliceJobId = (id: string, position: string | undefined) => `cleanse-${id}-${position ?? 'start'}`;

export class CleanseRunner {
  private scheduler: Scheduler | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: CleanseRunnerDeps) {}

  /** Slices run as the scheduler's jobs from now on. */
  useScheduler(scheduler: Scheduler): void {
    this.scheduler = scheduler;
    scheduler.register(cleanseJobKind, async ({ job }) => this.runSlice(String(job.payload['job'])));
  }

  private context(job: CleanseJob): RequestContext {
    return { principal: job.principal, locale: job.locale, clock: this.deps.clock, model: this.deps.model(), policy: this.deps.policy() };
  }

  /** Records the job and its first slice in one transaction, and starts it in the background. */
  async start(ctx: RequestContext, entity: CompiledEntity, request: CleanseRequest): Promise<{ id: string; job: CleanseJob }> {
    const scheduler = this.scheduler;
    const started = await startCleanseJob({
      store: this.deps.store, ctx, entity, request,
      enqueue: (tx, id) => (scheduler ? scheduler.enqueue({ id: sliceJobId(id, undefined), kind: cleanseJobKind, dueAt: this.deps.clock.now(), payload: { job: id }, key: `cleanse:${id}` }, tx) : Promise.resolve()),
    });
    if (scheduler) scheduler.runSoon([sliceJobId(started.id, undefined)]);
    else this.runHere(started.id);
    return started;
  }

  /**
   * One slice; when pages are left, the next slice is enqueued from the checkpoint, due now: the
   * scheduler's run picks it up (within the same run when it is already running its queue, else
   * at its next tick), so other due jobs get their turn between slices and no lease lasts long.
   */
  private async runSlice(id: string): Promise<string> {
    const outcome = await runCleanseSlice({ store: this.deps.store, context: (job) => this.context(job), id, events: this.deps.events, ...(this.deps.options ? { options: this.deps.options } : {}) });
    if (outcome !== 'more' || !this.scheduler) return `cleansing job ${id}: ${outcome}`;
    const loaded = await loadCleanseJob(this.deps.store, id);
    const next = sliceJobId(id, loaded?.job.position);
    await this.scheduler.enqueue({ id: next, kind: cleanseJobKind, dueAt: this.deps.clock.now(), payload: { job: id }, key: `cleanse:${id}` });
    return `cleansing job ${id}: ${loaded?.job.counts.records ?? 0} of ${loaded?.job.total ?? 0} records checked`;
  }

  /** Without a scheduler: every slice in this process, in the background. */
  private runHere(id: string): void {
    const work = (async () => {
      while ((await runCleanseSlice({ store: this.deps.store, context: (job) => this.context(job), id, events: this.deps.events, ...(this.deps.options ? { options: this.deps.options } : {}) })) === 'more');
    })().catch((error: unknown) => log.error(`[quality] cleansing job ${id} failed:`, (error as Error).message));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Without a scheduler, jobs a stopped process left running go on here (with one, its queue takes them over). */
  async resumeInterrupted(): Promise<void> {
    if (this.scheduler) return;
    const rows = await this.deps.store.find(cleanseJobsCollection.name, { filter: where({ status: 'running' }), sort: [], limit: 100 });
    for (const row of rows) this.runHere(row.id);
  }

  /** Waits for the slices running in this process without a scheduler (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
