// The studio's one formatting module (studio/src/i18n/format.ts): each kind in English and Chinese.
// Expected strings are written out here (or built from Date's own getters), never by the module.

process.env.TZ = 'Asia/Shanghai'; // before any formatter is built: the "browser's" zone, 8 hours ahead of UTC

import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatRelative } from '../../studio/src/i18n/format.ts';

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
