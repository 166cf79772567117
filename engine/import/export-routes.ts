// GET /api/export/{entity}: the records of a list — the same filter, sort and view parameters as
// GET /api/data/{entity}, only what the caller may read — as CSV, XLSX or JSON Lines, streamed page
// by page. Spreadsheet cells starting with = + - @ are neutralized (CSV injection); JSON Lines
// keeps values as they are (it is data, not a spreadsheet).

import { Router } from 'express';
import { stringify } from 'csv-stringify';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, parseFieldList, parseJsonParameter } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { maxPageSize } from '../records/read-records.ts';
import type { RecordService } from '../records/record-service.ts';
import { neutralizeCell } from './import-routes.ts';
import { withFreshBudget } from '../kernel/request-budget.ts';

const formats = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', jsonl: 'application/x-ndjson' } as const;

/** A value as one spreadsheet cell: lists joined with "; ", objects as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('; ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function exportRoutes(records: RecordService, deps: () => ContextDeps): Router {
  const router = Router();
  router.get('/:entity', async (req, res) => {
    const ctx = await contextFor(req, res, deps());
    const q = checkQueryParameters(req, ['format', 'filter', 'sort', 'view', 'fields']);
    const format = (q['format'] ?? 'csv') as keyof typeof formats;
    if (!(format in formats)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/query/format', message: localize({ en: 'must be csv, xlsx or jsonl', zh: '必须是 csv、xlsx 或 jsonl' }, ctx.locale) }]);
    const entity = getEntityOrThrow(ctx, String(req.params['entity']));
    const readable = ctx.policy.readableFields(ctx.principal, entity);
    const requested = parseFieldList(q['fields']);
    const columns = ['id', ...(requested ?? [...entity.fields.keys()]).filter((f) => f !== 'id' && readable.has(f))];
    const query = { ...(q['view'] !== undefined ? { view: q['view'] } : {}), filter: parseJsonParameter(q['filter'], 'filter'), ...(q['sort'] !== undefined ? { sort: q['sort'] } : {}), limit: maxPageSize };
    // The first page before any byte is sent: a bad filter or view is still a 4xx with its pointer.
    let page = await records.list(ctx, entity.name, query);
    res.setHeader('Content-Type', formats[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${entity.name}.${format}"`);
    const pages = async function* () {
      for (;;) {
        yield page.items;
        if (!page.nextCursor) return;
        // Each page within the request budget of its own (CRM_REQUEST_BUDGET_MS): a long export is many reads, not one.
        page = await withFreshBudget(() => records.list(ctx, entity.name, { ...query, cursor: page.nextCursor }));
      }
    };
    if (format === 'jsonl') {
      for await (const items of pages()) for (const item of items) res.write(`${JSON.stringify(Object.fromEntries(columns.filter((c) => item[c] !== undefined).map((c) => [c, item[c]])))}\n`);
      res.end();
    } else if (format === 'csv') {
      const csv = stringify({ header: true, columns, bom: true });
      csv.pipe(res);
      for await (const items of pages()) for (const item of items) if (!csv.write(columns.map((c) => neutralizeCell(cellText(item[c]))))) await new Promise((resolve) => csv.once('drain', resolve));
      csv.end();
    } else {
      // Loaded on first use: exceljs takes a noticeable part of the server's start-up.
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet(entity.name);
      sheet.addRow(columns).commit();
      for await (const items of pages()) for (const item of items) sheet.addRow(columns.map((c) => (typeof item[c] === 'number' || typeof item[c] === 'boolean' ? item[c] : neutralizeCell(cellText(item[c]))))).commit();
      sheet.commit();
      await workbook.commit();
    }
  });
  return router;
}
