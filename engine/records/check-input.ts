// The first look at what a client sent: only a JSON object, no poisoned keys, and no field the
// caller may not write (system fields, computed fields, workflow-driven fields, fields the role
// may not edit) — refused by name, never silently ignored.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import { CrmError, type IssueDetail, maxIssueDetails, pointer, localizedDetail } from '../kernel/errors.ts';
import { labelsOf, type Locale } from '../kernel/i18n.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';
import type { RecordValues } from './record-shape.ts';

const unknownProperty = { en: 'is not a known property here', zh: '此处不是已知属性' };

/**
 * `readable`, when given, is what the caller may read: a field they may not read is refused exactly
 * like a field that does not exist, so that a write tells nothing about hidden fields either.
 */
export function checkInput(args: { input: unknown; entity: CompiledEntity; editable: ReadonlySet<string>; readable?: ReadonlySet<string>; locale: Locale; allowDriven?: boolean }): RecordValues {
  const { input, entity, editable, locale } = args;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new CrmError('INVALID_RECORD', undefined, [localizedDetail({ path: '', text: { en: 'must be a JSON object', zh: '必须是 JSON 对象' } }, locale)]);
  }
  const forbidden = findForbiddenKeys(input);
  if (forbidden.length > 0) throw new CrmError('INVALID_RECORD', undefined, forbidden);
  // More unknown keys than an error reports: refused here, before the validator lists each of them.
  const unknownKeys = Object.keys(input).filter((key) => !entity.fields.has(key) && !systemFieldNames.has(key));
  if (unknownKeys.length > maxIssueDetails) {
    throw new CrmError('INVALID_RECORD', undefined, unknownKeys.map((key) => localizedDetail({ path: pointer(key), code: 'additionalProperties', text: unknownProperty }, locale)));
  }
  const issues: IssueDetail[] = [];
  const hidden: IssueDetail[] = [];
  // A field is named by its label (an import shows the reason beside a column: "status" reads as code).
  const named = (key: string) => labelsOf(entity.fields.get(key)?.definition.label, key);
  for (const key of Object.keys(input)) {
    const field = entity.fields.get(key);
    if (field && field.type.compute === 'none' && editable.has(key) && !entity.drivenFields.has(key) && (!args.readable || args.readable.has(key)) && !systemFieldNames.has(key)) continue; // the usual case: nothing to say
    const path = pointer(key);
    if (field && args.readable && !args.readable.has(key) && !editable.has(key)) {
      hidden.push(localizedDetail({ path, code: 'additionalProperties', text: unknownProperty }, locale));
    } else if (systemFieldNames.has(key)) {
      issues.push(localizedDetail({ path, code: 'READ_ONLY_FIELD', text: { en: `"${key}" is maintained by the system and cannot be set`, zh: `「${key}」由系统维护，不能设置` } }, locale));
    } else if (!field) {
      continue; // the validator reports unknown fields with its own message
    } else if (field.type.compute !== 'none') {
      issues.push(localizedDetail({ path, code: 'READ_ONLY_FIELD', text: { en: `"${named(key).en}" is computed and cannot be set`, zh: `「${named(key).zh}」是计算字段，不能设置` } }, locale));
    } else if (entity.drivenFields.has(key) && !args.allowDriven) {
      issues.push(localizedDetail({ path, code: 'READ_ONLY_FIELD', text: { en: `"${named(key).en}" is driven by a workflow: change it by taking a transition`, zh: `「${named(key).zh}」由流程驱动，只能通过流转修改` } }, locale));
    } else if (!editable.has(key) && !(args.allowDriven && entity.drivenFields.has(key))) {
      issues.push(localizedDetail({ path, code: 'READ_ONLY_FIELD', text: { en: `you may not change "${named(key).en}"`, zh: `无权修改「${named(key).zh}」` } }, locale));
    }
  }
  if (hidden.length > 0) throw new CrmError('INVALID_RECORD', undefined, [...hidden, ...issues]);
  if (issues.length > 0) throw new CrmError('READ_ONLY_FIELD', undefined, issues);
  return input as RecordValues;
}
