// TypeScript declarations of every entity the caller may read, for integrators — generated from
// the same JSON Schemas by json-schema-to-typescript.

import { compile } from 'json-schema-to-typescript';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { narrowSchema, typeName } from './openapi-document.ts';

export async function buildTypeDeclarations(model: CompiledModel, readable: (entity: CompiledEntity) => ReadonlySet<string> | undefined): Promise<string> {
  const parts = [`/* CRM entity types generated from metadata revision ${model.revision}. Do not edit. */\n`];
  for (const entity of model.entities.values()) {
    const fields = readable(entity);
    if (!fields) continue;
    for (const [suffix, schema] of [['', entity.recordSchema], ['Input', { ...entity.inputSchema, required: [] }]] as const) {
      const narrowed = { ...narrowSchema(schema, fields), title: `${typeName(entity.name)}${suffix}` };
      parts.push(await compile(narrowed as Parameters<typeof compile>[0], narrowed.title, { bannerComment: '', additionalProperties: false, format: false, strictIndexSignatures: true }));
    }
  }
  return parts.join('\n');
}
