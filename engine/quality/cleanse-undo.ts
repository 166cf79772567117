// Undo of a committed cleansing job, all or nothing: every record it changed (and not changed
// since) gets its previous document back, or none does. First a full check over the job's change
// log — which records would be restored, which changed since or are gone, whether a restored value
// clashes with a unique value another record now holds, and whether records would have to swap
// unique values (each frees its old value only in its own undo, so no write order works). Either
// refuses the whole undo with a 409 naming each record and field, in the caller's language; the dry
// run answers the same. Then the writes: on a store that can roll back, one transaction for the
// whole job — a refusal the check could not foresee (a record written meanwhile) rolls everything
// back. A store that cannot (a standalone MongoDB server) writes a page at a time after the same
// check. A record whose old value another record of the job holds until its own undo waits, and is
// written after it.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, where, type FilterableField, type FilterNode, type ScalarValue } from '../filter/filter-tree.ts';
import { CrmError, isCrmError, localizedDetail, pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { appendAudit, auditCollection } from '../records/audit-trail.ts';
import { keepMatchKeys } from '../records/match-keys.ts';
import { propagateRollups } from '../records/propagate-rollups.ts';
import type { InTransactionEvents, RecordEvent, RecordEventChannel } from '../records/record-events.ts';
import { changedFields, type RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { DeferredInserts } from '../store/deferred-inserts.ts';
import { pagesById } from '../store/read-pages.ts';
import type { IndexSpec, Store, StoreReader, StoredRecord, StoreTransaction } from '../store/store-port.ts';
import { cleanseChangesCollection, cleanseJobsCollection, cleanseSystemKeys, loadCleanseJob, type CleanseChange, type CleanseJob } from './cleanse-records.ts';

/** Change-log rows read per query: memory stays bounded however many records the job changed. */
const pageSize = 500;

export interface CleanseUndoReport {
  dryRun: boolean;
  restored: number;
  changedSince: { id: string; version: number; cleansedVersion: number }[];
  missing: number;
}

/** Puts back the documents a committed cleansing job changed, unless changed since — all of them or none; the dry run checks and counts. */
export async function undoCleanseJob(args: { store: Store; ctx: RequestContext; id: string; dryRun: boolean; events: RecordEventChannel }): Promise<CleanseUndoReport> {
  const { store, ctx } = args;
  const loaded = await loadCleanseJob(store, args.id);
  if (!loaded) throw new CrmError('NOT_FOUND', { en: `No cleansing job "${args.id}"`, zh: `没有清洗任务「${args.id}」` });
  const { job } = loaded;
  if (job.status === 'running') throw new CrmError('CONFLICT', { en: 'The cleansing job is still running', zh: '清洗任务仍在进行' });
  if (job.dryRun) throw new CrmError('CONFLICT', { en: 'A dry run wrote nothing to undo', zh: '试运行没有写入任何内容' });
  if (job.undo) throw new CrmError('CONFLICT', { en: 'The cleansing job was undone already', zh: '该清洗任务已撤销' });
  const entity = ctx.model.entities.get(job.entity);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${job.entity}"`, zh: `没有实体「${job.entity}」` });
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');

  const checked = await checkUndo(store, ctx, entity, args.id);
  if (args.dryRun) return { ...checked, dryRun: true };
  // Counted again as written: a record edited between the check and its write is left alone and listed.
  const report: CleanseUndoReport = { dryRun: false, restored: 0, changedSince: [], missing: 0 };
  const undo = () => ({ at: ctx.clock.now().toISOString(), by: ctx.principal.id, restored: report.restored, changedSince: report.changedSince.length });
  const events = args.events;
  if (store.atomicTransactions) {
    const restored = await store.transaction(async (tx) => {
      const restored: RecordEvent[] = [];
      const waiting: CleanseChange[] = [];
      for await (const page of changePages(tx, args.id)) restored.push(...(await restorePage(tx, ctx, entity, args.id, page, report, events, waiting)));
      restored.push(...(await restoreWaiting(tx, ctx, entity, args.id, waiting, report, events)));
      await markUndone(tx, args.id, undo());
      return restored;
    });
    await events.publish(restored);
  } else {
    const waiting: CleanseChange[] = [];
    for await (const page of changePages(store, args.id)) await events.publish(await store.transaction((tx) => restorePage(tx, ctx, entity, args.id, page, report, events, waiting)));
    await events.publish(await store.transaction((tx) => restoreWaiting(tx, ctx, entity, args.id, waiting, report, events)));
    await store.transaction((tx) => markUndone(tx, args.id, undo()));
  }
  return report;
}

/** The job's change log, a page at a time in id order. */
async function* changePages(reader: StoreReader, job: string): AsyncGenerator<CleanseChange[]> {
  for await (const page of pagesById(reader, cleanseChangesCollection.name, where({ job }), pageSize)) yield page.map((row) => row.data as unknown as CleanseChange);
}

/** A change the undo applies: the record is there at the version the cleanse left. */
function restorable(current: StoredRecord, change: CleanseChange): boolean {
  return current.version === change.version;
}

/** The whole walk without a write: the counts, and every unique clash a restored value would meet or swap it would need (then 409). */
async function checkUndo(store: Store, ctx: RequestContext, entity: CompiledEntity, job: string): Promise<Omit<CleanseUndoReport, 'dryRun'>> {
  const report: Omit<CleanseUndoReport, 'dryRun'> = { restored: 0, changedSince: [], missing: 0 };
  const clashes: IssueDetail[] = [];
  const waits: Wait[] = [];
  const uniques = entity.collection.indexes.filter((index) => index.unique);
  for await (const page of changePages(store, job)) {
    for (const change of page) {
      const current = await store.get(entity.name, change.recordId);
      if (!current) report.missing++;
      else if (!restorable(current, change)) report.changedSince.push({ id: change.recordId, version: current.version, cleansedVersion: change.version });
      else {
        report.restored++;
        for (const index of uniques) clashes.push(...(await uniqueClashes(store, ctx, entity, job, index, change, current, waits)));
      }
    }
  }
  const swaps = waitCycles(waits).map((cycle) => swapIssue(entity, cycle, ctx.locale));
  if (clashes.length > 0) {
    throw new CrmError('UNIQUE_VIOLATION', { en: 'Undoing the cleansing would give records values other records now hold; nothing was restored', zh: '撤销清洗会使记录取得其他记录现有的唯一值；未恢复任何记录' }, [...clashes, ...swaps]);
  }
  if (swaps.length > 0) {
    throw new CrmError('UNIQUE_VIOLATION', { en: 'Undoing the cleansing would have records swap unique values, and it cannot write one before the other; nothing was restored', zh: '撤销清洗需要记录互换唯一值，无法先写其中任何一条；未恢复任何记录' }, swaps);
  }
  return report;
}

/** A record whose restored value `holder` holds until the holder's own undo moves it off: the holder must be written first. */
interface Wait {
  record: StoredRecord;
  holder: StoredRecord;
  paths: readonly (readonly string[])[];
  restored: unknown[];
}

/**
 * Records that wait on each other round a cycle (a swap: each holds the value the next gets back),
 * which no write order can restore one at a time. One cycle per back edge of a walk over the waits
 * (iterative: a long chain must not exhaust the stack), each starting at its smallest record id.
 */
function waitCycles(waits: readonly Wait[]): Wait[][] {
  const out = new Map<string, Wait[]>();
  for (const wait of waits) out.set(wait.record.id, [...(out.get(wait.record.id) ?? []), wait]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: Wait[][] = [];
  for (const start of [...out.keys()].sort()) {
    if (state.has(start)) continue;
    state.set(start, 'open');
    // walk[i] leads from stack[i] to stack[i + 1].
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    const walk: Wait[] = [];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edge = (out.get(top.id) ?? [])[top.next++];
      if (!edge) {
        state.set(top.id, 'done');
        stack.pop();
        walk.pop();
        continue;
      }
      const seen = state.get(edge.holder.id);
      if (seen === 'open') {
        const cycle = [...walk.slice(stack.findIndex((s) => s.id === edge.holder.id)), edge];
        const first = cycle.reduce((min, wait, i) => (wait.record.id < cycle[min]!.record.id ? i : min), 0);
        cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
      } else if (seen === undefined) {
        state.set(edge.holder.id, 'open');
        stack.push({ id: edge.holder.id, next: 0 });
        walk.push(edge);
      }
    }
  }
  return cycles;
}

/** One cycle of waits as an issue at its first record's field: every record of it, the value it gets back and who holds it, and why. */
function swapIssue(entity: CompiledEntity, cycle: readonly Wait[], locale: Locale): IssueDetail {
  const step = (wait: Wait, l: Locale) => (l === 'zh'
    ? `${named(entity, wait.record, l)}要从${named(entity, wait.holder, l)}取回${fieldNames(entity, wait.paths, l).join('、')} ${shownValues(wait.restored)}`
    : `${named(entity, wait.record, l)} gets back ${fieldNames(entity, wait.paths, l).join(', ')} ${shownValues(wait.restored)} from ${named(entity, wait.holder, l)}`);
  const text: LocalizedText = {
    en: `the records would have to swap their values: ${cycle.map((wait) => step(wait, 'en')).join('; ')}. Each gives its value up only in its own undo, so the undo cannot write one before the other`,
    zh: `这些记录须互换取值：${cycle.map((wait) => step(wait, 'zh')).join('；')}。每条记录只在自身撤销时让出取值，撤销无法先写其中任何一条`,
  };
  return localizedDetail({ path: pointer(entity.name, cycle[0]!.record.id, ...cycle[0]!.paths[0]!), code: 'UNIQUE_VIOLATION', text }, locale);
}

/** The fields of a unique index by their labels. */
const fieldNames = (entity: CompiledEntity, paths: readonly (readonly string[])[], locale: Locale) => paths.map((path) => localize(entity.fields.get(path[0]!)?.definition.label, locale) || path.join('.'));
const shownValues = (values: unknown[]) => values.map((value) => JSON.stringify(value)).join(', ');

/** A record as a person finds it: its title, and the id. */
function named(entity: CompiledEntity, record: StoredRecord, locale: Locale): string {
  const title = entity.definition.titleField === undefined ? undefined : record.data[entity.definition.titleField];
  if (typeof title !== 'string' || title.trim() === '') return locale === 'zh' ? ` ${record.id} ` : record.id;
  return locale === 'zh' ? `「${title}」（${record.id}）` : `"${title}" (${record.id})`;
}

const valueAt = (data: RecordValues, path: readonly string[]): unknown => path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);

/**
 * Narrows to records that may hold `value`. A multi-value field's operators match any element, and
 * a list is no compared value: the list narrows by each of its elements, and holdersOf compares the
 * whole list, as the store's unique index does.
 */
function holding(field: FilterableField, value: unknown): FilterNode {
  const values = Array.isArray(value) ? value : [value];
  return andFilters(...values.map((element): FilterNode => ({ kind: 'compare', field, op: '$eq', value: element as ScalarValue })));
}

/** Up to five records (not `change`'s) whose values at `paths` equal `restored` — lists whole, not by element. */
async function holdersOf(reader: StoreReader, entity: CompiledEntity, narrowed: FilterNode, paths: readonly (readonly string[])[], restored: unknown[]): Promise<StoredRecord[]> {
  const wanted = JSON.stringify(restored);
  const holders: StoredRecord[] = [];
  for await (const page of pagesById(reader, entity.name, narrowed, 50)) {
    holders.push(...page.filter((row) => JSON.stringify(paths.map((path) => valueAt(row.data, path))) === wanted));
    if (holders.length >= 5) break;
  }
  return holders.slice(0, 5);
}

/** The unique value(s) of `index` that `change` puts back and up to five records now holding them; undefined when the record keeps its values. */
async function restoredHolders(reader: StoreReader, entity: CompiledEntity, index: IndexSpec, change: CleanseChange, current: StoredRecord) {
  const paths = index.keys.map((key) => key.path);
  const restored = paths.map((path) => valueAt(change.before, path));
  if (restored.some((value) => value === undefined || value === null || (Array.isArray(value) && value.length === 0))) return undefined;
  if (JSON.stringify(restored) === JSON.stringify(paths.map((path) => valueAt(current.data, path)))) return undefined;
  const sameValues: FilterNode = andFilters(
    ...paths.map((path, i) => holding(entity.filterables.get(path.join('.')) ?? internalField(path.join('.')), restored[i])),
    { kind: 'compare', field: internalField('id'), op: '$ne', value: change.recordId },
  );
  return { paths, restored, holders: await holdersOf(reader, entity, sameValues, paths, restored) };
}

/** Whether the same undo puts `holder` back to other values at `paths`: it is as the cleanse left it, and before the cleanse both values stood side by side. */
async function movesAway(reader: StoreReader, job: string, holder: StoredRecord, paths: readonly (readonly string[])[], restored: unknown[]): Promise<boolean> {
  const [own] = await reader.find(cleanseChangesCollection.name, { filter: where({ job, recordId: holder.id }), sort: [], limit: 1 });
  const change = own?.data as unknown as CleanseChange | undefined;
  return change !== undefined && restorable(holder, change) && JSON.stringify(paths.map((path) => valueAt(change.before, path))) !== JSON.stringify(restored);
}

/** Records that now hold the unique value(s) `change` would put back, and will not move off them in this undo; those that will are added to `waits`. */
async function uniqueClashes(store: Store, ctx: RequestContext, entity: CompiledEntity, job: string, index: IndexSpec, change: CleanseChange, current: StoredRecord, waits: Wait[]): Promise<IssueDetail[]> {
  const found = await restoredHolders(store, entity, index, change, current);
  if (!found) return [];
  const { paths, restored } = found;
  const issues: IssueDetail[] = [];
  for (const holder of found.holders) {
    if (await movesAway(store, job, holder, paths, restored)) {
      waits.push({ record: current, holder, paths, restored });
      continue;
    }
    const shown = shownValues(restored);
    const text: LocalizedText = {
      en: `record ${named(entity, current, 'en')} would get back ${fieldNames(entity, paths, 'en').join(', ')} ${shown} (its value before the cleansing), which record ${named(entity, holder, 'en')} now holds`,
      zh: `记录${named(entity, current, 'zh')}将恢复清洗前的${fieldNames(entity, paths, 'zh').join('、')} ${shown}，该值现由记录${named(entity, holder, 'zh')}使用`,
    };
    issues.push(localizedDetail({ path: pointer(entity.name, change.recordId, ...paths[0]!), code: 'UNIQUE_VIOLATION', text }, ctx.locale));
  }
  return issues;
}

/**
 * Whether a value `change` puts back is still held by a record this undo has yet to move off it:
 * written in change order, it would meet the unique index before the holder moved (a rule that maps
 * a value onto one it maps on in turn: synonyms "a" → "b", "b" → "c").
 */
async function waitsForMove(reader: StoreReader, entity: CompiledEntity, job: string, change: CleanseChange, current: StoredRecord): Promise<boolean> {
  for (const index of entity.collection.indexes.filter((i) => i.unique)) {
    const found = await restoredHolders(reader, entity, index, change, current);
    for (const holder of found?.holders ?? []) if (await movesAway(reader, job, holder, found!.paths, found!.restored)) return true;
  }
  return false;
}

/**
 * The changes that waited for a value to be freed, written round after round as their holders
 * move. The check refuses holders that wait on each other (a swap); should a round still free
 * nothing (a record written since the check), what is left is written as it is and the store refuses the clash.
 */
async function restoreWaiting(tx: StoreTransaction, ctx: RequestContext, entity: CompiledEntity, job: string, waiting: CleanseChange[], report: CleanseUndoReport, listeners: InTransactionEvents): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  for (let left = waiting; left.length > 0; ) {
    const still: CleanseChange[] = [];
    events.push(...(await restorePage(tx, ctx, entity, job, left, report, listeners, still)));
    if (still.length === left.length) return [...events, ...(await restorePage(tx, ctx, entity, job, still, report, listeners))];
    left = still;
  }
  return events;
}

/**
 * One page of the change log written back; a record changed since (even during the undo) is left as
 * it is. With `waiting`, a change whose value another record has yet to free goes there instead.
 */
async function restorePage(storeTx: StoreTransaction, ctx: RequestContext, entity: CompiledEntity, job: string, page: CleanseChange[], report: CleanseUndoReport, listeners: InTransactionEvents, waiting?: CleanseChange[]): Promise<RecordEvent[]> {
  const tx = new DeferredInserts(storeTx, new Set([auditCollection.name]));
  const restored: RecordEvent[] = [];
  const now = ctx.clock.now().toISOString();
  const changedSince = (change: CleanseChange, version: number) => report.changedSince.push({ id: change.recordId, version, cleansedVersion: change.version });
  for (const change of page) {
    const current = await tx.get(entity.name, change.recordId);
    if (!current) {
      report.missing++;
      continue;
    }
    if (!restorable(current, change)) {
      changedSince(change, current.version);
      continue;
    }
    if (waiting && (await waitsForMove(tx, entity, job, change, current))) {
      waiting.push(change);
      continue;
    }
    const data = { ...change.before, updatedAt: now, updatedBy: ctx.principal.id };
    try {
      if (!(await tx.replace(entity.name, { ...current, version: current.version + 1, revision: ctx.model.revision, data }, current.version))) {
        changedSince(change, current.version + 1);
        continue;
      }
    } catch (error) {
      // A clash the check could not see (a record written since): said of the record, and nothing stays restored.
      if (!isCrmError(error)) throw error;
      throw new CrmError(error.code, error.localizedText, error.details.map((detail) => ({ ...detail, path: pointer(entity.name, change.recordId) + detail.path })));
    }
    await keepMatchKeys(tx, entity, change.recordId, data, current.data);
    await propagateRollups({ child: entity, before: current.data, after: data, tx, ctx });
    await appendAudit(tx, { entity: entity.name, recordId: change.recordId, action: 'cleanse.undo', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: changedFields(current.data, data, cleanseSystemKeys), details: { cleanseJob: job } });
    restored.push({ type: 'updated', entity: entity.name, id: change.recordId, before: current.data, after: data, version: current.version + 1, ctx, action: 'cleanse.undo', maintenance: true });
    report.restored++;
  }
  // The page's events in its transaction (the outbox rows commit with the restored records).
  await listeners.runInTransaction(tx, restored);
  await tx.flush();
  return restored;
}

async function markUndone(tx: StoreTransaction, id: string, undo: NonNullable<CleanseJob['undo']>): Promise<void> {
  const latest = await loadCleanseJob(tx, id);
  // Checked again here: an undo started alongside passed the first check too, and must not overwrite this one's summary.
  if (latest!.job.undo) throw new CrmError('CONFLICT', { en: 'The cleansing job was undone already', zh: '该清洗任务已撤销' });
  const undone: CleanseJob = { ...latest!.job, status: 'undone', undo };
  if (!(await tx.replace(cleanseJobsCollection.name, { id, version: latest!.version + 1, revision: 0, data: undone as unknown as Record<string, unknown> }, latest!.version))) {
    throw new CrmError('CONFLICT', { en: 'The cleansing job changed meanwhile', zh: '清洗任务已被修改' });
  }
}
