// The OpenAPI operations of /api/public: published web forms, open to anyone.

import { type ApiFragment, closedObjectOf, errorResponses, jsonRequestBody, jsonResponse, noSecurity, objectOf, pathParameter, retryAfterHeader, stringSchema } from '../http/openapi-fragment.ts';

const label = { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] };
const name = pathParameter('name', 'The form\'s name (a form with `publish`)');

export const webFormsApi: ApiFragment = {
  paths: {
    '/api/public/forms/{name}': {
      get: {
        operationId: 'getPublicForm',
        summary: 'A published web form as a visitor sees it: its writable fields and their definitions, its texts (no sign-in)',
        tags: ['web forms'],
        ...noSecurity,
        parameters: [name],
        responses: {
          '200': jsonResponse('The form', objectOf({
            name: stringSchema,
            title: label,
            intro: label,
            thankYou: label,
            entity: objectOf({ name: stringSchema, label, fields: { type: 'object', additionalProperties: { type: 'object' } } }, ['name', 'fields']),
            form: { type: 'object', description: 'The form document with only its writable fields and no related lists' },
          }, ['name', 'title', 'entity', 'form'])),
          ...errorResponses(400, 404),
        },
      },
    },
    '/api/public/forms/{name}/submissions': {
      post: {
        operationId: 'submitPublicForm',
        summary: 'Submit a published web form: creates a record through the same validation, form logic and triggers (no sign-in; rate-limited per address)',
        tags: ['web forms'],
        ...noSecurity,
        parameters: [name],
        requestBody: jsonRequestBody(closedObjectOf({
          values: { type: 'object', description: 'Values of the form\'s writable fields only; any other field is refused at /values/{field}' },
          honeypot: { type: 'string', description: 'An input people never see: a filled one is refused (400 at /honeypot)' },
        }, ['values'])),
        responses: {
          '201': jsonResponse('Accepted: the record was created', objectOf({ status: { type: 'string', enum: ['accepted'] } }, ['status'])),
          '429': { ...(errorResponses(429)['429'] as object), headers: retryAfterHeader },
          ...errorResponses(400, 404, 409, 413, 415),
        },
      },
    },
  },
};
