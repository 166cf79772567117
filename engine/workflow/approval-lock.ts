// workflow/approval-lock: what an approval was decided on cannot change under it. The fields its
// conditions read — the approval's `when`, each step's `when` and approver field — are locked while
// it is pending (a 10 % discount approved by the manager cannot become 40 % before finance, whose
// step applies above 15 %, is asked), and stay locked after it was granted until the record is back
// in a state the approved transition starts from: changing them then means taking that transition
// again, which asks for approval again. The engine's own writes (system mode: transitions,
// triggers) are not held.

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { StoreReader, StoreTransaction } from '../store/store-port.ts';
import { findLatestApproval, findPendingApproval, type Approval } from './approvals.ts';
import { workflowsForEntity, type CompiledTransition } from './compile-workflow.ts';

/** Top-level fields an approval's conditions depend on. */
export function approvalDependencies(t: CompiledTransition): Set<string> {
  const fields = new Set<string>();
  const approval = t.approval;
  if (!approval) return fields;
  for (const ref of approval.when?.rootReferences ?? []) fields.add(ref);
  for (const step of approval.steps) {
    for (const ref of step.when?.rootReferences ?? []) fields.add(ref);
    if (step.approver.field) fields.add(step.approver.field.split('.')[0]!);
  }
  return fields;
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

/**
 * The approvals that hold the record: the pending one, and the newest granted one unless the record
 * is back in a state its transition starts from (where taking it again asks for approval again).
 */
async function holdingApprovals(reader: StoreReader, event: RecordEvent, releasedBy: (approval: Approval) => boolean): Promise<Approval[]> {
  const held: Approval[] = [];
  const pending = await findPendingApproval(reader, event.entity, event.id);
  if (pending) held.push(pending);
  const granted = await findLatestApproval(reader, { entity: event.entity, recordId: event.id, status: 'approved' });
  if (granted && !releasedBy(granted)) held.push(granted);
  return held;
}

/** Refuses (409, every locked field named by its pointer) a write that changes what an approval holds. */
export function approvalLockListener() {
  // Answered at once (no promise) for the writes it has nothing to check: a bulk write runs it per record.
  return (tx: StoreTransaction, event: RecordEvent): Promise<void> | undefined => {
    if (event.type !== 'updated' || !event.before || !event.after || event.ctx.principal.kind === 'system') return undefined;
    return checkApprovalLocks(tx, event as RecordEvent & { before: RecordValues; after: RecordValues });
  };
}

async function checkApprovalLocks(tx: StoreTransaction, event: RecordEvent & { before: RecordValues; after: RecordValues }): Promise<void> {
  const workflows = new Map(workflowsForEntity(event.ctx.model, event.entity).map((w) => [w.name, w]));
  if (![...workflows.values()].some((w) => [...w.transitions.values()].some((t) => t.approval))) return;
  const changed = changedFields(event.before, event.after);
  if (changed.length === 0) return;
  const after = event.after;
  const releasedBy = (approval: Approval): boolean => {
    const workflow = workflows.get(approval.workflow);
    const state = workflow?.field === undefined ? undefined : after[workflow.field];
    return typeof state === 'string' && (workflow?.transitions.get(approval.transition)?.from.has(state) ?? true);
  };
  const details: IssueDetail[] = [];
  for (const approval of await holdingApprovals(tx, event, releasedBy)) {
    const t = workflows.get(approval.workflow)?.transitions.get(approval.transition);
    if (!t) continue;
    const locked = approvalDependencies(t);
    for (const field of changed) {
      if (!locked.has(field) || details.some((d) => d.path === `/${field}`)) continue;
      const why = approval.status === 'pending' ? 'while its approval is pending' : `as approved until the record is back in a state "${approval.transition}" starts from`;
      details.push({ path: `/${field}`, code: 'APPROVAL_LOCKED', message: `cannot change ${why} (approval ${approval.id} of "${approval.transition}" depends on it)` });
    }
  }
  if (details.length > 0) {
    throw new CrmError('CONFLICT', { en: 'An approval depends on these fields', zh: '审批依赖这些字段，暂不可修改' }, details);
  }
}
