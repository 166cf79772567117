// A lookup filtered by another field of the form (a dependent lookup): on a new opportunity, once
// the account is chosen the Contact picker lists that account's contacts only, and choosing another
// account clears a contact that no longer fits — at 1280 and 390 px, in English and Chinese; a
// many-to-many field (stakeholders) is narrowed alike, and loses the links that no longer fit. The
// entity designer shows the filter as "field of the target equals field of this record" rows, and a
// row added with the keyboard is saved. Axe-clean.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const words = {
  en: { name: 'Name', account: 'Account', contact: 'Contact', create: 'Create', cleared: 'Contact was cleared: the chosen record does not fit the new values', stakeholders: 'Stakeholders', dropped: 'Stakeholders: removed the records that do not fit the new values' },
  zh: { name: '名称', account: '客户', contact: '联系人', create: '创建', cleared: '已清空联系人：所选记录不符合新的取值', stakeholders: '相关人', dropped: '相关人：已移除不符合新取值的记录' },
} as const;

describe('studio: a lookup narrowed by another field of the form', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [
      { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } } },
      { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } }, account: { type: 'lookup', to: 'account', label: { en: 'Account', zh: '客户' } } } },
      {
        kind: 'entity', name: 'opportunity', label: { en: 'Opportunity', zh: '商机' }, titleField: 'name',
        fields: {
          name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } },
          account: { type: 'lookup', to: 'account', label: { en: 'Account', zh: '客户' } },
          contact: { type: 'lookup', to: 'contact', label: { en: 'Contact', zh: '联系人' }, filter: { account: '$record.account' } },
          stakeholders: { type: 'multiLookup', to: 'contact', label: { en: 'Stakeholders', zh: '相关人' }, filter: { account: '$record.account' } },
          // Computed after a write's lookup check: no field a filter may read.
          code: { type: 'formula', returns: 'text', expression: "name & '-1'", label: { en: 'Name code', zh: '名称代码' } },
        },
      },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const accounts: Record<string, string> = {};
    for (const name of ['Acme', 'Globex']) accounts[name] = (await server.post('/api/data/account', { name })).body.id;
    for (const [name, account] of [['Ada Acme', 'Acme'], ['Alan Acme', 'Acme'], ['Bob Globex', 'Globex']] as const) {
      expect((await server.post('/api/data/contact', { name, account: accounts[account] })).status).toBe(201);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const open = async (width: number, language: 'en' | 'zh'): Promise<Page> => {
    const context = await newContext(browser, server.url, { width, language });
    contexts.push(context);
    await signInContext(context, testAdmin);
    return context.newPage();
  };
  const offered = (page: Page) => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents();
  // By role: the header's account menu is labelled "Account" too.
  const box = (page: Page, label: string) => page.getByRole('combobox', { name: label, exact: true });
  const shown = (page: Page, label: string) => box(page, label).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent();
  // A multiple select's input sits in nested ant-select-* wrappers: the Select itself holds the tags.
  const tags = (page: Page, label: string) => box(page, label).locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]').textContent();
  const pick = async (page: Page, label: string, option: string) => {
    if ((await page.locator('.ant-select-dropdown:visible').count()) === 0) await box(page, label).click();
    await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
    await eventually(() => tags(page, label)).toContain(option);
  };
  const choose = async (page: Page, label: string, option: string) => {
    if ((await page.locator('.ant-select-dropdown:visible').count()) === 0) await box(page, label).click();
    await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
    await eventually(() => shown(page, label)).toContain(option);
  };

  it.each([
    [1280, 'en'],
    [390, 'en'],
    [1280, 'zh'],
    [390, 'zh'],
  ] as const)('at %i px in %s: the contact picker lists the chosen account\'s contacts; another account clears the contact', async (width, language) => {
    const w = words[language];
    const page = await open(width, language);
    await page.goto('/e/opportunity/new');
    await page.getByLabel(w.name, { exact: true }).fill(`Deal ${width} ${language}`);
    await choose(page, w.account, 'Acme');
    await box(page, w.contact).click();
    await eventually(() => offered(page)).toEqual(['Ada Acme', 'Alan Acme']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lookup-filter-picker', language);
    await choose(page, w.contact, 'Ada Acme');

    await box(page, w.account).click();
    await choose(page, w.account, 'Globex');
    await eventually(() => shown(page, w.contact)).not.toContain('Ada Acme');
    await page.getByText(w.cleared, { exact: true }).waitFor();
    await box(page, w.contact).click();
    await eventually(() => offered(page)).toEqual(['Bob Globex']);
    await choose(page, w.contact, 'Bob Globex');
    await page.getByRole('button', { name: w.create }).click();
    await page.waitForURL(/\/e\/opportunity\/[0-9A-Z]{26}$/);
    const stored = (await server.get(`/api/data/opportunity/${page.url().split('/').pop()}?fields=account.name,contact.name`)).body;
    expect(stored).toMatchObject({ 'account.name': 'Globex', 'contact.name': 'Bob Globex' });
  });

  it.each([
    [1280, 'en'],
    [390, 'zh'],
  ] as const)('at %i px in %s: the stakeholders picker lists the chosen account\'s contacts; another account drops the links that no longer fit', async (width, language) => {
    const w = words[language];
    const page = await open(width, language);
    await page.goto('/e/opportunity/new');
    await page.getByLabel(w.name, { exact: true }).fill(`Deal with stakeholders ${width} ${language}`);
    await choose(page, w.account, 'Acme');
    await box(page, w.stakeholders).click();
    await eventually(() => offered(page)).toEqual(['Ada Acme', 'Alan Acme']);
    await pick(page, w.stakeholders, 'Ada Acme');
    await pick(page, w.stakeholders, 'Alan Acme');
    await page.keyboard.press('Escape');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lookup-filter-stakeholders', language);

    await box(page, w.account).click();
    await choose(page, w.account, 'Globex');
    await page.getByText(w.dropped, { exact: true }).waitFor();
    await eventually(() => tags(page, w.stakeholders)).not.toContain('Acme');
    await box(page, w.stakeholders).click();
    await eventually(() => offered(page)).toEqual(['Bob Globex']);
    await pick(page, w.stakeholders, 'Bob Globex');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: w.create }).click();
    await page.waitForURL(/\/e\/opportunity\/[0-9A-Z]{26}$/);
    const stored = (await server.get(`/api/data/opportunity/${page.url().split('/').pop()}`)).body;
    const bob = (await server.get(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ name: 'Bob Globex' }))}`)).body.items[0].id;
    expect(stored.stakeholders).toEqual([bob]);
  });

  it('the form designer\'s live preview narrows the contact picker by the preview\'s account, as the record page does', async () => {
    // A second form of the entity (not its default): the record pages above are not changed by it.
    const applied = await server.post('/api/meta/apply', [
      { kind: 'form', name: 'opportunityQuick', entity: 'opportunity', label: { en: 'Quick opportunity', zh: '快速商机' }, sections: { main: { order: 10, label: { en: 'Main', zh: '主要' }, fields: { name: { order: 10 }, account: { order: 20 }, contact: { order: 30 } } } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const page = await open(1280, 'en');
    await page.goto('/admin/forms/opportunityQuick');
    const preview = page.getByTestId('form-preview');
    const previewBox = (label: string) => preview.getByRole('combobox', { name: label, exact: true });
    const previewChoose = async (label: string, option: string) => {
      await previewBox(label).click();
      await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
      await eventually(() => previewBox(label).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent()).toContain(option);
    };
    await previewBox('Contact').waitFor();
    await previewChoose('Account', 'Acme');
    await previewBox('Contact').click();
    await eventually(() => offered(page)).toEqual(['Ada Acme', 'Alan Acme']);
    await page.keyboard.press('Escape');
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await previewChoose('Account', 'Globex');
    await previewBox('Contact').click();
    await eventually(() => offered(page)).toEqual(['Bob Globex']);
    await page.keyboard.press('Escape');
  });

  it('the entity designer shows the filter as rows; a row added with the keyboard is saved (en), and reads in Chinese at 390 px', async () => {
    const zh = await open(390, 'zh');
    await zh.goto('/admin/entities/opportunity');
    await zh.getByRole('button', { name: '编辑字段 contact' }).click();
    // The drawer is titled by the field's label, with its name.
    await zh.getByRole('dialog', { name: '字段：联系人（contact）' }).waitFor();
    const zhGroup = zh.getByRole('group', { name: '仅限符合条件的记录' });
    await zhGroup.waitFor();
    expect(await zhGroup.getByLabel('条件 1：联系人 的字段').locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent()).toContain('客户 (account)');
    expect(await zhGroup.getByLabel('条件 1：本商机的字段').locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent()).toContain('客户 (account)');
    await zhGroup.scrollIntoViewIfNeeded();
    expect(await seriousViolations(zh)).toEqual([]);
    await screenshot(zh, 'lookup-filter-designer', 'zh');

    const page = await open(1280, 'en');
    await page.goto('/admin/entities/opportunity');
    await page.getByRole('button', { name: 'Edit field contact' }).click();
    await page.getByRole('dialog', { name: 'Field: Contact (contact)' }).waitFor();
    const group = page.getByRole('group', { name: 'Only records where' });
    await group.waitFor();
    await page.getByRole('button', { name: 'Add condition' }).focus();
    await page.keyboard.press('Enter');
    await group.getByLabel('Condition 2: field of Contact').focus();
    await page.keyboard.type('name');
    await page.keyboard.press('Enter');
    await group.getByLabel('Condition 2: field of this Opportunity').focus();
    await page.keyboard.type('name');
    // "Name code" is a formula: offered on the contact's side would be fine, on this record's it is not.
    await eventually(() => offered(page)).toEqual(['Name (name)']);
    await page.keyboard.press('Enter');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lookup-filter-designer', 'en');
    await page.getByRole('button', { name: 'Keep in draft' }).click();
    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await server.get('/api/meta/entities/opportunity')).body.fields.contact.filter).toEqual({ account: '$record.account', name: '$record.name' });
  });
});
