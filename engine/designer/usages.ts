// "Where is this used": every place in the metadata that names an entity or one of its fields —
// forms, views, workflows, roles, dashboards, other entities' lookups and rollups, formulas, rules,
// indexes, and names inside expressions — each as the item and the JSON pointer of the reference.
// A walk over the documents, so a new kind's references are found without code here.

import { pointer } from '../kernel/errors.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';

export interface Usage {
  kind: string;
  name: string;
  /** JSON pointer inside that item. */
  path: string;
  /** What refers: a name, a key, or an expression that mentions it. */
  as: 'name' | 'key' | 'expression';
}

// Prose is no reference: labels, descriptions, help and messages are skipped.
const proseKeys = new Set(['label', 'pluralLabel', 'description', 'help', 'message', 'title', 'placeholder', 'subject', 'body', 'text']);
const identifier = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function mentions(expression: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_$.])${word.replace(/[$]/g, '\\$')}(?![A-Za-z0-9_])`).test(expression);
}

function walk(value: unknown, path: string[], visit: (value: unknown, path: string[], key: string | undefined) => void): void {
  const key = path[path.length - 1];
  if (key !== undefined && proseKeys.has(key)) return;
  visit(value, path, key);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

const entityOf = (doc: MetadataDocument): string | undefined => (doc.kind === 'entity' ? doc.name : typeof doc['entity'] === 'string' ? doc['entity'] : undefined);

/** Items that refer to an entity (by its name as a value or a key), the entity itself excluded. */
export function entityUsages(set: MetadataSet, entity: string): Usage[] {
  const out: Usage[] = [];
  for (const doc of set.all()) {
    if (doc.kind === 'entity' && doc.name === entity) continue;
    walk(doc, [], (value, path, key) => {
      if (path.length === 0) return;
      if (key === entity && path.length > 0) out.push({ kind: doc.kind, name: doc.name, path: pointer(...path), as: 'key' });
      else if (value === entity && key !== 'name') out.push({ kind: doc.kind, name: doc.name, path: pointer(...path), as: 'name' });
    });
  }
  return out;
}

/**
 * Items that refer to a field: in the documents about its entity (the entity's other fields, rules,
 * indexes; its forms, views, workflows), in documents that name the entity and the field together
 * (roles' grants, dashboards' widgets, other entities' rollups through it), and expressions.
 */
export function fieldUsages(set: MetadataSet, entity: string, field: string): Usage[] {
  const out: Usage[] = [];
  for (const doc of set.all()) {
    const own = entityOf(doc) === entity;
    walk(doc, [], (value, path, key) => {
      if (path.length === 0) return;
      // Within its own definition (/fields/<field>) the field is not "used".
      if (doc.kind === 'entity' && doc.name === entity && path[0] === 'fields' && path[1] === field) return;
      // Outside its entity's documents, only beside a mention of the entity in the same object.
      const scoped = own || pathNamesEntity(doc, path, entity);
      if (!scoped) return;
      if (key === field) out.push({ kind: doc.kind, name: doc.name, path: pointer(...path), as: 'key' });
      else if (typeof value === 'string') {
        const name = value.replace(/^-/, '');
        if (name === field || name.split('.')[0] === field) out.push({ kind: doc.kind, name: doc.name, path: pointer(...path), as: 'name' });
        else if (!identifier.test(value) && mentions(value, field)) out.push({ kind: doc.kind, name: doc.name, path: pointer(...path), as: 'expression' });
      }
    });
  }
  return out;
}

/** True when an object on the way down to `path` names the entity (`entity`, `from`, `to`) or is keyed by it. */
function pathNamesEntity(doc: MetadataDocument, path: string[], entity: string): boolean {
  let node: unknown = doc;
  for (const segment of path.slice(0, -1)) {
    if (segment === entity) return true;
    if (!node || typeof node !== 'object') return false;
    const o = node as Record<string, unknown>;
    if (o['entity'] === entity || o['from'] === entity || (o['to'] === entity && o !== doc)) return true;
    node = o[segment];
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['entity'] === entity || o['from'] === entity) return true;
  }
  return false;
}
