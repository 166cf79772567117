// What metadata a non-admin may read: only entities their roles may read, only the fields they
// may read, and the forms, views, workflows and dashboards of those entities cut down the same
// way. Expressions, rules, indexes, actions and triggers are an admin's business: a user gets
// the shape to render, never a hidden field's name or a webhook's address. Pure functions.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { recordFieldsRead } from '../filter/record-references.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import type { AccessPolicy, Principal } from './policy.ts';

/** What one caller may read, asked per entity and per field path. */
export interface MetadataViewer {
  admin: boolean;
  roles: readonly string[];
  entityReadable(entity: string): boolean;
  /** `amount`, `address.city` (a part of a composite), `account.name` (through a lookup: both ends readable). */
  pathReadable(entity: string, path: string): boolean;
  /** A field others may write that this caller may only read (their role's field access). */
  fieldLocked(entity: string, field: string): boolean;
}

export function metadataViewer(args: { policy: AccessPolicy; principal: Principal; model: CompiledModel }): MetadataViewer {
  const { policy, principal, model } = args;
  const readable = new Map<string, ReadonlySet<string> | undefined>();
  const fieldsOf = (name: string): ReadonlySet<string> | undefined => {
    if (!readable.has(name)) {
      const entity = model.entities.get(name);
      let fields: ReadonlySet<string> | undefined;
      if (entity) {
        try {
          policy.assertEntityAction(principal, entity, 'read');
          fields = policy.readableFields(principal, entity);
        } catch {
          fields = undefined;
        }
      }
      readable.set(name, fields);
    }
    return readable.get(name);
  };
  const pathReadable = (entityName: string, path: string, depth = 0): boolean => {
    const [root, ...rest] = path.split('.');
    const fields = fieldsOf(entityName);
    if (!fields || !root || !fields.has(root)) return false;
    if (rest.length === 0) return true;
    const field = model.entities.get(entityName)?.fields.get(root);
    const target = field?.definition.type === 'lookup' ? (field.definition as { to?: string }).to : undefined;
    if (target === undefined) return true; // a part of a composite field
    return depth < 3 && pathReadable(target, rest.join('.'), depth + 1);
  };
  const fieldLocked = (entityName: string, field: string): boolean => {
    const entity = model.entities.get(entityName);
    return entity !== undefined && entity.writableFields.has(field) && !policy.editableFields(principal, entity).has(field);
  };
  return { admin: principal.admin, roles: principal.roles, entityReadable: (name) => fieldsOf(name) !== undefined, pathReadable: (e, p) => pathReadable(e, p), fieldLocked };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field paths a stored filter (MongoDB-style JSON) names. */
export function filterPaths(filter: unknown): string[] {
  if (Array.isArray(filter)) return filter.flatMap(filterPaths);
  if (!isObject(filter)) return [];
  return Object.entries(filter).flatMap(([key, value]) => (key.startsWith('$') ? filterPaths(value) : [key]));
}

/** Paths in a sort string: `-total,validUntil`. */
function sortPaths(sort: unknown): string[] {
  return typeof sort === 'string' ? sort.split(',').map((s) => s.trim().replace(/^[-+]/, '')).filter(Boolean) : [];
}

/** Identifiers an expression mentions: enough to know it names a hidden field. */
function mentions(expression: unknown): string[] {
  return typeof expression === 'string' ? (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) : [];
}

const fieldKeysForAdminsOnly = new Set(['expression', 'defaultExpression', 'filter', 'condition']);

function narrowEntity(doc: MetadataDocument, viewer: MetadataViewer): MetadataDocument {
  const fields: Json = {};
  for (const [name, definition] of Object.entries((doc['fields'] ?? {}) as Json)) {
    if (!viewer.pathReadable(doc.name, name) || !isObject(definition)) continue;
    const shown = Object.fromEntries(Object.entries(definition).filter(([key]) => !fieldKeysForAdminsOnly.has(key)));
    // A lookup's filter stays an admin's business, but the form must know the field is narrowed and
    // by which of its own values, or its picker offers every record and the save is refused.
    if (definition['filter'] !== undefined) shown['filterReads'] = recordFieldsRead(definition['filter']).filter((read) => viewer.pathReadable(doc.name, read));
    // Read-only to this caller: forms, inline edits and the merge dialog offer no change they would refuse.
    fields[name] = viewer.fieldLocked(doc.name, name) ? { ...shown, readOnly: true } : shown;
  }
  const out: MetadataDocument = { kind: doc.kind, name: doc.name, fields };
  for (const key of ['label', 'pluralLabel', 'description', 'icon']) if (doc[key] !== undefined) out[key] = doc[key];
  if (typeof doc['titleField'] === 'string' && viewer.pathReadable(doc.name, doc['titleField'])) out['titleField'] = doc['titleField'];
  // The duplicates page names each cluster's rule and the fields it matched: a data steward is rarely
  // an admin. A rule is shown by its label and fields — only when the caller may read them all.
  const rules = Object.entries((doc['duplicateRules'] ?? {}) as Json).flatMap(([name, rule]) => {
    if (!isObject(rule) || !Array.isArray(rule['match']) || !rule['match'].every((f) => typeof f === 'string' && viewer.pathReadable(doc.name, f))) return [];
    return [[name, Object.fromEntries(Object.entries(rule).filter(([key]) => ['label', 'match', 'method', 'threshold'].includes(key)))]];
  });
  if (rules.length > 0) out['duplicateRules'] = Object.fromEntries(rules);
  return out;
}

/** Drops condition expressions that mention a field the viewer cannot read. */
function withoutHiddenConditions(item: Json, entity: string, viewer: MetadataViewer, hidden: ReadonlySet<string>): Json {
  return Object.fromEntries(Object.entries(item).filter(([key, value]) => !(/When$/.test(key) && mentions(value).some((name) => hidden.has(name)))));
}

function hiddenFieldsOf(entityDoc: MetadataDocument | undefined, viewer: MetadataViewer): Set<string> {
  return new Set(Object.keys((entityDoc?.['fields'] ?? {}) as Json).filter((name) => !viewer.pathReadable(entityDoc!.name, name)));
}

function narrowForm(doc: MetadataDocument, viewer: MetadataViewer, hidden: ReadonlySet<string>): MetadataDocument {
  const entity = String(doc['entity']);
  const sections: Json = {};
  for (const [name, section] of Object.entries((doc['sections'] ?? {}) as Json)) {
    if (!isObject(section)) continue;
    const narrowed = withoutHiddenConditions(section, entity, viewer, hidden);
    if (isObject(section['fields'])) {
      const fields = Object.fromEntries(
        Object.entries(section['fields']).filter(([field]) => viewer.pathReadable(entity, field)).map(([field, spec]) => [field, isObject(spec) ? withoutHiddenConditions(spec, entity, viewer, hidden) : spec]),
      );
      if (Object.keys(fields).length === 0) continue;
      narrowed['fields'] = fields;
    }
    sections[name] = narrowed;
  }
  return { ...doc, sections };
}

function narrowView(doc: MetadataDocument, viewer: MetadataViewer): MetadataDocument | undefined {
  const entity = String(doc['entity']);
  const kanban = isObject(doc['kanban']) ? doc['kanban'] : undefined;
  const needed = [...filterPaths(doc['filter']), ...sortPaths(doc['sort']), ...(kanban ? [kanban['groupBy'], kanban['sumField']].filter((p): p is string => typeof p === 'string') : [])];
  // A view that filters, sorts or groups on what the viewer cannot read is not theirs to run.
  if (needed.some((path) => !viewer.pathReadable(entity, path))) return undefined;
  const out: MetadataDocument = { ...doc };
  if (isObject(doc['columns'])) out['columns'] = Object.fromEntries(Object.entries(doc['columns']).filter(([path]) => viewer.pathReadable(entity, path)));
  if (kanban && Array.isArray(kanban['cardFields'])) out['kanban'] = { ...kanban, cardFields: kanban['cardFields'].filter((p) => typeof p === 'string' && viewer.pathReadable(entity, p)) };
  return out;
}

const transitionKeysForUsers = ['label', 'order', 'from', 'to', 'roles', 'requiredFields', 'comment', 'confirm', 'guardMessage', 'description'];

function narrowWorkflow(doc: MetadataDocument, viewer: MetadataViewer): MetadataDocument | undefined {
  const entity = String(doc['entity']);
  if (typeof doc['field'] === 'string' && !viewer.pathReadable(entity, doc['field'])) return undefined;
  const transitions: Json = {};
  for (const [name, transition] of Object.entries((doc['transitions'] ?? {}) as Json)) {
    if (!isObject(transition)) continue;
    const kept = Object.fromEntries(Object.entries(transition).filter(([key]) => transitionKeysForUsers.includes(key)));
    if (Array.isArray(kept['requiredFields'])) kept['requiredFields'] = kept['requiredFields'].filter((f) => typeof f === 'string' && viewer.pathReadable(entity, f));
    if (isObject(transition['approval'])) kept['needsApproval'] = true;
    transitions[name] = kept;
  }
  const out: MetadataDocument = { kind: doc.kind, name: doc.name, entity };
  for (const key of ['label', 'description', 'field', 'states']) if (doc[key] !== undefined) out[key] = doc[key];
  if (Object.keys(transitions).length > 0) out['transitions'] = transitions;
  return out;
}

/** The field a group key names: `stage`, or `{ "field": "closedAt", "bucket": "quarter" }`. */
const keyPath = (key: unknown): string[] => (typeof key === 'string' ? [key] : isObject(key) && typeof key['field'] === 'string' ? [key['field']] : []);

/** The field paths a widget reads, by the widget schema: a table's columns and sort, a pivot's keys. */
function widgetPaths(widget: Json): string[] {
  const measure = isObject(widget['measure']) ? widget['measure'] : {};
  const ratio = isObject(widget['ratio']) ? widget['ratio'] : {};
  const columns = Array.isArray(widget['columns']) ? widget['columns'].filter((c): c is string => typeof c === 'string') : keyPath(widget['columns']);
  // Only a table sorts by fields; a bar's sort names its result (value or key).
  const sort = widget['type'] === 'table' ? sortPaths(widget['sort']) : [];
  return [
    ...filterPaths(widget['filter']), ...filterPaths(ratio['filter']), ...sort, ...columns,
    ...(typeof measure['field'] === 'string' ? [measure['field']] : []),
    ...['groupBy', 'series', 'rows'].flatMap((k) => keyPath(widget[k])),
  ];
}

function narrowDashboard(doc: MetadataDocument, viewer: MetadataViewer): MetadataDocument | undefined {
  const widgets = Object.entries((doc['widgets'] ?? {}) as Json).filter(([, widget]) => {
    if (!isObject(widget) || typeof widget['entity'] !== 'string') return false;
    const entity = widget['entity'];
    return viewer.entityReadable(entity) && widgetPaths(widget).every((path) => viewer.pathReadable(entity, path));
  });
  if (widgets.length === 0) return undefined;
  const { byRole: _byRole, ...rest } = doc;
  return { ...rest, widgets: Object.fromEntries(widgets) };
}

/** A role the viewer holds, without entities they cannot read and without the names of hidden fields. */
function narrowRole(doc: MetadataDocument, viewer: MetadataViewer): MetadataDocument {
  const permissions: Json = {};
  for (const [entity, grant] of Object.entries((doc['permissions'] ?? {}) as Json)) {
    if (!viewer.entityReadable(entity) || !isObject(grant)) continue;
    const fields = isObject(grant['fields']) ? Object.fromEntries(Object.entries(grant['fields']).filter(([field]) => viewer.pathReadable(entity, field))) : undefined;
    permissions[entity] = { ...grant, ...(fields ? { fields } : {}) };
  }
  return { ...doc, permissions };
}

/**
 * The document as the viewer may see it, or undefined when they may not see it at all (the API
 * answers 404, as for an item that does not exist). Admins see everything unchanged.
 */
export function narrowDocument(doc: MetadataDocument, viewer: MetadataViewer, entityDoc?: MetadataDocument): MetadataDocument | undefined {
  if (viewer.admin) return doc;
  switch (doc.kind) {
    case 'entity':
      return viewer.entityReadable(doc.name) ? narrowEntity(doc, viewer) : undefined;
    case 'form':
      return viewer.entityReadable(String(doc['entity'])) ? narrowForm(doc, viewer, hiddenFieldsOf(entityDoc, viewer)) : undefined;
    case 'view':
      return viewer.entityReadable(String(doc['entity'])) ? narrowView(doc, viewer) : undefined;
    case 'workflow':
      return viewer.entityReadable(String(doc['entity'])) ? narrowWorkflow(doc, viewer) : undefined;
    case 'role':
      return viewer.roles.includes(doc.name) ? narrowRole(doc, viewer) : undefined;
    case 'dashboard':
      return narrowDashboard(doc, viewer);
    default:
      return undefined; // kinds added later are admin-only until they say otherwise
  }
}
