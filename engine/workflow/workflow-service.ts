// Transitions and approvals as the API offers them: list what the user may do with a record (and
// why not), take a transition, decide an approval step. Each runs the pure core, then writes its
// outcome in one transaction — the record with its state, the state history, the approval, the
// audit entries and the effect jobs — and starts the effects after the commit.

import { type ExpectedVersion, versionMatches } from '../kernel/version-match.ts';
import { newId } from '../kernel/ids.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { CrmError, localizedDetail } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { appendAudit } from '../records/audit-trail.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { getRecordInScopeOrThrow } from '../records/record-in-scope.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { RecordValues } from '../records/record-shape.ts';
import { staleError } from '../records/write-record.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { StoreTransaction, StoredRecord } from '../store/store-port.ts';
import { findPendingApproval, getApproval, insertApproval, listApprovals, replaceApproval, waitingKeys, type Approval, type ApprovalData } from './approvals.ts';
import { stateWorkflowsForEntity, workflowsOf, type CompiledTransition, type CompiledWorkflow } from './compile-workflow.ts';
import { computeSetFields, evaluateFacts } from './evaluate-facts.ts';
import { resolvePath } from './resolve-path.ts';
import { recordStateChange } from './state-history.ts';
import { checkTransition, decidesStep, transition, type Actor, type Reason, type TransitionResult, type WorkflowSnapshot } from './transition.ts';
import { actingContext, type WorkflowDeps } from './workflow-deps.ts';
import { enqueueActionJobs, enqueueStateJobs } from './workflow-jobs.ts';

export interface TransitionOption {
  name: string;
  workflow: string;
  label: string;
  to: string;
  allowed: boolean;
  reasons: { code: string; message: string; fields?: string[] }[];
  needsApproval: boolean;
  confirm?: string;
  comment: 'none' | 'optional' | 'required';
}

function snapshotOf(workflow: CompiledWorkflow, record: RecordValues, approval: Approval | undefined): WorkflowSnapshot {
  const state = workflow.field ? record[workflow.field] : undefined;
  return {
    state: typeof state === 'string' ? state : undefined,
    ...(approval && approval.workflow === workflow.name
      ? { approval: { id: approval.id, transition: approval.transition, requestedBy: approval.requestedBy, steps: approval.steps.filter((s) => s.status !== 'rejected').map((s) => ({ name: s.name, status: s.status as 'pending' | 'approved' | 'skipped' })) } }
      : {}),
  };
}

/**
 * The reasons as the caller may see them: they name only what the caller may read. A missing field
 * the caller cannot read is not named (only that such fields exist); an evaluation error, which may
 * quote any value its expressions read, is shown only when the caller reads every one of those
 * fields (and none through a lookup) — otherwise a generic text.
 */
function reasonsForViewer(ctx: RequestContext, entity: CompiledEntity, t: CompiledTransition, reasons: Reason[]): Reason[] {
  if (ctx.principal.kind === 'system' || ctx.principal.admin) return reasons;
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const expressions = [t.guard, t.approval?.when, ...(t.approval?.steps ?? []).map((s) => s.when)];
  const errorsReadable = expressions.every((e) => !e || [...e.rootPaths].every((path) => !path.includes('.') && readable.has(path)));
  return reasons.map((r) => {
    if (r.code === 'WF_GUARD_ERROR' && !errorsReadable) return { code: r.code, message: { en: 'The condition for this move could not be evaluated', zh: '无法计算此流转的条件' } };
    if (r.code !== 'WF_MISSING_FIELDS' || !r.fields) return r;
    const shown = r.fields.filter((f) => readable.has(f));
    const hidden = shown.length < r.fields.length;
    const en = `Fill in first: ${[...shown, ...(hidden ? ['fields you cannot see'] : [])].join(', ')}`;
    const zh = `请先填写：${[...shown, ...(hidden ? ['您无法查看的字段'] : [])].join('、')}`;
    return { code: r.code, message: { en, zh }, ...(shown.length > 0 ? { fields: shown } : {}) };
  });
}

function refusal(reasons: Reason[], ctx: RequestContext): CrmError {
  const onlyAccess = reasons.every((r) => r.code === 'WF_ROLE' || r.code === 'WF_NO_UPDATE' || r.code === 'WF_NOT_APPROVER' || r.code === 'WF_OWN_REQUEST');
  return new CrmError(onlyAccess ? 'FORBIDDEN' : 'CONFLICT', { en: 'The transition cannot be taken now', zh: '当前无法执行该流转' },
    reasons.map((r) => localizedDetail({ path: r.fields?.length ? `/${r.fields[0]}` : '', code: r.code, text: r.message }, ctx.locale)));
}

export class WorkflowService {
  constructor(private readonly deps: WorkflowDeps) {}

  private async mayUpdate(ctx: RequestContext, entity: CompiledEntity, id: string): Promise<boolean> {
    if (ctx.principal.kind === 'system') return true;
    try {
      ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
      const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'update');
      return (await this.deps.store.count(entity.name, andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: id }, scope))) > 0;
    } catch {
      return false;
    }
  }

  async actorFor(ctx: RequestContext, entity: CompiledEntity | undefined, id: string | undefined): Promise<Actor> {
    const p = ctx.principal;
    const email = p.kind === 'system' ? undefined : (await this.deps.directory.findById(p.id))?.email;
    return { id: p.id, roles: p.roles, admin: p.admin, system: p.kind === 'system', ...(email ? { email } : {}), mayUpdate: entity && id ? await this.mayUpdate(ctx, entity, id) : false };
  }

  private findTransition(ctx: RequestContext, entity: CompiledEntity, name: string): { workflow: CompiledWorkflow; transition: CompiledTransition } {
    // A workflow whose state field the caller may not read is not theirs to take (as in listing).
    const readable = ctx.principal.kind === 'system' ? undefined : ctx.policy.readableFields(ctx.principal, entity);
    for (const workflow of stateWorkflowsForEntity(ctx.model, entity.name).filter((w) => !readable || (w.field !== undefined && readable.has(w.field)))) {
      const t = workflow.transitions.get(name);
      if (t) return { workflow, transition: t };
    }
    throw new CrmError('NOT_FOUND', { en: `${entity.name} has no transition "${name}"`, zh: `${entity.name} 没有流转「${name}」` });
  }

  /** Every transition leaving the record's current state, with whether the user may take it and why not. */
  async listTransitions(ctx: RequestContext, entityName: string, id: string): Promise<{ states: Record<string, string | undefined>; pendingApproval?: Approval; transitions: TransitionOption[] }> {
    const entity = getEntityOrThrow(ctx, entityName);
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    const stored = await getRecordInScopeOrThrow({ reader: this.deps.store, ctx, entity, id, action: 'read' });
    const record = { ...stored.data, id };
    const pending = await findPendingApproval(this.deps.store, entity.name, id);
    const actor = await this.actorFor(ctx, entity, id);
    const options: TransitionOption[] = [];
    const states: Record<string, string | undefined> = {};
    // A workflow whose state field the caller may not read is not theirs to see or take.
    const readable = ctx.policy.readableFields(ctx.principal, entity);
    for (const workflow of stateWorkflowsForEntity(ctx.model, entity.name).filter((w) => w.field !== undefined && readable.has(w.field))) {
      const snapshot = snapshotOf(workflow, record, pending);
      states[workflow.name] = snapshot.state;
      const leaving = [...workflow.transitions.values()].filter((t) => snapshot.state !== undefined && t.from.has(snapshot.state)).sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
      for (const t of leaving) {
        const facts = await evaluateFacts({ workflow, transition: t, record, clock: ctx.clock, resolveField: (path) => resolvePath({ model: ctx.model, reader: this.deps.store, entity: workflow.entity, record, path }) });
        const reasons = reasonsForViewer(ctx, entity, t, checkTransition({ workflow, transition: t, snapshot, actor, facts, forListing: true }));
        options.push({
          name: t.name,
          workflow: workflow.name,
          label: localize(t.label, ctx.locale),
          to: t.to,
          allowed: reasons.length === 0,
          reasons: reasons.map((r) => ({ code: r.code, message: localize(r.message, ctx.locale), ...(r.fields ? { fields: r.fields } : {}) })),
          needsApproval: t.approval !== undefined && facts.approvalNeeded && facts.applicableSteps.length > 0,
          ...(t.definition.confirm ? { confirm: localize(t.definition.confirm, ctx.locale) } : {}),
          comment: t.comment,
        });
      }
    }
    return { states, ...(pending ? { pendingApproval: pending } : {}), transitions: options };
  }

  /** Takes a transition (or requests its approval). `ctx` is the user's — or system mode for triggers. */
  async takeTransition(ctx: RequestContext, entityName: string, id: string, name: string, options: { comment?: string; expectedVersion?: ExpectedVersion } = {}): Promise<{ outcome: 'moved' | 'approvalRequested'; record?: RecordValues; approval?: Approval }> {
    const entity = getEntityOrThrow(ctx, entityName);
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    const { workflow, transition: t } = this.findTransition(ctx, entity, name);
    const stored = await getRecordInScopeOrThrow({ reader: this.deps.store, ctx, entity, id, action: 'read' });
    if (options.expectedVersion !== undefined && !versionMatches(options.expectedVersion, stored.version)) {
      throw staleError(stored.version, true);
    }
    const record = { ...stored.data, id };
    const pending = await findPendingApproval(this.deps.store, entity.name, id);
    const snapshot = snapshotOf(workflow, record, pending);
    const facts = await evaluateFacts({ workflow, transition: t, record, clock: ctx.clock, resolveField: (path) => resolvePath({ model: ctx.model, reader: this.deps.store, entity: workflow.entity, record, path }) });
    const actor = await this.actorFor(ctx, entity, id);
    const approvalId = newId();
    const result = transition(workflow, snapshot, { type: 'take', transition: t.name, actor, ...(options.comment !== undefined ? { comment: options.comment } : {}), approvalId }, facts);
    if (!result.ok) throw refusal(reasonsForViewer(ctx, entity, t, result.reasons), ctx);
    if (result.move) {
      const record2 = await this.writeMove({ ctx, entity, workflow, stored, result, comment: options.comment });
      return { outcome: 'moved', record: record2 };
    }
    // An approval is requested: the record stays; the approval and its audit entry commit together.
    const steps = t.approval!.steps;
    const data: ApprovalData = await this.withWaitingFor(ctx, {
      workflow: workflow.name, entity: entity.name, recordId: id, transition: t.name, from: snapshot.state, to: t.to, status: 'pending',
      requestedBy: ctx.principal.id, requestedAt: ctx.clock.now().toISOString(),
      ...(options.comment?.trim() ? { comment: options.comment.trim() } : {}),
      steps: result.approval!.steps.map((s) => {
        const step = steps.find((x) => x.name === s.name)!;
        return { name: s.name, label: step.label, approver: step.approver, status: s.status };
      }),
    }, record);
    const jobIds: string[] = [];
    await this.deps.store.transaction(async (tx) => {
      if (await findPendingApproval(tx, entity.name, id)) throw new CrmError('CONFLICT', { en: 'An approval is already pending for this record', zh: '该记录已有待审批事项' });
      await insertApproval(tx, approvalId, data);
      await this.appendAuditSteps(tx, ctx, entity.name, id, result);
      jobIds.push(...(await this.noticeJobs(tx, result, approvalId)));
    });
    this.deps.scheduler.runSoon(jobIds);
    return { outcome: 'approvalRequested', approval: { id: approvalId, version: 1, ...data } };
  }

  private async appendAuditSteps(tx: StoreTransaction, ctx: RequestContext, entity: string, recordId: string, result: Extract<TransitionResult, { ok: true }>, skip: string[] = []): Promise<void> {
    for (const step of result.audit) {
      if (skip.includes(step.action)) continue;
      await appendAudit(tx, {
        entity, recordId, action: step.action, at: ctx.clock.now().toISOString(), by: ctx.principal.id, revision: ctx.model.revision, changes: {},
        ...(step.comment ? { comment: step.comment } : {}), details: step.details,
      });
    }
  }

  private async noticeJobs(tx: StoreTransaction, result: Extract<TransitionResult, { ok: true }>, approvalId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const effect of result.effects) {
      if (effect.type !== 'notifyApprovers') continue;
      const id = `approvalNotice.${approvalId}.${effect.step}`;
      if (await this.deps.scheduler.enqueue({ id, kind: 'approvalNotice', dueAt: this.deps.clock.now(), payload: { approval: approvalId, step: effect.step } }, tx)) ids.push(id);
    }
    return ids;
  }

  /** Writes a move: the record (state + setFields) with its audit entry, the state history, the approval, effect and SLA jobs — one transaction. */
  private async writeMove(args: { ctx: RequestContext; entity: CompiledEntity; workflow: CompiledWorkflow; stored: StoredRecord; result: Extract<TransitionResult, { ok: true }>; comment?: string | undefined; approval?: { doc: Approval; data: ApprovalData } }): Promise<RecordValues> {
    const { ctx, entity, workflow, stored, result } = args;
    const move = result.move!;
    const record = { ...stored.data, id: stored.id };
    const setFieldActions = result.effects.filter((e) => e.type === 'setFields').map((e) => e.action);
    const patch: RecordValues = { ...(await computeSetFields(workflow, setFieldActions, record, ctx.clock)), [workflow.field!]: move.to };
    const transitionStep = result.audit.find((s) => s.action === 'transition')!;
    const jobIds: string[] = [];
    const decided: RecordEvent[] = [];
    const acting = ctx.principal.kind === 'system' ? ctx : actingContext(ctx, `transition ${workflow.name}.${move.transition}`);
    const now = ctx.clock.now().toISOString();
    await this.deps.records.update(acting, entity.name, stored.id, patch, {
      allowDriven: true,
      expectedVersion: stored.version,
      audit: { action: 'transition', ...(transitionStep.comment ? { comment: transitionStep.comment } : {}), details: transitionStep.details },
      withinTransaction: async (tx, written) => {
        if (args.approval && !(await replaceApproval(tx, args.approval.doc, args.approval.data))) {
          throw new CrmError('CONFLICT', { en: 'The approval was decided by someone else meanwhile', zh: '该审批已被他人处理' });
        }
        if (args.approval) decided.push(...decisionEvents(ctx, entity.name, stored.id, result));
        await this.deps.records.events.runInTransaction(tx, decided);
        await this.appendAuditSteps(tx, ctx, entity.name, stored.id, result, ['transition']);
        const stayId = await recordStateChange(tx, { workflow: workflow.name, entity: entity.name, recordId: stored.id, state: move.to, at: now, by: ctx.principal.id, via: move.transition });
        const after = { ...written.after, id: stored.id };
        jobIds.push(...(await enqueueStateJobs({ deps: this.deps, tx, workflow, entity: entity.name, recordId: stored.id, state: move.to, stayId, enteredAt: now })));
        const runs = result.effects.filter((e) => e.type === 'run').map((e) => e.action);
        jobIds.push(...(await enqueueActionJobs({ deps: this.deps, tx, workflow, actions: runs, record: after, origin: `transition.${move.transition}`, by: ctx.principal.id, idPrefix: `act.${newId()}` })));
      },
    });
    this.deps.scheduler.runSoon(jobIds);
    await this.deps.records.events.publish(decided);
    try {
      return await this.deps.records.get(ctx, entity.name, stored.id);
    } catch {
      return { id: stored.id, [workflow.field!]: move.to };
    }
  }

  /** Approve or reject the current step of an approval. */
  async decide(ctx: RequestContext, approvalId: string, decision: 'approve' | 'reject', comment: string | undefined): Promise<Approval> {
    const doc = await getApproval(this.deps.store, approvalId);
    if (!doc || !(await this.mayDecideOrSee(ctx, doc))) throw new CrmError('NOT_FOUND', { en: `No approval ${approvalId}`, zh: `找不到审批 ${approvalId}` });
    if (doc.status !== 'pending') throw new CrmError('CONFLICT', { en: `The approval is already ${doc.status}`, zh: `该审批已是「${doc.status}」状态` });
    const workflow = workflowsOf(ctx.model).get(doc.workflow);
    const entity = ctx.model.entities.get(doc.entity);
    const stored = entity ? await this.deps.store.get(entity.name, doc.recordId) : undefined;
    if (!workflow || !entity || !stored) throw new CrmError('CONFLICT', { en: 'The approval no longer matches its workflow or record', zh: '审批对应的流程或记录已不存在' });
    const t = workflow.transitions.get(doc.transition);
    if (!t) throw new CrmError('CONFLICT', { en: `The workflow no longer has transition "${doc.transition}"`, zh: `流程已没有流转「${doc.transition}」` });
    const record = { ...stored.data, id: stored.id };
    const facts = await evaluateFacts({ workflow, transition: t, record, clock: ctx.clock, resolveField: (path) => resolvePath({ model: ctx.model, reader: this.deps.store, entity: workflow.entity, record, path }) });
    const actor = await this.actorFor(ctx, entity, stored.id);
    const result = transition(workflow, snapshotOf(workflow, record, doc), { type: 'decide', decision, actor, ...(comment !== undefined ? { comment } : {}) }, facts);
    if (!result.ok) throw refusal(reasonsForViewer(ctx, entity, t, result.reasons), ctx);
    const now = ctx.clock.now().toISOString();
    const current = doc.steps.find((s) => s.status === 'pending')!;
    const trimmed = comment?.trim();
    const steps = doc.steps.map((s) => (s.name === current.name ? { ...s, status: decision === 'approve' ? ('approved' as const) : ('rejected' as const), decidedBy: ctx.principal.id, decidedAt: now, ...(trimmed ? { comment: trimmed } : {}) } : s));
    const status = result.approval?.status ?? 'pending';
    const { id: _id, version: _version, ...rest } = doc;
    const data: ApprovalData = await this.withWaitingFor(ctx, { ...rest, steps, status, ...(status !== 'pending' ? { decidedAt: now } : {}), ...(status === 'rejected' && trimmed ? { reason: trimmed } : {}) }, record);
    if (result.move) {
      await this.writeMove({ ctx, entity, workflow, stored, result, comment, approval: { doc, data } });
    } else {
      const jobIds: string[] = [];
      const decided = decisionEvents(ctx, entity.name, stored.id, result);
      await this.deps.store.transaction(async (tx) => {
        if (!(await replaceApproval(tx, doc, data))) throw new CrmError('CONFLICT', { en: 'The approval was decided by someone else meanwhile', zh: '该审批已被他人处理' });
        await this.appendAuditSteps(tx, ctx, entity.name, stored.id, result);
        await this.deps.records.events.runInTransaction(tx, decided);
        jobIds.push(...(await this.noticeJobs(tx, result, doc.id)));
        const runs = result.effects.filter((e) => e.type === 'run').map((e) => e.action);
        jobIds.push(...(await enqueueActionJobs({ deps: this.deps, tx, workflow, actions: runs, record, origin: `approval.${decision}`, by: ctx.principal.id, idPrefix: `act.${newId()}`, extra: { approval: doc.id, reason: trimmed } })));
      });
      this.deps.scheduler.runSoon(jobIds);
      await this.deps.records.events.publish(decided);
    }
    return { id: doc.id, version: doc.version + 1, ...data };
  }

  /** Whether the caller decides the approval's current step (or requested it, or is an admin). */
  private async mayDecideOrSee(ctx: RequestContext, doc: Approval): Promise<boolean> {
    if (ctx.principal.admin || doc.requestedBy === ctx.principal.id) return true;
    return this.waitsFor(ctx, doc);
  }

  private async waitsFor(ctx: RequestContext, doc: Approval): Promise<boolean> {
    if (doc.status !== 'pending' || doc.requestedBy === ctx.principal.id) return false;
    const workflow = workflowsOf(ctx.model).get(doc.workflow);
    const step = workflow?.transitions.get(doc.transition)?.approval?.steps.find((s) => s.name === doc.steps.find((x) => x.status === 'pending')?.name);
    if (!step) return false;
    const actor = await this.actorFor(ctx, undefined, undefined);
    const stored = step.approver.field ? await this.deps.store.get(doc.entity, doc.recordId) : undefined;
    const approverId = stored && step.approver.field ? await resolvePath({ model: ctx.model, reader: this.deps.store, entity: doc.entity, record: stored.data, path: step.approver.field }) : undefined;
    return decidesStep(step, { ...actor, admin: false }, { guard: true, missingFields: [], approvalNeeded: true, applicableSteps: [], stepApprovers: { [step.name]: typeof approverId === 'string' ? approverId : undefined } });
  }

  /**
   * Approvals waiting for the caller's decision, or that the caller requested, a page at a time —
   * filtered in the store query by `waitingFor` / `requestedBy`, so no one's requests crowd out
   * another's. The page is checked once more against the step's approver (as deciding does).
   */
  async approvalsFor(ctx: RequestContext, which: 'waiting' | 'requested', page: { after?: string; limit?: number } = {}): Promise<{ items: Approval[]; nextCursor?: string }> {
    if (which === 'requested') return listApprovals(this.deps.store, { requestedBy: ctx.principal.id, ...page });
    const email = ctx.principal.kind === 'system' ? undefined : (await this.deps.directory.findById(ctx.principal.id))?.email;
    const found = await listApprovals(this.deps.store, { status: 'pending', waitingFor: waitingKeys(ctx.principal, email), notRequestedBy: ctx.principal.id, ...page });
    const items: Approval[] = [];
    for (const doc of found.items) if (await this.waitsFor(ctx, doc)) items.push(doc);
    return { items, ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}) };
  }

  /** The approval document with `waitingFor` set for its current step (see ApprovalData). */
  private async withWaitingFor(ctx: RequestContext, data: ApprovalData, record: RecordValues): Promise<ApprovalData> {
    const { waitingFor: _previous, ...rest } = data;
    const current = data.status === 'pending' ? data.steps.find((s) => s.status === 'pending') : undefined;
    if (!current) return rest;
    const a = current.approver;
    if (a.role !== undefined) return { ...rest, waitingFor: `role:${a.role}` };
    if (a.user !== undefined) return { ...rest, waitingFor: `email:${a.user.toLowerCase()}` };
    if (a.field !== undefined) {
      const id = await resolvePath({ model: ctx.model, reader: this.deps.store, entity: data.entity, record, path: a.field });
      return { ...rest, waitingFor: typeof id === 'string' ? `user:${id}` : 'nobody' };
    }
    return { ...rest, waitingFor: 'nobody' };
  }

  async getApprovalFor(ctx: RequestContext, id: string): Promise<Approval> {
    const doc = await getApproval(this.deps.store, id);
    if (!doc || !(await this.mayDecideOrSee(ctx, doc))) throw new CrmError('NOT_FOUND', { en: `No approval ${id}`, zh: `找不到审批 ${id}` });
    return doc;
  }
}

/** The record events of an approval decision (what event subscriptions send as `approval`). */
function decisionEvents(ctx: RequestContext, entity: string, id: string, result: Extract<TransitionResult, { ok: true }>): RecordEvent[] {
  return result.audit
    .filter((step) => step.action === 'approval.approve' || step.action === 'approval.reject')
    .map((step) => ({ type: 'decided', entity, id, ctx, action: step.action, details: { ...step.details, ...(step.comment ? { comment: step.comment } : {}) } }));
}
