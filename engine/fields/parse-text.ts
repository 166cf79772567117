// Text → value for each field type (imports, spreadsheets, the CLI): the helpers the field-type
// modules use for their `parseText`. Never rounds, never guesses a time zone: a value that does not
// say exactly one thing is refused with the reason.

import type { LocalizedText } from '../kernel/i18n.ts';

export type ParsedText = { ok: true; value: unknown } | { ok: false; reason: LocalizedText };

export interface ParseTextOptions {
  /** IANA zone a datetime without an offset is read in; without it such a value is refused. */
  timeZone?: string;
}

export const parsed = (value: unknown): ParsedText => ({ ok: true, value });
export const refused = (en: string, zh: string): ParsedText => ({ ok: false, reason: { en, zh } });

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const groupedNumber = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A decimal number; `scale` given: more decimals than that are refused (never rounded). */
export function parseDecimal(text: string, scale?: number): ParsedText {
  const trimmed = text.trim().replace(/^[¥$€£]\s*/u, '');
  if (!plainNumber.test(trimmed) && !groupedNumber.test(trimmed)) return refused(`"${text}" is not a number`, `「${text}」不是数字`);
  const clean = trimmed.replace(/,/g, '');
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

export function parseInteger(text: string): ParsedText {
  const result = parseDecimal(text, 0);
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

export function parseDate(text: string): ParsedText {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  if (!match) return refused(`"${text}" is not a date (YYYY-MM-DD)`, `「${text}」不是日期（YYYY-MM-DD）`);
  const [, y, m, d] = match;
  const iso = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) return refused(`"${text}" is not a calendar date`, `「${text}」不是有效日期`);
  return parsed(iso);
}

const zoned = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Offset of `zone` at the instant `utcMillis`, in minutes. */
function zoneOffsetMinutes(zone: string, utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(utcMillis);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60_000);
}

/** An instant. A value without offset is read in `options.timeZone`, or refused without one. */
export function parseDatetime(text: string, options: ParseTextOptions = {}): ParsedText {
  const value = text.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?/.test(value)) return refused(`"${text}" is not a date and time (ISO 8601)`, `「${text}」不是日期时间（ISO 8601）`);
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

const loose = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** A picklist option by its key or its label in any language (case and spacing ignored). */
export function parseOption(text: string, options: Record<string, { label?: LocalizedText }>): ParsedText {
  if (Object.hasOwn(options, text)) return parsed(text);
  const wanted = loose(text);
  for (const [key, option] of Object.entries(options)) {
    const labels = typeof option.label === 'string' ? [option.label] : Object.values(option.label ?? {});
    if (loose(key) === wanted || labels.some((l) => typeof l === 'string' && loose(l) === wanted)) return parsed(key);
  }
  return refused(`"${text}" is not one of the options (${Object.keys(options).join(', ')})`, `「${text}」不是可选值（${Object.keys(options).join('、')}）`);
}

export function parseOptions(text: string, options: Record<string, { label?: LocalizedText }>): ParsedText {
  const values: string[] = [];
  for (const part of text.split(/[;|，；]/u).map((p) => p.trim()).filter((p) => p !== '')) {
    const one = parseOption(part, options);
    if (!one.ok) return one;
    values.push(one.value as string);
  }
  return parsed([...new Set(values)]);
}
