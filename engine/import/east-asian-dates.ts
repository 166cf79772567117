// East Asian Excel (Chinese, Japanese, Korean) saves its own date formats — 2023年3月5日, 2023年3月,
// 3月5日 — as built-in number formats named by id alone (27–36 and 50–58), with no format code in the
// file: the code is the locale's. exceljs keeps those codes per locale and gives such a cell no
// format at all, so its date was read as the serial number behind it (44990) and refused as "not a
// date". In every locale these ids hold a date or a time of day: the reader is told so.

const eastAsianDateIds = [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58];

interface StylesReading {
  _parseStyles?: (this: StylesReading, entry: unknown) => Promise<void>;
  styles?: { index?: { numFmt?: Record<number, string | undefined> } };
}

/**
 * Makes an exceljs streaming WorkbookReader read cells in East Asian built-in date formats as dates:
 * once it has read the workbook's styles (before any sheet's cells), each such id the workbook does
 * not define itself gets a date code. (A private step of exceljs: checked, so that a new version
 * without it fails loudly instead of reading serial numbers again.)
 */
export function readEastAsianDates(reader: unknown): void {
  const reading = reader as StylesReading;
  const parseStyles = reading._parseStyles;
  if (typeof parseStyles !== 'function') throw new Error('exceljs WorkbookReader has no _parseStyles: readEastAsianDates needs updating for this version');
  reading._parseStyles = async function (entry) {
    await parseStyles.call(this, entry);
    const formats = this.styles?.index?.numFmt;
    if (!formats) return;
    for (const id of eastAsianDateIds) formats[id] ??= 'yyyy"年"m"月"d"日"';
  };
}
