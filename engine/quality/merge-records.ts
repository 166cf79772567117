// Merging duplicates: one survivor keeps, field by field, the value of whichever record the caller
// chose; the records pointing at the merged ones (lookups, polymorphic lookups) are re-pointed to
// it, their audit trail and state history move to it (each entry marked with where it came from),
// the merged records go, and the survivor gets one audit entry `merge` — all in one transaction.
// The survivor's values are checked as any update's (lookup filters included); the re-pointed
// records' lookup filters by merge-lookup-filters.ts.
// What the merge changed is kept (`_merges`: records/merge-log.ts) so that it can be undone in one
// step, for as long as it can be.
// Integrations hear both as changes (maintenance record events, in the same transaction): a merge
// as `deleted` (with `mergedInto`) per merged record and `updated` for the survivor and re-pointed
// records; its undo brings the merged records back as a change — a new version, `updatedAt` — sent
// as `created` (`restored`).

import { isDeepStrictEqual } from 'node:util';
import { fileIdsOf } from '../fields/types/file-type.ts';
import { linkId } from '../fields/link-values.ts';
import { repointedValue } from '../records/incoming-references.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { where } from '../filter/filter-tree.ts';
import { CrmError, isCrmError, localizedDetail, pointer, type IssueDetail } from '../kernel/errors.ts';
import { labelsOf, localize, type Locale } from '../kernel/i18n.ts';
import { newId } from '../kernel/ids.ts';
import { appendAudit, auditCollection } from '../records/audit-trail.ts';
import { dropMatchKeys, keepMatchKeys } from '../records/match-keys.ts';
import { forgetMergedAway, noteMergedAway } from '../records/merged-away.ts';
import { closeMergesInto, mergesCollection, withoutUndoMaterial, type MergeClosedReason, type MergeLog } from '../records/merge-log.ts';
import { getRecordInScopeOrThrow } from '../records/record-in-scope.ts';
import { propagateRollups } from '../records/propagate-rollups.ts';
import type { InTransactionEvents, RecordEvent, RecordEventChannel } from '../records/record-events.ts';
import { presentRecord, type RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { applyUpdate } from '../records/write-record.ts';
import { checkInput } from '../records/check-input.ts';
import type { CollectionSpec, Store, StoreReader, StoreTransaction, StoredRecord } from '../store/store-port.ts';
import { stateHistoryCollection } from '../workflow/state-history.ts';
import { publicDetails } from '../kernel/detail-text.ts';
import { checkRepointedLookupFilters } from './merge-lookup-filters.ts';

const filesCollection = '_files';

const maxMerged = 20;
const maxReferences = 10_000;

export interface MergeRequest {
  survivor: string;
  merged: string[];
  /** field → the id (survivor or merged) whose value the survivor keeps; fields not named keep the survivor's. */
  values?: Record<string, string>;
  /**
   * id → the version the caller read (the survivor's, merged ones'): a record at another version
   * refuses the merge, as If-Match does a write — the caller chose from values that are gone.
   */
  versions?: Record<string, number>;
}

/** The request checked against the entity (never throws). */
export function checkMergeRequest(entity: CompiledEntity, body: unknown, locale: Locale): IssueDetail[] {
  const t = (en: string, zh: string) => localize({ en, zh }, locale);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [{ path: '', message: t('must be a JSON object', '必须是 JSON 对象') }];
  const input = body as Record<string, unknown>;
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(input)) if (!['survivor', 'merged', 'values', 'versions'].includes(key)) issues.push({ path: pointer(key), message: t('is not a known property (known: survivor, merged, values, versions)', '不是已知属性（可用：survivor、merged、values、versions）') });
  if (typeof input['survivor'] !== 'string') issues.push({ path: '/survivor', message: t('must be the id of the record that stays', '必须是保留记录的 id') });
  const merged = input['merged'];
  if (!Array.isArray(merged) || merged.length === 0 || merged.length > maxMerged || !merged.every((m) => typeof m === 'string')) issues.push({ path: '/merged', message: t(`must list 1 to ${maxMerged} record ids`, `必须列出 1 到 ${maxMerged} 个记录 id`) });
  else if (merged.includes(input['survivor'] as string) || new Set(merged).size !== merged.length) issues.push({ path: '/merged', message: t('must not repeat an id or name the survivor', '不能重复 id，也不能包含保留记录') });
  const values = input['values'];
  if (values !== undefined) {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) issues.push({ path: '/values', message: t('must map fields to record ids', '必须是字段到记录 id 的映射') });
    else
      for (const [field, from] of Object.entries(values)) {
        if (!entity.valueFields.has(field)) issues.push({ path: pointer('values', field), message: t(`is not a writable field of ${entity.name}`, `不是 ${entity.name} 的可写字段`) });
        else if (from !== input['survivor'] && !(Array.isArray(merged) && merged.includes(from))) issues.push({ path: pointer('values', field), message: t('must be the survivor or one of the merged ids', '必须是保留记录或被合并记录之一的 id') });
      }
  }
  const versions = input['versions'];
  if (versions !== undefined) {
    if (versions === null || typeof versions !== 'object' || Array.isArray(versions)) issues.push({ path: '/versions', message: t('must map record ids to the versions read', '必须是记录 id 到所读版本的映射') });
    else
      for (const [id, version] of Object.entries(versions)) {
        if (id !== input['survivor'] && !(Array.isArray(merged) && merged.includes(id))) issues.push({ path: pointer('versions', id), message: t('must be the survivor or one of the merged ids', '必须是保留记录或被合并记录之一的 id') });
        else if (!Number.isSafeInteger(version) || (version as number) < 1) issues.push({ path: pointer('versions', id), message: t('must be a version number (a positive integer)', '必须是版本号（正整数）') });
      }
  }
  return issues;
}

async function moveEntries(tx: StoreTransaction, collection: string, entity: string, from: string, to: string, moved: MergeLog['moved']) {
  const rows = await tx.find(collection, { filter: where({ entity, recordId: from }), sort: [], limit: 100_000 });
  for (const row of rows) {
    await tx.replace(collection, { ...row, version: row.version + 1, data: { ...row.data, recordId: to, mergedFrom: from } }, row.version);
    moved.push({ collection, id: row.id, from });
  }
}

/** What a merge did (or, rolled back, would do): records re-pointed per referencing field, history entries moved, records deleted. */
export interface MergeSummary {
  repointed: { entity: string; field: string; count: number }[];
  moved: { audit: number; stateHistory: number };
  deleted: number;
}

function summarize(log: MergeLog): MergeSummary {
  const repointed = new Map<string, { entity: string; field: string; count: number }>();
  // A multi-record lookup naming two merged records is re-pointed once per merged record: counted once.
  const seen = new Set<string>();
  for (const r of log.repointed) {
    const key = `${r.entity}\u0000${r.field}`;
    const entry = repointed.get(key) ?? { entity: r.entity, field: r.field, count: 0 };
    repointed.set(key, entry);
    if (seen.has(`${key}\u0000${r.id}`)) continue;
    seen.add(`${key}\u0000${r.id}`);
    entry.count++;
  }
  return {
    repointed: [...repointed.values()],
    moved: { audit: log.moved.filter((m) => m.collection === auditCollection.name).length, stateHistory: log.moved.filter((m) => m.collection === stateHistoryCollection.name).length },
    deleted: log.merged.length,
  };
}

class MergeRehearsed extends Error {
  constructor(readonly result: { record: RecordValues; summary: MergeSummary }) {
    super('merge rehearsed');
  }
}

/**
 * The merge run in a transaction that is then rolled back: the survivor as it would be, what would
 * be re-pointed and moved — or the error the merge would meet (a rule the chosen values break, a
 * record outside the caller's scope). Nothing is written: a store that cannot roll back (a standalone
 * MongoDB server) refuses the rehearsal, which would otherwise merge for real.
 */
export async function rehearseMerge(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; request: MergeRequest }): Promise<{ record: RecordValues; summary: MergeSummary }> {
  if (!args.store.atomicTransactions) {
    throw new CrmError('CONFLICT', {
      en: 'A dry run of a merge needs a store that can roll back (SQLite, or MongoDB as a replica set); this MongoDB server is standalone',
      zh: '合并试运行需要可回滚的存储（SQLite，或副本集形式的 MongoDB）；当前 MongoDB 服务器为单机模式',
    });
  }
  try {
    await args.store.transaction(async (tx) => {
      const { record, summary } = await mergeRecords({ tx, ...args });
      throw new MergeRehearsed({ record, summary });
    });
  } catch (error) {
    if (error instanceof MergeRehearsed) return error.result;
    throw error;
  }
  throw new Error('a rehearsed merge returned');
}

/**
 * A record the merge updates (the survivor) or deletes (a merged one), refused at its pointer: one
 * the caller can read but not change is 403 — saying it does not exist would be untrue —, any other 404.
 */
async function takeRecord(tx: StoreTransaction, ctx: RequestContext, entity: CompiledEntity, id: string, action: 'update' | 'delete', at: string, read: number | undefined): Promise<StoredRecord> {
  let record: StoredRecord;
  try {
    record = await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id, action });
  } catch (error) {
    if (!isCrmError(error) || error.code !== 'NOT_FOUND') throw error;
    const readable = await Promise.resolve(getRecordInScopeOrThrow({ reader: tx, ctx, entity, id, action: 'read' })).then(() => true, () => false);
    // Named by the entity's label: a steward's screens say "患者", not "patient".
    const named = labelsOf(entity.definition.label, entity.name);
    if (!readable) throw new CrmError('NOT_FOUND', error.text, [localizedDetail({ path: at, text: { en: `no ${named.en} record you can read has this id`, zh: `找不到你可读取的该 id 的${named.zh}记录` } }, ctx.locale)]);
    const verb = action === 'update' ? { en: 'update', zh: '修改' } : { en: 'delete', zh: '删除' };
    throw new CrmError('FORBIDDEN', { en: `You may not ${verb.en} this ${named.en} record, so it cannot take part in the merge`, zh: `无权${verb.zh}此${named.zh}记录，因此不能参与合并` }, [localizedDetail({ path: at, text: { en: `you may not ${verb.en} this record`, zh: `无权${verb.zh}此记录` } }, ctx.locale)]);
  }
  if (read !== undefined && record.version !== read) {
    throw new CrmError('STALE_VERSION', { en: 'A record of the merge was changed by someone else; read it again before merging', zh: '参与合并的记录已被他人修改，请重新读取后再合并' }, [
      localizedDetail({ path: at, text: { en: `changed since you read it (version ${read}, now ${record.version})`, zh: `读取后已被修改（读取时版本 ${read}，现为 ${record.version}）` } }, ctx.locale),
    ]);
  }
  return record;
}

/** The picked values pass the caller's field access as a PATCH's would (a field only read or not seen refused), at `/values/<field>`. */
function checkPickedFields(ctx: RequestContext, entity: CompiledEntity, values: Record<string, string> | undefined): void {
  if (!values) return;
  try {
    // A merge may keep another record's workflow state: it carries a record's value, it does not take a step.
    checkInput({ input: Object.fromEntries(Object.keys(values).map((f) => [f, null])), entity, editable: ctx.policy.editableFields(ctx.principal, entity), readable: ctx.policy.readableFields(ctx.principal, entity), locale: ctx.locale, allowDriven: true });
  } catch (error) {
    if (!isCrmError(error)) throw error;
    throw new CrmError(error.code, error.text, error.details.map((d) => ({ ...d, path: `/values${d.path}` })));
  }
}

/** A referencing value with the links to `self` taken out: a list without them (none left: nothing), a single reference gone. */
function withoutSelf(value: unknown, self: string): unknown {
  if (!Array.isArray(value)) return undefined;
  const kept = value.filter((v) => linkId(v) !== self);
  return kept.length > 0 ? kept : undefined;
}

/**
 * Merges in one transaction; returns the survivor as the caller may read it, the log's id, what it
 * did and the events to publish. Its events — `deleted` for each merged record (with `mergedInto`),
 * `updated` for the survivor and each re-pointed record — are maintenance events, run through the
 * in-transaction listeners that hear them (the outbox, tombstones) before it commits; a rehearsal passes none.
 */
export async function mergeRecords(args: { tx: StoreTransaction; ctx: RequestContext; entity: CompiledEntity; request: MergeRequest; events?: InTransactionEvents }): Promise<{ record: RecordValues; merge: string; summary: MergeSummary; events: RecordEvent[] }> {
  const { tx, ctx, entity, request } = args;
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  ctx.policy.assertEntityAction(ctx.principal, entity, 'delete');
  checkPickedFields(ctx, entity, request.values);
  const survivor = await takeRecord(tx, ctx, entity, request.survivor, 'update', '/survivor', request.versions?.[request.survivor]);
  const merged: StoredRecord[] = [];
  for (const [i, id] of request.merged.entries()) merged.push(await takeRecord(tx, ctx, entity, id, 'delete', `/merged/${i}`, request.versions?.[id]));
  const now = ctx.clock.now().toISOString();
  const events: RecordEvent[] = [];
  const log: MergeLog = { entity: entity.name, survivor: survivor.id, before: survivor.data, version: 0, merged, repointed: [], moved: [], at: now, by: ctx.principal.id };

  for (const old of merged) {
    for (const incoming of entity.incomingLookups) {
      const source = ctx.model.entities.get(incoming.entity);
      if (!source) continue;
      const children = await tx.find(source.name, { filter: { kind: 'compare', field: source.filterables.get(incoming.field)!, op: '$eq', value: old.id }, sort: [], limit: maxReferences });
      for (const child of children) {
        // A record of the merged entity pointing at the survivor-to-be is re-read: it may be the survivor.
        const current = child.id === survivor.id ? ((await tx.get(source.name, child.id)) ?? child) : child;
        const repointed = repointedValue(current.data, incoming, old.id, survivor.id);
        const top = repointed.field;
        // The survivor pointing at its own duplicate would point at itself (its own manager, parent or peer): it points at nothing.
        const value = source.name === entity.name && child.id === survivor.id ? withoutSelf(repointed.value, survivor.id) : repointed.value;
        const { [top]: _old, ...others } = current.data;
        const data = { ...others, ...(value === undefined ? {} : { [top]: value }), updatedAt: now, updatedBy: ctx.principal.id };
        if (!(await tx.replace(source.name, { ...current, version: current.version + 1, revision: ctx.model.revision, data }, current.version))) throw new CrmError('CONFLICT', { en: 'A referencing record changed meanwhile', zh: '引用此记录的记录已被修改' });
        await keepMatchKeys(tx, source, child.id, data, current.data);
        await propagateRollups({ child: source, before: current.data, after: data, tx, ctx });
        await appendAudit(tx, { entity: source.name, recordId: child.id, action: 'update', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: { [top]: { before: current.data[top], after: value ?? null } }, details: { merge: { entity: entity.name, into: survivor.id } } });
        log.repointed.push({ entity: source.name, id: child.id, field: incoming.field, from: old.id, before: current.data[top] ?? null, after: value ?? null });
        events.push({ type: 'updated', entity: source.name, id: child.id, before: current.data, after: data, version: current.version + 1, ctx, action: 'merge', maintenance: true });
      }
    }
    await moveEntries(tx, auditCollection.name, entity.name, old.id, survivor.id, log.moved);
    await moveEntries(tx, stateHistoryCollection.name, entity.name, old.id, survivor.id, log.moved);
    const latest = (await tx.get(entity.name, old.id))!;
    if (!(await tx.delete(entity.name, old.id, latest.version))) throw new CrmError('CONFLICT', { en: 'A merged record changed meanwhile', zh: '被合并的记录已被修改' });
    await dropMatchKeys(tx, entity, old.id);
    await propagateRollups({ child: entity, before: latest.data, after: undefined, tx, ctx });
    events.push({ type: 'deleted', entity: entity.name, id: old.id, before: latest.data, version: latest.version, ctx, action: 'merge', maintenance: true, mergedInto: survivor.id });
  }

  const chosen: RecordValues = {};
  const adoptedFiles: { id: string; from: string }[] = [];
  for (const [field, from] of Object.entries(request.values ?? {})) {
    if (from === survivor.id) continue;
    chosen[field] = merged.find((m) => m.id === from)!.data[field] ?? null;
    if (entity.fields.get(field)?.definition.type === 'file') for (const id of fileIdsOf(chosen[field])) adoptedFiles.push({ id, from });
  }
  log.adoptedFiles = adoptedFiles;
  const current = (await tx.get(entity.name, survivor.id))!;
  const { stored, complete } = await applyUpdate({
    tx, ctx, entity, current, accepted: chosen, adoptFilesFrom: request.merged,
    options: { audit: { action: 'merge', details: { merged: request.merged, values: request.values ?? {} } } },
  });
  await checkRepointedLookupFilters({ tx, ctx, survivor: survivor.id, repointed: log.repointed });
  log.version = stored.version;
  events.push({ type: 'updated', entity: entity.name, id: survivor.id, before: current.data, after: complete, version: stored.version, ctx, action: 'merge', details: { merged: request.merged }, maintenance: true });
  await args.events?.runInTransaction(tx, events);
  // Earlier merges into the survivor can no longer be undone: it changed.
  await closeMergesInto(tx, { entity: entity.name, recordId: survivor.id, at: now, reason: 'changed' });
  const merge = newId();
  await tx.insert(mergesCollection.name, { id: merge, version: 1, revision: 0, data: log as unknown as Record<string, unknown> });
  await noteMergedAway(tx, { entity: entity.name, survivor: survivor.id, merged: request.merged, merge });
  return { record: presentRecord(stored, ctx.policy.readableFields(ctx.principal, entity)), merge, summary: summarize(log), events };
}

export async function loadMerge(reader: StoreReader, id: string): Promise<{ log: MergeLog; version: number } | undefined> {
  const row = await reader.get(mergesCollection.name, id);
  return row ? { log: row.data as unknown as MergeLog, version: row.version } : undefined;
}

/**
 * Undoes a merge: the merged records come back, references and history return to them, the survivor
 * gets its values back. Refused when the survivor changed since; a re-pointed record changed since is
 * left alone and listed.
 */
export async function undoMerge(args: { tx: StoreTransaction; ctx: RequestContext; id: string; events?: InTransactionEvents }): Promise<{ changedSince: ChangedSince[]; events: RecordEvent[] }> {
  const { tx, ctx } = args;
  const loaded = await loadMerge(tx, args.id);
  if (!loaded) throw new CrmError('NOT_FOUND', { en: `No merge "${args.id}"`, zh: `没有合并记录「${args.id}」` });
  const { log } = loaded;
  if (log.undone) throw new CrmError('CONFLICT', { en: 'The merge was undone already', zh: '该合并已撤销' });
  const entity = ctx.model.entities.get(log.entity);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${log.entity}"`, zh: `没有实体「${log.entity}」` });
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  if (log.closed) {
    // Its copies are gone: refused whatever the survivor's version. A survivor still there (changed,
    // anonymized) but outside the caller's scope stays unnamed (404).
    const survivor = await tx.get(entity.name, log.survivor);
    if (survivor) await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id: log.survivor, action: 'update' });
    if (log.closed.reason !== 'changed') throw closedError(log.closed.reason, log.closed.at, ctx.locale);
    throw survivor ? changedError(survivor.version, log.version, ctx.locale) : closedError('deleted', log.closed.at, ctx.locale);
  }
  const survivor = await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id: log.survivor, action: 'update' });
  if (survivor.version !== log.version) throw changedError(survivor.version, log.version, ctx.locale);
  const now = ctx.clock.now().toISOString();
  // The survivor first: it may hold a unique value it took from a merged record.
  const current = (await tx.get(entity.name, log.survivor))!;
  const data = { ...log.before, updatedAt: now, updatedBy: ctx.principal.id };
  await tx.replace(entity.name, { ...current, version: current.version + 1, revision: ctx.model.revision, data }, current.version);
  await keepMatchKeys(tx, entity, log.survivor, data, current.data);
  await propagateRollups({ child: entity, before: current.data, after: data, tx, ctx });
  const events: RecordEvent[] = [{ type: 'updated', entity: entity.name, id: log.survivor, before: current.data, after: data, version: current.version + 1, ctx, action: 'merge.undo', details: { merge: args.id }, maintenance: true }];
  for (const old of log.merged) {
    // Coming back is a change: a client copying by `updatedAt` (or following the version) sees it, after the tombstone its deletion left.
    const back: StoredRecord = { ...old, version: old.version + 1, data: { ...old.data, updatedAt: now, updatedBy: ctx.principal.id } };
    await tx.insert(entity.name, back);
    await keepMatchKeys(tx, entity, old.id, back.data);
    await propagateRollups({ child: entity, before: undefined, after: back.data, tx, ctx });
    // Its own history says it came back (and who brought it back), beside the history that returns to it below.
    await appendAudit(tx, { entity: entity.name, recordId: old.id, action: 'merge.undo', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: {}, details: { merge: args.id, survivor: log.survivor } });
    events.push({ type: 'created', entity: entity.name, id: old.id, after: back.data, version: back.version, ctx, action: 'merge.undo', details: { merge: args.id }, maintenance: true, restored: true });
  }
  // Files the survivor kept go back to the record they came from (it holds them again).
  for (const file of log.adoptedFiles ?? []) {
    const row = await tx.get(filesCollection, file.id);
    if (row) await tx.replace(filesCollection, { ...row, version: row.version + 1, data: { ...row.data, recordId: file.from } }, row.version);
  }
  for (const move of log.moved) {
    const row = await tx.get(move.collection, move.id);
    if (!row) continue;
    const { mergedFrom: _m, ...data } = row.data;
    await tx.replace(move.collection, { ...row, version: row.version + 1, data: { ...data, recordId: move.from } }, row.version);
  }
  // Newest first: a record naming two merged records was re-pointed twice, each step from the last.
  const changedSince: ChangedSince[] = [];
  for (const ref of [...log.repointed].reverse()) {
    // The survivor and the merged records got their whole documents back above.
    if (ref.entity === log.entity && (ref.id === log.survivor || log.merged.some((m) => m.id === ref.id))) continue;
    const source = ctx.model.entities.get(ref.entity);
    const child = source ? await tx.get(ref.entity, ref.id) : undefined;
    if (!source || !child) continue;
    const [top, sub] = ref.field.split('.') as [string, string | undefined];
    const restored = restoredReference(child.data[top], ref, log.survivor, sub);
    if (restored === undefined) {
      // Someone pointed it elsewhere since the merge: theirs is the later decision.
      changedSince.push({ entity: ref.entity, id: ref.id, field: ref.field });
      continue;
    }
    const data = { ...child.data, [top]: restored, updatedAt: now, updatedBy: ctx.principal.id };
    await tx.replace(ref.entity, { ...child, version: child.version + 1, revision: ctx.model.revision, data }, child.version);
    await keepMatchKeys(tx, source, child.id, data, child.data);
    await propagateRollups({ child: source, before: child.data, after: data, tx, ctx });
    await appendAudit(tx, { entity: ref.entity, recordId: child.id, action: 'update', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: { [top]: { before: child.data[top], after: restored } }, details: { mergeUndo: { entity: entity.name, merge: args.id } } });
    events.push({ type: 'updated', entity: ref.entity, id: child.id, before: child.data, after: data, version: child.version + 1, ctx, action: 'merge.undo', details: { merge: args.id }, maintenance: true });
  }
  await appendAudit(tx, { entity: entity.name, recordId: log.survivor, action: 'merge.undo', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: {}, details: { merge: args.id, restored: log.merged.map((m) => m.id) } });
  // The merged records are back: their copies in the log have no use left.
  await forgetMergedAway(tx, { entity: entity.name, merged: log.merged.map((m) => m.id), merge: args.id });
  await tx.replace(mergesCollection.name, { id: args.id, version: loaded.version + 1, revision: 0, data: { ...withoutUndoMaterial(log), undone: { at: now, by: ctx.principal.id } } as unknown as Record<string, unknown> }, loaded.version);
  await args.events?.runInTransaction(tx, events);
  return { changedSince, events };
}

const closedReasons: Record<Exclude<MergeClosedReason, 'changed'>, { message: { en: string; zh: string }; detail: (at: string) => { en: string; zh: string } }> = {
  deleted: {
    message: { en: 'This merge can no longer be undone: the record it kept was deleted, and the merged records went with it', zh: '该合并已无法撤销：保留的记录已被删除，被合并的记录也随之清除' },
    detail: () => ({ en: 'no longer exists', zh: '已不存在' }),
  },
  erasure: {
    message: { en: "This merge can no longer be undone: the record it kept was erased at the person's request, and what the merge kept to restore the merged records was erased with it", zh: '该合并已无法撤销：保留的记录已应本人请求被擦除，合并为恢复被合并记录而保存的数据也已一并擦除' },
    detail: (at) => ({ en: `was erased at ${at}`, zh: `已于 ${at} 擦除` }),
  },
  retention: {
    message: { en: "This merge can no longer be undone: the record it kept was anonymized or deleted by its entity's retention rule, and what the merge kept to restore the merged records went with it", zh: '该合并已无法撤销：保留的记录已按实体的保留期限规则匿名化或删除，合并为恢复被合并记录而保存的数据也已一并清除' },
    detail: (at) => ({ en: `was anonymized or deleted by the retention rule at ${at}`, zh: `已于 ${at} 按保留期限规则处理` }),
  },
};

function changedError(version: number, merged: number, locale: Locale): CrmError {
  return new CrmError('CONFLICT', { en: 'The surviving record changed since the merge; undo refused', zh: '合并后保留的记录已被修改，无法撤销' }, [{ path: '/survivor', message: localize({ en: `is at version ${version}, the merge left it at ${merged}`, zh: `当前版本 ${version}，合并后为 ${merged}` }, locale) }]);
}

/** The 409 of an undo asked for a merge closed by the survivor's deletion, erasure or retention. */
function closedError(reason: Exclude<MergeClosedReason, 'changed'>, at: string, locale: Locale): CrmError {
  const { message, detail } = closedReasons[reason];
  return new CrmError('CONFLICT', message, [localizedDetail({ path: '/survivor', text: detail(at) }, locale)]);
}

/** A re-pointed record an undo left alone: its field no longer holds what the merge wrote. */
export interface ChangedSince {
  entity: string;
  id: string;
  field: string;
}

/**
 * The value an undo writes back into a re-pointed field, or undefined when the field no longer holds
 * what the merge wrote. Merges logged before values were kept carry only the id they replaced.
 */
function restoredReference(current: unknown, ref: MergeLog['repointed'][number], survivor: string, sub: string | undefined): unknown {
  if ('after' in ref) return isDeepStrictEqual(current, ref.after) ? ref.before : undefined;
  if (sub) return (current as Record<string, unknown> | undefined)?.[sub] === survivor ? { ...(current as Record<string, unknown>), [sub]: ref.from } : undefined;
  if (Array.isArray(current)) return current.some((v) => v === ref.from || (v as { id?: unknown } | null)?.id === ref.from) ? current : [...current, ref.from];
  return current === survivor ? ref.from : undefined;
}

export const mergeBatchesCollection: CollectionSpec = { name: '_mergeBatches', indexes: [{ name: 'entity', keys: [{ path: ['entity'], direction: 1 }], unique: false }] };

const maxGroups = 100;

export interface MergeBatch {
  entity: string;
  /** The merges made, in request order (index = the group's place in the request). */
  merges: { index: number; merge: string }[];
  at: string;
  by: string;
  undone?: { at: string; by: string };
}

export type GroupOutcome = { index: number; survivor: string; merge: string } | { index: number; survivor: string; error: { code: string; message: string; details: IssueDetail[] } };

/** A bulk merge request checked: every group as a single merge, and no record in two groups. */
export function checkBulkMergeRequest(entity: CompiledEntity, body: unknown, locale: Locale): IssueDetail[] {
  const t = (en: string, zh: string) => localize({ en, zh }, locale);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [{ path: '', message: t('must be a JSON object', '必须是 JSON 对象') }];
  const input = body as Record<string, unknown>;
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(input)) if (key !== 'groups') issues.push({ path: pointer(key), message: t('is not a known property (known: groups)', '不是已知属性（可用：groups）') });
  const groups = input['groups'];
  if (!Array.isArray(groups) || groups.length === 0 || groups.length > maxGroups) return [...issues, { path: '/groups', message: t(`must list 1 to ${maxGroups} groups`, `必须列出 1 到 ${maxGroups} 组`) }];
  const seen = new Map<string, number>();
  groups.forEach((group, i) => {
    const groupIssues = checkMergeRequest(entity, group, locale);
    issues.push(...groupIssues.map((issue) => ({ ...issue, path: `${pointer('groups', i)}${issue.path}` })));
    if (groupIssues.length > 0) return;
    const { survivor, merged } = group as MergeRequest;
    for (const [place, id] of [['survivor', survivor], ...merged.map((m, j) => [`merged/${j}`, m])] as [string, string][]) {
      const other = seen.get(id);
      if (other !== undefined && other !== i) issues.push({ path: `${pointer('groups', i)}/${place}`, message: t(`is also in group ${other}: a record can be merged once`, `也在第 ${other} 组中：一条记录只能合并一次`) });
      seen.set(id, i);
    }
  });
  return issues;
}

/**
 * Merges confirmed duplicate groups, each in its own transaction (all or nothing per group): a
 * group that fails leaves its records as they were and the others go on. The merges made are kept
 * together (`_mergeBatches`) so that the batch can be undone in one step.
 */
export async function mergeGroups(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; groups: MergeRequest[]; events: RecordEventChannel }): Promise<{ batch: string; results: GroupOutcome[] }> {
  const { store, ctx, entity } = args;
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  ctx.policy.assertEntityAction(ctx.principal, entity, 'delete');
  const results: GroupOutcome[] = [];
  for (const [index, request] of args.groups.entries()) {
    try {
      const result = await store.transaction((tx) => mergeRecords({ tx, ctx, entity, request, events: args.events }));
      await args.events.publish(result.events);
      results.push({ index, survivor: request.survivor, merge: result.merge });
    } catch (error) {
      if (!isCrmError(error)) throw error;
      results.push({ index, survivor: request.survivor, error: { code: error.code, message: error.localizedMessage(ctx.locale), details: publicDetails(error.details, ctx.locale) } });
    }
  }
  const batch = newId();
  const data: MergeBatch = { entity: entity.name, merges: results.flatMap((r) => ('merge' in r ? [{ index: r.index, merge: r.merge }] : [])), at: ctx.clock.now().toISOString(), by: ctx.principal.id };
  await store.transaction((tx) => tx.insert(mergeBatchesCollection.name, { id: batch, version: 1, revision: 0, data: data as unknown as Record<string, unknown> }));
  return { batch, results };
}

/** Undoes a batch's merges, newest first, each in its own transaction; a merge that cannot be undone (its survivor changed since) is reported and left. */
export async function undoMergeBatch(args: { store: Store; ctx: RequestContext; id: string; events: RecordEventChannel }): Promise<{ undone: string[]; refused: { merge: string; message: string; details: IssueDetail[] }[]; changedSince: ChangedSince[] }> {
  const { store, ctx } = args;
  const row = await store.get(mergeBatchesCollection.name, args.id);
  const batch = row?.data as unknown as MergeBatch | undefined;
  if (!row || !batch || (batch.by !== ctx.principal.id && !ctx.principal.admin)) throw new CrmError('NOT_FOUND', { en: `No merge batch "${args.id}"`, zh: `没有批量合并「${args.id}」` });
  if (batch.undone) throw new CrmError('CONFLICT', { en: 'The merge batch was undone already', zh: '该批量合并已撤销' });
  const undone: string[] = [];
  const changedSince: ChangedSince[] = [];
  const refused: { merge: string; message: string; details: IssueDetail[] }[] = [];
  for (const { merge } of [...batch.merges].reverse()) {
    try {
      const result = await store.transaction((tx) => undoMerge({ tx, ctx, id: merge, events: args.events }));
      await args.events.publish(result.events);
      changedSince.push(...result.changedSince);
      undone.push(merge);
    } catch (error) {
      if (!isCrmError(error)) throw error;
      refused.push({ merge, message: error.localizedMessage(ctx.locale), details: publicDetails(error.details, ctx.locale) });
    }
  }
  await store.transaction(async (tx) => {
    const current = await tx.get(mergeBatchesCollection.name, args.id);
    if (!current || !(await tx.replace(mergeBatchesCollection.name, { ...current, version: current.version + 1, data: { ...current.data, undone: { at: ctx.clock.now().toISOString(), by: ctx.principal.id } } }, current.version))) throw new CrmError('CONFLICT', { en: 'The merge batch changed meanwhile', zh: '批量合并已被修改' });
  });
  return { undone, refused, changedSince };
}
