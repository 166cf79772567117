// Runs an import job: streams the file in batches of rows, maps and checks each row, and writes each
// batch in one store transaction through the records' write path (insertNewRecord / applyUpdate),
// together with the job's checkpoint, its change log and its rejected rows — so a job killed at any
// moment resumes after its last committed batch, without duplicates. A dry run writes each batch
// the same way and rolls it back: its counts are what a commit gets.

import type { AccessPolicy } from '../access/policy.ts';
import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { andFilters, internalField, where, type FilterNode, type ScalarValue } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError, isCrmError, localizedDetail } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { storedText } from '../kernel/detail-text.ts';
import { labelsOf, localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { checkInput } from '../records/check-input.ts';
import { applyDefaults } from '../records/compute-values.ts';
import type { RecordEvent, RecordEvents } from '../records/record-events.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RequestContext } from '../records/request-context.ts';
import { checkValues, normalizeValues } from '../records/validate-values.ts';
import { applyUpdate, insertNewRecord, type HistoricalValues } from '../records/write-record.ts';
import type { Store, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { recordStateChange } from '../workflow/state-history.ts';
import { DeferredInserts, HeldInsertsFailed } from '../store/deferred-inserts.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { matchKeysCollection } from '../records/match-keys.ts';
import { stateHistoryCollection } from '../workflow/state-history.ts';
import { BatchPrefetch } from './batch-prefetch.ts';
import { compileMapping, parseOptionsOf, plainTarget, type CompiledTarget } from './import-mapping.ts';
import { importChangesCollection, importJobsCollection, importRowsCollection, type ImportChange, type ImportJob, type RejectedRow, type TargetCounts, emptyTargetCounts } from './import-store.ts';
import { blankCell, columnLookups, errorText, lookupKey, mapDirectFields, mapRow, MappingMemo, severalFound, type MappedRow, type RowIssue } from './map-row.ts';
import type { ParseTextOptions } from '../fields/parse-text.ts';
import { MapWorkerPool } from './map-worker-pool.ts';
import { pipelinedBatches } from './pipeline-source.ts';
import { checkEncoding, newSourceInfo, readOptionsOf, readRows, type SkippedRows, type SourceInfo, type SourceRow } from './read-rows.ts';
import { stat } from 'node:fs/promises';
import type { MaybePromise } from '../kernel/maybe-promise.ts';

export interface ImportDeps {
  store: Store;
  clock: Clock;
  policy: AccessPolicy;
  events: RecordEvents;
  model(): CompiledModel;
  /** Files at least this large are read (and their plain targets mapped) on a worker thread while this one writes (pipeline-source.ts); default 1 MB. */
  pipelineAboveBytes?: number;
  /** At most this many batches are read here while the worker thread starts (pipeline-source.ts); default: until it is ready. */
  pipelineLocalBatches?: number;
  /** A fixed share of each of the worker's batches left for this thread to map (map-worker.ts); default: adapted as the import runs. */
  pipelineWriterShare?: number;
  /** The map thread kept between jobs (map-worker-pool.ts); absent, each pipelined job starts and ends its own. */
  mapWorkers?: MapWorkerPool;
  /** With a kept map thread (ready at once, its code compiled), files at least this large are pipelined too; default 100 kB. */
  pipelineWarmAboveBytes?: number;
}

const defaultPipelineAboveBytes = 1_000_000;
// ~1,500 rows of a contact list: below that a job is over in a tenth of a second whichever way.
const defaultPipelineWarmAboveBytes = 100_000;

/**
 * Rows per batch — one store transaction, whose COMMIT syncs the WAL to disk (synchronous=FULL): the
 * first batches are small, so that progress and the first rejected rows show early, and each next
 * one twice the last up to `maxBatchSize`, so that a long file pays for few syncs (at 500 rows a
 * batch they were ~10 % of an import's time). A job resumes after its last committed batch, whatever its size.
 */
const firstBatchSize = 500;
const maxBatchSize = 4000;
/** Append-only collections whose inserts a batch writes together (ids never clash: new ids, and a created record's duplicate keys — named after its new id). */
const heldCollections = new Set([auditCollection.name, importChangesCollection.name, importRowsCollection.name, stateHistoryCollection.name, matchKeysCollection.name]);
const maxSamples = 20;

class RowFailed extends Error {
  constructor(readonly index: number, readonly issues: RowIssue[]) {
    super('row failed');
  }
}
class RolledBack extends Error {}
/** Thrown between batches once a cancel was asked for: the batch being written when it came commits first. */
/** A phase that failed after reading part of its file, with what it read of the file's header. */
class FailedPartWay extends Error {
  constructor(override readonly cause: unknown, readonly read: Pick<ImportJob, 'source' | 'notices'> | undefined) {
    super('failed part-way');
  }
}

class Cancelled extends Error {
  /** `job`: the progress up to the last committed batch. */
  constructor(readonly by: string, readonly job: ImportJob) {
    super('cancelled');
  }
}

/** Who cancelled the job through another process (its stored status says so); undefined: nobody. */
async function cancelledElsewhere(reader: StoreReader, id: string): Promise<string | undefined> {
  const stored = (await loadJob(reader, id))?.job;
  return stored?.status === 'cancelled' ? (stored.cancelled?.by ?? '') : undefined;
}

/** Who asked to cancel a job (undefined: nobody), asked before each batch. */
export type CancelRequest = () => string | undefined;

/** Awaited before each batch is written, with the job's progress up to it (see JobHooks.beforeBatch). */
export type BatchGate = (at: { id: string; job: ImportJob }) => Promise<void>;

/** What the caller of a job hears of it and may do between its batches. */
export interface JobHooks {
  /** After each batch committed (a dry run's: after its report did), and once at the end. */
  onProgress?: (job: ImportJob) => void;
  cancelRequest?: CancelRequest;
  /**
   * Nothing in the product waits here: tests hold a job between two batches with it (the studio's
   * Cancel must meet a job still running). A cancel asked while it waits is seen as it returns.
   */
  beforeBatch?: BatchGate;
}

type Tally = Omit<TargetCounts, 'entity'>;

interface BatchOutcome {
  counts: Tally;
  /** The same, per target (by index). */
  byTarget: Tally[];
  samples: ImportJob['samples'];
  rejected: RejectedRow[];
  events: RecordEvent[];
}

export async function loadJob(reader: StoreReader, id: string): Promise<{ job: ImportJob; version: number } | undefined> {
  const row = await reader.get(importJobsCollection.name, id);
  return row ? { job: row.data as unknown as ImportJob, version: row.version } : undefined;
}

async function saveJob(tx: StoreTransaction, id: string, job: ImportJob): Promise<void> {
  const current = await tx.get(importJobsCollection.name, id);
  // A cancel recorded meanwhile by another process (the job runs in `crm import`, or in another
  // server) outlives this progress save: the runner reads it before its next batch and stops.
  const stored = current?.data as unknown as ImportJob | undefined;
  if (stored?.status === 'cancelled' && job.status === 'running') job = { ...job, status: 'cancelled', ...(stored.cancelled ? { cancelled: stored.cancelled } : {}) };
  const data = job as unknown as Record<string, unknown>;
  if (!current) await tx.insert(importJobsCollection.name, { id, version: 1, revision: 0, data });
  else if (!(await tx.replace(importJobsCollection.name, { id, version: current.version + 1, revision: 0, data }, current.version))) throw new CrmError('CONFLICT', 'The import job changed meanwhile');
}

export async function createJob(deps: ImportDeps, id: string, job: ImportJob): Promise<void> {
  await deps.store.transaction((tx) => saveJob(tx, id, job));
}

/** Runs (or resumes) a job to its end. Never throws for bad rows; a failure of the job itself is kept on it. */
export async function runImportJob(deps: ImportDeps, id: string, hooks: JobHooks = {}): Promise<ImportJob> {
  const loaded = await loadJob(deps.store, id);
  if (!loaded) throw new CrmError('NOT_FOUND', 'No such import job');
  let job = loaded.job;
  try {
    if (job.status !== 'running') return job;
    job = await runPhase(deps, id, job, hooks);
    if (job.mode === 'allOrNothing' && job.phase === 'check') {
      if (job.counts.rejected > 0) job = { ...job, status: 'refused' };
      else {
        job = { ...job, phase: 'write', checkpoint: 0, counts: { ...job.counts, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 }, targets: emptyTargetCounts(job.mapping), samples: [] };
        await deps.store.transaction((tx) => saveJob(tx, id, job));
        job = await runPhase(deps, id, job, hooks);
      }
    }
    if (job.status === 'running') job = { ...job, status: 'done' };
  } catch (error) {
    if (error instanceof Cancelled) job = { ...error.job, status: 'cancelled', cancelled: { at: deps.clock.now().toISOString(), by: error.by } };
    else {
      // The progress of the batches that committed (each saved it with its rows): the job's counts
      // and checkpoint then say what was written — not what the phase began with.
      const committed = (await loadJob(deps.store, id).catch(() => undefined))?.job;
      const read = error instanceof FailedPartWay ? error.read : undefined;
      job = { ...(committed?.status === 'running' ? committed : job), ...read, status: 'failed', error: errorText(error instanceof FailedPartWay ? error.cause : error) };
    }
  }
  job = { ...job, finishedAt: deps.clock.now().toISOString() };
  const final = job;
  await deps.store.transaction((tx) => saveJob(tx, id, final));
  hooks.onProgress?.(final);
  return final;
}

async function runPhase(deps: ImportDeps, id: string, start: ImportJob, hooks: JobHooks): Promise<ImportJob> {
  let job = start;
  const dry = job.mode === 'dryRun' || job.phase === 'check';
  const model = deps.model();
  const targets = compileMapping(job.mapping, model);
  const ctx: RequestContext = { principal: job.principal, locale: job.locale, clock: deps.clock, model, policy: deps.policy };
  const info = newSourceInfo();
  const lookups = new LookupCache();
  const memo = new MappingMemo();
  const commonKeys = new Set<string>();
  const flush = async (rows: SourceRow[], premapped?: PremappedRows) => {
    if (rows.length === 0) return;
    await hooks.beforeBatch?.({ id, job });
    const cancelledBy = hooks.cancelRequest?.() ?? (await cancelledElsewhere(deps.store, id));
    // (An all-or-nothing job's write phase keeps what its check phase read of the whole file.)
    if (cancelledBy !== undefined) throw new Cancelled(cancelledBy, job.source ? job : { ...job, ...readSoFar(info) });
    if (!deps.store.atomicTransactions && rows.length > 1) {
      // A store that cannot roll back (a standalone MongoDB server) keeps the writes of a batch that
      // failed part-way, so a batch run again would write its first rows a second time: there each
      // row is a batch of its own, and nothing that was written is ever run again.
      for (const row of rows) await flush([row]);
      return;
    }
    const outcome = await runBatch({ deps, ctx, targets, rows, job, jobId: id, dry, lookups, memo, commonKeys, ...(premapped ? { premapped } : {}) });
    job = { ...job, ...progressAfter(job, rows, outcome), samples: [...job.samples, ...outcome.samples].slice(0, maxSamples) };
    if (dry) {
      // The batch itself was rolled back; its report and the progress commit on their own.
      const progress = job;
      await deps.store.transaction(async (tx) => {
        for (const rejected of outcome.rejected) await tx.insert(importRowsCollection.name, { id: newId(), version: 1, revision: 0, data: rejected as unknown as Record<string, unknown> });
        await saveJob(tx, id, progress);
      });
    }
    hooks.onProgress?.(job);
  };
  // The whole text is checked before the first batch: a bad byte deep in the file then fails the
  // job before anything is written, not after the batches above it committed.
  if (!dry && job.file.format !== 'xlsx') await checkEncoding(job.file.path);
  const reading = { file: job.file.path, format: job.file.format, ...readOptionsOf(job.mapping) };
  const size = await fileSize(job.file.path);
  const workers = deps.mapWorkers ?? new MapWorkerPool(0);
  try {
    if (size >= (deps.pipelineAboveBytes ?? defaultPipelineAboveBytes) || (workers.warm && size >= (deps.pipelineWarmAboveBytes ?? defaultPipelineWarmAboveBytes))) {
      // A job's batches commit one by one; each commit carries the checkpoint (see runBatch).
      for await (const { rows, premapped } of pipelinedBatches({ ...reading, info, checkpoint: job.checkpoint, mapping: job.mapping, set: model.set, revision: model.revision, history: job.history, firstBatchSize, maxBatchSize, ahead: 2, workers, ...(deps.pipelineLocalBatches !== undefined ? { localBatches: deps.pipelineLocalBatches } : {}), ...(deps.pipelineWriterShare !== undefined ? { writerShare: deps.pipelineWriterShare } : {}) })) {
        await flush(rows, premapped);
      }
    } else {
      let batch: SourceRow[] = [];
      let batchSize = firstBatchSize;
      for await (const row of readRows({ ...reading, info })) {
        if (row.line <= job.checkpoint) continue;
        batch.push(row);
        if (batch.length >= batchSize) {
          // A job's batches commit one by one; each commit carries the checkpoint (see runBatch).
          const rows = batch;
          batch = [];
          batchSize = Math.min(batchSize * 2, maxBatchSize);
          await flush(rows);
        }
      }
      await flush(batch);
    }
  } catch (error) {
    // A job failing part-way keeps what it read of its file's header, as a cancelled one does: its
    // rejected rows' download writes the columns.
    if (error instanceof Cancelled) throw error;
    throw new FailedPartWay(error, job.source ? undefined : readSoFar(info));
  }
  const { notes, skipped, ...source } = info;
  // An empty export (only a header, a sheet with nothing below it) reads as "done" with zeros: said.
  const empty: LocalizedText[] = job.counts.rows === 0 ? [info.columns.length === 0 ? { en: 'the file is empty: no header and no rows', zh: '文件为空：没有表头也没有数据行' } : { en: 'the file has a header but no rows below it: nothing to import', zh: '文件只有表头，没有数据行：没有可导入的内容' }] : [];
  // Rows that are no data are counted apart from the rows read and the rejected ones, the totals rows listed with their formula.
  job = { ...job, source, counts: { ...job.counts, totals: skipped?.totals ?? 0, blank: skipped?.blank ?? 0 }, skippedRows: skipped?.totalsRows ?? [], notices: [...empty, ...sourceNotices(info), ...totalsNotice(skipped), ...(notes ?? [])] };
  return job;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0; // read (and failed) the usual way
  }
}

/**
 * What a job stopped before its end knows of its file: the header (the rejected rows' download
 * writes its columns; without it the rows to fix were gone from the file) and how the header was
 * read. Line endings are counted only so far, so they make no notice here.
 */
function readSoFar(info: SourceInfo): Pick<ImportJob, 'source' | 'notices'> {
  // The first rows read (for a person choosing the header) are the suggestion's, not a job's.
  const { notes, skipped: _skipped, top: _top, ...source } = info;
  return { source: { ...source, columns: [...source.columns], lineEndings: { ...source.lineEndings } }, notices: [...encodingNotice(info), ...(notes ?? [])] };
}

/**
 * Says how many totals rows (and notes below them) were not imported. Which ones, by line and
 * formula, is the job's `skippedRows`: the studio lists them below the notices, the CLI after them
 * (named here too, the studio showed each row twice).
 */
function totalsNotice(skipped: SkippedRows | undefined): LocalizedText[] {
  if (!skipped || skipped.totals === 0) return [];
  return [{ en: `${skipped.totals} row(s) not imported: totals rows (their numbers are formulas over the rows above) and notes below them`, zh: `${skipped.totals} 行未导入：合计行（其数值是对上方各行的公式汇总）及其下方的备注` }];
}

function encodingNotice(info: SourceInfo): LocalizedText[] {
  return info.encoding ? [{ en: `read as ${info.encoding} text (not UTF-8)`, zh: `按 ${info.encoding} 编码读取（非 UTF-8）` }] : [];
}

function sourceNotices(info: SourceInfo): LocalizedText[] {
  const notices: LocalizedText[] = [];
  const { crlf, lf, cr } = info.lineEndings;
  const kinds = [crlf && `${crlf} CRLF`, lf && `${lf} LF`, cr && `${cr} CR`].filter(Boolean);
  if (kinds.length > 1) notices.push({ en: `mixed line endings (${kinds.join(', ')}): every one is read as the end of a row`, zh: `换行符混用（${kinds.join('、')}）：每种都按行尾读取` });
  notices.push(...encodingNotice(info));
  if (info.lastLineUnterminated) notices.push({ en: 'the last line has no line ending (the file may have been cut short)', zh: '最后一行没有换行符（文件可能被截断）' });
  return notices;
}

/** Lookup keys → ids. Hits found inside a transaction are kept only once it committed. */
class LookupCache {
  private readonly committed = new Map<string, string>();
  pending = new Map<string, string>();
  get(key: string) {
    return this.committed.get(key) ?? this.pending.get(key);
  }
  commit() {
    // Bounded, so that memory stays flat however long the file: a cleared key is asked again once.
    if (this.committed.size > 50_000) this.committed.clear();
    for (const [k, v] of this.pending) this.committed.set(k, v);
    this.pending = new Map();
  }
  discard() {
    this.pending = new Map();
  }
}

function equalsFilter(entity: CompiledEntity, field: string, value: unknown): FilterNode {
  if (field === 'id') return { kind: 'compare', field: internalField('id'), op: '$eq', value: String(value) };
  const filterable = entity.filterables.get(field) ?? internalField(field);
  // An empty part of a composite upsert key matches a record without that value.
  if (value === undefined || value === null) return { kind: 'exists', field: filterable, exists: false };
  return { kind: 'compare', field: filterable, op: '$eq', value: value as string };
}

async function runBatch(args: { deps: ImportDeps; ctx: RequestContext; targets: CompiledTarget[]; rows: SourceRow[]; job: ImportJob; jobId: string; dry: boolean; lookups: LookupCache; memo: MappingMemo; commonKeys: Set<string>; premapped?: PremappedRows }): Promise<BatchOutcome> {
  const excluded = new Map<number, RowIssue[]>();
  // The records themselves are inserted a hundred per statement; a clash there (a unique field)
  // names no row, so the batch then runs again with one insert per record, as the API writes.
  // (Held only where a failed statement rolls back: a multi-row insert that clashes part-way on a
  // store that cannot roll back has written the rows before the clash.)
  let heldRecords: ReadonlySet<string> | undefined = args.deps.store.atomicTransactions ? new Set(args.targets.map((t) => t.entity.name)) : undefined;
  // Mapped before the transaction — a batch read here, or the rows the worker left (up to 0.6 of a
  // 4,000-row batch: ~0.1 s) — so that the store's write lock is not held meanwhile.
  args.premapped = premapBatch({ ...args, excluded, parseOptions: parseOptionsOf(args.job.mapping), ...(args.premapped ? { given: args.premapped } : {}) });
  for (;;) {
    let dryResult: BatchOutcome | undefined;
    try {
      const outcome = await args.deps.store.transaction(async (storeTx) => {
        const prefetch = new BatchPrefetch(args.commonKeys);
        let writes = 0;
        const tx = new DeferredInserts(storeTx, heldCollections, (collection, record) => {
          writes++;
          prefetch.noteWrite(collection, record);
        }, heldRecords, (collection, id) => prefetch.noteDelete(collection, id));
        // The worker's mapping serves the first attempt; a batch run again maps its rows here (they are not to be reused).
        const premapped = args.premapped;
        args.premapped = undefined;
        const result = await writeBatch({ ...args, tx, excluded, prefetch, writes: () => writes, ...(premapped ? { premapped } : {}) });
        if (args.dry) {
          await tx.flushRecords();
          dryResult = result;
          throw new RolledBack();
        }
        for (const rejected of result.rejected) await tx.insert(importRowsCollection.name, { id: newId(), version: 1, revision: 0, data: rejected as unknown as Record<string, unknown> });
        await tx.flush();
        await saveJob(tx, args.jobId, { ...args.job, ...progressAfter(args.job, args.rows, result) });
        return result;
      }).catch((error: unknown) => {
        if (error instanceof RolledBack && dryResult) return dryResult;
        throw error;
      });
      if (args.dry) args.lookups.discard();
      else args.lookups.commit();
      if (!args.dry) await args.deps.events.publish(outcome.events);
      return outcome;
    } catch (error) {
      args.lookups.discard();
      if (error instanceof HeldInsertsFailed && heldRecords) {
        heldRecords = undefined;
        continue;
      }
      if (!(error instanceof RowFailed)) throw error;
      // A row failed after part of it was written: the batch runs again without it.
      excluded.set(error.index, error.issues);
    }
  }
}

/** Per target (by index), the rows of a plain target mapped (by row index); targets that wait (a `when`, a lookup, a transform) are mapped row by row in the transaction. */
type PremappedRows = Map<number, (MappedRow | undefined)[]>;

/**
 * The rows of every plain target (no `when`, lookup or transform: a pure function of the row)
 * mapped once for the batch — what the read-ahead's keys and the writes both take. `given`: the
 * mappings the worker thread made; the rows it left (pipeline-source.ts) are mapped here.
 */
function premapBatch(args: { ctx: RequestContext; targets: CompiledTarget[]; rows: SourceRow[]; job: ImportJob; excluded: Map<number, RowIssue[]>; memo: MappingMemo; parseOptions: ParseTextOptions; given?: PremappedRows }): PremappedRows {
  const { ctx, job } = args;
  const out: PremappedRows = args.given ?? new Map();
  const unused = () => Promise.reject(new Error('a plain target resolves no lookup'));
  for (let t = 0; t < args.targets.length; t++) {
    const target = args.targets[t]!;
    if (!plainTarget(target)) continue;
    const mapped: (MappedRow | undefined)[] = out.get(t) ?? new Array(args.rows.length);
    for (let index = 0; index < args.rows.length; index++) {
      const row = args.rows[index]!;
      if ('error' in row || args.excluded.has(index) || mapped[index] !== undefined) continue;
      mapped[index] = mapRow({ target, row: row.values, line: row.line, clock: ctx.clock, parseOptions: args.parseOptions, resolveLookup: unused, model: ctx.model, historyMode: job.history, memo: args.memo }) as MappedRow;
    }
    out.set(t, mapped);
  }
  return out;
}

/**
 * Reads ahead, for the whole batch, what each row's write would ask on its own: records by upsert
 * key and exact duplicate-rule matches (batch-prefetch.ts). Only fields mapped straight from a
 * column (no lookup, no transform) are read ahead; the rest is asked row by row as before.
 */
async function prefetchBatch(args: { ctx: RequestContext; targets: CompiledTarget[]; rows: SourceRow[]; job: ImportJob; tx: StoreTransaction; excluded: Map<number, RowIssue[]>; prefetch: BatchPrefetch; lookups: LookupCache; memo: MappingMemo; premapped: PremappedRows }): Promise<void> {
  const { job } = args;
  for (let t = 0; t < args.targets.length; t++) {
    const target = args.targets[t]!;
    const entity = target.entity;
    const direct = (field: string) => !target.transforms.has(field) && !target.target.lookups?.[field] && (target.target.columns?.[field] !== undefined || target.target.defaults?.[field] !== undefined);
    const probes = [...(target.target.key ? [target.target.key] : []), ...entity.duplicateRules.filter((r) => r.method === 'exact').map((r) => r.match)].filter((fields) => fields.length > 0 && fields.every(direct));
    const keyed = entity.duplicateRules.filter((r) => r.method === 'normalized' && r.match.every(direct));
    if (probes.length === 0 && keyed.length === 0) continue;
    const only = new Set([...probes.flat(), ...keyed.flatMap((r) => r.match)]);
    const parseOptions = parseOptionsOf(job.mapping);
    const mapped: RecordValues[] = [];
    const whole = args.premapped.get(t);
    for (let index = 0; index < args.rows.length; index++) {
      const row = args.rows[index]!;
      if ('error' in row || args.excluded.has(index)) continue;
      // A plain target's rows were mapped whole already: their key fields are taken from there.
      const result = whole ? whole[index] : mapDirectFields({ target, row: row.values, only, parseOptions, memo: args.memo });
      // The worker's checked values hold the given fields normalized (and the defaults, asked as well).
      if (result && result.issues.length === 0) {
        const values = whole?.[index]?.checked ?? normalizeValues(entity, result.values);
        mapped.push(result.values['id'] === undefined ? values : { ...values, id: result.values['id'] });
      }
    }
    for (const fields of probes) await args.prefetch.prefetch(args.tx, entity, fields, mapped);
    for (const rule of keyed) await args.prefetch.prefetchKeys(args.tx, entity, rule, mapped);
  }
  await prefetchLookups(args);
}

/**
 * The keys of the batch's lookup columns not yet resolved by the job, read ahead in one query per
 * looked-up entity and field (batch-prefetch.ts) — one query per distinct key before, each reading
 * every record of the entity when the field has no index (an account's name, say).
 */
async function prefetchLookups(args: { ctx: RequestContext; targets: CompiledTarget[]; rows: SourceRow[]; job: ImportJob; tx: StoreTransaction; excluded: Map<number, RowIssue[]>; prefetch: BatchPrefetch; lookups: LookupCache }): Promise<void> {
  const { ctx } = args;
  const parseOptions = parseOptionsOf(args.job.mapping);
  const wanted = new Map<string, { to: CompiledEntity; by: string; keys: Set<ScalarValue> }>();
  for (const target of args.targets) {
    for (const { field, column, by } of columnLookups(target)) {
      for (let index = 0; index < args.rows.length; index++) {
        const row = args.rows[index]!;
        if ('error' in row || args.excluded.has(index) || blankCell(row.values[column])) continue;
        const { to, typed } = lookupKey(target, field, row.values[column], ctx.model, parseOptions);
        if (args.lookups.get(lookupCacheKey(to, by, typed))) continue;
        const group = `${to.name}\u0000${by}`;
        let ask = wanted.get(group);
        if (!ask) wanted.set(group, (ask = { to, by, keys: new Set() }));
        ask.keys.add(typed);
      }
    }
  }
  for (const { to, by, keys } of wanted.values()) await args.prefetch.prefetchLookups(args.tx, to, by, keys, ctx.policy.scopeFilter(ctx.principal, to, 'read'));
}

const lookupCacheKey = (entity: CompiledEntity, by: string, key: ScalarValue) => `${entity.name}\u0000${by}\u0000${key}`;

/** `writes`: how many inserts and replaces the batch's transaction has made so far. */
async function writeBatch(args: { deps: ImportDeps; ctx: RequestContext; targets: CompiledTarget[]; rows: SourceRow[]; job: ImportJob; jobId: string; dry: boolean; lookups: LookupCache; memo: MappingMemo; tx: StoreTransaction; excluded: Map<number, RowIssue[]>; prefetch: BatchPrefetch; writes: () => number; premapped?: PremappedRows }): Promise<BatchOutcome> {
  const { tx, ctx, job, targets } = args;
  const outcome: BatchOutcome = { counts: emptyTally(), byTarget: targets.map(emptyTally), samples: [], rejected: [], events: [] };
  const parseOptions = parseOptionsOf(job.mapping);
  const premapped = premapBatch({ ...args, parseOptions, ...(args.premapped ? { given: args.premapped } : {}) });
  await prefetchBatch({ ...args, premapped });
  const createdLog = new CreatedLog(args.jobId);
  // What every row's write shares, made once for the batch.
  const shared: WriteShared = { deps: args.deps, ctx, job, jobId: args.jobId, dry: args.dry, tx, prefetch: args.prefetch, created: createdLog };
  const resolveLookup = async (entity: CompiledEntity, by: string, key: string | number | boolean) => {
    const cacheKey = lookupCacheKey(entity, by, key);
    const cached = args.lookups.get(cacheKey);
    if (cached) return cached;
    const ahead = args.prefetch.lookup(entity, by, key);
    if (ahead === 'none') return undefined;
    if (ahead === 'several') return severalFound;
    if (ahead !== 'ask') {
      args.lookups.pending.set(cacheKey, ahead.id);
      return ahead.id;
    }
    const found = await tx.find(entity.name, { filter: andFilters(equalsFilter(entity, by, key), ctx.policy.scopeFilter(ctx.principal, entity, 'read')), sort: [], limit: 2 });
    if (found.length !== 1) return found.length === 0 ? undefined : severalFound;
    args.lookups.pending.set(cacheKey, found[0]!.id);
    return found[0]!.id;
  };
  // Index loops: an entries() iterator makes a pair per row.
  for (let index = 0; index < args.rows.length; index++) {
    const row = args.rows[index]!;
    if ('error' in row) {
      rejectRow(outcome, args.jobId, row, [{ reason: { en: `line ${row.line} cannot be read: ${row.error.en}`, zh: `第 ${row.line} 行无法读取：${row.error.zh}` } }]);
      continue;
    }
    const excluded = args.excluded.get(index);
    if (excluded) {
      rejectRow(outcome, args.jobId, row, excluded);
      continue;
    }
    let wrote = false;
    // Made only when needed: most rows have no issue, and the samples fill up after the first rows.
    let rowIssues: RowIssue[] | undefined;
    let rowSamples: BatchOutcome['samples'] | undefined;
    // What each target did with the row, counted only once the whole row is written.
    const did: (keyof Tally)[] = [];
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t]!;
      const mapping = premapped.get(t)?.[index] ?? mapRow({ target, row: row.values, line: row.line, clock: ctx.clock, parseOptions, resolveLookup, model: ctx.model, historyMode: job.history, memo: args.memo });
      const mapped = mapping instanceof Promise ? await mapping : mapping;
      if (mapped.skipped) {
        did[t] = 'skipped';
        continue;
      }
      if (mapped.issues.length > 0) {
        rowIssues = ofTarget(mapped.issues, t, targets.length);
        break;
      }
      const writesBefore = args.writes();
      try {
        const result = await writeTarget(shared, target, mapped, row.line);
        if (result.action !== 'unchanged') wrote = true;
        did[t] = result.action === 'create' ? 'created' : result.action === 'update' ? 'updated' : 'unchanged';
        if (outcome.samples.length + (rowSamples?.length ?? 0) < maxSamples) (rowSamples ??= []).push({ line: row.line, entity: target.entity.name, action: result.action, ...(args.dry ? {} : { id: result.id }) });
        if (result.event) outcome.events.push(result.event);
      } catch (error) {
        if (!isCrmError(error)) throw error;
        const issues = ofTarget(issuesOf(error, target, row), t, targets.length);
        // Refused after it wrote (a parent's rule over a rollup, a listener in the transaction):
        // its record and the rest must not stay, so the batch runs again without the row.
        if (wrote || args.writes() !== writesBefore) throw new RowFailed(index, issues);
        rowIssues = issues;
        break;
      }
    }
    if (rowIssues && rowIssues.length > 0) {
      if (wrote) throw new RowFailed(index, rowIssues);
      rejectRow(outcome, args.jobId, row, rowIssues);
      continue;
    }
    did.forEach((what, t) => {
      outcome.counts[what]++;
      outcome.byTarget[t]![what]++;
    });
    if (rowSamples) outcome.samples.push(...rowSamples);
  }
  await createdLog.write(tx);
  return outcome;
}

const emptyTally = (): Tally => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 });

/** A job's checkpoint and counts, in all and per target, once a batch's outcome is added. */
function progressAfter(job: ImportJob, rows: SourceRow[], outcome: BatchOutcome): Pick<ImportJob, 'checkpoint' | 'counts' | 'targets'> {
  const c = job.counts;
  const before = job.targets ?? emptyTargetCounts(job.mapping);
  return {
    checkpoint: rows[rows.length - 1]!.line,
    counts: { rows: c.rows + rows.length, created: c.created + outcome.counts.created, updated: c.updated + outcome.counts.updated, unchanged: c.unchanged + outcome.counts.unchanged, skipped: c.skipped + outcome.counts.skipped, rejected: c.rejected + outcome.rejected.length },
    targets: before.map((t, i) => {
      const add = outcome.byTarget[i] ?? emptyTally();
      return { entity: t.entity, created: t.created + add.created, updated: t.updated + add.updated, unchanged: t.unchanged + add.unchanged, skipped: t.skipped + add.skipped };
    }),
  };
}

/**
 * The change log's creates: undo needs only their ids, so a run of creates of one entity is one log
 * row (its ids in order) instead of one per record. The run ends where another entity's create or
 * an update is logged, so the log keeps the order of the writes — undo goes newest first.
 */
class CreatedLog {
  private entity: string | undefined;
  private ids: string[] = [];
  constructor(private readonly job: string) {}

  add(tx: StoreTransaction, entity: string, id: string): Promise<void> | undefined {
    const ended = this.entity !== undefined && this.entity !== entity ? this.write(tx) : undefined;
    this.entity = entity;
    this.ids.push(id);
    return ended;
  }

  /** Logs the run so far (before an update is logged, and at the end of the batch). */
  write(tx: StoreTransaction): Promise<void> | undefined {
    if (this.entity === undefined || this.ids.length === 0) return undefined;
    const change: ImportChange = { job: this.job, entity: this.entity, recordIds: this.ids, action: 'created', version: 1 };
    this.entity = undefined;
    this.ids = [];
    return logChange(tx, change);
  }
}

function rejectRow(outcome: BatchOutcome, job: string, row: SourceRow, issues: RowIssue[]): void {
  outcome.rejected.push({ job, line: row.line, issues, ...('values' in row ? { row: row.values } : {}) });
}

/**
 * Issues of a refused write, named by the column that fed each field and with that cell's text (the
 * rejected rows showed "must be an e-mail address" beside an empty value), each reason in every
 * language the write had it in.
 */
/** A target's issues, each naming it when the mapping has several. */
function ofTarget(issues: RowIssue[], index: number, targets: number): RowIssue[] {
  return targets > 1 ? issues.map((issue) => ({ ...issue, target: index })) : issues;
}

function issuesOf(error: CrmError, target: CompiledTarget, row: SourceRow): RowIssue[] {
  const columns = target.target.columns ?? {};
  if (error.details.length === 0) return [{ reason: error.localizedText }];
  return error.details.map((d) => {
    const field = d.path.split('/')[1];
    const column = field ? columns[field] : undefined;
    const cell = column !== undefined && 'values' in row ? row.values[column] : undefined;
    // (An empty cell is no value to show: the field's default, or nothing, was what was refused.)
    const value = cell === undefined || cell === null || cell === '' ? undefined : typeof cell === 'string' ? cell : JSON.stringify(cell);
    // A part inside the value (an address's /addr/town) is named: the field alone does not say which.
    const inner = d.path.split('/').slice(2).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('/');
    const said = storedText(d);
    const reason = inner === '' ? said : { en: `${inner}: ${localize(said, 'en')}`, zh: `${inner}：${localize(said, 'zh')}` };
    return { ...(field ? { field } : {}), ...(column ? { column } : {}), ...(value !== undefined ? { value } : {}), reason };
  });
}

/**
 * True when no record can hold this upsert key: the row gives none of its parts (or no id for an id
 * key), a part is no scalar, or the batch's read-ahead found none. A composite key with an empty part
 * is looked up with that part empty (or as its default fills it): such a row was created again on
 * every run.
 */
function keyAbsent(entity: CompiledEntity, key: readonly string[], values: RecordValues, prefetch: BatchPrefetch, given: RecordValues): boolean {
  if (key.every((k) => given[k] === undefined) || (key.includes('id') && given['id'] === undefined)) return true;
  if (key.some((k) => typeof values[k] === 'object' && values[k] !== null)) return true;
  return prefetch.knownAbsent(entity, key, values);
}

/**
 * The values an upsert key is looked up by: an empty part whose field has a default holds it, as the
 * record the row creates will (else a re-run would look for it empty and create the row again).
 */
function withKeyDefaults(entity: CompiledEntity, key: readonly string[] | undefined, values: RecordValues): RecordValues {
  if (!key || key.every((k) => values[k] !== undefined)) return values;
  const out = { ...values };
  for (const k of key) {
    const fallback = out[k] === undefined ? (entity.fields.get(k)?.definition as { default?: unknown } | undefined)?.default : undefined;
    if (fallback !== undefined) out[k] = fallback;
  }
  return out;
}

/** An entity and its upsert key by their labels in each language, for a refusal to name them. */
function keyWords(entity: CompiledEntity, key: readonly string[]): { named: Record<Locale, string>; keyNamed: Record<Locale, string> } {
  const fields = key.map((k) => labelsOf(entity.fields.get(k)?.definition.label, k));
  return { named: labelsOf(entity.definition.label, entity.name), keyNamed: { en: fields.map((f) => f.en).join(' + '), zh: fields.map((f) => f.zh).join(' + ') } };
}

async function findByKey(tx: StoreTransaction, ctx: RequestContext, entity: CompiledEntity, key: readonly string[], values: RecordValues, prefetch: BatchPrefetch) {
  const found = prefetch.knownRecords(entity, key, values) ?? (await tx.find(entity.name, { filter: andFilters(...key.map((k) => equalsFilter(entity, k, values[k]))), sort: [], limit: 2 }));
  if (found.length > 1) {
    const { named, keyNamed } = keyWords(entity, key);
    throw new CrmError('CONFLICT', undefined, [localizedDetail({ path: '', text: { en: `more than one ${named.en} has this ${keyNamed.en}`, zh: `有多条${named.zh}的${keyNamed.zh}相同` } }, ctx.locale)]);
  }
  const record = found[0];
  if (!record) return undefined;
  // An existing record outside the caller's scope is not theirs to update: refused like a unique clash.
  // (A scope of every record — an administrator's, most importers' — needs no query per row.)
  const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'update');
  const inScope = scope.kind === 'true' ? 1 : await tx.count(entity.name, andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: record.id }, scope));
  if (inScope === 0) {
    const { named, keyNamed } = keyWords(entity, key);
    throw new CrmError('CONFLICT', undefined, [localizedDetail({ path: '', text: { en: `a ${named.en} with this ${keyNamed.en} exists and you may not change it`, zh: `已存在${keyNamed.zh}相同的${named.zh}，且您无权修改` } }, ctx.locale)]);
  }
  return record;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Datetime fields whose stored instant has fractions of a second and whose given one is the same
 * second without them: a file shows instants to the second (an export's wall clock), so such a
 * cell was not edited and the stored value is kept, not rounded.
 */
function sameToTheSecond(entity: CompiledEntity, stored: Record<string, unknown>, given: RecordValues): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(given)) {
    const current = stored[field];
    if (typeof value !== 'string' || typeof current !== 'string' || value === current || entity.fields.get(field)?.definition.type !== 'datetime') continue;
    const at = Date.parse(value);
    if (at % 1000 === 0 && at === Math.floor(Date.parse(current) / 1000) * 1000) out.push(field);
  }
  return out;
}

function omit(values: RecordValues, fields: readonly string[]): RecordValues {
  if (fields.length === 0) return values;
  const out = { ...values };
  for (const field of fields) delete out[field];
  return out;
}

function withoutId(values: RecordValues): RecordValues {
  const { id: _id, ...rest } = values;
  return rest;
}

interface WriteShared {
  deps: ImportDeps; ctx: RequestContext; job: ImportJob; jobId: string; dry: boolean; tx: StoreTransaction; prefetch: BatchPrefetch; created: CreatedLog;
}

async function writeTarget(shared: WriteShared, target: CompiledTarget, mapped: MappedRow, line: number): Promise<{ action: 'create' | 'update' | 'unchanged'; id: string; event?: RecordEvent }> {
  const { tx, ctx, job } = shared;
  const { history } = mapped;
  // The id column (key `id`) names the record to update: it is no value to write.
  const givenId = typeof mapped.values['id'] === 'string' && mapped.values['id'] !== '' ? mapped.values['id'] : undefined;
  const values = 'id' in mapped.values ? withoutId(mapped.values) : mapped.values;
  const checked = job.history || !mapped.checked ? undefined : 'id' in mapped.checked ? withoutId(mapped.checked) : mapped.checked;
  const entity = target.entity;
  const allowDriven = job.history;
  const action = 'create';
  ctx.policy.assertEntityAction(ctx.principal, entity, action);
  const accepted = checkInput({ input: values, entity, editable: ctx.policy.editableFields(ctx.principal, entity), readable: ctx.policy.readableFields(ctx.principal, entity), locale: ctx.locale, ...(allowDriven ? { allowDriven: true } : {}) });
  // Checked ahead (the map worker): a field given holds its normalized value there, and a key field
  // not given is absent whatever its default, as below.
  const normalized = checked ? undefined : normalizeValues(entity, accepted);
  const key = target.target.key;
  const keyValues = withKeyDefaults(entity, key, givenId === undefined ? (normalized ?? checked!) : { ...(normalized ?? checked!), id: givenId });
  const existing = key && !keyAbsent(entity, key, keyValues, shared.prefetch, givenId === undefined ? accepted : { ...accepted, id: givenId }) ? await findByKey(tx, ctx, entity, key, keyValues, shared.prefetch) : undefined;
  // A row naming a record by id updates it or nothing: a record made under another id would be a copy.
  if (!existing && givenId !== undefined) {
    const named = labelsOf(entity.definition.label, entity.name);
    throw new CrmError('INVALID_RECORD', undefined, [localizedDetail({ path: '/id', text: { en: `no ${named.en} with id "${givenId}" that you may update (a row with an id updates that record; leave the id empty to create one)`, zh: `没有 ID 为「${givenId}」且您可修改的${named.zh}（有 ID 的行更新该记录；要新建请留空 ID）` } }, ctx.locale)]);
  }
  const system = job.history ? await historicalValues(tx, ctx, history, job) : {};
  const auditDetails = { imported: { job: shared.jobId, file: job.file.name, line: line, ...(job.history ? { history: true } : {}) } };
  if (existing) {
    ctx.policy.assertEntityAction(ctx.principal, entity, 'update');
    // Empty cells of a target that clears them (blankCells: clear): a merge patch's nulls, for the
    // fields the record holds, checked like any field the row writes (one the caller may not edit is refused).
    const clearing = mapped.cleared?.filter((field) => existing.data[field] !== undefined && existing.data[field] !== null) ?? [];
    const nulls = clearing.length === 0 ? {} : checkInput({ input: Object.fromEntries(clearing.map((field) => [field, null])), entity, editable: ctx.policy.editableFields(ctx.principal, entity), readable: ctx.policy.readableFields(ctx.principal, entity), locale: ctx.locale });
    // The given fields alone (a worker's checked values hold the create's defaults too).
    const givenValues = normalized ?? normalizeValues(entity, accepted);
    const shownAlike = sameToTheSecond(entity, existing.data, givenValues);
    const given = omit(givenValues, shownAlike);
    if (clearing.length === 0 && Object.entries(given).every(([k, v]) => sameValue(existing.data[k], v))) return { action: 'unchanged', id: existing.id };
    const { stored, complete } = await applyUpdate({ tx, ctx, entity, current: existing, accepted: { ...omit(accepted, shownAlike), ...nulls }, duplicateHints: shared.prefetch, options: { audit: { action: 'import', details: auditDetails } }, ...(job.history && system.updatedAt ? { systemValues: { updatedAt: system.updatedAt } } : {}) });
    const before = Object.fromEntries(Object.entries(existing.data).filter(([k]) => entity.valueFields.has(k)));
    await shared.created.write(tx);
    await logChange(tx, { job: shared.jobId, entity: entity.name, recordId: existing.id, action: 'updated', before, version: stored.version });
    const event: RecordEvent = { type: 'updated', entity: entity.name, id: existing.id, before: existing.data, after: complete, ctx };
    if (!job.history) await shared.deps.events.runInTransaction(tx, [event]);
    return { action: 'update', id: existing.id, ...(job.history ? {} : { event }) };
  }
  const id = newId();
  const creating = checked ?? checkedCreate(entity, accepted, ctx);
  const { complete } = await insertNewRecord({ tx, ctx, entity, id, freshId: true, values: creating instanceof Promise ? await creating : creating, auditDetails, auditValues: 'source', duplicateHints: shared.prefetch, ...(job.history ? { systemValues: system } : {}) });
  const ended = shared.created.add(tx, entity.name, id);
  if (ended) await ended;
  const event: RecordEvent = { type: 'created', entity: entity.name, id, after: complete, ctx };
  if (job.history) await recordHistoricalStates(tx, ctx, entity, id, complete, system, history.closedAt);
  else {
    const listening = shared.deps.events.runInTransaction(tx, [event]);
    if (listening) await listening;
  }
  return { action: 'create', id, ...(job.history ? {} : { event }) };
}

/**
 * A create's values with their defaults, validated and normalized — what the map worker's `checked`
 * holds when it could do it ahead. A promise only for a default expression: each promise costs a bulk write per row.
 */
function checkedCreate(entity: CompiledEntity, accepted: RecordValues, ctx: RequestContext): MaybePromise<RecordValues> {
  const defaulting = applyDefaults(entity, accepted, ctx, 'create');
  return defaulting instanceof Promise ? defaulting.then((defaulted) => validCreate(entity, accepted, defaulted, ctx)) : validCreate(entity, accepted, defaulting, ctx);
}

function validCreate(entity: CompiledEntity, accepted: RecordValues, defaulted: RecordValues, ctx: RequestContext): RecordValues {
  // A history import's workflow states are kept over the initial state the defaults set.
  const withDefaults = entity.drivenFields.size === 0 ? defaulted : { ...defaulted, ...Object.fromEntries(Object.entries(accepted).filter(([field]) => entity.drivenFields.has(field))) };
  const issues = checkValues(entity, withDefaults, ctx.locale);
  if (issues.length > 0) throw new CrmError('INVALID_RECORD', undefined, issues);
  return normalizeValues(entity, withDefaults);
}

function logChange(tx: StoreTransaction, change: ImportChange): Promise<void> {
  return tx.insert(importChangesCollection.name, { id: newId(), version: 1, revision: 0, data: change as unknown as Record<string, unknown> });
}

/** History mode: the old system's dates and owner (an owner given by e-mail must be a user here). */
async function historicalValues(tx: StoreTransaction, ctx: RequestContext, history: HistoricalValues & { closedAt?: string }, job: ImportJob): Promise<HistoricalValues> {
  if (!job.history) return {};
  const out: HistoricalValues = {};
  if (history.createdAt) out.createdAt = history.createdAt;
  const updated = history.closedAt ?? history.createdAt;
  if (updated) out.updatedAt = updated;
  if (history.owner) {
    const users = await tx.find('_users', { filter: history.owner.includes('@') ? where({ email: history.owner.toLowerCase() }) : { kind: 'compare', field: internalField('id'), op: '$eq', value: history.owner }, sort: [], limit: 1 });
    if (!users[0]) throw new CrmError('INVALID_RECORD', undefined, [localizedDetail({ path: '/owner', text: { en: `no user "${history.owner}" to own the record`, zh: `没有用户「${history.owner}」可作为负责人` } }, ctx.locale)]);
    out.owner = users[0].id;
  }
  return out;
}

/** State history from the imported dates: the initial state from creation, the final one from closing. */
async function recordHistoricalStates(tx: StoreTransaction, ctx: RequestContext, entity: CompiledEntity, id: string, values: RecordValues, system: HistoricalValues, closedAt: string | undefined): Promise<void> {
  const createdAt = system.createdAt ?? ctx.clock.now().toISOString();
  for (const workflow of ctx.model.set.list('workflow')) {
    const wf = workflow as unknown as { name: string; entity: string; field: string; states: Record<string, { initial?: boolean }> };
    if (wf.entity !== entity.name || typeof values[wf.field] !== 'string') continue;
    const state = values[wf.field] as string;
    const initial = Object.entries(wf.states).find(([, s]) => s.initial)?.[0];
    const by = ctx.principal.id;
    if (closedAt && initial && initial !== state) {
      await recordStateChange(tx, { workflow: wf.name, entity: entity.name, recordId: id, state: initial, at: createdAt, by, via: 'import' });
      await recordStateChange(tx, { workflow: wf.name, entity: entity.name, recordId: id, state, at: closedAt, by, via: 'import' });
    } else {
      await recordStateChange(tx, { workflow: wf.name, entity: entity.name, recordId: id, state, at: createdAt, by, via: 'import' });
    }
  }
}

export async function listRejectedRows(reader: StoreReader, job: string, page: { limit: number; afterLine?: number }): Promise<RejectedRow[]> {
  const rows = await reader.find(importRowsCollection.name, {
    filter: andFilters(where({ job }), page.afterLine !== undefined ? { kind: 'compare', field: internalField('line', 'number'), op: '$gt', value: page.afterLine } : undefined),
    sort: [{ field: internalField('line', 'number'), direction: 1 }],
    limit: page.limit,
  });
  return rows.map((r) => r.data as unknown as RejectedRow);
}
