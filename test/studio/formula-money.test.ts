// A formula returning currency names its currency (`currency`, as a currency field does): a
// dashboard's sum of it reads as money with the currency's sign, in the UI language. Before, the
// schema gave a formula no way to name it, and the wholesale home dashboard's "Revenue collected"
// and "Overdue receivables" (sums of an order's total, a formula) read "0.00" beside metrics in
// CN¥. Checked on an entity of the test's own, at 1280 px (en) and 390 px (zh).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const order = {
  kind: 'entity', name: 'fmOrder', label: { en: 'Order', zh: '订单' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    subtotal: { type: 'currency', currency: 'CNY', label: { en: 'Subtotal', zh: '小计' } },
    discountPercent: { type: 'percent', label: { en: 'Discount', zh: '折扣' } },
    paid: { type: 'boolean', label: { en: 'Paid', zh: '已付' } },
    total: { type: 'formula', returns: 'currency', currency: 'CNY', label: { en: 'Total', zh: '总额' }, expression: '(subtotal ? subtotal : 0) * (100 - (discountPercent ? discountPercent : 0)) / 100' },
  },
};
const dashboard = {
  kind: 'dashboard', name: 'fmFigures', title: { en: 'Order figures', zh: '订单数据' },
  widgets: {
    collected: { type: 'metric', title: { en: 'Collected', zh: '已回款' }, entity: 'fmOrder', filter: { paid: true }, measure: { op: 'sum', field: 'total' }, layout: { x: 0, y: 0, w: 6, h: 2 } },
  },
};
const orders = [
  { title: 'Harbour Foods', subtotal: 12800, discountPercent: 5, paid: true },
  { title: 'River Mart', subtotal: 930.5, paid: true },
  { title: 'Hill Store', subtotal: 4000, paid: false },
];

const metricText = (page: Page, widget: string) => page.locator(`[data-widget="${widget}"] .ant-statistic-content`).innerText();

describe('studio: a sum of a formula returning currency reads as money', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let collected = 0;

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [order, dashboard]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    for (const o of orders) {
      const res = await server.post('/api/data/fmOrder', o);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (o.paid) collected += res.body.total as number;
    }
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [language, width, sign] of [['en', 1280, 'CN¥'], ['zh', 390, '¥']] as const) {
    it(`the metric writes the formula's sum with its currency's sign (${language}, ${width} px)`, async () => {
      expect(collected).toBeGreaterThan(1000);
      const amount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(collected);
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/d/fmFigures');
      await eventually(() => metricText(page, 'collected')).toBe(`${sign}${amount}`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'dashboard-formula-money', language);
    });
  }
});
