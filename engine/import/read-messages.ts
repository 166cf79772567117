// import/read-messages: why a row of a source file could not be read, in every language the product
// speaks. csv-parse refuses a row with an error code and an English sentence (with its own line
// count, which the reader corrects); each code the reader can meet gets our own words here, keeping
// the facts that help fix the file (the column, the character found, the field counts). A code
// without an entry (a newer csv-parse) still reads in the caller's language, naming the code.

/** A reason in every language: stored with the rejected row, read later in the reader's. */
export interface ReadText {
  en: string;
  zh: string;
}

/** The fields csv-parse puts on the errors it passes to `on_skip`. */
export interface CsvParseError {
  code?: string;
  message?: string;
  /** The 0-based index of the field being read (csv-parse's `column` without named columns). */
  column?: number | string | null;
  /** The field's text read so far (an invalid opening quote). */
  field?: string;
  /** The fields of a record of the wrong length. */
  record?: unknown[];
}

/** Where in the row: "column 2 (主题)" when the header is known. */
function columnOf(error: CsvParseError, header: readonly string[] | undefined): ReadText | undefined {
  if (typeof error.column !== 'number') return undefined;
  const n = error.column + 1;
  const name = header?.[error.column];
  return name ? { en: `column ${n} ("${name}")`, zh: `第 ${n} 列（「${name}」）` } : { en: `column ${n}`, zh: `第 ${n} 列` };
}

/** A few characters of a value, for the message (a whole cell could be long). */
function excerpt(text: string): string {
  const chars = [...text];
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : text;
}

/** The row has `found` fields where the header has `expected`. */
export function fieldCountText(found: number, expected: number): ReadText {
  return { en: `has ${found} fields; the header has ${expected}`, zh: `有 ${found} 个字段，而表头有 ${expected} 个` };
}

/** A row csv-parse refused, from its error: the header (when read) names the column. */
export function csvRowText(error: CsvParseError, header?: readonly string[]): ReadText {
  const code = error.code ?? 'UNKNOWN';
  const message = error.message ?? '';
  const column = columnOf(error, header);
  const inColumn = { en: column ? ` in ${column.en}` : '', zh: column ? `${column.zh}` : '' };
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const expected = Number(/(?:expect|columns length is) (\d+)/.exec(message)?.[1] ?? header?.length ?? NaN);
      const found = Array.isArray(error.record) ? error.record.length : Number(/got (\d+)/.exec(message)?.[1] ?? NaN);
      if (Number.isFinite(expected) && Number.isFinite(found)) return fieldCountText(found, expected);
      break;
    }
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const got = /got "(.*?)" at line/su.exec(message)?.[1];
      const shown = got === undefined ? '' : got.trim() === '' ? ` (${got === ' ' ? 'a space' : 'a blank'})` : ` "${got}"`;
      const shownZh = got === undefined ? '' : got.trim() === '' ? '（空白）' : `「${got}」`;
      return {
        en: `a quoted value${inColumn.en} is followed by a character${shown} instead of the delimiter or the end of the line; double a quote inside a quoted value ("")`,
        zh: `${inColumn.zh}带引号的值在结束引号后紧跟字符${shownZh}，而不是分隔符或行尾；引号内的引号请写成两个（""）`,
      };
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_OPENING_QUOTE': {
      const value = typeof error.field === 'string' && error.field !== '' ? excerpt(error.field) : undefined;
      return {
        en: `a quote appears inside a value${inColumn.en}${value !== undefined ? ` after "${value}"` : ''} that does not start with one; put the whole value in quotes and double the quotes inside it ("")`,
        zh: `${inColumn.zh}的值${value !== undefined ? `在「${value}」之后` : '中间'}出现引号，但该值并非以引号开头；请给整个值加上引号，并把其中的引号写成两个（""）`,
      };
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return { en: `opens a quote${inColumn.en} that is never closed`, zh: `${inColumn.zh}有未闭合的引号` };
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        en: `a quoted value${inColumn.en} is followed by a character other than a space before the delimiter`,
        zh: `${inColumn.zh}带引号的值在分隔符之前紧跟了空格以外的字符`,
      };
    case 'CSV_MAX_RECORD_SIZE': {
      const max = /of (\d+)/.exec(message)?.[1];
      const size = max ? Number(max).toLocaleString('en-US') : undefined;
      return {
        en: `is longer than ${size ?? 'the reader takes'}${size ? ' characters' : ''} (a quote left open, or a cell too large)`,
        zh: `超过${size ? ` ${size} 个字符` : '读取上限'}（引号未闭合或单元格过大）`,
      };
    }
  }
  return { en: `is not valid CSV (csv-parse error ${code})`, zh: `不是有效的 CSV（csv-parse 错误 ${code}）` };
}

/** A JSON Lines line that is not JSON; V8's own message stays in English, its position is said in Chinese. */
export function jsonLineText(message: string): ReadText {
  const position = /at position (\d+)/.exec(message)?.[1];
  return { en: `is not valid JSON: ${message}`, zh: `不是合法的 JSON${position !== undefined ? `（第 ${Number(position) + 1} 个字符处）` : ''}` };
}

/** A JSON Lines line that is JSON, but not an object. */
export const notAnObjectText: ReadText = { en: 'is not a JSON object', zh: '不是 JSON 对象' };
