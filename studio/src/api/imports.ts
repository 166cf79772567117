// Importing records from files (/api/import): upload a file, get the suggested column mapping with
// a preview, save and load mappings (saved ones and those templates ship), run a job as a dry run
// or for real, follow its progress, read its rejected rows, download them, undo it.

import { useQuery } from '@tanstack/react-query';
import type { Label } from '../i18n/i18n.ts';
import { getJson, postBinary, postJson, request, withQuery } from './client.ts';

export type ImportMode = 'dryRun' | 'allOrNothing' | 'validOnly';
export type ImportJobStatus = 'running' | 'done' | 'refused' | 'failed' | 'undone';

/** One target of a mapping; the wizard edits columns, values, defaults and key, and keeps the rest as loaded. */
export interface ImportTarget {
  entity: string;
  key?: string[];
  /** field → source column */
  columns?: Record<string, string>;
  /** field → { source text → stored value } */
  values?: Record<string, Record<string, string>>;
  defaults?: Record<string, unknown>;
  transforms?: Record<string, string>;
  lookups?: Record<string, { by: string }>;
  when?: string;
  /** History mode: the columns holding the old system's creation and closing dates and owner. */
  history?: HistoryColumns;
}

export interface HistoryColumns {
  createdAt?: string;
  closedAt?: string;
  owner?: string;
}

export interface ImportMapping {
  name: string;
  label?: Label;
  format?: 'csv' | 'jsonl' | 'xlsx';
  delimiter?: string;
  sheet?: string;
  timeZone?: string;
  targets: ImportTarget[];
}

export interface MappingSummary {
  name: string;
  /** `saved`, or `template:<name>` for a mapping a template ships. */
  source: string;
  label?: Label;
  targets: string[];
}

export interface Upload {
  upload: string;
  name: string;
  bytes: number;
}

export interface Suggestion {
  columns: string[];
  sample?: Record<string, unknown>;
  /** field → column */
  suggested: Record<string, string>;
  preview: { line: number; values?: Record<string, unknown>; error?: string }[];
  /** column → distinct values among the rows scanned */
  values: Record<string, string[]>;
  scanned: number;
}

export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
}

export interface ImportJob {
  id: string;
  status: ImportJobStatus;
  mode: ImportMode;
  phase: 'check' | 'write';
  history: boolean;
  by: string;
  file: { name: string; format: string; bytes: number };
  mapping: ImportMapping;
  /** Last source line whose batch committed: a resumed job starts after it. */
  checkpoint: number;
  /** The language the job ran in: its rejected rows' reasons are in it. */
  locale?: 'en' | 'zh';
  counts: ImportCounts;
  notices: string[];
  startedAt: string;
  finishedAt?: string;
  error?: string;
  undo?: { at: string; by: string; deleted: number; restored: number; changedSince: number };
}

export interface RejectedRow {
  line: number;
  issues: { column?: string; field?: string; value?: string; reason: string }[];
  row?: Record<string, unknown>;
}

export interface UndoReport {
  dryRun: boolean;
  deleted: number;
  restored: number;
  changedSince: { entity: string; id: string; version: number; importedVersion: number }[];
  missing: number;
  refused: { entity: string; id: string; reason: string }[];
}

export const importJobsKey = ['import', 'jobs'] as const;
export const importJobKey = (id: string) => ['import', 'job', id] as const;

const contentTypes: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/csv',
  jsonl: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file types the server reads (by name). */
export const importFileTypes = '.csv,.txt,.jsonl,.ndjson,.xlsx';

export async function listImportTargets(): Promise<string[]> {
  return (await getJson<{ items: string[] }>('/api/import/targets')).items;
}

/** Entities the caller may import into: the navigation shows the wizard only when there is one. */
export function useImportTargets() {
  return useQuery({ queryKey: ['import', 'targets'], queryFn: listImportTargets, staleTime: 60_000 });
}

export function uploadImportFile(file: File): Promise<Upload> {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  return postBinary<Upload>(withQuery('/api/import/uploads', { name: file.name }), file, contentTypes[extension] ?? 'application/octet-stream');
}

export function suggestMapping(upload: string, entity: string): Promise<Suggestion> {
  return postJson<Suggestion>('/api/import/suggest', { upload, entity });
}

export async function listMappings(): Promise<MappingSummary[]> {
  return (await getJson<{ items: MappingSummary[] }>('/api/import/mappings')).items;
}

export function getMapping(name: string): Promise<ImportMapping> {
  return getJson<ImportMapping>(`/api/import/mappings/${encodeURIComponent(name)}`);
}

export async function saveMapping(mapping: ImportMapping): Promise<ImportMapping> {
  return (await request<ImportMapping>(`/api/import/mappings/${encodeURIComponent(mapping.name)}`, { method: 'PUT', body: mapping })).body;
}

/** Starts a job; `history` (administrators) imports records with their old states, dates and owner, firing nothing. */
export function startImportJob(body: { upload: string; mapping: ImportMapping | string; mode: ImportMode; history?: boolean }): Promise<ImportJob> {
  return postJson<ImportJob>('/api/import/jobs', body);
}

/** Resumes a job whose process died, after its last committed batch (the server's checkpoint). */
export function resumeImportJob(id: string): Promise<ImportJob> {
  return postJson<ImportJob>(`/api/import/jobs/${encodeURIComponent(id)}/resume`);
}

export function getImportJob(id: string): Promise<ImportJob> {
  return getJson<ImportJob>(`/api/import/jobs/${encodeURIComponent(id)}`);
}

export async function listImportJobs(limit = 50): Promise<ImportJob[]> {
  return (await getJson<{ items: ImportJob[] }>('/api/import/jobs', { limit })).items;
}

/** A job, asked again every `interval` ms while it runs. */
export function useImportJob(id: string | undefined, interval = 500) {
  return useQuery({
    queryKey: importJobKey(id ?? ''),
    queryFn: () => getImportJob(id!),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? interval : false),
  });
}

/** Every rejected row of a job (pages of 1,000 until the last). */
export async function listRejectedRows(id: string, max = 5000): Promise<RejectedRow[]> {
  const rows: RejectedRow[] = [];
  let after: number | undefined;
  while (rows.length < max) {
    const page = await getJson<{ items: RejectedRow[]; next?: number }>(`/api/import/jobs/${encodeURIComponent(id)}/rows`, { limit: 1000, after });
    rows.push(...page.items);
    if (page.next === undefined) break;
    after = page.next;
  }
  return rows;
}

/** The address of a job's rejected rows as CSV (a plain link: the session cookie goes with it). */
export function rejectedCsvUrl(id: string): string {
  return `/api/import/jobs/${encodeURIComponent(id)}/rejected.csv`;
}

export function undoImportJob(id: string, dryRun: boolean): Promise<UndoReport> {
  return postJson<UndoReport>(`/api/import/jobs/${encodeURIComponent(id)}/undo`, {}, { query: { dryRun: dryRun ? 1 : undefined } });
}
