// The OpenAPI operation of the inbound route: the generic path, and for administrators one path per
// inbound endpoint of the metadata (endpoint names are not shown to others).

import type { ApiFragment, ApiView } from '../http/openapi-fragment.ts';
import { errorResponses, jsonRequestBody, jsonResponse, objectOf, sharedSchemaRef, stringSchema } from '../http/openapi-fragment.ts';
import { inboundEndpointsOf } from './compile-inbound.ts';

const count = { type: 'integer' };
const itemResult = objectOf({
  index: count, pointer: stringSchema, key: stringSchema, status: { type: 'string', enum: ['applied', 'unchanged', 'failed'] },
  records: { type: 'object', additionalProperties: { type: 'array', items: objectOf({ id: stringSchema, action: { type: 'string', enum: ['created', 'updated', 'unchanged'] } }, ['id', 'action']) } },
  error: sharedSchemaRef('crm.InboundError'),
}, ['index', 'pointer', 'status']);

export function inboundApi(view: ApiView): ApiFragment {
  const responses = {
    '200': jsonResponse('Every item answered on its own', objectOf({ endpoint: stringSchema, received: count, applied: count, unchanged: count, failed: count, items: { type: 'array', items: itemResult } }, ['endpoint', 'received', 'applied', 'unchanged', 'failed', 'items'])),
    ...errorResponses(400, 401, 403, 404, 413, 415),
  };
  const paths: NonNullable<ApiFragment['paths']> = {
    '/api/inbound/{name}': {
      post: {
        operationId: 'postInbound', summary: 'A batch for an inbound endpoint (API tokens of its role only)', tags: ['integration'],
        parameters: [{ name: 'name', in: 'path', required: true, schema: stringSchema }],
        requestBody: jsonRequestBody({ description: 'The other system\'s payload, mapped by the endpoint\'s JSONata' }), responses,
      },
    },
  };
  if (!view.admin) return { paths, schemas };
  for (const endpoint of inboundEndpointsOf(view.model).values()) {
    paths[`/api/inbound/${endpoint.definition.name}`] = {
      post: {
        operationId: `inbound${endpoint.definition.name.charAt(0).toUpperCase()}${endpoint.definition.name.slice(1)}`,
        summary: `Batch for ${typeof endpoint.definition.label === 'string' ? endpoint.definition.label : (endpoint.definition.label.en ?? endpoint.definition.name)} (API tokens of role ${endpoint.definition.role})`,
        tags: ['integration'],
        requestBody: jsonRequestBody({ description: 'The other system\'s payload, mapped by the endpoint\'s JSONata' }),
        responses,
      },
    };
  }
  return { paths, schemas };
}

const schemas = { 'crm.InboundError': objectOf({ code: stringSchema, message: stringSchema, details: { type: 'array', items: objectOf({ path: stringSchema, message: stringSchema }, ['path', 'message']) } }, ['code', 'message', 'details']) };
