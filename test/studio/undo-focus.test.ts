// Undo by keyboard, where the Undo button goes once it has done its work, in chromium against a real
// server: a cleansing run's (on the data quality page) and an import's (in the recent imports, on a
// phone in Chinese). The focus goes to what the undo did — the cleansing's "Undone" notice, the
// import's status reading "Undone" and what it did — instead of falling to the page's body (Tab then started over
// at the top, and a screen reader said nothing).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const supplier = {
  kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, pluralLabel: { en: 'Suppliers', zh: '供应商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } }, city: { type: 'text', label: { en: 'City', zh: '城市' } } },
};
const withCleansing = { ...supplier, cleansing: { city: { trim: true } } };

const focusedText = (page: Page) => page.evaluate(() => (document.activeElement === document.body ? 'the page’s body' : (document.activeElement?.textContent ?? '')));

/** Opens the undo's dialog from `button` and confirms it, by keyboard. */
async function undoByKeyboard(page: Page, button: ReturnType<Page['getByTestId']>, prefix: string): Promise<void> {
  await button.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId(`${prefix}-report`).waitFor();
  await page.getByTestId(`${prefix}-confirm`).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe('studio: the focus after an undo', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [supplier])).status).toBe(200);
    for (const city of [' Shanghai', 'Beijing ']) expect((await server.post('/api/data/supplier', { name: `Supplier in ${city.trim()}`, city })).status).toBe(201);
    expect((await server.post('/api/meta/apply', [withCleansing])).status).toBe(200);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('a cleansing run undone: the focus on the notice of what the undo did', async () => {
    const page = await signedInPage({ browser, server, contexts });
    await page.goto('/data-quality/supplier');
    await page.getByTestId('cleanse-dry-run').click();
    await page.getByTestId('cleanse-run').click();
    await page.locator('[data-testid="cleanse-job"][data-dry-run="false"][data-status="done"]').waitFor();
    await undoByKeyboard(page, page.getByTestId('cleanse-undo'), 'cleanse-undo');
    await page.getByTestId('cleanse-undone').waitFor();
    await eventually(() => focusedText(page)).toBe('Undone: 2 records put back, 0 changed since left alone.');
    expect(((await server.get<any>('/api/data/supplier?limit=10')).body.items as { city: string }[]).map((r) => r.city).sort()).toEqual([' Shanghai', 'Beijing ']);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('an import undone in the recent imports (zh, 390 px): the focus on its status, reading “已撤销”', async () => {
    const uploaded = await server.request<any>('POST', '/api/import/uploads?name=suppliers.csv', 'Name,City\r\nImported One,Hangzhou\r\nImported Two,Suzhou\r\n', { 'content-type': 'text/csv' });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const mapping = { name: 'suppliers', targets: [{ entity: 'supplier', columns: { name: 'Name', city: 'City' } }] };
    const job = await server.post<any>('/api/import/jobs', { upload: uploaded.body.upload, mapping, mode: 'validOnly' });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    await eventually(async () => (await server.get<any>(`/api/import/jobs/${job.body.id}`)).body.status).toBe('done');

    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh', width: 390 } });
    await page.goto('/import');
    await page.getByRole('tab', { name: '最近的导入' }).click();
    await undoByKeyboard(page, page.getByTestId(`import-undo-${job.body.id}`), 'import-undo');
    // The status, then what the undo did (it ran on the server as a job; the list asked for it until it ended).
    await eventually(() => focusedText(page)).toBe('已撤销删除 2 条 · 恢复 0 条 · 0 条导入后被修改过，保持不变');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`import-job-status-${job.body.id}`);
    expect((await server.get<any>(`/api/data/supplier?total=1&filter=${encodeURIComponent(JSON.stringify({ name: { $in: ['Imported One', 'Imported Two'] } }))}`)).body.total).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
