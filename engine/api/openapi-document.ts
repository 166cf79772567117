// The OpenAPI 3.1 document of the REST API: the core's routes, one set of data routes per entity
// the caller may read, and what every module contributes for the routes it serves (see
// http/openapi-fragment.ts). Narrowed to what the caller may read and do; cached by create-app.

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnlyMarker, type ApiContribution, type ApiFragment, type ApiView, entitySchemaName, errorSchemaName, type OpenApiPathItem,
} from '../http/openapi-fragment.ts';
import { errorCodes } from '../kernel/errors.ts';
import { withIdempotencyKey } from '../idempotency/idempotency-paths.ts';
import { coreApi } from './core-openapi.ts';
import { entityDataPaths } from './data-openapi.ts';
import { createInputSchema, narrowSchema } from './input-schemas.ts';

export { narrowSchema } from './input-schemas.ts';

/** The schema and type name of an entity: `deal` → `Deal`. */
export const typeName = (entity: string): string => entitySchemaName(entity);

const errorSchema: JsonSchema = {
  type: 'object', required: ['error'],
  properties: {
    error: {
      type: 'object', required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: [...errorCodes], description: 'A code of the catalogue (README: error codes)' },
        message: { type: 'string', description: 'In the Accept-Language language (en, zh)' },
        details: {
          type: 'array',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string', description: 'JSON pointer' }, message: { type: 'string' }, code: { type: 'string' } } },
        },
        mergedInto: {
          type: 'object', required: ['entity', 'id'],
          description: 'A 404 for a record merged into another: the record it went into (the last of a chain of merges), when the caller may read it',
          properties: { entity: { type: 'string' }, id: { type: 'string' }, title: { type: 'string', description: "The survivor's title field, when the caller may read it" } },
        },
        requestId: { type: 'string', description: 'The id of the request (its X-Request-Id response header; on every log line written while serving it)' },
      },
    },
  },
};

const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/auth/tokens): crmt_<id>.<secret>' },
  session: { type: 'apiKey', in: 'cookie', name: 'crm_session', description: 'The session cookie set by POST /api/auth/login' },
  csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'With the session cookie, every write sends the csrfToken of the session' },
};
const readSecurity = [{ bearer: [] }, { session: [] }];
const writeSecurity = [{ bearer: [] }, { session: [], csrf: [] }];
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Merges path items; one operation declared twice is a programming error. */
function mergePaths(target: Record<string, OpenApiPathItem>, paths: Record<string, OpenApiPathItem>): void {
  for (const [path, item] of Object.entries(paths)) {
    const existing = target[path];
    if (!existing) {
      target[path] = { ...item };
      continue;
    }
    for (const [key, value] of Object.entries(item)) {
      if (methods.includes(key) && key in existing) throw new Error(`OpenAPI: ${key.toUpperCase()} ${path} is documented twice`);
      existing[key] = key === 'parameters' && Array.isArray(existing[key]) ? existing[key] : value;
    }
  }
}

/**
 * Drops what the caller may not use, says how each remaining operation is authenticated, and
 * declares the Idempotency-Key on the POSTs served under one.
 */
function finishPaths(paths: Record<string, OpenApiPathItem>, admin: boolean): Record<string, OpenApiPathItem> {
  const out: Record<string, OpenApiPathItem> = {};
  for (const [path, item] of Object.entries(paths)) {
    const finished: OpenApiPathItem = {};
    let operations = 0;
    for (const [key, value] of Object.entries(item)) {
      if (!methods.includes(key)) {
        finished[key] = value;
        continue;
      }
      const { [adminOnlyMarker]: adminOnly, ...operation } = value as Record<string, unknown>;
      if (adminOnly && !admin) continue;
      if (!('security' in operation)) operation['security'] = key === 'get' || key === 'head' ? readSecurity : writeSecurity;
      finished[key] = key === 'post' ? withIdempotencyKey(path, operation) : operation;
      operations++;
    }
    if (operations > 0) out[path] = finished;
  }
  return out;
}

export function buildOpenApiDocument(args: { view: ApiView; version: string; contributions?: readonly ApiContribution[] }): Record<string, unknown> {
  const { view } = args;
  const schemas: Record<string, JsonSchema> = { [errorSchemaName]: errorSchema };
  const paths: Record<string, OpenApiPathItem> = {};
  for (const { entity, readable } of view.entities) {
    schemas[entitySchemaName(entity.name)] = narrowSchema(entity.recordSchema, readable);
    schemas[entitySchemaName(entity.name, 'Input')] = createInputSchema(entity, readable);
    mergePaths(paths, entityDataPaths(entity, view));
  }
  const fragments: ApiFragment[] = [coreApi, ...(args.contributions ?? [])].map((c) => (typeof c === 'function' ? c(view) : c));
  const webhooks: Record<string, OpenApiPathItem> = {};
  for (const fragment of fragments) {
    mergePaths(paths, fragment.paths ?? {});
    for (const [name, item] of Object.entries(fragment.webhooks ?? {})) {
      if (name in webhooks) throw new Error(`OpenAPI: webhook ${name} is declared twice`);
      webhooks[name] = item;
    }
    for (const [name, schema] of Object.entries(fragment.schemas ?? {})) {
      if (!name.startsWith('crm.')) throw new Error(`OpenAPI: shared schema "${name}" must be named crm.*`);
      if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema)) throw new Error(`OpenAPI: schema ${name} is declared twice, differently`);
      schemas[name] = schema;
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'CRM engine API', version: args.version, description: `Generated from metadata revision ${view.model.revision}.`, license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/' }],
    security: readSecurity,
    paths: finishPaths(paths, view.admin),
    ...(Object.keys(webhooks).length > 0 ? { webhooks } : {}),
    components: { schemas, securitySchemes },
  };
}
