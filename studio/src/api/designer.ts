// The designers' calls: one metadata item with its origin, the one dry run (POST /api/meta/validate),
// saving an item, a field's type change (preview, then apply), "where is this used", and a computed
// field's value on a sample record. Every save in the studio goes through `dryRun` first.

import type { operations } from '../../../sdk/src/generated/schema.ts';
import { getJson, postJson, request } from './client.ts';
import type { WidgetData } from './dashboards.ts';

export type MetaDocument = { kind: string; name: string; [key: string]: unknown };

export interface IssueItem {
  kind?: string;
  name?: string;
  path: string;
  message: string;
  code?: string;
}

export interface RecordImpact {
  entity: string;
  records: number;
  invalid: number;
  examples: { id: string; issues: IssueItem[] }[];
}

type ValidateAnswer = operations['validateMetadata']['responses']['200']['content']['application/json'];

/** The dry run's verdict (the generated type, with the parts the API documents loosely made precise). */
export type DryRun = Omit<ValidateAnswer, 'impact' | 'uniqueIndexes' | 'issues'> & {
  issues: IssueItem[];
  impact: RecordImpact[];
  uniqueIndexes?: { entity: string; index?: string; fields?: string[]; duplicates?: number; examples?: unknown[]; [k: string]: unknown }[];
};

const plural: Record<string, string> = { entity: 'entities', form: 'forms', view: 'views', workflow: 'workflows', role: 'roles', dashboard: 'dashboards' };
export const pluralOf = (kind: string): string => plural[kind] ?? `${kind}s`;

export function getMetaItem<T = MetaDocument>(kind: string, name: string): Promise<T> {
  return getJson<T>(`/api/meta/${pluralOf(kind)}/${encodeURIComponent(name)}`);
}

/** What applying these documents would do, without applying them. */
export function dryRun(documents: MetaDocument[]): Promise<DryRun> {
  return postJson<DryRun>('/api/meta/validate', { documents });
}

export async function saveMetaItem(doc: MetaDocument): Promise<{ revision: number }> {
  return (await request<{ revision: number }>(`/api/meta/${pluralOf(doc.kind)}/${encodeURIComponent(doc.name)}`, { method: 'PUT', body: doc })).body;
}

/** One place that refers to the item (GET /api/meta/usages/…; not yet in the generated SDK types). */
export interface Usage {
  kind: string;
  name: string;
  path: string;
}
interface UsagesAnswer {
  revision: number;
  target: { kind: string; name: string; field?: string };
  usages: Usage[];
}

/** Every item (and the JSON pointer in it) that refers to an item or to one field of an entity. */
export async function usagesOf(kind: string, name: string, field?: string): Promise<Usage[]> {
  const path = `/api/meta/usages/${pluralOf(kind)}/${encodeURIComponent(name)}${field ? `/${encodeURIComponent(field)}` : ''}`;
  return (await getJson<UsagesAnswer>(path)).usages;
}

export interface TypeChangePreview {
  records: number;
  withValue: number;
  converting: number;
  failing: number;
  lost: number;
  /** Records whose stored value changes (converted or cleared): what apply rewrites. */
  changed: number;
  examples: { id: string; from: unknown; to?: unknown; reason?: string }[];
  unmatched: { value: string; count: number }[];
}

export interface TypeChangeAnswer {
  entity: string;
  field: string;
  from: string;
  to: string;
  valid: boolean;
  issues: IssueItem[];
  preview: TypeChangePreview | null;
  revision?: number;
  converted?: number;
}

export function changeFieldType(args: { entity: string; field: string; definition: Record<string, unknown>; onFailure: 'clear' | 'refuse'; apply: boolean }): Promise<TypeChangeAnswer> {
  return postJson<TypeChangeAnswer>('/api/meta/refactor/change-type', args);
}

/** What an entity's rename rewrites and moves (POST /api/meta/refactor/rename, kind "entity"). */
export interface EntityRenameCounts {
  references: number;
  byKind: Record<string, number>;
  usages: Usage[];
  stored: { recordsMoved: number; systemEntries: Record<string, number>; polymorphicValues: number; sequences: number; importMappings: number } | null;
}

export interface EntityRenameAnswer {
  kind: 'entity';
  from: string;
  to: string;
  valid: boolean;
  issues: IssueItem[];
  preview?: EntityRenameCounts;
  applied?: EntityRenameCounts;
  revision?: number;
}

/** An entity's rename: its dry run (apply false) or one revision (apply true). */
export function renameEntity(args: { from: string; to: string; apply: boolean }): Promise<EntityRenameAnswer> {
  return postJson<EntityRenameAnswer>('/api/meta/refactor/rename', { kind: 'entity', ...args });
}

/** What a field's rename rewrites and moves (POST /api/meta/refactor/rename, kind "field"). */
export interface FieldRenameCounts {
  references: number;
  byKind: Record<string, number>;
  usages: Usage[];
  stored: { recordsMoved: number; staleCleared: number; importMappings: number; importMappingReferences: number } | null;
}

export interface FieldRenameAnswer {
  entity: string;
  field: string;
  to: string;
  valid: boolean;
  issues: IssueItem[];
  preview?: FieldRenameCounts;
  applied?: FieldRenameCounts;
  revision?: number;
}

/** A field's rename: its dry run (apply false) or one revision (apply true). */
export function renameField(args: { entity: string; field: string; to: string; apply: boolean }): Promise<FieldRenameAnswer> {
  return postJson<FieldRenameAnswer>('/api/meta/refactor/rename', { kind: 'field', ...args });
}

export interface FieldPreview {
  valid: boolean;
  issues: IssueItem[];
  value: unknown;
  recordId?: string | null;
}

export function previewField(entity: MetaDocument, field: string, recordId?: string): Promise<FieldPreview> {
  return postJson<FieldPreview>('/api/meta/preview/field', { entity, field, ...(recordId ? { recordId } : {}) });
}

/** Applies several documents as one revision (what the dry run above checked). */
export function applyDocuments(documents: MetaDocument[]): Promise<{ revision: number }> {
  return postJson<{ revision: number }>('/api/meta/apply', { documents });
}

export interface ViewPreview {
  valid: boolean;
  issues: IssueItem[];
  items: Record<string, unknown>[];
  total?: number;
}

/** The first records an unsaved view shows, run by the server as the saved view would run for the caller. */
export function previewView(view: MetaDocument, limit = 10): Promise<ViewPreview> {
  return postJson<ViewPreview>('/api/meta/preview/view', { view, limit });
}

export interface DashboardPreview {
  valid: boolean;
  issues: IssueItem[];
  widgets: Record<string, WidgetData>;
}

/** Every widget's figures of an unsaved dashboard, as GET /api/dashboards/{name} would answer them. */
export function previewDashboard(dashboard: MetaDocument): Promise<DashboardPreview> {
  return postJson<DashboardPreview>('/api/meta/preview/dashboard', { dashboard });
}
