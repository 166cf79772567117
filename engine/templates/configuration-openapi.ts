// The OpenAPI operations of the configuration bundle (export, import with its dry run) and of the
// admin's overlays over template items.

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, booleanFlag, changedItemLabelSchema, errorResponses, jsonRequestBody, jsonResponse, objectOf, queryParameter, sharedSchemaRef, stringSchema,
} from '../http/openapi-fragment.ts';

const tags = ['metadata'];
const action = { type: 'string', enum: ['create', 'update', 'delete'] };
const jsonChange = objectOf({ path: stringSchema, before: {}, after: {} }, ['path']);
const layerRow = objectOf({
  kind: stringSchema, name: stringSchema, layer: { type: 'string', description: '"admin" (the admin\'s items and overlays) or "template:<name>" (a template\'s base)' },
  format: { type: 'string', enum: ['document', 'patch'], description: 'a whole document, or a JSON merge patch over the base' }, content: { type: 'object' },
  origin: { type: 'object' }, order: { type: 'integer' }, against: { type: 'object', description: 'For an overlay: the base it was made against' },
}, ['kind', 'name', 'layer', 'format', 'content', 'origin']);
const bundle: JsonSchema = objectOf({
  format: { type: 'string', enum: ['crm-configuration'] }, formatVersion: { type: 'integer', enum: [1] }, exportedAt: { type: 'string', format: 'date-time' },
  revision: { type: 'integer' }, engine: stringSchema,
  templates: { type: 'array', items: { type: 'object', required: ['name', 'version', 'manifest', 'items', 'modulesOn', 'order'], description: 'An installed template\'s state' } },
  layers: { type: 'array', items: layerRow },
}, ['format', 'formatVersion', 'templates', 'layers']);
const issue = objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, message: stringSchema, code: stringSchema }, ['path', 'message']);
const importReport: JsonSchema = objectOf({
  dryRun: { type: 'boolean' }, applied: { type: 'boolean' }, valid: { type: 'boolean' }, baseRevision: { type: 'integer' }, revision: { type: 'integer' },
  items: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, action, label: changedItemLabelSchema, changes: { type: 'array', items: jsonChange } }, ['kind', 'name', 'action', 'changes']) },
  layerWrites: { type: 'integer' },
  templates: { type: 'array', items: objectOf({ name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete', 'unchanged'] }, fromVersion: stringSchema, toVersion: stringSchema, modulesOn: { type: 'array', items: stringSchema } }, ['name', 'action']) },
  issues: { type: 'array', items: issue },
  impact: { type: 'array', items: sharedSchemaRef('crm.RecordImpact') },
  uniqueIndexes: { type: 'array', items: objectOf({ entity: stringSchema, fields: { type: 'array', items: stringSchema }, duplicates: { type: 'integer' }, examples: { type: 'array', items: stringSchema } }, ['entity', 'fields', 'duplicates']) },
}, ['dryRun', 'applied', 'valid', 'items', 'templates', 'issues', 'impact', 'uniqueIndexes']);

export const configurationApi: ApiFragment = {
  schemas: { 'crm.ConfigurationBundle': bundle, 'crm.ConfigurationImportReport': importReport },
  paths: {
    '/api/meta/bundle': {
      get: adminOnly({
        operationId: 'exportConfiguration', summary: 'The whole metadata as one bundle: every item of every kind in every layer (templates\' bases, the admin\'s overlays) and the installed templates\' state', tags,
        responses: { '200': jsonResponse('The bundle (sent as an attachment)', sharedSchemaRef('crm.ConfigurationBundle')), ...errorResponses(400, 401, 403) },
      }),
      post: adminOnly({
        operationId: 'importConfiguration', summary: 'Make this instance\'s metadata and template state the bundle\'s, as one revision (records stay); dryRun=1 reports the item diffs, issues and the records it would break', tags,
        parameters: [
          queryParameter('dryRun', 'Report what the import would do, change nothing', booleanFlag),
          queryParameter('baseRevision', 'Required without dryRun: the baseRevision of the dry run shown; a 409 if the metadata moved since', { type: 'string', pattern: '^[0-9]+$' }),
        ],
        requestBody: jsonRequestBody(sharedSchemaRef('crm.ConfigurationBundle')),
        responses: { '200': jsonResponse('The import report (dry or applied)', sharedSchemaRef('crm.ConfigurationImportReport')), ...errorResponses(400, 401, 403, 409, 413, 415) },
      }),
    },
    '/api/meta/overlays': {
      get: adminOnly({
        operationId: 'listAdminOverlays', summary: 'The admin\'s overlays over template items, each beside the templates\' base; and the admin\'s own items', tags,
        responses: {
          '200': jsonResponse('Overlays', objectOf({
            items: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, templates: { type: 'array', items: stringSchema }, base: { type: 'object' }, overlay: { type: 'object' }, effective: { type: 'object' }, changes: { type: 'array', items: jsonChange }, dormant: { type: 'boolean' } }, ['kind', 'name', 'templates', 'overlay', 'changes', 'dormant']) },
            adminItems: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema }, ['kind', 'name']) },
          }, ['items', 'adminItems'])),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
  },
};
