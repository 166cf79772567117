// The OpenAPI operations of /api/privacy (administrators): subject export and erasure.

import { adminOnly, type ApiFragment, closedObjectOf, dateTime, errorResponses, jsonRequestBody, jsonResponse, objectOf, queryParameter, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['privacy'];

export const privacyApi: ApiFragment = {
  paths: {
    '/api/privacy/export': {
      get: adminOnly({
        operationId: 'exportSubject', summary: 'Every record holding a person\'s data, with its history', tags,
        parameters: [{ ...queryParameter('email', 'The person\'s e-mail (or other subject identifier)', { type: 'string', minLength: 1, maxLength: 320 }), required: true }],
        responses: {
          '200': jsonResponse('The export', objectOf({
            subject: stringSchema, generatedAt: dateTime,
            records: { type: 'array', items: objectOf({ entity: stringSchema, id: stringSchema, relation: { type: 'string', enum: ['subject', 'linked'] }, personalFields: { type: 'array', items: stringSchema } }, ['entity', 'id', 'relation']) },
          }, ['subject', 'records'])),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
    '/api/privacy/erase': {
      post: adminOnly({
        operationId: 'eraseSubject', summary: 'Anonymize or delete a person\'s records, by each entity\'s policy', tags,
        requestBody: jsonRequestBody(closedObjectOf({ email: { type: 'string', minLength: 1, maxLength: 320 } }, ['email'])),
        responses: { '200': jsonResponse('What was erased', objectOf({ erased: { type: 'array', items: { type: 'object' } }, uploadsRemoved: { type: 'integer', description: 'Import uploads deleted: those whose jobs created or updated an erased record' }, uploadsKept: { type: 'array', description: 'Such uploads left in place: a job still runs on it, or the file system refused to delete it (logged, and marked file.removalFailed on its jobs)', items: objectOf({ upload: { type: 'string' }, jobs: { type: 'array', items: { type: 'string' } }, reason: { type: 'string', enum: ['running', 'removalFailed'] } }, ['upload', 'jobs', 'reason']) } }, ['erased', 'uploadsRemoved', 'uploadsKept'])), ...errorResponses(400, 401, 403, 415) },
      }),
    },
  },
};
