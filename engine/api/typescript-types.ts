// TypeScript declarations of every entity the caller may read, for integrators — generated from
// the same JSON Schemas by json-schema-to-typescript.

import type { compile as Compile } from 'json-schema-to-typescript';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { narrowSchema, typeName } from './openapi-document.ts';

type Schema = Record<string, unknown>;

/**
 * json-schema-to-typescript turns every titled subschema into a named type: two fields labelled
 * "Name" would declare `Name` twice and the file would not compile. Field labels become comments.
 */
function withoutFieldTitles(schema: Schema): Schema {
  const properties = Object.fromEntries(
    Object.entries((schema['properties'] ?? {}) as Record<string, Schema>).map(([name, property]) => {
      const { title, ...rest } = property;
      if (title === undefined) return [name, property];
      return [name, { ...rest, description: [title, rest['description']].filter(Boolean).join(' — ') }];
    }),
  );
  return { ...schema, properties };
}

export async function buildTypeDeclarations(model: CompiledModel, readable: (entity: CompiledEntity) => ReadonlySet<string> | undefined): Promise<string> {
  // Loaded on first use: json-schema-to-typescript takes a noticeable part of the server's start-up.
  const { compile } = await import('json-schema-to-typescript');
  const parts = [`/* CRM entity types generated from metadata revision ${model.revision}. Do not edit. */\n`];
  for (const entity of model.entities.values()) {
    const fields = readable(entity);
    if (!fields) continue;
    for (const [suffix, schema] of [['', entity.recordSchema], ['Input', { ...entity.inputSchema, required: [] }]] as const) {
      const narrowed = { ...withoutFieldTitles(narrowSchema(schema, fields)), title: `${typeName(entity.name)}${suffix}` };
      parts.push(await compile(narrowed as Parameters<typeof Compile>[0], narrowed.title, { bannerComment: '', additionalProperties: false, format: false, strictIndexSignatures: true }));
    }
  }
  return parts.join('\n');
}
