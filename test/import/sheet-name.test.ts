// Sheet names from any title: what ExcelJS (and so Excel) refuses — "History", an apostrophe first
// or last, []:*?/\, more than 31 characters — becomes a name a workbook is written and read back with.

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetName } from '../../engine/kernel/sheet-name.ts';

describe('sheetName', () => {
  it.each(['History', 'history', "'Quoted'", "It's", 'Deals [2026] / Q1: won?', 'A label far longer than thirty-one characters', '   ', '小玩意'])('%j makes a workbook that reads back', async (title) => {
    const name = sheetName(title, 'Export');
    const book = new ExcelJS.Workbook();
    book.addWorksheet(name).addRow(['x']);
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await book.xlsx.writeBuffer()) as never);
    expect(again.worksheets[0]!.name).toBe(name);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name.toLowerCase()).not.toBe('history');
  });
});
