// The OpenAPI operations of /api/quality: duplicate scan, merge and its undo, data quality report.

import type { JsonSchema } from '../fields/field-type.ts';
import { type ApiFragment, errorResponses, itemsOf, jsonRequestBody, jsonResponse, objectOf, pathParameter, queryParameter, sharedSchemaRef, stringList, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['quality'];
const entity = pathParameter('entity', 'The entity name');
/** Re-pointed records an undo left alone: someone changed the field since the merge. */
const changedSince: JsonSchema = { type: 'array', items: objectOf({ entity: stringSchema, id: stringSchema, field: stringSchema }, ['entity', 'id', 'field']) };
const versions: JsonSchema = { type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, description: 'id → the version the caller read; a record at another version refuses the merge (412 at /survivor or /merged/<i>)' };
const cluster: JsonSchema = objectOf({
  rule: stringSchema, ruleLabel: { type: 'string', description: 'The rule\'s label in the caller\'s language (Accept-Language), when it has one; show `rule` otherwise' }, score: { type: 'number', description: 'Least pair score (1 = equal after folding)' }, ids: stringList,
  pairs: { type: 'array', items: objectOf({ a: stringSchema, b: stringSchema, score: { type: 'number' } }, ['a', 'b', 'score']) },
}, ['rule', 'score', 'ids', 'pairs']);

const cleanseJob: JsonSchema = objectOf({
  id: stringSchema, entity: stringSchema, dryRun: { type: 'boolean' }, fields: stringList, examples: { type: 'integer' }, status: { type: 'string', enum: ['running', 'done', 'failed', 'undone'] },
  total: { type: 'integer', description: 'Records in the caller\'s update scope when the job started; progress is counts.records of it' },
  outOfScope: { type: 'integer', description: 'Records the caller could read but not update when the job started: left as they are' },
  counts: objectOf({ records: { type: 'integer' }, changed: { type: 'integer' }, written: { type: 'integer' }, refused: { type: 'integer' } }),
  rules: { type: 'array', items: objectOf({ field: stringSchema, changed: { type: 'integer' }, steps: { type: 'object', additionalProperties: { type: 'integer' } }, examples: { type: 'array', items: { type: 'object' } } }) },
  refused: { type: 'array', items: { type: 'object' } },
}, ['id', 'entity', 'dryRun', 'status', 'total', 'counts', 'rules']);

export const qualityApi: ApiFragment = {
  schemas: { 'crm.DuplicateCluster': cluster },
  paths: {
    '/api/quality/{entity}/duplicates': {
      get: {
        operationId: 'findDuplicates', summary: 'Duplicate clusters of an entity under its duplicate rules (exact, normalized, fuzzy), with scores', tags,
        parameters: [entity, queryParameter('rule', 'Only this duplicate rule')],
        responses: { '200': jsonResponse('Clusters', itemsOf(sharedSchemaRef('crm.DuplicateCluster'))), ...errorResponses(400, 401, 403, 404) },
      },
    },
    '/api/quality/{entity}/merge': {
      post: {
        operationId: 'mergeRecords', summary: 'Merge records into a survivor: chosen values kept, references and history re-pointed, one audit entry; dryRun=true rehearses it (rolled back) and says what it would do', tags,
        description: 'Integrations hear a merge as any other change, in its transaction: event subscriptions get `deleted` for each merged record, carrying `mergedInto` (the survivor\'s id), and `updated` for the survivor and for each re-pointed record; the sync feed (GET /api/sync/{entity}/deleted) lists each merged record with `mergedInto`. A dry run sends nothing.',
        parameters: [entity, queryParameter('dryRun', 'true: run the merge and roll it back — the survivor as it would be and what would move, or the error it would meet')],
        requestBody: jsonRequestBody(objectOf({ survivor: stringSchema, merged: stringList, values: { type: 'object', additionalProperties: stringSchema, description: 'field → the id whose value the survivor keeps (a field the caller may not change is refused at /values/<field>)' }, versions }, ['survivor', 'merged'])),
        responses: {
          '200': jsonResponse('Merged (or, in a dry run, what the merge would do)', objectOf({
            dryRun: { type: 'boolean' },
            record: { type: 'object', description: 'The survivor as the caller may read it' },
            merge: { ...stringSchema, description: 'The merge id (to undo it); absent in a dry run' },
            repointed: { type: 'array', description: 'Records pointing at the merged ones, re-pointed to the survivor, per referencing field (entities the caller may read)', items: objectOf({ entity: stringSchema, field: stringSchema, count: { type: 'integer' } }, ['entity', 'field', 'count']) },
            unlisted: { type: 'integer', description: 'Records re-pointed in entities the caller may not read' },
            moved: objectOf({ audit: { type: 'integer' }, stateHistory: { type: 'integer' } }, ['audit', 'stateHistory']),
            deleted: { type: 'integer', description: 'Merged records removed' },
          }, ['record', 'repointed', 'unlisted', 'moved', 'deleted'])),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    '/api/quality/{entity}/merge-groups': {
      post: {
        operationId: 'mergeGroups', summary: 'Merge several confirmed duplicate groups (each: survivor, merged ids, field picks), each all-or-nothing on its own; undone together through the batch', tags,
        parameters: [entity],
        requestBody: jsonRequestBody(objectOf({ groups: { type: 'array', minItems: 1, maxItems: 100, items: objectOf({ survivor: stringSchema, merged: stringList, values: { type: 'object', additionalProperties: stringSchema }, versions }, ['survivor', 'merged']) } }, ['groups'])),
        responses: { '200': jsonResponse('One result per group: its merge id or its error', objectOf({ batch: stringSchema, merged: { type: 'integer' }, failed: { type: 'integer' }, results: { type: 'array', items: { type: 'object' } } }, ['batch', 'merged', 'failed', 'results'])), ...errorResponses(400, 401, 403, 404) },
      },
    },
    '/api/quality/merge-batches/{id}/undo': {
      post: {
        operationId: 'undoMergeBatch', summary: 'Undo every merge of a bulk merge, newest first (a merge that can no longer be undone — its survivor changed, deleted or erased since — is reported and left)', tags,
        parameters: [pathParameter('id', 'The batch id')],
        responses: { '200': jsonResponse('Undone and refused merges', objectOf({ undone: stringList, refused: { type: 'array', items: { type: 'object' } }, changedSince }, ['undone', 'refused', 'changedSince'])), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/quality/merges/{id}/undo': {
      post: {
        operationId: 'undoMerge', summary: 'Undo a merge (409 once it can no longer be undone: the survivor changed, was deleted, erased or reached by a retention rule since; a re-pointed record changed since is left alone and listed in changedSince)', tags,
        description: 'An undo is a change: each merged record comes back at the version after the one deleted, with updatedAt and updatedBy of the undo (a client polling updatedAt sees it again); subscriptions get `created` with `restored: true` for it, and `updated` for the survivor and each record pointed back. Its tombstone stays in the sync feed, older than the record\'s updatedAt.',
        parameters: [pathParameter('id', 'The merge id')],
        responses: { '200': jsonResponse('Undone', objectOf({ undone: stringSchema, changedSince }, ['undone', 'changedSince'])), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/quality/{entity}/cleanse': {
      post: {
        operationId: 'cleanseRecords', summary: 'Start a background job running the entity\'s cleansing rules over its stored records: a dry run (counts per field and step, examples, records the result would break) or a commit (audited, undoable); its progress and report at the Location (GET /api/quality/cleanse-jobs/{id})', tags,
        description: 'Each record a committed job changes is sent to event subscriptions as `updated` (with `changed`), recorded with the page of records it was written in.',
        parameters: [entity],
        requestBody: jsonRequestBody(objectOf({ dryRun: { type: 'boolean', description: 'Default true' }, fields: stringList, examples: { type: 'integer', minimum: 0, maximum: 20 } })),
        responses: { '202': jsonResponse('The job, started (status running)', cleanseJob), ...errorResponses(400, 401, 403, 404) },
      },
    },
    '/api/quality/cleanse-jobs/{id}': {
      get: {
        operationId: 'getCleanseJob', summary: 'A cleansing job: its progress (counts.records of total) and report', tags,
        parameters: [pathParameter('id', 'The job id')],
        responses: { '200': jsonResponse('The job', cleanseJob), ...errorResponses(400, 401, 403, 404) },
      },
    },
    '/api/quality/cleanse-jobs/{id}/undo': {
      post: {
        operationId: 'undoCleanseJob', summary: 'Put back the documents a cleansing job changed (records changed since are listed and left alone); dryRun=true only counts', tags,
        description: 'Each record put back is a change: a new version and updatedAt, sent to event subscriptions as `updated`.',
        parameters: [pathParameter('id', 'The job id'), queryParameter('dryRun', 'true: count only')],
        responses: { '200': jsonResponse('What was (or would be) restored', objectOf({ dryRun: { type: 'boolean' }, restored: { type: 'integer' }, missing: { type: 'integer' }, changedSince: { type: 'array', items: { type: 'object' } } }, ['dryRun', 'restored', 'changedSince'])), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/quality/{entity}/report': {
      get: {
        operationId: 'qualityReport', summary: 'Data quality of an entity: completeness, invalid values, duplicate clusters, stale records, score', tags,
        parameters: [entity, queryParameter('staleDays', 'Records not updated for this many days count as stale (default 180)')],
        responses: { '200': jsonResponse('Report', objectOf({ entity: stringSchema, records: { type: 'integer' }, completeness: { type: 'object' }, invalid: { type: 'object' }, invalidExamples: { type: 'object', description: 'field → up to 5 records whose value is invalid: { id, value }' }, invalidRecords: { type: 'integer' }, duplicates: { type: 'object' }, stale: { type: 'object' }, score: { type: 'integer' } })), ...errorResponses(400, 401, 403, 404) },
      },
    },
  },
};
