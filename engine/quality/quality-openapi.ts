// The OpenAPI operations of /api/quality: duplicate scan, merge and its undo, data quality report.

import type { JsonSchema } from '../fields/field-type.ts';
import { type ApiFragment, errorResponses, itemsOf, jsonRequestBody, jsonResponse, objectOf, pathParameter, queryParameter, sharedSchemaRef, stringList, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['quality'];
const entity = pathParameter('entity', 'The entity name');
const cluster: JsonSchema = objectOf({
  rule: stringSchema, score: { type: 'number', description: 'Least pair score (1 = equal after folding)' }, ids: stringList,
  pairs: { type: 'array', items: objectOf({ a: stringSchema, b: stringSchema, score: { type: 'number' } }, ['a', 'b', 'score']) },
}, ['rule', 'score', 'ids', 'pairs']);

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
        operationId: 'mergeRecords', summary: 'Merge records into a survivor: chosen values kept, references and history re-pointed, one audit entry', tags,
        parameters: [entity],
        requestBody: jsonRequestBody(objectOf({ survivor: stringSchema, merged: stringList, values: { type: 'object', additionalProperties: stringSchema, description: 'field → the id whose value the survivor keeps' } }, ['survivor', 'merged'])),
        responses: { '200': jsonResponse('Merged', objectOf({ record: { type: 'object' }, merge: { ...stringSchema, description: 'The merge id (to undo it)' } }, ['record', 'merge'])), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/quality/merges/{id}/undo': {
      post: {
        operationId: 'undoMerge', summary: 'Undo a merge (refused when the survivor changed since)', tags,
        parameters: [pathParameter('id', 'The merge id')],
        responses: { '200': jsonResponse('Undone', objectOf({ undone: stringSchema })), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    '/api/quality/{entity}/report': {
      get: {
        operationId: 'qualityReport', summary: 'Data quality of an entity: completeness, invalid values, duplicate clusters, stale records, score', tags,
        parameters: [entity, queryParameter('staleDays', 'Records not updated for this many days count as stale (default 180)')],
        responses: { '200': jsonResponse('Report', objectOf({ entity: stringSchema, records: { type: 'integer' }, completeness: { type: 'object' }, invalid: { type: 'object' }, invalidRecords: { type: 'integer' }, duplicates: { type: 'object' }, stale: { type: 'object' }, score: { type: 'integer' } })), ...errorResponses(400, 401, 403, 404) },
      },
    },
  },
};
