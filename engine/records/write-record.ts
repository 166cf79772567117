// Create and update: input checked, defaults filled, values validated by the entity's compiled
// schema, then — in one transaction — computed values, rules, the conditional store write, rollups
// of parents and the audit entry.

import { type ExpectedVersion, versionMatches } from '../kernel/version-match.ts';
import { newId } from '../kernel/ids.ts';
import { CrmError } from '../kernel/errors.ts';
import jsonMergePatch from 'json-merge-patch';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { Store, StoreTransaction, StoredRecord } from '../store/store-port.ts';
import { appendAudit } from './audit-trail.ts';
import { keepMatchKeys } from './match-keys.ts';
import { checkInput } from './check-input.ts';
import { cleanseValues } from './cleanse-values.ts';
import { completeRecord } from './complete-record.ts';
import { extendValues } from '../kernel/extend-values.ts';
import { applyDefaults, assignAutonumbers, type DuplicateFinding, type DuplicateHints } from './compute-values.ts';
import { getEntityOrThrow } from './entity-lookup.ts';
import { getRecordInScopeOrThrow } from './record-in-scope.ts';
import { applyFormLogic, getFormOrThrow } from './form-logic.ts';
import { propagateLookupFormulas, propagateRollups } from './propagate-rollups.ts';
import type { InTransactionEvents, RecordEvent } from './record-events.ts';
import { changedFields, presentRecord, type RecordValues, withoutNulls } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { assertValidValues, normalizeValues } from './validate-values.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import { writeTraits } from './write-traits.ts';
import { stampFormValues } from './stamp-form-values.ts';

// The system fields kept in the document (id, version and revision are columns): not audited as changes.
const systemKeys = new Set([...systemFieldNames].filter((name) => !['id', 'version', 'revision'].includes(name)));

export interface WriteResult {
  record: RecordValues;
  duplicates: DuplicateFinding[];
  events: RecordEvent[];
}

/** Only the fields a client may write, taken from a stored document. */
function writablePart(values: RecordValues, writable: Iterable<string>): RecordValues {
  const out: RecordValues = {};
  for (const name of writable) if (values[name] !== undefined) out[name] = values[name];
  return out;
}

export interface CreateOptions {
  /** More writes in the same transaction (a workflow action marks itself done, so a retry never creates twice). */
  withinTransaction?: (tx: StoreTransaction, created: { id: string; values: RecordValues }) => Promise<void>;
  /** Listeners that commit with the write (the record service passes its events). */
  events?: InTransactionEvents;
  /** The form the write was made through: its requiredWhen, readOnlyWhen and hidden-field policy apply (form-logic.ts). */
  form?: string;
  /** The owner when it is not the caller — set only by engine code (an automation gives what it creates the triggering record's owner), never from input. */
  owner?: string;
}

export async function createRecord(store: Store, ctx: RequestContext, entityName: string, input: unknown, options: CreateOptions = {}): Promise<WriteResult> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'create');
  const accepted = cleanseValues(entity, withoutNulls(checkInput({ input, entity, editable: ctx.policy.editableFields(ctx.principal, entity), readable: ctx.policy.readableFields(ctx.principal, entity), locale: ctx.locale })));
  const defaulted = await applyDefaults(entity, accepted, ctx, 'create');
  const withDefaults = options.form === undefined ? defaulted : stampFormValues({ entity, values: await applyFormLogic({ ctx, entity, form: getFormOrThrow(ctx, entity, options.form), values: defaulted }), now: ctx.clock.now().toISOString() });
  assertValidValues(entity, withDefaults, ctx.locale);
  const values = normalizeValues(entity, withDefaults);
  const id = newId();
  return store.transaction(async (tx) => {
    const { stored, complete, duplicates } = await insertNewRecord({ tx, ctx, entity, id, values, ...(options.owner ? { owner: options.owner } : {}) });
    await options.withinTransaction?.(tx, { id, values: complete });
    const events: RecordEvent[] = [{ type: 'created', entity: entity.name, id, after: complete, version: 1, ctx }];
    await options.events?.runInTransaction(tx, events);
    const record = presentRecord(stored, ctx.policy.readableFields(ctx.principal, entity));
    return { record, duplicates, events };
  });
}

/**
 * The part of a create that happens inside its transaction, for values already accepted and
 * validated: autonumbers, system fields, computed values and checks, the insert, the parents'
 * rollups and the audit entry. Creates through the API and bulk loads (template sample data) share it.
 */
export async function insertNewRecord(args: {
  tx: StoreTransaction;
  ctx: RequestContext;
  entity: CompiledEntity;
  id: string;
  values: RecordValues;
  owner?: string;
  /** Bulk loads check rules over rollups once everything is in (see propagateRollups). */
  checkParentRules?: boolean;
  auditDetails?: Record<string, unknown>;
  /**
   * `source`: the audit entry names where the values came from (`auditDetails`, e.g. an import's job,
   * file and line) instead of copying each of them — the record holds them as created, every later
   * change is audited with its before and after, and the source holds them too. An imported row's
   * copy of its values was the bulk of what an import wrote (as CRMs' field histories log a create).
   */
  auditValues?: 'copy' | 'source';
  /** History imports (admins): the dates and people of the old system instead of now and the caller. */
  systemValues?: HistoricalValues;
  /** Bulk writers: duplicates already ruled out for the batch. */
  duplicateHints?: DuplicateHints;
  /** The id was made for this record just now (no earlier record, so no duplicate key, can have had it). */
  freshId?: boolean;
}): Promise<{ stored: StoredRecord; complete: RecordValues; duplicates: DuplicateFinding[] }> {
  const { tx, ctx, entity, id } = args;
  const now = ctx.clock.now().toISOString();
  let given = args.values;
  if (writeTraits(entity).autonumbers) {
    given = extendValues(given);
    await assignAutonumbers(entity, given, tx);
  }
  // Not `{ ...given, createdAt, … }`: V8 makes a new map for each field added after a spread (kernel/extend-values.ts).
  const values = extendValues(given, { createdAt: now, updatedAt: now, createdBy: ctx.principal.id, updatedBy: ctx.principal.id, owner: args.owner ?? ctx.principal.id, ...args.systemValues });
  const { values: complete, duplicates } = await completeRecord({ entity, id, values, tx, ctx, ...(args.duplicateHints ? { duplicateHints: args.duplicateHints } : {}) });
  const stored: StoredRecord = { id, version: 1, revision: ctx.model.revision, data: complete };
  await tx.insert(entity.name, stored);
  await keepMatchKeys(tx, entity, id, complete, args.freshId ? 'fresh id' : undefined);
  if (entity.rollupFeeds.length > 0) await propagateRollups({ child: entity, before: undefined, after: complete, tx, ctx, ...(args.checkParentRules === false ? { checkParentRules: false } : {}) });
  await appendAudit(tx, {
    entity: entity.name, recordId: id, action: 'create', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: args.auditValues === 'source' && args.auditDetails ? {} : createdFields(complete),
    ...(args.auditDetails ? { details: args.auditDetails } : {}),
  });
  return { stored, complete, duplicates };
}

/** What changedFields({}, values, systemKeys) says of a new record, without comparing against nothing. */
function createdFields(values: RecordValues): Record<string, { after: unknown }> {
  const changes: Record<string, { after: unknown }> = {};
  for (const key in values) if (values[key] !== undefined && !systemKeys.has(key)) changes[key] = { after: values[key] };
  return changes;
}

/** System fields a history import sets from the old system. */
export interface HistoricalValues {
  createdAt?: string;
  updatedAt?: string;
  createdBy?: string;
  updatedBy?: string;
  owner?: string;
}

export interface UpdateOptions {
  /** The version the client last saw (If-Match); the write fails with 412 if it moved on. */
  expectedVersion?: ExpectedVersion;
  /** Listeners that commit with the write (the record service passes its events). */
  events?: InTransactionEvents;
  /** The form the write was made through (form-logic.ts). */
  form?: string;
  /** Workflow transitions may write their driven field; nothing else may. */
  allowDriven?: boolean;
  /** Values the engine sets besides the patch (e.g. a transition's target state). */
  audit?: { action: string; comment?: string; details?: Record<string, unknown> };
  /**
   * More writes in the same transaction, after the record's and before its audit entry
   * (workflows: approval steps, state history, effect jobs), so that a transition is all or nothing.
   */
  withinTransaction?: (tx: StoreTransaction, written: { before: RecordValues; after: RecordValues; version: number }) => Promise<void>;
}

export async function updateRecord(store: Store, ctx: RequestContext, entityName: string, id: string, patch: unknown, options: UpdateOptions = {}): Promise<WriteResult> {
  const entity = getEntityOrThrow(ctx, entityName);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  const accepted = checkInput({ input: patch, entity, editable: ctx.policy.editableFields(ctx.principal, entity), readable: ctx.policy.readableFields(ctx.principal, entity), locale: ctx.locale, ...(options.allowDriven ? { allowDriven: true } : {}) });
  return store.transaction(async (tx) => {
    const current = await getRecordInScopeOrThrow({ reader: tx, ctx, entity, id, action: 'update' });
    if (options.expectedVersion !== undefined && !versionMatches(options.expectedVersion, current.version)) throw staleError(current.version, true);
    const { stored, complete, duplicates, written } = await applyUpdate({ tx, ctx, entity, current, accepted, options });
    const record = presentRecord(stored, ctx.policy.readableFields(ctx.principal, entity));
    if (!written) return { record, duplicates, events: [] };
    const audited = options.audit ? { action: options.audit.action, ...(options.audit.details ? { details: options.audit.details } : {}) } : {};
    const events: RecordEvent[] = [{ type: 'updated', entity: entity.name, id, before: current.data, after: complete, version: stored.version, ctx, ...audited }];
    await options.events?.runInTransaction(tx, events);
    return { record, duplicates, events };
  });
}

/**
 * The part of an update that happens inside its transaction, for an accepted patch of a record
 * read in that transaction: merge, defaults, validation, computed values and checks, the
 * conditional replace, the parents' rollups and the audit entry. The API and imports share it.
 */
export async function applyUpdate(args: {
  tx: StoreTransaction;
  ctx: RequestContext;
  entity: CompiledEntity;
  current: StoredRecord;
  accepted: RecordValues;
  options?: Pick<UpdateOptions, 'audit' | 'withinTransaction' | 'form'>;
  systemValues?: HistoricalValues;
  duplicateHints?: DuplicateHints;
  /** A merge: the merged records, whose files the survivor may take over. */
  adoptFilesFrom?: readonly string[];
}): Promise<{ stored: StoredRecord; complete: RecordValues; duplicates: DuplicateFinding[]; written: boolean }> {
  const { tx, ctx, entity, current, options = {} } = args;
  const id = current.id;
  // json-merge-patch merges into nested objects in place: a copy, or the stored record read for this write (the audit's "before") would change with it.
  const merged = withoutNulls(jsonMergePatch.apply(structuredClone(writablePart(current.data, entity.valueFields)), cleanseValues(entity, structuredClone(args.accepted))) as RecordValues);
  const defaulted = await applyDefaults(entity, merged, ctx, 'update');
  const withDefaults = options.form === undefined ? defaulted : stampFormValues({ entity, values: await applyFormLogic({ ctx, entity, form: getFormOrThrow(ctx, entity, options.form), values: defaulted, previous: current.data }), previous: current.data, now: ctx.clock.now().toISOString() });
  assertValidValues(entity, withDefaults, ctx.locale);
  const now = ctx.clock.now().toISOString();
  const computedAndSystem = Object.fromEntries(Object.entries(current.data).filter(([key]) => !entity.valueFields.has(key)));
  const values = extendValues(computedAndSystem, normalizeValues(entity, withDefaults), { updatedAt: now, updatedBy: ctx.principal.id, ...args.systemValues });
  const { values: complete, duplicates } = await completeRecord({ entity, id, values, previous: current.data, tx, ctx, ...(args.duplicateHints ? { duplicateHints: args.duplicateHints } : {}), ...(args.adoptFilesFrom ? { adoptFilesFrom: args.adoptFilesFrom } : {}) });
  const changes = changedFields(current.data, complete, systemKeys);
  // A plain update whose values (computed ones included) come out as stored is no write: no new
  // version, no history entry saying nothing, no update event — a client that sends its whole record
  // on every sync would otherwise make history noise, and two systems syncing both ways would loop.
  // Engine writes that say what they are (a transition, a merge, an import) are written all the same.
  if (Object.keys(changes).length === 0 && !options.audit && !options.withinTransaction && !args.systemValues && !args.adoptFilesFrom) return { stored: current, complete: current.data, duplicates, written: false };
  const stored = { id, version: current.version + 1, revision: ctx.model.revision, data: complete };
  if (!(await tx.replace(entity.name, stored, current.version))) throw staleError(current.version);
  await keepMatchKeys(tx, entity, id, complete, current.data);
  await propagateRollups({ child: entity, before: current.data, after: complete, tx, ctx });
  await propagateLookupFormulas({ entity, id, before: current.data, after: complete, tx, ctx });
  await options.withinTransaction?.(tx, { before: current.data, after: complete, version: stored.version });
  await appendAudit(tx, {
    entity: entity.name, recordId: id, action: options.audit?.action ?? 'update', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes,
    ...(options.audit?.comment ? { comment: options.audit.comment } : {}),
    ...(options.audit?.details ? { details: options.audit.details } : {}),
  });
  return { stored, complete, duplicates, written: true };
}

/**
 * 412 for a write meant for another version. `ifMatch`: the caller's If-Match named none current
 * (the detail points at the header and gives the current ETag); without it, another write took the
 * record between reading and writing it.
 */
export function staleError(currentVersion: number, ifMatch = false): CrmError {
  const details = ifMatch
    ? [{ path: '/headers/if-match', message: `names no current version: the record is at version ${currentVersion} (ETag "${currentVersion}")`, text: { en: `names no current version: the record is at version ${currentVersion} (ETag "${currentVersion}")`, zh: `未指明当前版本：记录已是版本 ${currentVersion}（ETag "${currentVersion}"）` } }]
    : [];
  return new CrmError('STALE_VERSION', { en: `The record is at version ${currentVersion}; reload it and try again`, zh: `记录已是版本 ${currentVersion}，请刷新后重试` }, details);
}
