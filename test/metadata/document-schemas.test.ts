// Data-driven checks of the metadata language: every document under fixtures/metadata/valid/<kind>/
// passes its kind's schema, and every case under fixtures/metadata/invalid/ is refused with at least
// the issues it expects, at the JSON pointers it names.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocumentSchema } from '../../engine/metadata/document-schemas.ts';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/metadata');
const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

const documentKinds = ['entity', 'form', 'view', 'workflow', 'role', 'dashboard', 'template'] as const;

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

const validCases = documentKinds.flatMap((kind) =>
  jsonFiles(path.join(fixturesDir, 'valid', kind)).map((file) => ({
    kind,
    file,
    document: readJson(path.join(fixturesDir, 'valid', kind, file)) as Record<string, unknown>,
  })),
);

interface ExpectedIssue {
  path: string;
  messageIncludes?: string;
}

interface InvalidCase {
  kind: string;
  document: unknown;
  expect: ExpectedIssue[];
}

const invalidCases = jsonFiles(path.join(fixturesDir, 'invalid')).map((file) => ({
  file,
  ...(readJson(path.join(fixturesDir, 'invalid', file)) as InvalidCase),
}));

describe('valid metadata documents', () => {
  it.each(validCases)('$kind/$file has no issues', ({ kind, document }) => {
    expect(document.kind).toBe(kind);
    expect(checkDocumentSchema(kind, document)).toEqual([]);
  });

  it.each(documentKinds)('%s has at least two valid examples', (kind) => {
    expect(validCases.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(2);
  });

  it('one valid entity uses every field type', () => {
    const fieldSchema = readJson(path.join(schemasDir, 'field.schema.json')) as {
      properties: { type: { enum: string[] } };
    };
    const coverage = validCases
      .filter((c) => c.kind === 'entity')
      .map((c) => new Set(Object.values(c.document.fields as Record<string, { type: string }>).map((f) => f.type)));
    const missingPerEntity = coverage.map((types) => fieldSchema.properties.type.enum.filter((t) => !types.has(t)));
    expect(missingPerEntity.some((missing) => missing.length === 0), JSON.stringify(missingPerEntity)).toBe(true);
  });
});

describe('invalid metadata documents', () => {
  it('cover every kind, with at least 20 cases', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(invalidCases.map((c) => c.kind))).toEqual(new Set(documentKinds));
  });

  it.each(invalidCases)('$file is refused where it expects', ({ kind, document, expect: expected }) => {
    expect(expected.length).toBeGreaterThan(0);
    const issues = checkDocumentSchema(kind, document);
    for (const want of expected) {
      const found = issues.some(
        (issue) => issue.path === want.path && (want.messageIncludes === undefined || issue.message.includes(want.messageIncludes)),
      );
      expect(found, `expected an issue at ${want.path}${want.messageIncludes ? ` including "${want.messageIncludes}"` : ''}; got ${JSON.stringify(issues, null, 2)}`).toBe(true);
    }
  });
});
