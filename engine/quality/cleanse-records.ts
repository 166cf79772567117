// Cleansing jobs: an entity's cleansing rules (trim, full-width → half-width, phone to E.164,
// synonyms, case) run over the records already stored — the ones the caller may update. A dry run
// reports, per field and per step of its rule, how many records would change, with examples, and
// which would then be refused (the cleansed value breaks a rule); a commit writes each change
// through the records' update path (validation, rules, blocking duplicate rules — it keeps no
// warnings —, one audit entry `cleanse` per record) a page of 500 per transaction, and keeps the
// records' previous documents so that the job can be undone in one step, all or nothing
// (cleanse-undo.ts) — records changed since are listed and left alone.
//
// A job runs in the background, as slices of a few pages, each a leased job of the scheduler's
// durable queue (scheduler/jobs.ts) that enqueues the next slice: each page commits with the job's
// checkpoint (the last record id checked) and its report so far, so a job whose process died is taken
// over once the lease expires and goes on after its last committed page — nothing written twice.
// GET /cleanse-jobs/:id shows its progress (records checked of the total at start).

import type { Principal } from '../access/policy.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { internalField, type KeysetPosition } from '../filter/filter-tree.ts';
import { CrmError, isCrmError, localizedDetail, pointer, type IssueDetail } from '../kernel/errors.ts';
import { labelsOf, locales, localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { newId } from '../kernel/ids.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { cleansedFields, cleanseValueWithSteps, type CleansingStep } from '../records/cleanse-values.ts';
import type { RecordEvent, RecordEventChannel } from '../records/record-events.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { checkValues } from '../records/validate-values.ts';
import { applyUpdate } from '../records/write-record.ts';
import type { DuplicateHints } from '../records/compute-values.ts';
import { DeferredInserts } from '../store/deferred-inserts.ts';
import type { CollectionSpec, Store, StoreReader, StoredRecord, StoreTransaction } from '../store/store-port.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import { compactText, detailMessage, publicDetails, readText } from '../kernel/detail-text.ts';

export const cleanseJobsCollection: CollectionSpec = { name: '_cleanseJobs', indexes: [{ name: 'entity', keys: [{ path: ['entity'], direction: 1 }], unique: false }] };
export const cleanseChangesCollection: CollectionSpec = { name: '_cleanseChanges', indexes: [{ name: 'job', keys: [{ path: ['job'], direction: 1 }], unique: false }] };

const pageSize = 500;
const maxExamples = 20;
const maxRefused = 50;
/** System fields an audit entry's changes leave out. */
export const cleanseSystemKeys = new Set([...systemFieldNames].filter((name) => !['id', 'version', 'revision'].includes(name)));

export interface CleanseRequest {
  dryRun: boolean;
  /** Only these fields' rules (all the entity's when absent). */
  fields?: string[];
  /** Examples per field (default 5). */
  examples: number;
}

export interface FieldReport {
  field: string;
  /** Records whose value the rule changes. */
  changed: number;
  /** How many of them each step of the rule changed. */
  steps: Partial<Record<CleansingStep, number>>;
  examples: { id: string; before: unknown; after: unknown }[];
}

export interface CleanseJob {
  entity: string;
  dryRun: boolean;
  fields: string[];
  examples: number;
  status: 'running' | 'done' | 'failed' | 'undone';
  /** Records in the caller's update scope when the job started: the progress is counts.records of it. */
  total: number;
  /** Records the caller could read but not update when the job started: left as they are, and said so (absent on older jobs). */
  outOfScope?: number;
  counts: { records: number; changed: number; written: number; refused: number };
  rules: FieldReport[];
  /** Records the cleansed values would break (dry run) or broke (commit): left as they are. Issues carry every language. */
  refused: { id: string; issues: IssueDetail[] }[];
  by: string;
  startedAt: string;
  finishedAt?: string;
  /** Why the job failed, in every language (read in the reader's). */
  error?: LocalizedText;
  undo?: { at: string; by: string; restored: number; changedSince: number };
  /** The id of the last record checked: the job goes on after it. */
  position?: string;
  /** Who started it and in which language: a resumed job acts as its starter. Never shown. */
  principal: Principal;
  locale: Locale;
}

/** A job as the API shows it, in the reader's language (not necessarily its starter's). */
export function presentCleanseJob(id: string, job: CleanseJob, locale: Locale): Record<string, unknown> {
  const { principal: _principal, locale: _locale, position: _position, error, refused, ...shown } = job;
  return {
    id, ...shown,
    refused: refused.map((r) => ({ id: r.id, issues: publicDetails(r.issues, locale) })),
    ...(error !== undefined ? { error: readText(error, locale) } : {}),
  };
}

/** An issue kept for whoever reads the job later: its message in every language. */
function keptIssue(detail: IssueDetail): IssueDetail {
  return { ...detail, text: compactText(Object.fromEntries(locales.map((l) => [l, detailMessage(detail, l)]))) };
}

/** One record a committed job changed (`_cleanseChanges`): what its undo (cleanse-undo.ts) puts back. */
export interface CleanseChange {
  job: string;
  entity: string;
  recordId: string;
  /** The whole document before the cleanse, and the version the cleanse left. */
  before: RecordValues;
  version: number;
}

/**
 * The request body checked (issues with JSON pointers, in the caller's language). `offered`: the
 * cleansed fields a refusal may name (the caller's: cleansableFields) — a hidden one never.
 */
export function checkCleanseRequest(entity: CompiledEntity, body: unknown, locale: Locale, offered: readonly string[] = cleansedFields(entity)): { request?: CleanseRequest; issues: IssueDetail[] } {
  const t = (en: string, zh: string) => localize({ en, zh }, locale);
  const input = body === undefined ? {} : body;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { issues: [{ path: '', message: t('must be a JSON object', '必须是 JSON 对象') }] };
  const record = input as Record<string, unknown>;
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(record)) if (!['dryRun', 'fields', 'examples'].includes(key)) issues.push({ path: pointer(key), message: t('is not a known property (known: dryRun, fields, examples)', '不是已知属性（可用：dryRun、fields、examples）') });
  if (record['dryRun'] !== undefined && typeof record['dryRun'] !== 'boolean') issues.push({ path: '/dryRun', message: t('must be true or false', '必须是 true 或 false') });
  const known = cleansedFields(entity);
  if (known.length === 0) issues.push({ path: '', message: t(`${entity.name} has no cleansing rules`, `${entity.name} 没有清洗规则`) });
  const fields = record['fields'];
  if (fields !== undefined) {
    if (!Array.isArray(fields) || fields.length === 0) issues.push({ path: '/fields', message: t('must list at least one field', '必须至少列出一个字段') });
    else
      fields.forEach((field, i) => {
        if (typeof field !== 'string' || !known.includes(field)) issues.push({ path: pointer('fields', i), message: t(`is not a field of ${entity.name} with a cleansing rule (${offered.join(', ') || 'none'})`, `不是 ${entity.name} 中有清洗规则的字段（${offered.join('、') || '无'}）`) });
      });
  }
  const examples = record['examples'];
  if (examples !== undefined && (typeof examples !== 'number' || !Number.isInteger(examples) || examples < 0 || examples > maxExamples)) issues.push({ path: '/examples', message: t(`must be a whole number from 0 to ${maxExamples}`, `必须是 0 到 ${maxExamples} 之间的整数`) });
  if (issues.length > 0) return { issues };
  return { issues, request: { dryRun: record['dryRun'] !== false, ...(Array.isArray(fields) ? { fields: fields as string[] } : {}), examples: (examples as number | undefined) ?? 5 } };
}

/** The cleansed values of one record's fields, and which steps changed them (only fields that change). */
function cleanseRecord(entity: CompiledEntity, data: RecordValues, fields: readonly string[]): { patch: RecordValues; steps: Map<string, Set<CleansingStep>> } {
  const patch: RecordValues = {};
  const steps = new Map<string, Set<CleansingStep>>();
  for (const field of fields) {
    const before = data[field];
    if (before === undefined) continue;
    const result = cleanseValueWithSteps(entity, field, before);
    if (JSON.stringify(result.value) === JSON.stringify(before)) continue;
    patch[field] = result.value;
    steps.set(field, result.steps);
  }
  return { patch, steps };
}

class RecordRefused extends Error {
  constructor(readonly id: string, readonly issues: IssueDetail[]) {
    super('record refused');
  }
}

/** The scheduler job kind that runs cleansing jobs' slices. */
export const cleanseJobKind = 'cleanse';

export interface CleanseRunOptions {
  /** Records per page (one transaction each). */
  pageSize?: number;
  /** Pages per slice (one leased scheduler job each). */
  pagesPerSlice?: number;
}

/** The cleansed fields the caller may read and change. */
export function cleansableFields(ctx: RequestContext, entity: CompiledEntity): string[] {
  const editable = ctx.policy.editableFields(ctx.principal, entity);
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  return cleansedFields(entity).filter((f) => editable.has(f) && readable.has(f));
}

/**
 * The cleansed fields the caller may change: a job writes as its caller would (a field their role
 * may only read is not rewritten by them), and its report shows before and after (a hidden field's
 * values would be shown). One named that they may not change is refused at `/fields/<i>` — one they
 * cannot see as if it had no rule —, and with none left nothing starts (403).
 */
function fieldsToCleanse(ctx: RequestContext, entity: CompiledEntity, asked: readonly string[] | undefined): string[] {
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const offered = cleansableFields(ctx, entity);
  const named = (field: string) => labelsOf(entity.fields.get(field)?.definition.label, field);
  if (asked) {
    const issues = asked.flatMap((field, i) => {
      if (offered.includes(field)) return [];
      if (readable.has(field)) return [localizedDetail({ path: pointer('fields', i), code: 'READ_ONLY_FIELD', text: { en: `you may not change "${named(field).en}"`, zh: `无权修改「${named(field).zh}」` } }, ctx.locale)];
      return [localizedDetail({ path: pointer('fields', i), text: { en: `is not a field of ${entity.name} with a cleansing rule (${offered.join(', ') || 'none'})`, zh: `不是 ${entity.name} 中有清洗规则的字段（${offered.join('、') || '无'}）` } }, ctx.locale)];
    });
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    return [...asked];
  }
  if (offered.length === 0) {
    const entityNamed = labelsOf(entity.definition.label, entity.name);
    throw new CrmError('FORBIDDEN', { en: `You may change none of the fields the cleansing rules of ${entityNamed.en} cover`, zh: `无权修改${entityNamed.zh}的清洗规则所涉及的任何字段` });
  }
  return offered;
}

/** Records the job (status running) in one transaction with whatever starts it (`enqueue`: the first slice). */
export async function startCleanseJob(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; request: CleanseRequest; enqueue: (tx: StoreTransaction, id: string) => Promise<unknown> }): Promise<{ id: string; job: CleanseJob }> {
  const { store, ctx, entity, request } = args;
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  const id = newId();
  const fields = fieldsToCleanse(ctx, entity, request.fields);
  const total = await store.count(entity.name, ctx.policy.scopeFilter(ctx.principal, entity, 'update'));
  // Counted in the read scope only: how many records lie beyond it is not the caller's to know.
  const outOfScope = Math.max(0, (await store.count(entity.name, ctx.policy.scopeFilter(ctx.principal, entity, 'read'))) - total);
  const job: CleanseJob = {
    entity: entity.name, dryRun: request.dryRun, fields, examples: request.examples, status: 'running', total, outOfScope,
    counts: { records: 0, changed: 0, written: 0, refused: 0 },
    rules: fields.map((field) => ({ field, changed: 0, steps: {}, examples: [] })),
    refused: [], by: ctx.principal.id, startedAt: ctx.clock.now().toISOString(), principal: { ...ctx.principal }, locale: ctx.locale,
  };
  await store.transaction(async (tx) => {
    await tx.insert(cleanseJobsCollection.name, { id, version: 1, revision: 0, data: job as unknown as Record<string, unknown> });
    await args.enqueue(tx, id);
  });
  return { id, job };
}

/** Another runner moved the job on (a lease taken over): this one stops without touching it. */
class JobTakenOver extends Error {}

/**
 * Runs up to `pagesPerSlice` pages of a running job from its checkpoint; says whether pages are
 * left. Every page commits with the job's checkpoint and report (its writes too, on a commit); the
 * last one also sets the job done. A failure of the job itself is kept on it (status failed).
 */
export async function runCleanseSlice(args: { store: Store; context: (job: CleanseJob) => RequestContext; id: string; events: RecordEventChannel; options?: CleanseRunOptions }): Promise<'done' | 'more' | 'gone'> {
  const { store } = args;
  const pageLimit = args.options?.pageSize ?? pageSize;
  const loaded = await loadCleanseJob(store, args.id);
  if (!loaded || loaded.job.status !== 'running') return 'gone';
  const job = structuredClone(loaded.job);
  let version = loaded.version;
  const ctx = args.context(job);
  const save = async (tx: StoreTransaction) => {
    if (!(await tx.replace(cleanseJobsCollection.name, { id: args.id, version: version + 1, revision: 0, data: job as unknown as Record<string, unknown> }, version))) throw new JobTakenOver();
    version++;
  };
  try {
    const entity = ctx.model.entities.get(job.entity);
    if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${job.entity}"`, zh: `没有实体「${job.entity}」` });
    const report = new Map(job.rules.map((r) => [r.field, r]));
    const refuse = (recordId: string, issues: IssueDetail[]) => {
      job.counts.refused++;
      if (job.refused.length < maxRefused) job.refused.push({ id: recordId, issues: issues.map(keptIssue) });
    };
    const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'update');
    // The job keeps no duplicate warnings: only blocking rules are checked on its writes (the duplicate
    // check was most of a record's cost), with the slice's memo of fuzzy keys found common ("Smith",
    // "Company"), as an import keeps one — each record would otherwise ask each of them again.
    const duplicateHints: DuplicateHints = { noneStored: () => false, commonKeys: new Set(), blockingOnly: true };
    for (let pages = 0; pages < (args.options?.pagesPerSlice ?? 20); pages++) {
      const after: KeysetPosition | undefined = job.position ? { values: [job.position], id: job.position } : undefined;
      const page = await store.find(entity.name, { filter: scope, sort: [{ field: internalField('id'), direction: 1 }], limit: pageLimit, ...(after ? { after } : {}) });
      const changes: { record: StoredRecord; patch: RecordValues }[] = [];
      for (const record of page) {
        job.counts.records++;
        const { patch, steps } = cleanseRecord(entity, record.data, job.fields);
        if (steps.size === 0) continue;
        job.counts.changed++;
        for (const [field, used] of steps) {
          const r = report.get(field)!;
          r.changed++;
          for (const step of used) r.steps[step] = (r.steps[step] ?? 0) + 1;
          if (r.examples.length < job.examples) r.examples.push({ id: record.id, before: record.data[field], after: patch[field] });
        }
        // What the write would say of the cleansed values (schema and scale; rules are checked on commit).
        const writable = Object.fromEntries([...entity.valueFields].filter((f) => record.data[f] !== undefined).map((f) => [f, record.data[f]]));
        const issues = checkValues(entity, { ...writable, ...patch }, ctx.locale);
        if (issues.length > 0) refuse(record.id, issues);
        else changes.push({ record, patch });
      }
      if (page.length > 0) job.position = page[page.length - 1]!.id;
      const last = page.length < pageLimit;
      if (last) Object.assign(job, { status: 'done', finishedAt: ctx.clock.now().toISOString() });
      if (!job.dryRun && changes.length > 0) await writePage({ store, ctx, entity, jobId: args.id, changes, refuse, events: args.events, job, save, duplicateHints });
      else await store.transaction(save);
      if (last) return 'done';
    }
    return 'more';
  } catch (error) {
    if (error instanceof JobTakenOver) return 'gone';
    // Failed: kept on the job with the report of its last committed page (the checkpoint holds it).
    const message: LocalizedText = isCrmError(error) ? error.localizedText : (error as Error).message;
    const current = await loadCleanseJob(store, args.id);
    if (!current || current.job.status !== 'running') return 'gone';
    const failed: CleanseJob = { ...current.job, status: 'failed', error: message, finishedAt: ctx.clock.now().toISOString() };
    await store.transaction((tx) => tx.replace(cleanseJobsCollection.name, { id: args.id, version: current.version + 1, revision: 0, data: failed as unknown as Record<string, unknown> }, current.version));
    return 'done';
  }
}

/** One page in one transaction; a record the write path refuses is left out and the page runs again without it. */
async function writePage(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; jobId: string; changes: { record: StoredRecord; patch: RecordValues }[]; refuse: (id: string, issues: IssueDetail[]) => void; events: RecordEventChannel; job: CleanseJob; save: (tx: StoreTransaction) => Promise<void>; duplicateHints: DuplicateHints }): Promise<void> {
  const { ctx, entity } = args;
  if (!args.store.atomicTransactions && args.changes.length > 1) {
    // A store that cannot roll back (a standalone MongoDB server) keeps the updates of a page that
    // failed part-way, while their audit entries and undo records (held to the end) were never
    // written: there each record is a page of its own.
    for (const change of args.changes) await writePage({ ...args, changes: [change] });
    return;
  }
  const excluded = new Set<string>();
  for (;;) {
    try {
      const events = await args.store.transaction(async (storeTx) => {
        const tx = new DeferredInserts(storeTx, new Set([auditCollection.name, cleanseChangesCollection.name]));
        const written: RecordEvent[] = [];
        for (const { record, patch } of args.changes) {
          if (excluded.has(record.id)) continue;
          // Read again in the transaction: a record changed since the page was read is cleansed as it is now.
          const current = await tx.get(entity.name, record.id);
          if (!current) continue;
          const fresh = current.version === record.version ? patch : cleanseRecord(entity, current.data, args.job.fields).patch;
          if (Object.keys(fresh).length === 0) continue;
          try {
            const { stored, complete } = await applyUpdate({ tx, ctx, entity, current, accepted: fresh, duplicateHints: args.duplicateHints, options: { audit: { action: 'cleanse', details: { cleanseJob: args.jobId } } } });
            await tx.insert(cleanseChangesCollection.name, { id: newId(), version: 1, revision: 0, data: { job: args.jobId, entity: entity.name, recordId: record.id, before: current.data, version: stored.version } satisfies CleanseChange as unknown as Record<string, unknown> });
            written.push({ type: 'updated', entity: entity.name, id: record.id, before: current.data, after: complete, version: stored.version, ctx, action: 'cleanse', maintenance: true });
          } catch (error) {
            if (!isCrmError(error)) throw error;
            throw new RecordRefused(record.id, error.details.length > 0 ? error.details : [{ path: '', message: error.localizedMessage(ctx.locale), text: error.localizedText }]);
          }
        }
        // The page's events in its own transaction (outbox rows with the writes: no commit of their own).
        await args.events.runInTransaction(tx, written);
        await tx.flush();
        // The page's writes commit with the job's checkpoint and counts, or neither does.
        args.job.counts.written += written.length;
        try {
          await args.save(tx);
        } catch (error) {
          args.job.counts.written -= written.length;
          throw error;
        }
        return written;
      });
      await args.events.publish(events);
      return;
    } catch (error) {
      if (!(error instanceof RecordRefused)) throw error;
      excluded.add(error.id);
      args.refuse(error.id, error.issues);
    }
  }
}

export async function loadCleanseJob(reader: StoreReader, id: string): Promise<{ job: CleanseJob; version: number } | undefined> {
  const row = await reader.get(cleanseJobsCollection.name, id);
  return row ? { job: row.data as unknown as CleanseJob, version: row.version } : undefined;
}
