// Checks metadata documents: first against their kind's JSON Schema, then — only when the shape
// is right — against the rest of the candidate set. Every issue is returned; nothing throws.

import type { IssueDetail } from '../kernel/errors.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';
import { checkDocumentSchema } from '../metadata/document-schemas.ts';
import { findKind } from './registry.ts';
import type { MetadataDocument, MetadataSet } from '../metadata/metadata-set.ts';

/** Issues of one document within the candidate set it would belong to. */
export function checkDocument(document: unknown, set: MetadataSet): IssueDetail[] {
  const forbidden = findForbiddenKeys(document);
  if (forbidden.length > 0) return forbidden;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return [{ path: '', message: 'must be a JSON object' }];
  const kindName = (document as { kind?: unknown }).kind;
  const kind = typeof kindName === 'string' ? findKind(kindName) : undefined;
  if (!kind) return [{ path: '/kind', message: `must be a known metadata kind` }];
  const schemaIssues = checkDocumentSchema(kind.kind, document);
  if (schemaIssues.length > 0) return schemaIssues;
  return kind.check(document as MetadataDocument, set);
}

export interface DocumentIssues {
  kind: string;
  name: string;
  issues: IssueDetail[];
}

/** Every document of the set checked against the set; only documents with issues are listed. */
export function checkSet(set: MetadataSet): DocumentIssues[] {
  return set
    .all()
    .map((doc) => ({ kind: doc.kind, name: doc.name, issues: checkDocument(doc, set) }))
    .filter((entry) => entry.issues.length > 0);
}
