// kinds/: one module per metadata kind — its URL name and the checks its documents need beyond
// their JSON Schema (references to entities and fields across the whole set).

import type { IssueDetail } from '../kernel/errors.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';
import { systemFieldNames } from '../fields/system-fields.ts';

export interface MetadataKind {
  /** The document's `kind`: `entity`. */
  readonly kind: string;
  /** The URL segment: `/api/meta/entities`. */
  readonly plural: string;
  /** Cross-reference checks against the candidate set. Returns issues, never throws. */
  check(document: MetadataDocument, set: MetadataSet): IssueDetail[];
}

/** For kinds bound to one entity: the entity must exist and named fields must be its own. */
export function checkEntityReference(document: MetadataDocument, set: MetadataSet): IssueDetail[] {
  const entity = document['entity'];
  if (typeof entity === 'string' && !set.entity(entity)) {
    return [{ path: '/entity', message: `refers to entity "${entity}", which does not exist` }];
  }
  return [];
}

export function checkFieldReference(set: MetadataSet, entityName: unknown, field: unknown, path: string): IssueDetail[] {
  if (typeof entityName !== 'string' || typeof field !== 'string') return [];
  const entity = set.entity(entityName);
  if (!entity) return [];
  const root = field.split('.')[0]!;
  return Object.hasOwn(entity.fields, root) || systemFieldNames.has(root)
    ? []
    : [{ path, message: `refers to "${field}", which is not a field of ${entityName}` }];
}
