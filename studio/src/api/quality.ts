// Data quality (/api/quality): an entity's report (completeness, invalid values, duplicate clusters,
// stale records, score) and cleansing jobs over its stored records — dry run, commit, progress, undo.
// The generated SDK types these answers loosely (plain objects): the shapes are written out here from
// engine/quality/quality-report.ts and cleanse-records.ts.

import { useQuery } from '@tanstack/react-query';
import { getJson, postJson } from './client.ts';

export interface QualityReport {
  entity: string;
  records: number;
  /** field → share of records with a value (0–1). */
  completeness: Record<string, number>;
  /** field → records whose value the current metadata refuses ('' for issues of the record as a whole). */
  invalid: Record<string, number>;
  /** field → the first few of those records with their value. */
  invalidExamples?: Record<string, { id: string; value: unknown }[]>;
  invalidRecords: number;
  duplicates: { clusters: number; records: number };
  stale: { days: number; records: number };
  /** 0–100. */
  score: number;
}

export type CleanseStatus = 'running' | 'done' | 'failed' | 'undone';

export interface CleanseFieldReport {
  field: string;
  changed: number;
  steps: Record<string, number>;
  examples: { id: string; before: unknown; after: unknown }[];
}

export interface CleanseJob {
  id: string;
  entity: string;
  dryRun: boolean;
  fields: string[];
  status: CleanseStatus;
  /** Records in the caller's update scope at the start: progress is counts.records of it. */
  total: number;
  /** Records the caller could read but not update at the start: left as they are. */
  outOfScope?: number;
  counts: { records: number; changed: number; written: number; refused: number };
  rules: CleanseFieldReport[];
  refused: { id: string; issues: { path: string; message: string }[] }[];
  startedAt: string;
  finishedAt?: string;
  error?: string;
  undo?: { at: string; by: string; restored: number; changedSince: number };
}

export interface CleanseUndoReport {
  dryRun: boolean;
  restored: number;
  missing?: number;
  /** Records changed after the cleanse: left alone. */
  changedSince: { id: string; version: number; cleansedVersion: number }[];
}

/** Records not updated for this many days count as stale unless the reader picks another number (the server's default). */
export const defaultStaleDays = 180;

export const qualityReportKey = (entity: string) => ['quality', 'report', entity] as const;
export const cleanseJobKey = (id: string) => ['quality', 'cleanseJob', id] as const;

export function useQualityReport(entity: string, staleDays: number) {
  return useQuery({
    queryKey: [...qualityReportKey(entity), staleDays],
    queryFn: () => getJson<QualityReport>(`/api/quality/${encodeURIComponent(entity)}/report`, { staleDays }),
    // The previous numbers stay while another staleDays is asked (no flash of a spinner).
    placeholderData: (previous) => previous,
  });
}

export function startCleanse(entity: string, dryRun: boolean): Promise<CleanseJob> {
  return postJson<CleanseJob>(`/api/quality/${encodeURIComponent(entity)}/cleanse`, { dryRun, examples: 5 });
}

/** A job, asked again every second while it runs (it runs in the background, a slice at a time). */
export function useCleanseJob(id: string | undefined) {
  return useQuery({
    queryKey: cleanseJobKey(id ?? ''),
    queryFn: () => getJson<CleanseJob>(`/api/quality/cleanse-jobs/${encodeURIComponent(id!)}`),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
}

export function undoCleanse(id: string, dryRun: boolean): Promise<CleanseUndoReport> {
  return postJson<CleanseUndoReport>(`/api/quality/cleanse-jobs/${encodeURIComponent(id)}/undo`, undefined, { query: { dryRun } });
}
