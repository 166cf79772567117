// GET /api/export/{entity}: the records of a list — the same filter, sort and view parameters as
// GET /api/data/{entity}, only what the caller may read — as CSV, XLSX or JSON Lines, streamed page
// by page. Spreadsheets are for people by default (headers=labels, values=display: field labels,
// option labels, linked records' titles, typed XLSX cells); JSON Lines is for programs (keys and
// raw values); either can be asked for in any format. Spreadsheet text cells starting with
// = + - @ are neutralized (CSV injection); JSON Lines keeps values as they are.

import { Router, type Response } from 'express';
import { stringify } from 'csv-stringify';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, parseFieldList, parseJsonParameter } from '../http/http-helpers.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { localeOfTag, localize, type Locale } from '../kernel/i18n.ts';
import { moneyNumberFormat } from '../kernel/money.ts';
import { localDate, localDateTime } from '../kernel/time-zones.ts';
import { log } from '../kernel/log.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { maxPageSize } from '../records/read-records.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { RecordService } from '../records/record-service.ts';
import type { StoreReader } from '../store/store-port.ts';
import { neutralizeCell } from './neutralize-cells.ts';
import { sheetName } from '../kernel/sheet-name.ts';
import { withFreshBudget } from '../kernel/request-budget.ts';
import { exportColumns, type ExportColumn } from './export-columns.ts';
import { cellText, displayCell, rawCell, resolvePageNames, valueOf, type Cell, type DisplayContext } from './export-values.ts';

const formats = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', jsonl: 'application/x-ndjson' } as const;
type Format = keyof typeof formats;
const choices = {
  format: { values: ['csv', 'xlsx', 'jsonl'], message: { en: 'must be csv, xlsx or jsonl', zh: '必须是 csv、xlsx 或 jsonl' } },
  headers: { values: ['labels', 'keys'], message: { en: 'must be labels or keys', zh: '必须是 labels 或 keys' } },
  values: { values: ['display', 'raw'], message: { en: 'must be display or raw', zh: '必须是 display 或 raw' } },
} as const;

export interface ExportDeps {
  records: RecordService;
  store: StoreReader;
  /** The organisation's zone: the file's date, and the wall-clock time of instants in spreadsheets. */
  timeZone: string;
  /** The organisation's currency (CRM_CURRENCY): amounts whose field names none are written in it. */
  currency: string | undefined;
  context: () => ContextDeps;
}

/** One row as the chosen format writes it. */
type RowWriter = { write(cells: Cell[], item: RecordValues): Promise<void> | void; end(): Promise<void> | void };

export function exportRoutes(deps: ExportDeps): Router {
  const router = Router();
  router.get('/:entity', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['format', 'filter', 'sort', 'view', 'fields', 'headers', 'values', 'lang']);
    const named = localeOfTag(q['lang']);
    const locale: Locale = named ?? ctx.locale;
    const issues: IssueDetail[] = (Object.keys(choices) as (keyof typeof choices)[])
      .filter((name) => q[name] !== undefined && !(choices[name].values as readonly string[]).includes(q[name]!))
      .map((name) => ({ path: `/query/${name}`, message: localize(choices[name].message, locale) }));
    if (q['lang'] !== undefined && !named) issues.push({ path: '/query/lang', message: localize({ en: 'must be en or zh, or a tag of either (en-GB, zh-CN)', zh: '必须是 en 或 zh，或其语言标记（如 en-GB、zh-CN）' }, locale) });
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    const format = (q['format'] ?? 'csv') as Format;
    // Spreadsheets are read by people, JSON Lines by programs.
    const forPeople = format !== 'jsonl';
    const labels = (q['headers'] ?? (forPeople ? 'labels' : 'keys')) === 'labels';
    const display = (q['values'] ?? (forPeople ? 'display' : 'raw')) === 'display';
    const entity = getEntityOrThrow(ctx, String(req.params['entity']));
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    const columns = exportColumns({ ctx, entity, fields: parseFieldList(q['fields']), view: q['view'], locale });
    const query = {
      ...(q['view'] !== undefined ? { view: q['view'] } : {}), filter: parseJsonParameter(q['filter'], 'filter'), ...(q['sort'] !== undefined ? { sort: q['sort'] } : {}),
      fields: [...new Set(columns.map((c) => c.source))], limit: maxPageSize,
    };
    const cellsOf = async (items: RecordValues[]): Promise<Cell[][]> => {
      if (!display) return items.map((item) => columns.map((c) => rawCell(valueOf(c, item))));
      const names = await resolvePageNames({ ctx, records: deps.records, store: deps.store, columns, items, locale, timeZone: deps.timeZone, currency: deps.currency });
      const env: DisplayContext = { model: ctx.model, locale, timeZone: deps.timeZone, currency: deps.currency, names };
      return items.map((item) => columns.map((c) => displayCell(c.type, valueOf(c, item), env)));
    };
    // The first page before any byte is sent: a bad filter or view is still a 4xx with its pointer.
    let page = await deps.records.list(ctx, entity.name, query);
    let cells = await cellsOf(page.items);
    const headers = columns.map((c) => (labels ? c.label : c.key));
    const title = localize(entity.definition.pluralLabel ?? entity.definition.label, locale) || entity.name;
    const date = localDate(ctx.clock.now(), deps.timeZone);
    res.setHeader('Content-Type', formats[format]);
    res.setHeader('Content-Disposition', contentDisposition(`${title} ${date}.${format}`, `${entity.name}-${date}.${format}`));
    // A client that goes away (a closed tab, a cancelled download) ends the export: no 'drain' comes
    // after that, and a handler waiting for one would hold its page for the life of the process.
    const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
    const writer = format === 'jsonl' ? jsonLinesWriter(res, headers, columns, display, gone) : format === 'csv' ? csvWriter(res, headers, { locale, timeZone: deps.timeZone, display }, gone) : await xlsxWriter(res, headers, columns, { title, locale, timeZone: deps.timeZone }, gone);
    let written = 0;
    for (;;) {
      for (let i = 0; i < page.items.length && !res.destroyed; i++, written++) await writer.write(cells[i]!, page.items[i]!);
      if (res.destroyed) return stopped(entity.name, written);
      if (!page.nextCursor) break;
      const cursor = page.nextCursor;
      // Each page within the request budget of its own (CRM_REQUEST_BUDGET_MS): a long export is many reads, not one.
      [page, cells] = await withFreshBudget(async () => {
        const next = await deps.records.list(ctx, entity.name, { ...query, cursor });
        return [next, await cellsOf(next.items)] as const;
      });
    }
    // The last rows may still wait for the client to take them (a CSV's end waits for them all): a
    // client gone meanwhile never does, and the handler would hold its last page for good.
    const ended = await Promise.race([Promise.resolve(writer.end()).then(() => true), gone.then(() => false)]);
    if (!ended) stopped(entity.name, written);
  });
  return router;
}

function stopped(entity: string, written: number): void {
  log.info(`[export] ${entity}: the client went away after ${written} row(s); the export stopped`);
}

/** RFC 6266: an ASCII fallback for old clients and the real name as RFC 5987 UTF-8 (Chinese labels). */
export function contentDisposition(name: string, asciiFallback: string): string {
  // eslint-disable-next-line no-control-regex -- control characters and path separators are what is replaced here
  const clean = name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_');
  const ascii = /^[\u0020-\u007e]*$/.test(clean) ? clean : asciiFallback.replace(/[^\u0020-\u007e]|["\\]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

async function drained(stream: Response | NodeJS.WritableStream, wrote: boolean, gone: Promise<void>): Promise<void> {
  if (!wrote) await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), gone]);
}

function jsonLinesWriter(res: Response, headers: string[], columns: ExportColumn[], display: boolean, gone: Promise<void>): RowWriter {
  const value = (cell: Cell): unknown => {
    switch (cell.t) {
      case 'empty':
        return undefined;
      case 'text':
        return cell.text;
      case 'number':
      case 'money':
      case 'boolean':
        return cell.value;
      case 'date':
        return cell.date;
      case 'datetime':
        return cell.iso;
      case 'texts':
        return cell.items;
    }
  };
  return {
    write: (cells, item) => {
      // Raw values go as the API gives them (objects stay objects); display values as their cells.
      // Every line has every column (null when empty): one shape for the whole file, which the import reads back.
      const entries = columns.map((c, i) => [headers[i]!, (display ? value(cells[i]!) : valueOf(c, item)) ?? null] as const);
      return drained(res, res.write(`${JSON.stringify(Object.fromEntries(entries))}\n`), gone);
    },
    end: () => void res.end(),
  };
}

function csvWriter(res: Response, headers: string[], options: { locale: Locale; timeZone: string; display: boolean }, gone: Promise<void>): RowWriter {
  const csv = stringify({ bom: true });
  csv.pipe(res);
  const text = (cell: Cell): string => {
    // A number is no formula, even a negative one (nor an amount, -€40.00, written from one): only text is neutralized.
    if (cell.t === 'number') return String(cell.value);
    if (cell.t === 'money') return cellText(cell, options.locale, options.timeZone);
    if (cell.t === 'boolean' && !options.display) return String(cell.value);
    return neutralizeCell(cellText(cell, options.locale, options.timeZone));
  };
  csv.write(headers.map(neutralizeCell));
  return {
    write: (cells) => drained(csv, csv.write(cells.map(text)), gone),
    end: () => new Promise<void>((resolve) => csv.end(resolve)),
  };
}

const numberFormats = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss' } as const;
const rowsBetweenTurns = 100;

async function xlsxWriter(res: Response, headers: string[], columns: ExportColumn[], options: { title: string; locale: Locale; timeZone: string }, gone: Promise<void>): Promise<RowWriter> {
  // Loaded on first use: exceljs takes a noticeable part of the server's start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName(options.title, 'Export'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: c.key, width: Math.min(60, Math.max(12, headers[i]!.length + 4, c.type.kind === 'datetime' ? 20 : 0)) }));
  let rows = 0;
  const header = sheet.addRow(headers.map(neutralizeCell));
  header.font = { bold: true };
  header.commit();
  const value = (cell: Cell): unknown => {
    switch (cell.t) {
      case 'empty':
        return null;
      case 'number':
      case 'money':
      case 'boolean':
        return cell.value;
      // Excel's dates have no zone: the date, or the organisation's wall-clock time, as UTC.
      case 'date':
        return new Date(`${cell.date}T00:00:00Z`);
      case 'datetime':
        return new Date(`${(localDateTime(cell.iso, options.timeZone) ?? cell.iso.slice(0, 19))}Z`);
      default:
        return neutralizeCell(cellText(cell, 'en', options.timeZone));
    }
  };
  return {
    write: (cells) => {
      const row = sheet.addRow(cells.map(value));
      cells.forEach((cell, i) => {
        if (cell.t === 'date' || cell.t === 'datetime') row.getCell(i + 1).numFmt = numberFormats[cell.t];
        // Money stays a number a spreadsheet sums, shown with its currency's sign.
        else if (cell.t === 'money') row.getCell(i + 1).numFmt = moneyNumberFormat(options.locale, cell.currency);
      });
      row.commit();
      // exceljs ignores the stream's backpressure, and its zip writes only when the event loop turns:
      // every few rows the loop turns and a full response is waited for — without it a slow client had
      // the server hold the rest of the file (every remaining page, zipped) in memory.
      if (++rows % rowsBetweenTurns !== 0) return;
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => drained(res, !res.writableNeedDrain, gone));
    },
    end: async () => {
      sheet.commit();
      // Its zip waits for a drain a closed connection never gives.
      await Promise.race([workbook.commit(), gone]);
    },
  };
}
