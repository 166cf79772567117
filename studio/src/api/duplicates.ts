// Duplicates and merging (/api/quality): the clusters a scan finds under an entity's duplicate
// rules, merging one cluster (field by field) or a confirmed list of them, and undoing either.

import type { components } from '../../../sdk/src/generated/schema.ts';
import { getJson, postJson } from './client.ts';
import { listRecords, type RecordValues } from './records.ts';

export type DuplicateCluster = components['schemas']['crm.DuplicateCluster'];

/** One merge: `values` maps a field to the id whose value the survivor keeps (fields not named keep the survivor's). */
export interface MergeRequest {
  survivor: string;
  merged: string[];
  values?: Record<string, string>;
  /** id → the version shown: a record changed since refuses the merge (412 at its pointer). */
  versions?: Record<string, number>;
}

/** What a merge did, or (its dry run) would do. */
export interface MergeSummary {
  /** Records pointing at the merged ones, re-pointed to the survivor, per referencing field. */
  repointed: { entity: string; field: string; count: number }[];
  /** Records re-pointed in entities the caller may not read. */
  unlisted: number;
  moved: { audit: number; stateHistory: number };
  deleted: number;
}

export interface MergeResult extends MergeSummary {
  record: RecordValues;
  /** The merge's id, to undo it. */
  merge: string;
}

export interface MergeRehearsal extends MergeSummary {
  dryRun: true;
  /** The survivor as it would be. */
  record: RecordValues;
}

export interface GroupError {
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

export type GroupOutcome = { index: number; survivor: string; merge: string } | { index: number; survivor: string; error: GroupError };

export interface BulkMergeResult {
  batch: string;
  merged: number;
  failed: number;
  results: GroupOutcome[];
}

/** A re-pointed record an undo left alone: its field was changed since the merge. */
export interface ChangedSince {
  entity: string;
  id: string;
  field: string;
}

export interface BatchUndoResult {
  undone: string[];
  refused: { merge: string; message: string }[];
  changedSince: ChangedSince[];
}

export const duplicatesKey = (entity: string, rule?: string) => ['duplicates', entity, rule ?? ''] as const;

const quality = (entity: string) => `/api/quality/${encodeURIComponent(entity)}`;

export async function findDuplicates(entity: string, rule?: string): Promise<DuplicateCluster[]> {
  return (await getJson<{ items: DuplicateCluster[] }>(`${quality(entity)}/duplicates`, rule ? { rule } : undefined)).items;
}

/** The records of the given ids, fetched in pages of `id $in [...]` (what the caller may not read is absent). */
export async function recordsByIds(entity: string, ids: string[]): Promise<Map<string, RecordValues>> {
  const out = new Map<string, RecordValues>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 200) {
    const chunk = unique.slice(i, i + 200);
    const page = await listRecords(entity, { filter: { id: { $in: chunk } }, limit: chunk.length });
    for (const r of page.items) out.set(r.id, r);
  }
  return out;
}

export function mergeRecords(entity: string, request: MergeRequest): Promise<MergeResult> {
  return postJson<MergeResult>(`${quality(entity)}/merge`, request);
}

/** The merge run and rolled back on the server: what it would do, or the error it would meet. */
export function rehearseMerge(entity: string, request: MergeRequest): Promise<MergeRehearsal> {
  return postJson<MergeRehearsal>(`${quality(entity)}/merge`, request, { query: { dryRun: true } });
}

export function mergeGroups(entity: string, groups: MergeRequest[]): Promise<BulkMergeResult> {
  return postJson<BulkMergeResult>(`${quality(entity)}/merge-groups`, { groups });
}

export function undoMerge(id: string): Promise<{ undone: string; changedSince: ChangedSince[] }> {
  return postJson<{ undone: string; changedSince: ChangedSince[] }>(`/api/quality/merges/${encodeURIComponent(id)}/undo`);
}

export function undoMergeBatch(id: string): Promise<BatchUndoResult> {
  return postJson<BatchUndoResult>(`/api/quality/merge-batches/${encodeURIComponent(id)}/undo`);
}
