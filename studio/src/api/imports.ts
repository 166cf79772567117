// Importing records from files (/api/import): upload a file, get the suggested column mapping with
// a preview, save and load mappings (saved ones and those templates ship), run a job as a dry run
// or for real, follow its progress, read its rejected rows, download them, undo it.

import { useQuery } from '@tanstack/react-query';
import type { components } from '../../../sdk/src/generated/schema.ts';
import { getJson, postBinary, postJson, request, withQuery } from './client.ts';

// The shapes are the server's (its OpenAPI document, through the generated SDK schema).
type Schemas = components['schemas'];
export type ImportMode = Schemas['crm.ImportJob']['mode'];
export type ImportJobStatus = Schemas['crm.ImportJob']['status'];
/** One target of a mapping; the wizard edits columns, values, defaults and key, and keeps the rest as loaded. */
export type ImportTarget = Schemas['crm.ImportTarget'];
export type HistoryColumns = Schemas['crm.ImportHistoryColumns'];
export type ImportMapping = Schemas['crm.ImportMapping'];
export type MappingSummary = Schemas['crm.ImportMappingSummary'];
export type Upload = Schemas['crm.ImportUpload'];
export type Suggestion = Schemas['crm.ImportSuggestion'];
export type ImportCounts = Schemas['crm.ImportCounts'];
export type ImportJob = Schemas['crm.ImportJob'];
/** A rejected row: its reasons in the caller's language, whoever started the job. */
export type RejectedRow = Schemas['crm.ImportRejectedRow'];
export type UndoReport = Schemas['crm.ImportUndoReport'];
/** A job's undo as the job shows it: how far it got, and how it ended. */
export type ImportUndo = Schemas['crm.ImportUndo'];

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

/** Where the rows are read from: a workbook's sheet (default: its first with rows) and the header's line (default: found below any title). */
export interface SourceChoice {
  sheet?: string | undefined;
  headerRow?: number | undefined;
}

/** The upload's columns and suggested mapping, its sheets listed and its first rows (to choose the header from). */
export function suggestMapping(upload: string, entity: string, source: SourceChoice = {}): Promise<Suggestion> {
  return postJson<Suggestion>('/api/import/suggest', { upload, entity, ...(source.sheet !== undefined ? { sheet: source.sheet } : {}), ...(source.headerRow !== undefined ? { headerRow: source.headerRow } : {}) });
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

/** Stops a running job after the batch it is writing; answers once it has stopped (what committed stays, and can be undone). */
export function cancelImportJob(id: string): Promise<ImportJob> {
  return postJson<ImportJob>(`/api/import/jobs/${encodeURIComponent(id)}/cancel`);
}

export function getImportJob(id: string): Promise<ImportJob> {
  return getJson<ImportJob>(`/api/import/jobs/${encodeURIComponent(id)}`);
}

export async function listImportJobs(limit = 50): Promise<ImportJob[]> {
  return (await getJson<{ items: ImportJob[] }>('/api/import/jobs', { limit })).items;
}

/** Whether a job is under way: importing, or being undone (its progress then changes). */
export const jobUnderWay = (job: ImportJob | undefined): boolean => job?.status === 'running' || job?.status === 'undoing';

/** A job, asked again every `interval` ms while it runs or is being undone. */
export function useImportJob(id: string | undefined, interval = 500) {
  return useQuery({
    queryKey: importJobKey(id ?? ''),
    queryFn: () => getImportJob(id!),
    enabled: id !== undefined,
    refetchInterval: (query) => (jobUnderWay(query.state.data) ? interval : false),
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

/** What undoing a job would do (answered at once: it only reads). */
export function undoImportDryRun(id: string): Promise<UndoReport> {
  return postJson<UndoReport>(`/api/import/jobs/${encodeURIComponent(id)}/undo`, {}, { query: { dryRun: 1 } });
}

/** Starts a job's undo: the server answers at once with the job, status `undoing`; its progress is the job's (poll it). */
export function startImportUndo(id: string): Promise<ImportJob> {
  return postJson<ImportJob>(`/api/import/jobs/${encodeURIComponent(id)}/undo`, {});
}
