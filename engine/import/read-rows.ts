// import/: bringing records in from files (CSV, XLSX, JSON Lines) as resumable jobs — mapping,
// cleansing, upsert, dry run, history mode and undo — written through the records' one write path.
// This file: reading a source file as a stream of rows, never the whole file in memory. A row that
// cannot be read (a broken quote, a wrong number of fields, bad JSON) is reported, not fatal.

import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, pipeline, Transform, Writable } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { CrmError } from '../kernel/errors.ts';
import { localize, type LocalizedText } from '../kernel/i18n.ts';
import { csvRowText, fieldCountText, jsonLineText, notAnObjectText, type CsvParseError, type ReadText } from './read-messages.ts';
import { notAWorkbook } from './workbook-sheets.ts';
import { checkIsText } from './binary-files.ts';
import { readEastAsianDates } from './east-asian-dates.ts';
import { mergeFiller, sectionHeadingRows, sheetMerges, type MergedRange } from './sheet-merges.ts';
import { restoreNeutralized } from './neutralize-cells.ts';
import { totalsFormula, totalsReason } from './totals-rows.ts';

export type SourceFormat = 'csv' | 'jsonl' | 'xlsx';

/** One row of the source: its line (or sheet row) number and its values by column, or why it could not be read (in every language). */
export type SourceRow = { line: number; values: Record<string, unknown> } | { line: number; error: ReadText };

/** What reading the file noticed besides rows: line endings, a last line cut short, the columns. */
export interface SourceInfo {
  columns: string[];
  lineEndings: { crlf: number; lf: number; cr: number };
  lastLineUnterminated: boolean;
  /** The text encoding read, when it is not UTF-8 (a UTF-16 or GB18030 file saved by a spreadsheet). */
  encoding?: string;
  /** The workbook sheet read (an .xlsx file). */
  sheet?: string;
  /** The line (a workbook's row) the header was read from, once read: below title rows, not the first. */
  headerLine?: number;
  /** The rows read before the header was chosen (the header among them), for a person to choose another. */
  top?: TopRow[];
  /** What the reader changed or skipped to read the file (renamed duplicate columns, rows above the header). */
  notes?: LocalizedText[];
  /** Rows below the header that are no data: blank rows between data rows; a workbook's totals rows and the one-cell notes below the last (the first `maxTotalsListed` listed with why). */
  skipped?: SkippedRows;
}

export interface SkippedRows {
  blank: number;
  totals: number;
  totalsRows: { line: number; reason: LocalizedText }[];
}

/** Totals rows a job lists by line and reason; past these only counted. */
export const maxTotalsListed = 1000;

function skippedOf(info: SourceInfo): SkippedRows {
  return (info.skipped ??= { blank: 0, totals: 0, totalsRows: [] });
}

export function formatOf(fileName: string): SourceFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

/**
 * Counts line endings as bytes pass (a file mixing CRLF and LF is named in the report). In a CSV file
 * (`csv` given: its delimiter) a line break inside a quoted cell is the cell's text, not a row's end,
 * and is not counted: a help desk's export with multi-line descriptions was said to mix line endings.
 */
function lineEndingCounter(info: SourceInfo, csv?: { delimiter: string }): Transform {
  const quote = 0x22;
  const delimiter = csv ? Buffer.from(csv.delimiter)[0]! : -1;
  // Where the byte stands in a CSV record: at a cell's start, in an unquoted cell, in a quoted one,
  // or just after a quote inside a quoted one (the cell's end, or the first of a doubled quote).
  let state: 'start' | 'plain' | 'quoted' | 'quoteInQuoted' = 'start';
  let crOutside = false;
  let last = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        last = byte;
        const newline = byte === 0x0a || byte === 0x0d;
        if (csv) {
          if (state === 'quoted') {
            if (byte === quote) state = 'quoteInQuoted';
            crOutside = false;
            continue;
          }
          if (state === 'quoteInQuoted' && byte === quote) {
            state = 'quoted';
            continue;
          }
          state = newline || byte === delimiter ? 'start' : state === 'start' && byte === quote ? 'quoted' : 'plain';
        }
        if (byte === 0x0a) {
          if (crOutside) info.lineEndings.crlf++;
          else info.lineEndings.lf++;
        } else if (crOutside) info.lineEndings.cr++;
        crOutside = byte === 0x0d;
      }
      done(null, chunk);
    },
    flush(done) {
      if (crOutside) info.lineEndings.cr++;
      info.lastLineUnterminated = last !== -1 && last !== 0x0a && last !== 0x0d;
      done();
    },
  });
}

export function newSourceInfo(): SourceInfo {
  return { columns: [], lineEndings: { crlf: 0, lf: 0, cr: 0 }, lastLineUnterminated: false };
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

const encodingNames: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', gb18030: 'GB18030 (GBK)' };

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence; -1 when none (a sequence cut by the end counts as whole). */
function firstBadUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    if (need > 0 && !isUtf8(bytes.subarray(i, i + need + 1))) return i; // overlong or surrogate
    i += need + 1;
  }
  return -1;
}

function notUtf8(bytes: Buffer, offset: number, linesBefore: number): CrmError {
  let line = linesBefore + 1;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < offset; at = bytes.indexOf(0x0a, at + 1)) line++;
  const byte = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')}`;
  return new CrmError('BAD_REQUEST', {
    en: `The file is not UTF-8 text (byte ${byte} on line ${line}), nor UTF-16 with a byte-order mark, nor GB18030/GBK: nothing was imported. Save it as "CSV UTF-8" (Excel: Save As → CSV UTF-8) and upload it again.`,
    zh: `文件不是 UTF-8 文本（第 ${line} 行的字节 ${byte}），也不是带字节顺序标记的 UTF-16 或 GB18030/GBK：未导入任何数据。请另存为「CSV UTF-8」（Excel：另存为 → CSV UTF-8）后重新上传。`,
  });
}

/** UTF-16 without a byte-order mark: every other byte zero, on the same side throughout. */
function looksUtf16(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(Math.floor(head.length / 2), 512);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZeros++;
    if (head[2 * i + 1] === 0) oddZeros++;
  }
  if (pairs >= 2 && oddZeros > pairs * 0.3 && evenZeros === 0) return 'utf-16le';
  if (pairs >= 2 && evenZeros > pairs * 0.3 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/**
 * The encoding of a text file, from its first 64 KiB: a byte-order mark; UTF-16 without one (every
 * other byte zero); UTF-8 when well formed; else GB18030 (what Excel on Chinese Windows saves as
 * "CSV") when it decodes as such and holds Chinese text. Anything else is refused, naming the byte:
 * read as UTF-8 it would import as mojibake without a single rejected row.
 */
export async function detectEncoding(file: string): Promise<TextEncoding> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || looksUtf16(head) !== undefined;
  checkIsText({ head, extension: path.extname(file).toLowerCase(), utf16 });
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const withoutMark = looksUtf16(head);
  if (withoutMark) return withoutMark;
  const bad = firstBadUtf8(head);
  if (bad === -1) return 'utf-8';
  // Well-formed UTF-8 before the bad byte (Chinese in UTF-8, then one Latin-1 line pasted in) is a
  // broken UTF-8 file: read as GB18030 its Chinese would turn into other, wrong, Chinese.
  if (head.subarray(0, bad).some((b) => b >= 0x80)) throw notUtf8(head, bad, 0);
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(head, { stream: true });
    if (/[\u3400-\u9fff]/u.test(text)) return 'gb18030';
  } catch {
    // not GB18030 either: refused below
  }
  throw notUtf8(head, bad, 0);
}

/**
 * Hands the file on as UTF-8 without its byte-order mark: other encodings decoded, UTF-8 checked
 * as it passes (a bad byte past the first 64 KiB fails the read, naming its line, instead of
 * importing replacement characters).
 */
function toUtf8(encoding: TextEncoding): Transform {
  let lines = 0;
  if (encoding !== 'utf-8') {
    const decoder = new TextDecoder(encoding, { fatal: true });
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        try {
          done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
        } catch {
          done(new CrmError('BAD_REQUEST', { en: `The file is not valid ${encodingNames[encoding]} text: nothing was imported. Save it as "CSV UTF-8" and upload it again.`, zh: `文件不是有效的 ${encodingNames[encoding]} 文本：未导入任何数据。请另存为「CSV UTF-8」后重新上传。` }));
        }
      },
      flush(done) {
        done(null, Buffer.from(decoder.decode(), 'utf8'));
      },
    });
  }
  let carry = Buffer.alloc(0);
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      if (first) {
        first = false;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      // A sequence cut by the chunk's end waits for the next chunk.
      let cut = data.length;
      for (let back = 1; back <= 3 && back <= data.length; back++) {
        const b = data[data.length - back]!;
        if ((b & 0xc0) === 0x80) continue;
        const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        if (need > back) cut = data.length - back;
        break;
      }
      const whole = data.subarray(0, cut);
      carry = Buffer.from(data.subarray(cut));
      if (!isUtf8(whole)) return done(notUtf8(whole, Math.max(0, firstBadUtf8(whole)), lines));
      for (let at = whole.indexOf(0x0a); at !== -1; at = whole.indexOf(0x0a, at + 1)) lines++;
      done(null, whole);
    },
    flush(done) {
      if (carry.length > 0) return done(notUtf8(carry, 0, lines));
      done();
    },
  });
}

/**
 * The file as a stream of UTF-8 bytes, whatever it was saved in (`info.encoding` names any other),
 * through `then`: a pipeline, so a bad byte fails the last stream instead of leaving it waiting.
 */
async function textStream<T extends NodeJS.WritableStream & NodeJS.ReadableStream>(file: string, info: SourceInfo, then: T, csv?: { delimiter: string }): Promise<T> {
  const encoding = await detectEncoding(file);
  if (encoding !== 'utf-8') info.encoding = encodingNames[encoding];
  return pipeline(createReadStream(file), toUtf8(encoding), lineEndingCounter(info, csv), then, () => {}) as unknown as T;
}

/** Reads the whole file through its decoder: throws the refusal a bad byte anywhere in it would cause. */
export async function checkEncoding(file: string): Promise<void> {
  const encoding = await detectEncoding(file);
  await pipelinePromise(createReadStream(file), toUtf8(encoding), new Writable({ write: (_chunk, _encoding, done) => done() }));
}

/**
 * The rows of a file. A workbook's number cells are written as text (as a CSV holds them): with
 * `decimalComma` (the mapping reads decimals after a comma) that way too, 1234,5, read back to the very
 * same number; with `typedNumbers` (the wizard's preview, which reads them in either convention) kept
 * as numbers.
 */
export async function* readRows(args: { file: string; format: SourceFormat; info: SourceInfo; typedNumbers?: boolean } & ReadOptions): AsyncGenerator<SourceRow> {
  if (args.format === 'csv') yield* readCsv(args.file, args.info, args.delimiter, args.headerRow);
  else if (args.format === 'jsonl') yield* readJsonLines(args.file, args.info);
  else yield* readXlsx(args.file, args.info, args.sheet, args.typedNumbers ? 'typed' : args.decimalComma ? 'comma' : 'point', args.headerRow);
}

/** How a file is read, as its mapping says: a CSV file's delimiter, a workbook's sheet and number cells, the header's line. */
export interface ReadOptions {
  delimiter?: string;
  sheet?: string;
  /** The line (a workbook's row) holding the column names; absent: found below any title lines. */
  headerRow?: number;
  /** A workbook's number cells written with a decimal comma. */
  decimalComma?: boolean;
}

/** The read options set in `from` (a mapping's, a job's, a worker's input), without the others. */
export function readOptionsOf(from: { delimiter?: string | undefined; sheet?: string | undefined; headerRow?: number | undefined; decimalSeparator?: string | undefined; decimalComma?: boolean | undefined }): ReadOptions {
  return {
    ...(from.delimiter ? { delimiter: from.delimiter } : {}),
    ...(from.sheet ? { sheet: from.sheet } : {}),
    ...(from.headerRow !== undefined ? { headerRow: from.headerRow } : {}),
    ...(from.decimalComma || from.decimalSeparator === ',' ? { decimalComma: true } : {}),
  };
}

/** The first rows of a file as read before its header was chosen, for a person to choose another (the wizard). */
export interface TopRow {
  line: number;
  /** Its first cells' texts, each cut short. */
  cells: string[];
}

const topCells = 12;
const topCellLength = 60;

function noteTop(info: SourceInfo, rows: { line: number; cells: readonly unknown[] }[]): void {
  info.top = rows.map((row) => ({ line: row.line, cells: Array.from(row.cells.slice(0, topCells), (c) => String(c ?? '').trim().slice(0, topCellLength)) }));
}

/**
 * The header line asked for is blank, or past the last line read: said in words (a job's failure,
 * its mapping named the line); `atRequest()` is the same refusal of a request's `headerRow`.
 */
export class NoHeaderAt extends CrmError {
  readonly detail: LocalizedText;

  constructor(line: number, workbook: boolean) {
    const where = workbook
      ? { en: `row ${line} of the sheet is blank or past its last row`, zh: `工作表第 ${line} 行为空或超出最后一行` }
      : { en: `line ${line} of the file is blank or past its last line`, zh: `文件第 ${line} 行为空或超出最后一行` };
    super('BAD_REQUEST', { en: `The header cannot be read: ${where.en}`, zh: `无法读取表头：${where.zh}` });
    this.detail = { en: `${where.en}: it cannot be the header`, zh: `${where.zh}，不能作为表头` };
  }

  atRequest(): CrmError {
    return new CrmError('BAD_REQUEST', this.text, [{ path: '/headerRow', message: localize(this.detail, 'en'), text: this.detail }]);
  }
}

const delimiters = [',', ';', '\t', '|'];

/**
 * The delimiter of a CSV file that names none: the candidate found most often outside quotes in its
 * header line (a comma on a tie or none) — the first line, or below title lines holding none, the
 * first line holding one as often as a later line does. Spreadsheets saved where the decimal mark
 * is a comma write semicolons; read with commas such a file would be one column holding every header.
 */
export async function sniffDelimiter(file: string, headerRow?: number): Promise<string> {
  const encoding = await detectEncoding(file);
  const handle = await open(file, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = new TextDecoder(encoding).decode(buffer.subarray(0, bytesRead), { stream: true });
  } finally {
    await handle.close();
  }
  // The delimiters outside quotes on each of the first lines (a quoted line break is no line's end).
  const lines: Map<string, number>[] = [new Map(delimiters.map((d) => [d, 0]))];
  let quoted = false;
  let previous = '';
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (!(ch === '\n' && previous === '\r')) {
        if (lines.length >= Math.max(10, headerRow ?? 0)) break;
        lines.push(new Map(delimiters.map((d) => [d, 0])));
      }
    } else if (!quoted && lines.at(-1)!.has(ch)) lines.at(-1)!.set(ch, lines.at(-1)!.get(ch)! + 1);
    previous = ch;
  }
  const mostOf = (counts: Map<string, number>) => delimiters.reduce((best, d) => (counts.get(d)! > counts.get(best)! ? d : best), ',');
  const chosen = headerRow !== undefined ? lines[headerRow - 1] : undefined;
  if (chosen && [...chosen.values()].some((n) => n > 0)) return mostOf(chosen);
  if ([...lines[0]!.values()].some((n) => n > 0)) return mostOf(lines[0]!);
  // A title above the header ("客户资料", an export date) often holds no delimiter: the first line
  // holding one is the header when a line below holds as many — not so a one-column file's value
  // with a semicolon in it, which would split every such value in two.
  for (let i = 1; i < lines.length; i++) {
    const best = mostOf(lines[i]!);
    const count = lines[i]!.get(best)!;
    if (count > 0 && lines.slice(i + 1).some((line) => line.get(best) === count)) return best;
  }
  return ',';
}

async function* readCsv(file: string, info: SourceInfo, given?: string, headerRow?: number): AsyncGenerator<SourceRow> {
  const delimiter = given ?? (await sniffDelimiter(file, headerRow));
  // Refused rows wait here for the next record read; their reason is worded as they leave, once
  // the header (which names the column) has been read.
  const skipped: { line: number; error: CsvParseError }[] = [];
  let unreadable: { line: number; quote: boolean } | undefined;
  let lastRecordLine = 0;
  // One refused record can be reported more than once (a stray quote: where it is found, and again
  // at the record's end, still inside the quote): one rejected row per line, with the first reason.
  let lastSkipped = -1;
  const skip = (line: number, error: unknown) => {
    if (line === lastSkipped) return;
    lastSkipped = line;
    skipped.push({ line, error: (error ?? {}) as CsvParseError });
  };
  const cannotRead = ({ line, quote }: { line: number; quote: boolean }) =>
    new CrmError('BAD_REQUEST', quote
      ? {
        en: `The record starting on line ${line - extra} opens a quote that is never closed: the rows from it on cannot be read. Fix that line and import the file again.`,
        zh: `从第 ${line - extra} 行开始的记录中有未闭合的引号：从该行起的数据无法读取。请修正该行后重新导入。`,
      }
      : {
        en: `The record starting on line ${line - extra} is longer than 1,000,000 characters (a quote left open, or a cell too large): the rows from it on cannot be read. Fix that line and import the file again.`,
        zh: `从第 ${line - extra} 行开始的记录超过 1,000,000 个字符（引号未闭合或单元格过大）：从该行起的数据无法读取。请修正该行后重新导入。`,
      });
  // Every line ending is a record end: a file with CRLF lines and a few LF lines (edited by hand)
  // would otherwise glue rows together. A line of delimiters only (";;;;", what a spreadsheet
  // writes for a blank row) is blank like an empty line, not a row of missing values.
  const parser = await textStream(file, info,
    parse({
      // raw: an unclosed quote's error carries the text it swallowed (one last line, or rows after it).
      bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true, raw: true, record_delimiter: ['\r\n', '\n', '\r'],
      skip_records_with_error: true, max_record_size: 1_000_000,
      on_skip: (error) => {
        const line = (error as { lines?: number } | undefined)?.lines ?? 0;
        // Past max_record_size the parser stays inside the record, reporting it again for every
        // chunk it reads (a 10 MB cell: 139 rejected "rows") and swallowing every row after it
        // without a word: the rows from that line on cannot be read, and the job says so.
        // A quote never closed swallows the rest of the file the same way, into one "row".
        const code = (error as { code?: string } | undefined)?.code;
        // A quote left open on the last line swallows nothing but that line: a row that cannot be read, like any other.
        const lastLineOnly = code === 'CSV_QUOTE_NOT_CLOSED' && !/[\r\n]/.test(((error as { raw?: string }).raw ?? '\n').trimEnd());
        if (lastLineOnly) {
          skip(lastRecordLine + 1, error);
          return;
        }
        if (code === 'CSV_MAX_RECORD_SIZE' || code === 'CSV_QUOTE_NOT_CLOSED') {
          unreadable ??= { line: lastRecordLine + 1, quote: code === 'CSV_QUOTE_NOT_CLOSED' };
          return;
        }
        skip(line, error);
      },
    }),
    { delimiter },
  );
  let header: string[] | undefined;
  const unnamed = unnamedColumnNotice(info);
  const refused = (row: { line: number; error: CsvParseError }, shift = extra): SourceRow => ({ line: row.line - shift, error: csvRowText(row.error, header) });
  const rowOf = (line: number, record: string[], columns: string[]): SourceRow => {
    if (record.length !== columns.length) return { line, error: fieldCountText(record.length, columns.length) };
    const values: Record<string, unknown> = {};
    // What an export defused ('=…) is read back as it was.
    columns.forEach((column, i) => {
      if (column === '') unnamed(i, record[i]);
      else values[column] = restoreNeutralized(record[i]!);
    });
    return { line, values };
  };
  // Lines above the header — an ERP's report title, an export date, saved from a sheet as "Title,,,,"
  // — are read into a short window first, as a workbook's rows are: the header is the first line
  // filled at least half as wide as the widest of the window. Taking the title as the header made
  // the file one column and refused every row.
  const window: { line: number; record: string[]; before: number; end: number }[] = [];
  // Blank lines (and lines of delimiters only) between the header and a record: the lines between
  // the last record's end and this one's start, less any record refused meanwhile (one line each).
  let lastEnd = 0;
  let refusedSince = 0;
  const countBlank = (line: number, end: number) => {
    const blank = line - lastEnd - 1 - refusedSince;
    if (blank > 0) skippedOf(info).blank += blank;
    lastEnd = end;
    refusedSince = 0;
  };
  const filled = (record: string[]) => record.filter((v) => v.trim() !== '').length;
  const start = function* (): Generator<SourceRow> {
    noteTop(info, window.map((r) => ({ line: r.line, cells: r.record })));
    // A row split by unquoted commas ("1 Main St, Springfield, IL") into more fields than the table
    // has is a row to refuse, not the table's width: measured against it, the header would be
    // skipped as a title and that row taken as the header.
    const width = tableWidth(window.map((r) => r.record.length));
    const widest = Math.max(...window.filter((r) => r.record.length <= width).map((r) => filled(r.record)));
    // A line with fewer fields than the table — a title of a few cells saved without padding (its
    // name, who exported it, when) — is the header only when filled as much as any line (a header
    // the rows' trailing delimiters make narrower); else half as filled made it the header.
    // A header line chosen (a title as wide as the table looks like a header) is taken as it is.
    const at = headerRow !== undefined
      ? window.findIndex((r) => r.line === headerRow)
      : window.findIndex((r) => filled(r.record) * 2 > widest && (r.record.length >= width || filled(r.record) >= widest));
    if (at < 0) throw new NoHeaderAt(headerRow!, false);
    const top = window[at]!;
    // Lines above a chosen header that could not be read are above the table, not rows of it.
    if (headerRow !== undefined) while (skipped.length > 0 && skipped[0]!.line - extra <= top.line) skipped.shift();
    header = distinctColumns(top.record.map((c) => restoreNeutralized(c.trim())), info);
    info.columns = namedColumns(header);
    info.headerLine = top.line;
    if (at > 0) (info.notes ??= []).push({ en: `the header is on line ${top.line}; ${at} line(s) above it were skipped`, zh: `表头在第 ${top.line} 行，其上 ${at} 行已跳过` });
    lastEnd = top.end;
    for (const row of window.slice(at + 1)) {
      // Lines that could not be read, in their place among the window's rows.
      // Each corrected by the multi-line cells above it alone, not by those of the window's later rows.
      while (skipped.length > 0 && skipped[0]!.line - row.before < row.line) {
        refusedSince++;
        yield refused(skipped.shift()!, row.before);
      }
      countBlank(row.line, row.end);
      yield rowOf(row.line, row.record, header);
    }
    window.length = 0;
  };
  // csv-parse counts a CRLF inside a quoted field as two lines and reports the line a record ends
  // on: the line of a row is corrected for both, else every row after a multi-line note drifts.
  let extra = 0;
  for await (const { record, info: where } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (unreadable) throw cannotRead(unreadable);
    lastRecordLine = where.lines;
    // Not before the header is read: it names their columns (the parser reads ahead of this loop).
    while (header && skipped.length > 0) {
      refusedSince++;
      yield refused(skipped.shift()!);
    }
    const before = extra;
    let inner = 0;
    for (const value of record) {
      if (!value.includes('\n') && !value.includes('\r')) continue;
      const crlf = value.split('\r\n').length - 1;
      extra += crlf;
      inner += (value.match(/\r\n|\r|\n/g) ?? []).length;
    }
    const line = where.lines - extra - inner;
    const end = where.lines - extra;
    if (header) {
      countBlank(line, end);
      yield rowOf(line, record, header);
      continue;
    }
    window.push({ line, record, before, end });
    // A chosen header's line is read, and the lines below it that a person choosing another would see.
    if (window.length >= 10 && (headerRow === undefined || line >= headerRow)) yield* start();
  }
  if (!header && window.length > 0) yield* start();
  if (!header && headerRow !== undefined) throw new NoHeaderAt(headerRow, false);
  if (unreadable) throw cannotRead(unreadable);
  while (skipped.length > 0) yield refused(skipped.shift()!);
}

/**
 * The number of fields of a table's lines: the count most of the first lines share (the fewer on a
 * tie), a one-field line (a title saved without padding) not counting unless all are.
 */
function tableWidth(fieldCounts: readonly number[]): number {
  const counted = fieldCounts.some((n) => n > 1) ? fieldCounts.filter((n) => n > 1) : fieldCounts;
  const times = new Map<number, number>();
  for (const n of counted) times.set(n, (times.get(n) ?? 0) + 1);
  let width = Infinity;
  let most = 0;
  for (const [n, count] of times) if (count > most || (count === most && n < width)) [width, most] = [n, count];
  return width;
}

/**
 * The columns a mapping may name: a header cell left empty (the trailing commas of many exports, a
 * spreadsheet's unlabelled column) names none — listing it would offer the wizard nameless columns.
 */
function namedColumns(header: readonly string[]): string[] {
  return header.filter((column) => column !== '');
}

/** Says once per column, in the job's notices, that a column without a name holds values it does not read. */
function unnamedColumnNotice(info: SourceInfo): (index: number, cell: unknown) => void {
  const said = new Set<number>();
  return (index, cell) => {
    if (said.has(index) || cell === undefined || cell === null || String(cell).trim() === '') return;
    said.add(index);
    (info.notes ??= []).push({ en: `column ${index + 1} has no name in the header: its values are not read (name it to import them)`, zh: `第 ${index + 1} 列在表头中没有名称：其值不会被读取（为其命名后才能导入）` });
  };
}

/**
 * Columns named alike ("备注" twice, a spreadsheet's "Notes" and "notes ") each keep their values:
 * the second becomes "备注 (2)", said in the job's notices, instead of silently overwriting the first.
 */
function distinctColumns(header: string[], info: SourceInfo): string[] {
  const taken = new Set(header);
  const seen = new Map<string, number>();
  return header.map((column, i) => {
    if (column === '') return column;
    const count = (seen.get(column) ?? 0) + 1;
    seen.set(column, count);
    if (count === 1) return column;
    let n = count;
    while (taken.has(`${column} (${n})`)) n++;
    const renamed = `${column} (${n})`;
    taken.add(renamed);
    (info.notes ??= []).push({ en: `column ${i + 1} is named "${column}" like an earlier one: read as "${renamed}"`, zh: `第 ${i + 1} 列与前面的列同名「${column}」：按「${renamed}」读取` });
    return renamed;
  });
}

/**
 * The keys of the first objects of a JSON Lines file. An exporter leaves out a key whose value is
 * null, so a key seen on a later line is a column of every line: left out, it reads as null
 * instead of "the file has no column".
 */
async function jsonKeys(file: string, limit: number): Promise<string[]> {
  const input = await textStream(file, newSourceInfo(), new PassThrough());
  const keys = new Set<string>();
  let read = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      if (++read > limit || keys.size >= 1000) break;
      try {
        const value = JSON.parse(text) as unknown;
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const key of Object.keys(value)) keys.add(key);
      } catch {
        // reported by the reading proper
      }
    }
  } finally {
    input.destroy();
  }
  return [...keys];
}

async function* readJsonLines(file: string, info: SourceInfo): AsyncGenerator<SourceRow> {
  const columns = new Set<string>(await jsonKeys(file, 10_000));
  info.columns.push(...columns);
  const input = await textStream(file, info, new PassThrough());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  // Blank lines are counted once a line below them holds data (not the blank lines an editor leaves at the end).
  let blank = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') {
      blank++;
      continue;
    }
    if (blank > 0) skippedOf(info).blank += blank;
    blank = 0;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, error: jsonLineText((error as Error).message) };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, error: notAnObjectText };
      continue;
    }
    for (const key of Object.keys(value)) {
      if (columns.size >= 1000 || columns.has(key)) continue;
      columns.add(key);
      info.columns.push(key);
    }
    const values = value as Record<string, unknown>;
    for (const column of columns) if (!(column in values)) values[column] = null;
    yield { line, values };
  }
}

type NumberCells = 'point' | 'comma' | 'typed';

/** The day exceljs dates a cell holding a time of day alone (a serial number below 1). */
const excelDayZero = '1899-12-30T';

function cellText(value: unknown, numbers: NumberCells): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && numbers !== 'point') return numbers === 'typed' ? value : String(value).replace('.', ',');
  // A date cell holds a wall-clock time with no zone (exceljs hands it over as if UTC): written
  // without one, so that a datetime field reads it in the import's time zone or refuses it.
  if (value instanceof Date) {
    const iso = value.toISOString();
    // A time of day (a cell formatted h:mm, or East Asian Excel's 9时30分) is a fraction of a day:
    // exceljs dates it on Excel's day zero. Read as what it shows, 09:30, not 1899-12-30T09:30:00.
    if (iso.startsWith(excelDayZero)) return iso.slice(11, 19).replace(/:00$/, '');
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

async function* readXlsx(file: string, info: SourceInfo, sheet: string | undefined, numbers: NumberCells, headerRow?: number): AsyncGenerator<SourceRow> {
  // Loaded on first use: exceljs takes a noticeable part of the server's start-up.
  const { default: ExcelJS } = await import('exceljs');
  // Styles are read: without their number formats a date cell is a bare serial number (46054).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  readEastAsianDates(reader);
  const names: string[] = [];
  const passed: string[] = [];
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as AsyncIterable<{ number: number; values: unknown[] }> & { name?: string };
      names.push(ws.name ?? '');
      if (sheet && ws.name !== sheet) continue;
      // Named as soon as its rows are read (a reader may stop before the sheet's end).
      info.sheet = ws.name ?? '';
      // Rows before the header — a report title, an export date, merged banner cells — are read
      // into a short window first: the header is the first row filled at least half as wide as the
      // widest row of the window. Taking the title as the header would reject every row.
      const window: { number: number; cells: unknown[]; filled: number }[] = [];
      let header: string[] | undefined;
      const unnamed = unnamedColumnNotice(info);
      let rows = 0;
      const merged = new Set<string>();
      const ranges = await sheetMerges(file, ws.name ?? '');
      const fill = mergeFiller(ranges, merged);
      let headings = new Map<number, MergedRange>();
      // The first few headings left out are named; the rest only counted.
      const headingsSkipped = { shown: [] as { row: number; text: string }[], count: 0 };
      /** A section heading between the data rows (one filled cell, merged across the row): left out, and said. */
      const isHeading = (number: number, cells: unknown[], filled: number): boolean => {
        const range = filled === 1 ? headings.get(number) : undefined;
        if (!range) return false;
        const text = cellText(cells[range.left - 1], 'point');
        if (text === undefined || String(text).trim() === '') return false;
        if (headingsSkipped.count++ < headingsNamed) headingsSkipped.shown.push({ row: number, text: String(text).trim() });
        return true;
      };
      // Rows below the header that are no data: blank rows (counted where data follows them — a
      // sheet formatted far below its data has no blank rows) and totals rows (by their formulas).
      let lastRow = 0;
      /** True for a totals row (left out, listed with its formula); counts the blank rows above any row read below the header. */
      const isTotals = (number: number, cells: unknown[]): boolean => {
        if (number - lastRow > 1) skippedOf(info).blank += number - lastRow - 1;
        lastRow = number;
        const totals = totalsFormula(cells);
        if (!totals) return false;
        listSkipped(number, totalsReason(totals));
        return true;
      };
      const listSkipped = (line: number, reason: LocalizedText) => {
        const skipped = skippedOf(info);
        if (skipped.totals++ < maxTotalsListed) skipped.totalsRows.push({ line, reason });
      };
      // One-cell rows below a totals row ("数据截至 2025-06-30", "制表人：王芳") wait: rows of data
      // below them make them rows of data too; at the sheet's end they are its footnotes, left out.
      let belowTotals = false;
      const held: { number: number; cells: unknown[] }[] = [];
      /** The rows of a row read below the header: none for a totals row, a heading or a held one-cell row; a row of data with the rows it releases. */
      const below = function* (number: number, cells: unknown[], filled: number): Generator<SourceRow> {
        if (isTotals(number, cells)) {
          belowTotals = true;
          yield* release();
          return;
        }
        if (isHeading(number, cells, filled)) return;
        if (belowTotals && filled === 1) {
          held.push({ number, cells });
          return;
        }
        belowTotals = false;
        yield* release();
        rows++;
        yield valuesOf(header!, number, fill(number, cells), numbers, unnamed);
      };
      const release = function* (): Generator<SourceRow> {
        for (const row of held.splice(0)) {
          rows++;
          yield valuesOf(header!, row.number, fill(row.number, row.cells), numbers, unnamed);
        }
      };
      const start = function* (): Generator<SourceRow> {
        noteTop(info, window.map((r) => ({ line: r.number, cells: Array.from(r.cells, (c) => cellText(c, 'point')) })));
        const widest = Math.max(...window.map((r) => r.filled));
        // A header row chosen (a title merged across the table looks like a header) is taken as it is.
        const at = headerRow !== undefined ? window.findIndex((r) => r.number === headerRow) : window.findIndex((r) => r.filled * 2 > widest);
        if (at < 0) throw new NoHeaderAt(headerRow!, true);
        const top = window[at]!;
        // Array.from, not map: a sheet row is sparse, and a hole (an empty header cell) is a column too.
        header = distinctColumns(Array.from(top.cells, (c) => restoreNeutralized(String(cellText(c, 'point') ?? '').trim())), info);
        info.columns = namedColumns(header);
        headings = sectionHeadingRows(ranges, header.length);
        info.headerLine = top.number;
        if (at > 0) (info.notes ??= []).push({ en: `sheet "${ws.name}": the header is on row ${top.number}; ${at} row(s) above it were skipped`, zh: `工作表「${ws.name}」：表头在第 ${top.number} 行，其上 ${at} 行已跳过` });
        lastRow = top.number;
        for (const row of window.slice(at + 1)) yield* below(row.number, row.cells, row.filled);
      };
      for await (const row of ws) {
        const cells = row.values.slice(1);
        const filled = cells.filter((c) => { const text = cellText(c, 'point'); return text !== undefined && String(text).trim() !== ''; }).length;
        if (filled === 0) continue; // a blank (or only formatted) row
        if (header) {
          yield* below(row.number, cells, filled);
          continue;
        }
        window.push({ number: row.number, cells, filled });
        // A chosen header's row is read, and the rows below it that a person choosing another would see.
        if (window.length >= 10 && (headerRow === undefined || row.number >= headerRow)) yield* start();
      }
      // A sheet whose rows all lie above a chosen header row has no table there: as a sheet without rows.
      if (!header && window.length > 0 && (headerRow === undefined || window.at(-1)!.number >= headerRow)) yield* start();
      if (!header && headerRow !== undefined && sheet) throw new NoHeaderAt(headerRow, true);
      // One-cell rows below the last totals row: the sheet's footnotes.
      for (const note of held.splice(0)) {
        const text = String(note.cells.map((c) => cellText(c, 'point')).find((t) => t !== undefined && String(t).trim() !== '') ?? '').trim().slice(0, 60);
        listSkipped(note.number, { en: `a note below the totals row ("${text}")`, zh: `合计行下方的备注（「${text}」）` });
      }
      // Unnamed, a sheet without data rows (a cover sheet, a notes sheet) gives way to the next.
      if (!sheet && rows === 0) {
        passed.push(ws.name ?? '');
        delete info.sheet;
        delete info.headerLine;
        delete info.top;
        delete info.skipped;
        info.columns = [];
        info.notes = (info.notes ?? []).filter((n) => typeof n === 'string' || !n.en?.startsWith(`sheet "${ws.name}"`));
        continue;
      }
      if (merged.size > 0) (info.notes ??= []).push(mergedNotice(ws.name ?? '', [...merged]));
      if (headingsSkipped.count > 0) (info.notes ??= []).push(headingsNotice(ws.name ?? '', headingsSkipped));
      if (passed.length > 0) (info.notes ??= []).push({ en: `read sheet "${ws.name}"; before it ${passed.map((n) => `"${n}"`).join(', ')} had no rows below a header`, zh: `读取工作表「${ws.name}」；其前的${passed.map((n) => `「${n}」`).join('、')}表头下没有数据行` });
      return; // the first sheet with rows (or the named sheet) only
    }
  } catch (error) {
    if (error instanceof CrmError) throw error;
    throw notAWorkbook((error as Error).message);
  }
  // A job's failure (its mapping names the sheet): said in words, no request pointer to name.
  if (sheet) throw noSuchSheet(sheet, names, false);
  if (headerRow !== undefined && passed.length > 0) throw new NoHeaderAt(headerRow, true);
}

/** Section headings a notice names by row and text before it only counts the rest. */
const headingsNamed = 5;

/** Says which rows were left out as section headings (the first few, then how many more). */
function headingsNotice(sheet: string, skipped: { shown: { row: number; text: string }[]; count: number }): LocalizedText {
  const more = skipped.count - skipped.shown.length;
  const shown = skipped.shown.map((h) => `${h.row} ("${h.text.slice(0, 40)}")`).join(', ') + (more > 0 ? ` +${more}` : '');
  const shownZh = skipped.shown.map((h) => `${h.row}（「${h.text.slice(0, 40)}」）`).join('、') + (more > 0 ? ` 等 ${skipped.count} 行` : '');
  return {
    en: `sheet "${sheet}": row(s) ${shown} are section headings (one merged cell across the row) and were not imported`,
    zh: `工作表「${sheet}」：第 ${shownZh} 行是分节标题（整行合并为一个单元格），未导入`,
  };
}

/** Says which merged ranges were read into each row they span (the first few, then how many more). */
function mergedNotice(sheet: string, refs: string[]): LocalizedText {
  const shown = refs.slice(0, 5).join(', ') + (refs.length > 5 ? ` (+${refs.length - 5})` : '');
  return { en: `sheet "${sheet}": merged cells ${shown} read as their first cell\u2019s value in each row they span`, zh: `工作表「${sheet}」：合并单元格 ${shown} 的值按其首个单元格读入所跨的每一行` };
}

/** A sheet the workbook does not have, naming the sheets it has; `pointer`: with a `/sheet` detail (a request's `sheet`). */
export function noSuchSheet(sheet: string, names: readonly string[], pointer = true): CrmError {
  const list = names.map((n) => `"${n}"`).join(', ');
  const listZh = names.map((n) => `「${n}」`).join('、');
  const detail = { en: `is not a sheet of the workbook (its sheets: ${list})`, zh: `不是该工作簿中的工作表（现有：${listZh}）` };
  return new CrmError('BAD_REQUEST', { en: `The workbook has no sheet "${sheet}" (its sheets: ${list})`, zh: `工作簿中没有工作表「${sheet}」（现有：${listZh}）` }, pointer ? [{ path: '/sheet', message: detail.en, text: detail }] : []);
}

/** A sheet row by column; an empty cell is an empty value of its column (the column is there). */
function valuesOf(header: string[], line: number, cells: unknown[], numbers: NumberCells, unnamed: (index: number, cell: unknown) => void): SourceRow {
  const values: Record<string, unknown> = {};
  header.forEach((column, i) => {
    if (column === '') return unnamed(i, cellText(cells[i], numbers));
    const value = cellText(cells[i], numbers) ?? '';
    values[column] = typeof value === 'string' ? restoreNeutralized(value) : value;
  });
  return { line, values };
}
