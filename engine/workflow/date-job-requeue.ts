// A date trigger's jobs follow its definition. A record write queues its job when the date changes,
// and a job that finds its due time no longer matching does nothing (the write that changed the date
// queued the new one) — so a metadata change to when a trigger is due (its field, `at`, `offset` or
// `timezone`) would leave every record without a job. In the apply transaction (a ModelRuntime apply
// hook, so the jobs change exactly when the revision lands): a removed trigger's pending jobs go; a
// trigger whose due time changed, or a new one, gets its pending jobs replaced by one per record
// under the new definition — past due times queue nothing, as when such a record is created (a
// pending job the edit leaves at its time stays, even if already due). A trigger whose due time did
// not change keeps its jobs untouched.

import { internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import type { ApplyHook } from '../runtime/model-runtime.ts';
import { asJob, jobsCollection } from '../scheduler/jobs.ts';
import { pagesById } from '../store/read-pages.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { workflowsOf, type CompiledTrigger, type CompiledWorkflow } from './compile-workflow.ts';
import { dueTimeOf } from './date-triggers.ts';
import type { WorkflowDeps } from './workflow-deps.ts';
import { enqueueDateJob } from './workflow-jobs.ts';

/** Records (and jobs) read per query: memory stays bounded however large the entity. */
export const requeuePageSize = 500;

type Deps = Pick<WorkflowDeps, 'scheduler' | 'clock'>;

export function createDateJobRequeueHook(deps: Deps): ApplyHook {
  return ({ tx, previous, next, at }) => requeueDateJobs(deps, tx, previous, next, at);
}

/** What decides a date trigger's due times; undefined when there is no such date trigger. */
function dueSignature(model: CompiledModel, workflowName: string, triggerName: string): string | undefined {
  const workflow = workflowsOf(model).get(workflowName);
  const def = workflow?.triggers.find((t) => t.name === triggerName)?.definition;
  if (!workflow || def?.on !== 'date') return undefined;
  return JSON.stringify([workflow.entity, def.field, def.at ?? null, def.offset ?? null, def.timezone ?? null]);
}

function dateTriggers(model: CompiledModel): { workflow: CompiledWorkflow; trigger: CompiledTrigger }[] {
  return [...workflowsOf(model).values()].flatMap((workflow) => workflow.triggers.filter((t) => t.definition.on === 'date').map((trigger) => ({ workflow, trigger })));
}

async function requeueDateJobs(deps: Deps, tx: StoreTransaction, previous: CompiledModel, next: CompiledModel, now: Date): Promise<void> {
  for (const { workflow, trigger } of dateTriggers(previous)) {
    if (dueSignature(next, workflow.name, trigger.name) === undefined) await dropPendingJobs(tx, workflow.name, trigger.name);
  }
  for (const { workflow, trigger } of dateTriggers(next)) {
    const signature = dueSignature(next, workflow.name, trigger.name);
    if (signature === dueSignature(previous, workflow.name, trigger.name)) continue;
    await dropMovedJobs(deps, tx, next, workflow, trigger);
    await queueForRecords(deps, tx, next, workflow, trigger, now);
  }
}

/** Pending only: a running job finishes (it finds its due time changed, or its trigger gone, and does nothing). */
async function dropPendingJobs(tx: StoreTransaction, workflow: string, trigger: string): Promise<void> {
  const filter = where({ key: `date.${workflow}.${trigger}`, status: 'pending' });
  for (;;) {
    const page = await tx.find(jobsCollection.name, { filter, sort: [], limit: requeuePageSize });
    if (page.length === 0) return;
    for (const job of page) await tx.delete(jobsCollection.name, job.id, job.version);
  }
}

/**
 * A changed trigger's pending jobs whose record's due time the new definition moves (or clears).
 * One it leaves where it was stays — also when already due but not yet run: queueForRecords queues
 * only times still to come, so dropping it would lose that record's run.
 */
async function dropMovedJobs(deps: Deps, tx: StoreTransaction, model: CompiledModel, workflow: CompiledWorkflow, trigger: CompiledTrigger): Promise<void> {
  const def = trigger.definition;
  if (def.on !== 'date') return;
  const entity = model.entities.get(workflow.entity);
  const zone = timeZoneOf(deps.clock);
  const pending = where({ key: `date.${workflow.name}.${trigger.name}`, status: 'pending' });
  for await (const page of pagesById(tx, jobsCollection.name, pending, requeuePageSize)) {
    for (const job of page.map(asJob)) {
      const record = entity ? await tx.get(entity.name, String(job.payload['recordId'])) : undefined;
      const due = record ? dueTimeOf(trigger, record.data[def.field], zone) : undefined;
      if (due?.toISOString() !== job.dueAt) await tx.delete(jobsCollection.name, job.id, job.version);
    }
  }
}

/** `now`: the revision's instant — a due time not after it is past, as for a record created then. */
async function queueForRecords(deps: Deps, tx: StoreTransaction, model: CompiledModel, workflow: CompiledWorkflow, trigger: CompiledTrigger, now: Date): Promise<void> {
  const entity = model.entities.get(workflow.entity);
  const def = trigger.definition;
  if (!entity || def.on !== 'date') return;
  const zone = timeZoneOf(deps.clock);
  const field = entity.filterables.get(def.field) ?? internalField(def.field);
  // Dates and datetimes both start with the calendar day: a record whose day lies two days before
  // the earliest that could still be due (any zone, any `at`) cannot be, and is not read at all.
  const earliest = new Date(now.getTime() - (trigger.offsetMs ?? 0) - 2 * 86_400_000).toISOString().slice(0, 10);
  const withDate: FilterNode = { kind: 'compare', field, op: '$gte', value: earliest };
  for await (const page of pagesById(tx, entity.name, withDate, requeuePageSize)) {
    for (const row of page) {
      const due = dueTimeOf(trigger, row.data[def.field], zone);
      if (!due || due.getTime() <= now.getTime()) continue;
      await enqueueDateJob({ deps, tx, workflow, trigger: trigger.name, recordId: row.id, due });
    }
  }
}
