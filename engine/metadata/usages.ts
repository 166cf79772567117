// Usages: every place in the metadata that refers to an item (an entity, a view, a role, …) or to one
// field of an entity — forms, views, workflows, roles, dashboards, reports, segments, formulas,
// rollups, rules, titles, indexes and lookup paths through other entities (`account.industry`),
// string references inside expressions included. What an admin sees before a delete or a rename.

import type { MetadataDocument, MetadataSet } from './metadata-set.ts';
import { escapeRegex } from '../kernel/safe-regex.ts';

export interface Usage {
  kind: string;
  name: string;
  /** JSON pointer of the reference in that document. */
  path: string;
}

export interface UsageTarget {
  kind: string;
  name: string;
  field?: string;
}

/** Subtrees of people's text: a word there is no reference. */
const textKeys = new Set(['label', 'help', 'message', 'description', 'title', 'subject', 'body', 'text', 'placeholder', 'options']);
/** Keys whose string value names an entity. */
const entityKeys = new Set(['entity', 'to', 'from', 'target', 'parentEntity']);
/** Containers whose keys are names of their own (sections, states, widgets, …), never field names. */
const namedContainers = new Set(['sections', 'states', 'transitions', 'widgets', 'rules', 'duplicateRules', 'indexes', 'triggers', 'actions', 'options', 'tabs', 'steps']);

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

type Visit = (value: unknown, key: string, pointer: string, parentKey: string) => boolean;

function walk(node: unknown, pointer: string, key: string, parentKey: string, visit: Visit): void {
  if (visit(node, key, pointer, parentKey)) return;
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${pointer}/${i}`, key, parentKey, visit));
  else if (node && typeof node === 'object') {
    for (const [k, value] of Object.entries(node)) {
      if (textKeys.has(k) && k !== 'options') continue;
      walk(value, `${pointer}/${escapePointer(k)}`, k, key, visit);
    }
  }
}

/** Does a string refer to `path` (a field or a lookup path): exactly, as a path's start, in a sort, or in an expression? */
function refersTo(value: string, path: string): boolean {
  if (value === path || value.startsWith(`${path}.`)) return true;
  // Sort lists: "-amount,name".
  if (/^[-+]?[a-zA-Z][\w.]*(,[-+]?[a-zA-Z][\w.]*)+$|^[-+][a-zA-Z]/.test(value)) return value.split(',').some((part) => refersTo(part.replace(/^[-+]/, ''), path));
  // Expressions: the path as a name not preceded by a dot or a letter (`qty > 10`, `account.name = "x"`).
  return /[\s()=<>!&|+*/,[\]-]/.test(value) && new RegExp(`(^|[^\\w.$"'])${escapeRegex(path)}(?![\\w])`).test(value);
}

/** References to fields (or paths) of an entity within one subtree: keys and string values. */
function fieldReferences(node: unknown, base: string, paths: readonly string[], out: (pointer: string) => void, skip?: ReadonlySet<string>): void {
  walk(node, base, '', '', (value, key, pointer, parentKey) => {
    if (skip?.has(pointer) || (base === '' && ['/kind', '/name', '/entity'].includes(pointer))) return true;
    const depth = pointer.slice(base.length).split('/').length - 1;
    // A key naming the field (form and view fields, columns, filter conditions), below the top level.
    if (key && depth > 1 && !namedContainers.has(parentKey) && paths.some((p) => key === p || key.startsWith(`${p}.`)) && pointer.endsWith(`/${escapePointer(key)}`)) out(pointer);
    else if (typeof value === 'string' && paths.some((p) => refersTo(value, p))) out(pointer);
    return false;
  });
}

/** Every usage of an item, or of one field of an entity. */
export function findUsages(set: MetadataSet, target: UsageTarget): Usage[] {
  return findUsagesWithPaths(set, target).map(({ kind, name, path }) => ({ kind, name, path }));
}

/** A usage of a field with the paths that reach it there (`amount`, or `account.industry` from elsewhere): what a rename rewrites. */
export interface FieldUsage extends Usage {
  paths: string[];
}

/** Every usage, each with the field paths it was found by (a rename rewrites exactly these). */
export function findUsagesWithPaths(set: MetadataSet, target: UsageTarget): FieldUsage[] {
  const usages: FieldUsage[] = [];
  let current: readonly string[] = [];
  const add = (doc: MetadataDocument) => (path: string) => {
    const found = usages.find((u) => u.kind === doc.kind && u.name === doc.name && u.path === path);
    if (found) found.paths = [...new Set([...found.paths, ...current])];
    else usages.push({ kind: doc.kind, name: doc.name, path, paths: [...current] });
  };
  const refs = (node: unknown, base: string, paths: readonly string[], out: (pointer: string) => void, skip?: ReadonlySet<string>) => {
    current = paths;
    fieldReferences(node, base, paths, out, skip);
    current = [];
  };
  const { kind, name, field } = target;
  for (const doc of set.all()) {
    const self = doc.kind === kind && doc.name === name;
    if (kind !== 'entity') {
      if (self) continue;
      // Another item named by a key of its kind: `segment`, `workflow`, `roles`, `approverRole`, …
      const keys = new Set([kind, `${kind}s`]);
      walk(doc, '', '', '', (value, key, pointer, parentKey) => {
        const named = keys.has(key) || keys.has(parentKey) || key.toLowerCase().endsWith(kind.toLowerCase());
        if (typeof value === 'string' && value === name && named) add(doc)(pointer);
        return false;
      });
      continue;
    }
    if (field === undefined) {
      if (self) continue;
      walk(doc, '', '', '', (value, key, pointer, parentKey) => {
        // `entity: "deal"`, a lookup's `to`, and a filter on a polymorphic lookup (`{ "parent.entity": "deal" }`, `$in` lists too).
        const named = entityKeys.has(key) || key.endsWith('.entity') || (key.startsWith('$') && parentKey.endsWith('.entity'));
        if (typeof value === 'string' && value === name && named) add(doc)(pointer);
        else if (parentKey === 'permissions' && key === name && doc.kind === 'role') add(doc)(pointer);
        return false;
      });
      continue;
    }
    // One field of the entity: where its own documents name it, and where others reach it through a lookup.
    const paths = lookupPathsTo(set, doc, name, field);
    if (doc.kind === 'entity') {
      // A lookup filter's keys are the target's fields and its `$record.x` values this entity's: read apart.
      const filters = lookupFilters(doc);
      const skip = new Set(filters.map((f) => f.pointer));
      if (self) refs(doc, '', [field], add(doc), new Set([...skip, `/fields/${escapePointer(field)}`]));
      if (paths.length > 0) refs(doc, '', paths, add(doc), skip);
      for (const lookup of filters) {
        current = [field];
        if (lookup.to === name) filterKeysNaming(lookup.filter, lookup.pointer, field, add(doc));
        current = [`$record.${field}`];
        if (self) recordReferencesTo(lookup.filter, lookup.pointer, field, add(doc));
        current = [];
      }
      for (const [fieldName, def] of Object.entries((doc['fields'] ?? {}) as Record<string, Record<string, unknown>>)) {
        if (def['type'] !== 'rollup' || def['from'] !== name || (def['field'] !== field && def['via'] !== field)) continue;
        current = [field];
        add(doc)(`/fields/${escapePointer(fieldName)}/${def['field'] === field ? 'field' : 'via'}`);
        current = [];
      }
      continue;
    }
    if (doc.kind === 'role') {
      const fields = ((doc['permissions'] as Record<string, { fields?: Record<string, unknown> }> | undefined)?.[name]?.fields ?? {});
      current = [field];
      if (Object.hasOwn(fields, field)) add(doc)(`/permissions/${escapePointer(name)}/fields/${escapePointer(field)}`);
      current = [];
      continue;
    }
    const bound = doc['entity'];
    if (bound === name) refs(doc, '', [field], add(doc));
    else if (typeof bound === 'string') {
      const through = lookupPathsTo(set, set.entity(bound) as unknown as MetadataDocument | undefined, name, field);
      if (through.length > 0) refs(doc, '', through, add(doc));
    }
    // Dashboards and reports: widgets of their own entity.
    for (const [widgetName, widget] of Object.entries((doc['widgets'] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (widget['entity'] === name) refs(widget, `/widgets/${escapePointer(widgetName)}`, [field], add(doc));
    }
  }
  return usages;
}

/** The lookup fields of an entity document that have a filter, with the filter's pointer. */
function lookupFilters(doc: MetadataDocument): { pointer: string; to: unknown; filter: unknown }[] {
  return Object.entries((doc['fields'] ?? {}) as Record<string, Record<string, unknown>>)
    .filter(([, def]) => def['type'] === 'lookup' && def['filter'] !== undefined)
    .map(([name, def]) => ({ pointer: `/fields/${escapePointer(name)}/filter`, to: def['to'], filter: def['filter'] }));
}

/** Condition keys of a filter that name `field` (through `$and`, `$or`, `$nor`). */
function filterKeysNaming(filter: unknown, base: string, field: string, out: (pointer: string) => void): void {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return;
  for (const [key, value] of Object.entries(filter)) {
    const pointer = `${base}/${escapePointer(key)}`;
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) value.forEach((child, i) => filterKeysNaming(child, `${pointer}/${i}`, field, out));
    else if (key === field) out(pointer);
  }
}

/** The `$record.<field>` values of a filter. */
function recordReferencesTo(node: unknown, pointer: string, field: string, out: (pointer: string) => void): void {
  if (node === `$record.${field}`) out(pointer);
  else if (Array.isArray(node)) node.forEach((item, i) => recordReferencesTo(item, `${pointer}/${i}`, field, out));
  else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) recordReferencesTo(value, `${pointer}/${escapePointer(key)}`, field, out);
}

/** `lookup.field` and `lookup.lookup.field` paths from an entity document to a field of `target`. */
function lookupPathsTo(set: MetadataSet, from: MetadataDocument | undefined, target: string, field: string): string[] {
  if (!from || from.kind !== 'entity') return [];
  const out: string[] = [];
  const lookups = (doc: MetadataDocument) => Object.entries((doc['fields'] ?? {}) as Record<string, Record<string, unknown>>).filter(([, def]) => def['type'] === 'lookup');
  for (const [first, def] of lookups(from)) {
    if (def['to'] === target) out.push(`${first}.${field}`);
    const middle = set.get('entity', String(def['to']));
    for (const [second, inner] of middle ? lookups(middle) : []) if (inner['to'] === target) out.push(`${first}.${second}.${field}`);
  }
  return out;
}
