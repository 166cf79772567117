// The OpenAPI operations of the analytics routes: GET /api/aggregate/{entity} for each entity the
// caller may read, and GET /api/dashboards/{name} for every dashboard.

import { adminOnly, type ApiFragment, type ApiView, entitySchemaName, errorResponses, jsonResponse, objectOf, pathParameter, queryParameter, type OpenApiPathItem } from '../http/openapi-fragment.ts';

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
  paths['/api/reports/{name}'] = {
    get: {
      operationId: 'runReport', summary: 'A saved report within the caller\'s access: grouped rows with subtotals, or a list of records', tags: ['reports'],
      parameters: [pathParameter('name', 'The report'), { ...queryParameter('format', 'json (default), csv or xlsx (formula cells neutralized)', { enum: ['json', 'csv', 'xlsx'] }), required: false }],
      responses: {
        '200': {
          description: 'The report',
          content: {
            'application/json': { schema: objectOf({
              report: { type: 'string' }, entity: { type: 'string' }, truncated: { type: 'boolean' },
              columns: { type: 'array', items: objectOf({ name: { type: 'string' }, label: { type: 'string' } }, ['name', 'label']) },
              rows: { type: 'array', items: objectOf({ type: { enum: ['row', 'subtotal', 'total'] }, level: { type: 'integer' }, cells: { type: 'object' } }, ['type', 'cells']) },
            }, ['report', 'entity', 'columns', 'rows', 'truncated']) },
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    },
  };
  const weekly = (extra: Record<string, unknown>) => ({ type: 'array', items: objectOf({ week: { type: 'string' }, created: { type: 'integer' }, edited: { type: 'integer' }, transitions: { type: 'integer' }, ...extra }) });
  paths['/api/adoption'] = {
    get: adminOnly({
      operationId: 'getAdoption', summary: 'Records created and edited per user, role and week, active users, workflow throughput and time in state', tags: ['adoption'],
      parameters: [queryParameter('from', 'First local day (YYYY-MM-DD); 8 weeks before `to` by default'), queryParameter('to', 'Last local day (YYYY-MM-DD); today by default')],
      responses: {
        '200': jsonResponse('Adoption figures', objectOf({
          from: { type: 'string' }, to: { type: 'string' }, timeZone: { type: 'string' },
          weeks: weekly({ activeUsers: { type: 'integer' } }),
          users: weekly({ user: { type: 'string' }, email: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } }),
          roles: weekly({ role: { type: 'string' }, activeUsers: { type: 'integer' } }),
          workflows: { type: 'array', items: objectOf({ workflow: { type: 'string' }, week: { type: 'string' }, transitions: { type: 'integer' } }) },
          timeInState: { type: 'array', items: objectOf({ workflow: { type: 'string' }, states: {} }) },
        }, ['from', 'to', 'weeks', 'users', 'roles', 'workflows', 'timeInState'])),
        ...errorResponses(400, 401, 403),
      },
    }),
  };
  const segmentName = pathParameter('name', 'The segment');
  paths['/api/segments/{name}/refresh'] = {
    post: adminOnly({
      operationId: 'refreshSegment', summary: 'Recompute a segment\'s membership now', tags: ['segments'], parameters: [segmentName],
      responses: { '200': jsonResponse('The run', objectOf({ segment: { type: 'string' }, computedAt: { type: 'string' }, count: { type: 'integer' }, joined: { type: 'integer' }, left: { type: 'integer' } }, ['segment', 'computedAt', 'count'])), ...errorResponses(400, 401, 403, 404) },
    }),
  };
  paths['/api/segments/{name}/members'] = {
    get: {
      operationId: 'listSegmentMembers', summary: 'Members of a segment the caller may read, with their scores', tags: ['segments'],
      parameters: [segmentName, queryParameter('limit', 'At most this many (1–1000, default 100)'), queryParameter('after', 'The `next` of the previous page')],
      responses: {
        '200': jsonResponse('A page of members', objectOf({
          segment: { type: 'string' }, entity: { type: 'string' }, computedAt: { type: ['string', 'null'] }, count: { type: 'integer' }, next: { type: ['string', 'null'] },
          members: { type: 'array', items: objectOf({ record: { type: 'string' }, r: { type: 'integer' }, f: { type: 'integer' }, m: { type: 'integer' }, recencyDays: { type: ['integer', 'null'] }, frequency: { type: 'integer' }, monetary: { type: 'number' }, since: { type: 'string' } }, ['record']) },
        }, ['segment', 'members'])),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  };
  return { paths };
}
