// The HTTP edge of workflows: transitions of a record (`/api/data/{entity}/{id}/transitions`,
// `…/state-history`), approvals, the notifications inbox, the webhook delivery log, SLA reports
// and the scheduler's tick. Thin handlers: context, one service call, the response.

import { Router, type Request, type Response } from 'express';
import { checkQueryParameters, expectedVersion, parseBooleanFlag, parsePositiveInteger } from '../../http/http-helpers.ts';
import { contextFor, type ContextDeps } from '../../http/http-context.ts';
import { CrmError } from '../../kernel/errors.ts';
import { listNotifications, notificationsCollection } from '../../notifications/inbox.ts';
import { getEntityOrThrow } from '../../records/entity-lookup.ts';
import { getRecordInScopeOrThrow } from '../../records/record-in-scope.ts';
import type { RequestContext } from '../../records/request-context.ts';
import { listJobs, type JobStatus } from '../../scheduler/jobs.ts';
import { listDeliveries } from '../../webhooks/deliveries.ts';
import { stateWorkflowsForEntity, workflowsOf } from '../compile-workflow.ts';
import { summarizeStays, viewStays } from '../sla-report.ts';
import { approvalPageLimits } from '../approvals.ts';
import { staysOfRecord, staysOfWorkflow } from '../state-history.ts';
import type { WorkflowDeps } from '../workflow-deps.ts';
import type { WorkflowService } from '../workflow-service.ts';
import { testWorkflow, type WorkflowTestRequest } from '../test-workflow.ts';
import { andFilters, where } from '../../filter/filter-tree.ts';

function commentOf(body: unknown): string | undefined {
  // No body is no comment; a JSON body must be an object (`[]` or `null` is not "nothing": it is refused, not taken as a move).
  if (body === undefined) return undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object like { "comment": "…" }' }]);
  const { comment, ...rest } = body as { comment?: unknown };
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new CrmError('BAD_REQUEST', undefined, unknown.map((k) => ({ path: `/${k}`, message: 'is not a known property (only "comment")' })));
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 4000)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/comment', message: 'must be text of at most 4000 characters' }]);
  return comment as string | undefined;
}

/** The body of POST /api/workflows/test, checked: every problem named by its JSON pointer. */
function testRequestOf(body: unknown): WorkflowTestRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object like { "workflow": {…}, "record": { "id": "…" } }' }]);
  const { workflow, record, as, documents, ...rest } = body as Record<string, unknown>;
  const problems = Object.keys(rest).map((k) => ({ path: `/${k}`, message: 'is not a known property (workflow, documents, record, as)' }));
  if (documents !== undefined) {
    if (!Array.isArray(documents)) problems.push({ path: '/documents', message: 'must be an array of metadata documents' });
    else documents.forEach((d: unknown, i) => {
      const { kind, name } = (d ?? {}) as { kind?: unknown; name?: unknown };
      if (typeof kind !== 'string' || typeof name !== 'string' || kind === 'workflow') problems.push({ path: `/documents/${i}`, message: 'needs a kind (not workflow) and a name' });
    });
  }
  if (workflow === undefined) problems.push({ path: '/workflow', message: 'is required: the workflow document to test' });
  if (record !== undefined) {
    const r = record as Record<string, unknown>;
    const byId = r !== null && typeof r === 'object' && typeof r['id'] === 'string' && Object.keys(r).length === 1;
    const draft = r !== null && typeof r === 'object' && r['values'] !== null && typeof r['values'] === 'object' && !Array.isArray(r['values']) && Object.keys(r).length === 1;
    if (!byId && !draft) problems.push({ path: '/record', message: 'must be { "id": "<record id>" } or { "values": { … } } (a draft record)' });
  }
  if (as !== undefined) {
    const roles = (as as { roles?: unknown } | null)?.roles;
    if (!Array.isArray(roles) || !roles.every((x) => typeof x === 'string') || Object.keys(as as object).length !== 1) problems.push({ path: '/as', message: 'must be { "roles": ["<role>", …] }' });
  }
  if (problems.length > 0) throw new CrmError('BAD_REQUEST', undefined, problems);
  return body as WorkflowTestRequest;
}

export function recordWorkflowRoutes(service: WorkflowService, contextDeps: () => ContextDeps, deps: WorkflowDeps): Router {
  const router = Router();
  const ctxOf = (req: Request, res: Response): Promise<RequestContext> => contextFor(req, res, contextDeps());

  router.get('/:entity/:id/transitions', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    res.json(await service.listTransitions(ctx, req.params.entity, req.params.id));
  });

  router.post('/:entity/:id/transitions/:name', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    const version = expectedVersion(req);
    const result = await service.takeTransition(ctx, req.params.entity, req.params.id, req.params.name, { ...(version !== undefined ? { expectedVersion: version } : {}), comment: commentOf(req.body) });
    res.status(result.outcome === 'moved' ? 200 : 202).json(result);
  });

  router.get('/:entity/:id/state-history', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    const entity = getEntityOrThrow(ctx, req.params.entity);
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    await getRecordInScopeOrThrow({ reader: deps.store, ctx, entity, id: req.params.id, action: 'read' });
    const stays = await staysOfRecord(deps.store, entity.name, req.params.id);
    const now = ctx.clock.now();
    const readable = ctx.policy.readableFields(ctx.principal, entity);
    const visible = stateWorkflowsForEntity(ctx.model, entity.name).filter((w) => w.field !== undefined && readable.has(w.field));
    res.json({ items: visible.map((w) => ({ workflow: w.name, field: w.field, stays: viewStays(w, stays, now) })) });
  });
  return router;
}

const jobStatuses: readonly string[] = ['pending', 'running', 'done', 'failed'] satisfies readonly JobStatus[];

export function workflowApiRoutes(service: WorkflowService, contextDeps: () => ContextDeps, deps: WorkflowDeps): Router {
  const router = Router();
  const ctxOf = (req: Request, res: Response): Promise<RequestContext> => contextFor(req, res, contextDeps());
  const signedIn = (ctx: RequestContext): void => {
    if (ctx.principal.kind === 'anonymous' && !ctx.principal.admin) {
      // The open policy (core tests) lets anonymous callers through; the security module's does not.
      ctx.policy.assertAdmin(ctx.principal);
    }
  };

  router.get('/approvals', async (req, res) => {
    const ctx = await ctxOf(req, res);
    const q = checkQueryParameters(req, ['requested', 'cursor', 'limit']);
    signedIn(ctx);
    const cursor = q['cursor'];
    if (cursor !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(cursor)) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/cursor', message: 'must be the nextCursor of a previous page' }]);
    const limit = parsePositiveInteger(q['limit'], 'limit', approvalPageLimits.max) ?? approvalPageLimits.default;
    res.json(await service.approvalsFor(ctx, parseBooleanFlag(q['requested'], 'requested') ? 'requested' : 'waiting', { limit, ...(cursor ? { after: cursor } : {}) }));
  });

  router.get('/approvals/:id', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    res.json(await service.getApprovalFor(ctx, req.params.id));
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/approvals/:id/${decision}`, async (req, res) => {
      const ctx = await ctxOf(req, res);
      checkQueryParameters(req, []);
      res.json(await service.decide(ctx, String(req.params['id']), decision, commentOf(req.body)));
    });
  }

  router.get('/notifications', async (req, res) => {
    const ctx = await ctxOf(req, res);
    const q = checkQueryParameters(req, ['unread', 'limit']);
    signedIn(ctx);
    const items = await listNotifications(deps.store, ctx.principal.id, { unreadOnly: parseBooleanFlag(q['unread'], 'unread'), limit: parsePositiveInteger(q['limit'], 'limit', 500) ?? 100 });
    res.json({ items });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    const row = await deps.store.get(notificationsCollection.name, req.params.id);
    if (!row || row.data['userId'] !== ctx.principal.id) throw new CrmError('NOT_FOUND', { en: 'No such notification', zh: '没有该通知' });
    const data = { ...row.data, readAt: ctx.clock.now().toISOString() };
    await deps.store.transaction((tx) => tx.replace(notificationsCollection.name, { ...row, version: row.version + 1, data }, row.version));
    res.json({ id: row.id, ...data });
  });

  router.get('/webhooks/deliveries', async (req, res) => {
    const ctx = await ctxOf(req, res);
    const q = checkQueryParameters(req, ['delivery', 'workflow', 'limit']);
    ctx.policy.assertAdmin(ctx.principal);
    res.json({ items: await listDeliveries(deps.store, { ...(q['delivery'] ? { deliveryId: q['delivery'] } : {}), ...(q['workflow'] ? { workflow: q['workflow'] } : {}), limit: parsePositiveInteger(q['limit'], 'limit', 1000) ?? 200 }) });
  });

  // A workflow as edited, evaluated against a record with every side effect recorded, none applied.
  router.post('/workflows/test', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    ctx.policy.assertAdmin(ctx.principal);
    res.json(await testWorkflow({ ctx, deps, service, request: testRequestOf(req.body) }));
  });

  router.get('/workflows/:name/sla', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    const workflow = workflowsOf(ctx.model).get(req.params.name);
    const entity = workflow ? ctx.model.entities.get(workflow.entity) : undefined;
    if (!workflow || !entity || !workflow.field) throw new CrmError('NOT_FOUND', { en: `No workflow "${req.params.name}" with states`, zh: `没有带状态的流程「${req.params.name}」` });
    // Per-entity figures are for those who may read every record of it.
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    // A workflow whose state field the caller cannot read does not exist for them (as in transitions).
    if (!ctx.policy.readableFields(ctx.principal, entity).has(workflow.field)) throw new CrmError('NOT_FOUND', { en: `No workflow "${req.params.name}" with states`, zh: `没有带状态的流程「${req.params.name}」` });
    if (ctx.policy.scopeFilter(ctx.principal, entity, 'read').kind !== 'true') ctx.policy.assertAdmin(ctx.principal);
    const stays = await staysOfWorkflow(deps.store, workflow.name);
    res.json({ workflow: workflow.name, entity: entity.name, at: ctx.clock.now().toISOString(), states: summarizeStays(workflow, stays, ctx.clock.now()) });
  });

  // Runs the due jobs now: what the production timer does; tests call it after moving the clock.
  router.post('/scheduler/tick', async (req, res) => {
    const ctx = await ctxOf(req, res);
    checkQueryParameters(req, []);
    ctx.policy.assertAdmin(ctx.principal);
    res.json(await deps.scheduler.runDue());
  });

  router.get('/scheduler/jobs', async (req, res) => {
    const ctx = await ctxOf(req, res);
    const q = checkQueryParameters(req, ['status', 'key', 'limit']);
    ctx.policy.assertAdmin(ctx.principal);
    // A misspelt status (`?status=faild`) would answer an empty list, as if nothing had failed.
    if (q['status'] !== undefined && !jobStatuses.includes(q['status'])) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/status', message: `must be one of ${jobStatuses.join(', ')}` }]);
    const filter = andFilters(q['status'] ? where({ status: q['status'] }) : undefined, q['key'] ? where({ key: q['key'] }) : undefined);
    res.json({ items: await listJobs(deps.store, filter, parsePositiveInteger(q['limit'], 'limit', 1000) ?? 200) });
  });
  return router;
}
