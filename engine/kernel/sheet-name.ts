// A spreadsheet sheet name from any title (an entity's or a report's label): at most 31 characters,
// none of []:*?/\, no apostrophe first or last, and not "History" in any case (Excel keeps it for
// itself; ExcelJS refuses to write or read such a workbook).

export function sheetName(title: string, fallback: string): string {
  const name = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).replace(/^[\s']+|[\s']+$/g, '') || fallback;
  return name.toLowerCase() === 'history' ? `${name} 1` : name;
}
