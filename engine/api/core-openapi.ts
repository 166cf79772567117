// The OpenAPI path items of the core's own routes: the placeholder page, health, the generated
// documents, and metadata (kinds, items, dry run, apply, revisions).

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, booleanFlag, errorResponses, itemsOf, jsonRequestBody, jsonResponse, noSecurity, objectOf, pathParameter, queryParameter, sharedSchemaRef, stringSchema,
} from '../http/openapi-fragment.ts';
import { allKinds } from '../kinds/registry.ts';

const tags = ['metadata'];
const itemIfMatch = {
  name: 'If-Match', in: 'header', required: false, schema: { type: 'string' },
  description: 'The ETag of the item as you read it (GET), or * for an item that must exist; an item changed since (or absent) gets 412.',
};
const itemEtag = { ETag: { description: 'The item\'s entity tag, for If-Match on PUT and DELETE', schema: stringSchema } };
const change = objectOf({ kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] } }, ['kind', 'name', 'action']);
const applied = objectOf({ revision: { type: 'integer' }, changes: { type: 'array', items: change } }, ['revision']);
const metadataDocument: JsonSchema = {
  type: 'object', required: ['kind', 'name'], properties: { kind: stringSchema, name: stringSchema },
  description: 'A metadata document (schemas/{kind}.schema.json)',
};
const changeRequest: JsonSchema = {
  oneOf: [
    metadataDocument,
    { type: 'array', items: metadataDocument },
    {
      type: 'object', required: ['documents'],
      properties: { documents: { type: 'array', items: metadataDocument }, remove: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema }, ['kind', 'name']) } },
    },
  ],
};
const kindParameter = pathParameter('kind', 'A metadata kind', { type: 'string', enum: allKinds().map((k) => k.plural) });
const nameParameter = pathParameter('name', 'The item\'s name');
const revisionParameter = pathParameter('n', 'A revision number', { type: 'string', pattern: '^[0-9]+$' });
const localizedText: JsonSchema = { oneOf: [stringSchema, objectOf({ en: stringSchema, zh: stringSchema })], description: 'One text, or one per language' };
const itemLabel = { ...localizedText, description: 'The item\u2019s label (its title for a template) as it is after the change, or was before a delete; absent when it has none' };
/** What wrote a revision, as data to show in the reader's language; one schema for the list and for one revision. */
const revisionOperationSchemaName = 'crm.RevisionOperation';
const revisionOperationSchema: JsonSchema = {
  description: 'The operation that wrote the revision; absent for a plain change of items (designers, the metadata API)',
  oneOf: [
    objectOf({
      type: { const: 'template' }, template: stringSchema,
      action: { type: 'string', enum: ['install', 'upgrade', 'enableModule', 'disableModule', 'uninstall'] },
      version: { ...stringSchema, description: 'The version installed or upgraded to' }, title: { ...localizedText, description: 'The template\u2019s title' },
      module: { ...stringSchema, description: 'The module switched on or off (enableModule, disableModule)' }, moduleLabel: { ...localizedText, description: 'That module\u2019s label' },
    }, ['type', 'template', 'action']),
    objectOf({ type: { const: 'renameEntity' }, from: stringSchema, to: stringSchema }, ['type', 'from', 'to']),
    objectOf({ type: { const: 'renameField' }, entity: stringSchema, field: stringSchema, to: stringSchema }, ['type', 'entity', 'field', 'to']),
    objectOf({ type: { const: 'changeFieldType' }, entity: stringSchema, field: stringSchema, from: stringSchema, to: stringSchema }, ['type', 'entity', 'field', 'from', 'to']),
    objectOf({ type: { const: 'importConfiguration' }, exportedAt: stringSchema, revision: { type: 'integer', description: 'The revision the bundle was exported at' } }, ['type', 'exportedAt', 'revision']),
    objectOf({ type: { const: 'revert' }, revision: { type: 'integer', description: 'The revision the metadata was brought back to' } }, ['type', 'revision']),
  ],
};
const revisionOperation = sharedSchemaRef(revisionOperationSchemaName);
const revisionMessage = { ...stringSchema, description: 'What the revision did, as one English line (kept for older clients): show `operation` and the items\u2019 labels in the reader\u2019s language instead' };
const describedChange = objectOf({ kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] }, label: itemLabel }, ['kind', 'name', 'action']);
const revision = objectOf({ revision: { type: 'integer' }, at: { type: 'string' }, by: stringSchema, message: revisionMessage, operation: revisionOperation, changes: { type: 'array', items: describedChange } }, ['revision', 'at', 'by', 'changes']);
/** One leaf-level difference, by JSON pointer (absent before: added; absent after: removed). */
const jsonChange = objectOf({ path: stringSchema, before: {}, after: {} }, ['path']);
const diffedChange = objectOf({
  kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] }, label: itemLabel,
  before: { ...metadataDocument, description: 'The item before (absent when created)' }, after: { ...metadataDocument, description: 'The item after (absent when deleted)' },
  diff: { type: 'array', items: jsonChange, description: 'The change pointer by pointer (at most 200)' },
}, ['kind', 'name', 'action', 'diff']);
const issue = objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, message: stringSchema, code: stringSchema }, ['path', 'message']);
/** Shared by every dry run (metadata, templates, configuration bundles): what a change does to an entity's stored records. */
export const recordImpactSchemaName = 'crm.RecordImpact';
const recordImpactSchema = objectOf({
  entity: stringSchema, records: { type: 'integer' }, invalid: { type: 'integer', description: 'Records the new rules would refuse on their next write' },
  examples: { type: 'array', items: objectOf({ id: stringSchema, issues: { type: 'array', items: objectOf({ path: stringSchema, message: stringSchema }, ['path', 'message']) } }, ['id', 'issues']) },
  removedFields: { type: 'array', description: 'Fields the change removes, each with the records holding a value for it: applying the change removes those values from the records (the audit trail keeps them). Absent when none is removed', items: objectOf({ field: stringSchema, records: { type: 'integer' } }, ['field', 'records']) },
  stateMoves: {
    type: 'array', description: 'Records the change puts in a workflow state: those without a value start in a new workflow\'s initial state (no `from`); those in a removed state move as its stateMapping says. Absent when none moves',
    items: objectOf({ entity: stringSchema, workflow: stringSchema, field: stringSchema, from: stringSchema, to: stringSchema, records: { type: 'integer' } }, ['entity', 'workflow', 'field', 'to', 'records']),
  },
  unchecked: { type: 'integer', description: 'Records whose formulas, defaults and rules were not evaluated: an expression ran too long on an earlier record (its example says where), so the rest were checked against the schema alone. Absent when every record was' },
}, ['entity', 'records', 'invalid', 'examples']);
const recordImpact = sharedSchemaRef(recordImpactSchemaName);
const uniqueIndexClash = objectOf({ entity: stringSchema, fields: { type: 'array', items: stringSchema }, duplicates: { type: 'integer' }, examples: { type: 'array', items: stringSchema } }, ['entity', 'fields', 'duplicates', 'examples']);
const revertDryRun = objectOf({
  valid: { type: 'boolean' }, baseRevision: { type: 'integer' }, issues: { type: 'array', items: issue },
  changes: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, action: { type: 'string', enum: ['create', 'update', 'delete'] }, label: itemLabel, diff: { type: 'array', items: jsonChange } }, ['kind', 'name', 'action', 'diff']) },
  impact: { type: 'array', items: recordImpact }, uniqueIndexes: { type: 'array', items: uniqueIndexClash },
}, ['valid', 'baseRevision', 'issues', 'changes', 'impact', 'uniqueIndexes']);

const usagesResponse = objectOf({
  revision: { type: 'integer' },
  target: objectOf({ kind: stringSchema, name: stringSchema, field: stringSchema }, ['kind', 'name']),
  usages: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema }, ['kind', 'name', 'path']) },
}, ['revision', 'target', 'usages']);

const readiness = objectOf({ status: { type: 'string', enum: ['ready', 'not ready'] }, checks: { type: 'object', additionalProperties: stringSchema, propertyNames: { pattern: '^[a-z]+$' }, description: 'Each check: ok, or why not' } }, ['status', 'checks']);

export const coreApi: ApiFragment = {
  schemas: { [recordImpactSchemaName]: recordImpactSchema, [revisionOperationSchemaName]: revisionOperationSchema },
  paths: {
    '/': {
      get: {
        operationId: 'home', summary: 'The studio (its start page)', tags: ['meta'], ...noSecurity,
        responses: { '200': { description: 'An HTML page', content: { 'text/html': { schema: stringSchema } } }, '503': { description: 'The studio is not built (npm run build)', content: { 'text/plain': { schema: stringSchema } } } },
      },
    },
    '/api/health': {
      get: {
        operationId: 'health', summary: 'Whether the server is up, its version, store and metadata revision', tags: ['meta'], ...noSecurity,
        responses: { '200': jsonResponse('Up', objectOf({ status: { const: 'ok' }, version: stringSchema, store: stringSchema, revision: { type: 'integer' } }, ['status', 'version', 'store', 'revision'])) },
      },
    },
    '/api/ready': {
      get: {
        operationId: 'ready', summary: 'Whether the server can serve: store reachable, migrations done, scheduler running, not shutting down', tags: ['meta'], ...noSecurity,
        responses: {
          '200': jsonResponse('Ready', readiness),
          '503': jsonResponse('Not ready (the failing checks say why)', readiness),
          ...errorResponses(400),
        },
      },
    },
    '/api/metrics': {
      get: adminOnly({
        operationId: 'metrics', summary: 'Prometheus metrics: requests by route template and status, latency, store time, job queue depth and lag, delivery failures, event-loop delay (administrators, or a bearer CRM_METRICS_TOKEN)', tags: ['meta'],
        responses: { '200': { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: stringSchema } } }, ...errorResponses(400, 401, 403) },
      }),
    },
    '/api/openapi.json': {
      get: { operationId: 'openApiDocument', summary: 'This document, narrowed to what the caller may use', tags: ['meta'], responses: { '200': jsonResponse('The OpenAPI 3.1 document', { type: 'object' }), ...errorResponses(400, 401) } },
    },
    '/api/types.ts': {
      get: {
        operationId: 'typeDeclarations', summary: 'TypeScript types of the entities the caller may read', tags: ['meta'],
        responses: { '200': { description: 'TypeScript declarations', content: { 'text/plain': { schema: stringSchema } } }, ...errorResponses(400, 401) },
      },
    },
    '/api/meta/revisions': {
      get: adminOnly({
        operationId: 'listRevisions', summary: 'Metadata revisions, newest first, a page at a time: each with the operation that wrote it and its items with their labels', tags,
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'Revisions per page (default and at most 1000)' },
          { name: 'before', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'Only revisions older than this one: the previous page\u2019s next' },
        ],
        responses: { '200': jsonResponse('Revisions', itemsOf(revision, { next: { type: ['integer', 'null'], description: 'Ask again with before= it for older revisions; null on the last page' } })), ...errorResponses(400, 401, 403) },
      }),
    },
    '/api/meta/revisions/{n}/diff': {
      parameters: [revisionParameter],
      get: adminOnly({
        operationId: 'revisionDiff', summary: 'What a revision changed, item by item: each item before and after, and its diff pointer by pointer', tags,
        responses: { '200': jsonResponse('The revision', objectOf({ revision: { type: 'integer' }, at: { type: 'string' }, by: stringSchema, message: revisionMessage, operation: revisionOperation, changes: { type: 'array', items: diffedChange } }, ['revision', 'at', 'by', 'changes'])), ...errorResponses(400, 401, 403, 404) },
      }),
    },
    '/api/meta/revisions/{n}/revert': {
      parameters: [revisionParameter],
      post: adminOnly({
        operationId: 'revertRevision', summary: 'Bring the metadata back to a revision (as a new revision); with dryRun=1, what that would change and break, applying nothing', tags,
        parameters: [queryParameter('dryRun', 'Report what the revert would do (item diffs, issues, records it would break, unique-index clashes), change nothing', booleanFlag)],
        responses: { '200': jsonResponse('Reverted, or (dryRun=1) the dry run', { oneOf: [applied, revertDryRun] }), ...errorResponses(400, 401, 403, 404, 409) },
      }),
    },
    '/api/meta/validate': {
      post: adminOnly({
        operationId: 'validateMetadata', summary: 'Dry run: every issue of a change, and the records it would invalidate', tags,
        requestBody: jsonRequestBody(changeRequest),
        responses: {
          '200': jsonResponse('The verdict', objectOf({
            valid: { type: 'boolean' }, baseRevision: { type: 'integer' },
            issues: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema, message: stringSchema, code: stringSchema }, ['path', 'message']) },
            changes: { type: 'array', items: change }, impact: { type: 'array', items: recordImpact }, uniqueIndexes: { type: 'array', items: { type: 'object' } },
          }, ['valid', 'issues', 'changes', 'impact'])),
          ...errorResponses(400, 401, 403, 413, 415),
        },
      }),
    },
    '/api/meta/usages/{kind}/{name}': {
      parameters: [kindParameter, nameParameter],
      get: adminOnly({
        operationId: 'listMetadataUsages', summary: 'Every item that refers to an item: what deleting or renaming it touches', tags,
        responses: { '200': jsonResponse('The usages, each at its JSON pointer', usagesResponse), ...errorResponses(400, 401, 403, 404) },
      }),
    },
    '/api/meta/usages/{kind}/{name}/{field}': {
      parameters: [kindParameter, nameParameter, pathParameter('field', 'A field of the entity')],
      get: adminOnly({
        operationId: 'listFieldUsages', summary: 'Every item that refers to one field of an entity (lookup paths through other entities included)', tags,
        responses: { '200': jsonResponse('The usages, each at its JSON pointer', usagesResponse), ...errorResponses(400, 401, 403, 404) },
      }),
    },
    '/api/meta/apply': {
      post: adminOnly({
        operationId: 'applyMetadata', summary: 'Apply several documents (and removals) as one revision', tags, requestBody: jsonRequestBody(changeRequest),
        responses: { '200': jsonResponse('Applied', applied), ...errorResponses(400, 401, 403, 409, 413, 415) },
      }),
    },
    '/api/meta/{kind}': {
      parameters: [kindParameter],
      get: {
        operationId: 'listMetadata', summary: 'The items of a kind the caller may see', tags,
        responses: {
          '200': jsonResponse('Items', itemsOf(objectOf({ name: stringSchema, origin: {}, layers: {}, definition: metadataDocument }, ['name', 'definition']), { revision: { type: 'integer' } }, ['revision'])),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    '/api/meta/forms/{name}/logic': {
      parameters: [nameParameter],
      get: {
        operationId: 'getFormLogic', summary: 'A form\'s conditions (visibleWhen, requiredWhen, readOnlyWhen) as the server evaluates them on writes naming the form', tags,
        responses: { '200': jsonResponse('The form\'s logic', { type: 'object' }), ...errorResponses(400, 401, 404) },
      },
    },
    '/api/meta/{kind}/{name}': {
      parameters: [kindParameter, nameParameter],
      get: {
        operationId: 'getMetadata', summary: 'One item, cut to what the caller may see', tags,
        responses: { '200': jsonResponse('The item', metadataDocument, { 'X-CRM-Origin': { description: 'Where the item comes from (admins; JSON)', schema: stringSchema }, ...itemEtag }), ...errorResponses(400, 401, 404) },
      },
      put: adminOnly({
        operationId: 'putMetadata', summary: 'Create or replace an item (a new revision)', tags, parameters: [itemIfMatch], requestBody: jsonRequestBody(metadataDocument),
        responses: { '200': jsonResponse('Replaced', applied, itemEtag), '201': jsonResponse('Created', applied, itemEtag), ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415) },
      }),
      delete: adminOnly({ operationId: 'deleteMetadata', summary: 'Remove an item (a new revision)', tags, parameters: [itemIfMatch], responses: { '200': jsonResponse('Removed', objectOf({ revision: { type: 'integer' } }, ['revision'])), ...errorResponses(400, 401, 403, 404, 409, 412) } }),
    },
  },
};
