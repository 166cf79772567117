// Triggers: what runs without a user taking a transition. Record writes queue (in their own
// transaction) create and update triggers (an update trigger fires when its condition BECOMES true), the initial
// state's history and SLA jobs, and date jobs; the scheduler's jobs run SLA (inState), date and
// cron triggers. Every trigger's actions become action jobs.

import { timeZoneOf } from '../kernel/clock.ts';
import { Cron } from 'croner';
import { newId } from '../kernel/ids.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { andFilters, internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { storedMembers } from '../records/segments.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import type { JobContext } from '../scheduler/scheduler.ts';
import { jobsCollection, listJobs } from '../scheduler/jobs.ts';
import { workflowsForEntity, workflowsOf, type CompiledTrigger, type CompiledWorkflow } from './compile-workflow.ts';
import { dueTimeOf } from './date-triggers.ts';
import { findPendingApproval, replaceApproval } from './approvals.ts';
import { isTrue } from './evaluate-facts.ts';
import { openStay, recordStateChange } from './state-history.ts';
import type { WorkflowDeps } from './workflow-deps.ts';
import { enqueueActionJobs, enqueueDateJob, enqueueDateJobs, enqueueStateJobs } from './workflow-jobs.ts';
import { log } from '../kernel/log.ts';

async function holds(trigger: CompiledTrigger, record: Record<string, unknown>, deps: Pick<WorkflowDeps, 'clock'>): Promise<boolean> {
  try {
    return await isTrue(trigger.when, record, deps.clock, `/triggers/${trigger.name}/when`);
  } catch (error) {
    log.warn(`[workflow] trigger ${trigger.name}: condition failed: ${(error as Error).message}`);
    return false;
  }
}

/** The create and update triggers a write fires (an update trigger: when its condition becomes true). */
export async function writeTriggersThatFire(args: { workflow: CompiledWorkflow; type: RecordEvent['type']; record: Record<string, unknown>; before: Record<string, unknown> | undefined; clock: WorkflowDeps['clock'] }): Promise<CompiledTrigger[]> {
  const fired: CompiledTrigger[] = [];
  for (const trigger of args.workflow.triggers) {
    const on = trigger.definition.on;
    let fire = false;
    if (on === 'create' && args.type === 'created') fire = await holds(trigger, args.record, args);
    if (on === 'update' && args.type === 'updated' && args.before) fire = !(await holds(trigger, args.before, args)) && (await holds(trigger, args.record, args));
    if (fire) fired.push(trigger);
  }
  return fired;
}

/**
 * Runs inside every record write's transaction: the initial state's history and SLA jobs, the
 * action jobs of create and update triggers, and date jobs commit with the write itself — a crash
 * can never keep the write and lose what it should have started. The ids go on the event.
 */
export function recordTransactionListener(deps: WorkflowDeps) {
  // Answered at once (no promise) for an entity no workflow drives: a bulk write runs it per record.
  return (tx: StoreTransaction, event: RecordEvent): Promise<void> | undefined => {
    if (event.type === 'deleted') return voidApprovals(deps, tx, event);
    if (!event.after) return undefined;
    const workflows = workflowsForEntity(event.ctx.model, event.entity);
    if (workflows.length === 0) return undefined;
    return fireWorkflows(deps, tx, event as RecordEvent & { after: RecordValues }, workflows);
  };
}

async function fireWorkflows(deps: WorkflowDeps, tx: StoreTransaction, event: RecordEvent & { after: RecordValues }, workflows: CompiledWorkflow[]): Promise<void> {
  const record: Record<string, unknown> = { ...event.after, id: event.id };
  const before: Record<string, unknown> | undefined = event.before ? { ...event.before, id: event.id } : undefined;
  const jobIds: string[] = [];
  for (const workflow of workflows) {
    if (event.type === 'created' && workflow.field && typeof record[workflow.field] === 'string') {
      const state = record[workflow.field] as string;
      const at = String(record['createdAt'] ?? deps.clock.now().toISOString());
      const stayId = await recordStateChange(tx, { workflow: workflow.name, entity: event.entity, recordId: event.id, state, at, by: event.ctx.principal.id });
      jobIds.push(...(await enqueueStateJobs({ deps, tx, workflow, entity: event.entity, recordId: event.id, state, stayId, enteredAt: at })));
    }
    for (const trigger of await writeTriggersThatFire({ workflow, type: event.type, record, before, clock: deps.clock })) {
      jobIds.push(...(await enqueueActionJobs({ deps, tx, workflow, actions: trigger.definition.actions, record, origin: `trigger.${trigger.name}`, by: event.ctx.principal.id, idPrefix: `trg.${trigger.name}.${event.id}.${newId()}` })));
    }
    jobIds.push(...(await enqueueDateJobs({ deps, tx, workflow, record, ...(before ? { before } : {}) })));
  }
  if (jobIds.length > 0) event.jobs = [...(event.jobs ?? []), ...jobIds];
}

/** After the commit: start what the write queued. */
export function recordEventListener(deps: WorkflowDeps) {
  return (event: RecordEvent): void => {
    if (event.jobs) deps.scheduler.runSoon(event.jobs);
  };
}

/** A deleted record's pending approval can never complete: it is closed as void. */
async function voidApprovals(deps: WorkflowDeps, tx: StoreTransaction, event: RecordEvent): Promise<void> {
  const pending = await findPendingApproval(tx, event.entity, event.id);
  if (!pending) return;
  const { id: _id, version: _version, ...data } = pending;
  const { waitingFor: _waiting, ...closed } = data;
  await replaceApproval(tx, pending, { ...closed, status: 'void', decidedAt: deps.clock.now().toISOString(), reason: 'the record was deleted' });
}

function findTrigger(model: CompiledModel, workflowName: string, triggerName: string): { workflow: CompiledWorkflow; trigger: CompiledTrigger } | undefined {
  const workflow = workflowsOf(model).get(workflowName);
  const trigger = workflow?.triggers.find((t) => t.name === triggerName);
  return workflow && trigger ? { workflow, trigger } : undefined;
}

/** SLA: the record has stayed in the state long enough — unless it left (then nothing happens). */
export function inStateJobHandler(deps: WorkflowDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const p = job.payload as { workflow: string; trigger: string; entity: string; recordId: string; stayId: string; round: number };
    const found = findTrigger(deps.runtime.model, p.workflow, p.trigger);
    if (!found || found.trigger.definition.on !== 'inState') return 'trigger removed: nothing to do';
    const stay = await openStay(deps.store, p.workflow, p.entity, p.recordId);
    if (!stay || stay.id !== p.stayId) return 'the record left the state: nothing to do';
    const stored = await deps.store.get(p.entity, p.recordId);
    if (!stored) return 'record gone';
    const record: Record<string, unknown> = { ...stored.data, id: stored.id };
    if (found.workflow.field && record[found.workflow.field] !== found.trigger.definition.state) return 'the record left the state: nothing to do';
    const ids: string[] = [];
    if (found.trigger.repeatMs) {
      const next = p.round + 1;
      await deps.scheduler.enqueue({ id: `inState.${p.stayId}.${p.trigger}.${next}`, kind: 'inState', dueAt: new Date(Date.parse(job.dueAt) + found.trigger.repeatMs), payload: { ...p, round: next }, key: job.key ?? '' });
    }
    if (!(await holds(found.trigger, record, deps))) return 'condition false: skipped';
    ids.push(...(await enqueueActionJobs({ deps, workflow: found.workflow, actions: found.trigger.definition.actions, record, origin: `trigger.${p.trigger}`, by: `system:trigger ${p.workflow}.${p.trigger}`, idPrefix: job.id })));
    return `queued ${ids.length} action(s)`;
  };
}

/** Relative to a date field: runs if the date still gives this due time and the record is not in a final state. */
export function dateJobHandler(deps: WorkflowDeps) {
  return async ({ job }: JobContext): Promise<string> => {
    const p = job.payload as { workflow: string; trigger: string; entity: string; recordId: string; dueAt: string; timezone?: string };
    const found = findTrigger(deps.runtime.model, p.workflow, p.trigger);
    if (!found || found.trigger.definition.on !== 'date') return 'trigger removed: nothing to do';
    const stored = await deps.store.get(p.entity, p.recordId);
    if (!stored) return 'record gone';
    const record: Record<string, unknown> = { ...stored.data, id: stored.id };
    const value = record[found.trigger.definition.field];
    const zone = timeZoneOf(deps.clock);
    const due = dueTimeOf(found.trigger, value, zone);
    if (due?.toISOString() !== p.dueAt) {
      // Queued in another organisation zone (jobs of an earlier version name none: UTC) for the same
      // date: no write queued the job of the new reading, so it is queued here — or, its time past, this one runs now.
      const queuedIn = p.timezone ?? 'UTC';
      if (!due || queuedIn === zone || dueTimeOf(found.trigger, value, queuedIn)?.toISOString() !== p.dueAt) return 'the date changed: rescheduled';
      if (due.getTime() > deps.clock.now().getTime()) {
        await enqueueDateJob({ deps, workflow: found.workflow, trigger: p.trigger, recordId: p.recordId, due });
        return `the organisation's time zone changed: moved to ${due.toISOString()}`;
      }
    }
    const state = found.workflow.field ? record[found.workflow.field] : undefined;
    if (typeof state === 'string' && found.workflow.finals.has(state)) return 'final state: skipped';
    if (!(await holds(found.trigger, record, deps))) return 'condition false: skipped';
    const ids = await enqueueActionJobs({ deps, workflow: found.workflow, actions: found.trigger.definition.actions, record, origin: `trigger.${p.trigger}`, by: `system:trigger ${p.workflow}.${p.trigger}`, idPrefix: job.id });
    return `queued ${ids.length} action(s)`;
  };
}

export function nextCronTime(cron: string, timezone: string, after: Date): Date | undefined {
  const job = new Cron(cron, { paused: true, timezone });
  return job.nextRun(after) ?? undefined;
}

function previousCronTime(cron: string, timezone: string, before: Date): Date | undefined {
  return new Cron(cron, { paused: true, timezone }).previousRuns(1, before)[0];
}

/**
 * The occurrence a schedule read in another zone puts in place of `pending`, the next one queued in
 * the old zone: the new zone's occurrence nearest to it (one after the old zone's last, so nothing
 * runs twice) — "09:00" stays the same day's nine o'clock. Derived from the time of the change
 * instead, one occurrence was skipped (the new zone's nine o'clock of the day had passed) or run twice
 * (the old zone's had run, the new zone's was still to come). May be past: it then runs at once.
 */
function movedCronTime(cron: string, fromZone: string, toZone: string, pending: Date): Date | undefined {
  const later = nextCronTime(cron, toZone, new Date(pending.getTime() - 1));
  const lastRun = previousCronTime(cron, fromZone, pending);
  const earlier = previousCronTime(cron, toZone, pending);
  if (!earlier || (lastRun && earlier.getTime() <= lastRun.getTime())) return later;
  if (!later) return earlier;
  return pending.getTime() - earlier.getTime() < later.getTime() - pending.getTime() ? earlier : later;
}

/** Makes sure every cron trigger of the current metadata has its next occurrence queued (idempotent across processes). */
export async function ensureCronJobs(deps: WorkflowDeps): Promise<void> {
  const now = deps.clock.now();
  for (const workflow of workflowsOf(deps.runtime.model).values()) {
    for (const trigger of workflow.triggers) {
      const def = trigger.definition;
      if (def.on !== 'schedule') continue;
      const key = `cron.${workflow.name}.${trigger.name}`;
      // A continuation finishes its occurrence's pages whatever changed since; only occurrences are re-queued.
      const pending = (await listJobs(deps.store, andFilters(where({ key, status: 'pending' })), 10)).filter((j) => j.payload['occurrence'] === undefined);
      // A schedule naming no zone is read in the organisation's (CRM_TIME_ZONE): "0 9 * * 1" is nine
      // o'clock where the users are. Queued with the zone it was read in, so a changed setting re-queues it.
      const zone = def.timezone ?? timeZoneOf(deps.clock);
      const current = pending.filter((j) => j.payload['cron'] === def.cron && j.payload['timezone'] === zone);
      const stale = pending.filter((j) => !current.includes(j));
      for (const job of stale) {
        await deps.store.transaction((tx) => tx.delete(jobsCollection.name, job.id, job.version));
      }
      if (current.length > 0) continue;
      const running = await listJobs(deps.store, andFilters(where({ key, status: 'running' })), 1);
      if (running.length > 0) continue; // its run queues the next occurrence
      // The same schedule read in another zone (CRM_TIME_ZONE or the trigger's own changed): its queued occurrence moves.
      const rezoned = stale.find((j) => j.payload['cron'] === def.cron);
      const next = rezoned ? movedCronTime(def.cron, String(rezoned.payload['timezone'] || 'UTC'), zone, new Date(rezoned.dueAt)) : nextCronTime(def.cron, zone, now);
      if (!next) continue;
      await deps.scheduler.enqueue({ id: `${key}.${next.toISOString()}`, kind: 'cron', dueAt: next, key, payload: { workflow: workflow.name, trigger: trigger.name, cron: def.cron, timezone: zone } });
    }
  }
}

/** Records one run of a scheduled trigger handles; more matching records go to a continuation job. */
export const schedulePageSize = 1000;

interface CronPayload {
  workflow: string;
  trigger: string;
  cron: string;
  timezone: string;
  /** A continuation: the occurrence's first job, and the last record id the previous page handled. */
  occurrence?: string;
  after?: string;
}

/**
 * A cron occurrence: queue the next one, then the actions — per matching record, or once without one.
 * Records are handled a page at a time in id order (keyset): each page is its own job, queued by the
 * one before, so a run never outlasts its lease however many records match, and memory stays bounded.
 */
export function cronJobHandler(deps: WorkflowDeps) {
  return async ({ job, now }: JobContext): Promise<string> => {
    const p = job.payload as unknown as CronPayload;
    const found = findTrigger(deps.runtime.model, p.workflow, p.trigger);
    if (!found || found.trigger.definition.on !== 'schedule' || found.trigger.definition.cron !== p.cron) return 'schedule changed or removed: nothing to do';
    const def = found.trigger.definition;
    const occurrence = p.occurrence ?? job.id;
    if (p.occurrence === undefined) {
      const next = nextCronTime(p.cron, p.timezone || 'UTC', new Date(Date.parse(job.dueAt) + 1000));
      if (next) await deps.scheduler.enqueue({ id: `${job.key}.${next.toISOString()}`, kind: 'cron', dueAt: next, key: job.key ?? '', payload: job.payload });
    }
    const by = `system:trigger ${p.workflow}.${p.trigger}`;
    if (def.filter === undefined && def.when === undefined && def.segment === undefined) {
      const ids = await enqueueActionJobs({ deps, workflow: found.workflow, actions: def.actions, record: undefined, origin: `trigger.${p.trigger}`, by, idPrefix: job.id });
      return `queued ${ids.length} action(s)`;
    }
    const entity = deps.runtime.model.entities.get(found.workflow.entity);
    if (!entity) return 'entity removed';
    const filter = def.filter === undefined ? undefined : parseFilter(def.filter, (path) => entity.filterables.get(path));
    // A campaign to a segment walks its members (as last computed) a page at a time, in record-id
    // order like the records, so no size of segment is read whole; a plain schedule walks the records.
    const members = def.segment === undefined ? undefined : (await storedMembers(deps.store, def.segment, { ...(p.after === undefined ? {} : { after: p.after }), limit: schedulePageSize })).map((m) => m.record);
    const inPage: FilterNode | undefined =
      members !== undefined
        ? { kind: 'in', field: internalField('id'), values: members, negate: false }
        : p.after === undefined ? undefined : { kind: 'compare', field: internalField('id'), op: '$gt', value: p.after };
    const rows = members?.length === 0 ? [] : await deps.store.find(entity.name, { filter: andFilters(filter, inPage), sort: [{ field: internalField('id'), direction: 1 }], limit: schedulePageSize });
    let queued = 0;
    for (const row of rows) {
      const record: Record<string, unknown> = { ...row.data, id: row.id };
      const state = found.workflow.field ? record[found.workflow.field] : undefined;
      if (typeof state === 'string' && found.workflow.finals.has(state)) continue; // the process ended here
      if (!(await holds(found.trigger, record, deps))) continue;
      queued += (await enqueueActionJobs({ deps, workflow: found.workflow, actions: def.actions, record, origin: `trigger.${p.trigger}`, by, idPrefix: `${occurrence}.${row.id}` })).length;
    }
    // The page is full when it read a page of members (some may no longer match) or of records.
    const read = members ?? rows.map((row) => row.id);
    if (read.length < schedulePageSize) return `queued ${queued} action(s) over ${rows.length} record(s)`;
    const last = read[read.length - 1]!;
    const continuation: CronPayload = { ...p, occurrence, after: last };
    await deps.scheduler.enqueue({ id: `${occurrence}.after.${last}`, kind: 'cron', dueAt: now, key: job.key ?? '', payload: continuation as unknown as Record<string, unknown> });
    return `queued ${queued} action(s) over ${rows.length} record(s); the records after ${last} follow in their own job`;
  };
}
