// Checks of the small JSON bodies the security endpoints take: each problem reported with its
// JSON pointer, all at once, in the one error shape; unknown and poisoned keys refused.

import { CrmError, type IssueDetail, pointer } from '../kernel/errors.ts';
import { localize, locales, type Locale } from '../kernel/i18n.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';

export type FieldCheck = { type: 'string'; maxLength?: number; pattern?: RegExp; oneOf?: readonly string[] } | { type: 'boolean' } | { type: 'strings'; maxItems?: number };

/** The body as an object with only the known keys, each of its declared type; throws BAD_REQUEST listing every issue. */
export function checkBody(body: unknown, spec: Record<string, FieldCheck>, options: { required?: readonly string[]; locale: Locale }): Record<string, unknown> {
  const { locale } = options;
  const msg = (en: string, zh: string) => localize({ en, zh }, locale);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: msg('must be a JSON object', '必须是 JSON 对象') }]);
  const forbidden = findForbiddenKeys(body);
  if (forbidden.length > 0) throw new CrmError('BAD_REQUEST', undefined, forbidden);
  const issues: IssueDetail[] = [];
  const values = body as Record<string, unknown>;
  for (const key of options.required ?? []) if (values[key] === undefined) issues.push({ path: pointer(key), message: msg('is required', '必填') });
  for (const [key, value] of Object.entries(values)) {
    const check = spec[key];
    const path = pointer(key);
    if (!check) {
      issues.push({ path, message: msg('is not a known property', '不是已知属性') });
    } else if (check.type === 'string') {
      if (typeof value !== 'string') issues.push({ path, message: msg('must be a string', '必须是字符串') });
      else if (value.length > (check.maxLength ?? 200)) issues.push({ path, message: msg(`must have at most ${check.maxLength ?? 200} characters`, `最多 ${check.maxLength ?? 200} 个字符`) });
      else if (check.oneOf && !check.oneOf.includes(value)) {
        const allowed = check.oneOf.map((v) => JSON.stringify(v)).join(', ');
        issues.push({ path, message: msg(`must be one of ${allowed}`, `必须是以下之一：${allowed}`) });
      } else if (check.pattern && !check.pattern.test(value)) issues.push({ path, message: msg('has the wrong format', '格式不正确') });
    } else if (check.type === 'boolean') {
      if (typeof value !== 'boolean') issues.push({ path, message: msg('must be true or false', '必须是 true 或 false') });
    } else if (!Array.isArray(value) || value.some((v) => typeof v !== 'string') || value.length > (check.maxItems ?? 100)) {
      issues.push({ path, message: msg(`must be a list of at most ${check.maxItems ?? 100} strings`, `必须是最多 ${check.maxItems ?? 100} 个字符串的列表`) });
    }
  }
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  return values;
}

export const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;
export const identifierPattern = /^[a-z][A-Za-z0-9]{0,63}$/;

/** A user's language (of their notifications and e-mails, and the studio's once signed in). */
export const localeCheck: FieldCheck = { type: 'string', oneOf: locales };
