// A cleansing whose only change is trimming: the dry run's before and after read alike in a page
// (whitespace at a cell's edge, or a run of it, collapses). The studio marks each such whitespace
// character with a sign and names it for screen readers, in the UI language; after the trim, the
// after column has none. Every count is taken from the planted names. Axe and screenshots at 1280
// and 390 px, en and zh.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const entity = {
  kind: 'entity', name: 'vendor', label: { en: 'Vendor', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } },
};
const planted = ['Acme  ', ' Beta', 'Gamma\u3000', 'Delta'];
const cleansed = (n: string) => n.trim().replace(/\s+/g, ' ');
const names = { en: { space: 'space', fullWidthSpace: 'full-width space' }, zh: { space: '空格', fullWidthSpace: '全角空格' } };

describe('studio: the before and after of a trim', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/vendor', entity)).status).toBe(201);
    for (const name of planted) expect((await server.post('/api/data/vendor', { name })).status).toBe(201);
    // The rule comes after the records: their stored names still carry the whitespace.
    expect((await server.put('/api/meta/entities/vendor', { ...entity, cleansing: { name: { trim: true } } })).status).toBe(200);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const dryRun = async (language: 'en' | 'zh', width: number): Promise<Page> => {
    const page = await signedInPage({ browser, server, contexts, options: { language, width } });
    await page.goto('/data-quality/vendor');
    await page.getByTestId('cleanse-dry-run').click();
    await page.locator('[data-testid=cleanse-job][data-status=done][data-dry-run=true]').waitFor();
    return page;
  };

  it('marks and names the whitespace the trim removes; the after has none', async () => {
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['zh', 390], ['en', 390]] as const) {
      const page = await dryRun(language, width);
      const changing = planted.filter((n) => cleansed(n) !== n);
      const examples = page.getByTestId('cleanse-examples');
      for (const name of changing) {
        // A screen reader hears each whitespace character by its name, in the UI language.
        const heard = [...name].map((c) => (c === ' ' ? ` ${names[language].space} ` : c === '\u3000' ? ` ${names[language].fullWidthSpace} ` : c)).join('').replace(/\s+/g, ' ').trim();
        const link = examples.getByRole('link', { name: heard, exact: true });
        await link.waitFor();
        const row = tableRows(examples).filter({ has: page.getByRole('link', { name: heard, exact: true }) });
        const [before, after] = [row.getByTestId('visible-whitespace').first(), row.getByTestId('visible-whitespace').last()];
        expect(await before.locator('[data-whitespace=space]').count(), name).toBe([...name].filter((c) => c === ' ').length);
        expect(await before.locator('[data-whitespace=fullWidthSpace]').count(), name).toBe([...name].filter((c) => c === '\u3000').length);
        expect(await after.textContent()).toBe(cleansed(name));
        expect(await after.locator('[data-whitespace]').count(), name).toBe(0);
      }
      await page.getByTestId('whitespace-legend').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await examples.scrollIntoViewIfNeeded();
      await screenshot(page, 'data-quality-cleanse-whitespace', language);
      await page.context().close();
    }
  });
});
