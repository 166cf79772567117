// The OpenAPI operation of /api/sync: an entity's deleted records since an instant.

import { type ApiFragment, dateTime, errorResponses, jsonResponse, objectOf, pageLimit, pathParameter, queryParameter, stringSchema } from '../http/openapi-fragment.ts';

const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$', description: 'An ISO instant in UTC' };
const tombstone = objectOf({
  id: stringSchema, deletedAt: dateTime, by: stringSchema, version: { type: 'integer', description: 'The version deleted' },
  mergedInto: { type: 'string', description: 'Deleted by a merge: the record it went into. An undo of the merge brings the record back at the next version, with a later updatedAt' },
}, ['id', 'deletedAt', 'by']);

export const syncApi: ApiFragment = {
  paths: {
    '/api/sync/{entity}/deleted': {
      parameters: [pathParameter('entity', 'The entity')],
      get: {
        operationId: 'listDeletedRecords',
        summary: 'Records of the entity deleted since an instant, oldest first (for a client that copies records by polling updatedAt); kept 90 days; only for a caller who reads every record of the entity',
        tags: ['integration'],
        parameters: [queryParameter('since', 'From this instant (required without cursor)', instant), queryParameter('cursor', 'The nextCursor of the page before', stringSchema), queryParameter('limit', 'How many', pageLimit(1000))],
        responses: {
          '200': jsonResponse('Deleted records', objectOf({ items: { type: 'array', items: tombstone }, keptSince: dateTime, nextCursor: stringSchema }, ['items', 'keptSince'])),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  },
};
