// The sheets of an .xlsx workbook, by name in workbook order, read from xl/workbook.xml alone: the
// zip's central directory gives that one entry (unzipper), its XML is parsed as it streams (saxes).
// No sheet's rows are read: listing the sheets of a large workbook costs what a small one does.

import { CrmError } from '../kernel/errors.ts';

/** A workbook's XML above this size is not a workbook.xml (it lists sheets, names and a few settings). */
const maxWorkbookXml = 16 * 1024 * 1024;

export function notAWorkbook(reason: string): CrmError {
  return new CrmError('BAD_REQUEST', { en: `The file cannot be read as an Excel workbook (.xlsx): ${reason}. An older .xls or a renamed file must be saved as .xlsx or CSV UTF-8 first.`, zh: `文件无法作为 Excel 工作簿（.xlsx）读取：${reason}。旧版 .xls 或改了扩展名的文件请先另存为 .xlsx 或 CSV UTF-8。` });
}

export async function workbookSheets(file: string): Promise<string[]> {
  // Loaded on first use, like exceljs: the server's start-up does not pay for them.
  const [{ Open }, { SaxesParser }] = await Promise.all([import('unzipper'), import('saxes')]);
  let entry;
  try {
    entry = (await Open.file(file)).files.find((f) => f.path === 'xl/workbook.xml');
  } catch (error) {
    throw notAWorkbook((error as Error).message);
  }
  if (!entry || entry.uncompressedSize > maxWorkbookXml) throw notAWorkbook('it has no xl/workbook.xml');
  const names: string[] = [];
  const parser = new SaxesParser();
  // <workbook><sheets><sheet name="…" sheetId="…" r:id="…"/>…</sheets></workbook>, with or without a prefix.
  parser.on('opentag', (tag) => {
    if (tag.name.split(':').pop() === 'sheet') {
      const name = tag.attributes['name'];
      if (typeof name === 'string') names.push(name);
    }
  });
  // A name's UTF-8 bytes may be cut between two chunks: decoded as a stream.
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of entry.stream()) parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    throw notAWorkbook((error as Error).message);
  }
  return names;
}
