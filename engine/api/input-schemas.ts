// The request schemas of an entity's writes in the OpenAPI document: what POST and PATCH accept,
// narrowed to the fields the caller may read (record schemas are narrowed the same way).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { JsonSchema } from '../fields/field-type.ts';

/** A record schema with only the fields the caller may read. */
export function narrowSchema(schema: JsonSchema, readable: ReadonlySet<string>): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema['properties'] as Record<string, JsonSchema>).filter(([name]) => readable.has(name)));
  const required = ((schema['required'] as string[] | undefined) ?? []).filter((name) => name in properties);
  return { ...schema, properties, required };
}

/**
 * What POST accepts: the writable fields the caller reads, without workflow-driven ones (a
 * transition sets those), requiring the required fields that take no default.
 */
export function createInputSchema(entity: CompiledEntity, readable: ReadonlySet<string>): JsonSchema {
  const narrowed = narrowSchema(entity.inputSchema, readable);
  const properties = Object.fromEntries(Object.entries(narrowed['properties'] as Record<string, JsonSchema>).filter(([name]) => !entity.drivenFields.has(name)));
  const defaulted = (name: string): boolean => {
    const def = entity.definition.fields[name] as Record<string, unknown> | undefined;
    return def?.['default'] !== undefined || def?.['defaultExpression'] !== undefined;
  };
  return { ...narrowed, properties, required: (narrowed['required'] as string[]).filter((name) => name in properties && !defaulted(name)) };
}

/**
 * What PATCH accepts (JSON or JSON Merge Patch): any of the create input's properties, none
 * required, each also `null` — which clears the field.
 */
export function patchInputSchema(entity: CompiledEntity, readable: ReadonlySet<string>): JsonSchema {
  const create = createInputSchema(entity, readable);
  const properties = Object.fromEntries(Object.entries(create['properties'] as Record<string, JsonSchema>).map(([name, schema]) => [name, { anyOf: [schema, { type: 'null', description: 'clears the field' }] }]));
  return { type: 'object', properties, additionalProperties: false };
}
