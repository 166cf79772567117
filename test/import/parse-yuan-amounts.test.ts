// A Chinese ledger writes the currency's name after an amount — 1,234.50元, 200 美元, 5,000 人民币 — where
// an English one writes a sign. Such an amount was refused as "不是数字" (not a number). The name is
// read as the currency's sign: the field's own is taken, another currency's refused as such, and a
// word that names no currency (100件) is still not a number.

import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../engine/fields/parse-text.ts';

describe('amounts followed by a currency’s Chinese name', () => {
  it.each([
    ['1,234.50元', 'CNY', 1234.5],
    ['1234.50 元', 'CNY', 1234.5],
    ['５，０００元', 'CNY', 5000],
    ['5,000 人民币', 'CNY', 5000],
    ['200美元', 'USD', 200],
    ['80 欧元', 'EUR', 80],
    ['5元', undefined, 5],
    // What ledgers say beside Intl's names, and 元 alone after a Hong Kong or Taiwan dollar amount.
    ['1,000 港币', 'HKD', 1000],
    ['1,000港元', 'HKD', 1000],
    ['300元', 'HKD', 300],
    ['300元', 'TWD', 300],
    ['50 美金', 'USD', 50],
  ] as const)('%s in a %s field is %d', (text, currency, value) => {
    expect(parseDecimal(text, 2, {}, currency)).toEqual({ ok: true, value });
  });

  it('refuses another currency’s amount, more decimals than the field keeps, and a word that names no currency', () => {
    expect(parseDecimal('1,000 港币', 2, {}, 'CNY')).toMatchObject({ ok: false });
    expect(parseDecimal('300元', 2, {}, 'USD')).toMatchObject({ ok: false });
    expect(parseDecimal('200 美元', 2, {}, 'CNY')).toEqual({ ok: false, reason: { en: '"200 美元" is written in another currency than this field\'s (CNY)', zh: '「200 美元」的币种与本字段的币种（CNY）不同' } });
    expect(parseDecimal('12.345元', 2, {}, 'CNY')).toMatchObject({ ok: false, reason: { zh: '「12.345元」有 3 位小数，最多允许 2 位（不会自动舍入）' } });
    expect(parseDecimal('100件', 2, {}, 'CNY')).toEqual({ ok: false, reason: { en: '"100件" is not a number', zh: '「100件」不是数字' } });
  });
});
