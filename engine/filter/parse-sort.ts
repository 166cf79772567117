// filter/parse-sort: turns a sort parameter such as `-amount,name` into sort keys on sortable fields.

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { FieldResolver, SortKey } from './filter-tree.ts';

export const maxSortKeys = 8;

/** Parses `-amount,name` (a leading `-` sorts descending, `+` or nothing ascending). Throws CrmError INVALID_QUERY. */
export function parseSort(text: string, resolve: FieldResolver): SortKey[] {
  const issues: IssueDetail[] = [];
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  const parts = text.trim() === '' ? [] : text.split(',');
  if (parts.length > maxSortKeys) issues.push({ path: '/sort', message: `sort by at most ${maxSortKeys} fields`, code: 'TOO_MANY_KEYS' });
  for (const [index, raw] of parts.entries()) {
    const part = raw.trim();
    const direction = part.startsWith('-') ? -1 : 1;
    const name = part.startsWith('-') || part.startsWith('+') ? part.slice(1) : part;
    const where = `sort key ${index + 1}`;
    if (name === '') {
      issues.push({ path: '/sort', message: `${where} is empty`, code: 'WRONG_TYPE' });
      continue;
    }
    const field = resolve(name);
    if (field === undefined) issues.push({ path: '/sort', message: `${where}: unknown field "${name}"`, code: 'UNKNOWN_FIELD' });
    else if (!field.sortable || field.array) issues.push({ path: '/sort', message: `${where}: "${name}" cannot be sorted on`, code: 'NOT_SORTABLE' });
    else if (seen.has(name)) issues.push({ path: '/sort', message: `${where}: "${name}" appears twice`, code: 'DUPLICATE_KEY' });
    else keys.push({ field, direction });
    seen.add(name);
  }
  if (issues.length > 0) throw new CrmError('INVALID_QUERY', { en: 'The sort is not valid', zh: '排序参数无效' }, issues);
  return keys;
}
