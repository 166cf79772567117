// A bookmark to a record merged away, opened in chromium against a real server: the page says the
// record was merged and links, by its title, to the record it went into — in English at 1280 px and
// in Chinese at 390 px, axe-clean, the link reached and followed by keyboard. Before, the page said
// only "Page not found". A record merged away while its page is open: the save is refused (the
// server's 404 names the survivor) and the page says the edits were not saved, linking the survivor
// — before, it said only that the record was gone.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const patient = { kind: 'entity', name: 'patient', label: { en: 'Patient', zh: '患者' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } } } };

describe('studio: the page of a record merged away', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let kept: string;
  let gone: string;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [patient])).status).toBe(200);
    kept = (await server.post<any>('/api/data/patient', { name: 'Wang Wei' })).body.id;
    gone = (await server.post<any>('/api/data/patient', { name: 'Wang  Wei' })).body.id;
    const merged = await server.post<any>('/api/quality/patient/merge', { survivor: kept, merged: [gone] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  /** Tabs from the top of the page until the focus is on the link (at most 40 stops). */
  async function tabTo(page: Page, testId: string): Promise<boolean> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return true;
    }
    return false;
  }

  for (const [language, width, heading, sentence] of [
    ['en', 1280, 'This Patient record was merged', 'merged into another Patient record'],
    ['zh', 390, '这条患者记录已被合并', '已合并到另一条患者记录'],
  ] as const) {
    it(`in ${language} at ${width} px: says where it went, and the link leads there by keyboard`, async () => {
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto(`/e/patient/${gone}`);
      const notice = page.getByTestId('merged-away');
      await notice.waitFor();
      expect(await page.getByRole('heading', { name: heading }).count()).toBe(1);
      expect(await notice.textContent()).toContain(sentence);
      const link = page.getByRole('link', { name: 'Wang Wei' });
      expect(await link.getAttribute('href')).toBe(`/e/patient/${kept}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-merged-away', language);
      expect(await tabTo(page, 'merged-into-link')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/e/patient/${kept}`);
      // The notice's own link says "Wang Wei" too: the kept record's page is there once the notice is gone and its form holds the name.
      await eventually(() => page.getByTestId('merged-away').count()).toBe(0);
      expect(await page.getByLabel(language === 'zh' ? '姓名' : 'Name', { exact: true }).inputValue()).toBe('Wang Wei');
    });
  }

  for (const [language, width, field, notice] of [
    ['en', 1280, 'Name', 'Your changes were not saved: this Patient record was merged, as a duplicate, into another Patient record.'],
    ['zh', 390, '姓名', '你的修改没有保存：这条患者记录已作为重复记录合并到另一条患者记录。'],
  ] as const) {
    it(`in ${language} at ${width} px: a save of a record merged away meanwhile links the record it went into`, async () => {
      const survivor = (await server.post<any>('/api/data/patient', { name: `Li Na ${language}` })).body.id as string;
      const open = (await server.post<any>('/api/data/patient', { name: `Li  Na ${language}` })).body.id as string;
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto(`/e/patient/${open}`);
      const input = page.getByLabel(field, { exact: true });
      await input.waitFor();
      // Someone else merges the duplicates while the page is open.
      expect((await server.post<any>('/api/quality/patient/merge', { survivor, merged: [open] })).status).toBe(200);
      await input.fill(`Li Na ${language} (edited)`);
      await page.getByRole('button', { name: language === 'zh' ? '保存' : 'Save' }).click();
      const alert = page.getByTestId('save-merged-away');
      await alert.waitFor();
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain(notice);
      const link = alert.getByRole('link', { name: `Li Na ${language}`, exact: true });
      expect(await link.getAttribute('href')).toBe(`/e/patient/${survivor}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-save-merged-away', language);
      // Nothing was written anywhere: the survivor keeps its name.
      expect((await server.get<any>(`/api/data/patient/${survivor}`)).body.name).toBe(`Li Na ${language}`);
      await link.click();
      await page.waitForURL(`**/e/patient/${survivor}`);
      // The page of the record it went into, once loaded, is its own: the notice went with the old editor (the URL
      // changes first, while the survivor is read).
      await page.getByTestId('save-merged-away').waitFor({ state: 'detached' });
      expect(await page.getByTestId('save-merged-away').count()).toBe(0);
    });
  }
});
