// Rewriting what the usages finder found (metadata/usages.ts): each usage is a JSON pointer to a key
// naming a field path (a form's field, a view column, a filter condition, a role's field grant) or
// to a string that refers to one (a title field, a sort list, an expression). A rename rewrites
// exactly those pointers, so the usages an admin sees are the references that change.

import type { FieldUsage } from '../metadata/usages.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { escapeRegex } from '../kernel/safe-regex.ts';

/** old path → new path (`amount` → `total`, `account.industry` → `account.sector`). */
export type PathRenames = ReadonlyMap<string, string>;

const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const sortList = /^[-+]?[a-zA-Z][\w.]*(,[-+]?[a-zA-Z][\w.]*)+$|^[-+][a-zA-Z]/;

/** A path, or a path's start (`account.industry` for `account`), renamed; undefined when it names none of them. */
function renamePath(value: string, renames: PathRenames): string | undefined {
  for (const [from, to] of renames) {
    if (value === from) return to;
    if (value.startsWith(`${from}.`)) return to + value.slice(from.length);
  }
  return undefined;
}

/** One string with every reference to a renamed path rewritten (the same shapes usages.ts recognises). */
export function rewriteString(value: string, renames: PathRenames): string {
  const whole = renamePath(value, renames);
  if (whole !== undefined) return whole;
  if (sortList.test(value)) {
    return value.split(',').map((part) => {
      const sign = /^[-+]/.exec(part)?.[0] ?? '';
      return sign + (renamePath(part.slice(sign.length), renames) ?? part.slice(sign.length));
    }).join(',');
  }
  // Expressions: the path as a name not preceded by a dot, a letter, `$` or a quote; longest first.
  let out = value;
  for (const [from, to] of [...renames].sort((a, b) => b[0].length - a[0].length)) {
    out = out.replace(new RegExp(`(^|[^\\w.$"'])${escapeRegex(from)}(?![\\w])`, 'g'), (_m, before: string) => `${before}${to}`);
  }
  return out;
}

/** An object with one key renamed, in its place (documents keep their order). */
export function renameKey<T>(node: Record<string, T>, from: string, to: string): Record<string, T> {
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k === from ? to : k, v]));
}

/**
 * The documents with every usage rewritten, by document (`kind/name`). Deeper pointers first, so a
 * key renamed above them does not move them. Usages whose reference did not change are left out.
 */
export function rewriteUsages(documents: ReadonlyMap<string, MetadataDocument>, usages: readonly FieldUsage[], renamesOf: (usage: FieldUsage) => PathRenames): { documents: Map<string, MetadataDocument>; rewritten: FieldUsage[] } {
  const out = new Map<string, MetadataDocument>();
  const rewritten: FieldUsage[] = [];
  const depth = (u: FieldUsage) => u.path.split('/').length;
  for (const usage of [...usages].sort((a, b) => depth(b) - depth(a))) {
    const id = `${usage.kind}/${usage.name}`;
    const doc = out.get(id) ?? structuredClone(documents.get(id));
    if (!doc) continue;
    const renames = renamesOf(usage);
    const segments = usage.path.split('/').slice(1).map(unescapePointer);
    const last = segments.pop();
    if (last === undefined) continue;
    let parent: unknown = doc;
    for (const segment of segments) parent = (parent as Record<string, unknown>)?.[segment];
    if (!parent || typeof parent !== 'object') continue;
    const container = parent as Record<string, unknown>;
    let changed = false;
    const value = container[last];
    if (typeof value === 'string') {
      const next = rewriteString(value, renames);
      if (next !== value) {
        container[last] = next;
        changed = true;
      }
    }
    const newKey = Array.isArray(container) ? undefined : renamePath(last, renames);
    if (newKey !== undefined && newKey !== last) {
      const renamed = renameKey(container, last, newKey);
      for (const k of Object.keys(container)) delete container[k];
      Object.assign(container, renamed);
      changed = true;
    }
    if (!changed) continue;
    out.set(id, doc);
    rewritten.push(usage);
  }
  return { documents: out, rewritten };
}
