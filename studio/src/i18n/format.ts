// How the studio writes dates, times and numbers: one place for every screen, by the UI language.
// A date as the language writes it ("4 Dec 2026", "2026年12月4日"), a date and time with hour and
// minute in the browser's time zone, a recency ("3 minutes ago", "3分钟前") where a screen shows
// how recent something is, numbers with their digits grouped. Pure functions of their arguments and
// the browser's zone (no React, no i18next), so they run the same in the browser and in a unit test.
// Field-aware text (picklists, currency units, a field's scale) builds on them: records/format-value.tsx.

import { formatMoney } from '../../../engine/kernel/money.ts';
import type { Language } from './language.ts';

/** The locale each UI language formats with: British English writes day, month, year. */
export const formatLocale = (language: Language): string => (language === 'zh' ? 'zh-CN' : 'en-GB');

const dateParts: Record<Language, Intl.DateTimeFormatOptions> = {
  en: { day: 'numeric', month: 'short', year: 'numeric' },
  zh: { day: 'numeric', month: 'long', year: 'numeric' },
};
const timeParts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

// Building an Intl formatter costs far more than using one: a list of 50 rows formats hundreds of values.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = cache.get(key);
  if (!formatter) cache.set(key, (formatter = make()));
  return formatter as T;
}

const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: string | number | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A date as the language writes it. A calendar date ("2026-12-04", a date field) is that day wherever
 * the browser is; an instant (an ISO date-time) is its day in the browser's zone. Anything that is
 * not a date comes back as it was.
 */
export function formatDate(value: string | number | Date, language: Language): string {
  const day = typeof value === 'string' ? calendarDate.exec(value) : null;
  if (day) {
    const utc = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return cached(`date:${language}:utc`, () => new Intl.DateTimeFormat(formatLocale(language), { ...dateParts[language], timeZone: 'UTC' })).format(utc);
  }
  const date = toDate(value);
  return date ? cached(`date:${language}`, () => new Intl.DateTimeFormat(formatLocale(language), dateParts[language])).format(date) : String(value);
}

/** A date and time (hour and minute, 24-hour clock) in the browser's time zone: "4 Dec 2026, 14:05", "2026年12月4日 14:05". */
export function formatDateTime(value: string | number | Date, language: Language): string {
  const date = toDate(value);
  return date ? cached(`datetime:${language}`, () => new Intl.DateTimeFormat(formatLocale(language), { ...dateParts[language], ...timeParts })).format(date) : String(value);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
];
/** Older than this, a recency reads as the date and time itself. */
const recentSeconds = 7 * 24 * 60 * 60;

/**
 * How long ago (or how soon) an instant is, from `now`: "now" under a minute, then minutes, hours,
 * "yesterday" and days; a week or more away, the date and time (formatDateTime). Only for screens
 * that show recency (the inbox, the bell), with the date and time beside it as a title.
 */
export function formatRelative(value: string | number | Date, language: Language, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return String(value);
  const seconds = (date.getTime() - now) / 1000;
  if (Math.abs(seconds) >= recentSeconds) return formatDateTime(date, language);
  const relative = cached(`relative:${language}`, () => new Intl.RelativeTimeFormat(formatLocale(language), { numeric: 'auto' }));
  if (Math.abs(seconds) < 60) return relative.format(0, 'second');
  let unit = units[0]!;
  for (const candidate of units) if (Math.abs(seconds) >= candidate[1]) unit = candidate;
  return relative.format(Math.trunc(seconds / unit[1]), unit[0]);
}

/** How many decimals a number shows: exactly `scale` (a field's declared scale, a currency's 2), else up to `max` (10, the largest scale). */
export interface Decimals {
  scale?: number;
  max?: number;
}

/** A number with its digits grouped as the language groups them: "1,234,567", "1,234.50" (scale 2). */
export function formatNumber(value: number, language: Language, decimals: Decimals = {}): string {
  const min = decimals.scale ?? 0;
  const max = decimals.scale ?? decimals.max ?? 10;
  return cached(`number:${language}:${min}:${max}`, () => new Intl.NumberFormat(formatLocale(language), { minimumFractionDigits: min, maximumFractionDigits: max })).format(value);
}

/**
 * An amount of money as the language writes it, with its currency's sign or code ("CN¥1,234.50" in
 * English, "¥1,234.50" in Chinese) — in lists, cards, forms and dashboards alike. Without a currency
 * (or with a code Intl does not know), the number with two decimals and the code after it.
 */
export function formatCurrency(value: number, language: Language, currency: string | undefined): string {
  if (currency) {
    try {
      // The engine's formatter, which readable exports use: the studio and an export write money alike.
      return formatMoney(value, language, currency);
    } catch {
      // An unknown code (RangeError): written after the number below.
    }
  }
  return `${formatNumber(value, language, { scale: 2 })}${currency ? ` ${currency}` : ''}`;
}

/** A percent field's value (45 meaning 45 %) as the language writes a percentage: "45%", "12.5%". */
export function formatPercent(value: number, language: Language): string {
  return cached(`percent:${language}`, () => new Intl.NumberFormat(formatLocale(language), { style: 'percent', maximumFractionDigits: 2 })).format(value / 100);
}

/**
 * What a date picker (antd's, dayjs patterns) shows and takes, as formatDate and formatDateTime
 * write it: the first pattern displays ("4 Dec 2026", "2026年12月4日"; with the time "…, 14:05",
 * "… 14:05"), every one parses, so a date typed as ISO ("2026-12-04", "2026-12-04 14:05") is taken
 * in both languages. English month names come from shortMonths (dayjs's own write September "Sep").
 */
export function pickerFormats(language: Language, kind: 'date' | 'datetime'): string[] {
  return pickerPatterns[language][kind];
}
// One array per language and kind: the picker recomputes its formats when it is given a new one.
const pickerPatterns: Record<Language, Record<'date' | 'datetime', string[]>> = {
  en: { date: ['D MMM YYYY', 'YYYY-MM-DD'], datetime: ['D MMM YYYY, HH:mm', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DD HH:mm:ss'] },
  zh: { date: ['YYYY年M月D日', 'YYYY-MM-DD'], datetime: ['YYYY年M月D日 HH:mm', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DD HH:mm:ss'] },
};

/** The twelve short month names formatDate writes in the language ("Jan" … "Sept" … "Dec" in English). */
export function shortMonths(language: Language): string[] {
  const month = cached(`month:${language}`, () => new Intl.DateTimeFormat(formatLocale(language), { month: 'short', timeZone: 'UTC' }));
  return Array.from({ length: 12 }, (_, m) => month.format(Date.UTC(2026, m, 1)));
}
