// Issue 12, entity designer: "Rename and type change through the refactorings … with their counted
// preview". Each saved field offers "Rename": the new name goes through the admin area's dry-run
// dialog, which lists every document the rename rewrites (pointer by pointer) and the stored values
// it moves — the API's own dry-run counts — and applies only on confirmation. A saved field can also
// be removed: the review says how many records hold a value for it before anything is applied, and
// applied, the values go with it (a field added again under the name starts empty).
// axe on the dialogs; screenshots at 1280 and 390 px, en and zh.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { labelIn, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord } from '../api/api-helpers.ts';

const t = (en: string, zh: string) => ({ en, zh });
const docs = [
  {
    kind: 'entity', name: 'deal', label: t('Deal', '商机'), titleField: 'name',
    fields: { name: { type: 'text', required: true }, amount: { type: 'number' }, note: { type: 'text' }, doubled: { type: 'formula', returns: 'number', expression: 'amount * 2' } },
    rules: { positive: { when: 'amount < 0', field: 'amount', message: t('must not be negative', '不能为负数') } },
  },
  { kind: 'view', name: 'deals', entity: 'deal', label: t('Deals', '商机'), type: 'list', columns: { name: { order: 10 }, amount: { order: 20 } }, sort: '-amount' },
  { kind: 'role', name: 'sales', label: t('Sales', '销售'), permissions: { deal: { read: 'all', fields: { amount: 'read' } } } },
];
const amounts = [500, 50, undefined, 2000];
const notes = ['call back', undefined, undefined, 'VIP'];

type Usage = { kind: string; name: string; path: string };

describe('studio: rename a field', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const admin = () => ({ email: server.admin!.email, password: server.admin!.password });

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, docs);
    for (const [i, amount] of amounts.entries()) await createRecord(server, 'deal', { name: `D${i}`, ...(amount !== undefined ? { amount } : {}), ...(notes[i] !== undefined ? { note: notes[i] } : {}) });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const labels = {
    en: { button: 'Rename the field amount', newName: 'New name', preview: 'Preview the rename', cancel: 'Cancel' },
    zh: { button: '重命名字段 amount', newName: '新名称', preview: '预览重命名', cancel: /取\s?消/ },
  };

  async function openPreview(page: Page, language: 'en' | 'zh', to: string) {
    const l = labels[language];
    await page.goto('/admin/entities/deal');
    await page.getByRole('button', { name: l.button }).click();
    const newName = page.getByLabel(l.newName);
    await newName.fill(to);
    await eventually(() => newName.inputValue()).toBe(to);
    await page.getByRole('button', { name: l.preview }).click();
    const dialog = page.getByRole('dialog', { name: `deal.amount → ${to}` });
    const answered = dialog.getByTestId('dry-run-items').or(dialog.getByTestId('dry-run-issues')).or(dialog.getByRole('alert'));
    await answered.first().waitFor();
    return dialog;
  }

  for (const [language, width] of [['zh', 1280], ['zh', 390], ['en', 390]] as const) {
    it(`the counted preview in ${language} at ${width} px: axe-clean, screenshot, nothing changed on cancel`, async () => {
      const ctx = await newContext(browser, server.url, { language, width });
      await signInContext(ctx, admin());
      const page = await ctx.newPage();
      const dialog = await openPreview(page, language, 'total');
      expect(await dialog.getByTestId('rename-records').textContent()).toBe(String(amounts.filter((a) => a !== undefined).length));
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'designer-field-rename', language);
      await dialog.getByRole('button', { name: labels[language].cancel }).click();
      await ctx.close();
      expect(Object.keys((await server.get('/api/meta/entities/deal')).body.fields)).toContain('amount');
    });
  }

  it('shows the API dry run\'s counts and usages and, confirmed, renames: definition, usages and stored values follow', async () => {
    const api = (await server.post('/api/meta/refactor/rename', { entity: 'deal', field: 'amount', to: 'total' })).body.preview as { references: number; usages: Usage[]; stored: { recordsMoved: number } };
    const ctx = await newContext(browser, server.url);
    await signInContext(ctx, admin());
    const page = await ctx.newPage();

    // A name that is not one is stopped before the dry run.
    await page.goto('/admin/entities/deal');
    await page.getByRole('button', { name: labels.en.button }).click();
    await page.getByLabel('New name').fill('Bad name');
    expect(await page.getByRole('button', { name: 'Preview the rename' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A name taken is refused with the server's reason, in the dialog, and cannot be confirmed.
    const taken = await openPreview(page, 'en', 'name');
    expect(await taken.getByTestId('dry-run-issues').textContent()).toContain('"name" is already a field of deal');
    expect(await taken.getByTestId('dry-run-confirm').isDisabled()).toBe(true);
    await taken.getByRole('button', { name: 'Cancel' }).click();

    const dialog = await openPreview(page, 'en', 'total');
    expect(await dialog.getByTestId('rename-records').textContent()).toBe(String(api.stored.recordsMoved));
    expect(await dialog.getByTestId('rename-references').textContent()).toBe(String(api.references));
    // Every document the API says it rewrites is listed, with the entity itself.
    const items = dialog.getByTestId('dry-run-items');
    for (const name of new Set(['deal', ...api.usages.map((u) => u.name)])) await items.getByText(name, { exact: true }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-field-rename', 'en');
    await dialog.getByTestId('dry-run-confirm').click();
    await dialog.waitFor({ state: 'hidden' });

    // The designer shows the new name (the page refetched the entity), and the API answers it everywhere.
    await page.getByRole('button', { name: 'Rename the field total' }).waitFor();
    expect(await page.getByRole('button', { name: labels.en.button }).count()).toBe(0);
    const entity = (await server.get('/api/meta/entities/deal')).body;
    expect(Object.keys(entity.fields)).toEqual(expect.arrayContaining(['total']));
    expect(Object.keys(entity.fields)).not.toContain('amount');
    expect(entity.fields.doubled.expression).toBe('total * 2');
    expect(Object.keys((await server.get('/api/meta/views/deals')).body.columns)).toContain('total');
    const records = (await server.get('/api/data/deal?sort=name')).body.items as Record<string, unknown>[];
    expect(records.map((r) => r['total'])).toEqual(amounts);
    expect(records.every((r) => !('amount' in r))).toBe(true);
    await ctx.close();
  });

  for (const language of ['zh', 'en'] as const) {
    it(`removes a saved field (${language}): the review counts the records holding a value, and nothing is removed before Apply`, async () => {
      const l = language === 'en'
        ? { remove: 'Remove field note', restore: 'Restore note', review: 'Review and save', dialog: 'Review the change before applying', apply: 'Apply', cancel: 'Cancel' }
        : { remove: '移除字段 note', restore: '恢复 note', review: '检查并保存', dialog: '应用前检查变更', apply: '应用', cancel: /取\s?消/ };
      const ctx = await newContext(browser, server.url, { language, width: language === 'en' ? 1280 : 390 });
      await signInContext(ctx, admin());
      const page = await ctx.newPage();
      await page.goto('/admin/entities/deal');
      await page.getByRole('button', { name: l.remove }).click();
      // Taken out of the draft, offered back until saved; its name cannot be given to a new field meanwhile.
      await page.getByTestId('fields-removed').getByRole('button', { name: l.restore }).waitFor();
      if (language === 'en') {
        await page.getByRole('button', { name: 'Add field' }).click();
        await page.locator('#field-name').fill('note');
        await page.getByText('A saved field of this name is removed in this draft').waitFor();
        await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      }
      await page.getByRole('button', { name: l.review }).click();
      const dialog = page.getByRole('dialog', { name: l.dialog });
      const removed = dialog.getByTestId('removed-deal-note');
      await removed.waitFor();
      const deal = (await server.get('/api/meta/entities/deal')).body;
      const entityLabel = labelIn(deal.label, language, 'deal');
      // The change itself, its kind in the UI language, the entity by its label (its name after it).
      const named = entityLabel === 'deal' ? 'deal' : `${entityLabel} deal`;
      expect(await dialog.getByText(language === 'en' ? `update entity ${named}` : `修改 实体 ${named}`, { exact: true }).count()).toBe(1);
      const holding = notes.filter((n) => n !== undefined).length;
      // Named by their labels in the UI language (the field has none: its name).
      const fieldLabel = labelIn(deal.fields.note.label, language, 'note');
      expect(await removed.textContent()).toBe(language === 'en'
        ? `${holding} of ${notes.length} ${entityLabel} records hold a value for ${fieldLabel}: removing the field removes those values from the records (the audit trail keeps them)`
        : `${notes.length} 条${entityLabel}记录中有 ${holding} 条包含字段 ${fieldLabel} 的值：删除该字段会从记录中删除这些值（审计记录仍保留）`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'designer-field-remove', language);
      if (language === 'zh') {
        await dialog.getByRole('button', { name: l.cancel }).click();
        await ctx.close();
        expect(Object.keys((await server.get('/api/meta/entities/deal')).body.fields)).toContain('note');
        return;
      }
      await dialog.getByRole('button', { name: l.apply }).click();
      await eventually(async () => Object.keys((await server.get('/api/meta/entities/deal')).body.fields)).not.toContain('note');
      await ctx.close();
      // The values went with the field: `note` added again, as a number, reads empty on every record; the trail keeps the texts.
      const entity = (await server.get('/api/meta/entities/deal')).body;
      await applyMetadata(server, [{ ...entity, fields: { ...entity.fields, note: { type: 'number' } } }]);
      const records = (await server.get('/api/data/deal?sort=name')).body.items as Record<string, unknown>[];
      expect(records.map((r) => r['note'])).toEqual(notes.map(() => undefined));
      const kept = await Promise.all(records.map(async (r) => ((await server.get(`/api/data/deal/${String(r['id'])}/history`)).body.items as { changes: Record<string, { after?: unknown }> }[]).map((e) => e.changes['note']?.after).find((v) => v !== undefined)));
      expect(kept).toEqual(notes);
    });
  }
});
