// Finding a sheet's merged cells inflates the whole sheet (the list comes after the rows), and the
// wizard's preview, a dry run and the commit read one upload three times: the list is kept for the
// same file unchanged, and read again once the file changes.

import ExcelJS from 'exceljs';
import { mkdtemp, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sheetMerges } from '../../engine/import/sheet-merges.ts';

async function write(file: string, merges: string[]): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('S');
  for (let i = 0; i < 6; i++) sheet.addRow(['a', 'b', 'c']);
  for (const m of merges) sheet.mergeCells(m);
  await book.xlsx.writeFile(file);
}

describe('the merged cells of a sheet', () => {
  it('are found once for the same file, and again once it changed', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-merges-')), 'book.xlsx');
    await write(file, ['A2:A3']);
    const first = await sheetMerges(file, 'S');
    expect(first.map((r) => r.ref)).toEqual(['A2:A3']);
    expect(await sheetMerges(file, 'S')).toBe(first);
    await write(file, ['B4:C4', 'A5:A6']);
    // A rewrite within the same instant of the file system's clock would keep its time: set apart.
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    expect((await sheetMerges(file, 'S')).map((r) => r.ref)).toEqual(['B4:C4', 'A5:A6']);
    expect(await sheetMerges(file, 'T')).toEqual([]);
  });
});
