// Acceptance 7 and 8 of "The studio, part 2", in chromium against real servers on fresh data
// folders. 7: the configuration is exported from one server in the studio and imported into a fresh
// one; the import's dry run lists every item, and afterwards both servers answer the same metadata
// (compared through the API). 8: a revision is reverted from the history page, after its dry run;
// the API then answers the metadata of that revision. Also the admin's overlays apart from the
// templates' base; axe and screenshots of both pages (1280 and 390 px, en and zh).

import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allKinds } from '../../engine/kinds/registry.ts';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { localDateTime } from '../support/local-time.ts';
import { signInContext, closeBrowserSuite } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { bundledVersion } from '../templates/template-helpers.ts';

async function metadataOf(server: TestServer): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of allKinds()) {
    const res = await server.get(`/api/meta/${kind.plural}`);
    if (res.status !== 200) throw new Error(`${kind.plural}: ${res.status}`);
    out[kind.plural] = res.body.items;
  }
  return out;
}
const itemKeys = (meta: Record<string, unknown>) => allKinds().flatMap((k) => (meta[k.plural] as { name: string }[]).map((i) => `${k.kind}-${i.name}`)).sort();
async function installedOf(server: TestServer) {
  const templates = (await server.get('/api/templates')).body.templates as { name: string; installed?: { version: string }; modules: { name: string; on: boolean }[] }[];
  return templates.filter((t) => t.installed).map((t) => ({ name: t.name, version: t.installed!.version, modules: t.modules }));
}
const itemsShown = async (dialog: Locator) => (await dialog.locator('[data-testid^="dry-run-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('dry-run-item-'.length)))).sort();

describe('studio: change history and moving the configuration', { timeout: 900_000 }, () => {
  let source: TestServer;
  let fresh: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [source, fresh] = await Promise.all([startTestServer(), startTestServer()]);
    const installed = await source.post('/api/templates/services/install', { modules: ['clients'] });
    if (installed.status !== 201) throw new Error(JSON.stringify(installed.body).slice(0, 500));
    // A module switched on afterwards: its own revision, which names the module.
    const switched = await source.post('/api/templates/services/modules/serviceDesk', { enabled: true });
    if (switched.status !== 200) throw new Error(JSON.stringify(switched.body).slice(0, 500));
    // The admin's changes: an overlay over a template entity, and a view of their own.
    const account = (await source.get('/api/meta/entities/account')).body;
    account.fields.name.label = { en: 'Client name', zh: '客户名称' };
    account.fields.vipSince = { type: 'date', label: { en: 'VIP since', zh: '贵宾起始日' } };
    if ((await source.put('/api/meta/entities/account', account)).status !== 200) throw new Error('overlay');
    const view = await source.put('/api/meta/views/vipAccounts', { kind: 'view', name: 'vipAccounts', entity: 'account', type: 'list', label: { en: 'VIP accounts', zh: '贵宾客户' }, columns: { name: { order: 1 }, vipSince: { order: 2 } } });
    if (view.status !== 201) throw new Error(JSON.stringify(view.body));
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [source, fresh] }));

  const adminPage = async (server: TestServer, options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => {
    const context = await newContext(browser, server.url, options);
    contexts.push(context);
    await signInContext(context, server.admin!);
    return context.newPage();
  };

  it('acceptance 7: export from one server, import into a fresh one — the dry run lists every item; after import both answer the same metadata', async () => {
    const out = await adminPage(source);
    await out.goto('/admin/transfer');
    const downloaded = out.waitForEvent('download');
    await out.getByTestId('export-bundle').click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^crm-configuration-r\d+-.*\.json$/);
    const file = await download.path();
    await out.getByTestId('export-summary').waitFor();
    expect(await seriousViolations(out)).toEqual([]);

    const sourceMeta = await metadataOf(source);
    const page = await adminPage(fresh);
    await page.goto('/admin/transfer');
    await page.getByTestId('bundle-file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: await readFile(file) });
    const summary = page.getByTestId('bundle-summary');
    await summary.getByText(download.suggestedFilename()).waitFor();
    await summary.getByText(`services ${bundledVersion('services')}`).waitFor();
    // When it was exported, as every date-time in the studio reads: the UI language's date, hour and minute.
    const exportedAt = (JSON.parse(await readFile(file, 'utf8')) as { exportedAt: string }).exportedAt;
    await summary.getByText(await localDateTime(page, exportedAt, 'en'), { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'transfer', 'en');
    await page.getByTestId('import-dry-run').click();
    const dialog = page.getByRole('dialog', { name: `Import ${download.suggestedFilename()}` });
    await dialog.getByTestId('dry-run-items').waitFor();
    // Every item of the source, each new here; the template comes with them.
    await eventually(() => itemsShown(dialog)).toEqual(itemKeys(sourceMeta));
    expect(await dialog.locator('[data-testid^="dry-run-item-"]').filter({ hasText: 'new' }).count()).toBe(itemKeys(sourceMeta).length);
    await dialog.getByTestId('dry-run-templates').getByText('services').waitFor();
    // Each item by its label (a view's, an entity's), its name beside it.
    expect(await dialog.getByTestId('dry-run-item-view-vipAccounts').innerText()).toContain('VIP accounts (vipAccounts)');
    expect(await dialog.getByTestId('dry-run-item-entity-serviceCase').innerText()).toContain('Service request (serviceCase)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'transfer-import-dry-run', 'en');
    // Nothing changed while the admin reads.
    expect(itemKeys(await metadataOf(fresh))).toEqual([]);
    await dialog.getByTestId('dry-run-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(async () => itemKeys(await metadataOf(fresh))).toEqual(itemKeys(sourceMeta));
    expect(await metadataOf(fresh)).toEqual(await metadataOf(source));
    expect(await installedOf(fresh)).toEqual(await installedOf(source));
  });

  it('the admin’s overlays are shown apart from the template’s base', async () => {
    const page = await adminPage(source);
    await page.goto('/admin/history');
    await page.getByRole('tab', { name: 'Your changes over templates' }).click();
    const account = page.getByTestId('overlay-entity-account');
    await account.getByText('template services').waitFor();
    await account.click();
    const row = page.getByRole('row').filter({ hasText: 'fields › name › label › en' });
    await row.getByText('"Client name"').waitFor();
    const base = (await source.get('/api/meta/overlays')).body.items.find((i: { name: string }) => i.name === 'account').base.fields.name.label.en as string;
    await row.getByText(`"${base}"`).waitFor();
    await page.getByText('1 item of your own (not from a template)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'history-overlays', 'en');
  });

  it('a revision says what it did in the reader\u2019s language by the items\u2019 labels, and an item\u2019s change reads before → after, not JSON', async () => {
    const revisions = (await source.get('/api/meta/revisions')).body.items as { revision: number; message: string; changes: { kind: string; name: string; action: string; label?: { en: string; zh: string } }[] }[];
    const install = revisions.find((r) => r.message.startsWith('template services: install'))!;
    const moduleOn = revisions.find((r) => r.message === 'template services: enableModule serviceDesk')!;
    const overlay = revisions.find((r) => r.message === 'update entity account')!;
    const accountLabel = overlay.changes[0]!.label!;
    expect(accountLabel.zh).toMatch(/[\u4e00-\u9fff]/);
    const base = (await source.get('/api/meta/overlays')).body.items.find((i: { name: string }) => i.name === 'account').base.fields.name.label;
    const expected = {
      zh: {
        overlay: `更新实体 ${accountLabel.zh}`, install: `安装模板 售后服务（版本 ${bundledVersion('services')}）`, moduleOn: '模板 售后服务：启用模块 服务台', changes: '1 个条目有变更',
        changed: `修改fields › name › label › zh："${base.zh}" → "客户名称"`, added: '新增fields › vipSince › type："date"',
      },
      en: {
        overlay: `updated entity ${accountLabel.en}`, install: `Template Services installed (version ${bundledVersion('services')})`, moduleOn: 'Turned on module Service desk of template Services', changes: '1 item changed',
        changed: `changedfields › name › label › en: "${base.en}" → "Client name"`, added: 'addedfields › vipSince › type: "date"',
      },
    };
    for (const language of ['zh', 'en'] as const) {
      const want = expected[language];
      for (const width of [1280, 390]) {
        const page = await adminPage(source, { language, width });
        await page.goto('/admin/history');
        await eventually(() => page.getByTestId(`summary-${overlay.revision}`).textContent()).toBe(want.overlay);
        expect(await page.getByTestId(`summary-${install.revision}`).textContent()).toBe(want.install);
        expect(await page.getByTestId(`summary-${moduleOn.revision}`).textContent()).toBe(want.moduleOn);
        if (width === 390) {
          await page.getByTestId(`summary-${moduleOn.revision}`).scrollIntoViewIfNeeded();
          await screenshot(page, 'history-module', language);
        }
        if (language === 'zh') expect(await page.getByTestId('revisions').textContent()).not.toMatch(/update entity|template services/);
        const entry = page.getByTestId(`revision-${overlay.revision}`);
        await entry.getByText(want.changes).click();
        await entry.locator('strong', { hasText: language === 'zh' ? accountLabel.zh : accountLabel.en }).click();
        const diff = entry.getByTestId('field-diff');
        // The changed label: its place readable, its values before → after; the added field, property by property.
        await diff.getByRole('listitem').filter({ hasText: want.changed }).waitFor();
        await diff.getByRole('listitem').filter({ hasText: want.added }).waitFor();
        expect(await diff.textContent()).not.toContain('{"');
        expect(await seriousViolations(page)).toEqual([]);
        await diff.scrollIntoViewIfNeeded();
        await screenshot(page, 'history-diff', language);
        // Experts can still read the pointers and JSON values: the toggle works from the keyboard.
        const toggle = entry.getByTestId('field-diff-json');
        await toggle.focus();
        await page.keyboard.press('Enter');
        await eventually(() => toggle.getAttribute('aria-pressed')).toBe('true');
        await entry.getByRole('row').filter({ hasText: `/fields/name/label/${language}` }).waitFor();
        expect(await entry.getByTestId('field-diff').count()).toBe(0);
        expect(await seriousViolations(page)).toEqual([]);
        await page.context().close();
      }
    }
  });

  it('acceptance 8: reverts a revision from the history page after its dry run; the API answers that revision’s metadata', async () => {
    const revisions = (await source.get('/api/meta/revisions')).body.items as { revision: number; message: string; at: string }[];
    const latest = revisions[0]!.revision;
    // The last template step (the module switched on): the metadata before the admin's own changes.
    const installRevision = revisions.find((r) => r.message.startsWith('template services'))!.revision;
    const then = await metadataOf(source);
    const page = await adminPage(source);
    await page.goto('/admin/history');
    const entry = page.getByTestId(`revision-${latest}`);
    await entry.getByText('by admin@crm.test').waitFor();
    expect(await entry.locator('time').textContent()).toBe(await localDateTime(page, revisions[0]!.at, 'en'));
    // A revision says what it did by the items' labels, opens to its items and each item to its diff.
    await eventually(() => page.getByTestId(`summary-${latest}`).textContent()).toBe('created view VIP accounts');
    await entry.getByText('1 item changed').click();
    await entry.locator('strong', { hasText: 'VIP accounts' }).click();
    await entry.getByTestId('field-diff').getByRole('listitem').filter({ hasText: /^addedtype: "list"$/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'history', 'en');

    await page.getByTestId(`revert-${installRevision}`).click();
    const dialog = page.getByRole('dialog', { name: `Revert the metadata to revision ${installRevision}` });
    await dialog.getByTestId('dry-run-items').waitFor();
    const apiDry = (await source.post(`/api/meta/revisions/${installRevision}/revert?dryRun=1`, {})).body;
    await eventually(() => itemsShown(dialog)).toEqual(apiDry.changes.map((c: { kind: string; name: string }) => `${c.kind}-${c.name}`).sort());
    expect(apiDry.changes.map((c: { kind: string; name: string; action: string }) => `${c.action} ${c.kind} ${c.name}`).sort()).toEqual(['delete view vipAccounts', 'update entity account']);
    // Each item by its label, its name beside it.
    expect(await dialog.getByTestId('dry-run-item-view-vipAccounts').innerText()).toContain('VIP accounts (vipAccounts)');
    expect(await dialog.getByTestId('dry-run-item-entity-account').innerText()).toContain('Client (account)');
    await dialog.getByTestId('dry-run-item-entity-account').click();
    await dialog.getByTestId('field-diff').getByRole('listitem').filter({ hasText: /^removedfields › vipSince › type: "date"$/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'history-revert-dry-run', 'en');
    expect((await source.get('/api/health')).body.revision).toBe(latest);
    await dialog.getByTestId('dry-run-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId(`revision-${latest + 1}`).waitFor();
    expect((await source.get('/api/health')).body.revision).toBe(latest + 1);
    expect((await source.get('/api/meta/views/vipAccounts')).status).toBe(404);
    const account = (await source.get('/api/meta/entities/account')).body;
    expect(account.fields.vipSince).toBeUndefined();
    expect(account.fields.name.label).not.toEqual({ en: 'Client name', zh: '客户名称' });
    // The metadata is that of the template steps again: the account as the install wrote it (switching the module on left it alone).
    const firstInstall = revisions.find((r) => r.message.startsWith('template services: install'))!.revision;
    const installState = (await source.get(`/api/meta/revisions/${firstInstall}/diff`)).body.changes.find((c: { kind: string; name: string }) => c.kind === 'entity' && c.name === 'account').after;
    expect(account).toEqual(installState);
    expect(itemKeys(await metadataOf(source))).toEqual(itemKeys(then).filter((k) => k !== 'view-vipAccounts'));
  });

  it('both pages at 1280 and 390 px in English and Chinese, with no serious accessibility issue', async () => {
    for (const language of ['en', 'zh'] as const) {
      for (const width of [1280, 390]) {
        const page = await adminPage(source, { language, width });
        await page.goto('/admin/history');
        await page.getByTestId('revisions').waitFor();
        const newest = (await source.get('/api/meta/revisions?limit=1')).body.items[0] as { revision: number; at: string };
        expect(await page.getByTestId(`revision-${newest.revision}`).locator('time').textContent()).toBe(await localDateTime(page, newest.at, language));
        expect(await seriousViolations(page)).toEqual([]);
        if (!(language === 'en' && width === 1280)) await screenshot(page, 'history', language);
        await page.goto('/admin/transfer');
        await page.getByTestId('export-bundle').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        if (!(language === 'en' && width === 1280)) await screenshot(page, 'transfer', language);
        await page.context().close();
      }
    }
  });

  it('older revisions come a page at a time, each once, in the order the API lists them', async () => {
    // More revisions than the page's first answer holds (100): each a label change of one view.
    for (let i = 0; i < 101; i++) {
      const applied = await source.post('/api/meta/apply', [{ kind: 'view', name: 'pagingProbe', entity: 'account', label: `Paging probe ${i}`, type: 'list', columns: { name: { order: 10 } } }]);
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    }
    const all: number[] = [];
    for (let before: number | null | undefined; before !== null; ) {
      const res = await source.get(`/api/meta/revisions?limit=1000${before ? `&before=${before}` : ''}`);
      all.push(...res.body.items.map((r: { revision: number }) => r.revision));
      before = res.body.next;
    }
    expect(all.length).toBeGreaterThan(101);
    const page = await adminPage(source);
    await page.goto('/admin/history');
    const entries = page.getByTestId('revisions').locator('[data-testid^="revision-"]');
    const shown = () => entries.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-testid')!.slice('revision-'.length))));
    await eventually(shown).toEqual(all.slice(0, 100));
    await page.getByRole('button', { name: 'Show older revisions' }).click();
    await eventually(shown).toEqual(all.slice(0, 200));
    if (all.length <= 200) expect(await page.getByRole('button', { name: 'Show older revisions' }).count()).toBe(0);
    await page.context().close();
  });
});
