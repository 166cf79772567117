// Reading texts written in a locale (engine/fields/parse-text.ts): a declared date order and decimal
// separator read 31/12/2025 and 1.234,56; anything that could mean two things, or nothing, is refused
// with the reason — never guessed, never rounded.

import { describe, expect, it } from 'vitest';
import { parseDate, parseDatetime, parseDecimal, parseInteger, type ParseTextOptions } from '../../engine/fields/parse-text.ts';
import { getFieldType } from '../../engine/fields/registry.ts';

const dmy: ParseTextOptions = { dateOrder: 'DMY' };
const mdy: ParseTextOptions = { dateOrder: 'MDY' };
const comma: ParseTextOptions = { decimalSeparator: ',' };

describe('dates in a declared order', () => {
  it.each([
    ['31/12/2025', dmy, '2025-12-31'],
    ['31.12.2025', dmy, '2025-12-31'],
    ['1-2-2025', dmy, '2025-02-01'],
    ['12/31/2025', mdy, '2025-12-31'],
    ['1/2/2025', mdy, '2025-01-02'],
    ['29/02/2024', dmy, '2024-02-29'],
    // Year first means one thing only, whatever the order declared.
    ['2025-12-31', dmy, '2025-12-31'],
    ['2025/1/2', mdy, '2025-01-02'],
    ['2025年12月31日', {}, '2025-12-31'],
    ['2025 年 1 月 2 日', dmy, '2025-01-02'],
  ] as const)('%s (%o) is %s', (text, options, iso) => {
    expect(parseDate(text, options)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['31/02/2025', dmy, 'is not a calendar date read as day/month/year'],
    ['13/13/2025', dmy, 'is not a calendar date read as day/month/year'],
    ['31/12/2025', mdy, 'is not a calendar date read as month/day/year'],
    ['29/02/2025', dmy, 'is not a calendar date'],
    // No order declared (or year first declared): day and month cannot be told apart.
    ['03/04/2025', {}, 'does not say whether the day or the month comes first'],
    ['31/12/2025', { dateOrder: 'YMD' }, 'does not say whether the day or the month comes first'],
    // A two-digit year names no century; separators must agree.
    ['31/12/25', dmy, 'is not a date'],
    ['31/12.2025', dmy, 'is not a date'],
    ['2025-12-31T10:00:00Z', dmy, 'is not a date'],
    ['2025-02-30', {}, 'is not a calendar date'],
  ] as const)('%s (%o) is refused: %s', (text, options, reason) => {
    const result = parseDate(text, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && (result.reason as { en: string }).en).toContain(reason);
    expect(!result.ok && (result.reason as { zh: string }).zh).toContain(text);
  });
});

describe('datetimes in a declared order', () => {
  it.each([
    ['31/12/2025 14:30', { ...dmy, timeZone: 'Europe/Paris' }, '2025-12-31T13:30:00.000Z'],
    ['12/31/2025 9:05:07', { ...mdy, timeZone: 'UTC' }, '2025-12-31T09:05:07.000Z'],
    ['31.12.2025 14:30+02:00', dmy, '2025-12-31T12:30:00.000Z'],
    ['31/12/2025', { ...dmy, timeZone: 'Asia/Shanghai' }, '2025-12-30T16:00:00.000Z'],
    ['2025年12月31日 14:30', { timeZone: 'Asia/Shanghai' }, '2025-12-31T06:30:00.000Z'],
    ['2025-12-31 14:30', { ...dmy, timeZone: 'UTC' }, '2025-12-31T14:30:00.000Z'],
    // Offsets as exports write them (they were refused as "not a valid date and time" or "no time zone"): a
    // space before the offset (Ruby, git, a help desk's CSV), hours alone (PostgreSQL), the zone's name UTC or GMT.
    ['2023-01-01 07:00:00 +0000', {}, '2023-01-01T07:00:00.000Z'],
    ['2023-01-01 07:00:00 -0800', {}, '2023-01-01T15:00:00.000Z'],
    ['2023-01-01 07:00:00+00', {}, '2023-01-01T07:00:00.000Z'],
    ['2023-01-01 07:00:00.25+05:30', { timeZone: 'Europe/Paris' }, '2023-01-01T01:30:00.250Z'],
    ['2023-01-01 07:00:00 UTC', {}, '2023-01-01T07:00:00.000Z'],
    ['2023-01-01T07:00 gmt', {}, '2023-01-01T07:00:00.000Z'],
    ['12/31/2025 5:04 PM UTC', mdy, '2025-12-31T17:04:00.000Z'],
  ] as const)('%s (%o) is %s', (text, options, iso) => {
    expect(parseDatetime(text, options)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['31/12/2025 14:30', { timeZone: 'UTC' }, 'does not say whether the day or the month comes first'],
    ['31/02/2025 14:30', { ...dmy, timeZone: 'UTC' }, 'is not a calendar date read as day/month/year'],
    ['31/12/2025 25:00', { ...dmy, timeZone: 'UTC' }, 'is not a valid date and time'],
    ['31/12/2025 14:30', dmy, 'has no time zone'],
    ['tomorrow', dmy, 'is not a date and time'],
    ['2023-01-01 07:00:00 +2500', {}, 'is not a valid date and time'],
    ['2023-01-01 07:00:00 PST', {}, 'has no time zone'],
    ['2023-01-01', {}, 'has no time zone'],
    // Date.parse rolled these over to the next month: an import stored March 1st for February 30th.
    ['2024-02-30T10:00:00Z', {}, 'is not a valid date and time: "2024-02-30" is not a calendar date'],
    ['2023-02-29 08:00 +08:00', {}, 'is not a valid date and time'],
    ['2024-04-31', { timeZone: 'Asia/Shanghai' }, 'is not a valid date and time'],
  ] as const)('%s (%o) is refused: %s', (text, options, reason) => {
    const result = parseDatetime(text, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && (result.reason as { en: string }).en).toContain(reason);
  });
});

describe('numbers with a declared decimal separator', () => {
  it.each([
    ['1.234,56', 2, comma, 1234.56],
    ['1 234,56', 2, comma, 1234.56],
    ['1\u202f234,56', 2, comma, 1234.56],
    ['1\u00a0234,56', 2, comma, 1234.56],
    ["1'234,56", 2, comma, 1234.56],
    ['-1.234.567,00', 0, comma, -1234567],
    ['1.234,5', 1, comma, 1234.5],
    ['1,5', 1, comma, 1.5],
    ['0,10', 1, comma, 0.1],
    ['1.234', 0, comma, 1234],
    ['12,50 €', 2, comma, 12.5],
    ['€ 12,50', 2, comma, 12.5],
    ['1,234.56', 2, {}, 1234.56],
    ['1 234.56', 2, {}, 1234.56],
    ["1'234.5", 1, {}, 1234.5],
    ['1,234', 0, {}, 1234],
    ['-0.5', 1, {}, -0.5],
    // Money as readable exports write it (Intl): the minus before the sign, signs with letters, codes.
    ['-€40.00', 2, {}, -40],
    ['CN¥8,800.00', 2, {}, 8800],
    ['-US$1,200.50', 2, {}, -1200.5],
    ['CHF 1,200.50', 2, {}, 1200.5],
    ['-1.200,50 CHF', 2, comma, -1200.5],
  ] as const)('%s (scale %s, %o) is %s', (text, scale, options, value) => {
    expect(parseDecimal(text, scale, options)).toEqual({ ok: true, value });
  });

  it.each([
    // Scale counts the decimals after the declared separator.
    ['1.234,56', 1, comma, 'has 2 decimals; at most 1 allowed'],
    ['1,234.56', 1, {}, 'has 2 decimals; at most 1 allowed'],
    // Groups of three, one kind of group separator, the decimal separator once.
    ['1,2,3', undefined, comma, 'is not a number written with a decimal comma'],
    ['1,2,3', undefined, {}, 'is not a number'],
    ['1.23.456', undefined, comma, 'is not a number written with a decimal comma'],
    ['1.234 567,8', undefined, comma, 'is not a number written with a decimal comma'],
    // The other convention's number: refused, never read the other way.
    ['1,234.56', undefined, comma, 'is not a number written with a decimal comma'],
    ['1.5', undefined, comma, 'is not a number written with a decimal comma'],
    ['1.234,56', undefined, {}, 'declare the decimal comma'],
    ['1,5', undefined, {}, 'declare the decimal comma'],
    ['12,3,4', undefined, {}, 'is not a number'],
    // Three letters that name no currency are no code to drop.
    ['ABC 12', undefined, {}, 'is not a number'],
    ['€', undefined, {}, 'is not a number'],
  ] as const)('%s (scale %s, %o) is refused: %s', (text, scale, options, reason) => {
    const result = parseDecimal(text, scale, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && (result.reason as { en: string }).en).toContain(reason);
  });

  it('reads an amount of a currency field only in that field\'s currency: another sign or code is refused, never read as if it were', () => {
    const parseText = getFieldType('currency').parseText!;
    const read = (text: string, code: string | undefined) => parseText(text, { type: 'currency', ...(code ? { currency: code } : {}) } as never, {});
    // The field's own currency, as English and Chinese write it, its code, or no sign at all.
    for (const text of ['¥1,234.50', 'CN¥1,234.50', 'CNY 1,234.50', '1,234.50 CNY', '1234.5']) expect(read(text, 'CNY'), text).toEqual({ ok: true, value: 1234.5 });
    expect(read('$1,200.00', 'USD')).toEqual({ ok: true, value: 1200 });
    expect(read('US$1,200.00', 'USD')).toEqual({ ok: true, value: 1200 });
    expect(read('-€40.00', 'EUR')).toEqual({ ok: true, value: -40 });
    for (const text of ['$100', 'US$100', '-€40.00', '100 €', 'CHF 100', 'USD 100', 'JP¥100']) {
      const result = read(text, 'CNY');
      expect(result.ok, text).toBe(false);
      expect(!result.ok && result.reason).toEqual({ en: `"${text}" is written in another currency than this field's (CNY)`, zh: `「${text}」的币种与本字段的币种（CNY）不同` });
    }
    // A field that names no currency takes any sign, as before.
    expect(read('$100', undefined)).toEqual({ ok: true, value: 100 });
  });

  it('reads whole numbers with the separator', () => {
    expect(parseInteger('1.234.567', comma)).toEqual({ ok: true, value: 1234567 });
    expect(parseInteger('1.234,5', comma).ok).toBe(false);
  });
});

describe('full-width digits and signs (Chinese input)', () => {
  it('reads full-width numbers, dates and times as their half-width forms', () => {
    expect(parseDecimal('１２３．５')).toEqual({ ok: true, value: 123.5 });
    expect(parseDecimal('１，２３４．５０', 2)).toEqual({ ok: true, value: 1234.5 });
    expect(parseDecimal('－４０')).toEqual({ ok: true, value: -40 });
    expect(parseInteger('４２')).toEqual({ ok: true, value: 42 });
    expect(parseDate('２０２５／３／７')).toEqual({ ok: true, value: '2025-03-07' });
    expect(parseDate('２０２５年３月７日')).toEqual({ ok: true, value: '2025-03-07' });
    expect(parseDatetime('２０２５－０３－０７　１４：３０', { timeZone: 'Asia/Shanghai' })).toEqual({ ok: true, value: '2025-03-07T06:30:00.000Z' });
  });

  it('still refuses what is no plain number, and still counts decimals', () => {
    // NFKC would read these as 102 and 1/2: only full-width ASCII is taken as its half-width form.
    expect(parseDecimal('10²').ok).toBe(false);
    expect(parseDecimal('½').ok).toBe(false);
    expect(parseDecimal('１．００５', 2)).toMatchObject({ ok: false });
  });
});


// A desktop ERP's database writes a date column as a date-time at midnight: that day, not a refusal.
describe('dates exported with a midnight time', () => {
  it.each([
    ['2023-03-05 00:00:00', {}, '2023-03-05'],
    ['2023/3/5 0:00', {}, '2023-03-05'],
    ['2023-03-05T00:00:00.000', {}, '2023-03-05'],
    ['2023年3月5日 00:00', {}, '2023-03-05'],
    ['05/03/2023 00:00:00', dmy, '2023-03-05'],
  ] as const)('%s (%o) is %s', (text, options, iso) => {
    expect(parseDate(text, options)).toEqual({ ok: true, value: iso });
  });

  it('keeps refusing another time of day, an instant, and a day that does not exist', () => {
    expect(parseDate('2023-03-05 14:30')).toMatchObject({ ok: false });
    expect(parseDate('2023-03-05T00:00:00Z')).toMatchObject({ ok: false });
    expect(parseDate('2023-02-30 00:00:00')).toEqual({ ok: false, reason: { en: '"2023-02-30 00:00:00" is not a date: "2023-02-30" is not a calendar date', zh: '「2023-02-30 00:00:00」不是日期：「2023-02-30」不是有效日期' } });
  });
});
