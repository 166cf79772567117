// The field designer offers a formula's currency only when the formula returns currency (the server
// refuses it on any other result: reference-types.ts): hidden until the result type is Currency,
// gone again — and its value dropped, so nothing unseen is saved and refused — when the result type
// changes. A formula made so is saved as named. Likewise a file field's maximum number of files,
// only with several files (file-type.ts). Checked through the API; axe and screenshots at 1280 px
// (en) and 390 px (zh).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, pickOption, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const order = {
  kind: 'entity', name: 'fdOrder', label: { en: 'Order', zh: '订单' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    subtotal: { type: 'currency', currency: 'CNY', label: { en: 'Subtotal', zh: '小计' } },
  },
};

const words = {
  en: { file: 'File', multiple: 'Several files', maxFiles: 'Maximum choices', labelZh: 'Label (Chinese)', addField: 'Add field', name: 'Name', type: 'Type', formula: 'Formula', returns: 'Result type', currency: 'Currency', number: 'Number', currencyCode: 'Currency code', labelEn: 'Label (English)', currencyHelp: 'ISO 4217 code of the money a formula returning currency gives', expression: 'Expression', keep: 'Keep in draft', review: 'Review and save', reviewTitle: 'Review the change before applying', apply: 'Apply' },
  zh: { file: '文件', multiple: '多个文件', maxFiles: '最多选择', labelZh: '标签（中文）', addField: '添加字段', name: '名称', type: '类型', formula: '公式', returns: '结果类型', currency: '金额', number: '数字', currencyCode: '币种代码', labelEn: '标签（英文）', currencyHelp: '公式结果为金额时的 ISO 4217 币种代码', expression: '表达式', keep: '放入草稿', review: '检查并保存', reviewTitle: '应用前检查变更', apply: '应用' },
} as const;

describe('studio: the field designer offers an option only beside the value it applies with', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [order]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const currencyOption = (page: Page, w: (typeof words)['en' | 'zh']) => page.getByLabel(w.currencyCode, { exact: true });

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`a formula's currency code shows only while it returns currency, and is saved with it (${language}, ${width} px)`, async () => {
      const w = words[language];
      const field = `total${language}`;
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/entities/fdOrder');
      await page.getByRole('button', { name: w.addField }).click();
      await page.getByLabel(w.name, { exact: true }).fill(field);
      await pickOption(page, w.type, w.formula, w.formula);
      await page.getByLabel(w.returns, { exact: true }).waitFor();
      // No result type yet, then a number: no currency to name. (Before, it was offered for every formula.)
      expect(await currencyOption(page, w).count()).toBe(0);
      await pickOption(page, w.returns, w.number);
      expect(await currencyOption(page, w).count()).toBe(0);
      await pickOption(page, w.returns, w.currency);
      await currencyOption(page, w).fill('CNY');
      // Away from currency and back: the code went with the result type it belonged to.
      await pickOption(page, w.returns, w.number);
      await eventually(() => currencyOption(page, w).count()).toBe(0);
      await pickOption(page, w.returns, w.currency);
      expect(await currencyOption(page, w).inputValue()).toBe('');
      await currencyOption(page, w).fill('CNY');
      // The option's help in the page's language: a formula's own (not a currency field's), in Chinese too (before, none in zh).
      await page.getByText(w.currencyHelp).waitFor();
      await page.getByLabel(w.labelEn, { exact: true }).fill('Total');
      await page.getByLabel(w.expression, { exact: true }).fill('subtotal * 2');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'designer-formula-currency', language);
      await page.getByRole('button', { name: w.keep }).click();
      await page.getByRole('button', { name: w.review }).click();
      await page.getByRole('dialog', { name: w.reviewTitle }).getByRole('button', { name: w.apply, exact: true }).click();
      await eventually(async () => (await server.get('/api/meta/entities/fdOrder')).body.fields[field]).toMatchObject({ type: 'formula', returns: 'currency', currency: 'CNY', expression: 'subtotal * 2' });
    });
  }

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`a file field's maximum number of files shows only with several files, and is saved with it (${language}, ${width} px)`, async () => {
      const w = words[language];
      const field = `papers${language}`;
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/entities/fdOrder');
      await page.getByRole('button', { name: w.addField }).click();
      await page.getByLabel(w.name, { exact: true }).fill(field);
      await pickOption(page, w.type, w.file, w.file);
      const multiple = page.getByLabel(w.multiple, { exact: true });
      const maxFiles = page.getByLabel(w.maxFiles, { exact: true });
      await multiple.waitFor();
      // One file: no number of files to cap. (Before, it was offered, and refused on save.)
      expect(await maxFiles.count()).toBe(0);
      await multiple.click();
      await maxFiles.fill('5');
      // Back to one file and again several: the cap went with them.
      await multiple.click();
      await eventually(() => maxFiles.count()).toBe(0);
      await multiple.click();
      expect(await maxFiles.inputValue()).toBe('');
      await maxFiles.fill('3');
      await page.getByLabel(w.labelEn, { exact: true }).fill('Papers');
      await page.getByLabel(w.labelZh, { exact: true }).fill('文件');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: w.keep }).click();
      await page.getByRole('button', { name: w.review }).click();
      await page.getByRole('dialog', { name: w.reviewTitle }).getByRole('button', { name: w.apply, exact: true }).click();
      await eventually(async () => (await server.get('/api/meta/entities/fdOrder')).body.fields[field]).toMatchObject({ type: 'file', multiple: true, maxItems: 3 });
    });
  }
});
