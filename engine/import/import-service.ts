// The import verbs the API and the CLI share: keep an uploaded file, save and find mappings (saved
// ones, then those shipped in templates' imports/ folders), suggest a mapping, start, resume and
// undo jobs. A job runs in the background of the process that started it; a job found running at
// start (the process died) is resumed from its checkpoint. An undo runs in the background too (the
// job's status `undoing`, its progress on the job) and, interrupted, resumes at start or when asked again.

import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Principal } from '../access/policy.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { internalField, where } from '../filter/filter-tree.ts';
import { CrmError, localizedDetail, type IssueDetail } from '../kernel/errors.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import { newId } from '../kernel/ids.ts';
import { labelsOf, localize, type Locale } from '../kernel/i18n.ts';
import type { RequestContext } from '../records/request-context.ts';
import { getValidMappingOrThrow, type ImportMapping } from './import-mapping.ts';
import { emptyCounts, emptyTargetCounts, importJobsCollection, importMappingsCollection, type ImportJob, type ImportMode, type ImportUndo, type JobStatus } from './import-store.ts';
import { formatOf, newSourceInfo, NoHeaderAt, noSuchSheet, readRows } from './read-rows.ts';
import { workbookSheets } from './workbook-sheets.ts';
import { uploadIdPattern } from './erase-uploads.ts';
import { createJob, loadJob, runImportJob, type BatchGate, type ImportDeps } from './run-import.ts';
import { countChanges, undoImport, undoneElsewhere, undoneSoFar, type UndoReport } from './undo-import.ts';
import { errorText } from './map-row.ts';
import { suggestMapping } from './suggest-mapping.ts';
import { recordIdSchema } from '../fields/types/reference-types.ts';

const recordIdPattern = new RegExp(String(recordIdSchema['pattern']));

/** A value as a record stores it (an address, files, links), not as an export shows it to people (names, titles). */
const storedValue = (value: unknown): boolean =>
  Array.isArray(value) ? value.every((v) => (typeof v === 'object' && v !== null) || (typeof v === 'string' && recordIdPattern.test(v))) : typeof value === 'object' && value !== null;

// Spreadsheets of other formats: an ERP's .xls (Excel 97–2003), WPS's .et, .ods, macro or binary workbooks.
const otherSpreadsheets = new Set(['.xls', '.xlsm', '.xlsb', '.et', '.ett', '.ods', '.numbers']);

/** Why a file of this name is not taken: a spreadsheet of another format named as such, with the way out; else the names that are. */
function unreadableName(fileName: string): IssueDetail {
  const extension = path.extname(fileName).toLowerCase();
  if (!otherSpreadsheets.has(extension)) return { path: '/name', message: 'the file name must end in .csv, .txt, .jsonl, .ndjson or .xlsx' };
  const text = {
    en: `is a ${extension} spreadsheet, which is not read: save it in Excel or WPS as an Excel workbook (.xlsx) or CSV UTF-8 and upload that`,
    zh: `是 ${extension} 格式的电子表格，无法直接导入：请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 CSV UTF-8 后上传`,
  };
  return { path: '/name', message: text.en, text };
}

export class ImportService {
  private readonly running = new Map<string, Promise<ImportJob>>();
  /** Jobs this process runs that someone asked to cancel, with who asked. */
  private readonly cancelling = new Map<string, string>();
  private gate: BatchGate | undefined;
  /** Held jobs (holdBatches) that a cancel lets go at once: held, they are between two batches. */
  private readonly letGo = new Map<string, () => void>();
  /** Undos this process runs. */
  private readonly undoing = new Map<string, Promise<ImportJob>>();
  private undoGate: ((id: string) => Promise<void>) | undefined;

  constructor(private readonly deps: ImportDeps & { dataDir: string; templateRoots: readonly string[]; /** The organisation's zone: what a readable export writes instants in. */ timeZone?: string }) {}

  private get uploadDir() {
    return path.join(this.deps.dataDir, 'imports');
  }

  /** Streams a file to the data folder; returns its upload id (kept until deleted with the data folder). */
  async saveUpload(body: Readable, fileName: string, maxBytes = 4 * 1024 ** 3): Promise<{ upload: string; name: string; bytes: number }> {
    const format = formatOf(fileName);
    if (!format) throw new CrmError('BAD_REQUEST', undefined, [unreadableName(fileName)]);
    await mkdir(this.uploadDir, { recursive: true });
    const upload = `${newId()}.${path.extname(fileName).slice(1).toLowerCase()}`;
    const target = path.join(this.uploadDir, upload);
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) body.destroy(new CrmError('PAYLOAD_TOO_LARGE'));
    });
    await pipeline(body, createWriteStream(target));
    // The name the file had, for the job's report and history (the upload id names it on disk).
    await writeFile(`${target}.name`, fileName.slice(0, 255));
    return { upload, name: fileName, bytes };
  }

  /** The name an upload had when it was sent (its id when that was not kept). */
  async uploadName(upload: string): Promise<string> {
    return (await readFile(`${this.uploadPath(upload)}.name`, 'utf8').catch(() => '')) || upload;
  }

  /** An upload's path, or an admin's local file (CLI). */
  uploadPath(upload: string): string {
    if (!uploadIdPattern.test(upload)) throw new CrmError('NOT_FOUND', { en: `No upload "${upload}"`, zh: `没有上传文件「${upload}」` });
    return path.join(this.uploadDir, upload);
  }

  async saveMapping(mapping: unknown, model: CompiledModel): Promise<ImportMapping> {
    const valid = getValidMappingOrThrow(mapping, model);
    await this.deps.store.transaction(async (tx) => {
      const [current] = await tx.find(importMappingsCollection.name, { filter: where({ name: valid.name }), sort: [], limit: 1 });
      const data = valid as unknown as Record<string, unknown>;
      if (current) await tx.replace(importMappingsCollection.name, { ...current, version: current.version + 1, data }, current.version);
      else await tx.insert(importMappingsCollection.name, { id: newId(), version: 1, revision: 0, data });
    });
    return valid;
  }

  /** Saved mappings, then those shipped by templates (`imports/*.json`). */
  async listMappings(): Promise<{ name: string; source: string; mapping: ImportMapping }[]> {
    const saved = await this.deps.store.find(importMappingsCollection.name, { filter: { kind: 'true' }, sort: [], limit: 1000 });
    const out = saved.map((row) => ({ name: String(row.data['name']), source: 'saved', mapping: row.data as unknown as ImportMapping }));
    for (const root of this.deps.templateRoots) {
      const templates = await readdir(root).catch((): string[] => []);
      for (const template of templates.sort()) {
        const dir = path.join(root, template, 'imports');
        const files = (await readdir(dir).catch((): string[] => [])).filter((f) => f.endsWith('.json'));
        for (const file of files.sort()) {
          try {
            const mapping = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as ImportMapping;
            if (mapping.targets && !out.some((m) => m.name === mapping.name)) out.push({ name: mapping.name, source: `template:${template}`, mapping });
          } catch {
            // an unreadable shipped file is not a mapping
          }
        }
      }
    }
    return out;
  }

  async findMapping(name: string): Promise<ImportMapping | undefined> {
    return (await this.listMappings()).find((m) => m.name === name)?.mapping;
  }

  /**
   * The upload's columns, the field suggested for each, the first rows (a preview) and the distinct
   * values of each column among the first rows read (what a picklist value map is made from).
   * Reads at most `scan` rows and keeps at most `distinct` values per column: memory stays bounded.
   * A workbook is read from `sheet`, else from its first sheet with rows; the answer lists its sheets
   * (from xl/workbook.xml alone, no sheet's rows read) and names the one read.
   * With them, the mapping suggested (the id column as the upsert key, lookups by title, the
   * organisation's zone for datetimes) and, in `locale`, why each other column is left out.
   */
  async suggest(upload: string, entity: string, model: CompiledModel, options: { sheet?: string; headerRow?: number; locale?: Locale; ctx?: RequestContext } = {}, limits: { preview: number; scan: number; distinct: number } = { preview: 10, scan: 2000, distinct: 50 }) {
    const { sheet, headerRow, locale = 'en', ctx } = options;
    const target = model.entities.get(entity);
    if (!target) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${entity}"`, zh: `没有实体「${entity}」` });
    // Only into an entity the caller may import into, with the fields they may see and change.
    if (ctx) ctx.policy.assertEntityAction(ctx.principal, target, 'create');
    const access = ctx ? { readable: ctx.policy.readableFields(ctx.principal, target), editable: ctx.policy.editableFields(ctx.principal, target) } : undefined;
    const file = this.uploadPath(upload);
    if (!(await stat(file).catch(() => undefined))?.isFile()) throw new CrmError('NOT_FOUND', { en: `No upload "${upload}"`, zh: `没有上传文件「${upload}」` }, [{ path: '/upload', message: 'no such file' }]);
    const format = formatOf(upload)!;
    const sheets = format === 'xlsx' ? await workbookSheets(file) : undefined;
    if (sheet !== undefined && sheets && !sheets.includes(sheet)) throw noSuchSheet(sheet, sheets);
    const info = newSourceInfo();
    const preview: { line: number; values?: Record<string, unknown>; error?: string }[] = [];
    const distinct = new Map<string, Set<string>>();
    const textual = new Set<string>();
    let read = 0;
    // Number cells stay numbers: the wizard reads them as the job will, whatever separator is chosen.
    const rows = readRows({ file, format, info, typedNumbers: true, ...(sheets && sheet !== undefined ? { sheet } : {}), ...(headerRow !== undefined ? { headerRow } : {}) });
    // A header row asked for that is no row of the table: refused at the request's `headerRow`.
    const refusingHeaderRow = async function* () {
      try {
        yield* rows;
      } catch (error) {
        throw error instanceof NoHeaderAt ? error.atRequest() : error;
      }
    };
    for await (const row of refusingHeaderRow()) {
      // A row that cannot be read says why in the caller's language.
      if (preview.length < limits.preview) preview.push('error' in row ? { line: row.line, error: localize(row.error, locale) } : row);
      if ('values' in row) {
        for (const [column, value] of Object.entries(row.values)) {
          if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
          // A column holds values themselves (JSON Lines only) when each is an object, or a list of objects or record ids.
          if (!storedValue(value)) textual.add(column);
          const seen = distinct.get(column) ?? new Set<string>();
          distinct.set(column, seen);
          if (seen.size < limits.distinct) seen.add(typeof value === 'string' ? value.trim() : JSON.stringify(value));
        }
      }
      if (++read >= limits.scan) break;
    }
    const first = preview.find((r) => r.values);
    const idValued = new Set([...distinct].filter(([, seen]) => seen.size > 0 && [...seen].every((v) => recordIdPattern.test(v))).map(([column]) => column));
    const structured = new Set([...distinct.keys()].filter((column) => !textual.has(column)));
    const suggestion = suggestMapping({ columns: info.columns, entity: target, model, held: { structured, idValued }, ...(this.deps.timeZone ? { timeZone: this.deps.timeZone } : {}), ...(access ? { access } : {}) });
    // The sheet read: the one asked for, else the first with rows (else the first: the workbook has no rows).
    const sheetRead = sheets ? (info.sheet ?? sheet ?? sheets[0]) : undefined;
    return {
      columns: info.columns,
      sample: first?.values,
      suggested: suggestion.suggested,
      mapping: { ...(sheetRead !== undefined ? { sheet: sheetRead } : {}), ...(headerRow !== undefined && format !== 'jsonl' ? { headerRow } : {}), ...(suggestion.timeZone ? { timeZone: suggestion.timeZone } : {}), targets: [suggestion.target] },
      unmapped: Object.fromEntries(Object.entries(suggestion.unmapped).map(([column, reason]) => [column, localize(reason, locale)])),
      preview,
      values: Object.fromEntries([...distinct].map(([column, seen]) => [column, [...seen]])),
      scanned: read,
      ...(info.headerLine !== undefined ? { headerLine: info.headerLine } : {}),
      ...(info.top ? { top: info.top } : {}),
      // Rows among those scanned the import leaves out (a workbook's totals rows), with why.
      ...(info.skipped && info.skipped.totalsRows.length > 0 ? { skippedRows: info.skipped.totalsRows.map((r) => ({ line: r.line, reason: localize(r.reason, locale) })) } : {}),
      ...(sheets ? { sheets, sheet: sheetRead } : {}),
    };
  }

  /** Entities the caller may import into (create records of): what the studio offers. */
  targets(ctx: RequestContext): string[] {
    return [...ctx.model.entities.values()]
      .filter((entity) => {
        try {
          ctx.policy.assertEntityAction(ctx.principal, entity, 'create');
          return true;
        } catch {
          return false;
        }
      })
      .map((entity) => entity.name);
  }

  /** Recent jobs, newest first: an administrator's view holds everyone's, a user's their own. */
  async listJobs(principal: Principal, limit: number): Promise<{ id: string; job: ImportJob }[]> {
    const rows = await this.deps.store.find(importJobsCollection.name, {
      filter: principal.admin ? { kind: 'true' } : where({ 'principal.id': principal.id }),
      sort: [{ field: internalField('id'), direction: -1 }],
      limit,
    });
    return rows.map((row) => ({ id: row.id, job: row.data as unknown as ImportJob }));
  }

  /** Checks the request, records the job and starts it in the background. */
  /**
   * Checks and records a job (run() runs it). `mappingAt`: where an inline mapping sits in what the
   * caller sent, for its issues' pointers — `/mapping` in the API's body (the default), `` for the
   * CLI's mapping file.
   */
  async startJob(args: { ctx: RequestContext; file: { path: string; name: string }; mapping: unknown; mode: ImportMode; history: boolean; mappingAt?: string }): Promise<{ id: string; job: ImportJob }> {
    const { ctx } = args;
    // A dry run, and the check phase of all-or-nothing, are batches run in transactions that are
    // rolled back: on a store that cannot roll back (a standalone MongoDB server) they would write
    // for real, and all-or-nothing would then write every row a second time.
    if (args.mode !== 'validOnly' && !this.deps.store.atomicTransactions) {
      throw new CrmError('CONFLICT', { en: 'This MongoDB server is standalone and cannot roll back: import with mode validOnly', zh: '当前 MongoDB 服务器为单机模式，无法回滚：请使用 validOnly 模式导入' }, [
        localizedDetail({ path: '/mode', text: { en: `${args.mode} needs a store that can roll back (SQLite, or MongoDB as a replica set)`, zh: `${args.mode} 需要可回滚的存储（SQLite，或副本集形式的 MongoDB）` } }, ctx.locale as Locale),
      ]);
    }
    if (args.history) ctx.policy.assertAdmin(ctx.principal);
    const mapping = typeof args.mapping === 'string' ? await this.findMapping(args.mapping) : args.mapping;
    if (!mapping) throw new CrmError('NOT_FOUND', { en: `No import mapping "${String(args.mapping)}"`, zh: `没有导入映射「${String(args.mapping)}」` }, [{ path: '/mapping', message: 'is not a saved or shipped mapping' }]);
    // An inline mapping's issues point where it sits in what was sent (`/mapping/targets/0/…` in the
    // API's body); a saved one's into the saved mapping (as PUT /mappings/{name} answers them).
    const mappingAt = args.mappingAt ?? '/mapping';
    const inBody = (details: IssueDetail[]) => (typeof args.mapping === 'string' ? details : details.map((detail) => ({ ...detail, path: `${mappingAt}${detail.path}` })));
    let valid: ImportMapping;
    try {
      valid = getValidMappingOrThrow(mapping, ctx.model);
    } catch (error) {
      throw error instanceof CrmError ? new CrmError(error.code, error.text, inBody(error.details), error.extra) : error;
    }
    const format = valid.format ?? formatOf(args.file.name);
    if (!format) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/mapping/format', message: 'say the format (csv, jsonl or xlsx): the file name does not' }]);
    const info = await stat(args.file.path).catch(() => undefined);
    if (!info?.isFile()) throw new CrmError('NOT_FOUND', { en: 'The file to import is not there', zh: '要导入的文件不存在' }, [{ path: '/upload', message: 'no such file' }]);
    for (const target of valid.targets) ctx.policy.assertEntityAction(ctx.principal, ctx.model.entities.get(target.entity)!, 'create');
    const fieldIssues = fieldsBeyondAccess(valid, ctx);
    if (fieldIssues.length > 0) throw new CrmError('BAD_REQUEST', { en: 'The import mapping is not valid', zh: '导入映射无效' }, inBody(fieldIssues));
    const id = newId();
    const job: ImportJob = {
      status: 'running', mode: args.mode, phase: args.mode === 'allOrNothing' ? 'check' : 'write', history: args.history,
      file: { path: args.file.path, name: args.file.name, format, bytes: info.size }, mapping: valid,
      principal: { ...ctx.principal }, locale: ctx.locale as Locale, checkpoint: 0, counts: emptyCounts(), targets: emptyTargetCounts(valid), samples: [], notices: [],
      startedAt: this.deps.clock.now().toISOString(),
    };
    await createJob(this.deps, id, job);
    return { id, job };
  }

  /**
   * Awaited before each batch of the jobs this process starts from now on (undefined: none): tests
   * hold a job between batches with it, to act on one still running without racing it. A cancel
   * asked meanwhile ends the wait: the job stops there, as one between two batches does.
   */
  holdBatches(gate: BatchGate | undefined): void {
    this.gate = gate;
  }

  /** Runs a job to its end (the CLI awaits this; the API does not). */
  run(id: string, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
    let running = this.running.get(id);
    if (!running) {
      const gate = this.gate;
      const cancelAsked = new Promise<void>((resolve) => this.letGo.set(id, resolve));
      const beforeBatch = gate && ((at: Parameters<BatchGate>[0]) => Promise.race([gate(at), cancelAsked]));
      running = runImportJob(this.deps, id, { onProgress, cancelRequest: () => this.cancelling.get(id), beforeBatch }).finally(() => {
        this.running.delete(id);
        this.cancelling.delete(id);
        this.letGo.delete(id);
      });
      this.running.set(id, running);
    }
    return running;
  }

  /** Waits for every job and undo this process runs (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values(), ...this.undoing.values()]);
  }

  /** At shutdown: waits for the running jobs, then ends the kept map thread (no thread is kept after). */
  async close(): Promise<void> {
    await this.idle();
    await this.deps.mapWorkers?.close();
  }

  async getJob(id: string, principal: Principal): Promise<ImportJob> {
    const loaded = await loadJob(this.deps.store, id);
    if (!loaded || (!principal.admin && loaded.job.principal.id !== principal.id)) throw new CrmError('NOT_FOUND', { en: `No import job "${id}"`, zh: `没有导入任务「${id}」` });
    return loaded.job;
  }

  /** Jobs left running by a process that died: resumed from their checkpoints. */
  async resumeInterrupted(): Promise<string[]> {
    const rows = await this.deps.store.find(importJobsCollection.name, { filter: where({ status: 'running' }), sort: [], limit: 100 });
    const ids = rows.map((r) => r.id).filter((id) => !this.running.has(id));
    for (const id of ids) void this.run(id);
    // Undos left undoing: each goes on after the last page it committed.
    const undos = await this.deps.store.find(importJobsCollection.name, { filter: where({ status: 'undoing' }), sort: [], limit: 100 });
    for (const { id } of undos) if (!this.undoing.has(id)) void this.runUndoInBackground(id);
    return [...ids, ...undos.map((r) => r.id).filter((id) => !ids.includes(id))];
  }

  /**
   * Stops a running job after the batch it is writing (each batch commits whole, with its
   * checkpoint): what committed stays, counted, and undo takes it back. A job no process runs (its
   * process died before it could be resumed) is marked cancelled at once, so no start resumes it.
   */
  async cancel(id: string, ctx: RequestContext): Promise<ImportJob> {
    const job = await this.getJob(id, ctx.principal);
    if (job.status !== 'running') throw new CrmError('CONFLICT', { en: `The import is ${job.status}: nothing to cancel`, zh: `导入状态为 ${job.status}，无法取消` });
    const running = this.running.get(id);
    if (running) {
      this.cancelling.set(id, ctx.principal.id);
      this.letGo.get(id)?.();
      return running;
    }
    let stopped = job;
    await this.deps.store.transaction(async (tx) => {
      const row = await tx.get(importJobsCollection.name, id);
      if (!row) return;
      stopped = { ...(row.data as unknown as ImportJob), status: 'cancelled', cancelled: { at: this.deps.clock.now().toISOString(), by: ctx.principal.id }, finishedAt: this.deps.clock.now().toISOString() };
      await tx.replace(importJobsCollection.name, { ...row, version: row.version + 1, data: stopped as unknown as Record<string, unknown> }, row.version);
    });
    return stopped;
  }

  /** What an undo would do, read without writing (the dry run answers at once: it only reads). */
  async undoDryRun(args: { ctx: RequestContext; id: string }): Promise<UndoReport> {
    const job = await this.getJob(args.id, args.ctx.principal);
    undoable(job);
    return undoImport({ store: this.deps.store, ctx: args.ctx, events: this.deps.events, job: args.id, dryRun: true });
  }

  /**
   * Starts a job's undo in the background and answers with the job as it starts (status `undoing`).
   * An undo left undoing (its process died, or it failed part-way) goes on after the last page it
   * committed; one this process runs already is a conflict. `onProgress`: after each page (the CLI).
   */
  async startUndo(args: { ctx: RequestContext; id: string; onProgress?: (job: ImportJob) => void }): Promise<{ job: ImportJob; done: Promise<ImportJob> }> {
    const { ctx, id } = args;
    undoable(await this.getJob(id, ctx.principal));
    if (this.undoing.has(id)) throw beingUndone();
    let marked!: (ok: boolean) => void;
    const started = new Promise<boolean>((resolve) => (marked = resolve));
    // Held before the first await: a second request meanwhile meets it.
    const done = started.then((ok) => (ok ? this.runUndo(id, args.onProgress) : undefined)).finally(() => this.undoing.delete(id));
    this.undoing.set(id, done as Promise<ImportJob>);
    // Nobody need wait for it (the API answers at once); a failure is kept on the job.
    done.catch(() => undefined);
    try {
      const job = await this.updateJob(id, (stored) => {
        undoable(stored);
        const at = this.deps.clock.now().toISOString();
        const before = stored.status === 'undoing' ? stored.undo : undefined;
        const undo: ImportUndo = { deleted: 0, restored: 0, changedSince: 0, ...stored.undo, at: before?.at ?? at, by: before?.by ?? ctx.principal.id, principal: before?.principal ?? { ...ctx.principal }, locale: before?.locale ?? (ctx.locale as Locale), from: before?.from ?? stored.status };
        delete undo.error;
        delete undo.finishedAt;
        return { ...stored, status: 'undoing', undo };
      });
      marked(true);
      return { job, done: done as Promise<ImportJob> };
    } catch (error) {
      marked(false);
      throw error;
    }
  }

  /** An undo left undoing (found at start), run in the background. */
  private runUndoInBackground(id: string): Promise<ImportJob> {
    const done = this.runUndo(id).finally(() => this.undoing.delete(id));
    this.undoing.set(id, done);
    return done;
  }

  /**
   * Awaited before each page of the undos this process runs from now on (undefined: none): tests
   * hold an undo between two pages with it, to see its progress without racing it.
   */
  holdUndoPages(gate: ((id: string) => Promise<void>) | undefined): void {
    this.undoGate = gate;
  }

  /** Runs an undo to its end: its progress saved on the job after each page; a failure gives the job its status back, with why. */
  private async runUndo(id: string, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
    const loaded = await loadJob(this.deps.store, id);
    if (!loaded) throw new CrmError('NOT_FOUND', { en: `No import job "${id}"`, zh: `没有导入任务「${id}」` });
    if (loaded.job.status !== 'undoing') return loaded.job;
    const asked = loaded.job.undo!;
    const ctx: RequestContext = { principal: asked.principal ?? loaded.job.principal, locale: asked.locale ?? loaded.job.locale, clock: this.deps.clock, model: this.deps.model(), policy: this.deps.policy };
    const gate = this.undoGate;
    const refused: NonNullable<ImportUndo['refusedRecords']> = [];
    const progress = async (changes: Partial<ImportUndo>, status?: JobStatus) => {
      const job = await this.updateJob(id, (stored) => ({ ...stored, ...(status ? { status } : {}), undo: { ...stored.undo!, ...changes } }));
      onProgress?.(job);
      return job;
    };
    try {
      let latest = await progress({ total: await countChanges(this.deps.store, id) });
      // The first records left alone and refused, as of the last page committed.
      let listed: Partial<ImportUndo> = {};
      const report = await undoImport({
        store: this.deps.store, ctx, events: this.deps.events, job: id, dryRun: false, refusedTexts: refused,
        ...(gate ? { beforePage: () => gate(id) } : {}),
        // Each page's counts are saved on the job in the page's own transaction (no commit of their own).
        writeProgress: async (tx, counts) => {
          latest = (await changeJobIn(tx, id, (stored) => ({ ...stored, undo: { ...stored.undo!, ...listed, ...counts } }))) ?? latest;
        },
        onPage: (soFar) => {
          listed = undoLists(soFar, refused);
          onProgress?.(latest);
        },
      });
      return await progress({ ...undoCounts(report, refused), finishedAt: this.deps.clock.now().toISOString() }, 'undone');
    } catch (error) {
      // Another process's undo of the same job goes on with it: this one leaves it to that one.
      if (undoneElsewhere(error)) return (await loadJob(this.deps.store, id))!.job;
      return progress({ error: errorText(error) }, asked.from ?? 'done').catch(() => loaded.job);
    }
  }

  /** The whole report of a job's undo (every record left alone or refused): what its committed pages did, so far or in the end. */
  async undoReport(args: { ctx: RequestContext; id: string }): Promise<UndoReport & { status: JobStatus }> {
    const job = await this.getJob(args.id, args.ctx.principal);
    if (!job.undo) throw new CrmError('NOT_FOUND', { en: 'The import has not been undone', zh: '该导入尚未撤销' });
    const report = await undoImport({ store: this.deps.store, ctx: args.ctx, events: this.deps.events, job: args.id, dryRun: false, committedOnly: true });
    return { status: job.status, ...report };
  }

  /** Reads, changes and writes a job's document in one transaction. */
  private async updateJob(id: string, change: (job: ImportJob) => ImportJob): Promise<ImportJob> {
    const job = await this.deps.store.transaction((tx) => changeJobIn(tx, id, change));
    if (!job) throw new CrmError('NOT_FOUND', { en: `No import job "${id}"`, zh: `没有导入任务「${id}」` });
    return job;
  }
}

/** Reads, changes and writes a job's document inside a transaction; undefined when there is no such job. */
async function changeJobIn(tx: StoreTransaction, id: string, change: (job: ImportJob) => ImportJob): Promise<ImportJob | undefined> {
  const row = await tx.get(importJobsCollection.name, id);
  if (!row) return undefined;
  const job = change(row.data as unknown as ImportJob);
  await tx.replace(importJobsCollection.name, { ...row, version: row.version + 1, data: job as unknown as Record<string, unknown> }, row.version);
  return job;
}

/** Listed on a job's undo: the first records left alone and refused (GET …/undo lists every one). */
const listedOnJob = 20;

function undoLists(report: UndoReport, refused: NonNullable<ImportUndo['refusedRecords']>): Partial<ImportUndo> {
  return { changedSinceRecords: report.changedSince.slice(0, listedOnJob), refusedRecords: refused.slice(0, listedOnJob) };
}

function undoCounts(report: UndoReport, refused: NonNullable<ImportUndo['refusedRecords']>): Partial<ImportUndo> {
  return { done: undoneSoFar(report), deleted: report.deleted, restored: report.restored, missing: report.missing, changedSince: report.changedSince.length, refused: report.refused.length, ...undoLists(report, refused) };
}

const beingUndone = () => new CrmError('CONFLICT', { en: 'The import is being undone: follow its progress on the job', zh: '该导入正在撤销：请在任务中查看进度' });

/** Refuses an undo of a job that wrote nothing, still runs, or was undone. */
function undoable(job: ImportJob): void {
  if (job.mode === 'dryRun') throw new CrmError('CONFLICT', { en: 'A dry run wrote nothing to undo', zh: '试运行没有写入任何内容' });
  if (job.status === 'running') throw new CrmError('CONFLICT', { en: 'The import is still running', zh: '导入仍在进行' });
  if (job.status === 'undone') throw new CrmError('CONFLICT', { en: 'The import was undone already', zh: '该导入已撤销' });
}

/**
 * The fields a mapping would write that the caller may not: refused before a row is read, rather
 * than every row refused with the same reason. A field they may not read is answered as one the
 * entity does not have (as the mapping check says of an unknown field), so as not to reveal it.
 */
function fieldsBeyondAccess(mapping: ImportMapping, ctx: RequestContext): IssueDetail[] {
  const issues: IssueDetail[] = [];
  mapping.targets.forEach((target, index) => {
    const entity = ctx.model.entities.get(target.entity)!;
    const readable = ctx.policy.readableFields(ctx.principal, entity);
    const editable = ctx.policy.editableFields(ctx.principal, entity);
    for (const part of ['columns', 'transforms', 'defaults', 'values', 'lookups'] as const) {
      for (const field of Object.keys(target[part] ?? {})) {
        // A workflow's field is the history mode's to import (its rows say otherwise): not judged here.
        if (field === 'id' || editable.has(field) || (entity.drivenFields.has(field) && readable.has(field))) continue;
        const path = `/targets/${index}/${part}/${field}`;
        if (!readable.has(field)) issues.push({ path, message: `"${field}" is not a field of ${entity.name}` });
        else {
          const named = labelsOf(entity.fields.get(field)?.definition.label, field);
          issues.push(localizedDetail({ path, text: { en: `"${named.en}" is read-only for you: an import cannot change it`, zh: `「${named.zh}」对您只读：导入不能修改它` } }, ctx.locale as Locale));
        }
      }
    }
    // A lookup's key is a field of the looked-up entity: one hidden from the caller would link each
    // row to the record holding the value they wrote (its value read back, a guess a row). Answered
    // as checkMapping answers a field that entity does not have.
    for (const [field, { by }] of Object.entries(target.lookups ?? {})) {
      const to = ctx.model.entities.get((entity.fields.get(field)?.definition as { to?: string } | undefined)?.to ?? '');
      if (!to || by === 'id' || ctx.policy.readableFields(ctx.principal, to).has(by)) continue;
      issues.push({ path: `/targets/${index}/lookups/${field}/by`, message: `must name a field of ${to.name}` });
    }
  });
  return issues;
}
