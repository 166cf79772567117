// import/: bringing records in from files (CSV, XLSX, JSON Lines) as resumable jobs — mapping,
// cleansing, upsert, dry run, history mode and undo — written through the records' one write path.
// This file: reading a source file as a stream of rows, never the whole file in memory. A row that
// cannot be read (a broken quote, a wrong number of fields, bad JSON) is reported, not fatal.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';

export type SourceFormat = 'csv' | 'jsonl' | 'xlsx';

/** One row of the source: its line (or sheet row) number and its values by column, or why it could not be read. */
export type SourceRow = { line: number; values: Record<string, unknown> } | { line: number; error: string };

/** What reading the file noticed besides rows: line endings, a last line cut short, the columns. */
export interface SourceInfo {
  columns: string[];
  lineEndings: { crlf: number; lf: number; cr: number };
  lastLineUnterminated: boolean;
}

export function formatOf(fileName: string): SourceFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

/** Counts line endings as bytes pass (a file mixing CRLF and LF is named in the report). */
function lineEndingCounter(info: SourceInfo): Transform {
  let previous = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === 0x0a) {
          if (previous === 0x0d) info.lineEndings.crlf++;
          else info.lineEndings.lf++;
        } else if (previous === 0x0d) info.lineEndings.cr++;
        previous = byte;
      }
      done(null, chunk);
    },
    flush(done) {
      if (previous === 0x0d) info.lineEndings.cr++;
      info.lastLineUnterminated = previous !== -1 && previous !== 0x0a && previous !== 0x0d;
      done();
    },
  });
}

export function newSourceInfo(): SourceInfo {
  return { columns: [], lineEndings: { crlf: 0, lf: 0, cr: 0 }, lastLineUnterminated: false };
}

/**
 * The rows of a file. A workbook's number cells are written as text (as a CSV holds them): with
 * `decimalComma` (the mapping reads decimals after a comma) that way too, 1234,5, read back to the very
 * same number; with `typedNumbers` (the wizard's preview, which reads them in either convention) kept
 * as numbers.
 */
export async function* readRows(args: { file: string; format: SourceFormat; info: SourceInfo; delimiter?: string; sheet?: string; decimalComma?: boolean; typedNumbers?: boolean }): AsyncGenerator<SourceRow> {
  if (args.format === 'csv') yield* readCsv(args.file, args.info, args.delimiter);
  else if (args.format === 'jsonl') yield* readJsonLines(args.file, args.info);
  else yield* readXlsx(args.file, args.info, args.sheet, args.typedNumbers ? 'typed' : args.decimalComma ? 'comma' : 'point');
}

const delimiters = [',', ';', '\t', '|'];

/**
 * The delimiter of a CSV file that names none: the candidate found most often outside quotes in its
 * header line (a comma on a tie or none). Spreadsheets saved where the decimal mark is a comma write
 * semicolons; read with commas such a file would be one column holding every header.
 */
export async function sniffDelimiter(file: string): Promise<string> {
  const handle = await open(file, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const counts = new Map(delimiters.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of delimiters) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

async function* readCsv(file: string, info: SourceInfo, given?: string): AsyncGenerator<SourceRow> {
  const delimiter = given ?? (await sniffDelimiter(file));
  const skipped: SourceRow[] = [];
  // Every line ending is a record end: a file with CRLF lines and a few LF lines (edited by hand)
  // would otherwise glue rows together. A line of delimiters only (";;;;", what a spreadsheet
  // writes for a blank row) is blank like an empty line, not a row of missing values.
  const parser = createReadStream(file).pipe(lineEndingCounter(info)).pipe(
    parse({
      bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true, record_delimiter: ['\r\n', '\n', '\r'],
      skip_records_with_error: true, max_record_size: 1_000_000,
      on_skip: (error) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        skipped.push({ line, error: (error as Error | undefined)?.message ?? 'unreadable line' });
      },
    }),
  );
  let header: string[] | undefined;
  for await (const { record, info: where } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    if (!header) {
      header = record.map((c) => c.trim());
      info.columns = header;
      continue;
    }
    if (record.length !== header.length) {
      yield { line: where.lines, error: `has ${record.length} fields; the header has ${header.length}` };
      continue;
    }
    const values: Record<string, unknown> = {};
    header.forEach((column, i) => (values[column] = record[i]));
    yield { line: where.lines, values };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

async function* readJsonLines(file: string, info: SourceInfo): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input: createReadStream(file).pipe(lineEndingCounter(info)), crlfDelay: Infinity });
  const columns = new Set<string>();
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, error: `is not valid JSON: ${(error as Error).message}` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: 'is not a JSON object' };
      continue;
    }
    for (const key of Object.keys(value)) {
      if (columns.size >= 1000 || columns.has(key)) continue;
      columns.add(key);
      info.columns.push(key);
    }
    yield { line, values: value as Record<string, unknown> };
  }
}

type NumberCells = 'point' | 'comma' | 'typed';

function cellText(value: unknown, numbers: NumberCells): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && numbers !== 'point') return numbers === 'typed' ? value : String(value).replace('.', ',');
  // A date cell holds a wall-clock time with no zone (exceljs hands it over as if UTC): written
  // without one, so that a datetime field reads it in the import's time zone or refuses it.
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, -1).replace(/\.000$/, '');
  }
  if (typeof value === 'object') {
    const cell = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; error?: string };
    if (cell.richText) return cell.richText.map((r) => r.text).join('');
    if (cell.result !== undefined) return cellText(cell.result, numbers);
    if (cell.text !== undefined) return cellText(cell.text, numbers);
    if (cell.error) return undefined;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

async function* readXlsx(file: string, info: SourceInfo, sheet: string | undefined, numbers: NumberCells): AsyncGenerator<SourceRow> {
  // Loaded on first use: exceljs takes a noticeable part of the server's start-up.
  const { default: ExcelJS } = await import('exceljs');
  // Styles are read: without their number formats a date cell is a bare serial number (46054).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  for await (const worksheet of reader) {
    const ws = worksheet as unknown as AsyncIterable<{ number: number; values: unknown[] }> & { name?: string };
    if (sheet && ws.name !== sheet) continue;
    let header: string[] | undefined;
    for await (const row of ws) {
      const cells = row.values.slice(1);
      if (!header) {
        header = cells.map((c) => String(cellText(c, 'point') ?? '').trim());
        info.columns = header;
        continue;
      }
      const values: Record<string, unknown> = {};
      header.forEach((column, i) => {
        // An empty cell is an empty value (as in a CSV), not a missing column.
        if (column !== '') values[column] = cellText(cells[i], numbers) ?? '';
      });
      yield { line: row.number, values };
    }
    return; // the first (or the named) sheet only
  }
}
