// Templates (admin): the gallery's listing and every lifecycle step — install, switch a module,
// upgrade, uninstall — each asked first as a dry run (`?dryRun=1`), then applied. The step report's
// shape is the server's (sdk/src/generated); its loosely typed lists are spelled out here.

import type { components } from '../../../sdk/src/generated/schema.ts';
import type { Label } from '../i18n/i18n.ts';
import { getJson, postBinary, request } from './client.ts';

type GeneratedReport = components['schemas']['crm.TemplateStepReport'];

export interface JsonChange {
  path: string;
  before?: unknown;
  after?: unknown;
}
export interface StepIssue {
  kind?: string;
  name?: string;
  path: string;
  message: string;
  code?: string;
}
export interface OverlayConflict {
  kind: string;
  name: string;
  path: string;
  type: 'bothChanged' | 'bothAdded' | 'removedByTemplate';
  resolution: 'overlayKept' | 'overlayDropped';
  overlay: unknown;
  previousBase: unknown;
  newBase: unknown;
}
export interface SharedConflict {
  kind: string;
  name: string;
  path: string;
  installedBy: string;
  incomingBy: string;
  installed: unknown;
  incoming: unknown;
  resolution: 'refused' | 'installedKept';
}
export interface RecordImpact {
  entity: string;
  records: number;
  invalid: number;
  examples: { id: string; issues: { path: string; message: string }[] }[];
  /** Fields the change removes, each with the records holding a value for it. */
  removedFields?: { field: string; records: number }[];
  /** Records the change puts in a workflow state (`from` absent: they had no value). */
  stateMoves?: { entity: string; workflow: string; field: string; from?: string; to: string; records: number }[];
}
export interface SampleResult {
  entity: string;
  file: string;
  records: number;
  loaded: number;
  skipped: number;
}

export interface UniqueIndexClash {
  entity: string;
  fields: string[];
  duplicates: number;
  examples: string[];
}

/** A changed item's label as the server sends it: one text, or one per language. */
export type ItemLabel = NonNullable<GeneratedReport['items'][number]['label']>;

export type StepReport = Omit<GeneratedReport, 'items' | 'issues' | 'sharedConflicts' | 'overlayConflicts' | 'impact' | 'sampleData' | 'deletedData'> & {
  items: (GeneratedReport['items'][number] & { changes: JsonChange[] })[];
  issues: StepIssue[];
  sharedConflicts: SharedConflict[];
  overlayConflicts: OverlayConflict[];
  impact: RecordImpact[];
  uniqueIndexes: UniqueIndexClash[];
  sampleData: SampleResult[];
  deletedData: { entity: string; records: number }[];
};

export interface TemplateModule {
  name: string;
  label: Label;
  description?: Label;
  order: number;
  dependsOn: string[];
  enabledByDefault: boolean;
  on: boolean;
  items: Record<string, string[]>;
}
export interface TemplateListing {
  name: string;
  title: Label;
  description?: Label;
  /** Versions at hand, highest first: bundled with the server, or uploaded by an admin. */
  available: { version: string; directory: string; origin?: 'bundled' | 'uploaded' }[];
  installed?: { version: string; installedAt: string; updatedAt: string; source: { type: 'bundled' | 'directory' | 'archive'; path: string }; order: number; sampleData: Record<string, { loaded: number; skipped: number }>; droppedOverlays: number };
  upgradeTo?: string;
  modules: TemplateModule[];
}

export const templatesKey = ['templates'] as const;

export async function listTemplates(): Promise<{ templates: TemplateListing[]; unreadable?: { directory: string; error: string }[] }> {
  return getJson('/api/templates');
}

/** Where a template comes from when it is not a bundled one: a folder or archive on the server. */
export type TemplateSource = { directory: string } | { archive: string };

/** One lifecycle step, as the gallery asks it: the same request dry and real. */
export type TemplateStep =
  | { action: 'install'; template: string; modules?: string[]; sampleData?: boolean; source?: TemplateSource; version?: string }
  | { action: 'upgrade'; template: string; sampleData?: boolean; source?: TemplateSource; version?: string }
  | { action: 'module'; template: string; module: string; enabled: boolean; sampleData?: boolean }
  | { action: 'uninstall'; template: string; deleteData?: boolean };

const common = (step: { sampleData?: boolean; source?: TemplateSource; version?: string }) => ({
  ...(step.sampleData !== undefined ? { sampleData: step.sampleData } : {}),
  ...(step.source ? { source: step.source } : step.version ? { version: step.version } : {}),
});

export async function runTemplateStep(step: TemplateStep, dryRun: boolean): Promise<StepReport> {
  const name = encodeURIComponent(step.template);
  const query = dryRun ? { dryRun: 1 } : undefined;
  const post = async (path: string, body: Record<string, unknown>) => (await request<StepReport>(path, { method: 'POST', body, query })).body;
  switch (step.action) {
    case 'install':
      return post(`/api/templates/${name}/install`, { ...(step.modules ? { modules: step.modules } : {}), ...common(step) });
    case 'upgrade':
      return post(`/api/templates/${name}/upgrade`, common(step));
    case 'module':
      return post(`/api/templates/${name}/modules/${encodeURIComponent(step.module)}`, { enabled: step.enabled, ...(step.sampleData !== undefined ? { sampleData: step.sampleData } : {}) });
    case 'uninstall':
      return (await request<StepReport>(`/api/templates/${name}`, { method: 'DELETE', query: { ...(dryRun ? { dryRun: 1 } : {}), ...(step.deleteData ? { deleteData: 1 } : {}) } })).body;
  }
}

export interface UploadedTemplate {
  name: string;
  version: string;
  title: Label;
  directory: string;
  modules: TemplateModule[];
}

/** Uploads a template package (.tgz); the server checks and keeps it, and lists it as an available version. */
export async function uploadTemplate(archive: Blob): Promise<UploadedTemplate> {
  return postBinary<UploadedTemplate>('/api/templates/uploads', archive, 'application/gzip');
}
