// Text → value for each field type (imports, spreadsheets, the CLI): the helpers the field-type
// modules use for their `parseText`. Never rounds, never guesses a time zone: a value that does not
// say exactly one thing is refused with the reason.

import { localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { currencyOfChineseName, isCurrencyCode, isSignOf } from '../kernel/money.ts';

export type ParsedText = { ok: true; value: unknown } | { ok: false; reason: LocalizedText };

/** Order of the parts of a date whose year is not written first (31/12/2025, 12/31/2025). */
export type DateOrder = 'YMD' | 'DMY' | 'MDY';
export const dateOrders: readonly DateOrder[] = ['YMD', 'DMY', 'MDY'];
/** The character between a number's whole part and its decimals. */
export type DecimalSeparator = '.' | ',';
export const decimalSeparators: readonly DecimalSeparator[] = ['.', ','];

export interface ParseTextOptions {
  /** IANA zone a datetime without an offset is read in; without it such a value is refused. */
  timeZone?: string;
  /**
   * How a date whose first part is not a four-digit year is read (DMY: 31/12/2025, MDY: 12/31/2025).
   * Without it (or YMD) such a date is refused as ambiguous. Year-first dates (2025-12-31,
   * 2025/12/31, 2025年12月31日) are read whatever the order: they can mean one thing only.
   */
  dateOrder?: DateOrder;
  /**
   * '.' (the default: 1,234.56) or ',' (1.234,56). Thousands may be grouped by the other one, a
   * space, a no-break or narrow no-break space or an apostrophe — one kind per number, by threes.
   */
  decimalSeparator?: DecimalSeparator;
}

export const parsed = (value: unknown): ParsedText => ({ ok: true, value });
export const refused = (en: string, zh: string): ParsedText => ({ ok: false, reason: { en, zh } });

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const plainCommaNumber = /^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$/;
// Groups of three after one to three digits, all split by the same character (the backreference).
const groupedNumber = /^[+-]?\d{1,3}([,\u0020\u00a0\u202f'\u2019])\d{3}(\1\d{3})*(\.\d+)?$/u;
const groupedCommaNumber = /^[+-]?\d{1,3}([.\u0020\u00a0\u202f'\u2019])\d{3}(\1\d{3})*(,\d+)?$/u;
const dotGroupChars = /[,\u0020\u00a0\u202f'\u2019]/gu;
const commaGroupChars = /[.\u0020\u00a0\u202f'\u2019]/gu;
// A currency's sign as Intl writes it (€, CN¥, US$) or its ISO code (CHF 1,234.50), before the number
// (after its minus: -€40.00, the way exports write money) or after it (1.234,56 €).
const leadingCurrency = /^([+-]?)\s*(?:[A-Z]{0,3}\p{Sc}|([A-Z]{3})(?=\s))\s*/u;
const trailingCurrency = /\s*(?:[A-Z]{0,3}\p{Sc}|(?<=\s)([A-Z]{3}))$/u;
const trailingChineseName = /\s*(\p{Script=Han}{1,8})$/u;

/** The number without its currency's sign or code, and that sign or code. */
function withoutCurrency(text: string): { number: string; sign?: string } {
  const known = (code: string | undefined) => code === undefined || isCurrencyCode(code);
  const lead = leadingCurrency.exec(text);
  if (lead && known(lead[2])) return { number: lead[1]! + text.slice(lead[0].length), sign: lead[0].slice(lead[1]!.length).trim() };
  const trail = trailingCurrency.exec(text);
  if (trail && known(trail[1])) return { number: text.slice(0, trail.index), sign: trail[0].trim() };
  // A Chinese ledger writes the currency's name after the amount: 1,234.50元, 200 美元.
  const named = trailingChineseName.exec(text);
  if (named && currencyOfChineseName(named[1]!)) return { number: text.slice(0, named.index), sign: named[1]! };
  return { number: text };
}

/**
 * A decimal number written with `options.decimalSeparator` ('.' unless given); `scale` given: more
 * decimals than that are refused (never rounded); `currency` given (a currency field's own), a sign
 * or code of another currency is refused. A number that does not follow the separator
 * (1.234,5 with '.', 1,2,3, mixed groupings) is refused, never read another way.
 */
/**
 * Full-width ASCII (１２３．５, ２０２５／３／７: Chinese input methods and spreadsheets write it) and the
 * ideographic space as their half-width forms — and nothing else: NFKC would also read "10²" as 102.
 */
export function halfWidthAscii(text: string): string {
  return /[\uff01-\uff5e\u3000]/u.test(text) ? text.replace(/[\uff01-\uff5e]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/gu, ' ') : text;
}

export function parseDecimal(text: string, scale?: number, options?: ParseTextOptions, currency?: string): ParsedText {
  const { number: trimmed, sign } = withoutCurrency(halfWidthAscii(text).trim());
  // An amount written in another currency is not this field's amount: never read as if it were.
  // A full-width sign (￥, ＄: Chinese input methods and Excel write them) is its half-width one.
  if (sign !== undefined && currency !== undefined && !isSignOf(sign.normalize('NFKC'), currency)) {
    return refused(`"${text}" is written in another currency than this field's (${currency})`, `「${text}」的币种与本字段的币种（${currency}）不同`);
  }
  const comma = options?.decimalSeparator === ',';
  let clean: string;
  if (comma) {
    if (plainCommaNumber.test(trimmed)) clean = trimmed.replace(',', '.');
    else if (groupedCommaNumber.test(trimmed)) clean = trimmed.replace(commaGroupChars, '').replace(',', '.');
    else return refused(`"${text}" is not a number written with a decimal comma (1.234,56)`, `「${text}」不是以逗号为小数点的数字（1.234,56）`);
  } else if (plainNumber.test(trimmed)) clean = trimmed;
  else if (groupedNumber.test(trimmed)) clean = trimmed.replace(dotGroupChars, '');
  else if (plainCommaNumber.test(trimmed) || groupedCommaNumber.test(trimmed)) return refused(`"${text}" is not a number written with a decimal point (1,234.56): declare the decimal comma if the file uses one`, `「${text}」不是以小数点书写的数字（1,234.56）：如文件使用逗号作小数点，请声明`);
  else return refused(`"${text}" is not a number`, `「${text}」不是数字`);
  const value = Number(clean);
  if (!Number.isFinite(value)) return refused(`"${text}" is not a finite number`, `「${text}」不是有限数字`);
  if (scale !== undefined) {
    const decimals = /e/i.test(clean) ? decimalsOf(value) : (clean.split('.')[1] ?? '').replace(/0+$/, '').length;
    if (decimals > scale) return refused(`"${text}" has ${decimals} decimals; at most ${scale} allowed (values are never rounded)`, `「${text}」有 ${decimals} 位小数，最多允许 ${scale} 位（不会自动舍入）`);
  }
  return parsed(value);
}

export function decimalsOf(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return 0;
  const text = value.toString();
  const match = /e-(\d+)$/.exec(text);
  if (match) return Number(match[1]) + ((text.split('e')[0]!.split('.')[1] ?? '').length);
  return (text.split('.')[1] ?? '').length;
}

export function parseInteger(text: string, options?: ParseTextOptions): ParsedText {
  const result = parseDecimal(text, 0, options);
  return result.ok && !Number.isSafeInteger(result.value) ? refused(`"${text}" is not a whole number in range`, `「${text}」不是范围内的整数`) : result;
}

const truthy = new Set(['true', 'yes', 'y', '1', 'on', '是', '对', '真']);
const falsy = new Set(['false', 'no', 'n', '0', 'off', '否', '错', '假']);

export function parseBoolean(text: string): ParsedText {
  const key = text.trim().toLowerCase();
  if (truthy.has(key)) return parsed(true);
  if (falsy.has(key)) return parsed(false);
  return refused(`"${text}" is not yes or no`, `「${text}」不是是/否`);
}

const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const atMidnight = /^(\S+?)(?:\s+|T)0?0:00(?::00(?:\.0+)?)?$/;
const cjkDate = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/u;
// Day or month first, the same separator twice, a four-digit year (a two-digit one names no century).
const partsFirst = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;
const orderNames: Record<DateOrder, { en: string; zh: string }> = {
  YMD: { en: 'year/month/day', zh: '年/月/日' },
  DMY: { en: 'day/month/year', zh: '日/月/年' },
  MDY: { en: 'month/day/year', zh: '月/日/年' },
};

/**
 * A calendar date (YYYY-MM-DD). Year-first dates always; day- or month-first ones in the declared
 * `options.dateOrder` only — never guessed, as 03/04/2025 is a date in either order.
 */
export function parseDate(text: string, options?: ParseTextOptions): ParsedText {
  const trimmed = halfWidthAscii(text).trim();
  // A ledger's date column exported as a date-time at midnight (2023-03-05 00:00:00, 2023/3/5 0:00)
  // names that day; any other time of day is a moment, not a day, and stays refused.
  const day = atMidnight.exec(trimmed);
  if (day) {
    const date = parseDate(day[1]!, options);
    return date.ok ? date : refused(`"${text}" is not a date: ${localize(date.reason, 'en')}`, `「${text}」不是日期：${localize(date.reason, 'zh')}`);
  }
  const match = yearFirst.exec(trimmed) ?? cjkDate.exec(trimmed);
  let order: DateOrder = 'YMD';
  let y: string, m: string, d: string;
  if (match) [, y, m, d] = match as unknown as [string, string, string, string];
  else {
    const first = partsFirst.exec(trimmed);
    const declared = options?.dateOrder;
    if (!first) return refused(`"${text}" is not a date (YYYY-MM-DD${declared && declared !== 'YMD' ? ` or ${orderNames[declared].en}` : ''})`, `「${text}」不是日期（YYYY-MM-DD${declared && declared !== 'YMD' ? `或${orderNames[declared].zh}` : ''}）`);
    if (!declared || declared === 'YMD') return refused(`"${text}" does not say whether the day or the month comes first: declare the import's date order`, `「${text}」无法判断日和月的先后：请声明导入的日期顺序`);
    order = declared;
    const [, a, , b, year] = first as unknown as [string, string, string, string, string];
    [y, m, d] = order === 'DMY' ? [year, b, a] : [year, a, b];
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    return order === 'YMD' ? refused(`"${text}" is not a calendar date`, `「${text}」不是有效日期`) : refused(`"${text}" is not a calendar date read as ${orderNames[order].en}`, `「${text}」按${orderNames[order].zh}读取不是有效日期`);
  }
  return parsed(iso);
}

const zoned = /(Z|[+-]\d{2}:?\d{2})$/i;
// An offset as exports write it after the time: a space before it (Ruby, git, Zendesk: `07:00:00 +0000`),
// hours alone (PostgreSQL: `07:00:00+00`), or the zone's name UTC or GMT (`07:00:00 UTC`).
const exportedOffset = /^(\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:(Z|UTC|GMT)|([+-]\d{2})(?::?(\d{2}))?)$/i;

/** `value` (an ISO date, T, a time) with an exported offset written as ISO 8601 writes it; as it was without one. */
function withIsoOffset(value: string): string {
  const match = exportedOffset.exec(value);
  if (!match) return value;
  const [, local, utc, hours, minutes] = match;
  return `${local}${utc ? 'Z' : `${hours}:${minutes ?? '00'}`}`;
}

/** Offset of `zone` at the instant `utcMillis`, in minutes. */
function zoneOffsetMinutes(zone: string, utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(utcMillis);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60_000);
}

const isoStart = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?/;
// A date as parseDate reads it, then a time (after a space, a T or 日) — 24-hour, or 12-hour with AM
// or PM as American exports write it (12/31/2025 5:04 PM) — and an optional offset.
const writtenDatetime = /^(.+?)(?:(?:\s+|T|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:\s*([AP])\.?M\.?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/iu;
const meridiem = /\d\s*[AP]\.?M\.?(\s|$|Z|[+-]\d)/i;

/** A datetime whose date is not written YYYY-MM-DD, rewritten so (its date read as parseDate does). */
function isoDatetime(text: string, options: ParseTextOptions): ParsedText {
  const match = writtenDatetime.exec(text.trim());
  const datePart = match?.[1] ?? '';
  if (!match || !(yearFirst.test(datePart) || cjkDate.test(datePart) || partsFirst.test(datePart))) return refused(`"${text}" is not a date and time (ISO 8601)`, `「${text}」不是日期时间（ISO 8601）`);
  const date = parseDate(datePart, options);
  if (!date.ok) return date;
  const [, , written, minutes, seconds, fraction, half, offset] = match;
  if (written === undefined) return parsed(date.value);
  let hours = Number(written);
  if (half) {
    // 12-hour clock: 12 AM is midnight, 12 PM noon; 0 or 13 and above name no hour of it.
    if (hours < 1 || hours > 12) return refused(`"${text}" is not a valid date and time (a 12-hour clock runs from 1 to 12)`, `「${text}」不是有效的日期时间（12 小时制的钟点为 1 到 12）`);
    hours = (hours % 12) + (half.toUpperCase() === 'P' ? 12 : 0);
  }
  return parsed(`${date.value as string}T${String(hours).padStart(2, '0')}:${minutes}${seconds ? `:${seconds}${fraction ?? ''}` : ''}${offset ?? ''}`);
}

/**
 * An instant. A value without offset is read in `options.timeZone`, or refused without one. Its
 * date may be written as parseDate reads it (31/12/2025 14:30 with a declared day-first order).
 */
export function parseDatetime(text: string, options: ParseTextOptions = {}): ParsedText {
  const given = halfWidthAscii(text);
  let value = given.trim().replace(/^(\d{4}-\d{2}-\d{2})\s+(?=\d)/, '$1T');
  if (!isoStart.test(value) || meridiem.test(given)) {
    const rewritten = isoDatetime(given, options);
    if (!rewritten.ok) return rewritten;
    value = rewritten.value as string;
  }
  value = withIsoOffset(value);
  // Date.parse rolls a day past the month's end over (2024-02-30T10:00Z is March 1st): the day is checked first.
  const day = parseDate(value.slice(0, 10));
  if (!day.ok) return refused(`"${text}" is not a valid date and time: ${localize(day.reason, 'en')}`, `「${text}」不是有效的日期时间：${localize(day.reason, 'zh')}`);
  if (zoned.test(value)) {
    const millis = Date.parse(value);
    return Number.isNaN(millis) ? refused(`"${text}" is not a valid date and time`, `「${text}」不是有效的日期时间`) : parsed(new Date(millis).toISOString());
  }
  if (!options.timeZone) return refused(`"${text}" has no time zone (add Z or an offset such as +08:00, or declare the import's time zone)`, `「${text}」没有时区（请加 Z 或 +08:00 之类的偏移，或声明导入时区）`);
  const local = Date.parse(`${value.length === 10 ? `${value}T00:00` : value}Z`);
  if (Number.isNaN(local)) return refused(`"${text}" is not a valid date and time`, `「${text}」不是有效的日期时间`);
  // Two passes: the offset at the guessed instant, then at the corrected one (DST edges).
  const first = local - zoneOffsetMinutes(options.timeZone, local) * 60_000;
  return parsed(new Date(local - zoneOffsetMinutes(options.timeZone, first) * 60_000).toISOString());
}

/** A text as option matching reads it: width (NFKC), case, and runs of spaces, _ and - set aside. */
export const loose = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** A picklist option by its key or its label in any language (case and spacing ignored). */
export function parseOption(text: string, options: Record<string, { label?: LocalizedText }>): ParsedText {
  if (Object.hasOwn(options, text)) return parsed(text);
  const wanted = loose(text);
  for (const [key, option] of Object.entries(options)) {
    const labels = typeof option.label === 'string' ? [option.label] : Object.values(option.label ?? {});
    if (loose(key) === wanted || labels.some((l) => typeof l === 'string' && loose(l) === wanted)) return parsed(key);
  }
  return refused(`"${text}" is not one of the options (${optionList(options, 'en', ', ')})`, `「${text}」不是可选值（${optionList(options, 'zh', '、')}）`);
}

/** How many options a refusal names before "…": a long picklist would bury the reason. */
export const listedOptions = 10;

// The options as the reader sees them: their labels in the reason's language (zh falls back to en,
// then to the key), never the keys alone, which no form or list shows.
function optionList(options: Record<string, { label?: LocalizedText }>, locale: Locale, separator: string): string {
  const labels = Object.entries(options).map(([key, option]) => localize(option.label, locale) || key);
  const shown = labels.slice(0, listedOptions).join(separator);
  return labels.length > listedOptions ? `${shown}${separator}…` : shown;
}

/**
 * Several options in one cell, separated by ; | ， or ；. A label that holds a separator itself
 * ("North; south", as an export writes it) is one option: at each part the longest run of parts
 * that names an option is taken.
 */
export function parseOptions(text: string, options: Record<string, { label?: LocalizedText }>): ParsedText {
  // Parts at even indexes, the separators between them at odd ones.
  const tokens = text.split(/([;|，；])/u);
  const values: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    if (tokens[i]!.trim() === '') continue;
    let taken: { value: string; next: number } | undefined;
    for (let j = tokens.length - 1; j > i && !taken; j -= 2) {
      const run = parseOption(tokens.slice(i, j + 1).join('').trim(), options);
      if (run.ok) taken = { value: run.value as string, next: j + 2 };
    }
    if (!taken) {
      const one = parseOption(tokens[i]!.trim(), options);
      if (!one.ok) return one;
      taken = { value: one.value as string, next: i + 2 };
    }
    values.push(taken.value);
    i = taken.next - 2;
  }
  return parsed([...new Set(values)]);
}
