// import/binary-files: a file sent under a text name (.csv, .txt, .jsonl) that is no text at all —
// a workbook saved with the wrong name, a PDF, an image, an archive. Decoded anyway, such a file
// "imported" as one column named by its first bytes (an image read as GB18030 gave "塒NG"), and a
// workbook was refused as "not UTF-8 text", advice that cannot help. Its first bytes tell what it
// is; a NUL byte, which no text encoding but UTF-16 writes, tells any other binary file.

import { CrmError } from '../kernel/errors.ts';

/** Words in every language the product speaks. */
type Words = { en: string; zh: string };

interface Signature {
  bytes: number[];
  what: Words;
  /** What to do instead, when it is not the generic advice. */
  advice?: Words;
}

const workbookAdvice: Words = { en: 'Upload a workbook under its .xlsx name, or save it as CSV UTF-8.', zh: '工作簿请以 .xlsx 文件名上传，或另存为 CSV UTF-8。' };

const signatures: Signature[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: { en: 'a zip archive (an Excel workbook .xlsx is one)', zh: 'zip 压缩包（Excel 工作簿 .xlsx 即是）' }, advice: workbookAdvice },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: { en: 'an older Office file (an Excel 97–2003 workbook .xls is one)', zh: '旧版 Office 文件（Excel 97–2003 工作簿 .xls 即是）' }, advice: { en: 'Save it in Excel as .xlsx or CSV UTF-8 first.', zh: '请先在 Excel 中另存为 .xlsx 或 CSV UTF-8。' } },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: { en: 'a PDF document', zh: 'PDF 文档' } },
  { bytes: [0x1f, 0x8b], what: { en: 'a gzip archive', zh: 'gzip 压缩包' } },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: { en: 'a PNG image', zh: 'PNG 图片' } },
  { bytes: [0xff, 0xd8, 0xff], what: { en: 'a JPEG image', zh: 'JPEG 图片' } },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: { en: 'an SQLite database', zh: 'SQLite 数据库' } },
];

const genericAdvice: Words = { en: 'Export the data as CSV UTF-8, .xlsx or JSON Lines and upload that file.', zh: '请将数据导出为 CSV UTF-8、.xlsx 或 JSON Lines 后上传该文件。' };

function refused(extension: string, what: Words, advice: Words): CrmError {
  return new CrmError('BAD_REQUEST', {
    en: `The file is named ${extension} but is not text: it is ${what.en}. Nothing was imported. ${advice.en}`,
    zh: `文件名为 ${extension}，但内容不是文本，而是${/^[A-Za-z]/.test(what.zh) ? ' ' : ''}${what.zh}。未导入任何数据。${advice.zh}`,
  });
}

/**
 * Throws a 400 naming what the file is when its first bytes (`head`) are a known binary format's,
 * or, unless it is UTF-16 text (`utf16`: NUL is half its Latin letters), when they hold a NUL byte.
 * `extension` is the name's (".csv"), for the message.
 */
export function checkIsText(args: { head: Buffer; extension: string; utf16: boolean }): void {
  const { head, extension } = args;
  const known = signatures.find((s) => s.bytes.every((b, i) => head[i] === b));
  if (known) throw refused(extension, known.what, known.advice ?? genericAdvice);
  if (args.utf16) return;
  const nul = head.indexOf(0);
  if (nul === -1) return;
  let line = 1;
  for (let at = head.indexOf(0x0a); at !== -1 && at < nul; at = head.indexOf(0x0a, at + 1)) line++;
  throw refused(extension, { en: `binary data (a NUL byte on line ${line})`, zh: `二进制数据（第 ${line} 行有 NUL 字节）` }, genericAdvice);
}
