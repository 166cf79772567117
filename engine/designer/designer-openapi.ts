// The OpenAPI operations of designer/: a field's type change with its preview, a computed field's
// value on a sample record.

import { adminOnly, type ApiFragment, errorResponses, jsonRequestBody, jsonResponse, objectOf, stringSchema } from '../http/openapi-fragment.ts';

const tags = ['metadata'];
const issue = objectOf({ path: stringSchema, message: stringSchema, code: stringSchema }, ['path', 'message']);
const preview = objectOf({
  records: { type: 'integer' },
  withValue: { type: 'integer', description: 'Records holding a value in the field' },
  converting: { type: 'integer', description: 'Values that convert to the new type' },
  failing: { type: 'integer', description: 'Values that cannot convert: cleared on apply, or the change refused (onFailure "refuse")' },
  lost: { type: 'integer', description: 'Values that convert with a loss (rounded, shortened)' },
  changed: { type: 'integer', description: 'Records whose stored value changes (converted, or cleared: failing and empty values) — what apply rewrites' },
  examples: { type: 'array', items: objectOf({ id: stringSchema, from: {}, to: {}, reason: stringSchema }, ['id', 'from']) },
  unmatched: { type: 'array', items: objectOf({ value: stringSchema, count: { type: 'integer' } }, ['value', 'count']), description: 'Failing values by frequency' },
}, ['records', 'withValue', 'converting', 'failing', 'lost', 'changed', 'examples', 'unmatched']);

const renameCounts = objectOf({
  references: { type: 'integer', description: 'References rewritten in other places than the field\'s own definition (every usage of the field)' },
  byKind: { type: 'object', additionalProperties: { type: 'integer' }, description: 'References rewritten per metadata kind' },
  usages: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema }, ['kind', 'name', 'path']) },
  stored: {
    oneOf: [objectOf({
      recordsMoved: { type: 'integer', description: 'Records whose value moves to the new name' },
      staleCleared: { type: 'integer', description: 'Records holding a stale value under the new name (a field deleted earlier), cleared' },
      importMappings: { type: 'integer', description: 'Saved import mappings rewritten' },
      importMappingReferences: { type: 'integer', description: 'References to the field in them' },
    }, ['recordsMoved', 'staleCleared', 'importMappings', 'importMappingReferences']), { type: 'null' }],
  },
}, ['references', 'byKind', 'usages', 'stored']);

const entityRenameCounts = objectOf({
  references: { type: 'integer', description: 'References rewritten: every usage of the entity (GET /api/meta/usages/entities/{name}) and its own lookups to itself' },
  byKind: { type: 'object', additionalProperties: { type: 'integer' }, description: 'References rewritten per metadata kind' },
  usages: { type: 'array', items: objectOf({ kind: stringSchema, name: stringSchema, path: stringSchema }, ['kind', 'name', 'path']) },
  stored: {
    oneOf: [objectOf({
      recordsMoved: { type: 'integer', description: 'Records moved into the new name\'s collection (ids, versions and revisions kept)' },
      systemEntries: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Entries of the engine\'s own collections naming the entity, rewritten, by collection (_audit, _wfStateHistory, _files, …)' },
      polymorphicValues: { type: 'integer', description: 'Polymorphic lookup values pointing at the entity, rewritten' },
      sequences: { type: 'integer', description: 'Autonumber counters carried over' },
      importMappings: { type: 'integer', description: 'Saved import mappings whose targets name the entity' },
    }, ['recordsMoved', 'systemEntries', 'polymorphicValues', 'sequences', 'importMappings']), { type: 'null' }],
  },
}, ['references', 'byKind', 'usages', 'stored']);

const fieldRenameBody = objectOf({ kind: { type: 'string', const: 'field', default: 'field' }, entity: stringSchema, field: stringSchema, to: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]{0,62}$', description: 'The new name' }, apply: { type: 'boolean', default: false } }, ['entity', 'field', 'to']);
const entityRenameBody = objectOf({ kind: { type: 'string', const: 'entity' }, from: stringSchema, to: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]{0,62}$', description: 'The new name' }, apply: { type: 'boolean', default: false } }, ['kind', 'from', 'to']);

export const designerApi: ApiFragment = {
  paths: {
    '/api/meta/refactor/change-type': {
      post: adminOnly({
        operationId: 'changeFieldType',
        summary: "Change a field's type: a preview counting the stored values that convert, fail and lose precision; with apply, one revision that converts them",
        tags,
        requestBody: jsonRequestBody(objectOf({
          entity: stringSchema, field: stringSchema,
          definition: { type: 'object', description: 'The field\'s new definition (schemas/field.schema.json)', required: ['type'] },
          onFailure: { type: 'string', enum: ['clear', 'refuse'], default: 'clear', description: 'Values that cannot convert: cleared, or the change refused' },
          apply: { type: 'boolean', default: false },
        }, ['entity', 'field', 'definition'])),
        responses: {
          '200': jsonResponse('The dry run\'s counts (the one shared dry run: the conversion rehearsed in a rolled-back transaction), or, applied, the same counts of the commit, the revision and how many records were rewritten', objectOf({
            entity: stringSchema, field: stringSchema, from: stringSchema, to: stringSchema, valid: { type: 'boolean' }, issues: { type: 'array', items: issue },
            preview: { oneOf: [preview, { type: 'null' }] }, revision: { type: 'integer' }, converted: { type: 'integer' },
          }, ['entity', 'field', 'from', 'to', 'valid', 'issues', 'preview'])),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      }),
    },
    '/api/meta/refactor/rename': {
      post: adminOnly({
        operationId: 'renameField',
        summary: 'Rename a field or an entity as one revision. A field (`{ entity, field, to }`): every reference to it (forms, views, workflows, dashboards, roles, formulas, rollups, rules, expressions, lookup paths, import mappings) and the stored values. An entity (`{ kind: "entity", from, to }`): every document naming it (lookup targets, forms, views, workflows, role grants, dashboards, reports, segments, subscriptions, …), its records moved to the new collection, the audit trail, state history and other entries naming it, polymorphic values pointing at it, its autonumbers and import mappings. Refused: an unknown item (404), an invalid or current name (400 INVALID_NAME), a name taken (409 NAME_TAKEN), an entity a template owns (409 TEMPLATE_OWNED). A dry run counting each (the one shared dry run), or with apply one revision doing exactly that',
        tags,
        requestBody: jsonRequestBody({ oneOf: [fieldRenameBody, entityRenameBody] }),
        responses: {
          '200': jsonResponse('The dry run\'s counts (preview), or what apply did (applied) and the revision', {
            oneOf: [
              objectOf({
                entity: stringSchema, field: stringSchema, to: stringSchema, valid: { type: 'boolean' }, issues: { type: 'array', items: issue },
                preview: renameCounts, applied: renameCounts, revision: { type: 'integer' },
              }, ['entity', 'field', 'to', 'valid', 'issues']),
              objectOf({
                kind: { type: 'string', const: 'entity' }, from: stringSchema, to: stringSchema, valid: { type: 'boolean' }, issues: { type: 'array', items: issue },
                preview: entityRenameCounts, applied: entityRenameCounts, revision: { type: 'integer' },
              }, ['kind', 'from', 'to', 'valid', 'issues']),
            ],
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      }),
    },
    '/api/meta/preview/view': {
      post: adminOnly({
        operationId: 'previewView', summary: 'The first records an unsaved view shows: the view document as edited, run through the records API\'s view path for the caller (variables bound)', tags,
        requestBody: jsonRequestBody(objectOf({ view: { type: 'object', description: 'The view document as edited (schemas/view.schema.json)' }, limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 } }, ['view'])),
        responses: {
          '200': jsonResponse('The records (none when the document does not check: valid false with its issues)', objectOf({ valid: { type: 'boolean' }, issues: { type: 'array', items: issue }, items: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } }, ['valid', 'issues', 'items'])),
          ...errorResponses(400, 401, 403, 404),
        },
      }),
    },
    '/api/meta/preview/dashboard': {
      post: adminOnly({
        operationId: 'previewDashboard', summary: 'Every widget\'s figures of an unsaved dashboard, as GET /api/dashboards/{name} would answer them', tags,
        requestBody: jsonRequestBody(objectOf({ dashboard: { type: 'object', description: 'The dashboard document as edited (schemas/dashboard.schema.json)' } }, ['dashboard'])),
        responses: {
          '200': jsonResponse('The figures per widget (none when the document does not check: valid false with its issues)', objectOf({ valid: { type: 'boolean' }, issues: { type: 'array', items: issue }, widgets: { type: 'object' } }, ['valid', 'issues', 'widgets'])),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
    '/api/meta/preview/field': {
      post: adminOnly({
        operationId: 'previewComputedField', summary: "A formula's or rollup's value on one stored record, computed with the entity document given (not saved)", tags,
        requestBody: jsonRequestBody(objectOf({ entity: { type: 'object', description: 'The entity document as edited' }, field: stringSchema, recordId: { type: 'string', description: 'The sample record; the first one when omitted' } }, ['entity', 'field'])),
        responses: {
          '200': jsonResponse('The value', objectOf({ valid: { type: 'boolean' }, issues: { type: 'array', items: issue }, value: {}, recordId: { type: ['string', 'null'] } }, ['valid', 'issues', 'value'])),
          ...errorResponses(400, 401, 403),
        },
      }),
    },
  },
};
