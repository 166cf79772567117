// The OpenAPI 3.1 document of the generated REST API, built from the compiled model and narrowed
// to what the caller may read. Cached per revision and caller's field access.

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import type { JsonSchema } from '../fields/field-type.ts';
import { localize } from '../kernel/i18n.ts';

const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), errorResponse]));

/** A record schema with only the fields the caller may read. */
export function narrowSchema(schema: JsonSchema, readable: ReadonlySet<string>): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema['properties'] as Record<string, JsonSchema>).filter(([name]) => readable.has(name)));
  const required = ((schema['required'] as string[] | undefined) ?? []).filter((name) => name in properties);
  return { ...schema, properties, required };
}

/** The schema and type name of an entity: `deal` → `Deal`. */
export const typeName = (entity: string): string => entity.charAt(0).toUpperCase() + entity.slice(1);

function entityPaths(entity: CompiledEntity): Record<string, unknown> {
  const name = typeName(entity.name);
  const ref = { $ref: `#/components/schemas/${name}` };
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const label = localize(entity.definition.label, 'en');
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag last seen; a stale one gets 412.' };
  const query = (n: string, description: string, schema: JsonSchema = { type: 'string' }) => ({ name: n, in: 'query', required: false, schema, description });
  return {
    [`/api/data/${entity.name}`]: {
      get: {
        operationId: `list${name}`, summary: `List ${label} records`, tags: [entity.name],
        parameters: [
          query('filter', 'JSON filter: $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $not $and $or'),
          query('sort', 'Comma-separated fields, "-" for descending, e.g. -amount,name'),
          query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 1000 }),
          query('cursor', 'nextCursor of the previous page'),
          query('fields', 'Comma-separated fields to return'),
          query('total', 'Count all matches (1)'),
        ],
        responses: {
          '200': { description: 'A page of records', content: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref }, nextCursor: { type: 'string' }, total: { type: 'integer' } } }) },
          ...errors(400, 401, 403, 404),
        },
      },
      post: {
        operationId: `create${name}`, summary: `Create a ${label} record`, tags: [entity.name],
        requestBody: { required: true, content: json({ $ref: `#/components/schemas/${name}Input` }) },
        responses: { '201': { description: 'Created', content: json(ref) }, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    [`/api/data/${entity.name}/{id}`]: {
      parameters: [id],
      get: { operationId: `get${name}`, tags: [entity.name], responses: { '200': { description: 'The record', content: json(ref) }, ...errors(401, 404) } },
      patch: {
        operationId: `update${name}`, tags: [entity.name], parameters: [ifMatch],
        requestBody: { required: true, content: json({ $ref: `#/components/schemas/${name}Input` }) },
        responses: { '200': { description: 'Updated', content: json(ref) }, ...errors(400, 401, 403, 404, 409, 412, 415) },
      },
      delete: { operationId: `delete${name}`, tags: [entity.name], parameters: [ifMatch], responses: { '204': { description: 'Deleted' }, ...errors(401, 403, 404, 409, 412) } },
    },
    [`/api/data/${entity.name}/{id}/history`]: {
      parameters: [id],
      get: { operationId: `history${name}`, tags: [entity.name], parameters: [query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 1000 }), query('cursor', 'nextCursor of the previous page')], responses: { '200': { description: 'Audit entries, oldest first', content: json({ type: 'object' }) }, ...errors(401, 404) } },
    },
    // A workflow drives a field of this entity: its transitions and time in each state.
    ...(entity.drivenFields.size > 0
      ? {
          [`/api/data/${entity.name}/{id}/transitions`]: {
            parameters: [id],
            get: { operationId: `transitions${name}`, tags: [entity.name], responses: { '200': { description: 'Transitions from the current state: whether the caller may take each, and why not', content: json({ type: 'object' }) }, ...errors(401, 404) } },
          },
          [`/api/data/${entity.name}/{id}/transitions/{transition}`]: {
            parameters: [id, { name: 'transition', in: 'path', required: true, schema: { type: 'string' } }],
            post: {
              operationId: `take${name}Transition`, tags: [entity.name], parameters: [ifMatch],
              requestBody: { required: false, content: json({ type: 'object', properties: { comment: { type: 'string', maxLength: 4000 } }, additionalProperties: false }) },
              responses: { '200': { description: 'Moved', content: json({ type: 'object' }) }, '202': { description: 'Approval requested', content: json({ type: 'object' }) }, ...errors(400, 401, 403, 404, 409, 412) },
            },
          },
          [`/api/data/${entity.name}/{id}/state-history`]: {
            parameters: [id],
            get: { operationId: `stateHistory${name}`, tags: [entity.name], responses: { '200': { description: 'Stays in each state with their duration', content: json({ type: 'object' }) }, ...errors(401, 404) } },
          },
        }
      : {}),
  };
}

export function buildOpenApiDocument(args: {
  model: CompiledModel;
  version: string;
  readable: (entity: CompiledEntity) => ReadonlySet<string> | undefined;
}): Record<string, unknown> {
  const visible = [...args.model.entities.values()].filter((e) => args.readable(e) !== undefined);
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object', required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message', 'details'], properties: {
        code: { type: 'string' }, message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } } },
      } } },
    },
  };
  for (const entity of visible) {
    const readable = args.readable(entity)!;
    schemas[typeName(entity.name)] = narrowSchema(entity.recordSchema, readable);
    schemas[`${typeName(entity.name)}Input`] = { ...narrowSchema(entity.inputSchema, readable), required: [] };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CRM engine API', version: args.version, description: `Generated from metadata revision ${args.model.revision}.` },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths: Object.assign({}, ...visible.map(entityPaths)),
    components: { schemas },
  };
}
