// The field designer offers "Personal data" on a file field, as it does on other fields (an ID scan,
// a signed contract hold a person's data), and saves it. Checked through the API; axe and
// screenshots at 1280 px (en) and 390 px (zh).

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, pickOption, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const member = {
  kind: 'entity', name: 'pfMember', label: { en: 'Member', zh: '会员' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, personal: true, label: { en: 'Name', zh: '姓名' } } },
};

const words = {
  en: { file: 'File', personal: 'Personal data', labelEn: 'Label (English)', labelZh: 'Label (Chinese)', addField: 'Add field', name: 'Name', type: 'Type', keep: 'Keep in draft', review: 'Review and save', reviewTitle: 'Review the change before applying', apply: 'Apply' },
  zh: { file: '文件', personal: '个人数据', labelEn: '标签（英文）', labelZh: '标签（中文）', addField: '添加字段', name: '名称', type: '类型', keep: '放入草稿', review: '检查并保存', reviewTitle: '应用前检查变更', apply: '应用' },
} as const;

describe('studio: a file field may be marked personal', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [member]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`the designer offers "Personal data" for a file field and saves it (${language}, ${width} px)`, async () => {
      const w = words[language];
      const field = `idScan${language}`;
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/entities/pfMember');
      await page.getByRole('button', { name: w.addField }).click();
      await page.getByLabel(w.name, { exact: true }).fill(field);
      await pickOption(page, w.type, w.file, w.file);
      const personal = page.getByLabel(w.personal, { exact: true });
      await personal.waitFor();
      await personal.focus();
      await page.keyboard.press('Space');
      expect(await personal.isChecked()).toBe(true);
      await page.getByLabel(w.labelEn, { exact: true }).fill('ID scan');
      await page.getByLabel(w.labelZh, { exact: true }).fill('证件扫描');
      expect(await seriousViolations(page)).toEqual([]);
      await personal.scrollIntoViewIfNeeded();
      await screenshot(page, 'designer-file-personal', language);
      await page.getByRole('button', { name: w.keep }).click();
      await page.getByRole('button', { name: w.review }).click();
      await page.getByRole('dialog', { name: w.reviewTitle }).getByRole('button', { name: w.apply, exact: true }).click();
      await eventually(async () => (await server.get('/api/meta/entities/pfMember')).body.fields[field]).toMatchObject({ type: 'file', personal: true });
    });
  }
});
