// The OpenAPI operations of /api/templates (administrators): list, install, upgrade, switch a
// module, uninstall — each step with ?dryRun=1 — answered with the step report.

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, booleanFlag, closedObjectOf, errorResponses, jsonRequestBody, jsonResponse, objectOf, pathParameter, queryParameter, sharedSchemaRef,
  stringSchema,
} from '../http/openapi-fragment.ts';

const tags = ['templates'];
const name = pathParameter('name', 'The template name', { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64 });
const dryRun = queryParameter('dryRun', 'Report what the step would do, change nothing', booleanFlag);
const source: JsonSchema = { oneOf: [closedObjectOf({ directory: { type: 'string', minLength: 1, maxLength: 4096 } }, ['directory']), closedObjectOf({ archive: { type: 'string', minLength: 1, maxLength: 4096 } }, ['archive'])] };
const version: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const report = sharedSchemaRef('crm.TemplateStepReport');
const stepErrors = errorResponses(400, 401, 403, 404, 409, 415);

export const templateApi: ApiFragment = {
  schemas: {
    'crm.TemplateStepReport': objectOf({
      template: stringSchema, action: stringSchema, dryRun: { type: 'boolean' }, applied: { type: 'boolean' }, fromVersion: stringSchema, toVersion: stringSchema,
      modules: { type: 'array', items: objectOf({ name: stringSchema, on: { type: 'boolean' } }, ['name', 'on']) }, revision: { type: 'integer' },
      items: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] }, changes: { type: 'array' } }, ['kind', 'name', 'action']) },
      issues: { type: 'array' }, sharedConflicts: { type: 'array' }, overlayConflicts: { type: 'array' }, impact: { type: 'array' }, sampleData: { type: 'array' }, deletedData: { type: 'array' },
    }, ['template', 'action', 'dryRun', 'applied', 'modules', 'items', 'issues']),
  },
  paths: {
    '/api/templates': {
      get: adminOnly({
        operationId: 'listTemplates', summary: 'Bundled and installed templates, their versions and modules', tags,
        responses: { '200': jsonResponse('Templates', objectOf({ templates: { type: 'array', items: objectOf({ name: stringSchema, modules: { type: 'array' } }, ['name', 'modules']) }, unreadable: { type: 'array' } }, ['templates'])), ...errorResponses(400, 401, 403) },
      }),
    },
    '/api/templates/{name}': {
      parameters: [name],
      get: adminOnly({ operationId: 'getTemplate', summary: 'An installed template\'s state', tags, responses: { '200': jsonResponse('The state', objectOf({ name: stringSchema, version: stringSchema, modulesOn: { type: 'array', items: stringSchema } }, ['name', 'version'])), ...errorResponses(400, 401, 403, 404) } }),
      delete: adminOnly({
        operationId: 'uninstallTemplate', summary: 'Uninstall (records stay unless deleteData=1)', tags, parameters: [dryRun, queryParameter('deleteData', 'Delete the records too', booleanFlag)],
        responses: { '200': jsonResponse('The step report', report), ...errorResponses(400, 401, 403, 404, 409) },
      }),
    },
    '/api/templates/{name}/install': {
      parameters: [name],
      post: adminOnly({
        operationId: 'installTemplate', summary: 'Install a template (bundled, or from a folder or archive on the server)', tags, parameters: [dryRun],
        requestBody: jsonRequestBody(closedObjectOf({ sampleData: { type: 'boolean' }, modules: { type: 'array', maxItems: 100, items: stringSchema }, source, version }), false),
        responses: { '200': jsonResponse('Dry run, or refused (see issues)', report), '201': jsonResponse('Installed', report), ...stepErrors },
      }),
    },
    '/api/templates/{name}/upgrade': {
      parameters: [name],
      post: adminOnly({
        operationId: 'upgradeTemplate', summary: 'Upgrade to the newest bundled version or a given source', tags, parameters: [dryRun],
        requestBody: jsonRequestBody(closedObjectOf({ sampleData: { type: 'boolean' }, source, version }), false),
        responses: { '200': jsonResponse('The step report', report), ...stepErrors },
      }),
    },
    '/api/templates/{name}/modules/{module}': {
      parameters: [name, pathParameter('module', 'The module name')],
      post: adminOnly({
        operationId: 'switchTemplateModule', summary: 'Switch a module on (with the modules it needs) or off', tags, parameters: [dryRun],
        requestBody: jsonRequestBody(closedObjectOf({ enabled: { type: 'boolean' }, sampleData: { type: 'boolean' } }, ['enabled'])),
        responses: { '200': jsonResponse('The step report', report), ...stepErrors },
      }),
    },
  },
};
