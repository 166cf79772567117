// A diff by JSON pointer turned into lines an admin reads: each property added, removed or changed,
// its place as readable steps ("fields › priority › options") and its values before and after. A
// whole item or sub-object that came or went is spread into its properties.

import type { JsonChange } from '../api/templates.ts';

export interface FieldLine {
  change: 'added' | 'removed' | 'changed';
  /** Property names from the item's root; empty for the item itself. */
  path: string[];
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON pointer's steps, unescaped. */
export function pointerSteps(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Every leaf of a value with its steps (arrays and empty objects are leaves). */
function leaves(value: unknown, path: string[], out: { path: string[]; value: unknown }[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, [...path, key], out);
    return;
  }
  out.push({ path, value });
}

/** The lines of an item's changes; at the item's root its kind and name are left out (the heading says them). */
export function fieldLines(changes: JsonChange[]): FieldLine[] {
  const lines: FieldLine[] = [];
  for (const c of changes) {
    const path = pointerSteps(c.path);
    const spread = (value: unknown, change: 'added' | 'removed') => {
      const found: { path: string[]; value: unknown }[] = [];
      leaves(value, path, found);
      for (const leaf of found) {
        if (leaf.path.length === 1 && (leaf.path[0] === 'kind' || leaf.path[0] === 'name')) continue;
        lines.push(change === 'added' ? { change, path: leaf.path, after: leaf.value } : { change, path: leaf.path, before: leaf.value });
      }
    };
    if (c.before === undefined) spread(c.after, 'added');
    else if (c.after === undefined) spread(c.before, 'removed');
    else lines.push({ change: 'changed', path, before: c.before, after: c.after });
  }
  return lines;
}
