// The gallery's dry run when a step cannot be applied, and uninstall. A template version whose
// entity gains a unique index over values the installed sample records already share shows those
// duplicates (the API dry run's count and records) and offers no confirm; nothing changes. Then
// uninstall, keeping the data, goes through its own dry run: confirmed, the template is gone and
// its records stay. en/zh, 1280/390, axe.

import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, labelIn, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { deskV1 } from '../templates/template-helpers.ts';

interface Listing {
  name: string;
  installed?: { version: string };
  available: { version: string; directory: string }[];
}

describe('studio: the gallery refuses what would break, and uninstalls', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let deskUnique = '';
  const contexts: BrowserContext[] = [];

  const adminPage = (options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => signedInPage({ browser, server, contexts, options });
  const listing = async (name: string): Promise<Listing | undefined> => ((await server.get('/api/templates')).body.templates as Listing[]).find((t) => t.name === name);

  beforeAll(async () => {
    server = await startTestServer();
    // Version 1.1.0 of the desk: the customer's tier becomes unique (the sample customers share tiers).
    const root = await mkdtemp(path.join(os.tmpdir(), 'desk-unique-'));
    deskUnique = path.join(root, 'desk');
    await cp(deskV1, deskUnique, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(deskUnique, 'template.json'), 'utf8'));
    await writeFile(path.join(deskUnique, 'template.json'), JSON.stringify({ ...manifest, version: '1.1.0' }, null, 2));
    const customerFile = path.join(deskUnique, 'metadata', 'entity', 'customer.json');
    const customer = JSON.parse(await readFile(customerFile, 'utf8'));
    await writeFile(customerFile, JSON.stringify({ ...customer, indexes: { oneCustomerPerTier: { fields: ['tier'], unique: true } } }, null, 2));
    const installed = await server.post('/api/templates/desk/install', { source: { directory: deskV1 }, sampleData: true });
    if (installed.status !== 201) throw new Error(JSON.stringify(installed.body).slice(0, 500));
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('an upgrade adding a unique index over shared values lists the duplicates and cannot be confirmed', async () => {
    const page = await adminPage();
    await page.goto('/admin/templates');
    await page.getByTestId('upload-folder').setInputFiles(deskUnique);
    await page.getByTestId('upload-done').waitFor();
    const card = page.getByTestId('template-desk');
    await card.getByRole('button', { name: 'Upgrade to 1.1.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upgrade Help desk (test) from 1.0.0 to 1.1.0' });
    const unique = dialog.getByTestId('dry-run-unique');
    await unique.waitFor();
    // The API's own dry run of the same step.
    const directory = (await listing('desk'))!.available.find((a) => a.version === '1.1.0')!.directory;
    const api = (await server.post('/api/templates/desk/upgrade?dryRun=1', { source: { directory } })).body;
    expect(api.uniqueIndexes).toHaveLength(1);
    const clash = api.uniqueIndexes[0] as { entity: string; fields: string[]; duplicates: number; examples: string[] };
    expect(clash).toMatchObject({ entity: 'customer', fields: ['tier'] });
    expect(clash.duplicates).toBeGreaterThan(2);
    // The duplicates by their records' titles, links to them; their ids only in the tooltips.
    const customer = (await server.get('/api/meta/entities/customer')).body as { titleField: string; label: unknown; fields: Record<string, { label?: unknown }> };
    const found = (await server.get(`/api/data/customer?limit=10&filter=${encodeURIComponent(JSON.stringify({ id: { $in: clash.examples } }))}`)).body.items as Record<string, string>[];
    const titles = clash.examples.map((id) => found.find((r) => r.id === id)?.[customer.titleField]);
    expect(titles.every((title) => typeof title === 'string' && title !== '')).toBe(true);
    // The entity and the field by their labels, as the admin knows them (the installed version's).
    const entityLabel = labelIn(customer.label, 'en', 'customer');
    const tierLabel = labelIn(customer.fields['tier']?.label, 'en', 'tier');
    expect(entityLabel).not.toBe('customer');
    await eventually(async () => unique.innerText()).toContain(`${entityLabel}: ${clash.duplicates} records share a value of ${tierLabel} (e.g. ${titles.join(', ')})`);
    for (const id of clash.examples) expect(await unique.locator(`a[title="${id}"]`).getAttribute('href')).toBe(`/e/customer/${id}`);
    await eventually(async () => dialog.getByTestId('dry-run-issues').innerText()).toContain(`which must become unique, e.g. ${titles.join(', ')}`);
    const text = await dialog.innerText();
    for (const id of clash.examples) expect(text).not.toContain(id);
    expect(await dialog.getByTestId('dry-run-confirm').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'gallery-unique-blocked', 'en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await listing('desk'))?.installed?.version).toBe('1.0.0');
    expect((await server.get('/api/meta/entities/customer')).body.indexes).toBeUndefined();
  });

  it('uninstalls after its dry run, keeping the data', async () => {
    const before = (await server.get('/api/data/customer?limit=100')).body.items.length as number;
    expect(before).toBeGreaterThan(0);
    const page = await adminPage();
    await page.goto('/admin/templates');
    await page.getByTestId('uninstall-desk').click();
    const dialog = page.getByRole('dialog', { name: 'Uninstall Help desk (test)' });
    await dialog.getByTestId('dry-run-items').waitFor();
    const api = (await server.delete('/api/templates/desk?dryRun=1')).body;
    const shown = (await dialog.locator('[data-testid^="dry-run-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('dry-run-item-'.length)))).sort();
    expect(shown).toEqual((api.items as { kind: string; name: string }[]).map((i) => `${i.kind}-${i.name}`).sort());
    expect(shown).toContain('entity-customer');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'gallery-uninstall-dry-run', 'en');
    expect((await listing('desk'))?.installed).toBeDefined();
    await dialog.getByTestId('dry-run-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => (await listing('desk'))?.installed).toBeUndefined();
    expect((await server.get('/api/meta/entities/customer')).status).toBe(404);
  });

  it('the blocked upgrade in Chinese and on a phone: axe-clean, screenshots', async () => {
    // Installed again so that the upgrade is offered.
    const installed = await server.post('/api/templates/desk/install', { source: { directory: deskV1 }, sampleData: false });
    expect(installed.status, JSON.stringify(installed.body).slice(0, 300)).toBe(201);
    // The records uninstall kept are there again, without sample data loaded.
    expect((await server.get('/api/data/customer?limit=100')).body.items.length).toBe(20);
    for (const [language, width] of [['en', 390], ['zh', 1280], ['zh', 390]] as const) {
      const page = await adminPage({ language, width });
      await page.goto('/admin/templates');
      await page.getByTestId('upgrade-desk').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('dry-run-unique').waitFor();
      // Titles, not ids: no record id is visible text, in either language, at either width.
      await eventually(async () => dialog.getByTestId('dry-run-unique').locator('a[title][href^="/e/customer/"]').count()).toBeGreaterThan(0);
      expect(await dialog.innerText()).not.toMatch(/\b[0-9A-HJKMNP-TV-Z]{26}\b/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'gallery-unique-blocked', language);
      await page.context().close();
    }
  });
});
