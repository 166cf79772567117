// The OpenAPI operation of /api/studio: the caller's menu.

import { type ApiFragment, errorResponses, jsonResponse, objectOf } from '../http/openapi-fragment.ts';

const names = { type: 'array', items: { type: 'string' } };
const label = { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] };

export const studioApi: ApiFragment = {
  paths: {
    '/api/studio/navigation': {
      get: {
        operationId: 'getNavigation',
        summary: "The signed-in user's menu: installed modules with the entities, views and dashboards they may read, what they may do with each entity, and the dashboard they land on",
        tags: ['studio'],
        responses: {
          '200': jsonResponse('The menu at the current metadata revision', objectOf({
            revision: { type: 'integer' },
            groups: { type: 'array', items: objectOf({ key: { type: 'string' }, label, entities: names, views: names, dashboards: names }, ['key', 'label', 'entities', 'views', 'dashboards']) },
            access: {
              type: 'object',
              description: 'Per entity the caller may read: the actions its roles grant on some records at least (whether one record is in scope is answered per request)',
              additionalProperties: { type: 'array', items: { type: 'string', enum: ['read', 'create', 'update', 'delete', 'reassign'] } },
            },
            home: { type: 'string', description: "The dashboard the caller lands on after sign-in: their role's own, else an installed template's home, among those they may read; absent when none" },
            currency: { type: 'string', pattern: '^[A-Z]{3}$', description: "The organisation's currency (CRM_CURRENCY, ISO 4217): amounts of fields that name no currency are in it; absent when unset" },
          }, ['revision', 'groups', 'access'])),
          ...errorResponses(400, 401),
        },
      },
    },
  },
};
