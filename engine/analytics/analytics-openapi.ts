// The OpenAPI operations of the analytics routes: GET /api/aggregate/{entity} for each entity the
// caller may read, and GET /api/dashboards/{name} for every dashboard.

import { type ApiFragment, type ApiView, entitySchemaName, errorResponses, jsonResponse, objectOf, pathParameter, queryParameter, type OpenApiPathItem } from '../http/openapi-fragment.ts';

export function analyticsApi(view: ApiView): ApiFragment {
  const paths: Record<string, OpenApiPathItem> = {};
  for (const { entity } of view.entities) {
    paths[`/api/aggregate/${entity.name}`] = {
      get: {
        operationId: `aggregate${entitySchemaName(entity.name)}`, summary: 'Group and measure records within the caller\'s scope', tags: [entity.name],
        parameters: [{ ...queryParameter('spec', 'JSON: { filter?, groupBy?, measures?, having?, sort?, limit?, timeZone? } (README: Analytics)'), required: false }],
        responses: {
          '200': jsonResponse('The groups', objectOf({
            entity: { type: 'string' }, truncated: { type: 'boolean' },
            groups: { type: 'array', items: objectOf({ key: { type: 'object' }, values: { type: 'object' } }, ['key', 'values']) },
          }, ['entity', 'groups', 'truncated'])),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    };
  }
  paths['/api/dashboards/{name}'] = {
    get: {
      operationId: 'runDashboard', summary: "Every widget's figures of a dashboard, within the caller's access", tags: ['dashboards'],
      parameters: [pathParameter('name', 'The dashboard'), { ...queryParameter('filters', 'JSON: values of the dashboard\'s filters by name (README: Analytics)'), required: false }],
      responses: {
        '200': jsonResponse('The widgets', objectOf({
          name: { type: 'string' }, title: {}, timeZone: { type: 'string' }, filters: { type: 'object' },
          widgets: { type: 'object', description: 'Widget name → its figures (groups with drill filters, value, cells and totals, items, states) or its error' },
        }, ['name', 'widgets'])),
        ...errorResponses(400, 401, 404),
      },
    },
  };
  return { paths };
}
