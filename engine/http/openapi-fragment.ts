// How a router documents the routes it serves: every EngineModule (and the core's own routers)
// returns an `ApiContribution` — OpenAPI path items and shared schemas, fixed or built per model
// and caller — that api/openapi-document.ts merges into /api/openapi.json. A served route missing
// from the document fails test/api/route-table.test.ts, so a new route is documented where it is
// mounted, with the helpers below (errors use the one shared Error schema).
//
// To document a new route: add its path item to your module's contribution (absolute path, OpenAPI
// `{param}` syntax), give each operation an operationId, a summary, its parameters, request body,
// every success status with a typed body and the 4xx statuses it can answer (`errorResponses`).
// Mark administrator-only operations with `adminOnly(...)`: they are left out of other callers'
// documents. Shared schemas are named `crm.Something`: names of that form never collide with
// names generated from metadata (those start with an upper-case letter).

import type { AccessPolicy, EntityAction, Principal } from '../access/policy.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import type { JsonSchema } from '../fields/field-type.ts';

export type OpenApiOperation = Record<string, unknown>;
export type OpenApiPathItem = Record<string, unknown>;

/** A part of the document: path items (absolute paths), shared schemas (named `crm.*`) and the requests this server sends (webhooks). */
export interface ApiFragment {
  paths?: Record<string, OpenApiPathItem>;
  schemas?: Record<string, JsonSchema>;
  /** By name: a request the server makes to a receiver's URL (OpenAPI 3.1 `webhooks`), the receiver's contract. */
  webhooks?: Record<string, OpenApiPathItem>;
}

export function headerParameter(name: string, description: string, schema: JsonSchema = { type: 'string' }): Record<string, unknown> {
  return { name, in: 'header', required: true, schema, description };
}

/** What a contribution may depend on: the model and what the caller may see and do. */
export interface ApiView {
  model: CompiledModel;
  /** Entities the caller may read, with the fields they may read. */
  entities: readonly { entity: CompiledEntity; readable: ReadonlySet<string> }[];
  admin: boolean;
  /** Whether the caller may take this action on some records of the entity. */
  can(entity: CompiledEntity, action: EntityAction): boolean;
}

export type ApiContribution = ApiFragment | ((view: ApiView) => ApiFragment);

export function viewFor(args: { model: CompiledModel; policy: AccessPolicy; principal: Principal }): ApiView {
  const { model, policy, principal } = args;
  const can = (entity: CompiledEntity, action: EntityAction): boolean => {
    try {
      policy.assertEntityAction(principal, entity, action);
      return true;
    } catch {
      return false;
    }
  };
  const entities = [...model.entities.values()].filter((e) => can(e, 'read')).map((entity) => ({ entity, readable: policy.readableFields(principal, entity) }));
  let admin = true;
  try {
    policy.assertAdmin(principal);
  } catch {
    admin = false;
  }
  return { model, entities, admin, can };
}

/** Marker of operations only administrators may call (removed before the document is served). */
export const adminOnlyMarker = 'x-crm-admin-only';

export function adminOnly(operation: OpenApiOperation): OpenApiOperation {
  return { ...operation, [adminOnlyMarker]: true };
}

/** Public operations (no credentials): health, sign-in, first-run setup. */
export const noSecurity = { security: [] as unknown[] };

export const sharedSchemaRef = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
export const errorSchemaName = 'crm.Error';

const errorDescriptions: Record<number, string> = {
  400: 'The request is malformed or invalid (details name each problem by JSON pointer)',
  401: 'Sign-in required',
  403: 'Not allowed (or a cookie write without its CSRF token)',
  404: 'Not found, or not visible to the caller',
  405: 'Method not allowed',
  409: 'Conflict with the current state (unique value, reference in use)',
  412: 'If-Match does not name the current version',
  413: 'The request body is too large',
  415: 'The body is not JSON',
  428: 'If-Match is required',
  429: 'Too many requests (see Retry-After)',
  503: 'A read ran over the request time budget and was cancelled (QUERY_TIMEOUT), or the store is unavailable',
};

export function errorResponses(...statuses: number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [String(s), { description: errorDescriptions[s] ?? 'Error', content: { 'application/json': { schema: sharedSchemaRef(errorSchemaName) } } }]),
  );
}

/** `{ 'application/json': { schema } }`. */
export const jsonContent = (schema: unknown): Record<string, unknown> => ({ 'application/json': { schema } });

export function jsonResponse(description: string, schema: unknown, headers?: Record<string, unknown>): Record<string, unknown> {
  return { description, content: jsonContent(schema), ...(headers ? { headers } : {}) };
}

export function jsonRequestBody(schema: unknown, required = true): Record<string, unknown> {
  return { required, content: jsonContent(schema) };
}

export const noContent = { description: 'Done; no body' };

export function pathParameter(name: string, description?: string, schema: JsonSchema = { type: 'string', minLength: 1 }): Record<string, unknown> {
  return { name, in: 'path', required: true, schema, ...(description ? { description } : {}) };
}

export function queryParameter(name: string, description: string, schema: JsonSchema = { type: 'string' }): Record<string, unknown> {
  return { name, in: 'query', required: false, schema, description };
}

export const booleanFlag: JsonSchema = { type: 'string', enum: ['1', '0', 'true', 'false'] };
export const pageLimit = (max: number): JsonSchema => ({ type: 'string', pattern: '^[0-9]{1,9}$', description: `1 to ${max}` });

export const locationHeader = { Location: { description: 'URL of the created resource', schema: { type: 'string' } } };
export const retryAfterHeader = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' } } };

/** A list answer: `{ items: [...] }` (and more properties when given). */
export function itemsOf(item: unknown, more: Record<string, unknown> = {}, required: string[] = []): JsonSchema {
  return { type: 'object', required: ['items', ...required], properties: { items: { type: 'array', items: item }, ...more } };
}

/** A plain object schema; extra properties stay allowed (answers may grow). */
export function objectOf(properties: Record<string, unknown>, required: string[] = []): JsonSchema {
  return { type: 'object', required, properties };
}

/** A request body object: the given properties only. */
export function closedObjectOf(properties: Record<string, unknown>, required: string[] = []): JsonSchema {
  return { type: 'object', required, properties, additionalProperties: false };
}

/** Component name of an entity's generated schemas: `deal` → `Deal`, `DealInput`, … */
export function entitySchemaName(entity: string, variant: '' | 'Input' = ''): string {
  return `${entity.charAt(0).toUpperCase()}${entity.slice(1)}${variant}`;
}

export const entitySchemaRef = (entity: string, variant: '' | 'Input' = ''): { $ref: string } => sharedSchemaRef(entitySchemaName(entity, variant));

export const stringSchema: JsonSchema = { type: 'string' };

/** A changed metadata item's label in a dry run or a revision: one text, or one per language. */
export const changedItemLabelSchema: JsonSchema = {
  oneOf: [stringSchema, { type: 'object', properties: { en: stringSchema, zh: stringSchema } }],
  description: 'The item\u2019s label (its title for a dashboard or template) as it is after the change, or was before a delete; absent when it has none',
};
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };
