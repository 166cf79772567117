// Undo of an import: records it created are deleted, records it updated get their previous values
// back — each through the records' write path (delete rules, rollups, audit, the in-transaction
// listeners: subscriptions and tombstones hear each as a delete's or a PATCH's). A record changed
// since the import (its version moved on) is listed and left alone. The dry run is the same walk
// without the writes.
//
// The writes go a page of records per transaction (one WAL sync per page, not per record). What a
// page did to each change-log row's records commits with it, on the row (`undone`), so an undo
// that was stopped part-way (its process killed) can be run again: the rows' outcomes are counted
// as they were and the walk goes on after the last record committed — nothing is undone twice, and
// the report is that of an uninterrupted run. A record the store refuses (one now referenced under
// a restrict rule) rolls its whole page back: that page then runs again one record per
// transaction, so the refused record is listed and the others are undone.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import { compactText, detailMessage, readText } from '../kernel/detail-text.ts';
import { CrmError, isCrmError } from '../kernel/errors.ts';
import { locales, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { deleteInTransaction } from '../records/delete-record.ts';
import type { RecordEvent, RecordEvents } from '../records/record-events.ts';
import type { RequestContext } from '../records/request-context.ts';
import { applyUpdate } from '../records/write-record.ts';
import { DeferredInserts } from '../store/deferred-inserts.ts';
import type { Store, StoredRecord, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { importChangesCollection, type ImportChange, type UndoneChanges } from './import-store.ts';

export interface UndoReport {
  dryRun: boolean;
  deleted: number;
  restored: number;
  /** Records changed since the import: left as they are. */
  changedSince: { entity: string; id: string; version: number; importedVersion: number }[];
  /** Records already gone. */
  missing: number;
  /** Changes the store refused to undo (a record now referenced by another, say). */
  refused: { entity: string; id: string; reason: string }[];
}

/** What an undo run hears after each page it committed: the report so far. */
export type UndoProgress = (report: UndoReport) => void | Promise<void>;

/** The counts of an undo so far, as they stand once a page commits. */
export interface UndoCounts {
  done: number;
  deleted: number;
  restored: number;
  missing: number;
  changedSince: number;
  refused: number;
}

/**
 * Written in each page's own transaction, with the counts as they stand once it commits (an undo's
 * progress saved on its job at no cost of a commit of its own: one WAL sync a page, as before).
 */
export type UndoProgressWrite = (tx: StoreTransaction, counts: UndoCounts) => Promise<void>;

/** Refusals kept with their reasons in every language (the report has every one, in the reader's). */
const keptRefusals = 20;

/** Records dealt with so far: every outcome the report counts. */
export const undoneSoFar = (report: UndoReport): number => report.deleted + report.restored + report.missing + report.changedSince.length + report.refused.length;

/** Records undone per transaction. */
export const undoPageSize = 250;
/** Change-log rows read at a time. */
const logPageSize = 500;

/** A change-log row as this walk holds it: its stored version moves on with each page that commits an outcome to it. */
interface LogRow {
  id: string;
  version: number;
  change: ImportChange;
  /** Its records, newest first (the order they are undone in). */
  recordIds: string[];
  undone: UndoneChanges;
}

/** One record to undo: the `index`-th of its row's records. */
interface Step {
  row: LogRow;
  index: number;
  recordId: string;
}

/** What one step did (or, in a dry run, would do). */
type Outcome = { kind: 'deleted' | 'restored' | 'missing' } | { kind: 'changedSince'; version: number } | { kind: 'refused'; reason: LocalizedText };

/** Another undo of the same import committed to a row this one holds: this one stops. */
class UndoneElsewhere extends Error {}
const elsewhere = new WeakSet<object>();
/** Whether an undo stopped because another one (another process's) committed to the rows it held: that one goes on. */
export const undoneElsewhere = (error: unknown): boolean => typeof error === 'object' && error !== null && elsewhere.has(error);

const noneUndone = (): UndoneChanges => ({ done: 0, deleted: 0, restored: 0, missing: 0, changedSince: [], refused: [] });

/** How many records an import's change log holds (an undo's `total`): its rows read a page at a time. */
export async function countChanges(store: StoreReader, job: string): Promise<number> {
  let total = 0;
  let before: string | undefined;
  for (;;) {
    const rows = await store.find(importChangesCollection.name, {
      filter: andFilters(where({ job }), before ? { kind: 'compare', field: internalField('id'), op: '$lt', value: before } : undefined),
      sort: [{ field: internalField('id'), direction: -1 }],
      limit: logPageSize,
    });
    for (const row of rows) total += (row.data as unknown as ImportChange).recordIds?.length ?? 1;
    if (rows.length < logPageSize) return total;
    before = rows[rows.length - 1]!.id;
  }
}

/**
 * Undoes an import (or, `dryRun`, says what that would do; `committedOnly`, reports what earlier
 * runs committed and nothing more — an undo's report while it runs and once it ended).
 * `onPage`: after each page committed; `beforePage`: awaited before each page is written (nothing in
 * the product waits there: tests hold an undo between two pages with it).
 */
export async function undoImport(args: { store: Store; ctx: RequestContext; events: RecordEvents; job: string; dryRun: boolean; committedOnly?: boolean; pageSize?: number; onPage?: UndoProgress; beforePage?: () => Promise<void>; refusedTexts?: RefusedTexts; writeProgress?: UndoProgressWrite }): Promise<UndoReport> {
  const { store, ctx } = args;
  const report: UndoReport = { dryRun: args.dryRun, deleted: 0, restored: 0, changedSince: [], missing: 0, refused: [] };
  // The first refusals with their reasons in every language (the report's are in the reader's).
  const refusedTexts = args.refusedTexts ?? [];
  // A store that cannot roll back keeps what a failed page wrote: there each record is a page of its own.
  const pageSize = store.atomicTransactions ? (args.pageSize ?? undoPageSize) : 1;
  let before: string | undefined;
  try {
    // Newest first: children created after their parents go before them.
    for (;;) {
      const rows = await store.find(importChangesCollection.name, {
        filter: andFilters(where({ job: args.job }), before ? { kind: 'compare', field: internalField('id'), op: '$lt', value: before } : undefined),
        sort: [{ field: internalField('id'), direction: -1 }],
        limit: logPageSize,
      });
      if (rows.length === 0) return report;
      before = rows[rows.length - 1]!.id;
      const steps: Step[] = [];
      for (const stored of rows) {
        const row = logRow(stored);
        // What an earlier, interrupted run committed counts as it was; the walk goes on after it.
        addOutcomes(report, ctx.locale, row, refusedTexts);
        if (args.committedOnly) continue;
        for (let index = row.undone.done; index < row.recordIds.length; index++) steps.push({ row, index, recordId: row.recordIds[index]! });
      }
      if (args.dryRun || args.committedOnly) {
        for (const step of steps) addOutcome(report, ctx.locale, step, await checkStep(store, ctx, step));
        continue;
      }
      for (let start = 0; start < steps.length; start += pageSize) {
        await args.beforePage?.();
        await undoPage({ ...args, report, refusedTexts, steps: steps.slice(start, start + pageSize) });
        await args.onPage?.(report);
      }
    }
  } catch (error) {
    if (error instanceof UndoneElsewhere) {
      const conflict = new CrmError('CONFLICT', { en: 'Another undo of this import is running; look at the import again once it ends', zh: '此导入的另一次撤销正在进行；结束后请重新查看该导入' });
      elsewhere.add(conflict);
      throw conflict;
    }
    throw error;
  }
}

function logRow(stored: StoredRecord): LogRow {
  const change = stored.data as unknown as ImportChange;
  // A run of creates logged as one row is undone last created first, like rows of their own.
  const recordIds = change.recordIds ? [...change.recordIds].reverse() : [change.recordId!];
  return { id: stored.id, version: stored.version, change, recordIds, undone: change.undone ?? noneUndone() };
}

/** Whether the step's record can be undone: gone, changed since, or its current state to write from. */
async function checkStep(reader: StoreReader, ctx: RequestContext, step: Step): Promise<Outcome & { current?: StoredRecord; entity?: CompiledEntity }> {
  const { change } = step.row;
  const entity = ctx.model.entities.get(change.entity);
  const current = entity ? await reader.get(change.entity, step.recordId) : undefined;
  if (!entity || !current) return { kind: 'missing' };
  if (current.version !== change.version) return { kind: 'changedSince', version: current.version };
  return { kind: change.action === 'created' ? 'deleted' : 'restored', current, entity };
}

/** One step's write, in the page's transaction (the same write path as a single record's). */
async function undoStep(args: { tx: StoreTransaction; ctx: RequestContext; events: RecordEvents; job: string; step: Step; published: RecordEvent[] }): Promise<Outcome> {
  const { tx, ctx, step } = args;
  const checked = await checkStep(tx, ctx, step);
  if (!checked.current || !checked.entity) return checked;
  const { current, entity } = checked;
  const change = step.row.change;
  if (change.action === 'created') {
    ctx.policy.assertEntityAction(ctx.principal, entity, 'delete');
    args.published.push(...(await deleteInTransaction({ tx, ctx, entity, id: step.recordId, expectedVersion: change.version, listeners: args.events })));
    return { kind: 'deleted' };
  }
  // Fields the import added are removed again (null in a merge patch).
  const patch: Record<string, unknown> = Object.fromEntries([...entity.valueFields].filter((f) => current.data[f] !== undefined).map((f) => [f, null]));
  Object.assign(patch, change.before ?? {});
  const details = { importJob: args.job };
  const { stored, complete } = await applyUpdate({ tx, ctx, entity, current, accepted: patch, options: { audit: { action: 'importUndo', details } } });
  // A restore is a change like the import's own: its in-transaction listeners (the outbox among them) as a PATCH's.
  const event: RecordEvent = { type: 'updated', entity: entity.name, id: step.recordId, before: current.data, after: complete, version: stored.version, ctx, action: 'importUndo', details };
  await args.events.runInTransaction(tx, [event]);
  args.published.push(event);
  return { kind: 'restored' };
}

/**
 * One page of steps in one transaction, with each touched row's outcome so far; its events are
 * published once it committed. A refused record rolls the page back and the page runs again one
 * record per transaction (a refusal there commits as the row's outcome alone).
 */
async function undoPage(args: { store: Store; ctx: RequestContext; events: RecordEvents; job: string; report: UndoReport; refusedTexts: RefusedTexts; steps: Step[]; writeProgress?: UndoProgressWrite }): Promise<void> {
  const { store, ctx } = args;
  let committed: { outcomes: [Step, Outcome][]; rows: Map<LogRow, { version: number; undone: UndoneChanges }>; published: RecordEvent[] };
  try {
    committed = await store.transaction(async (storeTx) => {
      const tx = new DeferredInserts(storeTx, new Set([auditCollection.name]));
      const published: RecordEvent[] = [];
      const outcomes: [Step, Outcome][] = [];
      for (const step of args.steps) outcomes.push([step, await undoStep({ ...args, tx, step, published })]);
      const rows = await recordOutcomes(tx, outcomes);
      await args.writeProgress?.(storeTx, countsAfter(args.report, outcomes));
      await tx.flush();
      return { outcomes, rows, published };
    });
  } catch (error) {
    if (!isCrmError(error) || args.steps.length === 1) {
      if (!isCrmError(error)) throw error;
      // One record alone, refused: its row records the refusal, so a later run does not try it again.
      const step = args.steps[0]!;
      const refused: Outcome = { kind: 'refused', reason: refusalText(error) };
      const rows = await store.transaction(async (tx) => {
        const written = await recordOutcomes(tx, [[step, refused]]);
        await args.writeProgress?.(tx, countsAfter(args.report, [[step, refused]]));
        return written;
      });
      settle(args.report, args.refusedTexts, ctx.locale, [[step, refused]], rows);
      return;
    }
    for (const step of args.steps) await undoPage({ ...args, steps: [step] });
    return;
  }
  settle(args.report, args.refusedTexts, ctx.locale, committed.outcomes, committed.rows);
  await args.events.publish(committed.published);
}

/** Writes each touched row's outcome with its records' undo; a row another undo moved on stops this one. */
async function recordOutcomes(tx: StoreTransaction, outcomes: [Step, Outcome][]): Promise<Map<LogRow, { version: number; undone: UndoneChanges }>> {
  const rows = new Map<LogRow, { version: number; undone: UndoneChanges }>();
  for (const [step, outcome] of outcomes) {
    let next = rows.get(step.row);
    if (!next) rows.set(step.row, (next = { version: step.row.version + 1, undone: structuredClone(step.row.undone) }));
    countOutcome(next.undone, step, outcome);
    next.undone.done = step.index + 1;
  }
  for (const [row, next] of rows) {
    const data = { ...row.change, undone: next.undone } as unknown as Record<string, unknown>;
    if (!(await tx.replace(importChangesCollection.name, { id: row.id, version: next.version, revision: 0, data }, row.version))) throw new UndoneElsewhere();
  }
  return rows;
}

/** After a commit: the rows as now stored, and the report. */
function settle(report: UndoReport, refusedTexts: RefusedTexts, locale: Locale, outcomes: [Step, Outcome][], rows: Map<LogRow, { version: number; undone: UndoneChanges }>): void {
  for (const [row, next] of rows) Object.assign(row, next);
  for (const [step, outcome] of outcomes) {
    addOutcome(report, locale, step, outcome);
    if (outcome.kind === 'refused' && refusedTexts.length < keptRefusals) refusedTexts.push({ entity: step.row.change.entity, id: step.recordId, reason: outcome.reason });
  }
}

/**
 * Why the store refused a record, in every language. A detail that carries its own texts says it
 * whole (naming what refers to the record by its label), so its pointer — another entity's field,
 * code to whoever reads the undo — is left out; a detail without them keeps its field's pointer.
 */
function refusalText(error: CrmError): LocalizedText {
  if (error.details.length === 0) return error.localizedText;
  return compactText(Object.fromEntries(locales.map((locale) => [locale, error.details.map((d) => `${d.text === undefined && d.path ? `${d.path}: ` : ''}${detailMessage(d, locale)}`).join('; ')])));
}

type RefusedTexts = { entity: string; id: string; reason: LocalizedText }[];

/** The report's counts once these outcomes commit. */
function countsAfter(report: UndoReport, outcomes: [Step, Outcome][]): UndoCounts {
  const counts: UndoCounts = { done: undoneSoFar(report), deleted: report.deleted, restored: report.restored, missing: report.missing, changedSince: report.changedSince.length, refused: report.refused.length };
  for (const [, outcome] of outcomes) {
    counts.done++;
    counts[outcome.kind]++;
  }
  return counts;
}

function countOutcome(undone: UndoneChanges, step: Step, outcome: Outcome): void {
  if (outcome.kind === 'changedSince') undone.changedSince.push({ id: step.recordId, version: outcome.version });
  else if (outcome.kind === 'refused') undone.refused.push({ id: step.recordId, reason: outcome.reason });
  else undone[outcome.kind]++;
}

function addOutcome(report: UndoReport, locale: Locale, step: Step, outcome: Outcome): void {
  const { entity, version: importedVersion } = step.row.change;
  if (outcome.kind === 'changedSince') report.changedSince.push({ entity, id: step.recordId, version: outcome.version, importedVersion });
  else if (outcome.kind === 'refused') report.refused.push({ entity, id: step.recordId, reason: readText(outcome.reason, locale) });
  else report[outcome.kind]++;
}

/** A row's outcomes committed by an earlier run, added to the report (refusals in the reader's language). */
function addOutcomes(report: UndoReport, locale: Locale, row: LogRow, refusedTexts: RefusedTexts): void {
  const { undone, change } = row;
  report.deleted += undone.deleted;
  report.restored += undone.restored;
  report.missing += undone.missing;
  for (const c of undone.changedSince) report.changedSince.push({ entity: change.entity, id: c.id, version: c.version, importedVersion: change.version });
  for (const r of undone.refused) {
    report.refused.push({ entity: change.entity, id: r.id, reason: readText(r.reason, locale) });
    if (refusedTexts.length < keptRefusals) refusedTexts.push({ entity: change.entity, id: r.id, reason: r.reason });
  }
}
