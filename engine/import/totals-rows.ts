// A workbook's totals rows — "合计", "Total", a "小计" between groups — are no records: their numbers
// are formulas that aggregate the rows above in their own column (=SUM(C2:C40), =SUBTOTAL(9,C2:C9)).
// Told apart by those formulas, whatever the label's language, and left out with the formula named.
// (A CSV holds no formulas: its totals row is a row, refused by its own validation.)

import type { LocalizedText } from '../kernel/i18n.ts';

/** Functions that summarize a range (SUBTOTAL and AGGREGATE take a function number first). */
const aggregates = new Set(['SUM', 'SUBTOTAL', 'AGGREGATE', 'AVERAGE', 'AVERAGEA', 'COUNT', 'COUNTA', 'MIN', 'MAX', 'MEDIAN', 'PRODUCT']);

/** The letters of a 1-based sheet column (1 → A, 27 → AA). */
export function columnLetters(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/**
 * True when `formula` (as a cell stores it, without the "=") aggregates ranges of `column` alone:
 * SUM(C2:C40), SUBTOTAL(9,$C$2:$C$9), SUM(C2:C9,C12:C20). A formula over other columns (a row's
 * own total, =SUM(C5:E5)) or of any other kind (=C5*D5) is a data row's value.
 */
export function aggregatesOwnColumn(formula: string, column: string): boolean {
  const call = /^\s*(?:_xlfn\.)?([A-Za-z.]+)\s*\((.*)\)\s*$/su.exec(formula);
  if (!call || !aggregates.has(call[1]!.toUpperCase())) return false;
  let ranges = 0;
  for (const arg of call[2]!.split(',').map((a) => a.trim())) {
    if (/^\d+$/u.test(arg)) continue; // SUBTOTAL's or AGGREGATE's function number, AGGREGATE's options
    const ref = /^\$?([A-Za-z]{1,3})\$?(\d*)(?::\$?([A-Za-z]{1,3})\$?(\d*))?$/u.exec(arg);
    if (!ref || ref[1]!.toUpperCase() !== column) return false;
    if (ref[3] === undefined) {
      if (ref[2] === '') return false; // a bare name, not a cell
      continue;
    }
    if (ref[3].toUpperCase() !== column) return false;
    ranges++;
  }
  return ranges > 0;
}

/** A totals row's first aggregate formula ("=SUM(C2:C40)") and its column's letters. */
export interface TotalsFormula {
  formula: string;
  column: string;
}

/**
 * Whether a sheet row (its cells from column A, as exceljs reads them) is a totals row: at least one
 * cell aggregates its own column, and every other number in the row is such a formula too (a plain
 * number or another formula makes it a data row). Labels and empty cells do not count. A shared
 * formula's later cells (Excel writes a SUM dragged along the row so) hold no text of their own.
 */
export function totalsFormula(cells: readonly unknown[]): TotalsFormula | undefined {
  let found: TotalsFormula | undefined;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell === 'number') return undefined;
    if (cell === null || typeof cell !== 'object' || cell instanceof Date) continue;
    if ('sharedFormula' in cell) continue;
    if (!('formula' in cell)) continue;
    const formula = String((cell as { formula?: unknown }).formula ?? '').trim();
    if (formula === '') continue;
    const column = columnLetters(i + 1);
    if (!aggregatesOwnColumn(formula, column)) return undefined;
    found ??= { formula: `=${formula.replace(/^=/u, '')}`, column };
  }
  return found;
}

/** Why a totals row was not imported, in every language. */
export function totalsReason({ formula, column }: TotalsFormula): LocalizedText {
  return { en: `a totals row (formula ${formula} in column ${column})`, zh: `合计行（${column} 列的公式 ${formula}）` };
}
