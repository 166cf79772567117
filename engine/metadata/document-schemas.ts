// The metadata language's own JSON Schemas (schemas/*.schema.json), loaded into one ajv instance
// once, each registered by its $id, and used to check every metadata document before anything
// else looks at it. Issues come back as a list — every error, with a JSON pointer — never thrown.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type IssueDetail, pointerSegment } from '../kernel/errors.ts';

const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
const idBase = 'https://crm-engine.dev/schemas/';

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true, allowUnionTypes: true });
  addFormats.default(ajv);
  for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as object);
  }
  return ajv;
}

// Made when first asked: the import's map worker thread loads this module (for describeAjvError)
// but checks no document, and loading the schemas cost it ~150 ms before its first batch.
let documentAjv: Ajv2020 | undefined;
const schemaAjv = () => (documentAjv ??= createAjv());
const validators = new Map<string, ValidateFunction>();

/** The schema file name for a metadata kind: `entity` → `entity.schema.json`. */
export function schemaIdFor(kind: string): string {
  return `${idBase}${kind}.schema.json`;
}

export function hasDocumentSchema(kind: string): boolean {
  return schemaAjv().getSchema(schemaIdFor(kind)) !== undefined;
}

function validatorFor(kind: string): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    validate = schemaAjv().getSchema(schemaIdFor(kind));
    if (!validate) throw new Error(`No schema for metadata kind ${kind}`);
    validators.set(kind, validate);
  }
  return validate;
}

/** Checks a document against its kind's schema. Returns every problem; an empty list means valid. */
export function checkDocumentSchema(kind: string, document: unknown, basePath = ''): IssueDetail[] {
  const validate = validatorFor(kind);
  if (validate(document)) return [];
  // ajv reuses its errors array between calls: copy before anything else validates.
  const errors = [...(validate.errors ?? [])];
  const issues = describeAjvErrors(errors, basePath);
  // A document that fails only a oneOf/anyOf/if must still be refused: report the summary then.
  return issues.length > 0 ? issues : describeAjvErrors(errors, basePath, { keepSummaries: true });
}

/** Turns ajv errors into path-precise issues, keeping only the most telling error per location. */
export function describeAjvErrors(errors: ErrorObject[], basePath = '', options: { keepSummaries?: boolean } = {}): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = describeAjvError(error, basePath, options);
    if (!issue) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/** One ajv error as an issue at its place; undefined for a summary that repeats its branches. */
export function describeAjvError(error: ErrorObject, basePath = '', options: { keepSummaries?: boolean } = {}): IssueDetail | undefined {
  // oneOf/anyOf summaries repeat what their branches already said.
  // A discriminator error only repeats the enum error on `type`.
  // A propertyNames summary only repeats what its branch said about the name.
  if (!options.keepSummaries && ['oneOf', 'anyOf', 'if', 'discriminator', 'propertyNames'].includes(error.keyword)) return undefined;
  let where = basePath + error.instancePath;
  let message = error.message ?? 'is not valid';
  if (error.propertyName !== undefined) {
    // An error about a key's name belongs at that key, not at the object holding it.
    where += '/' + pointerSegment(error.propertyName);
    message = `the name ${message}`;
  } else if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    const extra = (error.params as { additionalProperty?: string; unevaluatedProperty?: string });
    const name = extra.additionalProperty ?? extra.unevaluatedProperty ?? '';
    where += '/' + pointerSegment(name);
    message = 'is not a known property here';
  } else if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    where += '/' + missing;
    message = 'is required';
  } else if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (error.keyword === 'pattern' && (error.params as { pattern: string }).pattern === '\\S') {
    // The schemas' way to refuse a text of spaces alone: said in words, not as the pattern.
    message = 'must not be blank';
  } else if ((error.keyword === 'minProperties' || error.keyword === 'minItems') && (error.params as { limit: number }).limit === 1) {
    // "must NOT have fewer than 1 properties" said plainly: a form's section left without a field.
    message = 'must not be empty';
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
  }
  return { path: where, message, code: error.keyword };
}
