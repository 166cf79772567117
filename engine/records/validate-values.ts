// Validation of a record's writable values against its entity's compiled schema, with messages in
// the caller's language, then normalization into the stored form.

import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { localizeDetailMessage } from '../kernel/detail-text.ts';
import { CrmError, localizedDetail, pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { describeAjvError } from '../metadata/document-schemas.ts';
import type { RecordValues } from './record-shape.ts';

// ajv-i18n is CommonJS exporting a bare function, which its typings describe as a default export.
const localizeZh = createRequire(import.meta.url)('ajv-i18n/localize/zh') as (errors: ErrorObject[]) => void;

/**
 * Returns the issues of a record's writable values; an empty list means valid. Each issue carries
 * its message in every language (`text`), so a report kept for later (an import's rejected rows)
 * reads in its reader's language: ajv's errors are described once per language, only when there are any.
 */
export function checkValues(entity: CompiledEntity, values: RecordValues, locale: Locale): IssueDetail[] {
  if (entity.validateInput(values)) return valueIssues(entity, values, locale);
  // ajv shares one errors array per validator: copy before anything else runs it.
  const en = (entity.validateInput.errors ?? []).map((e) => ({ ...e })) as ErrorObject[];
  const zh = en.map((e) => ({ ...e }));
  localizeZh(zh);
  const issues: IssueDetail[] = [];
  const seen = new Set<string>();
  // A bound on a value that is not a date at all ("31/12/2026" against "2030-12-31") compares
  // strings and says something untrue about it: its format error says all.
  const badFormat = new Set(en.filter((e) => e.keyword === 'format').map((e) => e.instancePath));
  for (const [index, error] of en.entries()) {
    if (error.keyword.startsWith('format') && error.keyword !== 'format' && badFormat.has(error.instancePath)) continue;
    const issue = describeAjvError(error);
    if (!issue) continue;
    const own = typeMessage(entity, error);
    // A web address failing both its format and its pattern is one issue in the type's words.
    const key = `${issue.path}\u0000${own ? localize(own, 'en') : issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The messages the engine words itself ("is required", "must be one of …") are English in both copies.
    const text = own ?? { en: issue.message, zh: localizeDetailMessage(describeAjvError(zh[index]!)!.message, 'zh') };
    issues.push(localizedDetail({ path: issue.path, ...(issue.code !== undefined ? { code: issue.code } : {}), text }, locale));
  }
  // Every issue, not the schema's alone: a number with too many decimals beside a text too long is two
  // (the dry run and the quality report count each field). A field the schema refused is said once.
  const refused = new Set(issues.map((i) => i.path));
  return [...issues, ...valueIssues(entity, values, locale).filter((i) => !refused.has(i.path))];
}

/** The field type's own words for a keyword of its schema that failed on a field's value itself (not inside it). */
function typeMessage(entity: CompiledEntity, error: ErrorObject): LocalizedText | undefined {
  if (error.keyword !== 'pattern' && error.keyword !== 'format') return undefined;
  const segments = error.instancePath.split('/');
  if (segments.length !== 2) return undefined;
  const field = entity.fields.get(segments[1]!.replace(/~1/g, '/').replace(/~0/g, '~'));
  return field?.type.valueMessages?.[error.keyword];
}

/** What a field type checks beyond its schema (a scale), for values the schema accepted. */
function valueIssues(entity: CompiledEntity, values: RecordValues, locale: Locale): IssueDetail[] {
  const issues: IssueDetail[] = [];
  // Keys, not entries: no array per field (bulk writes check every record).
  for (const key of Object.keys(values)) {
    const field = entity.fields.get(key);
    const issue = field?.type.valueIssue?.(values[key], field.definition as never);
    if (issue) issues.push(localizedDetail({ path: pointer(key), code: 'scale', text: issue }, locale));
  }
  return issues;
}

export function assertValidValues(entity: CompiledEntity, values: RecordValues, locale: Locale): void {
  const issues = checkValues(entity, values, locale);
  if (issues.length > 0) throw new CrmError('INVALID_RECORD', undefined, issues);
}

export function normalizeValues(entity: CompiledEntity, values: RecordValues): RecordValues {
  const out: RecordValues = {};
  for (const key of Object.keys(values)) {
    const field = entity.fields.get(key);
    out[key] = field?.type.normalize ? field.type.normalize(values[key], field.definition as never) : values[key];
  }
  return out;
}
