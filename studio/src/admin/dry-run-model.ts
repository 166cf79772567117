// What every dry run the admin area shows has in common — a template step's report, a revert's,
// an import's — so one component renders them all the same way.

import { ApiError } from '../api/client.ts';
import type { ItemLabel, JsonChange, OverlayConflict, RecordImpact, SampleResult, SharedConflict, StepIssue, UniqueIndexClash } from '../api/templates.ts';

export interface DryRunModel {
  /** Item by item, with its changes pointer by pointer when the server sent them. */
  items: { kind: string; name: string; action: 'create' | 'update' | 'delete'; label?: ItemLabel; changes?: JsonChange[] }[];
  /** Why applying would be refused (empty: it can be applied). */
  issues: StepIssue[];
  overlayConflicts?: OverlayConflict[];
  sharedConflicts?: SharedConflict[];
  impact?: RecordImpact[];
  /** New unique indexes that records already sharing a value would break. */
  uniqueIndexes?: UniqueIndexClash[];
  sampleData?: SampleResult[];
  deletedData?: { entity: string; records: number }[];
  /** Installed templates that come, go or change (an import). */
  templates?: { name: string; action: 'create' | 'update' | 'delete' | 'unchanged'; fromVersion?: string; toVersion?: string }[];
}

/** A JSON value in one short line. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A metadata kind's name in the UI language (the kind itself when it has no translation). */
export function kindLabel(t: (key: string, options?: Record<string, unknown>) => string, kind: string): string {
  return t(`dryRun.kinds.${kind}`, { defaultValue: kind });
}

/**
 * A refactoring refused before its dry run (a name taken, a template's item) answers 4xx with the
 * reasons: they are shown as the dry run's issues, with the confirm disabled. Anything else is thrown.
 */
export function refusalIssues(error: unknown): StepIssue[] {
  if (!(error instanceof ApiError) || error.status >= 500 || error.details.length === 0) throw error;
  return error.details;
}
