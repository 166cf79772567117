// A dialog opened on a long page, on a phone (390 px), in Chinese: the page does not scroll sideways.
// The body kept the browser's 8 px margin, and a dialog's scroll lock sets the body's width to the
// whole window's, so the page grew 8 px wider than the screen while any dialog was open (and the
// studio sat in an 8 px white frame).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.ts';
import { supplier } from '../support/duplicate-suppliers.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Four suppliers each written twice: four clusters, a page taller than a phone's screen.
const names = ['Wang Trading', 'Li Metals', 'Zhao Foods', 'Chen Textiles'];

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('studio: dialogs on a phone', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [supplier])).status).toBe(200);
    for (const name of names) {
      for (const written of [name, name.toUpperCase()]) expect((await server.post('/api/data/supplier', { name: written, email: `${written.replace(/\s/g, '.')}@example.test`, city: 'Shanghai' })).status).toBe(201);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('the merge dialog and the bulk merge’s confirmation leave the page as wide as the screen', async () => {
    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/data-quality/supplier/duplicates');
    await page.getByTestId('duplicate-cluster').nth(names.length - 1).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight)).toBe(true);
    expect(await sideways(page)).toBe(0);

    await page.getByTestId('duplicate-merge').first().click();
    await page.getByRole('dialog').getByTestId('merge-confirm').waitFor();
    expect(await sideways(page)).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    for (const select of await page.getByTestId('duplicate-select').all()) await select.click();
    await page.getByTestId('duplicates-bulk').click();
    await page.getByTestId('duplicates-bulk-list').waitFor();
    expect(await sideways(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
