// The data quality page of an entity with no cleansing rule but a unique text key: its keys are
// trimmed on every write, and a cleansing job trims those stored before (cleanse-key-spaces.test.ts).
// The page offered no dry run there ("no cleansing rules"); it offers one, and a keyless entity
// without rules still says it has none. In chromium against a real server, en.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const keyed = {
  kind: 'entity', name: 'vendor', label: { en: 'Vendor', zh: '厂商' }, pluralLabel: { en: 'Vendors', zh: '厂商' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, region: { type: 'text' }, sku: { type: 'text' } },
  indexes: { regionSku: { fields: ['region', 'sku'], unique: true } },
};
const keyless = { kind: 'entity', name: 'memo', label: { en: 'Memo', zh: '备忘' }, pluralLabel: { en: 'Memos', zh: '备忘' }, titleField: 'text', fields: { text: { type: 'text', required: true } } };

describe('studio: cleansing an entity whose only rule is its key\u2019s trimming', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [keyed, keyless])).status).toBe(200);
    expect((await server.post('/api/data/vendor', { name: 'Acme', region: 'North', sku: 'S1' })).status).toBe(201);
    expect((await server.post('/api/data/memo', { text: 'hello' })).status).toBe(201);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('offers the dry run for a unique index\u2019s text fields; says "no rules" for an entity with neither', async () => {
    const page = await signedInPage({ browser, server, contexts, options: { language: 'en' } });
    await page.goto('/data-quality/vendor');
    await page.getByTestId('cleanse-dry-run').click();
    await page.getByText('1 of 1 records checked: 0 would change, 0 would be refused.').first().waitFor();
    expect(await page.getByTestId('cleanse-no-rules').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/data-quality/memo');
    await page.getByTestId('cleanse-no-rules').waitFor();
    expect(await page.getByTestId('cleanse-dry-run').count()).toBe(0);
  });
});
