// The import wizard as a user who makes mistakes goes through it, on a phone in Chinese, in chromium
// against a real server: a picture dropped instead of a spreadsheet is refused with the reason in
// Chinese (it came in English), under the drop zone and read out.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const csv = ['Name,Region,Client type,E-mail', 'Mistake A Ltd,east,Business,mistake-a@example.com', 'Mistake B Ltd,Atlantis,Business,mistake-b@example.com'].join('\r\n') + '\r\n';

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('studio: the import wizard, with mistakes (zh, 390 px)', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-mistakes-'));
    await writeFile(path.join(dir, 'clients.csv'), csv);
    await writeFile(path.join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [fx?.server], dir }));

  it('a wrong file is refused in Chinese, under the drop zone, and read out', async () => {
    const page = await signedInPage({ browser, server: fx.server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/import');
    await page.locator('#import-entity').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('客户', { exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(path.join(dir, 'photo.png'));
    const refusal = page.getByTestId('import-wizard').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('文件名必须以 .csv、.txt、.jsonl、.ndjson 或 .xlsx 结尾');
    expect(await refusal.textContent()).not.toMatch(/must|file name/);
    // Right under the drop zone, not somewhere else on the page.
    const [zone, alert] = await Promise.all([page.locator('.ant-upload-drag').boundingBox(), refusal.boundingBox()]);
    expect(alert!.y - (zone!.y + zone!.height)).toBeGreaterThanOrEqual(0);
    expect(alert!.y - (zone!.y + zone!.height)).toBeLessThan(40);
    expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
    expect(await sideways(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'studioqa-import-wrong-file-zh-390.png') });
  });
});
