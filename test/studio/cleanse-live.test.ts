// Cleansing as a screen reader user meets it, in Chinese, by keyboard, in chromium against a real
// server: the dry run's and the run's counts are a live region that is there before the job ends
// (the job's first answer held back on its way shows it already), so the end is read out; it came
// only with the end (a loading spinner's region stood in until then), and nothing was read. The
// focus stays on the dry run's button while its job runs, and goes to the run's heading when Run
// (offered after a dry run only) goes.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, holdFirst, launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const supplier = {
  kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, pluralLabel: { en: 'Suppliers', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } }, city: { type: 'text', label: { en: 'City', zh: '城市' } } },
};
// Added once the records are stored: the cities with spaces around them are what it cleanses.
const withCleansing = { ...supplier, cleansing: { city: { trim: true } } };
const cities = [' Shanghai', 'Beijing ', 'Shenzhen', ' Hangzhou '];
const untrimmed = cities.filter((c) => c !== c.trim()).length;

/** The live regions' texts that mention records checked. */
const countsHeard = (page: Page) => page.getByRole('status').filter({ hasText: '已检查' }).allTextContents();

describe('studio: cleansing read out (zh)', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [supplier])).status).toBe(200);
    for (const [i, city] of cities.entries()) expect((await server.post('/api/data/supplier', { name: `Supplier ${i}`, city })).status).toBe(201);
    expect((await server.post('/api/meta/apply', [withCleansing])).status).toBe(200);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('the dry run’s and the run’s ends are heard, from a live region there before them', async () => {
    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh' } });
    await page.goto('/data-quality/supplier');
    const dryRun = page.getByTestId('cleanse-dry-run');
    await dryRun.waitFor();
    const held = await holdFirst(page, 'GET', '/api/quality/cleanse-jobs/');
    await dryRun.focus();
    await page.keyboard.press('Enter');
    // The job has been asked after and its answer is on its way: the region is there already.
    await eventually(() => held.applied()).toBe(true);
    expect(await countsHeard(page)).toHaveLength(1);
    held.release();
    await eventually(() => countsHeard(page)).toEqual([`已检查 ${cities.length} / ${cities.length} 条记录：${untrimmed} 条将被更改，0 条将被拒绝。`]);
    // The focus stays on the button pressed.
    expect(await dryRun.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    const run = page.getByTestId('cleanse-run');
    await run.focus();
    await page.keyboard.press('Enter');
    await eventually(() => countsHeard(page)).toEqual([`已检查 ${cities.length} / ${cities.length} 条记录：已更改 ${untrimmed} 条，拒绝 0 条（保持原样）。`]);
    // Run is gone (it follows a dry run): the focus is on the run's heading, above the counts.
    expect(await run.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('清洗运行');
    const stored = (await server.get<any>('/api/data/supplier?limit=10')).body.items.map((r: { city: string }) => r.city).sort();
    expect(stored).toEqual(cities.map((c) => c.trim()).sort());
    expect(await seriousViolations(page)).toEqual([]);
  });
});
