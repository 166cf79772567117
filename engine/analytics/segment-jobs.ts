// Segments with a `schedule` are recomputed by the scheduler: one pending job per segment for its
// next occurrence (deterministic id, so servers sharing the store queue it once); running it
// queues the following one, then refreshes the membership on the current metadata.

import { andFilters, where } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import type { SegmentDefinition } from '../metadata/generated/metadata.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { jobsCollection, listJobs } from '../scheduler/jobs.ts';
import type { JobContext, Scheduler } from '../scheduler/scheduler.ts';
import type { Store } from '../store/store-port.ts';
import { nextSegmentRun, refreshSegment, segmentOf } from './segments.ts';

export interface SegmentJobDeps {
  store: Store;
  runtime: ModelRuntime;
  clock: Clock;
  scheduler: Scheduler;
  timeZone: string;
}

const keyOf = (name: string) => `segment.${name}`;

export async function ensureSegmentJobs(deps: SegmentJobDeps): Promise<void> {
  const now = deps.clock.now();
  for (const item of deps.runtime.model.set.list('segment')) {
    const segment = item as unknown as SegmentDefinition;
    const key = keyOf(segment.name);
    const pending = await listJobs(deps.store, andFilters(where({ key, status: 'pending' })), 10);
    const current = pending.filter((job) => job.payload['schedule'] === segment.schedule);
    for (const stale of pending.filter((job) => !current.includes(job))) await deps.store.transaction((tx) => tx.delete(jobsCollection.name, stale.id, stale.version));
    if (segment.schedule === undefined || current.length > 0) continue;
    if ((await listJobs(deps.store, andFilters(where({ key, status: 'running' })), 1)).length > 0) continue;
    const next = nextSegmentRun(segment.schedule, deps.timeZone, now);
    if (next) await deps.scheduler.enqueue({ id: `${key}.${next.toISOString()}`, kind: 'segment', dueAt: next, key, payload: { segment: segment.name, schedule: segment.schedule } });
  }
}

export function segmentJobHandler(deps: SegmentJobDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const { segment: name, schedule } = job.payload as { segment: string; schedule: string };
    const segment = segmentOf(deps.runtime.model, name);
    if (!segment || segment.schedule !== schedule) return 'schedule changed or removed: nothing to do';
    const next = nextSegmentRun(schedule, deps.timeZone, new Date(Date.parse(job.dueAt) + 1000));
    if (next) await deps.scheduler.enqueue({ id: `${keyOf(name)}.${next.toISOString()}`, kind: 'segment', dueAt: next, key: keyOf(name), payload: job.payload });
    const run = await refreshSegment({ store: deps.store, model: deps.runtime.model, name, clock: deps.clock, timeZone: deps.timeZone });
    return `${run.count} member(s), ${run.joined} joined, ${run.left} left`;
  };
}
