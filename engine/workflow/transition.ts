// The state machine's core, pure: (workflow, snapshot, event, facts) → the next snapshot, the move
// to write, the effects to run after the save and the audit steps — or the reasons it is refused.
// Nothing here reads the store, the clock or evaluates JSONata: `facts` carries what the caller
// evaluated (guards, missing fields, which approval steps apply), so case tables can test it.

import type { LocalizedText } from '../kernel/i18n.ts';
import type { CompiledTransition, CompiledWorkflow, CompiledStep } from './compile-workflow.ts';

/** Who acts. `system` is a trigger or approval completion in system mode (roles not checked). */
export interface Actor {
  id: string;
  roles: readonly string[];
  admin: boolean;
  system: boolean;
  /** Sign-in e-mail, when known (approvers named by e-mail). */
  email?: string;
  /** Whether the actor may update this record (role scope); transitions need it. */
  mayUpdate: boolean;
}

export type StepStatus = 'pending' | 'approved' | 'skipped';

export interface PendingApproval {
  id: string;
  transition: string;
  requestedBy: string;
  steps: { name: string; status: StepStatus }[];
}

/** What the core needs to know about one record. */
export interface WorkflowSnapshot {
  state: string | undefined;
  approval?: PendingApproval;
}

/** Evaluated by the caller for one transition on one record. */
export interface TransitionFacts {
  /** The guard's value: true, false, or the error it raised. */
  guard: boolean | { error: { en: string; zh: string } };
  /** Required fields without a value (after the move's setFields). */
  missingFields: readonly string[];
  /** Whether the transition's approval applies (its `when`); false without an approval. */
  approvalNeeded: boolean;
  /** Names of the approval steps whose `when` holds. */
  applicableSteps: readonly string[];
  /** For steps whose approver is a field: the user id the field holds. */
  stepApprovers: Readonly<Record<string, string | undefined>>;
}

export type ReasonCode =
  | 'WF_UNKNOWN_TRANSITION' | 'WF_NOT_FROM_STATE' | 'WF_NO_UPDATE' | 'WF_ROLE' | 'WF_PENDING_APPROVAL'
  | 'WF_GUARD_FALSE' | 'WF_GUARD_ERROR' | 'WF_MISSING_FIELDS' | 'WF_COMMENT_REQUIRED' | 'WF_NO_APPROVAL'
  | 'WF_NOT_APPROVER' | 'WF_OWN_REQUEST';

export interface Reason {
  code: ReasonCode;
  message: LocalizedText;
  fields?: string[];
}

export type Effect =
  /** Applied in the same write as the state (setFields of the transition). */
  | { type: 'setFields'; action: string }
  /** Run after the save, as a logged, retried job. */
  | { type: 'run'; action: string }
  /** Tell the deciders of an approval step that it waits for them. */
  | { type: 'notifyApprovers'; step: string };

export interface AuditStep {
  action: 'transition' | 'approval.request' | 'approval.approve' | 'approval.reject';
  comment?: string;
  details: Record<string, unknown>;
}

export type WorkflowEvent =
  | { type: 'take'; transition: string; actor: Actor; comment?: string; approvalId: string }
  | { type: 'decide'; decision: 'approve' | 'reject'; actor: Actor; comment?: string };

export type TransitionResult =
  | { ok: false; reasons: Reason[] }
  | {
      ok: true;
      snapshot: WorkflowSnapshot;
      move?: { transition: string; from: string | undefined; to: string };
      /** The approval as it stands after the event (status of every step), when one is involved. */
      approval?: PendingApproval & { status: 'pending' | 'approved' | 'rejected' };
      effects: Effect[];
      audit: AuditStep[];
    };

const reason = (code: ReasonCode, en: string, zh: string, fields?: string[]): Reason => ({ code, message: { en, zh }, ...(fields ? { fields } : {}) });

/** Every reason the actor may not take the transition now; empty when they may. */
export function checkTransition(args: { workflow: CompiledWorkflow; transition: CompiledTransition; snapshot: WorkflowSnapshot; actor: Actor; facts: TransitionFacts; comment?: string | undefined; forListing?: boolean }): Reason[] {
  const { transition: t, snapshot, actor, facts } = args;
  const reasons: Reason[] = [];
  if (snapshot.state === undefined || !t.from.has(snapshot.state)) {
    reasons.push(reason('WF_NOT_FROM_STATE', `The record is in "${snapshot.state ?? '(none)'}", not in a state this move starts from`, `记录当前状态为「${snapshot.state ?? '无'}」，不能执行此流转`));
  }
  if (!actor.system && !actor.mayUpdate) reasons.push(reason('WF_NO_UPDATE', 'You may not change this record', '无权修改该记录'));
  if (!actor.system && !actor.admin && t.roles.size > 0 && !actor.roles.some((r) => t.roles.has(r))) {
    reasons.push(reason('WF_ROLE', `Only ${[...t.roles].join(', ')} may do this`, `仅 ${[...t.roles].join('、')} 可执行`));
  }
  if (snapshot.approval) {
    reasons.push(reason('WF_PENDING_APPROVAL', `An approval of "${snapshot.approval.transition}" is pending`, `「${snapshot.approval.transition}」的审批尚未完成`));
  }
  if (typeof facts.guard === 'object') {
    reasons.push(reason('WF_GUARD_ERROR', `The condition could not be evaluated: ${facts.guard.error.en}`, `条件无法计算：${facts.guard.error.zh}`));
  } else if (!facts.guard) {
    const msg = t.guardMessage;
    reasons.push({ code: 'WF_GUARD_FALSE', message: msg ?? { en: 'The condition for this move is not met', zh: '不满足流转条件' } });
  }
  if (facts.missingFields.length > 0) {
    reasons.push(reason('WF_MISSING_FIELDS', `Fill in first: ${facts.missingFields.join(', ')}`, `请先填写：${facts.missingFields.join('、')}`, [...facts.missingFields]));
  }
  if (!args.forListing && t.comment === 'required' && !args.comment?.trim()) {
    reasons.push(reason('WF_COMMENT_REQUIRED', 'This move needs a comment', '此流转需要填写意见'));
  }
  return reasons;
}

/** Whether the actor decides this step. */
export function decidesStep(step: CompiledStep, actor: Actor, facts: TransitionFacts): boolean {
  if (actor.admin && !actor.system) return true;
  const a = step.approver;
  if (a.role !== undefined) return actor.roles.includes(a.role);
  if (a.user !== undefined) return actor.email !== undefined && actor.email.toLowerCase() === a.user.toLowerCase();
  if (a.field !== undefined) return facts.stepApprovers[step.name] === actor.id;
  return false;
}

function movingEffects(t: CompiledTransition, workflow: CompiledWorkflow): Effect[] {
  return t.actions.map((name) => ({ type: workflow.actions.get(name)?.definition.type === 'setFields' ? 'setFields' : 'run', action: name }) as Effect);
}

export function transition(workflow: CompiledWorkflow, snapshot: WorkflowSnapshot, event: WorkflowEvent, facts: TransitionFacts): TransitionResult {
  if (event.type === 'take') return take(workflow, snapshot, event, facts);
  return decide(workflow, snapshot, event, facts);
}

function take(workflow: CompiledWorkflow, snapshot: WorkflowSnapshot, event: Extract<WorkflowEvent, { type: 'take' }>, facts: TransitionFacts): TransitionResult {
  const t = workflow.transitions.get(event.transition);
  if (!t) return { ok: false, reasons: [reason('WF_UNKNOWN_TRANSITION', `There is no transition "${event.transition}"`, `没有流转「${event.transition}」`)] };
  const reasons = checkTransition({ workflow, transition: t, snapshot, actor: event.actor, facts, comment: event.comment });
  if (reasons.length > 0) return { ok: false, reasons };
  const comment = event.comment?.trim() ? { comment: event.comment.trim() } : {};
  const steps = t.approval?.steps ?? [];
  const applicable = steps.filter((s) => facts.applicableSteps.includes(s.name));
  if (t.approval && facts.approvalNeeded && applicable.length > 0) {
    const approval: PendingApproval = {
      id: event.approvalId,
      transition: t.name,
      requestedBy: event.actor.id,
      steps: steps.map((s) => ({ name: s.name, status: applicable.includes(s) ? 'pending' : 'skipped' })),
    };
    return {
      ok: true,
      snapshot: { ...snapshot, approval },
      approval: { ...approval, status: 'pending' },
      effects: [{ type: 'notifyApprovers', step: applicable[0]!.name }],
      audit: [{ action: 'approval.request', ...comment, details: { workflow: workflow.name, transition: t.name, approval: approval.id, from: snapshot.state, to: t.to, steps: applicable.map((s) => s.name) } }],
    };
  }
  return {
    ok: true,
    snapshot: { state: t.to },
    move: { transition: t.name, from: snapshot.state, to: t.to },
    effects: movingEffects(t, workflow),
    audit: [{ action: 'transition', ...comment, details: { workflow: workflow.name, transition: t.name, from: snapshot.state, to: t.to } }],
  };
}

function decide(workflow: CompiledWorkflow, snapshot: WorkflowSnapshot, event: Extract<WorkflowEvent, { type: 'decide' }>, facts: TransitionFacts): TransitionResult {
  const pending = snapshot.approval;
  if (!pending) return { ok: false, reasons: [reason('WF_NO_APPROVAL', 'Nothing waits for approval on this record', '该记录没有待审批事项')] };
  const t = workflow.transitions.get(pending.transition);
  const current = pending.steps.find((s) => s.status === 'pending');
  const step = t?.approval?.steps.find((s) => s.name === current?.name);
  if (!t || !current || !step) return { ok: false, reasons: [reason('WF_NO_APPROVAL', 'The approval no longer matches the workflow', '审批与当前流程定义不再一致')] };
  if (!event.actor.system && pending.requestedBy === event.actor.id) {
    return { ok: false, reasons: [reason('WF_OWN_REQUEST', 'You cannot decide your own request', '不能审批自己提交的申请')] };
  }
  if (!event.actor.system && !decidesStep(step, event.actor, facts)) {
    return { ok: false, reasons: [reason('WF_NOT_APPROVER', `Step "${step.name}" is not yours to decide`, `步骤「${step.name}」不由您审批`)] };
  }
  const comment = event.comment?.trim() ? { comment: event.comment.trim() } : {};
  const base = { workflow: workflow.name, transition: t.name, approval: pending.id, step: step.name };
  if (event.decision === 'reject') {
    if (!comment.comment) return { ok: false, reasons: [reason('WF_COMMENT_REQUIRED', 'A rejection needs a comment saying why', '驳回时必须说明原因')] };
    const { approval: _closed, ...rest } = snapshot;
    return {
      ok: true,
      snapshot: rest,
      approval: { ...pending, status: 'rejected' },
      effects: (t.approval?.rejectActions ?? []).map((action) => ({ type: 'run', action }) as Effect),
      audit: [{ action: 'approval.reject', ...comment, details: base }],
    };
  }
  const steps = pending.steps.map((s) => (s === current ? { ...s, status: 'approved' as const } : s));
  const next = steps.find((s) => s.status === 'pending');
  const audit: AuditStep[] = [{ action: 'approval.approve', ...comment, details: { ...base, last: next === undefined } }];
  if (next) {
    const approval = { ...pending, steps };
    return { ok: true, snapshot: { ...snapshot, approval }, approval: { ...approval, status: 'pending' }, effects: [{ type: 'notifyApprovers', step: next.name }], audit };
  }
  if (snapshot.state === undefined || !t.from.has(snapshot.state)) {
    return { ok: false, reasons: [reason('WF_NOT_FROM_STATE', `The record moved to "${snapshot.state ?? '(none)'}" meanwhile; the approval cannot complete`, `记录已变为「${snapshot.state ?? '无'}」，审批无法完成`)] };
  }
  return {
    ok: true,
    snapshot: { state: t.to },
    move: { transition: t.name, from: snapshot.state, to: t.to },
    approval: { ...pending, steps, status: 'approved' },
    effects: movingEffects(t, workflow),
    audit: [...audit, { action: 'transition', ...comment, details: { workflow: workflow.name, transition: t.name, from: snapshot.state, to: t.to, approval: pending.id } }],
  };
}
