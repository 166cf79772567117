// Incremental checks: a change re-checks the documents it touches and those that may depend on them,
// not the whole set. What a document depends on is read from what it mentions — every string value
// and object key in it (entity names, lookup targets, role keys, segment, report and workflow names)
// — followed through entities up to two further steps (lookup paths reach two hops), plus the checks
// that compare documents of one kind with each other (two default forms or views of an entity, two
// workflows on one field, mail addresses, entity names differing in case or by "Input").
// The documents left out are those the full check (checkSet) would find exactly as before.

import type { DocumentIssues } from './check-metadata.ts';
import { checkDocument } from './check-metadata.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';

export interface ChangedItem {
  kind: string;
  name: string;
  before?: MetadataDocument | undefined;
  after?: MetadataDocument | undefined;
}

const mentionsOf = new WeakMap<object, ReadonlySet<string>>();

/** Every string value and object key in a document (cached per document: documents are never changed). */
export function mentions(document: MetadataDocument): ReadonlySet<string> {
  let found = mentionsOf.get(document);
  if (found) return found;
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') out.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        out.add(key);
        walk(value);
      }
    }
  };
  walk(document);
  mentionsOf.set(document, (found = out));
  return found;
}

/** Kinds whose documents are compared with each other by their checks: a change re-checks its kind. */
const comparedWithinKind = new Set(['form', 'view', 'workflow', 'mailChannel', 'role', 'dashboard', 'report', 'segment', 'subscription', 'inbound']);

const inputSuffix = 'input';

/** Entity names the checks compare one name with: the same in any case, with or without "Input". */
function nameFamily(name: string): string[] {
  const lower = name.toLowerCase();
  return [lower, lower + inputSuffix, ...(lower.endsWith(inputSuffix) ? [lower.slice(0, -inputSuffix.length)] : [])];
}

/** The documents of `set` a change may affect the issues of: the changed ones first. */
export function documentsToCheck(set: MetadataSet, changes: readonly ChangedItem[]): MetadataDocument[] {
  if (changes.length === 0) return [];
  const touched = new Set<string>();
  const kinds = new Set<string>();
  const entityFamilies = new Set<string>();
  for (const change of changes) {
    touched.add(change.name);
    kinds.add(change.kind);
    for (const doc of [change.before, change.after]) {
      const entity = doc?.['entity'];
      if (typeof entity === 'string') touched.add(entity);
    }
    if (change.kind === 'entity') for (const name of nameFamily(change.name)) entityFamilies.add(name);
  }
  // Two steps through entities: an entity that mentions a touched name is touched in turn (a path
  // `account.parent.name` from a view on deals reads two entities beyond the view's own).
  const entities = set.entities() as unknown as MetadataDocument[];
  let reach = touched;
  for (let step = 0; step < 2; step++) {
    const next = new Set(reach);
    for (const entity of entities) {
      if (next.has(entity.name)) continue;
      for (const name of mentions(entity)) {
        if (reach.has(name)) {
          next.add(entity.name);
          break;
        }
      }
    }
    reach = next;
  }
  const changed = new Set(changes.map((c) => `${c.kind}/${c.name}`));
  const first: MetadataDocument[] = [];
  const rest: MetadataDocument[] = [];
  for (const doc of set.all()) {
    if (changed.has(`${doc.kind}/${doc.name}`)) {
      first.push(doc);
      continue;
    }
    const affected =
      reach.has(doc.name) ||
      (comparedWithinKind.has(doc.kind) && kinds.has(doc.kind)) ||
      (doc.kind === 'entity' && entityFamilies.has(doc.name.toLowerCase())) ||
      [...mentions(doc)].some((name) => reach.has(name));
    if (affected) rest.push(doc);
  }
  return [...first, ...rest];
}

/** The issues of the documents a change may affect (see documentsToCheck), changed documents first. */
export function checkChanges(set: MetadataSet, changes: readonly ChangedItem[]): DocumentIssues[] {
  return documentsToCheck(set, changes)
    .map((doc) => ({ kind: doc.kind, name: doc.name, issues: checkDocument(doc, set) }))
    .filter((entry) => entry.issues.length > 0);
}
