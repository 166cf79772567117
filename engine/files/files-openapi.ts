// The OpenAPI operations of /api/files.

import { type ApiFragment, errorResponses, itemsOf, jsonResponse, objectOf, pathParameter, queryParameter, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['files'];
const file = objectOf({ id: stringSchema, name: stringSchema, contentType: stringSchema, size: { type: 'integer' }, sha256: stringSchema, entity: stringSchema, recordId: stringSchema, at: { type: 'string', format: 'date-time' } }, ['id', 'name', 'contentType', 'size', 'entity', 'recordId']);

export const filesApi: ApiFragment = {
  paths: {
    '/api/files': {
      get: {
        operationId: 'listFiles', summary: 'The files of a record (e-mail attachments, …); for whoever may read the record', tags,
        parameters: [queryParameter('entity', 'The record\'s entity'), queryParameter('recordId', 'The record\'s id')],
        responses: { '200': jsonResponse('Files', itemsOf(file)), ...errorResponses(400, 401, 404) },
      },
    },
    '/api/files/{id}': {
      parameters: [pathParameter('id', 'The file id')],
      get: {
        operationId: 'getFile', summary: 'The bytes of a file, for whoever may read its record', tags,
        responses: { '200': { description: 'The file (as an attachment, with its own content type)', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(400, 401, 404) },
      },
    },
  },
};
