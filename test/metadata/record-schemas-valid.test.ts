// The record ajv compiles without checking each schema against the JSON Schema 2020-12 meta-schema
// (compile/record-ajv.ts: that check compiled the meta-schema anew for every compile, ~50 ms warm and
// ~200 ms on a fresh thread). The schemas are the compiler's, built from metadata its own schemas
// already checked; this suite holds that they are valid schemas — every field type (the valid
// fixtures use them all) and every entity of every bundled template.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../engine/compile/compile-model.ts';
import { MetadataSet, type MetadataDocument } from '../../engine/metadata/metadata-set.ts';
import { fieldTypeNames } from '../../engine/fields/registry.ts';
import { documentsOf, readTemplate, templateNames } from '../industry-templates/support.ts';

const validEntities = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/metadata/valid/entity');
const metaSchema = new Ajv2020({ strict: false });

function expectValidSchemas(documents: MetadataDocument[]): Set<string> {
  const { model } = compileModel(new MetadataSet(documents), 1);
  const types = new Set<string>();
  expect(model.entities.size).toBeGreaterThan(0);
  for (const entity of model.entities.values()) {
    for (const [which, schema] of [['input', entity.inputSchema], ['record', entity.recordSchema]] as const) {
      const valid = metaSchema.validateSchema(schema);
      expect(valid, `${entity.name}'s ${which} schema: ${JSON.stringify(metaSchema.errors)}`).toBe(true);
    }
    for (const field of entity.fields.values()) types.add(field.definition.type);
  }
  return types;
}

describe('compiled record schemas are valid JSON Schema 2020-12', () => {
  it('for every field type (the valid entity fixtures)', () => {
    const documents = readdirSync(validEntities).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(validEntities, f), 'utf8')) as MetadataDocument);
    const types = expectValidSchemas(documents);
    expect(fieldTypeNames().filter((t) => !types.has(t))).toEqual([]);
  });

  it.each(templateNames)('for every entity of the %s template', (name) => {
    expectValidSchemas(documentsOf([{ template: readTemplate(name) }]) as MetadataDocument[]);
  });

  it('a schema the meta-schema refuses is told apart (the check is not vacuous)', () => {
    expect(metaSchema.validateSchema({ type: 'object', properties: { a: { type: 'string', maxLength: -1 } } })).toBe(false);
  });
});
