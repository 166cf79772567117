// /api/import over HTTP: uploads (the file streamed to disk), mappings, suggestions, jobs with
// their status, per-row report, rejected rows as CSV, resume and undo. Handlers parse and check the
// request; the verbs live in ImportService.

import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters, parseBooleanFlag, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { readText } from '../kernel/detail-text.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { ImportService } from './import-service.ts';
import { listRejectedRows } from './run-import.ts';
import { headerRowIssue, validHeaderRow } from './import-mapping.ts';
import { neutralizeCell } from './neutralize-cells.ts';
import type { ImportJob, ImportUndo } from './import-store.ts';
import type { Store } from '../store/store-port.ts';

const modes = ['dryRun', 'allOrNothing', 'validOnly'] as const;

/**
 * A job as the API shows it: the principal and the file's path on the server stay inside; its
 * notices and failure read in the reader's language, whoever started it.
 */
function present(id: string, job: ImportJob, locale: Locale) {
  const { principal, file, notices, error, undo, skippedRows, ...rest } = job;
  return { id, ...rest, ...(skippedRows ? { skippedRows: skippedRows.map((r) => ({ line: r.line, reason: readText(r.reason, locale) })) } : {}), by: principal.id, file: { name: file.name, format: file.format, bytes: file.bytes, ...(file.removed ? { removed: file.removed } : {}), ...(file.removalFailed ? { removalFailed: file.removalFailed } : {}) }, notices: notices.map((n) => readText(n, locale)), ...(error !== undefined ? { error: readText(error, locale) } : {}), ...(undo ? { undo: presentUndo(undo, locale) } : {}) };
}

/** A job's undo as the API shows it: whose it is by id, its failure and refusals in the reader's language. */
function presentUndo(undo: ImportUndo, locale: Locale) {
  const { principal: _principal, locale: _locale, error, refusedRecords, ...rest } = undo;
  return { ...rest, ...(refusedRecords ? { refusedRecords: refusedRecords.map((r) => ({ ...r, reason: readText(r.reason, locale) })) } : {}), ...(error !== undefined ? { error: readText(error, locale) } : {}) };
}

function readJobBody(req: Request): { upload: string; mapping: unknown; mode: (typeof modes)[number]; history: boolean } {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a JSON object' }]);
  const issues: IssueDetail[] = [];
  for (const key of Object.keys(body)) if (!['upload', 'mapping', 'mode', 'history'].includes(key)) issues.push({ path: `/${key}`, message: 'is not a known property (known: upload, mapping, mode, history)' });
  if (typeof body['upload'] !== 'string') issues.push({ path: '/upload', message: 'must be the id POST /api/import/uploads returned' });
  if (typeof body['mapping'] !== 'string' && (body['mapping'] === null || typeof body['mapping'] !== 'object')) issues.push({ path: '/mapping', message: 'must be a mapping name or a mapping object' });
  if (body['mode'] !== undefined && !modes.includes(body['mode'] as never)) issues.push({ path: '/mode', message: `must be one of ${modes.join(', ')}` });
  if (body['history'] !== undefined && typeof body['history'] !== 'boolean') issues.push({ path: '/history', message: 'must be a boolean' });
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  return { upload: body['upload'] as string, mapping: body['mapping'], mode: (body['mode'] as (typeof modes)[number] | undefined) ?? 'dryRun', history: body['history'] === true };
}

export function importRoutes(service: ImportService, store: Store, deps: () => ContextDeps): Router {
  const router = Router();
  const context = (req: Request, res: Response) => contextFor(req, res, deps());

  router.post('/uploads', async (req, res) => {
    await context(req, res);
    const { name } = checkQueryParameters(req, ['name']);
    if (!name) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/query/name', message: 'give the file name (?name=deals.csv)' }]);
    res.status(201).json(await service.saveUpload(req, name));
  });

  router.get('/mappings', async (req, res) => {
    await context(req, res);
    checkQueryParameters(req, []);
    res.json({ items: (await service.listMappings()).map(({ name, source, mapping }) => ({ name, source, label: mapping.label, targets: mapping.targets.map((t) => t.entity) })) });
  });

  router.get('/mappings/:name', async (req, res) => {
    await context(req, res);
    const mapping = await service.findMapping(String(req.params['name']));
    if (!mapping) throw new CrmError('NOT_FOUND', { en: 'No such mapping', zh: '没有该映射' });
    res.json(mapping);
  });

  router.put('/mappings/:name', async (req, res) => {
    const ctx = await context(req, res);
    ctx.policy.assertAdmin(ctx.principal);
    const body = req.body as Record<string, unknown>;
    if (body?.['name'] !== req.params['name']) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/name', message: 'must equal the name in the URL' }]);
    res.json(await service.saveMapping(body, ctx.model));
  });

  router.post('/suggest', async (req, res) => {
    const ctx = await context(req, res);
    const body = req.body as { upload?: unknown; entity?: unknown; sheet?: unknown; headerRow?: unknown } | undefined;
    if (typeof body?.upload !== 'string' || typeof body.entity !== 'string') throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'send { upload, entity }' }]);
    const issues: IssueDetail[] = [];
    for (const key of Object.keys(body)) if (!['upload', 'entity', 'sheet', 'headerRow'].includes(key)) issues.push({ path: `/${key}`, message: 'is not a known property (known: upload, entity, sheet, headerRow)' });
    if (body.headerRow !== undefined && !validHeaderRow(body.headerRow)) issues.push({ path: '/headerRow', ...headerRowIssue });
    if (body.sheet !== undefined && (typeof body.sheet !== 'string' || body.sheet === '' || body.sheet.length > 255)) issues.push({ path: '/sheet', message: 'must be the name of a sheet of the workbook', text: { en: 'must be the name of a sheet of the workbook', zh: '必须是该工作簿中某个工作表的名称' } });
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    res.json(await service.suggest(body.upload, body.entity, ctx.model, { ...(body.sheet !== undefined ? { sheet: body.sheet as string } : {}), ...(body.headerRow !== undefined ? { headerRow: body.headerRow as number } : {}), locale: ctx.locale, ctx }));
  });

  router.get('/targets', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    res.json({ items: service.targets(ctx) });
  });

  router.get('/jobs', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['limit']);
    const limit = parsePositiveInteger(query['limit'], 'limit', 200) ?? 50;
    res.json({ items: (await service.listJobs(ctx.principal, limit)).map(({ id, job }) => present(id, job, ctx.locale)) });
  });

  router.post('/jobs', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const body = readJobBody(req);
    const path = service.uploadPath(body.upload);
    const { id, job } = await service.startJob({ ctx, file: { path, name: await service.uploadName(body.upload) }, mapping: body.mapping, mode: body.mode, history: body.history });
    void service.run(id);
    res.status(202).location(`/api/import/jobs/${id}`).json(present(id, job, ctx.locale));
  });

  router.get('/jobs/:id', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const id = String(req.params['id']);
    res.json(present(id, await service.getJob(id, ctx.principal), ctx.locale));
  });

  router.get('/jobs/:id/rows', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['limit', 'after']);
    const id = String(req.params['id']);
    await service.getJob(id, ctx.principal);
    const limit = parsePositiveInteger(query['limit'], 'limit', 1000) ?? 100;
    const after = parsePositiveInteger(query['after'], 'after', 1e9);
    const rows = await listRejectedRows(store, id, { limit, ...(after !== undefined ? { afterLine: after } : {}) });
    // Every reason in the reader's language (Accept-Language), whoever started the job.
    const items = rows.map((r) => ({ ...r, issues: r.issues.map((i) => ({ ...i, reason: readText(i.reason, ctx.locale) })) }));
    res.json({ items, ...(items.length === limit ? { next: items[items.length - 1]!.line } : {}) });
  });

  // The rejected rows as they were read, plus a column saying why: fix and import again.
  router.get('/jobs/:id/rejected.csv', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const id = String(req.params['id']);
    const job = await service.getJob(id, ctx.principal);
    const columns = job.source?.columns ?? [];
    res.type('text/csv; charset=utf-8').attachment(`rejected-${id}.csv`);
    // With a byte-order mark, as the export writes: without one Excel reads the file in the
    // machine's code page, and a Chinese header, value or reason came out garbled.
    const out = stringify({ bom: true, header: true, columns: [...columns, '_line', '_reason'] });
    out.pipe(res);
    let after: number | undefined;
    for (;;) {
      const page = await listRejectedRows(store, id, { limit: 1000, ...(after !== undefined ? { afterLine: after } : {}) });
      for (const rejected of page) {
        const record: Record<string, string> = { _line: String(rejected.line), _reason: neutralizeCell(rejected.issues.map((i) => [i.column ?? i.field, readText(i.reason, ctx.locale)].filter(Boolean).join(': ')).join('; ')) };
        for (const column of columns) record[column] = neutralizeCell(rejected.row?.[column]);
        if (!out.write(record)) await new Promise((resolve) => out.once('drain', resolve));
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.line;
    }
    out.end();
  });

  router.post('/jobs/:id/resume', async (req, res) => {
    const ctx = await context(req, res);
    const id = String(req.params['id']);
    const job = await service.getJob(id, ctx.principal);
    if (job.status !== 'running') throw new CrmError('CONFLICT', { en: `The job is ${job.status}: nothing to resume`, zh: `任务状态为 ${job.status}，无需恢复` });
    void service.run(id);
    res.status(202).json(present(id, job, ctx.locale));
  });

  // Answers once the job has stopped: its counts are then what stays written.
  router.post('/jobs/:id/cancel', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    const id = String(req.params['id']);
    res.json(present(id, await service.cancel(id, ctx), ctx.locale));
  });

  // The dry run answers with what the undo would do (it only reads); the undo itself runs in the
  // background and answers 202 at once with the job (status undoing, its progress): GET the job, or
  // GET …/undo for every record it left alone or could not undo.
  router.post('/jobs/:id/undo', async (req, res) => {
    const ctx = await context(req, res);
    const query = checkQueryParameters(req, ['dryRun']);
    const id = String(req.params['id']);
    if (parseBooleanFlag(query['dryRun'], 'dryRun')) {
      res.json(await service.undoDryRun({ ctx, id }));
      return;
    }
    const { job } = await service.startUndo({ ctx, id });
    res.status(202).location(`/api/import/jobs/${id}`).json(present(id, job, ctx.locale));
  });

  router.get('/jobs/:id/undo', async (req, res) => {
    const ctx = await context(req, res);
    checkQueryParameters(req, []);
    res.json(await service.undoReport({ ctx, id: String(req.params['id']) }));
  });

  return router;
}
