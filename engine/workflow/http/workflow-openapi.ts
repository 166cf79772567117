// The OpenAPI operations of the workflow routes (workflow-routes.ts): a record's transitions and
// state history for each entity a workflow drives, approvals, the inbox, webhook deliveries, SLA
// reports and the scheduler.

import type { JsonSchema } from '../../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, type ApiView, booleanFlag, closedObjectOf, dateTime, entitySchemaName, entitySchemaRef, errorResponses, itemsOf, jsonRequestBody,
  jsonResponse, objectOf, pageLimit, pathParameter, queryParameter, sharedSchemaRef, stringSchema, type OpenApiPathItem,
} from '../../http/openapi-fragment.ts';

const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'ETags of the record versions the move is meant for; another version gets 412.' };
const localized = { oneOf: [{ type: 'string' }, { type: 'object', properties: { en: stringSchema, zh: stringSchema } }] };
const comment = jsonRequestBody(closedObjectOf({ comment: { type: 'string', maxLength: 4000 } }), false);

const schemas: Record<string, JsonSchema> = {
  'crm.Approval': objectOf({
    id: stringSchema, version: { type: 'integer' }, workflow: stringSchema, entity: stringSchema, recordId: stringSchema, transition: stringSchema,
    from: stringSchema, to: stringSchema, status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'void'] }, requestedBy: stringSchema,
    requestedAt: dateTime, comment: stringSchema, decidedAt: dateTime, reason: stringSchema,
    waitingFor: { type: 'string', description: 'Who the current step waits for: role:<name>, email:<address> or user:<id>' },
    steps: {
      type: 'array',
      items: objectOf({
        name: stringSchema, label: localized, approver: objectOf({ role: stringSchema, user: stringSchema, field: stringSchema }),
        status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'skipped'] }, decidedBy: stringSchema, decidedAt: dateTime, comment: stringSchema,
      }, ['name', 'status']),
    },
  }, ['id', 'workflow', 'entity', 'recordId', 'transition', 'to', 'status', 'requestedBy', 'requestedAt', 'steps']),
  'crm.Notification': objectOf({
    id: stringSchema, userId: stringSchema, subject: stringSchema, body: stringSchema, at: dateTime, readAt: dateTime, entity: stringSchema, recordId: stringSchema,
    workflow: stringSchema, source: stringSchema, email: objectOf({ status: { type: 'string', enum: ['none', 'pending', 'sent'] }, to: stringSchema, at: dateTime, error: stringSchema }, ['status']),
  }, ['id', 'userId', 'subject', 'at']),
  'crm.WebhookDelivery': objectOf({
    deliveryId: stringSchema, attempt: { type: 'integer' }, workflow: stringSchema, action: stringSchema, url: stringSchema, at: dateTime,
    outcome: { type: 'string', enum: ['delivered', 'failed'] }, status: { type: 'integer' }, error: stringSchema, durationMs: { type: 'number' },
    nextAttemptAt: dateTime, body: stringSchema, entity: stringSchema, recordId: stringSchema,
  }, ['deliveryId', 'attempt', 'url', 'at', 'outcome']),
  'crm.Job': objectOf({
    id: stringSchema, kind: stringSchema, dueAt: dateTime, status: { type: 'string', enum: ['pending', 'running', 'done', 'failed'] }, attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' }, payload: { type: 'object' }, key: stringSchema, createdAt: dateTime, finishedAt: dateTime, lastError: stringSchema, note: stringSchema,
  }, ['id', 'kind', 'dueAt', 'status']),
  'crm.Transitions': objectOf({
    states: { type: 'object', additionalProperties: { type: 'string' }, description: 'Workflow → current state' },
    pendingApproval: sharedSchemaRef('crm.Approval'),
    transitions: {
      type: 'array',
      items: objectOf({
        name: stringSchema, workflow: stringSchema, label: stringSchema, to: stringSchema, allowed: { type: 'boolean' },
        reasons: { type: 'array', items: objectOf({ code: stringSchema, message: stringSchema, fields: { type: 'array', items: stringSchema } }, ['code', 'message']) },
        needsApproval: { type: 'boolean' }, confirm: stringSchema, comment: { type: 'string', enum: ['none', 'optional', 'required'] },
      }, ['name', 'workflow', 'to', 'allowed', 'reasons', 'needsApproval', 'comment']),
    },
  }, ['states', 'transitions']),
  'crm.StateHistory': itemsOf(objectOf({
    workflow: stringSchema, field: stringSchema,
    stays: {
      type: 'array',
      items: objectOf({ state: stringSchema, enteredAt: dateTime, leftAt: dateTime, durationMs: { type: 'number' }, by: stringSchema, via: stringSchema, slaHours: { type: 'number' }, breached: { type: 'boolean' } }, ['state', 'enteredAt', 'durationMs', 'breached']),
    },
  }, ['workflow', 'field', 'stays'])),
  'crm.WorkflowTest': (() => {
    const action = objectOf({ name: stringSchema, type: stringSchema, label: stringSchema, origin: stringSchema, fires: { type: 'boolean' }, detail: { type: 'object', description: 'setFields/createRecord: values; updateRelated: via, related (the id), values, transition; notify: to, subject and body (the templates), channels, rendered (subject and body filled in for the record, in the caller\'s language); webhook: url; transition: its name; error when it could not be evaluated' } }, ['name', 'type', 'origin', 'fires', 'detail']);
    const escalation = objectOf({ trigger: stringSchema, label: stringSchema, state: stringSchema, dueAt: dateTime, repeatEvery: stringSchema, when: stringSchema, holds: { type: 'boolean' }, actions: { type: 'array', items: stringSchema } }, ['trigger', 'state', 'dueAt', 'holds', 'actions']);
    return objectOf({
      workflow: stringSchema, entity: stringSchema, applied: { const: false, description: 'A test run never writes' },
      record: objectOf({ id: stringSchema, draft: { type: 'boolean' }, state: stringSchema }, ['draft']),
      usage: { type: 'array', description: 'Records in each state now; states the edited workflow removes are marked', items: objectOf({ state: stringSchema, records: { type: 'integer' }, removed: { type: 'boolean' } }, ['state', 'records', 'removed']) },
      transitions: {
        type: 'array',
        items: objectOf({
          name: stringSchema, label: stringSchema, to: stringSchema, open: { type: 'boolean' },
          reasons: { type: 'array', items: objectOf({ code: stringSchema, message: stringSchema, fields: { type: 'array', items: stringSchema } }, ['code', 'message']) },
          roles: { type: 'array', items: stringSchema }, requiredFields: { type: 'array', items: stringSchema }, missingFields: { type: 'array', items: stringSchema },
          guard: objectOf({ expression: stringSchema, value: { type: ['boolean', 'null'] }, error: stringSchema }, ['expression', 'value']),
          comment: { type: 'string', enum: ['none', 'optional', 'required'] },
          approval: objectOf({ needed: { type: 'boolean' }, steps: { type: 'array', items: objectOf({ name: stringSchema, applies: { type: 'boolean' }, approver: { type: 'object' } }, ['name', 'applies', 'approver']) } }, ['needed', 'steps']),
          setFields: { type: 'object' }, actions: { type: 'array', items: action }, escalations: { type: 'array', items: escalation },
        }, ['name', 'label', 'to', 'open', 'reasons', 'roles', 'requiredFields', 'missingFields', 'comment', 'setFields', 'actions', 'escalations']),
      },
      onCreate: objectOf({ actions: { type: 'array', items: action }, escalations: { type: 'array', items: escalation }, dates: { type: 'array', items: objectOf({ trigger: stringSchema, dueAt: dateTime }, ['trigger', 'dueAt']) } }, ['actions', 'escalations', 'dates']),
    }, ['workflow', 'entity', 'usage', 'transitions', 'applied']);
  })(),
};

const tags = ['workflows'];
const approvalId = pathParameter('id', 'The approval id');
const decision = (verb: 'approve' | 'reject') => ({
  parameters: [approvalId],
  post: {
    operationId: `${verb}Approval`, summary: verb === 'approve' ? 'Approve the step waiting for you' : 'Reject the approval (a comment is required)', tags,
    requestBody: comment, responses: { '200': jsonResponse('The approval after the decision', sharedSchemaRef('crm.Approval')), ...errorResponses(400, 401, 403, 404, 409, 415) },
  },
});

function transitionPaths(view: ApiView): Record<string, OpenApiPathItem> {
  const paths: Record<string, OpenApiPathItem> = {};
  for (const { entity } of view.entities) {
    if (entity.drivenFields.size === 0) continue;
    const type = entitySchemaName(entity.name);
    const base = `/api/data/${entity.name}/{id}`;
    const id = pathParameter('id', 'The record id');
    const entityTags = [entity.name];
    paths[`${base}/transitions`] = {
      parameters: [id],
      get: { operationId: `transitions${type}`, summary: 'The moves from the current state: whether the caller may take each, and why not', tags: entityTags, responses: { '200': jsonResponse('Transitions', sharedSchemaRef('crm.Transitions')), ...errorResponses(400, 401, 404) } },
    };
    paths[`${base}/transitions/{transition}`] = {
      parameters: [id, pathParameter('transition', 'The transition name')],
      post: {
        operationId: `take${type}Transition`, summary: 'Take a transition (or request its approval)', tags: entityTags, parameters: [ifMatch], requestBody: comment,
        responses: {
          '200': jsonResponse('Moved', objectOf({ outcome: { const: 'moved' }, record: entitySchemaRef(entity.name) }, ['outcome', 'record'])),
          '202': jsonResponse('Approval requested', objectOf({ outcome: { const: 'approvalRequested' }, approval: sharedSchemaRef('crm.Approval') }, ['outcome', 'approval'])),
          ...errorResponses(400, 401, 403, 404, 409, 412, 415),
        },
      },
    };
    paths[`${base}/state-history`] = {
      parameters: [id],
      get: { operationId: `stateHistory${type}`, summary: 'Stays in each state, with their duration against the SLA', tags: entityTags, responses: { '200': jsonResponse('Stays per workflow', sharedSchemaRef('crm.StateHistory')), ...errorResponses(400, 401, 404) } },
    };
  }
  return paths;
}

export function workflowApi(view: ApiView): ApiFragment {
  return {
    schemas,
    paths: {
      ...transitionPaths(view),
      '/api/approvals': {
        get: {
          operationId: 'listApprovals', summary: 'Approvals waiting for you (requested=1: those you requested), newest first, a page at a time', tags,
          parameters: [queryParameter('requested', 'Yours instead', booleanFlag), queryParameter('limit', 'Page size (default 50)', pageLimit(200)), queryParameter('cursor', 'nextCursor of the previous page', { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' })],
          responses: { '200': jsonResponse('A page of approvals', itemsOf(sharedSchemaRef('crm.Approval'), { nextCursor: { type: 'string', description: 'Present when there may be more: pass it as cursor' } })), ...errorResponses(400, 401) },
        },
      },
      '/api/approvals/{id}': {
        parameters: [approvalId],
        get: { operationId: 'getApproval', summary: 'One approval you may decide or see', tags, responses: { '200': jsonResponse('The approval', sharedSchemaRef('crm.Approval')), ...errorResponses(400, 401, 404) } },
      },
      '/api/approvals/{id}/approve': decision('approve'),
      '/api/approvals/{id}/reject': decision('reject'),
      '/api/notifications': {
        get: {
          operationId: 'listNotifications', summary: 'Your inbox, newest first', tags: ['notifications'],
          parameters: [queryParameter('unread', 'Only unread ones', booleanFlag), queryParameter('limit', 'How many', pageLimit(500))],
          responses: { '200': jsonResponse('Notifications', itemsOf(sharedSchemaRef('crm.Notification'))), ...errorResponses(400, 401) },
        },
      },
      '/api/notifications/{id}/read': {
        parameters: [pathParameter('id', 'The notification id')],
        post: { operationId: 'markNotificationRead', summary: 'Mark a notification of yours read', tags: ['notifications'], responses: { '200': jsonResponse('The notification', sharedSchemaRef('crm.Notification')), ...errorResponses(400, 401, 403, 404, 409) } },
      },
      '/api/webhooks/deliveries': {
        get: adminOnly({
          operationId: 'listWebhookDeliveries', summary: 'Every webhook attempt, newest first', tags,
          parameters: [queryParameter('delivery', 'One delivery\'s attempts'), queryParameter('workflow', 'One workflow\'s'), queryParameter('limit', 'How many', pageLimit(1000))],
          responses: { '200': jsonResponse('Attempts', itemsOf(sharedSchemaRef('crm.WebhookDelivery'))), ...errorResponses(400, 401, 403) },
        }),
      },
      '/api/workflows/test': {
        post: adminOnly({
          operationId: 'testWorkflow',
          summary: 'Test a workflow as edited (unsaved) against a stored or draft record: open transitions and why not, actions, notifications and SLA escalations — recorded, never applied',
          tags,
          requestBody: jsonRequestBody(closedObjectOf({
            workflow: { type: 'object', description: 'The workflow document as edited (checked like a save; issues come back as 400 with JSON pointers under /workflow)' },
            documents: { type: 'array', items: { type: 'object' }, description: 'Other documents edited with the workflow (e.g. the entity whose state field gains an option), checked together' },
            record: { oneOf: [closedObjectOf({ id: stringSchema }, ['id']), closedObjectOf({ values: { type: 'object' } }, ['values'])] },
            as: closedObjectOf({ roles: { type: 'array', items: stringSchema } }, ['roles']),
          }, ['workflow'])),
          responses: { '200': jsonResponse('What the workflow would do', sharedSchemaRef('crm.WorkflowTest')), ...errorResponses(400, 401, 403, 404, 415) },
        }),
      },
      '/api/workflows/{name}/sla': {
        parameters: [pathParameter('name', 'The workflow name')],
        get: {
          operationId: 'workflowSla', summary: 'Time in each state over every record of a workflow, against the SLA', tags,
          responses: {
            '200': jsonResponse('Per state', objectOf({
              workflow: stringSchema, entity: stringSchema, at: dateTime,
              states: {
                type: 'array',
                items: objectOf({ state: stringSchema, stays: { type: 'integer' }, current: { type: 'integer' }, totalMs: { type: 'number' }, averageMs: { type: 'number' }, maxMs: { type: 'number' }, slaHours: { type: 'number' }, breached: { type: 'integer' }, currentBreached: { type: 'integer' } }, ['state', 'stays', 'current', 'breached']),
              },
            }, ['workflow', 'entity', 'at', 'states'])),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      '/api/scheduler/tick': {
        post: adminOnly({
          operationId: 'runDueJobs', summary: 'Run the due jobs now', tags,
          responses: { '200': jsonResponse('What ran', objectOf({ ran: { type: 'integer' }, failed: { type: 'integer' }, ids: { type: 'array', items: stringSchema } }, ['ran', 'failed', 'ids'])), ...errorResponses(400, 401, 403) },
        }),
      },
      '/api/scheduler/jobs': {
        get: adminOnly({
          operationId: 'listJobs', summary: 'Scheduled jobs', tags,
          parameters: [queryParameter('status', 'pending, running, done or failed'), queryParameter('key', 'Jobs of one origin'), queryParameter('limit', 'How many', pageLimit(1000))],
          responses: { '200': jsonResponse('Jobs', itemsOf(sharedSchemaRef('crm.Job'))), ...errorResponses(400, 401, 403) },
        }),
      },
    },
  };
}
