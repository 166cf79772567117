// Metadata history (admin): revisions with who and when, each item's diff, revert with its dry run,
// and the admin's overlays over template items (served beside the bundle routes).

import type { operations } from '../../../sdk/src/generated/schema.ts';
import { getJson, request } from './client.ts';
import type { ItemLabel, JsonChange, RecordImpact, StepIssue, UniqueIndexClash } from './templates.ts';

export type RevisionSummary = operations['listRevisions']['responses'][200]['content']['application/json']['items'][number];
type ChangeAction = 'create' | 'update' | 'delete';

export interface RevisionDetail {
  revision: number;
  at: string;
  by: string;
  /** An English one-liner kept for older clients: show `operation` and the items' labels instead. */
  message?: string;
  operation?: RevisionSummary['operation'];
  changes: { kind: string; name: string; action: ChangeAction; label?: string | { en?: string; zh?: string }; before?: Record<string, unknown>; after?: Record<string, unknown>; diff: JsonChange[] }[];
}

export interface RevertDryRun {
  valid: boolean;
  baseRevision: number;
  issues: StepIssue[];
  changes: { kind: string; name: string; action: ChangeAction; label?: ItemLabel; diff: JsonChange[] }[];
  impact: RecordImpact[];
  uniqueIndexes: UniqueIndexClash[];
}

export const revisionsKey = ['revisions'] as const;

export interface RevisionsPage {
  items: RevisionSummary[];
  /** Ask with before= it for older revisions; null on the last page. */
  next: number | null;
}

/** One page of revisions, newest first: those older than `before` when given. */
export async function listRevisions(before?: number, limit = 100): Promise<RevisionsPage> {
  return getJson<RevisionsPage>('/api/meta/revisions', { limit: String(limit), ...(before !== undefined ? { before: String(before) } : {}) });
}

export async function getRevision(n: number): Promise<RevisionDetail> {
  return getJson(`/api/meta/revisions/${n}/diff`);
}

export async function revertDryRun(n: number): Promise<RevertDryRun> {
  return (await request<RevertDryRun>(`/api/meta/revisions/${n}/revert`, { method: 'POST', query: { dryRun: 1 } })).body;
}

export async function revertTo(n: number): Promise<{ revision: number; changes: { kind: string; name: string; action: ChangeAction }[] }> {
  return (await request<{ revision: number; changes: { kind: string; name: string; action: ChangeAction }[] }>(`/api/meta/revisions/${n}/revert`, { method: 'POST' })).body;
}


export interface AdminOverlay {
  kind: string;
  name: string;
  templates: string[];
  base?: Record<string, unknown>;
  overlay: Record<string, unknown>;
  effective?: Record<string, unknown>;
  changes: JsonChange[];
  dormant: boolean;
}

/** The admin's overlays over template items (each beside the templates' base) and the admin's own items. */
export async function listOverlays(): Promise<{ items: AdminOverlay[]; adminItems: { kind: string; name: string }[] }> {
  return getJson('/api/meta/overlays');
}
