// The import module's documents: jobs (status, progress, checkpoint), the rejected rows of each job,
// the change log that lets an import be undone (created ids, updated records' previous values), and
// saved mappings. Checkpoint, change log and records commit in one transaction per batch.

import type { Principal } from '../access/policy.ts';
import type { Locale, LocalizedText } from '../kernel/i18n.ts';
import type { CollectionSpec } from '../store/store-port.ts';
import type { ImportMapping } from './import-mapping.ts';
import type { RowIssue } from './map-row.ts';
import type { SourceFormat, SourceInfo } from './read-rows.ts';

export const importJobsCollection: CollectionSpec = { name: '_importJobs', indexes: [{ name: 'status', keys: [{ path: ['status'], direction: 1 }], unique: false }] };
export const importRowsCollection: CollectionSpec = { name: '_importRows', indexes: [{ name: 'jobLine', keys: [{ path: ['job'], direction: 1 }, { path: ['line'], direction: 1 }], unique: false }] };
export const importChangesCollection: CollectionSpec = {
  name: '_importChanges',
  indexes: [
    { name: 'job', keys: [{ path: ['job'], direction: 1 }], unique: false },
    { name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }], unique: false },
    // An erasure reads an entity's runs of creates a page at a time in id order (erase-uploads.ts):
    // served in that order, instead of a sort of all the entity's changes for every page.
    { name: 'entityAction', keys: [{ path: ['entity'], direction: 1 }, { path: ['action'], direction: 1 }], unique: false },
  ],
};
export const importMappingsCollection: CollectionSpec = { name: '_importMappings', indexes: [{ name: 'name', keys: [{ path: ['name'], direction: 1 }], unique: true }] };

export type ImportMode = 'dryRun' | 'allOrNothing' | 'validOnly';
/** `undoing`: its undo runs in the background (or was interrupted, and resumes at start-up or when asked again). */
export type JobStatus = 'running' | 'done' | 'refused' | 'failed' | 'cancelled' | 'undoing' | 'undone';

export interface ImportCounts {
  /** Rows read (data rows, unreadable ones included). */
  rows: number;
  created: number;
  updated: number;
  /** Rows whose record already held every imported value. */
  unchanged: number;
  /** Rows refused, each in the per-row report. */
  rejected: number;
  /** Target records a row did not make because the target's `when` said no. */
  skipped: number;
  /** A workbook's totals rows left out (rows whose numbers aggregate their own column: =SUM(C2:C40)); set once the file is read. */
  totals?: number;
  /** Blank rows between the header and the data's last row, left out; set once the file is read. */
  blank?: number;
}

export interface ImportJob {
  status: JobStatus;
  mode: ImportMode;
  /** allOrNothing checks every row first ('check'), then writes ('write'). */
  phase: 'check' | 'write';
  history: boolean;
  /**
   * `removed`: when the upload was deleted (an erasure of a record it made: erase-uploads.ts);
   * `removalFailed`: when such an erasure could not delete it (the file system refused), for an admin to remove.
   */
  file: { path: string; name: string; format: SourceFormat; bytes: number; removed?: string; removalFailed?: string };
  mapping: ImportMapping;
  principal: Principal;
  /** The language of whoever started it (its reports are read in the reader's). */
  locale: Locale;
  /** Last source line whose batch committed (a resumed job starts after it). */
  checkpoint: number;
  counts: ImportCounts;
  /**
   * Per target of the mapping, in its order: what its records were (or would be) — one file of
   * accounts and their contacts is two counts, not one sum. Absent on jobs kept before.
   */
  targets?: TargetCounts[];
  /** A few rows that would be (or were) created or updated, for the report. */
  samples: { line: number; entity: string; action: 'create' | 'update' | 'unchanged'; id?: string }[];
  source?: SourceInfo;
  /** Remarks on the file (mixed line endings, a last line cut short), in every language (plain strings in jobs kept before). */
  notices: LocalizedText[];
  /** The rows left out as no data, by line, with why (a totals row and its formula), once the file is read: the first thousand. */
  skippedRows?: { line: number; reason: LocalizedText }[];
  startedAt: string;
  finishedAt?: string;
  /** Stopped before its end at someone's request: the batches committed before it stay (undo takes them back). */
  cancelled?: { at: string; by: string };
  /** Why the job failed, in every language (a plain string in jobs kept before). */
  error?: LocalizedText;
  /** Its undo (a job of its own, run in the background: undo-import.ts), in progress or ended. */
  undo?: ImportUndo;
}

/** A record an undo left alone or could not undo, as a job's undo lists the first of them. */
export interface UndoListed {
  entity: string;
  id: string;
}

/**
 * An import's undo as its job keeps it: who asked and when, how far it got (`done` of `total`
 * records dealt with; what each was), and how it ended. The counts are those of its committed pages.
 */
export interface ImportUndo {
  /** When it was asked for (an undo kept before this was a job: when it ended). */
  at: string;
  by: string;
  /** Whose undo it is, in their language: an undo resumed at start-up runs as they asked it. */
  principal?: Principal;
  locale?: Locale;
  /** The job's status before its undo: an undo that fails gives it back (and can be asked again). */
  from?: JobStatus;
  /** The records of its change log (absent until counted). */
  total?: number;
  /** Records dealt with so far: deleted, restored, missing, changed since or refused. */
  done?: number;
  deleted: number;
  restored: number;
  missing?: number;
  /** How many records changed since the import were left alone. */
  changedSince: number;
  /** How many the store refused to undo. */
  refused?: number;
  /** The first of those left alone, and of those refused (with why, in every language); GET …/undo lists them all. */
  changedSinceRecords?: (UndoListed & { version: number; importedVersion: number })[];
  refusedRecords?: (UndoListed & { reason: LocalizedText })[];
  finishedAt?: string;
  /** Why the last attempt stopped before its end (the job then has its status before the undo back). */
  error?: LocalizedText;
}

export interface RejectedRow {
  job: string;
  line: number;
  issues: RowIssue[];
  /** The row as read, to download, fix and import again. */
  row?: Record<string, unknown>;
}

export interface ImportChange {
  job: string;
  entity: string;
  /** The record (updates; creates logged one row per record, as before grouped logs). */
  recordId?: string;
  /** Records created one after the other, in order: one log row for a run of creates of one entity (what undo of a create needs is its id). */
  recordIds?: string[];
  action: 'created' | 'updated';
  /** Writable values before the import (updates). */
  before?: Record<string, unknown>;
  /** The record's version right after the import: any other version means it changed since. */
  version: number;
  /** What an undo of the import did with this row's records so far, committed with its writes (undo-import.ts). */
  undone?: UndoneChanges;
}

/** An undo's outcome for one change-log row: its first `done` records (newest first) are dealt with. */
export interface UndoneChanges {
  done: number;
  deleted: number;
  restored: number;
  missing: number;
  changedSince: { id: string; version: number }[];
  /** Why the store refused, in every language (read in the reader's). */
  refused: { id: string; reason: LocalizedText }[];
}

/** One target's records in a job's report. */
export interface TargetCounts {
  entity: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows whose target's `when` said no. */
  skipped: number;
}

/** A fresh report of each target of a mapping. */
export const emptyTargetCounts = (mapping: { targets: { entity: string }[] }): TargetCounts[] => mapping.targets.map((t) => ({ entity: t.entity, created: 0, updated: 0, unchanged: 0, skipped: 0 }));

export const emptyCounts = (): ImportCounts => ({ rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 });
