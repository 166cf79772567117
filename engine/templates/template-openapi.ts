// The OpenAPI operations of /api/templates (administrators): list, install, upgrade, switch a
// module, uninstall — each step with ?dryRun=1 — answered with the step report.

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, booleanFlag, changedItemLabelSchema, closedObjectOf, errorResponses, jsonRequestBody, jsonResponse, objectOf, pathParameter, queryParameter, sharedSchemaRef,
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
      items: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] }, label: changedItemLabelSchema, changes: { type: 'array', items: objectOf({ path: stringSchema, before: {}, after: {} }, ['path']) } }, ['kind', 'name', 'action', 'changes']) },
      issues: { type: 'array', description: 'Why the step is refused (empty when it can be applied)', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, message: stringSchema, code: stringSchema }, ['path', 'message']) },
      sharedConflicts: { type: 'array', description: 'Values two templates sharing an item disagree on', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, installedBy: stringSchema, incomingBy: stringSchema, installed: {}, incoming: {}, resolution: { type: 'string', enum: ['refused', 'installedKept'] } }, ['kind', 'name', 'path', 'resolution']) },
      overlayConflicts: { type: 'array', description: 'Where the admin\'s overlay and the new base disagree, and how each resolves', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, type: { type: 'string', enum: ['bothChanged', 'bothAdded', 'removedByTemplate'] }, resolution: { type: 'string', enum: ['overlayKept', 'overlayDropped'] }, overlay: {}, previousBase: {}, newBase: {} }, ['kind', 'name', 'path', 'type', 'resolution']) },
      impact: { type: 'array', description: 'Per changed entity: its records and how many the new rules would refuse on their next write', items: sharedSchemaRef('crm.RecordImpact') },
      uniqueIndexes: { type: 'array', description: 'New unique indexes over values records already share (each also an issue)', items: objectOf({ entity: stringSchema, fields: { type: 'array', items: stringSchema }, duplicates: { type: 'integer' }, examples: { type: 'array', items: stringSchema } }, ['entity', 'fields', 'duplicates']) },
      sampleData: { type: 'array', items: objectOf({ entity: stringSchema, file: stringSchema, records: { type: 'integer' }, loaded: { type: 'integer' }, skipped: { type: 'integer' } }, ['entity', 'records', 'loaded', 'skipped']) },
      deletedData: { type: 'array', items: objectOf({ entity: stringSchema, records: { type: 'integer' } }, ['entity', 'records']) },
    }, ['template', 'action', 'dryRun', 'applied', 'modules', 'items', 'issues', 'sharedConflicts', 'overlayConflicts', 'impact', 'uniqueIndexes', 'sampleData', 'deletedData']),
  },
  paths: {
    '/api/templates': {
      get: adminOnly({
        operationId: 'listTemplates', summary: 'Bundled and installed templates, their versions and modules', tags,
        responses: {
          '200': jsonResponse('Templates', objectOf({
            templates: { type: 'array', items: objectOf({
              name: stringSchema, title: {}, description: {},
              available: { type: 'array', items: objectOf({ version: stringSchema, directory: stringSchema, origin: { type: 'string', enum: ['bundled', 'uploaded'] } }, ['version', 'directory', 'origin']) },
              installed: { type: 'object' }, upgradeTo: stringSchema,
              modules: { type: 'array', items: objectOf({ name: stringSchema, label: {}, description: {}, order: { type: 'integer' }, dependsOn: { type: 'array', items: stringSchema }, enabledByDefault: { type: 'boolean' }, on: { type: 'boolean' }, items: { type: 'object' } }, ['name', 'on']) },
            }, ['name', 'available', 'modules']) },
            unreadable: { type: 'array' },
          }, ['templates'])),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
    '/api/templates/uploads': {
      post: adminOnly({
        operationId: 'uploadTemplate', summary: 'Upload a template package (.tgz, the raw body; at most 50 MB): checked, unpacked and kept; it is then listed among the available versions with origin "uploaded", and installed or upgraded to with source { directory }', tags,
        requestBody: { required: true, content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          '201': jsonResponse('Kept', objectOf({ name: stringSchema, version: stringSchema, title: {}, directory: stringSchema, modules: { type: 'array' } }, ['name', 'version', 'directory', 'modules'])),
          ...errorResponses(400, 401, 403, 404, 413),
        },
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
