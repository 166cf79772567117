// The import wizard as a user who makes mistakes goes through it, on a phone in Chinese, in chromium
// against a real server: a picture dropped instead of a spreadsheet is refused with the reason in
// Chinese (it came in English), under the drop zone and read out; then the right file, a value
// mapped by hand, a step back and forward again, and reloads — at the preview, at the dry run, at
// the import's end. Each reload comes back to the same step with the same mapping (it started over
// at the file, the value mapped lost, and the import out of sight); "Import another file" starts
// afresh, and stays so after a reload. Where the tab's storage refuses to keep it, the wizard still
// works (an error thrown while keeping it took the page down).

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, seriousViolations } from '../support/browser.ts';
import { chooseImportFile, closeBrowserSuite, pickOption, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const csv = ['Name,Region,Client type,E-mail', 'Mistake A Ltd,east,Business,mistake-a@example.com', 'Mistake B Ltd,Atlantis,Business,mistake-b@example.com'].join('\r\n') + '\r\n';

const stepShown = (page: Page) => page.getByTestId('import-step-of').textContent();
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('studio: the import wizard, with mistakes and reloads (zh, 390 px)', { timeout: 300_000 }, () => {
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

  it('back a step, then reloads at the preview, the dry run and the import: each comes back as it was', async () => {
    const page = await signedInPage({ browser, server: fx.server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/import');
    await chooseImportFile(page, '客户', path.join(dir, 'clients.csv'));
    // "Atlantis" names no region: mapped by hand to South China.
    await pickOption(page, '「Atlantis」对应的选项（大区）', '华南');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    // Back a step and forward again: the value mapped is kept.
    await page.getByRole('button', { name: '上一步' }).click();
    await eventually(() => stepShown(page)).toBe('第 2 步，共 5 步：映射');
    expect(await page.getByRole('combobox', { name: '「Atlantis」对应的选项（大区）' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').textContent()).toBe('华南');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();

    await page.reload();
    await eventually(() => stepShown(page)).toBe('第 3 步，共 5 步：预览');
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    // The value mapped before the reload is the mapping the dry run ran: no row refused.
    expect(await page.getByTestId('import-count-rejected').textContent()).toContain('0');
    expect(await page.getByTestId('import-count-created').textContent()).toContain('2');

    await page.reload();
    await eventually(() => stepShown(page)).toBe('第 4 步，共 5 步：试运行');
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    expect(await page.getByTestId('import-count-created').textContent()).toContain('2');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();

    await page.reload();
    await eventually(() => stepShown(page)).toBe('第 5 步，共 5 步：导入');
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    await page.getByRole('button', { name: '撤销导入' }).waitFor();
    expect(await sideways(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'studioqa-import-after-reload-zh-390.png') });
    const imported = await fx.server.get<any>(`/api/data/account?limit=10&filter=${encodeURIComponent(JSON.stringify({ name: { $in: ['Mistake A Ltd', 'Mistake B Ltd'] } }))}&sort=name`);
    expect(imported.body.items.map((r: { name: string; region: string }) => [r.name, r.region])).toEqual([['Mistake A Ltd', 'east'], ['Mistake B Ltd', 'south']]);

    // Another file: the wizard starts afresh, and a reload keeps it so.
    await page.getByRole('button', { name: '导入另一个文件' }).click();
    await eventually(() => stepShown(page)).toBe('第 1 步，共 5 步：文件');
    await page.reload();
    await eventually(() => stepShown(page)).toBe('第 1 步，共 5 步：文件');
    expect(await page.getByTestId('import-uploaded').count()).toBe(0);
  });

  it('a browser whose session storage refuses the wizard’s state (full, private) still goes through the wizard', async () => {
    const page = await signedInPage({ browser, server: fx.server, contexts, options: { language: 'zh', width: 390 } });
    await page.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        if (this === sessionStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        setItem.call(this, key, value);
      };
    });
    await page.goto('/import');
    await chooseImportFile(page, '客户', path.join(dir, 'clients.csv'));
    await eventually(() => stepShown(page)).toBe('第 2 步，共 5 步：映射');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
  });
});
