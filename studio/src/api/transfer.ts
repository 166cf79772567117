// Moving the configuration between instances (admin): export the whole metadata as one bundle,
// import a bundle here — its dry run first (item diffs, templates, issues, records it would break),
// then the import of exactly what that dry run was made against.

import { request, requestRaw, ApiError } from './client.ts';
import type { ItemLabel, JsonChange, RecordImpact, StepIssue, UniqueIndexClash } from './templates.ts';

/** The bundle as the server writes it; the studio only reads its summary fields. */
export interface ConfigurationBundle {
  format: 'crm-configuration';
  formatVersion: number;
  exportedAt: string;
  revision: number;
  engine: string;
  templates: { name: string; version: string; modulesOn: string[]; [key: string]: unknown }[];
  layers: { kind: string; name: string; layer: string; [key: string]: unknown }[];
}

export interface ImportReport {
  dryRun: boolean;
  applied: boolean;
  valid: boolean;
  baseRevision: number;
  revision?: number;
  /** Each item with its label (its title for a dashboard) when it has one. */
  items: { kind: string; name: string; action: 'create' | 'update' | 'delete'; label?: ItemLabel; changes: JsonChange[] }[];
  layerWrites: number;
  templates: { name: string; action: 'create' | 'update' | 'delete' | 'unchanged'; fromVersion?: string; toVersion?: string; modulesOn?: string[] }[];
  issues: StepIssue[];
  impact: RecordImpact[];
  uniqueIndexes: UniqueIndexClash[];
}

/** The bundle's text, as the server sends it (saved to a file as is). */
export async function exportConfiguration(): Promise<{ text: string; fileName: string }> {
  const response = await requestRaw('/api/meta/bundle');
  const text = await response.text();
  if (!response.ok) {
    const error = (JSON.parse(text || '{}') as { error?: { code?: string; message?: string } }).error;
    throw new ApiError({ status: response.status, code: error?.code ?? `HTTP_${response.status}`, message: error?.message ?? response.statusText });
  }
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'crm-configuration.json';
  return { text, fileName };
}

export async function importDryRun(bundle: unknown): Promise<ImportReport> {
  return (await request<ImportReport>('/api/meta/bundle', { method: 'POST', body: bundle, query: { dryRun: 1 } })).body;
}

export async function importApply(bundle: unknown, baseRevision: number): Promise<ImportReport> {
  return (await request<ImportReport>('/api/meta/bundle', { method: 'POST', body: bundle, query: { baseRevision } })).body;
}
