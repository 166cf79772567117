// A workflow's test run: a workflow definition as edited (not saved) evaluated against a real
// record or a draft one by the same code that runs it for real — the pure core (checkTransition,
// transition), the facts (evaluateFacts, computeSetFields) and the job enqueuers — with a job sink
// that records instead of scheduling. Nothing is written: the report says which transitions are
// open and why not, what each would set, which actions and notifications would fire, which SLA
// escalations would be scheduled, and how many records sit in each state (the change's impact).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { internalField } from '../filter/filter-tree.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { renderMail } from '../mail/render-mail.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { getRecordInScopeOrThrow } from '../records/record-in-scope.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { NewJob } from '../scheduler/jobs.ts';
import { workflowsOf, type CompiledTransition, type CompiledWorkflow } from './compile-workflow.ts';
import { computeSetFields, evaluateFacts, expressionErrorText, isTrue } from './evaluate-facts.ts';
import { resolvePath } from './resolve-path.ts';
import { checkTransition, transition, type Actor, type WorkflowSnapshot } from './transition.ts';
import { writeTriggersThatFire } from './triggers.ts';
import type { WorkflowDeps } from './workflow-deps.ts';
import { enqueueActionJobs, enqueueDateJobs, enqueueStateJobs, type JobSink } from './workflow-jobs.ts';
import type { ActionJobPayload } from './workflow-jobs.ts';
import type { WorkflowService } from './workflow-service.ts';

export interface WorkflowTestRequest {
  /** The workflow document as edited. */
  workflow: MetadataDocument;
  /** Other documents edited with it (e.g. the entity whose state field gains an option), checked together. */
  documents?: MetadataDocument[];
  /** A stored record by id, or a draft record's values (as if it were created now). */
  record?: { id: string } | { values: RecordValues };
  /** Evaluate as a user with these roles (not an admin); the caller's own roles otherwise. */
  as?: { roles: string[] };
}

export interface ActionPreview {
  name: string;
  type: string;
  label?: string;
  /** What caused it: `transition.<name>`, `trigger.<name>`. */
  origin: string;
  /** Whether its `when` holds on the record as it would be. */
  fires: boolean;
  detail: Record<string, unknown>;
}

export interface EscalationPreview {
  trigger: string;
  label?: string;
  state: string;
  dueAt: string;
  repeatEvery?: string;
  when?: string;
  /** Whether its condition holds on the record as it would be now (it is checked again when due). */
  holds: boolean;
  actions: string[];
}

export interface TestedTransition {
  name: string;
  label: string;
  to: string;
  open: boolean;
  reasons: { code: string; message: string; fields?: string[] }[];
  roles: string[];
  requiredFields: string[];
  missingFields: string[];
  guard?: { expression: string; value: boolean | null; error?: string };
  comment: 'none' | 'optional' | 'required';
  approval?: { needed: boolean; steps: { name: string; applies: boolean; approver: Record<string, string> }[] };
  /** Values the move's setFields actions would write (open transitions). */
  setFields: RecordValues;
  actions: ActionPreview[];
  escalations: EscalationPreview[];
}

export interface WorkflowTestReport {
  workflow: string;
  entity: string;
  record?: { id?: string; draft: boolean; state?: string };
  /** Records per state, now: states the edited workflow removes are marked `removed`. */
  usage: { state: string; records: number; removed: boolean }[];
  transitions: TestedTransition[];
  /** A draft record: what creating it would start (create triggers, SLA and date jobs). */
  onCreate?: { actions: ActionPreview[]; escalations: EscalationPreview[]; dates: { trigger: string; dueAt: string }[] };
  /** Always false: a test run writes nothing. */
  applied: false;
}

/** A job sink that keeps what would have been scheduled. */
function recorder(): JobSink & { jobs: NewJob[] } {
  const jobs: NewJob[] = [];
  return { jobs, enqueue: async (job) => { jobs.push(job); return true; } };
}

function preparedWorkflow(deps: Pick<WorkflowDeps, 'runtime'>, doc: MetadataDocument, others: MetadataDocument[]): CompiledWorkflow {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/workflow', message: 'must be a workflow document (an object)' }]);
  if (doc.kind !== 'workflow') throw new CrmError('BAD_REQUEST', undefined, [{ path: '/workflow/kind', message: 'must be "workflow"' }]);
  if (typeof doc.name !== 'string' || doc.name === '') throw new CrmError('BAD_REQUEST', undefined, [{ path: '/workflow/name', message: 'must be the workflow\'s name' }]);
  const prepared = deps.runtime.prepare([
    ...others.map((other) => ({ kind: String(other.kind), name: String(other.name), document: other })),
    { kind: 'workflow', name: doc.name, document: doc },
  ]);
  if (prepared.issues.length > 0 || !prepared.model) {
    const details: IssueDetail[] = prepared.issues.flatMap((entry) => entry.issues.map((issue) => ({
      ...issue, path: entry.kind === 'workflow' && entry.name === doc.name ? `/workflow${issue.path}` : `/${entry.kind}/${entry.name}${issue.path}`,
    })));
    throw new CrmError('INVALID_METADATA', { en: 'The workflow has problems to fix before it can be tested', zh: '流程存在问题，修正后才能测试' }, details);
  }
  return workflowsOf(prepared.model).get(doc.name)!;
}

async function previewAction(args: { workflow: CompiledWorkflow; name: string; origin: string; record: RecordValues; ctx: RequestContext }): Promise<ActionPreview> {
  const { workflow, name, origin, record, ctx } = args;
  const action = workflow.actions.get(name);
  if (!action) return { name, type: 'unknown', origin, fires: false, detail: { error: `no action "${name}"` } };
  const def = action.definition;
  const base = { name, type: def.type, ...(def.label ? { label: localize(def.label, ctx.locale) } : {}), origin };
  try {
    const fires = await isTrue(action.when, record, ctx.clock, `/actions/${name}/when`);
    const detail: Record<string, unknown> = {};
    if (def.when) detail['when'] = def.when;
    if (fires && def.type === 'setFields') detail['values'] = await computeSetFields(workflow, [name], record, ctx.clock);
    if (def.type === 'updateRelated') Object.assign(detail, { via: def.via, related: (record as Record<string, unknown>)[def.via] ?? null, ...(def.transition ? { transition: def.transition } : {}) });
    if (def.type === 'createRecord' || (def.type === 'updateRelated' && def.values)) {
      if (def.type === 'createRecord') detail['entity'] = def.entity;
      if (fires) {
        const values: RecordValues = {};
        for (const [field, expression] of action.values ?? []) values[field] = (await evaluateExpression(expression, record, { clock: ctx.clock, origin: `/actions/${name}/values/${field}` })) ?? null;
        detail['values'] = values;
      }
    }
    if (def.type === 'notify') {
      // The templates as written, and as the notification would read for this record (in the
      // caller's language, over the whole record: a recipient sees only the fields they may read).
      const rendered = await renderMail(def, { locale: ctx.locale, input: record, clock: ctx.clock, origin: `/actions/${name}` });
      Object.assign(detail, {
        to: def.to, subject: localize(def.subject, ctx.locale), ...(def.body !== undefined ? { body: localize(def.body, ctx.locale) } : {}), channels: def.channels ?? ['inbox'],
        rendered: { subject: rendered.subject, ...(rendered.hasBody ? { body: rendered.text } : {}) },
      });
    }
    if (def.type === 'webhook') Object.assign(detail, { url: def.url });
    if (def.type === 'transition' || def.type === 'startApproval') detail['transition'] = def.transition;
    return { ...base, fires, detail };
  } catch (error) {
    return { ...base, fires: false, detail: { error: expressionErrorText(error)[ctx.locale] } };
  }
}

async function previewJobs(args: { workflow: CompiledWorkflow; jobs: NewJob[]; record: RecordValues; ctx: RequestContext }): Promise<{ actions: ActionPreview[]; escalations: EscalationPreview[]; dates: { trigger: string; dueAt: string }[] }> {
  const { workflow, jobs, record, ctx } = args;
  const actions: ActionPreview[] = [];
  const escalations: EscalationPreview[] = [];
  const dates: { trigger: string; dueAt: string }[] = [];
  for (const job of jobs) {
    if (job.kind === 'action') {
      const p = job.payload as unknown as ActionJobPayload;
      actions.push(await previewAction({ workflow, name: p.action, origin: p.origin, record, ctx }));
    } else if (job.kind === 'inState') {
      const trigger = workflow.triggers.find((t) => t.name === job.payload['trigger']);
      const def = trigger?.definition;
      if (!trigger || def?.on !== 'inState') continue;
      const holds = await isTrue(trigger.when, record, ctx.clock, `/triggers/${trigger.name}/when`).catch(() => false);
      escalations.push({
        trigger: trigger.name, ...(def.label ? { label: localize(def.label, ctx.locale) } : {}), state: def.state, dueAt: job.dueAt.toISOString(),
        ...(def.repeatEvery ? { repeatEvery: def.repeatEvery } : {}), ...(def.when ? { when: def.when } : {}), holds, actions: def.actions,
      });
    } else if (job.kind === 'date') {
      dates.push({ trigger: String(job.payload['trigger']), dueAt: job.dueAt.toISOString() });
    }
  }
  return { actions, escalations, dates };
}

async function testTransition(args: { ctx: RequestContext; deps: Pick<WorkflowDeps, 'store'>; workflow: CompiledWorkflow; t: CompiledTransition; snapshot: WorkflowSnapshot; actor: Actor; record: RecordValues }): Promise<TestedTransition> {
  const { ctx, deps, workflow, t, snapshot, actor, record } = args;
  const facts = await evaluateFacts({ workflow, transition: t, record, clock: ctx.clock, resolveField: (path) => resolvePath({ model: ctx.model, reader: deps.store, entity: workflow.entity, record, path }) });
  const reasons = checkTransition({ workflow, transition: t, snapshot, actor, facts, forListing: true });
  const tested: TestedTransition = {
    name: t.name, label: localize(t.label, ctx.locale), to: t.to, open: reasons.length === 0,
    reasons: reasons.map((r) => ({ code: r.code, message: localize(r.message, ctx.locale), ...(r.fields ? { fields: r.fields } : {}) })),
    roles: [...t.roles], requiredFields: [...t.requiredFields], missingFields: [...facts.missingFields],
    ...(t.definition.guard ? { guard: { expression: t.definition.guard, value: typeof facts.guard === 'boolean' ? facts.guard : null, ...(typeof facts.guard === 'object' ? { error: facts.guard.error[ctx.locale] } : {}) } } : {}),
    comment: t.comment,
    ...(t.approval ? { approval: { needed: facts.approvalNeeded, steps: t.approval.steps.map((s) => ({ name: s.name, applies: facts.applicableSteps.includes(s.name), approver: s.approver as Record<string, string> })) } } : {}),
    setFields: {}, actions: [], escalations: [],
  };
  if (!tested.open) return tested;
  // The move as taking it would make it (a required comment is taken as given).
  const result = transition(workflow, snapshot, { type: 'take', transition: t.name, actor, comment: t.comment === 'required' ? 'test' : undefined, approvalId: 'test' }, facts);
  if (!result.ok) return { ...tested, open: false, reasons: result.reasons.map((r) => ({ code: r.code, message: localize(r.message, ctx.locale) })) };
  const sink = recorder();
  if (!result.move) {
    // An approval is requested: its deciders are told; the state moves only when it completes.
    return { ...tested, actions: result.effects.filter((e) => e.type === 'notifyApprovers').map((e) => ({ name: `approval.${e.step}`, type: 'notifyApprovers', origin: `transition.${t.name}`, fires: true, detail: { step: e.step } })) };
  }
  const setFieldActions = result.effects.filter((e) => e.type === 'setFields').map((e) => e.action);
  const setFields = await computeSetFields(workflow, setFieldActions, record, ctx.clock).catch(() => ({}) as RecordValues);
  const after = { ...record, ...setFields, ...(workflow.field ? { [workflow.field]: t.to } : {}) };
  const runs = result.effects.filter((e) => e.type === 'run').map((e) => e.action);
  const deps2 = { scheduler: sink, clock: ctx.clock };
  await enqueueStateJobs({ deps: deps2, workflow, entity: workflow.entity, recordId: String(record['id'] ?? 'draft'), state: t.to, stayId: 'test', enteredAt: ctx.clock.now().toISOString() });
  await enqueueActionJobs({ deps: deps2, workflow, actions: runs, record: after, origin: `transition.${t.name}`, by: ctx.principal.id, idPrefix: 'test' });
  const jobs = await previewJobs({ workflow, jobs: sink.jobs, record: after, ctx });
  const setFieldPreviews = await Promise.all(setFieldActions.map((name) => previewAction({ workflow, name, origin: `transition.${t.name}`, record, ctx })));
  return { ...tested, setFields, actions: [...setFieldPreviews, ...jobs.actions], escalations: jobs.escalations };
}

async function stateUsage(ctx: RequestContext, deps: Pick<WorkflowDeps, 'store'>, entity: CompiledEntity, edited: CompiledWorkflow): Promise<WorkflowTestReport['usage']> {
  if (!edited.field) return [];
  const saved = workflowsOf(ctx.model).get(edited.name);
  const names = new Set([...edited.states.keys(), ...(saved && saved.field === edited.field ? saved.states.keys() : [])]);
  const field = entity.filterables.get(edited.field) ?? internalField(edited.field);
  const usage: WorkflowTestReport['usage'] = [];
  for (const state of names) {
    usage.push({ state, records: await deps.store.count(entity.name, { kind: 'compare', field, op: '$eq', value: state }), removed: !edited.states.has(state) });
  }
  return usage;
}

/** Evaluates an edited workflow against a record without writing anything (admins only). */
export async function testWorkflow(args: { ctx: RequestContext; deps: Pick<WorkflowDeps, 'store' | 'runtime'>; service: WorkflowService; request: WorkflowTestRequest }): Promise<WorkflowTestReport> {
  const { ctx, deps, service, request } = args;
  ctx.policy.assertAdmin(ctx.principal);
  const workflow = preparedWorkflow(deps, request.workflow, request.documents ?? []);
  const entity = getEntityOrThrow(ctx, workflow.entity);
  const usage = await stateUsage(ctx, deps, entity, workflow);
  const report: WorkflowTestReport = { workflow: workflow.name, entity: entity.name, usage, transitions: [], applied: false };
  if (!request.record) return report;
  let record: RecordValues;
  const draft = 'values' in request.record;
  if ('values' in request.record) {
    record = { ...request.record.values };
    if (workflow.field && record[workflow.field] === undefined && workflow.initial) record[workflow.field] = workflow.initial;
  } else {
    const stored = await getRecordInScopeOrThrow({ reader: deps.store, ctx, entity, id: request.record.id, action: 'read' });
    record = { ...stored.data, id: stored.id };
  }
  const state = workflow.field && typeof record[workflow.field] === 'string' ? (record[workflow.field] as string) : undefined;
  const own = await service.actorFor(ctx, entity, draft ? undefined : String(record['id']));
  const actor: Actor = request.as ? { ...own, roles: request.as.roles, admin: false, mayUpdate: draft ? true : own.mayUpdate } : { ...own, mayUpdate: draft ? true : own.mayUpdate };
  const snapshot: WorkflowSnapshot = { state };
  const leaving = [...workflow.transitions.values()].filter((t) => state !== undefined && t.from.has(state)).sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  for (const t of leaving) report.transitions.push(await testTransition({ ctx, deps, workflow, t, snapshot, actor, record }));
  report.record = { ...(draft ? {} : { id: String(record['id']) }), draft, ...(state ? { state } : {}) };
  if (draft) {
    const sink = recorder();
    const jobDeps = { scheduler: sink, clock: ctx.clock };
    const created = { ...record, id: 'draft' };
    for (const trigger of await writeTriggersThatFire({ workflow, type: 'created', record: created, before: undefined, clock: ctx.clock })) {
      await enqueueActionJobs({ deps: jobDeps, workflow, actions: trigger.definition.actions, record: created, origin: `trigger.${trigger.name}`, by: ctx.principal.id, idPrefix: `test.${trigger.name}` });
    }
    if (state) await enqueueStateJobs({ deps: jobDeps, workflow, entity: entity.name, recordId: 'draft', state, stayId: 'test', enteredAt: ctx.clock.now().toISOString() });
    await enqueueDateJobs({ deps: jobDeps, workflow, record: created });
    report.onCreate = await previewJobs({ workflow, jobs: sink.jobs, record: created, ctx });
  }
  return report;
}
