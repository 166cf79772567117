// The OpenAPI operations of /api/files.

import { type ApiFragment, errorResponses, itemsOf, jsonResponse, locationHeader, objectOf, pathParameter, queryParameter, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['files'];
const file = objectOf(
  {
    id: stringSchema, name: stringSchema, contentType: stringSchema, size: { type: 'integer' }, sha256: stringSchema, entity: stringSchema, recordId: stringSchema, at: { type: 'string', format: 'date-time' },
    field: { type: 'string', description: 'The `file` field it belongs to (absent for e-mail attachments)' },
    pending: { type: 'boolean', description: 'Uploaded, not yet written into its field by a record write' },
    expiresAt: { type: 'string', format: 'date-time', description: 'When a pending upload is deleted unless a record claims it' },
  },
  ['id', 'name', 'contentType', 'size', 'entity'],
);

export const filesApi: ApiFragment = {
  paths: {
    '/api/files': {
      get: {
        operationId: 'listFiles', summary: 'The files of a record (e-mail attachments, file fields the caller may read); for whoever may read the record', tags,
        parameters: [queryParameter('entity', 'The record\'s entity'), queryParameter('recordId', 'The record\'s id')],
        responses: { '200': jsonResponse('Files', itemsOf(file)), ...errorResponses(400, 401, 404) },
      },
      post: {
        operationId: 'uploadFile',
        summary: 'Upload one file for a `file` field: the raw bytes as the body, its media type as Content-Type and its name (percent-encoded UTF-8) as X-File-Name. Streamed to storage; refused while streaming past the field\'s maxSize (413) or for a type the field does not take (415). The file stays pending until a record write puts its id into the field; unclaimed, it is deleted after 24 hours',
        tags,
        parameters: [
          { ...queryParameter('entity', 'The entity of the record the file is for'), required: true },
          { ...queryParameter('field', 'The `file` field'), required: true },
          queryParameter('recordId', 'The record, when it exists already (the caller must be allowed to update it); omitted for a record still to be created'),
          { name: 'X-File-Name', in: 'header', required: true, description: 'The file name, percent-encoded UTF-8', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '201': jsonResponse('The pending file', file, locationHeader), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    '/api/files/{id}': {
      parameters: [pathParameter('id', 'The file id')],
      get: {
        operationId: 'getFile', summary: 'The bytes of a file, as an attachment (active content never inline), for whoever may read its record and field (a pending upload: its uploader)', tags,
        responses: { '200': { description: 'The file (as an attachment, with its own content type)', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(400, 401, 404) },
      },
    },
  },
};
