// The studio's one formatting module (studio/src/i18n/format.ts): each kind in English and Chinese.
// Expected strings are written out here (or built from Date's own getters), never by the module.

process.env.TZ = 'Asia/Shanghai'; // before any formatter is built: the "browser's" zone, 8 hours ahead of UTC

import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import 'dayjs/locale/zh-cn.js';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatRelative, pickerFormats, shortMonths } from '../../studio/src/i18n/format.ts';

const at = '2026-12-04T14:05:00.000Z'; // 22:05 on 4 December in Shanghai
const minute = 60_000;

describe('dates', () => {
  it.each([
    ['en', '2026-12-04', '4 Dec 2026'],
    ['zh', '2026-12-04', '2026年12月4日'],
    ['en', '2026-01-31', '31 Jan 2026'],
    ['zh', '2026-01-31', '2026年1月31日'],
  ] as const)('%s writes the calendar date %s as %s', (language, value, expected) => {
    expect(formatDate(value, language)).toBe(expected);
  });

  it('keeps a calendar date on its day in a zone behind UTC', () => {
    process.env.TZ = 'America/Los_Angeles';
    try {
      // A date built from the browser's midnight: the day itself, not the day before.
      expect(formatDate('2026-12-04', 'en')).toBe('4 Dec 2026');
    } finally {
      process.env.TZ = 'Asia/Shanghai';
    }
  });

  it('writes an instant as its day in the browser zone', () => {
    // 20:30 UTC on 3 December is already 4 December in Shanghai.
    expect(formatDate('2026-12-03T20:30:00.000Z', 'en')).toBe('4 Dec 2026');
    expect(formatDate('2026-12-03T20:30:00.000Z', 'zh')).toBe('2026年12月4日');
  });

  it('returns what is not a date as it was', () => {
    expect(formatDate('soon', 'en')).toBe('soon');
    expect(formatDateTime('', 'zh')).toBe('');
  });
});

describe('date-times', () => {
  it.each([
    ['en', at, '4 Dec 2026, 22:05'],
    ['zh', at, '2026年12月4日 22:05'],
    ['en', '2026-12-04T16:07:00.000Z', '5 Dec 2026, 00:07'],
    ['zh', '2026-12-04T16:07:00.000Z', '2026年12月5日 00:07'],
  ] as const)('%s writes %s as %s (hour and minute, 24-hour clock, in the browser zone)', (language, value, expected) => {
    expect(formatDateTime(value, language)).toBe(expected);
  });

  it('agrees with the local clock of Date', () => {
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatDateTime(at, 'zh')).toBe(`${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`);
  });
});

describe('relative times', () => {
  const now = Date.parse(at);
  it.each([
    ['en', 0, 'now'],
    ['zh', 0, '现在'],
    ['en', -30_000, 'now'],
    ['en', -3 * minute, '3 minutes ago'],
    ['zh', -3 * minute, '3分钟前'],
    ['en', -1 * minute, '1 minute ago'],
    ['en', -5 * 60 * minute, '5 hours ago'],
    ['zh', -5 * 60 * minute, '5小时前'],
    ['en', -24 * 60 * minute, 'yesterday'],
    ['zh', -24 * 60 * minute, '昨天'],
    ['en', -3 * 24 * 60 * minute, '3 days ago'],
    ['zh', -3 * 24 * 60 * minute, '3天前'],
    ['en', 10 * minute, 'in 10 minutes'],
    ['zh', 10 * minute, '10分钟后'],
  ] as const)('%s: %d ms from now reads %s', (language, offset, expected) => {
    expect(formatRelative(new Date(now + offset).toISOString(), language, now)).toBe(expected);
  });

  it('shows a week or more ago as the date and time', () => {
    const old = '2026-11-20T02:00:00.000Z';
    expect(formatRelative(old, 'en', now)).toBe('20 Nov 2026, 10:00');
    expect(formatRelative(old, 'zh', now)).toBe('2026年11月20日 10:00');
  });

  it('matches Intl.RelativeTimeFormat of the language', () => {
    expect(formatRelative(new Date(now - 42 * minute).toISOString(), 'en', now)).toBe(new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(-42, 'minute'));
    expect(formatRelative(new Date(now - 42 * minute).toISOString(), 'zh', now)).toBe(new Intl.RelativeTimeFormat('zh', { numeric: 'auto' }).format(-42, 'minute'));
  });
});

describe('numbers', () => {
  it.each([
    ['en', 1234567, {}, '1,234,567'],
    ['zh', 1234567, {}, '1,234,567'],
    ['en', -9876543.25, {}, '-9,876,543.25'],
    ['en', 1234.5, { scale: 2 }, '1,234.50'],
    ['zh', 1234.5, { scale: 2 }, '1,234.50'],
    ['en', 1234.5678, { scale: 2 }, '1,234.57'],
    ['en', 1234567, { scale: 0 }, '1,234,567'],
    ['en', 0.1234567891, {}, '0.1234567891'],
    ['en', 2 / 3, { max: 3 }, '0.667'],
    ['zh', 1000, { scale: 1 }, '1,000.0'],
  ] as const)('%s writes %d (%o) as %s', (language, value, decimals, expected) => {
    expect(formatNumber(value, language, decimals)).toBe(expected);
  });

  it('groups as Intl.NumberFormat does for the language', () => {
    expect(formatNumber(98765432.1, 'en')).toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 10 }).format(98765432.1));
    expect(formatNumber(98765432.1, 'zh')).toBe(new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 10 }).format(98765432.1));
  });
});

describe('date pickers (dayjs patterns, as antd\'s picker uses them)', () => {
  dayjs.extend(customParseFormat);
  // As the studio does (App.tsx): English months as Intl writes them.
  Object.assign(dayjs.Ls['en'] ?? {}, { monthsShort: shortMonths('en') });
  const dayjsLocale = { en: 'en', zh: 'zh-cn' } as const;
  const show = (iso: string, language: 'en' | 'zh', kind: 'date' | 'datetime') => dayjs(iso).locale(dayjsLocale[language]).format(pickerFormats(language, kind)[0]);
  /** What the picker takes typed: the first pattern that parses the text strictly (rc-picker's way), as ISO. */
  const take = (text: string, language: 'en' | 'zh', kind: 'date' | 'datetime') => {
    dayjs.locale(dayjsLocale[language]);
    try {
      for (const pattern of pickerFormats(language, kind)) {
        const parsed = dayjs(text, pattern, true);
        if (parsed.isValid()) return kind === 'date' ? parsed.format('YYYY-MM-DD') : parsed.format('YYYY-MM-DDTHH:mm');
      }
      return undefined;
    } finally {
      dayjs.locale('en');
    }
  };

  it('names the months as Intl does in each language (September is "Sept" in British English)', () => {
    expect(shortMonths('en')).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec']);
    expect(shortMonths('zh')).toEqual(['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
  });

  it.each([
    ['en', '2026-12-04', '4 Dec 2026'],
    ['zh', '2026-12-04', '2026年12月4日'],
    ['en', '2026-09-30', '30 Sept 2026'],
    ['zh', '2026-01-01', '2026年1月1日'],
  ] as const)('%s shows the date %s as %s', (language, iso, expected) => {
    expect(show(iso, language, 'date')).toBe(expected);
  });

  it.each([
    ['en', '2026-12-04T22:05', '4 Dec 2026, 22:05'],
    ['zh', '2026-12-04T22:05', '2026年12月4日 22:05'],
    ['en', '2026-09-01T00:07', '1 Sept 2026, 00:07'],
  ] as const)('%s shows the date and time %s as %s', (language, local, expected) => {
    expect(show(local, language, 'datetime')).toBe(expected);
  });

  it('shows every day of a year as formatDate and formatDateTime write it', () => {
    for (let day = 0; day < 366; day += 7) {
      const date = new Date(Date.UTC(2026, 0, 1 + day));
      const iso = date.toISOString().slice(0, 10);
      for (const language of ['en', 'zh'] as const) {
        expect(show(iso, language, 'date')).toBe(formatDate(iso, language));
        const instant = `${iso}T13:45:00.000Z`;
        expect(show(instant, language, 'datetime')).toBe(formatDateTime(instant, language));
      }
    }
  });

  it.each([
    ['en', '4 Dec 2026', '2026-12-04'],
    ['en', '2026-12-04', '2026-12-04'],
    ['en', '30 Sept 2026', '2026-09-30'],
    ['zh', '2026年12月4日', '2026-12-04'],
    ['zh', '2026-12-04', '2026-12-04'],
    ['en', '2026-02-30', undefined],
    ['en', '4/12/2026', undefined],
  ] as const)('%s takes the date typed as %s: %s', (language, text, expected) => {
    expect(take(text, language, 'date')).toBe(expected);
  });

  it.each([
    ['en', '4 Dec 2026, 22:05', '2026-12-04T22:05'],
    ['en', '2026-12-04 22:05', '2026-12-04T22:05'],
    ['zh', '2026年12月4日 22:05', '2026-12-04T22:05'],
    ['zh', '2026-12-04 22:05:30', '2026-12-04T22:05'],
  ] as const)('%s takes the date and time typed as %s: %s', (language, text, expected) => {
    expect(take(text, language, 'datetime')).toBe(expected);
  });
});
