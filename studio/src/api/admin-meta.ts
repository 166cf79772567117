// Metadata as the admin studio changes it: one full document (with where it came from), the one
// dry run (POST /api/meta/validate) that every save shows first, and the apply that follows it.

import { getJson, postJson } from './client.ts';

/** A metadata document as stored (any kind). */
export type MetaDocument = Record<string, unknown> & { kind: string; name: string };

export interface DryRunIssue {
  kind: string;
  name: string;
  path: string;
  message: string;
  code?: string;
}

export interface DryRunReport {
  valid: boolean;
  baseRevision: number;
  issues: DryRunIssue[];
  changes: { kind: string; name: string; action: 'create' | 'update' | 'delete' }[];
  /** Per changed entity: stored records the new definition would refuse on their next write. */
  impact: { entity: string; records: number; invalid: number; examples: { id: string; issues: { path: string; message: string }[] }[] }[];
  uniqueIndexes: unknown[];
}

const plural: Record<string, string> = { entity: 'entities', workflow: 'workflows', role: 'roles', form: 'forms', view: 'views' };

export function getDocument<T extends MetaDocument>(kind: string, name: string): Promise<T> {
  return getJson<T>(`/api/meta/${plural[kind] ?? `${kind}s`}/${encodeURIComponent(name)}`);
}

export async function listDocuments<T extends MetaDocument>(kind: string): Promise<T[]> {
  const list = await getJson<{ items: { name: string; definition: T }[] }>(`/api/meta/${plural[kind] ?? `${kind}s`}`);
  return list.items.map((i) => i.definition);
}

export function dryRun(documents: MetaDocument[]): Promise<DryRunReport> {
  return postJson<DryRunReport>('/api/meta/validate', { documents });
}

export function applyDocuments(documents: MetaDocument[]): Promise<{ revision: number; changes: DryRunReport['changes'] }> {
  return postJson('/api/meta/apply', { documents });
}
