// Amounts of money as people read them — British English or Chinese, the currency's sign or code, and
// the cents the engine keeps even for a currency written without decimals (JPY) — and which signs and
// codes are a currency's. Readable exports, the number parser and the studio (i18n/format.ts) share it.

import type { Locale } from './i18n.ts';

const formatLocales: Record<Locale, string> = { en: 'en-GB', zh: 'zh-CN' };
const formatters = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: Locale, currency: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let format = formatters.get(key);
  if (!format) {
    const standard = new Intl.NumberFormat(formatLocales[locale], { style: 'currency', currency });
    const { maximumFractionDigits = 2 } = standard.resolvedOptions();
    format = maximumFractionDigits >= 2 ? standard : new Intl.NumberFormat(formatLocales[locale], { style: 'currency', currency, maximumFractionDigits: 2 });
    formatters.set(key, format);
  }
  return format;
}

/** "€1,234.50", "-CN¥40.00", "¥1,234.50" (Chinese, CNY). */
export function formatMoney(value: number, locale: Locale, currency: string): string {
  return moneyFormat(locale, currency).format(value);
}

/**
 * A spreadsheet number format that writes the currency's sign as `formatMoney` does (`"€"#,##0.00`):
 * the cell stays a number a spreadsheet sums.
 */
export function moneyNumberFormat(locale: Locale, currency: string): string {
  const parts = moneyFormat(locale, currency).formatToParts(1);
  const number = parts.findIndex((p) => p.type === 'integer');
  const last = parts.findLastIndex((p) => p.type === 'integer' || p.type === 'fraction');
  // The sign with the space some codes take ("CHF 1.00"), quoted as a literal; a non-breaking space kept as one.
  const literal = (from: number, to: number) => parts.slice(from, to).map((p) => p.value).join('').replace(/"/g, '');
  const before = literal(0, number);
  const after = literal(last + 1, parts.length);
  const quoted = (text: string) => (text === '' ? '' : `"${text}"`);
  const body = `${quoted(before)}#,##0.00${quoted(after)}`;
  return `${body};-${body}`;
}

const isoCodes = new Set(Intl.supportedValuesOf('currency'));

/** Whether `code` is an ISO 4217 currency code Intl knows ("CHF"; not "ABC"). */
export function isCurrencyCode(code: string): boolean {
  return isoCodes.has(code);
}

const signsByCurrency = new Map<string, Set<string>>();

let chineseNames: Map<string, string> | undefined;

/** What ledgers and spreadsheets write beside Intl's names (港币 for 港元, 美金 for 美元). */
const colloquialNames: [string, string][] = [
  ['港币', 'HKD'], ['美金', 'USD'], ['台币', 'TWD'], ['日币', 'JPY'], ['韩币', 'KRW'], ['澳币', 'AUD'], ['加币', 'CAD'], ['新币', 'SGD'], ['澳门币', 'MOP'], ['英磅', 'GBP'],
];
/** Currencies whose own amounts are written with 元 alone where they are used (the yuan, the Hong Kong, Macau and New Taiwan dollars). */
const writtenWithYuan = new Set(['CNY', 'HKD', 'MOP', 'TWD']);

/**
 * The currency a Chinese name after an amount stands for: its name as zh-CN writes it (人民币, 美元,
 * 欧元, 港元) or as ledgers say it (港币, 美金), or 元 alone — the yuan's unit, what a mainland ledger
 * writes after a renminbi amount (and a Hong Kong, Macau or Taiwan one after its own dollar: isSignOf).
 */
export function currencyOfChineseName(name: string): string | undefined {
  if (!chineseNames) {
    chineseNames = new Map([['元', 'CNY'], ...colloquialNames]);
    for (const code of isoCodes) {
      const written = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: code, currencyDisplay: 'name' }).formatToParts(1).find((p) => p.type === 'currency')?.value;
      if (written && /^\p{Script=Han}+$/u.test(written) && !chineseNames.has(written)) chineseNames.set(written, code);
    }
  }
  return chineseNames.get(name);
}

/**
 * Whether a sign or code written beside an amount ("€", "CN¥", "¥", "US$", "$", "CHF") may be
 * `currency`'s: its ISO code, or its sign as English (British or American) or Chinese writes it,
 * narrow or not. "$" is the narrow sign of many dollars, so it may be any of them.
 */
export function isSignOf(sign: string, currency: string): boolean {
  let signs = signsByCurrency.get(currency);
  if (!signs) {
    signs = new Set([currency]);
    for (const locale of ['en-GB', 'en-US', 'zh-CN']) {
      for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
        const part = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay }).formatToParts(1).find((p) => p.type === 'currency');
        if (part) signs.add(part.value);
      }
    }
    signsByCurrency.set(currency, signs);
  }
  return signs.has(sign) || currencyOfChineseName(sign) === currency || (sign === '元' && writtenWithYuan.has(currency));
}
