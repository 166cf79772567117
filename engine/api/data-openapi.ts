// The OpenAPI path items of the generic data router, one set per entity the caller may read:
// list, create, read, update, delete and history of its records.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { JsonSchema } from '../fields/field-type.ts';
import { linkElementSchema } from '../fields/link-values.ts';
import type { MultiLookupField } from '../metadata/generated/metadata.ts';
import {
  type ApiView, booleanFlag, entitySchemaName, dateTime, entitySchemaRef, errorResponses, itemsOf, jsonContent, jsonResponse, locationHeader, objectOf, pageLimit,
  pathParameter, queryParameter, type OpenApiPathItem,
} from '../http/openapi-fragment.ts';
import { localize } from '../kernel/i18n.ts';
import { maxPageSize } from '../records/read-records.ts';
import { patchInputSchema } from './input-schemas.ts';

export const etagHeader = { ETag: { description: 'The record version, for If-Match', schema: { type: 'string' } } };
const duplicatesHeader = {
  'X-CRM-Duplicates': { description: 'Possible duplicates found by the entity\'s duplicate rules (JSON: [{ rule, ruleLabel?, ids }], ruleLabel in the caller\'s language when the rule has a label, characters past ASCII escaped as \\uXXXX); the write happened', schema: { type: 'string' } },
};
export const ifMatchParameter = {
  name: 'If-Match', in: 'header', required: false, schema: { type: 'string' },
  description: 'ETags of the versions the change is meant for ("3", W/"3", a list, or *); another version gets 412.',
};
export const idParameter = pathParameter('id', 'The record id');

/** The audit trail of a record, as GET …/history answers it. */
export const historySchema: JsonSchema = itemsOf(
  objectOf({
    id: { type: 'string' }, entity: { type: 'string' }, recordId: { type: 'string' }, action: { type: 'string' }, at: dateTime, by: { type: 'string' },
    revision: { type: 'integer' }, comment: { type: 'string' }, details: { type: 'object' },
    changes: { type: 'object', additionalProperties: objectOf({ before: {}, after: {} }) },
  }, ['id', 'action', 'at', 'by', 'changes']),
  { nextCursor: { type: 'string' } },
);

export function entityDataPaths(entity: CompiledEntity, view: ApiView): Record<string, OpenApiPathItem> {
  const name = entity.name;
  const type = entitySchemaName(name);
  const record = entitySchemaRef(name);
  const input = entitySchemaRef(name, 'Input');
  // With `fields=`, a record answers only its id and the fields asked for (lookup paths and parts of composite fields as flat keys).
  const projection = { type: 'object', required: ['id'], properties: { id: { type: 'string' } }, description: `A ${name} projection: id and the fields asked for` };
  // Inline, not a component: a named one could collide with an entity's generated names.
  const patch = patchInputSchema(entity, view.entities.find((e) => e.entity === entity)?.readable ?? new Set(entity.fields.keys()));
  const label = localize(entity.definition.label, 'en') || name;
  const tags = [name];
  const formParameter = queryParameter('form', 'The form the write is made through: its requiredWhen and readOnlyWhen are enforced, and fields its visibleWhen hides are kept or cleared as its hiddenFields says');
  const base = `/api/data/${name}`;
  const canWrite = view.can(entity, 'update');
  return {
    [base]: {
      get: {
        operationId: `list${type}`, summary: `List ${label} records`, tags,
        parameters: [
          queryParameter('filter', 'JSON filter: $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $not $and $or', { type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'object' } }),
          queryParameter('sort', 'Comma-separated fields, "-" for descending, e.g. -amount,name'),
          queryParameter('limit', 'Page size', pageLimit(maxPageSize)),
          queryParameter('cursor', 'nextCursor of the previous page'),
          queryParameter('fields', 'Comma-separated fields to return'),
          queryParameter('total', 'Count all matches', booleanFlag),
          queryParameter('view', 'Run a saved view of this entity: its filter ($me, $myTeams, $today, $now bound for you), ownedBy, sort, columns and page size; your filter is ANDed, your sort, fields and limit win'),
          queryParameter('lookupFor', 'A lookup picker\'s search: entity.field of a lookup to this entity; its filter, bound to `record`, is ANDed with yours'),
          queryParameter('record', 'With lookupFor: the edited record\'s current values (JSON), for the filter\'s $record.<field>', { type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'object' } }),
        ],
        responses: {
          '200': jsonResponse('A page of records (with fields=: projections)', itemsOf({ anyOf: [record, projection] }, { nextCursor: { type: 'string' }, total: { type: 'integer', minimum: 0, description: 'With total=1: every match, not just this page' } })),
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
      ...(view.can(entity, 'create')
        ? {
            post: {
              operationId: `create${type}`, summary: `Create a ${label} record`, tags, parameters: [formParameter],
              requestBody: { required: true, content: jsonContent(input) },
              responses: { '201': jsonResponse('Created', record, { ...etagHeader, ...locationHeader, ...duplicatesHeader }), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
            },
          }
        : {}),
    },
    [`${base}/{id}`]: {
      parameters: [idParameter],
      get: {
        operationId: `get${type}`, summary: `Read a ${label} record`, tags,
        parameters: [queryParameter('fields', 'Comma-separated fields to return; lookup paths (account.industry) and parts of composite fields (addr.city) answer as flat keys')],
        responses: { '200': jsonResponse('The record (with fields=: a projection)', { anyOf: [record, projection] }, etagHeader), ...errorResponses(400, 401, 404) },
      },
      ...(canWrite
        ? {
            patch: {
              operationId: `update${type}`, summary: `Change a ${label} record (fields not sent stay as they are)`, tags, parameters: [ifMatchParameter, formParameter],
              requestBody: { required: true, content: { ...jsonContent(patch), 'application/merge-patch+json': { schema: patch } } },
              responses: { '200': jsonResponse('Updated', record, { ...etagHeader, ...duplicatesHeader }), ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415) },
            },
          }
        : {}),
      ...(view.can(entity, 'delete')
        ? {
            delete: {
              operationId: `delete${type}`, summary: `Delete a ${label} record`, tags, parameters: [ifMatchParameter],
              responses: { '204': { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409, 412) },
            },
          }
        : {}),
    },
    [`${base}/{id}/history`]: {
      parameters: [idParameter],
      get: {
        operationId: `history${type}`, summary: `The audit trail of a ${label} record, oldest first`, tags,
        parameters: [queryParameter('limit', 'Page size', pageLimit(maxPageSize)), queryParameter('cursor', 'nextCursor of the previous page')],
        responses: { '200': jsonResponse('Audit entries, oldest first', historySchema), ...errorResponses(400, 401, 404) },
      },
    },
    [`${base}/{id}/timeline`]: {
      parameters: [idParameter],
      get: {
        operationId: `timeline${type}`, summary: `Records pointing at a ${label} record through polymorphic lookups (activities, notes), newest first`, tags,
        parameters: [queryParameter('limit', 'At most this many items', pageLimit(maxPageSize))],
        responses: { '200': jsonResponse('Timeline items, newest first', timelineSchema), ...errorResponses(400, 401, 404) },
      },
    },
    ...linkPaths(entity, view),
  };
}

/** With link attributes, a list of links answers them: listed record id → the attributes of its link. */
function linksProperty(def: MultiLookupField): Record<string, JsonSchema> {
  if (!def.linkFields) return {};
  const { properties } = linkElementSchema(def) as { properties: Record<string, JsonSchema> };
  const { id: _id, ...attributes } = properties;
  return { links: { type: 'object', description: 'Listed record id → the attributes of its link', additionalProperties: { type: 'object', properties: attributes, additionalProperties: false } } };
}

/** Many-to-many: each multiLookup field of the entity (links, link, unlink), and each one of a readable entity that links to it (linked-by). */
function linkPaths(entity: CompiledEntity, view: ApiView): Record<string, OpenApiPathItem> {
  const base = `/api/data/${entity.name}`;
  const type = entitySchemaName(entity.name);
  const tags = [entity.name];
  const page = [queryParameter('limit', 'Page size', pageLimit(maxPageSize)), queryParameter('cursor', 'nextCursor of the previous page'), queryParameter('sort', 'Comma-separated fields, "-" for descending')];
  const readable = view.entities.find((e) => e.entity === entity)?.readable;
  const out: Record<string, OpenApiPathItem> = {};
  for (const field of entity.fields.values()) {
    const def = field.definition;
    if (def.type !== 'multiLookup' || (readable && !readable.has(field.name))) continue;
    const target = view.model.entities.get(def.to);
    const suffix = `${type}${field.name[0]!.toUpperCase()}${field.name.slice(1)}`;
    const targetPage = itemsOf(target ? entitySchemaRef(target.name) : { type: 'object' }, { nextCursor: { type: 'string' }, ...linksProperty(def) });
    const linkItem = def.linkFields ? { oneOf: [{ type: 'string' }, linkElementSchema(def)] } : { type: 'string' };
    out[`${base}/{id}/links/${field.name}`] = {
      parameters: [idParameter],
      get: {
        operationId: `links${suffix}`, summary: `The ${def.to} records linked by ${field.name} (those you may read)`, tags, parameters: page,
        responses: { '200': jsonResponse(`A page of ${def.to} records`, targetPage), ...errorResponses(400, 401, 403, 404) },
      },
      ...(view.can(entity, 'update')
        ? {
            post: {
              operationId: `link${suffix}`, summary: `Link more ${def.to} records through ${field.name} (an update of the record; each must exist and be readable by you)`, tags, parameters: [ifMatchParameter],
              requestBody: { required: true, content: jsonContent(objectOf({ ids: { type: 'array', minItems: 1, maxItems: 1000, items: linkItem } }, ['ids'])) },
              responses: { '200': jsonResponse('The record, linked', entitySchemaRef(entity.name), etagHeader), ...errorResponses(400, 401, 403, 404, 409, 412) },
            },
          }
        : {}),
    };
    if (view.can(entity, 'update')) {
      out[`${base}/{id}/links/${field.name}/{targetId}`] = {
        parameters: [idParameter, pathParameter('targetId', `The linked ${def.to} record`)],
        delete: {
          operationId: `unlink${suffix}`, summary: `Unlink one ${def.to} record from ${field.name}`, tags, parameters: [ifMatchParameter],
          responses: { '200': jsonResponse('The record, unlinked', entitySchemaRef(entity.name), etagHeader), ...errorResponses(400, 401, 403, 404, 409, 412) },
        },
      };
    }
  }
  for (const { entity: source, readable: sourceReadable } of view.entities) {
    for (const field of source.fields.values()) {
      const def = field.definition;
      if (def.type !== 'multiLookup' || def.to !== entity.name || !sourceReadable.has(field.name)) continue;
      out[`${base}/{id}/linked-by/${source.name}/${field.name}`] = {
        parameters: [idParameter],
        get: {
          operationId: `linkedBy${type}${entitySchemaName(source.name)}${field.name[0]!.toUpperCase()}${field.name.slice(1)}`,
          summary: `The ${source.name} records whose ${field.name} links this ${entity.name} record (those you may read)`, tags, parameters: page,
          responses: { '200': jsonResponse(`A page of ${source.name} records`, itemsOf(entitySchemaRef(source.name), { nextCursor: { type: 'string' }, ...linksProperty(def) })), ...errorResponses(400, 401, 403, 404) },
        },
      };
    }
  }
  return out;
}

/** GET …/timeline: each item names its entity, the polymorphic field and the record (readable fields only). */
const timelineSchema: JsonSchema = itemsOf(objectOf({ entity: { type: 'string' }, field: { type: 'string' }, record: { type: 'object' } }, ['entity', 'field', 'record']));
