// Validation of a record's writable values against its entity's compiled schema, with messages in
// the caller's language, then normalization into the stored form.

import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { describeAjvErrors } from '../metadata/document-schemas.ts';
import type { RecordValues } from './record-shape.ts';

// ajv-i18n is CommonJS exporting a bare function, which its typings describe as a default export.
const localizeZh = createRequire(import.meta.url)('ajv-i18n/localize/zh') as (errors: ErrorObject[]) => void;

/** Returns the issues of a record's writable values; an empty list means valid. */
export function checkValues(entity: CompiledEntity, values: RecordValues, locale: Locale): IssueDetail[] {
  if (entity.validateInput(values)) return valueIssues(entity, values, locale);
  // ajv shares one errors array per validator: copy before anything else runs it.
  const errors = (entity.validateInput.errors ?? []).map((e) => ({ ...e })) as ErrorObject[];
  if (locale === 'zh') localizeZh(errors);
  return describeAjvErrors(errors);
}

/** What a field type checks beyond its schema (a scale), for values the schema accepted. */
function valueIssues(entity: CompiledEntity, values: RecordValues, locale: Locale): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = entity.fields.get(key);
    const issue = field?.type.valueIssue?.(value, field.definition as never);
    if (issue) issues.push({ path: pointer(key), code: 'scale', message: localize(issue, locale) });
  }
  return issues;
}

export function assertValidValues(entity: CompiledEntity, values: RecordValues, locale: Locale): void {
  const issues = checkValues(entity, values, locale);
  if (issues.length > 0) throw new CrmError('INVALID_RECORD', undefined, issues);
}

export function normalizeValues(entity: CompiledEntity, values: RecordValues): RecordValues {
  const out: RecordValues = {};
  for (const [key, value] of Object.entries(values)) {
    const field = entity.fields.get(key);
    out[key] = field?.type.normalize ? field.type.normalize(value, field.definition as never) : value;
  }
  return out;
}
