// Acceptance 1 and 4 of "The studio, part 2", in chromium against a real server on a fresh data
// folder. 1: the admin installs the services template with its first module only, then switches on
// the next module from the gallery — each time reading the dry run (checked against the API's own)
// before confirming, and nothing changes until then. 4: a template uploaded as a folder is
// installed; the admin changes two of its labels; its next version, uploaded as a .tgz, is an
// upgrade whose dry run shows the conflicts with those changes and how each resolves, and the
// records the new rules would refuse — before confirming. axe and screenshots of the gallery.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, labelIn, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { bundledVersion, deskV1, deskV2 } from '../templates/template-helpers.ts';

interface Listing {
  name: string;
  installed?: { version: string };
  modules: { name: string; on: boolean }[];
}

describe('studio: the template gallery', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const adminPage = (options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => signedInPage({ browser, server, contexts, options });
  const listing = async (name: string): Promise<Listing | undefined> => ((await server.get('/api/templates')).body.templates as Listing[]).find((t) => t.name === name);
  const modulesOn = async (name: string) => (await listing(name))?.modules.filter((m) => m.on).map((m) => m.name);
  /** The item keys a dialog's dry run lists. */
  const itemsShown = async (dialog: Locator) => (await dialog.locator('[data-testid^="dry-run-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('dry-run-item-'.length)))).sort();
  const itemsOf = (report: { items: { kind: string; name: string }[] }) => report.items.map((i) => `${i.kind}-${i.name}`).sort();

  it('acceptance 1: installs services with its first module only, then switches on the next one — each after its dry run', async () => {
    const page = await adminPage();
    await page.goto('/admin/templates');
    const card = page.getByTestId('template-services');
    await card.getByRole('button', { name: 'Install' }).click();
    const dialog = page.getByRole('dialog', { name: `Install Services ${bundledVersion('services')}` });
    await dialog.getByTestId('dry-run-items').waitFor();
    // The first module is the one chosen; the others are not.
    expect(await dialog.getByRole('checkbox', { name: 'Clients' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Service desk' }).isChecked()).toBe(false);
    // What the dialog lists is the API's own dry run of the same step, item by item.
    const apiDry = await server.post('/api/templates/services/install?dryRun=1', { modules: ['clients'], sampleData: false });
    expect(apiDry.status).toBe(200);
    await eventually(() => itemsShown(dialog)).toEqual(itemsOf(apiDry.body));
    expect(itemsOf(apiDry.body)).toContain('entity-account');
    expect(itemsOf(apiDry.body)).not.toContain('entity-serviceCase');
    // Each item by its label, as people read it, with its name beside it for the admin.
    expect(await dialog.getByTestId('dry-run-item-entity-account').innerText()).toContain('Client (account)');
    expect(await dialog.getByTestId('dry-run-item-view-accounts').innerText()).toContain('Clients (accounts)');
    // An item opens to its diff, property by property (a new item: each property added), not JSON.
    await dialog.getByTestId('dry-run-item-entity-account').click();
    const accountDiff = dialog.getByTestId('field-diff').first();
    await accountDiff.getByRole('listitem').filter({ hasText: 'addedtitleField: "name"' }).waitFor();
    await accountDiff.getByRole('listitem').filter({ hasText: /^addedfields › name › type: "text"$/ }).waitFor();
    expect(await accountDiff.textContent()).not.toContain('{"');
    await dialog.getByText('Nothing refuses this step: it can be applied.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'gallery-install-dry-run', 'en');
    // Nothing is installed while the admin reads.
    expect((await listing('services'))?.installed).toBeUndefined();
    await dialog.getByTestId('dry-run-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(() => modulesOn('services')).toEqual(['clients']);
    await card.getByText(`installed ${bundledVersion('services')}`).waitFor();

    // The next module, from its switch.
    await page.getByTestId('switch-services-serviceDesk').click();
    const next = page.getByRole('dialog', { name: 'Switch on module Service desk of Services' });
    await next.getByTestId('dry-run-items').waitFor();
    const apiNext = await server.post('/api/templates/services/modules/serviceDesk?dryRun=1', { enabled: true, sampleData: false });
    await eventually(() => itemsShown(next)).toEqual(itemsOf(apiNext.body));
    expect(itemsOf(apiNext.body)).toContain('entity-serviceCase');
    expect(await next.getByTestId('dry-run-item-entity-serviceCase').innerText()).toContain('Service request (serviceCase)');
    expect(await next.getByTestId('dry-run-item-workflow-caseHandling').innerText()).toContain('Service request handling (caseHandling)');
    expect(await modulesOn('services')).toEqual(['clients']);
    await screenshot(page, 'gallery-module-dry-run', 'en');
    await next.getByTestId('dry-run-confirm').click();
    await next.waitFor({ state: 'hidden' });
    await eventually(() => modulesOn('services')).toEqual(['clients', 'serviceDesk']);
    await page.getByTestId('module-services-serviceDesk').getByText('on', { exact: true }).waitFor();
    // The menu follows: the new module's entities are there without a reload.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: /Service requests|Cases/ }).first().waitFor();
  });

  it('acceptance 4: an upgrade over the admin’s own changes shows each conflict and how it resolves before confirming', async () => {
    const page = await adminPage();
    await page.goto('/admin/templates');
    // Version 1 arrives as a folder the admin picks (packed into a .tgz in the browser).
    await page.getByTestId('upload-folder').setInputFiles(deskV1);
    await page.getByTestId('upload-done').waitFor();
    const card = page.getByTestId('template-desk');
    await card.getByText('Versions at hand: 1.0.0 (uploaded)').waitFor();
    await card.getByRole('button', { name: 'Install' }).click();
    const install = page.getByRole('dialog', { name: 'Install Help desk (test) 1.0.0' });
    await install.getByTestId('dry-run-items').waitFor();
    await install.getByTestId('option-sample-data').click();
    await install.getByTestId('dry-run-sample').getByText('customer: 20 records (20 would load, 0 skipped)').waitFor();
    await install.getByTestId('dry-run-confirm').click();
    await install.waitFor({ state: 'hidden' });
    await eventually(async () => (await listing('desk'))?.installed?.version).toBe('1.0.0');

    // The admin relabels two fields: one version 2 relabels too, one it drops.
    const customer = (await server.get('/api/meta/entities/customer')).body;
    customer.fields.phone.label = { en: 'Mobile', zh: '手机' };
    customer.fields.fax.label = { en: 'Fax (legacy)', zh: '传真（旧）' };
    expect((await server.put('/api/meta/entities/customer', customer)).status).toBe(200);

    // Version 2 arrives as a .tgz.
    const archive = path.join(os.tmpdir(), `desk-v2-${Date.now()}.tgz`);
    await tar.c({ gzip: true, file: archive, cwd: path.dirname(deskV2), portable: true }, [path.basename(deskV2)]);
    await page.getByTestId('upload-archive').setInputFiles({ name: 'desk-2.0.0.tgz', mimeType: 'application/gzip', buffer: await readFile(archive) });
    await card.getByText('2.0.0 available').waitFor();
    await card.getByRole('button', { name: 'Upgrade to 2.0.0' }).click();
    const upgrade = page.getByRole('dialog', { name: 'Upgrade Help desk (test) from 1.0.0 to 2.0.0' });
    const conflicts = upgrade.getByTestId('dry-run-overlay-conflicts');
    await conflicts.waitFor();
    const apiDry = (await server.post('/api/templates/desk/upgrade?dryRun=1', { source: { directory: ((await listing('desk')) as unknown as { available: { version: string; directory: string }[] }).available.find((a) => a.version === '2.0.0')!.directory } })).body;
    expect(apiDry.overlayConflicts.map((c: { path: string; type: string; resolution: string }) => `${c.path} ${c.type} ${c.resolution}`).sort()).toEqual([
      '/fields/fax removedByTemplate overlayDropped',
      '/fields/phone/label/en bothChanged overlayKept',
      '/fields/phone/label/zh bothChanged overlayKept',
    ]);
    // Each conflict is shown with what the template says now and how it resolves.
    await conflicts.getByRole('heading', { name: '3 conflicts with your own changes' }).waitFor();
    const phone = conflicts.getByRole('listitem').filter({ hasText: '/fields/phone/label/en' });
    await phone.getByText('The template changed a value you had changed.').waitFor();
    await phone.getByText('your value stays').waitFor();
    await phone.getByText('"Mobile"').waitFor();
    const fax = conflicts.getByRole('listitem').filter({ hasText: '/fields/fax' });
    await fax.getByText('The template removed something you had changed.').waitFor();
    await fax.getByText('your change is taken out (kept in the template\'s record)').waitFor();
    // And the records version 2's new rule would refuse.
    // (The entity by its label, as the admin knows it.)
    await upgrade.getByTestId('dry-run-impact').getByText(`${labelIn(customer.label, 'en', 'customer')}: 3 of 20 records would be refused on their next save`).waitFor();
    // Those records by their titles, links to them; their ids only in the tooltips.
    const refused = (apiDry.impact as { entity: string; examples: { id: string }[] }[]).find((i) => i.entity === 'customer')!.examples.map((e) => e.id);
    expect(refused.length).toBeGreaterThan(0);
    const customerTitle = (await server.get('/api/meta/entities/customer')).body.titleField as string;
    for (const id of refused) {
      const title = (await server.get(`/api/data/customer/${id}`)).body[customerTitle] as string;
      await eventually(async () => upgrade.getByTestId('dry-run-impact').locator(`a[title="${id}"]`).innerText()).toBe(title);
    }
    const impactText = await upgrade.getByTestId('dry-run-impact').innerText();
    for (const id of refused) expect(impactText).not.toContain(id);
    await eventually(() => itemsShown(upgrade)).toEqual(itemsOf(apiDry));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'gallery-upgrade-dry-run', 'en');
    expect((await listing('desk'))?.installed?.version).toBe('1.0.0');
    await upgrade.getByTestId('dry-run-confirm').click();
    await upgrade.waitFor({ state: 'hidden' });
    await eventually(async () => (await listing('desk'))?.installed?.version).toBe('2.0.0');
    // Resolved as shown: the admin's label stayed.
    expect((await server.get('/api/meta/entities/customer')).body.fields.phone.label).toEqual({ en: 'Mobile', zh: '手机' });
  });

  it('the gallery at 1280 and 390 px, in English and Chinese, with no serious accessibility issue', async () => {
    for (const language of ['en', 'zh'] as const) {
      for (const width of [1280, 390]) {
        const page = await adminPage({ language, width });
        await page.goto('/admin/templates');
        await page.getByTestId('template-services').waitFor();
        await page.getByTestId('switch-services-care').waitFor();
        // Each module counts its items in words that agree with the number (one entity, three entities).
        expect(await page.getByTestId('module-services-clients').innerText()).toContain(language === 'en' ? '(3 entities, 3 forms, 4 views, 3 roles)' : '(3 个实体, 3 个表单, 4 个视图, 3 个角色)');
        expect(await page.getByTestId('module-adoption-feedback').innerText()).toContain(language === 'en' ? '(1 entity, 1 view, 1 role, 1 dashboard)' : '(1 个实体, 1 个视图, 1 个角色, 1 个仪表板)');
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'gallery', language);
        // The module's dry run in Chinese, at both widths: each item by its Chinese label.
        if (language === 'zh') {
          await page.getByTestId('upgrade-desk').waitFor({ state: 'detached' });
          await page.getByTestId('switch-services-care').click();
          const dialog = page.getByRole('dialog');
          await dialog.getByTestId('dry-run-items').waitFor();
          // In Chinese, each item by its Chinese label.
          await eventually(() => dialog.getByTestId('dry-run-item-entity-careCall').innerText()).toContain('关怀回访 (careCall)');
          expect(await seriousViolations(page)).toEqual([]);
          await screenshot(page, 'gallery-module-dry-run', 'zh');
          await dialog.getByRole('button', { name: '取 消' }).or(dialog.getByRole('button', { name: '取消' })).first().click();
        }
        await page.context().close();
      }
    }
  });
});
