// The pure state-machine core, by case tables: (workflow, snapshot, event, facts) → outcome.
// No store, no clock, no JSONata: facts are given as the evaluator would compute them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../engine/workflow/compile-workflow.ts';
import { transition, type Actor, type TransitionFacts, type WorkflowSnapshot } from '../../engine/workflow/transition.ts';
import type { WorkflowDefinition } from '../../engine/metadata/generated/metadata.ts';

const quote = compileWorkflow(JSON.parse(readFileSync(new URL('../fixtures/metadata/valid/workflow/quoteApproval.json', import.meta.url), 'utf8')) as WorkflowDefinition);
const cases = compileWorkflow(JSON.parse(readFileSync(new URL('../fixtures/metadata/valid/workflow/supportCaseHandling.json', import.meta.url), 'utf8')) as WorkflowDefinition);

const rep: Actor = { id: 'u-rep', roles: ['salesRep'], admin: false, system: false, mayUpdate: true };
const manager: Actor = { id: 'u-mgr', roles: ['salesManager'], admin: false, system: false, mayUpdate: true };
const finance: Actor = { id: 'u-fin', roles: ['finance'], admin: false, system: false, mayUpdate: false };
const outsider: Actor = { id: 'u-out', roles: ['serviceAgent'], admin: false, system: false, mayUpdate: true };
const system: Actor = { id: 'system:sla', roles: [], admin: true, system: true, mayUpdate: true };

const ok: TransitionFacts = { guard: true, missingFields: [], approvalNeeded: false, applicableSteps: [], stepApprovers: {} };
const bigDiscount: TransitionFacts = { ...ok, approvalNeeded: true, applicableSteps: ['manager', 'finance'] };
const midDiscount: TransitionFacts = { ...ok, approvalNeeded: true, applicableSteps: ['manager'] };
const draft: WorkflowSnapshot = { state: 'draft' };
const pendingBoth: WorkflowSnapshot = { state: 'draft', approval: { id: 'a1', transition: 'approve', requestedBy: 'u-rep', steps: [{ name: 'manager', status: 'pending' }, { name: 'finance', status: 'pending' }] } };
const pendingFinance: WorkflowSnapshot = { state: 'draft', approval: { id: 'a1', transition: 'approve', requestedBy: 'u-rep', steps: [{ name: 'manager', status: 'approved' }, { name: 'finance', status: 'pending' }] } };

describe('taking a transition', () => {
  it.each([
    { name: 'small discount moves at once, setFields in the write, the rest after', snapshot: draft, actor: rep, t: 'approve', facts: ok, to: 'approved', effects: [{ type: 'setFields', action: 'stampApproval' }] },
    { name: 'a discount above the threshold opens an approval instead', snapshot: draft, actor: rep, t: 'approve', facts: midDiscount, to: undefined, approvalSteps: ['pending', 'skipped'] },
    { name: 'above the larger threshold both steps are pending', snapshot: draft, actor: rep, t: 'approve', facts: bigDiscount, to: undefined, approvalSteps: ['pending', 'pending'] },
    { name: 'approval needed but no step applies: moves at once', snapshot: draft, actor: rep, t: 'approve', facts: { ...ok, approvalNeeded: true, applicableSteps: [] }, to: 'approved' },
    { name: '"*" covers every non-final state', snapshot: { state: 'sent' }, actor: manager, t: 'reopen', facts: ok, to: 'draft' },
    { name: 'system mode skips roles (SLA escalation)', snapshot: { state: 'open' }, actor: system, t: 'escalate', facts: ok, to: 'escalated', effects: [{ type: 'run', action: 'tellManagers' }], wf: 'cases' },
    { name: 'an admin may take any role-restricted move', snapshot: { state: 'new' }, actor: { ...outsider, roles: [], admin: true }, t: 'escalate', facts: ok, to: 'escalated', wf: 'cases' },
  ])('$name', ({ snapshot, actor, t, facts, to, effects, approvalSteps, wf }) => {
    const result = transition(wf === 'cases' ? cases : quote, snapshot, { type: 'take', transition: t, actor, approvalId: 'a1' }, facts);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.move?.to).toBe(to);
    if (to) expect(result.snapshot.state).toBe(to);
    if (effects) expect(result.effects).toEqual(effects);
    if (approvalSteps) {
      expect(result.snapshot.state).toBe(snapshot.state);
      expect(result.approval?.steps.map((s) => s.status)).toEqual(approvalSteps);
      expect(result.effects).toEqual([{ type: 'notifyApprovers', step: 'manager' }]);
      expect(result.audit[0]?.action).toBe('approval.request');
    } else {
      expect(result.audit.map((a) => a.action)).toEqual(['transition']);
      expect(result.audit[0]?.details).toMatchObject({ from: snapshot.state, to });
    }
  });

  it.each([
    { name: 'wrong state', snapshot: { state: 'sent' } as WorkflowSnapshot, actor: rep, t: 'approve', facts: ok, codes: ['WF_NOT_FROM_STATE'] },
    { name: 'final state: "*" does not leave it', snapshot: { state: 'accepted' } as WorkflowSnapshot, actor: manager, t: 'reopen', facts: ok, codes: ['WF_NOT_FROM_STATE'] },
    { name: 'role not allowed', snapshot: draft, actor: outsider, t: 'approve', facts: ok, codes: ['WF_ROLE'] },
    { name: 'may not update the record', snapshot: draft, actor: { ...rep, mayUpdate: false }, t: 'approve', facts: ok, codes: ['WF_NO_UPDATE'] },
    { name: 'guard false', snapshot: draft, actor: rep, t: 'approve', facts: { ...ok, guard: false }, codes: ['WF_GUARD_FALSE'] },
    { name: 'guard raised an error', snapshot: draft, actor: rep, t: 'approve', facts: { ...ok, guard: { error: { en: 'timeout', zh: 'timeout' } } }, codes: ['WF_GUARD_ERROR'] },
    { name: 'missing required fields', snapshot: draft, actor: rep, t: 'approve', facts: { ...ok, missingFields: ['validUntil'] }, codes: ['WF_MISSING_FIELDS'] },
    { name: 'pending approval', snapshot: pendingBoth, actor: rep, t: 'approve', facts: ok, codes: ['WF_PENDING_APPROVAL'] },
    { name: 'comment required', snapshot: { state: 'sent' } as WorkflowSnapshot, actor: rep, t: 'decline', facts: ok, codes: ['WF_COMMENT_REQUIRED'] },
    { name: 'every reason at once', snapshot: { ...pendingBoth, state: 'draft' }, actor: { ...outsider, mayUpdate: false }, t: 'approve', facts: { ...ok, guard: false, missingFields: ['account'] }, codes: ['WF_NO_UPDATE', 'WF_ROLE', 'WF_PENDING_APPROVAL', 'WF_GUARD_FALSE', 'WF_MISSING_FIELDS'] },
    { name: 'unknown transition', snapshot: draft, actor: rep, t: 'teleport', facts: ok, codes: ['WF_UNKNOWN_TRANSITION'] },
  ])('refused: $name', ({ snapshot, actor, t, facts, codes }) => {
    const result = transition(quote, snapshot, { type: 'take', transition: t, actor, approvalId: 'a1' }, facts);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('the guard message is the reason given', () => {
    const result = transition(quote, draft, { type: 'take', transition: 'approve', actor: rep, approvalId: 'a1' }, { ...ok, guard: false });
    expect(!result.ok && result.reasons[0]?.message).toEqual({ en: 'A quote needs an amount', zh: '报价必须有金额' });
  });
});

describe('deciding an approval', () => {
  it.each([
    { name: 'manager approves the first of two steps: still pending, finance told', snapshot: pendingBoth, actor: manager, decision: 'approve' as const, status: 'pending', move: undefined, effects: [{ type: 'notifyApprovers', step: 'finance' }] },
    { name: 'finance approves the last step: the record moves', snapshot: pendingFinance, actor: finance, decision: 'approve' as const, status: 'approved', move: 'approved', effects: [{ type: 'setFields', action: 'stampApproval' }] },
    { name: 'a rejection ends it and runs the reject actions', snapshot: pendingBoth, actor: manager, decision: 'reject' as const, comment: 'Too generous', status: 'rejected', move: undefined, effects: [{ type: 'run', action: 'tellOwnerRejected' }] },
  ])('$name', ({ snapshot, actor, decision, comment, status, move, effects }) => {
    const result = transition(quote, snapshot, { type: 'decide', decision, actor, ...(comment ? { comment } : {}) }, bigDiscount);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.approval?.status).toBe(status);
    expect(result.move?.to).toBe(move);
    expect(result.effects).toEqual(effects);
    if (move) expect(result.audit.map((a) => a.action)).toEqual(['approval.approve', 'transition']);
    if (status === 'rejected') expect(result.snapshot.approval).toBeUndefined();
  });

  it.each([
    { name: 'the requester cannot decide their own request', snapshot: pendingBoth, actor: { ...manager, id: 'u-rep' }, decision: 'approve' as const, code: 'WF_OWN_REQUEST' },
    { name: 'finance cannot decide the manager step', snapshot: pendingBoth, actor: finance, decision: 'approve' as const, code: 'WF_NOT_APPROVER' },
    { name: 'a rejection needs a reason', snapshot: pendingBoth, actor: manager, decision: 'reject' as const, code: 'WF_COMMENT_REQUIRED' },
    { name: 'nothing pending', snapshot: draft, actor: manager, decision: 'approve' as const, code: 'WF_NO_APPROVAL' },
    { name: 'the record moved meanwhile', snapshot: { ...pendingFinance, state: 'sent' }, actor: finance, decision: 'approve' as const, code: 'WF_NOT_FROM_STATE' },
  ])('refused: $name', ({ snapshot, actor, decision, code }) => {
    const result = transition(quote, snapshot, { type: 'decide', decision, actor }, bigDiscount);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('named users and record fields decide their steps', () => {
    const wf = compileWorkflow({
      kind: 'workflow', name: 'w', entity: 'e', label: 'W', field: 'status',
      states: { a: { label: 'A', initial: true }, b: { label: 'B' } },
      transitions: { go: { label: 'Go', from: 'a', to: 'b', approval: { steps: { cfo: { order: 1, label: 'CFO', approver: { user: 'cfo@example.com' } }, owner: { order: 2, label: 'Owner', approver: { field: 'owner' } } } } } },
    });
    const snapshot: WorkflowSnapshot = { state: 'a', approval: { id: 'x', transition: 'go', requestedBy: 'r', steps: [{ name: 'cfo', status: 'pending' }, { name: 'owner', status: 'pending' }] } };
    const facts: TransitionFacts = { ...ok, stepApprovers: { owner: 'u-owner' } };
    const cfo: Actor = { id: 'u-cfo', roles: [], admin: false, system: false, email: 'CFO@example.com', mayUpdate: false };
    const first = transition(wf, snapshot, { type: 'decide', decision: 'approve', actor: cfo }, facts);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const wrong = transition(wf, first.snapshot, { type: 'decide', decision: 'approve', actor: cfo }, facts);
    expect(!wrong.ok && wrong.reasons[0]?.code).toBe('WF_NOT_APPROVER');
    const last = transition(wf, first.snapshot, { type: 'decide', decision: 'approve', actor: { ...cfo, id: 'u-owner', email: 'o@example.com' } }, facts);
    expect(last.ok && last.move?.to).toBe('b');
  });
});
