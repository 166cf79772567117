// Generates engine/metadata/generated/*.ts from schemas/*.schema.json with json-schema-to-typescript,
// so that the schemas stay the one contract. Writes a file only when its text changed; the test
// test/metadata/generated-types.test.ts fails when a generated file is out of date.

import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemasDir = path.join(root, 'schemas');
export const generatedDir = path.join(root, 'engine/metadata/generated');

const banner = '/* Generated from schemas/ by engine/metadata/generate-types.ts — do not edit. Run: npx tsx engine/metadata/generate-types.ts */';

/** The schema files that describe metadata kinds (common.schema.json only feeds the others). */
export async function listKindSchemas(): Promise<string[]> {
  const names = await readdir(schemasDir);
  return names.filter((n) => n.endsWith('.schema.json') && n !== 'common.schema.json').sort();
}

/**
 * json-schema-to-typescript declares a new type for every `$ref` that carries sibling keywords
 * (LocalizedText1, LocalizedText2, …). Those siblings are documentation only, so copies of the
 * schemas without them are compiled instead.
 */
function dropRefSiblings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropRefSiblings);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.some(([key]) => key === '$ref')) return { $ref: (node as { $ref: string }).$ref };
  return Object.fromEntries(entries.map(([key, value]) => [key, dropRefSiblings(value)]));
}

/** All kinds in one module, so that shared definitions (fields, labels) are declared once. */
export async function renderTypes(): Promise<string> {
  const files = await listKindSchemas();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'crm-types-'));
  try {
    for (const file of [...files, 'common.schema.json']) {
      const schema: unknown = JSON.parse(await readFile(path.join(schemasDir, file), 'utf8'));
      await writeFile(path.join(workDir, file), JSON.stringify(dropRefSiblings(schema)));
    }
    return await compileAll(files, workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function compileAll(files: string[], cwd: string): Promise<string> {
  const root = {
    title: 'MetadataDocuments',
    description: 'Every kind of metadata document, by kind.',
    type: 'object',
    properties: Object.fromEntries(files.map((f) => [f.replace('.schema.json', ''), { $ref: f }])),
    additionalProperties: false,
  } as JSONSchema;
  return compile(root, 'MetadataDocuments', {
    cwd,
    bannerComment: banner,
    additionalProperties: false,
    unreachableDefinitions: false,
    declareExternallyReferenced: true,
    format: true,
    // Arrays stay arrays: short maxItems would otherwise become unions of tuples.
    maxItems: -1,
  });
}

export const generatedFile = path.join(generatedDir, 'metadata.ts');

async function main(): Promise<void> {
  const text = await renderTypes();
  const current = await readFile(generatedFile, 'utf8').catch(() => '');
  if (current !== text) {
    await writeFile(generatedFile, text);
    console.log(`wrote ${path.relative(root, generatedFile)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
