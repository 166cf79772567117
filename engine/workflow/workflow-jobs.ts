// The jobs a workflow leaves for the scheduler: one `action` job per action to run after a save
// (so a failed effect is retried alone and never applied twice), `inState` jobs for SLA triggers
// when a record enters a state, and `date` jobs relative to a record's date fields.

import { timeZoneOf } from '../kernel/clock.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import type { CompiledWorkflow } from './compile-workflow.ts';
import { dueTimeOf } from './date-triggers.ts';
import type { WorkflowDeps } from './workflow-deps.ts';

/** Where jobs go: the scheduler, or a recorder that keeps them (a workflow's test run). */
export type JobSink = Pick<WorkflowDeps['scheduler'], 'enqueue'>;
type JobDeps = { scheduler: JobSink; clock: WorkflowDeps['clock'] };

export interface ActionJobPayload {
  workflow: string;
  action: string;
  entity: string;
  recordId?: string;
  /** What caused it: `transition.approve`, `trigger.slaBreached`, … */
  origin: string;
  by: string;
  /** e.g. the approval and the rejection's reason, for notify templates as `$approval`, `$reason`. */
  extra?: Record<string, unknown>;
}

export async function enqueueActionJobs(args: {
  deps: JobDeps; tx?: StoreTransaction; workflow: CompiledWorkflow; actions: readonly string[]; record: RecordValues | undefined;
  origin: string; by: string; idPrefix: string; extra?: Record<string, unknown>;
}): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, action] of args.actions.entries()) {
    const id = `${args.idPrefix}.${index}.${action}`;
    const recordId = typeof args.record?.['id'] === 'string' ? (args.record['id'] as string) : undefined;
    const payload: ActionJobPayload = {
      workflow: args.workflow.name, action, entity: args.workflow.entity, ...(recordId ? { recordId } : {}), origin: args.origin, by: args.by,
      ...(args.extra ? { extra: Object.fromEntries(Object.entries(args.extra).filter(([, v]) => v !== undefined)) } : {}),
    };
    const def = args.workflow.actions.get(action)?.definition;
    const maxAttempts = def?.type === 'webhook' && def.maxAttempts !== undefined ? { maxAttempts: def.maxAttempts } : {};
    const inserted = await args.deps.scheduler.enqueue({ id, kind: 'action', dueAt: args.deps.clock.now(), payload: payload as unknown as Record<string, unknown>, key: `action.${args.workflow.name}.${action}`, ...maxAttempts }, args.tx);
    if (inserted) ids.push(id);
  }
  return ids;
}

/** SLA jobs for a record that entered `state` (stay `stayId`): one per inState trigger on that state. */
export async function enqueueStateJobs(args: {
  deps: JobDeps; tx?: StoreTransaction; workflow: CompiledWorkflow; entity: string; recordId: string; state: string; stayId: string; enteredAt: string;
}): Promise<string[]> {
  const ids: string[] = [];
  for (const trigger of args.workflow.triggers) {
    if (trigger.definition.on !== 'inState' || trigger.definition.state !== args.state) continue;
    const id = `inState.${args.stayId}.${trigger.name}.0`;
    const dueAt = new Date(Date.parse(args.enteredAt) + trigger.afterMs!);
    const payload = { workflow: args.workflow.name, trigger: trigger.name, entity: args.entity, recordId: args.recordId, stayId: args.stayId, round: 0 };
    if (await args.deps.scheduler.enqueue({ id, kind: 'inState', dueAt, payload, key: `inState.${args.workflow.name}.${trigger.name}` }, args.tx)) ids.push(id);
  }
  return ids;
}

/** Date-relative jobs for a record whose date fields are set (or changed): skipped when already past. */
export async function enqueueDateJobs(args: {
  deps: JobDeps; workflow: CompiledWorkflow; record: RecordValues; before?: RecordValues; tx?: StoreTransaction;
}): Promise<string[]> {
  const ids: string[] = [];
  const now = args.deps.clock.now();
  for (const trigger of args.workflow.triggers) {
    const def = trigger.definition;
    if (def.on !== 'date') continue;
    if (args.before && args.before[def.field] === args.record[def.field]) continue;
    const due = dueTimeOf(trigger, args.record[def.field], timeZoneOf(args.deps.clock));
    if (!due || due.getTime() <= now.getTime()) continue;
    const recordId = String(args.record['id']);
    const id = `date.${args.workflow.name}.${trigger.name}.${recordId}.${due.toISOString()}`;
    const payload = { workflow: args.workflow.name, trigger: trigger.name, entity: args.workflow.entity, recordId, dueAt: due.toISOString() };
    if (await args.deps.scheduler.enqueue({ id, kind: 'date', dueAt: due, payload, key: `date.${args.workflow.name}.${trigger.name}` }, args.tx)) ids.push(id);
  }
  return ids;
}
