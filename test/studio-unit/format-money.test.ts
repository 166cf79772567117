// Money and percentages as the UI language writes them (studio/src/i18n/format.ts), case by case:
// what a dashboard's metric over a currency or percent field shows (admin-defaults.test.ts). A new
// view's starting columns and a generated workflow are checked in the browser there: their modules
// reach the studio's i18n, which the engine's compiler does not read.

import { describe, expect, it } from 'vitest';
import { formatCurrency, formatPercent } from '../../studio/src/i18n/format.ts';

describe('money and percentages', () => {
  it.each([
    ['en', 'CNY', 1234.5, 'CN¥1,234.50'],
    ['zh', 'CNY', 1234.5, '¥1,234.50'],
    ['en', 'USD', -3, '-US$3.00'],
    ['en', undefined, 1234.5, '1,234.50'],
    ['en', 'NOTACODE', 2, '2.00 NOTACODE'],
    // Yen are written without decimals, but the engine keeps cents: an amount that has some shows them.
    ['en', 'JPY', 1500, 'JP¥1,500'],
    ['en', 'JPY', 100.5, 'JP¥100.5'],
    ['en', 'KWD', 1.234, 'KWD 1.234'],
  ] as const)('%s %s %d → %s', (language, currency, value, expected) => {
    expect(formatCurrency(value, language, currency).replace(/\u2212/g, '-').replace(/\u00a0/g, ' ')).toBe(expected);
  });
  it('a percent field\'s 12.5 is 12.5%', () => {
    expect(formatPercent(12.5, 'en')).toBe('12.5%');
    expect(formatPercent(40, 'zh')).toBe('40%');
  });
});
