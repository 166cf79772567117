// An admin on a phone, in Chinese, merging three duplicates by touch and keyboard in chromium against
// a real server. Once the merge is done its confirm button is gone, and once it is undone the Undo
// button is: the focus goes to what each did (the dialog's outcome, read out), and Tab goes on from
// there (it fell to the page's body, and a screen reader said nothing of the outcome). Closed after
// a merge, the dialog hands the focus to the page's heading: the button that opened it went with
// its cluster. Merged in bulk, and the batch undone, the focus goes to the batch's outcome.

import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, seriousViolations, tablesFit } from '../support/browser.ts';
import { plantedSuppliers as planted, supplier } from '../support/duplicate-suppliers.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** The test id of the element holding the focus (or of the nearest element around it that has one). */
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.tagName);

describe('studio: merging three duplicates on a phone, in Chinese', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [supplier])).status).toBe(200);
    for (const p of planted) {
      const res = await server.post<any>('/api/data/supplier', p);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('the focus goes to the merge’s outcome, to the undo’s, then back to the page', async () => {
    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/data-quality/supplier/duplicates');
    const cluster = page.locator(`[data-testid="duplicate-cluster"][data-ids*="${ids[2]}"]`);
    await cluster.waitFor();
    expect((await tablesFit(page)).problems).toEqual([]);
    await cluster.getByTestId('duplicate-merge').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('merge-field-email').waitFor();
    // Name, e-mail and city differ: a named radio group each, a radio per record.
    for (const field of ['名称', '电子邮件', '城市']) expect(await dialog.getByRole('radiogroup', { name: field }).getByRole('radio').count()).toBe(3);
    await eventually(() => dialog.getByTestId('merge-history-moves').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'studioqa-merge-three-zh-390.png') });

    await dialog.getByTestId('merge-confirm').click();
    await dialog.getByTestId('merge-result').waitFor();
    // The outcome is where the focus is: read out, and Tab goes on to its Undo.
    await eventually(() => focusedTestId(page)).toBe('merge-result');
    expect(await dialog.getByTestId('merge-result').textContent()).toContain(`已将 2 条记录合并到 ${planted[0]!.name}`);
    expect((await server.get(`/api/data/supplier/${ids[0]}`)).status).toBe(200);
    for (const gone of [ids[1], ids[2]]) expect((await server.get(`/api/data/supplier/${gone}`)).status).toBe(404);
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('merge-undo');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('merge-undone').waitFor();
    await eventually(() => focusedTestId(page)).toBe('merge-result');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('已撤销合并');
    for (const back of ids.slice(0, 3)) expect((await server.get(`/api/data/supplier/${back}`)).status).toBe(200);
    await page.screenshot({ path: path.join(os.tmpdir(), 'studioqa-merge-undone-zh-390.png') });
    // Escape closes the dialog from there, and the focus is back on the cluster's Merge button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => focusedTestId(page)).toBe('duplicate-merge');

    // Merged for good, the cluster and its button are gone: the focus goes to the page's heading.
    await page.keyboard.press('Enter');
    await dialog.getByTestId('merge-confirm').click();
    await dialog.getByTestId('merge-result').waitFor();
    await eventually(() => cluster.count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => focusedTestId(page)).toBe('duplicates-heading');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('供应商的重复记录');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('merged in bulk and undone, by keyboard: the focus on the batch’s outcome each time', async () => {
    for (const name of ['Zhao Foods', 'ZHAO  FOODS', 'Chen Textiles', 'chen textiles']) expect((await server.post('/api/data/supplier', { name })).status).toBe(201);
    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/data-quality/supplier/duplicates');
    await page.getByTestId('duplicate-cluster').nth(1).waitFor();
    const clusters = await page.getByTestId('duplicate-cluster').count();
    // (antd puts the test id on the checkbox's input.)
    for (const select of await page.getByTestId('duplicate-select').all()) {
      await select.focus();
      await page.keyboard.press('Space');
    }
    await page.getByTestId('duplicates-bulk').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('duplicates-bulk-confirm').waitFor();
    await page.getByTestId('duplicates-bulk-confirm').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('duplicates-batch').waitFor();
    await eventually(() => focusedTestId(page)).toBe('duplicates-batch-outcome');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(`已合并 ${clusters} 个，失败 0 个`);
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('duplicates-batch-undo');
    await page.keyboard.press('Enter');
    await page.getByTestId('duplicates-batch').getByText('已撤销整批合并', { exact: false }).waitFor();
    await eventually(() => focusedTestId(page)).toBe('duplicates-batch-outcome');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('已撤销整批合并');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
