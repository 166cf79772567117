// Runs one action job after the save that caused it, in system mode (logged): set fields, create a
// related record, notify, call a webhook, start an approval or take a transition. Reads the record
// as it is now; the job's id keeps a retried action from applying twice where the store allows.

import type { Principal } from '../access/policy.ts';
import { roleGrantsOf } from '../access/role-grants.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize, type LocalizedText } from '../kernel/i18n.ts';
import { replyAddressOf } from '../mail/compile-mail-channels.ts';
import { sendNotification } from '../notifications/send-notification.ts';
import { effectApplied, markEffect } from '../scheduler/jobs.ts';
import type { JobContext } from '../scheduler/scheduler.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { deliverWebhook } from '../webhooks/deliver-webhook.ts';
import { getApproval } from './approvals.ts';
import { resolvePath } from './resolve-path.ts';
import { workflowsOf } from './compile-workflow.ts';
import { computeSetFields, isTrue } from './evaluate-facts.ts';
import type { WorkflowService } from './workflow-service.ts';
import { systemContext, type WorkflowDeps } from './workflow-deps.ts';
import type { ActionJobPayload } from './workflow-jobs.ts';

/** Notification e-mails name the replying mail channel's address, if one is configured. */
const replyTo = (deps: WorkflowDeps): { replyTo?: string } => {
  const address = replyAddressOf(deps.runtime.model);
  return address ? { replyTo: address } : {};
};

export function actionJobHandler(deps: WorkflowDeps, service: WorkflowService) {
  return async ({ job }: JobContext): Promise<string | void> => {
    const payload = job.payload as unknown as ActionJobPayload;
    const model = deps.runtime.model;
    const workflow = workflowsOf(model).get(payload.workflow);
    const action = workflow?.actions.get(payload.action);
    if (!workflow || !action) return `workflow ${payload.workflow} has no action ${payload.action} any more: nothing to do`;
    const entity = model.entities.get(payload.entity);
    const stored = payload.recordId && entity ? await deps.store.get(entity.name, payload.recordId) : undefined;
    if (payload.recordId && !stored) return `record ${payload.entity}/${payload.recordId} is gone: nothing to do`;
    const record = stored ? { ...stored.data, id: stored.id } : {};
    const origin = `/actions/${action.name}`;
    if (!(await isTrue(action.when, record, deps.clock, `${origin}/when`))) return 'condition false: skipped';
    const ctx = systemContext(deps, model, `workflow ${workflow.name}.${action.name}`);
    const def = action.definition;
    // Record writes commit with a mark of this job: run again, it finds the mark and stops.
    if ((def.type === 'setFields' || def.type === 'createRecord' || def.type === 'updateRelated') && (await effectApplied(deps.store, job.id))) return 'already applied';
    const mark = { withinTransaction: (tx: StoreTransaction) => markEffect(tx, job.id, deps.clock.now()) };
    switch (def.type) {
      case 'setFields': {
        const patch = await computeSetFields(workflow, [action.name], record, deps.clock);
        await deps.records.update(ctx, payload.entity, stored!.id, patch, { audit: { action: 'workflow.setFields', details: { workflow: workflow.name, action: action.name, origin: payload.origin } }, ...mark });
        return `set ${Object.keys(patch).join(', ')}`;
      }
      case 'createRecord': {
        const values: Record<string, unknown> = {};
        for (const [field, expression] of action.values ?? []) {
          const value = await evaluateExpression(expression, record, { clock: deps.clock, origin: `${origin}/values/${field}` });
          if (value !== undefined && value !== null) values[field] = value;
        }
        // What an automation creates belongs to whoever owns the record that caused it, so people
        // with own/team scope see the follow-up work they are expected to do.
        const owner = typeof stored?.data['owner'] === 'string' ? stored.data['owner'] : undefined;
        const created = await deps.records.create(ctx, def.entity, values, { ...mark, ...(owner ? { owner } : {}) });
        return `created ${def.entity}/${String(created.record['id'])}`;
      }
      case 'updateRelated': {
        // The record a lookup points at: its fields set, then (optionally) a transition of its workflow.
        const lookup = entity?.fields.get(def.via)?.definition;
        const relatedId = (record as Record<string, unknown>)[def.via];
        if (lookup?.type !== 'lookup' || typeof relatedId !== 'string') return `${def.via} is empty: skipped`;
        const done: string[] = [];
        if (action.values && action.values.size > 0) {
          const patch: Record<string, unknown> = {};
          for (const [field, expression] of action.values) {
            const value = await evaluateExpression(expression, record, { clock: deps.clock, origin: `${origin}/values/${field}` });
            patch[field] = value === undefined ? null : value;
          }
          await deps.records.update(ctx, lookup.to, relatedId, patch, { audit: { action: 'workflow.updateRelated', details: { workflow: workflow.name, action: action.name, origin: payload.origin, from: `${payload.entity}/${payload.recordId ?? ''}` } }, ...mark });
          done.push(`set ${lookup.to}/${relatedId} ${Object.keys(patch).join(', ')}`);
        }
        if (def.transition !== undefined) {
          try {
            const result = await service.takeTransition(ctx, lookup.to, relatedId, def.transition);
            done.push(result.outcome === 'moved' ? `took ${def.transition} on ${lookup.to}/${relatedId}` : `approval of ${def.transition} requested on ${lookup.to}/${relatedId}`);
          } catch (error) {
            if (error instanceof CrmError && (error.code === 'CONFLICT' || error.code === 'FORBIDDEN')) done.push(`${def.transition} not taken on ${lookup.to}/${relatedId}: ${error.details.map((d) => d.message).join('; ')}`);
            else throw error;
          }
        }
        return done.join('; ');
      }
      case 'notify': {
        return sendNotification({
          store: deps.store, directory: deps.directory, mailer: deps.mailer, policy: deps.policy(), clock: deps.clock, isAdminRole: (roles) => roleGrantsOf(deps.runtime.model.set).isAdminRole(roles), ...replyTo(deps),
          spec: def as Parameters<typeof sendNotification>[0]['spec'], sendingId: job.id,
          ...(entity ? { entity } : {}), ...(stored ? { record } : {}),
          source: { workflow: workflow.name, action: action.name }, origin,
          resolveField: (path) => resolvePath({ model, reader: deps.store, entity: payload.entity, record, path }),
        });
      }
      case 'webhook': {
        const hookPrincipal: Principal = { kind: 'token', id: `webhook:${workflow.name}.${action.name}`, roles: [def.role], teams: [], admin: false };
        return deliverWebhook({
          store: deps.store, clock: deps.clock, deliveryId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts, url: def.url,
          secret: deps.env[def.secretRef], backoff: { baseMs: deps.scheduler.backoffMs, maxMs: deps.scheduler.maxBackoffMs },
          meta: { workflow: workflow.name, action: action.name, entity: payload.entity, ...(payload.recordId ? { recordId: payload.recordId } : {}) },
          buildBody: async () => {
            // The hook's role decides what leaves the server: fields it may not read are left out.
            let readable: ReadonlySet<string> = new Set();
            if (entity) {
              try {
                deps.policy().assertEntityAction(hookPrincipal, entity, 'read');
                readable = deps.policy().readableFields(hookPrincipal, entity);
              } catch {
                readable = new Set();
              }
            }
            const shown = stored ? Object.fromEntries(Object.entries(record).filter(([key]) => readable.has(key))) : undefined;
            return JSON.stringify({ id: job.id, event: payload.origin, workflow: workflow.name, action: action.name, entity: payload.entity, ...(shown ? { record: shown } : {}), at: deps.clock.now().toISOString() });
          },
        });
      }
      case 'startApproval':
      case 'transition': {
        if (!payload.recordId) return 'no record: skipped';
        try {
          const result = await service.takeTransition(ctx, payload.entity, payload.recordId, def.transition);
          return result.outcome === 'moved' ? `took ${def.transition}` : `approval of ${def.transition} requested`;
        } catch (error) {
          // Not in a `from` state, guard false, …: logged, not retried — the record decides.
          if (error instanceof CrmError && (error.code === 'CONFLICT' || error.code === 'FORBIDDEN')) return `${def.transition} not taken: ${error.details.map((d) => d.message).join('; ')}`;
          throw error;
        }
      }
    }
  };
}

/** Tells the deciders of an approval step that it waits for them (inbox and e-mail). */
export function approvalNoticeHandler(deps: WorkflowDeps) {
  return async ({ job }: JobContext): Promise<string | void> => {
    const { approval: approvalId, step: stepName } = job.payload as { approval: string; step: string };
    const approval = await getApproval(deps.store, approvalId);
    const step = approval?.steps.find((s) => s.name === stepName);
    if (!approval || !step || approval.status !== 'pending') return 'approval no longer pending';
    const entity = deps.runtime.model.entities.get(approval.entity);
    const stored = entity ? await deps.store.get(entity.name, approval.recordId) : undefined;
    const record = stored ? { ...stored.data, id: stored.id } : {};
    const to = step.approver.role ? { roles: [step.approver.role] } : step.approver.user ? { users: [step.approver.user] } : { fields: [step.approver.field!] };
    const label = typeof step.label === 'string' ? { en: step.label, zh: step.label } : step.label;
    // What the decider recognizes: the entity's label, the record's title, the transition's label and the requester's address.
    const inLocale = (text: LocalizedText | undefined, fallback: string) => ({ en: text === undefined ? fallback : localize(text, 'en') || fallback, zh: text === undefined ? fallback : localize(text, 'zh') || fallback });
    const entityLabel = inLocale(entity?.definition.label, approval.entity);
    const titleField = entity?.definition.titleField;
    const titleValue = titleField === undefined ? undefined : (record as Record<string, unknown>)[titleField];
    const title = typeof titleValue === 'string' || typeof titleValue === 'number' ? String(titleValue) : approval.recordId;
    const transition = inLocale(workflowsOf(deps.runtime.model).get(approval.workflow)?.transitions.get(approval.transition)?.label, approval.transition);
    const requester = (await deps.directory.findById(approval.requestedBy))?.email ?? approval.requestedBy;
    return sendNotification({
      store: deps.store, directory: deps.directory, mailer: deps.mailer, policy: deps.policy(), clock: deps.clock, isAdminRole: (roles) => roleGrantsOf(deps.runtime.model.set).isAdminRole(roles), ...replyTo(deps),
      spec: {
        to,
        subject: { en: `Approval needed (${label.en ?? stepName}): ${entityLabel.en} ${title}`, zh: `待审批（${label.zh ?? stepName}）：${entityLabel.zh} ${title}` },
        body: { en: `"${transition.en}" was requested by ${requester}. Decide in your approvals inbox.`, zh: `${requester} 申请「${transition.zh}」，请在“审批”中处理。` },
      },
      sendingId: job.id, ...(entity ? { entity } : {}), ...(stored ? { record } : {}),
      source: { workflow: approval.workflow, action: `approval.${stepName}` }, origin: `/approvals/${approval.id}`,
      resolveField: (path) => resolvePath({ model: deps.runtime.model, reader: deps.store, entity: approval.entity, record, path }),
    });
  };
}
