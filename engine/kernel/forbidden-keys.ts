// kernel/forbidden-keys: keys that would poison objects built from client input (prototype
// pollution) are refused everywhere — record bodies, filters, metadata, templates, sign-in.

import { type IssueDetail, pointerSegment } from './errors.ts';

export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names every JavaScript object already has (`hasOwnProperty`, `toString`, `valueOf`, …). A record
 * whose own key shadows one breaks code that calls it on the record (JSON Merge Patch calls
 * `target.hasOwnProperty`, the type generator `schema.hasOwnProperty`), so no field may take one.
 */
export const objectMemberNames: ReadonlySet<string> = new Set([...forbiddenKeys, ...Object.getOwnPropertyNames(Object.prototype)]);

/** Every forbidden key anywhere in a JSON value, each with its JSON pointer. */
export function findForbiddenKeys(value: unknown, path = ''): IssueDetail[] {
  // Almost every value is clean: a walk that allocates nothing says so before any path is built.
  if (!hasForbiddenKey(value)) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findForbiddenKeys(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    forbiddenKeys.has(key) ? [{ path: `${path}/${key}`, code: 'FORBIDDEN_KEY', message: `"${key}" is not allowed as a key: every JavaScript object has it, and taken as data it could change objects built from this input` }] : findForbiddenKeys(item, `${path}/${pointerSegment(key)}`),
  );
}

function hasForbiddenKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasForbiddenKey(item)) return true;
    return false;
  }
  for (const key of Object.keys(value)) if (forbiddenKeys.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key])) return true;
  return false;
}
