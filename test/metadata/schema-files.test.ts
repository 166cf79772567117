// The schema files themselves: each compiles under ajv's strict mode on its own instance, is named by
// its file, and follows the house style (titles, descriptions, a $defs entry per field type).

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
const schemaFiles = readdirSync(schemasDir)
  .filter((name) => name.endsWith('.schema.json'))
  .sort();

type SchemaNode = Record<string, unknown>;

function loadSchema(file: string): SchemaNode {
  return JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as SchemaNode;
}

// Subschemas that only state conditions (if/then/else, not, dependentSchemas) define no properties.
const conditionKeywords = new Set(['if', 'then', 'else', 'not', 'dependentSchemas']);

/** Every schema object that defines data, with its JSON pointer, skipping condition subschemas. */
function* schemaNodes(node: unknown, pointer = ''): Generator<[string, SchemaNode]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* schemaNodes(item, `${pointer}/${index}`);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  yield [pointer, node as SchemaNode];
  for (const [key, value] of Object.entries(node as SchemaNode)) {
    if (conditionKeywords.has(key)) continue;
    yield* schemaNodes(value, `${pointer}/${key}`);
  }
}

describe('schema files', () => {
  it.each(schemaFiles)('%s compiles under ajv strict mode', (file) => {
    // A fresh instance, so that this test does not depend on the engine's own loading.
    const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true, allowUnionTypes: true });
    addFormats.default(ajv);
    for (const other of schemaFiles) ajv.addSchema(loadSchema(other));
    const schema = loadSchema(file);
    expect(() => ajv.getSchema(schema.$id as string)).not.toThrow();
    expect(ajv.getSchema(schema.$id as string)).toBeTypeOf('function');
  });

  it.each(schemaFiles)('%s is identified by its file name and titled', (file) => {
    const schema = loadSchema(file);
    expect(schema.$id).toBe(`https://crm-engine.dev/schemas/${file}`);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBeTypeOf('string');
  });

  it('every field type in field.schema.json has its own $defs entry in the oneOf', () => {
    const schema = loadSchema('field.schema.json') as {
      properties: { type: { enum: string[] } };
      oneOf: { $ref: string }[];
      $defs: Record<string, { properties: { type: { const: string } } }>;
    };
    const refs = new Set(schema.oneOf.map((branch) => branch.$ref));
    for (const type of schema.properties.type.enum) {
      const def = schema.$defs[`${type}Field`];
      expect(def, `$defs/${type}Field`).toBeDefined();
      expect(def?.properties.type.const).toBe(type);
      expect(refs.has(`#/$defs/${type}Field`), `oneOf refers to #/$defs/${type}Field`).toBe(true);
    }
    expect(schema.oneOf).toHaveLength(schema.properties.type.enum.length);
  });

  // entity.schema.json and field.schema.json predate this check; the kinds below follow it.
  it.each(['form', 'view', 'workflow', 'role', 'dashboard', 'template'])(
    '%s.schema.json describes every property and keys every named collection',
    (kind) => {
      const schema = loadSchema(`${kind}.schema.json`);
      const undocumented: string[] = [];
      const unkeyedMaps: string[] = [];
      for (const [pointer, node] of schemaNodes(schema)) {
        const properties = node.properties as Record<string, SchemaNode | boolean> | undefined;
        for (const [name, property] of Object.entries(properties ?? {})) {
          // A `true` / `false` entry only switches a property on or off beside a $ref.
          if (typeof property === 'boolean') continue;
          if (typeof property.description !== 'string') undocumented.push(`${pointer}/properties/${name}`);
        }
        // A map (an object whose members are all of one schema) must say what its keys look like.
        if (typeof node.additionalProperties === 'object' && node.propertyNames === undefined) unkeyedMaps.push(pointer);
      }
      expect(undocumented).toEqual([]);
      expect(unkeyedMaps).toEqual([]);
      expect((schema.properties as SchemaNode).kind).toEqual({ const: kind, description: 'The metadata kind.' });
      expect(schema.additionalProperties).toBe(false);
    },
  );
});
