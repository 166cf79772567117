// The OpenAPI operations of /api/subscriptions (administrators): delivery state, delivery log,
// recorded events, replay and resume.

import {
  adminOnly, type ApiFragment, closedObjectOf, dateTime, errorResponses, headerParameter, itemsOf, jsonRequestBody, jsonResponse, objectOf, pageLimit, pathParameter, queryParameter, sharedSchemaRef,
  stringSchema,
} from '../http/openapi-fragment.ts';

const tags = ['subscriptions'];
const name = pathParameter('name', 'The subscription name');
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$', description: 'An ISO instant in UTC' };
const limit = queryParameter('limit', 'How many', pageLimit(1000));
const adminErrors = errorResponses(400, 401, 403, 404);

/**
 * The signed body POSTed to a subscription's url (not an operation of this server: a receiver's
 * contract). Maintenance writes send the same events as the API's writes: a merge `deleted` for each
 * merged record (with `mergedInto`) and `updated` for the survivor and each re-pointed record; a
 * merge's undo `created` (with `restored`) for each record it brings back; cleansing jobs, import
 * undos and their undos `updated`.
 */
const subscriptionEvent = objectOf({
  id: { type: 'string', description: 'The event id (a replay sends it again; deduplicate by X-CRM-Delivery)' },
  subscription: stringSchema,
  event: { type: 'string', enum: ['created', 'updated', 'deleted', 'transition', 'approval'] },
  entity: stringSchema,
  recordId: stringSchema,
  seq: { type: 'integer', description: "The subscription's order: commit order of the changes" },
  at: dateTime,
  changed: { type: 'array', items: stringSchema, description: 'updated, transition: the fields that changed (those the role reads)' },
  workflow: { type: 'object', description: 'transition, approval: the workflow step' },
  mergedInto: { type: 'string', description: 'deleted by a merge: the id of the record it was merged into (the survivor)' },
  restored: { const: true, description: "created by an undo that brought the record back (a merge's undo): its id was sent before, deleted; its version is one past the deleted one" },
  record: { type: 'object', description: 'The record as the role may read it, with id and version (deleted: as it was deleted)' },
}, ['id', 'subscription', 'event', 'entity', 'recordId', 'seq', 'at', 'record']);

export const subscriptionApi: ApiFragment = {
  schemas: { 'crm.SubscriptionEvent': subscriptionEvent },
  webhooks: {
    recordEvent: {
      post: {
        operationId: 'receiveRecordEvent', tags,
        summary: "A record event, POSTed to a subscription's url (the receiver's side: not an operation of this server)",
        description: 'Sent in commit order per subscription, at least once: a retry or a replay sends the same X-CRM-Delivery again. Verify the signature before trusting the body: X-CRM-Signature is `sha256=` and the hex HMAC-SHA256 of `<X-CRM-Timestamp>.<raw body>` with the subscription\u2019s secret.',
        parameters: [
          headerParameter('X-CRM-Delivery', 'The delivery id, the same on every attempt of one delivery: deduplicate by it'),
          headerParameter('X-CRM-Timestamp', 'When this attempt was signed (ISO instant); refuse old ones to stop replays by others'),
          headerParameter('X-CRM-Signature', '`sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the shared secret', { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' }),
        ],
        requestBody: jsonRequestBody(sharedSchemaRef('crm.SubscriptionEvent')),
        responses: {
          '2XX': { description: 'Received: any 2xx answer acknowledges the event' },
          default: { description: 'Any other answer, or none within the timeout: the event is sent again later (the subscription pauses after repeated failed rounds; an administrator resumes or replays it)' },
        },
      },
    },
  },
  paths: {
    '/api/subscriptions': {
      get: adminOnly({
        operationId: 'listSubscriptions', summary: 'Every subscription and its delivery state', tags,
        responses: {
          '200': jsonResponse('Subscriptions', itemsOf(objectOf({ name: stringSchema, entity: stringSchema, active: { type: 'boolean' }, paused: { type: 'boolean' }, pausedAt: dateTime, failedRounds: { type: 'integer' }, pending: { type: 'integer' } }, ['name', 'paused']))),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
    '/api/subscriptions/{name}/deliveries': {
      parameters: [name],
      get: adminOnly({ operationId: 'listSubscriptionDeliveries', summary: 'The delivery log, newest first', tags, parameters: [limit], responses: { '200': jsonResponse('Attempts', itemsOf({ type: 'object' })), ...adminErrors } }),
    },
    '/api/subscriptions/{name}/events': {
      parameters: [name],
      get: adminOnly({
        operationId: 'listSubscriptionEvents', summary: 'The recorded events (without bodies)', tags,
        parameters: [limit, queryParameter('from', 'From this instant', instant), queryParameter('to', 'Up to this instant', instant)],
        responses: { '200': jsonResponse('Events', itemsOf(objectOf({ id: stringSchema, event: stringSchema, seq: { type: 'integer' }, at: dateTime, state: stringSchema }, ['id']))), ...adminErrors },
      }),
    },
    '/api/subscriptions/{name}/replay': {
      parameters: [name],
      post: adminOnly({
        operationId: 'replaySubscription', summary: 'Send one event, or every event of a time range, again', tags,
        requestBody: jsonRequestBody(closedObjectOf({ event: stringSchema, from: instant, to: instant })),
        responses: { '202': jsonResponse('Queued', objectOf({ replayed: { type: 'integer' }, events: { type: 'array', items: stringSchema } }, ['replayed', 'events'])), ...errorResponses(400, 401, 403, 404, 415) },
      }),
    },
    '/api/subscriptions/{name}/resume': {
      parameters: [name],
      post: adminOnly({ operationId: 'resumeSubscription', summary: 'Resume a paused subscription', tags, responses: { '200': jsonResponse('Resumed', objectOf({ name: stringSchema, paused: { const: false } }, ['name', 'paused'])), ...adminErrors } }),
    },
  },
};
