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
  examples: { type: 'array', items: objectOf({ id: stringSchema, from: {}, to: {}, reason: stringSchema }, ['id', 'from']) },
  unmatched: { type: 'array', items: objectOf({ value: stringSchema, count: { type: 'integer' } }, ['value', 'count']), description: 'Failing values by frequency' },
}, ['records', 'withValue', 'converting', 'failing', 'lost', 'examples', 'unmatched']);

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
          '200': jsonResponse('The preview (and, applied, the revision and how many records were converted)', objectOf({
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
        summary: 'Rename a field: every reference to it (forms, views, workflows, dashboards, roles, formulas, rollups, rules, expressions, lookup paths, import mappings) and the stored values; a dry run counting each, or with apply one revision',
        tags,
        requestBody: jsonRequestBody(objectOf({ entity: stringSchema, field: stringSchema, to: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]{0,62}$', description: 'The new name' }, apply: { type: 'boolean', default: false } }, ['entity', 'field', 'to'])),
        responses: {
          '200': jsonResponse('The dry run\'s counts (preview), or what apply did (applied) and the revision', objectOf({
            entity: stringSchema, field: stringSchema, to: stringSchema, valid: { type: 'boolean' }, issues: { type: 'array', items: issue },
            preview: renameCounts, applied: renameCounts, revision: { type: 'integer' },
          }, ['entity', 'field', 'to', 'valid', 'issues'])),
          ...errorResponses(400, 401, 403, 404, 409),
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
