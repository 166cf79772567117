// Issue 10, point 6, in the studio: the entity designer offers "Rename entity"; the new name goes
// through the admin area's dry-run dialog, which shows every document the rename rewrites and the
// stored data it moves — the same counts as the API's dry run — and applies only on confirmation.
// axe on the dialog; screenshots at 1280 and 390 px, en and zh.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord } from '../api/api-helpers.ts';

const t = (en: string, zh: string) => ({ en, zh });
const docs = [
  { kind: 'entity', name: 'account', label: t('Account', '客户'), titleField: 'name', fields: { name: { type: 'text', required: true } } },
  { kind: 'entity', name: 'deal', label: t('Deal', '商机'), titleField: 'name', fields: { name: { type: 'text', required: true }, amount: { type: 'number' }, account: { type: 'lookup', to: 'account' } } },
  { kind: 'view', name: 'deals', entity: 'deal', label: t('Deals', '商机'), type: 'list', columns: { name: { order: 10 }, amount: { order: 20 } }, sort: 'name' },
  { kind: 'role', name: 'sales', label: t('Sales', '销售'), permissions: { deal: { read: 'all' }, account: { read: 'all' } } },
];

describe('studio: rename an entity', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const admin = () => ({ email: server.admin!.email, password: server.admin!.password });

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, docs);
    const acme = await createRecord(server, 'account', { name: 'Acme' });
    for (const [i, amount] of [10, 20, 30].entries()) await createRecord(server, 'deal', { name: `D${i}`, amount, account: acme.id });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPreview(page: Page, labels: { button: string; newName: string; preview: string }, to = 'opportunity') {
    await page.goto('/admin/entities/deal');
    await page.getByRole('button', { name: labels.button }).click();
    const newName = page.getByLabel(labels.newName);
    await newName.fill(to);
    await eventually(() => newName.inputValue()).toBe(to);
    await page.getByRole('button', { name: labels.preview }).click();
    const dialog = page.getByRole('dialog', { name: `deal → ${to}` });
    // Wait for the dry run's answer, whichever it is, so that a wrong one fails with what the dialogs show.
    const answered = dialog.getByTestId('dry-run-items').or(dialog.getByTestId('dry-run-issues')).or(dialog.getByRole('alert'));
    await answered.first().waitFor().catch(async (error: unknown) => {
      const shown = await page.getByRole('dialog').allInnerTexts();
      throw new Error(`no dry-run answer in "deal → ${to}"; dialogs shown: ${JSON.stringify(shown)}`, { cause: error });
    });
    const expected = dialog.getByTestId(to === 'opportunity' ? 'dry-run-items' : 'dry-run-issues');
    if (!(await expected.isVisible())) throw new Error(`the dry run of "deal → ${to}" answered otherwise: ${await dialog.innerText()}`);
    return dialog;
  }

  for (const [language, width] of [['zh', 1280], ['zh', 390], ['en', 390]] as const) {
    it(`the counted preview in ${language} at ${width} px: axe-clean, screenshot, nothing changed on cancel`, async () => {
      const ctx = await newContext(browser, server.url, { language, width });
      await signInContext(ctx, admin());
      const page = await ctx.newPage();
      const labels = language === 'zh' ? { button: '重命名实体', newName: '新名称', preview: '预览重命名' } : { button: 'Rename entity', newName: 'New name', preview: 'Preview the rename' };
      const dialog = await openPreview(page, labels);
      expect(await dialog.getByTestId('rename-records').textContent()).toBe('3');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'designer-entity-rename', language);
      await dialog.getByRole('button', { name: language === 'zh' ? /取\s?消/ : 'Cancel' }).click();
      await ctx.close();
      expect((await server.get('/api/meta/entities/deal')).status).toBe(200);
    });
  }

  it('shows the API dry run\'s counts and, confirmed, renames: the designer opens under the new name, the records follow', async () => {
    const api = (await server.post('/api/meta/refactor/rename', { kind: 'entity', from: 'deal', to: 'opportunity' })).body.preview;
    expect(api.stored.recordsMoved).toBe(3);
    const ctx = await newContext(browser, server.url);
    await signInContext(ctx, admin());
    const page = await ctx.newPage();
    // A name that is not one is stopped before the dry run.
    await page.goto('/admin/entities/deal');
    await page.getByRole('button', { name: 'Rename entity' }).click();
    await page.getByLabel('New name').fill('Bad-name');
    expect(await page.getByRole('button', { name: 'Preview the rename' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A name taken is refused with its reason, in the dialog, and cannot be confirmed.
    const taken = await openPreview(page, { button: 'Rename entity', newName: 'New name', preview: 'Preview the rename' }, 'account');
    expect(await taken.getByTestId('dry-run-issues').textContent()).toContain('"account" is already an entity');
    expect(await taken.getByTestId('dry-run-confirm').isDisabled()).toBe(true);
    await taken.getByRole('button', { name: 'Cancel' }).click();

    const dialog = await openPreview(page, { button: 'Rename entity', newName: 'New name', preview: 'Preview the rename' });
    expect(await dialog.getByTestId('rename-records').textContent()).toBe(String(api.stored.recordsMoved));
    // Every document the API says it rewrites is listed: the entity under its new name, the old one removed, the view and the role.
    expect(api.usages.map((u: { kind: string; name: string }) => `${u.kind} ${u.name}`).sort()).toEqual(['role sales', 'view deals']);
    for (const item of ['opportunity', 'deal', 'deals', 'sales']) await dialog.getByTestId('dry-run-items').getByText(item, { exact: true }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-entity-rename', 'en');
    await dialog.getByTestId('dry-run-confirm').click();
    await page.waitForURL('**/admin/entities/opportunity');
    await page.getByRole('heading', { name: /Deal/ }).waitFor();
    await eventually(async () => (await server.get('/api/data/opportunity?sort=name')).body.items?.map((r: { name: string }) => r.name)).toEqual(['D0', 'D1', 'D2']);
    expect((await server.get('/api/data/deal')).status).toBe(404);
    await ctx.close();
  });
});
