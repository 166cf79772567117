// The merged cells of one worksheet of an .xlsx workbook. Excel shows a merged cell's value over its
// whole range but stores it in the first cell alone, and lists the merges after the sheet's rows,
// where a streaming reader comes too late for them: the sheet's part is found through the workbook's
// relationships and read once ahead, its bytes scanned for the <mergeCells> list only.

import { stat } from 'node:fs/promises';
import path from 'node:path';

/** A merged range, rows and columns counted from 1 as in the sheet. */
export interface MergedRange {
  ref: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Bytes of a <mergeCells> list past which the rest is not read (a sheet lists a few hundred merges at most). */
const maxMergeList = 8 * 1024 * 1024;

const columnNumber = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

interface ZipEntry {
  path: string;
  stream(): NodeJS.ReadableStream;
}

async function entryText(entry: ZipEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The zip path of the worksheet named `sheet`, from xl/workbook.xml and its relationships. */
async function sheetPart(entries: ZipEntry[], sheet: string): Promise<string | undefined> {
  const workbook = entries.find((e) => e.path === 'xl/workbook.xml');
  const rels = entries.find((e) => e.path === 'xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) return undefined;
  const { SaxesParser } = await import('saxes');
  let relId: string | undefined;
  const sheets = new SaxesParser();
  sheets.on('opentag', (tag) => {
    if (relId || tag.name.split(':').pop() !== 'sheet' || tag.attributes['name'] !== sheet) return;
    const id = Object.entries(tag.attributes).find(([name]) => name.endsWith(':id'))?.[1];
    if (typeof id === 'string') relId = id;
  });
  sheets.write(await entryText(workbook)).close();
  if (!relId) return undefined;
  let target: string | undefined;
  const relationships = new SaxesParser();
  relationships.on('opentag', (tag) => {
    if (tag.name.split(':').pop() === 'Relationship' && tag.attributes['Id'] === relId && typeof tag.attributes['Target'] === 'string') target = tag.attributes['Target'];
  });
  relationships.write(await entryText(rels)).close();
  if (!target) return undefined;
  return target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join('xl', target));
}

/** Lists found lately, by file, its size and time, and sheet: the wizard's preview, a dry run and the commit read one upload three times. */
const recent = new Map<string, Promise<readonly MergedRange[]>>();
const recentKept = 8;

/**
 * The merged ranges of the sheet named `sheet` (none when the workbook does not say). Finding them
 * inflates the whole sheet, so a list is kept for the same file unchanged (by size and time).
 */
export async function sheetMerges(file: string, sheet: string): Promise<readonly MergedRange[]> {
  const { size, mtimeMs } = await stat(file);
  const key = JSON.stringify([file, sheet, size, mtimeMs]);
  let found = recent.get(key);
  if (!found) {
    found = scanMerges(file, sheet);
    recent.set(key, found);
    if (recent.size > recentKept) recent.delete(recent.keys().next().value!);
    // A failed read is not kept: the next one tries again.
    found.catch(() => recent.get(key) === found && recent.delete(key));
  }
  return found;
}

async function scanMerges(file: string, sheet: string): Promise<MergedRange[]> {
  const { Open } = await import('unzipper');
  const entries = (await Open.file(file)).files as unknown as ZipEntry[];
  const part = await sheetPart(entries, sheet);
  const entry = part ? entries.find((e) => e.path === part) : undefined;
  if (!entry) return [];
  // The rows are passed over as bytes, keeping only a tail that may hold the start of "mergeCells".
  const marker = Buffer.from('mergeCells');
  let tail = Buffer.alloc(0);
  const list: Buffer[] = [];
  let listed = 0;
  for await (const chunk of entry.stream()) {
    const bytes = chunk as Buffer;
    if (listed === 0) {
      // Searched in the chunk itself (copying each chunk cost twice the inflating), and across the seam with the last one.
      const seam = Buffer.concat([tail, bytes.subarray(0, marker.length - 1)]);
      const across = seam.indexOf(marker);
      const found = across !== -1 && across < tail.length ? Buffer.concat([tail.subarray(across), bytes]) : bytes.indexOf(marker) !== -1 ? bytes.subarray(bytes.indexOf(marker)) : undefined;
      if (!found) {
        tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - (marker.length - 1))));
        continue;
      }
      list.push(found);
      listed = found.length;
    } else {
      list.push(bytes);
      listed += bytes.length;
    }
    if (listed > maxMergeList) break;
  }
  const ranges: MergedRange[] = [];
  for (const m of Buffer.concat(list).toString('utf8').matchAll(/<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"/g)) {
    const [, left, top, right, bottom] = m as unknown as [string, string, string, string, string];
    ranges.push({ ref: `${left}${top}:${right}${bottom}`, top: Number(top), left: columnNumber(left), bottom: Number(bottom), right: columnNumber(right) });
  }
  return ranges;
}

/**
 * Fills the cells a merged range spans with the value of its first cell, row by row in sheet order
 * (rows given in increasing order, data rows only: a range starting above them — a title merged over
 * the header — is left as it is). `used` collects the ranges that filled anything.
 */
export function mergeFiller(ranges: readonly MergedRange[], used: Set<string>): (row: number, cells: unknown[]) => unknown[] {
  if (ranges.length === 0) return (_row, cells) => cells;
  const pending = [...ranges].sort((a, b) => a.top - b.top);
  // Walked by index: shifting the sorted list, one range at a time, moved all the rest each time —
  // a contact sheet with a customer merged over each few rows (100,000 merges) took 7.7 s.
  let next = 0;
  let active: { range: MergedRange; value: unknown }[] = [];
  return (row, cells) => {
    active = active.filter((a) => a.range.bottom >= row);
    // Ranges starting on this row take its value; ranges that started above the data rows are dropped.
    while (next < pending.length && pending[next]!.top <= row) {
      const range = pending[next++]!;
      if (range.top === row && range.bottom >= row) active.push({ range, value: cells[range.left - 1] });
    }
    let out = cells;
    for (const { range, value } of active) {
      if (value === undefined || value === null) continue;
      for (let column = range.left; column <= range.right; column++) {
        if (row === range.top && column === range.left) continue;
        if (out === cells) out = Array.from(cells);
        out[column - 1] = value;
        used.add(range.ref);
      }
    }
    return out;
  };
}

/**
 * Rows that are one merged cell across the sheet's width — a report's section heading ("华东区",
 * "2024 年 5 月") between its data rows — by row number: read as data they were a record with the
 * heading in every column. A merge spanning at least half of `width` columns on one row counts.
 */
export function sectionHeadingRows(ranges: readonly MergedRange[], width: number): Map<number, MergedRange> {
  const rows = new Map<number, MergedRange>();
  for (const range of ranges) {
    const span = range.right - range.left + 1;
    if (range.top === range.bottom && span >= 2 && span * 2 >= width) rows.set(range.top, range);
  }
  return rows;
}
