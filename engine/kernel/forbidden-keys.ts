// kernel/forbidden-keys: keys that would poison objects built from client input (prototype
// pollution) are refused everywhere — record bodies, filters, metadata, templates, sign-in.

import { type IssueDetail, pointerSegment } from './errors.ts';

export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Every forbidden key anywhere in a JSON value, each with its JSON pointer. */
export function findForbiddenKeys(value: unknown, path = ''): IssueDetail[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findForbiddenKeys(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    forbiddenKeys.has(key) ? [{ path: `${path}/${key}`, message: 'this key is not allowed' }] : findForbiddenKeys(item, `${path}/${pointerSegment(key)}`),
  );
}
