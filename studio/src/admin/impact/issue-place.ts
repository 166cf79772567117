// Where a dry run's issue is, as the admin knows the place: the item by its label, then the field,
// section, option or rule inside it by their labels, then the property — instead of the JSON pointer
// (`/sections/section1/fields/student/widget`), which stays as a secondary detail. Labels come from
// the documents under review first (a field added in this draft), then from the saved metadata.

import type { Label } from '../../i18n/i18n.ts';

type Doc = Record<string, unknown>;

/** One step of the place: a part of the item (its kind, for the words) and what it is called. */
export interface PlaceStep {
  part: string;
  name: string;
  label: string;
}

export interface IssuePlace {
  steps: PlaceStep[];
  /** The properties left after the named parts (e.g. `expression`), outermost first. */
  properties: string[];
}

export interface PlaceLookup {
  /** The document of an item: the one under review, else the saved one. */
  document: (kind: string, name: string) => Doc | undefined;
  label: (label: Label | undefined, fallback: string) => string;
}

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const record = (value: unknown): Doc | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : undefined);
const labelOf = (value: unknown): Label | undefined => (record(value)?.['label'] ?? record(value)?.['title']) as Label | undefined;

// The collections inside an item whose keys name a part (the part's kind for the words).
const namedParts: Record<string, string> = {
  fields: 'field',
  options: 'option',
  rules: 'rule',
  duplicateRules: 'duplicateRule',
  indexes: 'index',
  sections: 'section',
  states: 'state',
  transitions: 'transition',
  widgets: 'widget',
  columns: 'column',
  actions: 'action',
  triggers: 'trigger',
};

/** The place of an issue of item `kind`/`name` at JSON pointer `path` (relative to the item). */
export function issuePlace(issue: { kind?: string; name?: string; path: string }, lookup: PlaceLookup): IssuePlace {
  const steps: PlaceStep[] = [];
  const properties: string[] = [];
  if (!issue.kind || !issue.name) return { steps, properties: segments(issue.path) };
  const root = lookup.document(issue.kind, issue.name);
  steps.push({ part: issue.kind, name: issue.name, label: lookup.label(labelOf(root), issue.name) });
  // A form's fields are its entity's: their labels come from there unless the form overrides one.
  const entityName = issue.kind === 'entity' ? issue.name : typeof root?.['entity'] === 'string' ? root['entity'] : undefined;
  const entity = entityName ? lookup.document('entity', entityName) : undefined;
  let node: unknown = root;
  let field: Doc | undefined;
  const rest = segments(issue.path);
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i]!;
    const part = namedParts[key];
    const name = rest[i + 1];
    if (part && name !== undefined && !/^\d+$/.test(name)) {
      const child = record(record(record(node)?.[key])?.[name]);
      let label = labelOf(child);
      if (part === 'field' && entity) {
        field = record(record(entity['fields'])?.[name]);
        label ??= labelOf(field);
      }
      if (part === 'option') label ??= labelOf(record(record(field?.['options'])?.[name]));
      steps.push({ part, name, label: lookup.label(label, name) });
      node = child;
      i++;
      continue;
    }
    properties.push(key);
    node = record(node)?.[key];
  }
  return { steps, properties };
}

function segments(path: string): string[] {
  return path.split('/').slice(1).filter((s) => s !== '').map(unescape);
}

/** A record issue's field by its label ("Fee: "), or nothing for the record as a whole. */
export function recordPlace(labels: { field: (entity: string, field: string) => string }, entity: string, path: string): string {
  const field = segments(path)[0];
  return field ? `${labels.field(entity, field)}: ` : '';
}
