// The organisation's currency in the studio: with CRM_CURRENCY=EUR, a currency field that names no
// currency (and a formula returning currency, a rollup summing one) reads as euros in a list (table
// at 1280 px, cards at 390 px), on a record page (read-only values, and the amount input's unit) and
// in a dashboard's sum; without the setting the same amounts read as bare numbers. The field
// designer shows the organisation's currency as what an empty currency code means, and saves none.
// Expected texts are Intl's in the studio's locales (en-GB, zh-CN); axe and screenshots at 1280 px
// (en) and 390 px (zh).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, pickOption, signedInPage } from '../support/studio-fixture.ts';
import { ocDeal, ocLine } from '../support/organisation-currency-model.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const deal = ocDeal;
const line = ocLine;
const view = { kind: 'view', name: 'ocDeals', entity: 'ocDeal', type: 'list', label: { en: 'Deals', zh: '商机' }, sort: 'title', columns: { title: { order: 10 }, amount: { order: 20 }, doubled: { order: 30 } } };
const dashboard = {
  kind: 'dashboard', name: 'ocFigures', title: { en: 'Deal figures', zh: '商机数据' },
  widgets: { pipeline: { type: 'metric', title: { en: 'Pipeline', zh: '管道' }, entity: 'ocDeal', measure: { op: 'sum', field: 'amount' }, layout: { x: 0, y: 0, w: 6, h: 2 } } },
};
const amounts = { big: 1200.5, refund: -40 };
const lines = [100, 250.25];

const locales = { en: 'en-GB', zh: 'zh-CN' } as const;
type Language = keyof typeof locales;
const euros = (language: Language, value: number) => new Intl.NumberFormat(locales[language], { style: 'currency', currency: 'EUR' }).format(value);
const bare = (language: Language, value: number) => new Intl.NumberFormat(locales[language], { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
const labels = {
  en: { amount: 'Amount', doubled: 'Doubled', linesTotal: 'Lines total', addField: 'Add field', name: 'Name', type: 'Type', currency: 'Currency', currencyCode: 'Currency code', labelEn: 'Label (English)', keep: 'Keep in draft', review: 'Review and save', reviewTitle: 'Review the change before applying', apply: 'Apply', placeholder: 'Default: EUR' },
  zh: { amount: '金额', doubled: '双倍', linesTotal: '明细合计', addField: '添加字段', name: '名称', type: '类型', currency: '金额', currencyCode: '币种代码', labelEn: '标签（英文）', keep: '放入草稿', review: '检查并保存', reviewTitle: '应用前检查变更', apply: '应用', placeholder: '默认：EUR' },
} as const;

async function seed(server: TestServer): Promise<string> {
  const applied = await server.post('/api/meta/apply', [deal, line, view, dashboard]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const big = await server.post('/api/data/ocDeal', { title: 'Big one', amount: amounts.big });
  expect(big.status, JSON.stringify(big.body)).toBe(201);
  expect((await server.post('/api/data/ocDeal', { title: 'Refund', amount: amounts.refund })).status).toBe(201);
  for (const price of lines) expect((await server.post('/api/data/ocLine', { name: `Line ${price}`, deal: big.body.id, price })).status).toBe(201);
  return big.body.id as string;
}

/** The text of the list (table rows or cards) once its records are there. */
async function listText(page: Page): Promise<string> {
  await page.goto('/v/ocDeals');
  const records = page.locator('tbody tr.ant-table-row, [data-testid="record-cards"] > li');
  await eventually(() => records.count()).toBe(2);
  return (await records.allInnerTexts()).join('\n');
}

/** The amount input's unit beside it (none: no unit shown). */
const amountUnit = (page: Page, language: Language) => page.locator('.ant-space-compact').filter({ has: page.getByLabel(labels[language].amount, { exact: true }) });
const readOnly = (page: Page, label: string) => page.locator('output[data-read-only-value]').and(page.getByLabel(label, { exact: true }));

describe('studio: amounts in the organisation currency', { timeout: 300_000 }, () => {
  let euro: TestServer;
  let plain: TestServer;
  let euroDeal: string;
  let plainDeal: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [euro, plain] = await Promise.all([startTestServer({ env: { CRM_CURRENCY: 'EUR' } }), startTestServer()]);
    [euroDeal, plainDeal] = await Promise.all([seed(euro), seed(plain)]);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [euro, plain] }));

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    const l = labels[language];
    it(`with CRM_CURRENCY=EUR: the list, the record page and the dashboard write euros (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server: euro, contexts, options: { language, width } });
      const list = await listText(page);
      for (const value of [amounts.big, amounts.refund, amounts.big * 2, amounts.refund * 2]) expect(list).toContain(euros(language, value));
      // Rows or record cards, each whole (no amount cut or clipped).
      await expectTablesFit(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'organisation-currency-list', language);

      await page.goto(`/e/ocDeal/${euroDeal}`);
      await eventually(() => readOnly(page, l.doubled).innerText()).toBe(euros(language, amounts.big * 2));
      expect(await readOnly(page, l.linesTotal).innerText()).toBe(euros(language, lines[0]! + lines[1]!));
      expect(await page.getByLabel(l.amount, { exact: true }).inputValue()).toMatch(/^1,?200\.50$/);
      expect((await amountUnit(page, language).innerText()).trim()).toBe('EUR');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'organisation-currency-record', language);

      await page.goto('/d/ocFigures');
      await eventually(() => page.locator('[data-widget="pipeline"] .ant-statistic-content').innerText()).toBe(euros(language, amounts.big + amounts.refund));
    });

    it(`without it: the same amounts read as bare numbers (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server: plain, contexts, options: { language, width } });
      const list = await listText(page);
      for (const value of [amounts.big, amounts.refund, amounts.big * 2]) expect(list).toContain(bare(language, value));
      expect(list).not.toContain('€');
      await page.goto(`/e/ocDeal/${plainDeal}`);
      await eventually(() => readOnly(page, l.doubled).innerText()).toBe(bare(language, amounts.big * 2));
      expect(await amountUnit(page, language).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it(`the field designer shows the organisation currency as the empty code's meaning and saves none (${language}, ${width} px)`, async () => {
      const field = `fee${language}`;
      const page = await signedInPage({ browser, server: euro, contexts, options: { language, width } });
      await page.goto('/admin/entities/ocDeal');
      await page.getByRole('button', { name: l.addField }).click();
      await page.getByLabel(l.name, { exact: true }).fill(field);
      await pickOption(page, l.type, l.currency, l.currency);
      const code = page.getByLabel(l.currencyCode, { exact: true });
      await eventually(() => code.getAttribute('placeholder')).toBe(l.placeholder);
      expect(await code.inputValue()).toBe('');
      await page.getByLabel(l.labelEn, { exact: true }).fill('Fee');
      // The code's input is far down the drawer: the screenshot shows it with its placeholder.
      await code.scrollIntoViewIfNeeded();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'organisation-currency-designer', language);
      await page.getByRole('button', { name: l.keep }).click();
      await page.getByRole('button', { name: l.review }).click();
      await page.getByRole('dialog', { name: l.reviewTitle }).getByRole('button', { name: l.apply, exact: true }).click();
      await eventually(async () => (await euro.get('/api/meta/entities/ocDeal')).body.fields[field]?.type).toBe('currency');
      expect((await euro.get('/api/meta/entities/ocDeal')).body.fields[field]).not.toHaveProperty('currency');
    });
  }
});
