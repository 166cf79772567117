// The `file` field in the studio's record form: an upload lands in the list as a download link
// before the record exists, a file over the field's limit is refused with the server's reason next
// to the field, the save claims the upload (the link downloads the bytes), and removing a file and
// saving takes it out of the record. Axe-clean; screenshots in en and zh at 1280 and 390 px.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage } from '../support/browser.ts';
import { signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

describe('studio: file field', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const scan = Buffer.from('%PDF-1.4 claim scan');

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [
      {
        kind: 'entity', name: 'claim', label: { en: 'Claim', zh: '理赔' }, titleField: 'title',
        fields: {
          title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
          documents: { type: 'file', multiple: true, maxSize: 2000, contentTypes: ['application/pdf', 'image/*'], label: { en: 'Documents', zh: '文件' } },
        },
      },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    await signInContext(context, testAdmin);
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('uploads, refuses a file too large with the reason, saves, downloads and removes', async () => {
    await page.goto('/e/claim/new');
    await page.getByLabel('Title').fill('Water damage');
    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(5000, 1) });
    await page.getByRole('alert').filter({ hasText: 'takes files of at most 2000 bytes' }).waitFor();
    await input.setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: scan });
    const link = page.getByRole('link', { name: 'scan.pdf' });
    await link.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/claim\/[0-9A-Z]{26}$/);
    const recordId = page.url().split('/').pop()!;
    const stored = await server.get(`/api/data/claim/${recordId}`);
    expect(stored.body.documents).toEqual([expect.objectContaining({ name: 'scan.pdf', contentType: 'application/pdf', size: scan.length })]);
    const href = await page.getByRole('link', { name: 'scan.pdf' }).getAttribute('href');
    expect(href).toBe(`/api/files/${stored.body.documents[0].id}`);
    const downloaded = await context.request.get(href!, { maxRetries: 2 }); // an idle keep-alive socket may be closing
    expect(downloaded.status()).toBe(200);
    expect(Buffer.from(await downloaded.body()).equals(scan)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    for (const language of ['en', 'zh'] as const) {
      if (language === 'zh') await switchLanguage(page, 'zh');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width < 600 ? 844 : 860 });
        await page.getByRole('link', { name: 'scan.pdf' }).waitFor();
        await screenshot(page, 'file-field', language);
      }
    }
    await switchLanguage(page, 'en');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.getByRole('button', { name: 'Remove scan.pdf' }).click();
    await page.getByText('No files').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await server.get(`/api/data/claim/${recordId}`)).body.documents ?? []).toEqual([]);
    expect((await server.get(href!.replace(/^\/api/, '/api'))).status).toBe(404);
  });
});
