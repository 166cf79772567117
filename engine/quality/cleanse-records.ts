// Cleansing jobs: an entity's cleansing rules (trim, full-width → half-width, phone to E.164,
// synonyms, case) run over the records already stored — the ones the caller may update. A dry run
// reports, per field and per step of its rule, how many records would change, with examples, and
// which would then be refused (the cleansed value breaks a rule); a commit writes each change
// through the records' update path (validation, rules, duplicates, one audit entry `cleanse` per
// record) a page of 500 per transaction, and keeps the records' previous documents so that the job
// can be undone in one step — records changed since are listed and left alone, like an import's undo.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, where, type KeysetPosition } from '../filter/filter-tree.ts';
import { CrmError, isCrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { newId } from '../kernel/ids.ts';
import { appendAudit, auditCollection } from '../records/audit-trail.ts';
import { cleansedFields, cleanseValueWithSteps, type CleansingStep } from '../records/cleanse-values.ts';
import { propagateRollups } from '../records/propagate-rollups.ts';
import type { RecordEvent } from '../records/record-events.ts';
import { changedFields, type RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { checkValues } from '../records/validate-values.ts';
import { applyUpdate } from '../records/write-record.ts';
import { DeferredInserts } from '../store/deferred-inserts.ts';
import type { CollectionSpec, Store, StoreReader, StoredRecord } from '../store/store-port.ts';
import { systemFieldNames } from '../fields/system-fields.ts';

export const cleanseJobsCollection: CollectionSpec = { name: '_cleanseJobs', indexes: [{ name: 'entity', keys: [{ path: ['entity'], direction: 1 }], unique: false }] };
export const cleanseChangesCollection: CollectionSpec = { name: '_cleanseChanges', indexes: [{ name: 'job', keys: [{ path: ['job'], direction: 1 }], unique: false }] };

const pageSize = 500;
const maxExamples = 20;
const maxRefused = 50;
const systemKeys = new Set([...systemFieldNames].filter((name) => !['id', 'version', 'revision'].includes(name)));

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
  status: 'done' | 'failed' | 'undone';
  counts: { records: number; changed: number; written: number; refused: number };
  rules: FieldReport[];
  /** Records the cleansed values would break (dry run) or broke (commit): left as they are. */
  refused: { id: string; issues: IssueDetail[] }[];
  by: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  undo?: { at: string; by: string; restored: number; changedSince: number };
}

interface CleanseChange {
  job: string;
  entity: string;
  recordId: string;
  /** The whole document before the cleanse, and the version the cleanse left. */
  before: RecordValues;
  version: number;
}

export interface CleanseUndoReport {
  dryRun: boolean;
  restored: number;
  changedSince: { id: string; version: number; cleansedVersion: number }[];
  missing: number;
}

/** The request body checked (issues with JSON pointers, in the caller's language). */
export function checkCleanseRequest(entity: CompiledEntity, body: unknown, locale: Locale): { request?: CleanseRequest; issues: IssueDetail[] } {
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
        if (typeof field !== 'string' || !known.includes(field)) issues.push({ path: pointer('fields', i), message: t(`is not a field of ${entity.name} with a cleansing rule (${known.join(', ') || 'none'})`, `不是 ${entity.name} 中有清洗规则的字段（${known.join('、') || '无'}）`) });
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

/** Runs a cleansing job to its end and keeps it (`_cleanseJobs`); returns its id and report. */
export async function runCleanseJob(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; request: CleanseRequest; publish: (events: RecordEvent[]) => Promise<void> }): Promise<{ id: string; job: CleanseJob }> {
  const { store, ctx, entity, request } = args;
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  const id = newId();
  const fields = request.fields ?? cleansedFields(entity);
  const job: CleanseJob = {
    entity: entity.name, dryRun: request.dryRun, fields, status: 'done',
    counts: { records: 0, changed: 0, written: 0, refused: 0 },
    rules: fields.map((field) => ({ field, changed: 0, steps: {}, examples: [] })),
    refused: [], by: ctx.principal.id, startedAt: ctx.clock.now().toISOString(),
  };
  const report = new Map(job.rules.map((r) => [r.field, r]));
  const refuse = (recordId: string, issues: IssueDetail[]) => {
    job.counts.refused++;
    if (job.refused.length < maxRefused) job.refused.push({ id: recordId, issues });
  };
  const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'update');
  let after: KeysetPosition | undefined;
  try {
    for (;;) {
      const page = await store.find(entity.name, { filter: scope, sort: [{ field: internalField('id'), direction: 1 }], limit: pageSize, ...(after ? { after } : {}) });
      const changes: { record: StoredRecord; patch: RecordValues }[] = [];
      for (const record of page) {
        job.counts.records++;
        const { patch, steps } = cleanseRecord(entity, record.data, fields);
        if (steps.size === 0) continue;
        job.counts.changed++;
        for (const [field, used] of steps) {
          const r = report.get(field)!;
          r.changed++;
          for (const step of used) r.steps[step] = (r.steps[step] ?? 0) + 1;
          if (r.examples.length < request.examples) r.examples.push({ id: record.id, before: record.data[field], after: patch[field] });
        }
        // What the write would say of the cleansed values (schema and scale; rules are checked on commit).
        const writable = Object.fromEntries([...entity.valueFields].filter((f) => record.data[f] !== undefined).map((f) => [f, record.data[f]]));
        const issues = checkValues(entity, { ...writable, ...patch }, ctx.locale);
        if (issues.length > 0) refuse(record.id, issues);
        else changes.push({ record, patch });
      }
      if (!request.dryRun && changes.length > 0) await writePage({ store, ctx, entity, jobId: id, changes, refuse, publish: args.publish, job });
      if (page.length < pageSize) break;
      const last = page[page.length - 1]!;
      after = { values: [last.id], id: last.id };
    }
  } catch (error) {
    job.status = 'failed';
    job.error = isCrmError(error) ? error.localizedMessage(ctx.locale) : (error as Error).message;
  }
  job.finishedAt = ctx.clock.now().toISOString();
  await store.transaction((tx) => tx.insert(cleanseJobsCollection.name, { id, version: 1, revision: 0, data: job as unknown as Record<string, unknown> }));
  return { id, job };
}

/** One page in one transaction; a record the write path refuses is left out and the page runs again without it. */
async function writePage(args: { store: Store; ctx: RequestContext; entity: CompiledEntity; jobId: string; changes: { record: StoredRecord; patch: RecordValues }[]; refuse: (id: string, issues: IssueDetail[]) => void; publish: (events: RecordEvent[]) => Promise<void>; job: CleanseJob }): Promise<void> {
  const { ctx, entity } = args;
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
            const { stored, complete } = await applyUpdate({ tx, ctx, entity, current, accepted: fresh, options: { audit: { action: 'cleanse', details: { cleanseJob: args.jobId } } } });
            await tx.insert(cleanseChangesCollection.name, { id: newId(), version: 1, revision: 0, data: { job: args.jobId, entity: entity.name, recordId: record.id, before: current.data, version: stored.version } satisfies CleanseChange as unknown as Record<string, unknown> });
            written.push({ type: 'updated', entity: entity.name, id: record.id, before: current.data, after: complete, version: stored.version, ctx, action: 'cleanse' });
          } catch (error) {
            if (!isCrmError(error)) throw error;
            throw new RecordRefused(record.id, error.details.length > 0 ? error.details : [{ path: '', message: error.localizedMessage(ctx.locale) }]);
          }
        }
        await tx.flush();
        return written;
      });
      args.job.counts.written += events.length;
      await args.publish(events);
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

/** Puts back the documents a committed cleansing job changed, unless changed since; the dry run counts. */
export async function undoCleanseJob(args: { store: Store; ctx: RequestContext; id: string; dryRun: boolean; publish: (events: RecordEvent[]) => Promise<void> }): Promise<CleanseUndoReport> {
  const { store, ctx } = args;
  const loaded = await loadCleanseJob(store, args.id);
  if (!loaded) throw new CrmError('NOT_FOUND', { en: `No cleansing job "${args.id}"`, zh: `没有清洗任务「${args.id}」` });
  const { job } = loaded;
  if (job.dryRun) throw new CrmError('CONFLICT', { en: 'A dry run wrote nothing to undo', zh: '试运行没有写入任何内容' });
  if (job.undo) throw new CrmError('CONFLICT', { en: 'The cleansing job was undone already', zh: '该清洗任务已撤销' });
  const entity = ctx.model.entities.get(job.entity);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${job.entity}"`, zh: `没有实体「${job.entity}」` });
  ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
  const report: CleanseUndoReport = { dryRun: args.dryRun, restored: 0, changedSince: [], missing: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await store.find(cleanseChangesCollection.name, {
      filter: andFilters(where({ job: args.id }), after ? { kind: 'compare', field: internalField('id'), op: '$gt', value: after } : undefined),
      sort: [{ field: internalField('id'), direction: 1 }],
      limit: pageSize,
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const events = await store.transaction(async (storeTx) => {
      const tx = new DeferredInserts(storeTx, new Set([auditCollection.name]));
      const restored: RecordEvent[] = [];
      const now = ctx.clock.now().toISOString();
      for (const row of page) {
        const change = row.data as unknown as CleanseChange;
        const current = await tx.get(entity.name, change.recordId);
        if (!current) {
          report.missing++;
          continue;
        }
        if (current.version !== change.version) {
          report.changedSince.push({ id: change.recordId, version: current.version, cleansedVersion: change.version });
          continue;
        }
        report.restored++;
        if (args.dryRun) continue;
        const data = { ...change.before, updatedAt: now, updatedBy: ctx.principal.id };
        await tx.replace(entity.name, { ...current, version: current.version + 1, revision: ctx.model.revision, data }, current.version);
        await propagateRollups({ child: entity, before: current.data, after: data, tx, ctx });
        await appendAudit(tx, { entity: entity.name, recordId: change.recordId, action: 'cleanse.undo', at: now, by: ctx.principal.id, revision: ctx.model.revision, changes: changedFields(current.data, data, systemKeys), details: { cleanseJob: args.id } });
        restored.push({ type: 'updated', entity: entity.name, id: change.recordId, before: current.data, after: data, version: current.version + 1, ctx, action: 'cleanse.undo' });
      }
      await tx.flush();
      return restored;
    });
    await args.publish(events);
  }
  if (!args.dryRun) {
    await store.transaction(async (tx) => {
      const latest = await loadCleanseJob(tx, args.id);
      const undone: CleanseJob = { ...latest!.job, status: 'undone', undo: { at: ctx.clock.now().toISOString(), by: ctx.principal.id, restored: report.restored, changedSince: report.changedSince.length } };
      if (!(await tx.replace(cleanseJobsCollection.name, { id: args.id, version: latest!.version + 1, revision: 0, data: undone as unknown as Record<string, unknown> }, latest!.version))) throw new CrmError('CONFLICT', { en: 'The cleansing job changed meanwhile', zh: '清洗任务已被修改' });
    });
  }
  return report;
}
