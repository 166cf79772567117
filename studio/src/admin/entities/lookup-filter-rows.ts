// A lookup filter ⇄ rows of "target field = $record.field": the simple shape the designer edits.

import { recordReference } from '../../../../engine/filter/record-references.ts';

export interface FilterRow {
  targetField: string;
  recordField: string;
}

/** The rows a filter is made of; undefined when it is more than such rows. */
export function filterRows(filter: unknown): FilterRow[] | undefined {
  if (filter === undefined) return [];
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return undefined;
  const rows: FilterRow[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const field = typeof value === 'string' ? recordReference.exec(value)?.[1] : undefined;
    if (key.startsWith('$') || field === undefined) return undefined;
    rows.push({ targetField: key, recordField: field });
  }
  return rows;
}

/** The filter of the complete rows; undefined when there is none. */
export function rowsToFilter(rows: readonly FilterRow[]): Record<string, string> | undefined {
  const complete = rows.filter((r) => r.targetField && r.recordField);
  return complete.length === 0 ? undefined : Object.fromEntries(complete.map((r) => [r.targetField, `$record.${r.recordField}`]));
}
