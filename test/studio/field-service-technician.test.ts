// A repair-and-maintenance company's own metadata (nobody here wrote it): work orders for customers'
// assets, the asset narrowed to the work order's customer, a site address and the customer's sign-off
// (a consent). Its technicians are not admins, half work in Chinese on phones. Each check failed
// before its fix:
// - a technician's asset picker offered every customer's assets: a non-admin's metadata drops a
//   lookup's filter (an admin's business), so the form never asked the server to narrow the search,
//   and the asset picked was refused on save;
// - the sign-off showed "[object Object]" in a text input (no consent control in record forms), and
//   the timeline wrote it as JSON;
// - the site address's parts (Street, City…) stood on the form without the field's label;
// - symptoms laid out as checkboxes in the form designer were a drop-down on the form;
// - a bulk update refused for some of the rows said "1 refused: <reason>" and cleared the selection:
//   which of the rows picked was left unchanged, nothing said.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const words = {
  en: { bulk: 'Update selected', field: 'Field', value: 'New value', apply: 'Apply', refused: "1 refused (left selected) — 漏水 B en: must be an asset of the work order's customer", customer: 'Customer', asset: 'Asset', signoff: 'Customer sign-off', address: 'Site address', street: 'Street', save: 'Save', given: 'Given', withdrawn: 'Withdrawn', none: 'Not given' },
  zh: { bulk: '批量修改', field: '字段', value: '新值', apply: '应用', refused: '1 条被拒绝（仍选中）— 漏水 B zh：必须是该工单客户的设备', customer: '客户', asset: '设备', signoff: '客户签字确认', address: '现场地址', street: '街道地址', save: '保存', given: '同意', withdrawn: '撤回', none: '未同意' },
} as const;

const metadata = [
  { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } } },
  {
    kind: 'entity', name: 'asset', label: { en: 'Asset', zh: '设备' }, titleField: 'serial',
    fields: { serial: { type: 'text', required: true, label: { en: 'Serial no.', zh: '序列号' } }, customer: { type: 'lookup', to: 'customer', required: true, label: { en: 'Customer', zh: '客户' } } },
  },
  {
    kind: 'entity', name: 'workOrder', label: { en: 'Work order', zh: '工单' }, titleField: 'subject',
    fields: {
      subject: { type: 'text', required: true, label: { en: 'Subject', zh: '主题' } },
      customer: { type: 'lookup', to: 'customer', required: true, label: { en: 'Customer', zh: '客户' } },
      asset: { type: 'lookup', to: 'asset', label: { en: 'Asset', zh: '设备' }, filter: { customer: '$record.customer' }, filterMessage: { en: "must be an asset of the work order's customer", zh: '必须是该工单客户的设备' } },
      siteAddress: { type: 'address', label: { en: 'Site address', zh: '现场地址' } },
      signoff: { type: 'consent', label: { en: 'Customer sign-off', zh: '客户签字确认' } },
      symptoms: { type: 'multipicklist', label: { en: 'Symptoms', zh: '故障现象' }, options: { noise: { label: { en: 'Noise', zh: '异响' } }, leak: { label: { en: 'Leak', zh: '漏水' } }, noPower: { label: { en: 'No power', zh: '无法开机' } } } },
    },
  },
  {
    kind: 'form', name: 'workOrderMain', entity: 'workOrder', label: { en: 'Work order', zh: '工单' }, default: true,
    sections: {
      main: { order: 10, label: { en: 'Request', zh: '报修' }, columns: 2, fields: { subject: { order: 10 }, customer: { order: 20 }, asset: { order: 30 }, siteAddress: { order: 40, span: 2 }, signoff: { order: 50, widget: 'consent' }, symptoms: { order: 60, widget: 'checkboxes' } } },
    },
  },
  {
    kind: 'role', name: 'technician', label: { en: 'Technician', zh: '技术员' },
    permissions: { customer: { read: 'all' }, asset: { read: 'all' }, workOrder: { read: 'all', create: true, update: 'all' } },
  },
];

describe('studio: a field-service technician (not an admin) works a work order', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let technician: TestUser;
  const contexts: BrowserContext[] = [];
  const customers: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    for (const name of ['上海华润物业', 'Acme Facilities']) customers[name] = (await server.post('/api/data/customer', { name })).body.id;
    for (const [serial, customer] of [['CH-1001', '上海华润物业'], ['CH-1002', '上海华润物业'], ['AC-2001', 'Acme Facilities']] as const) {
      expect((await server.post('/api/data/asset', { serial, customer: customers[customer] })).status).toBe(201);
    }
    technician = await server.createUser({ name: '王师傅 Wang', roles: ['technician'] });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const open = async (width: number, language: 'en' | 'zh'): Promise<Page> => {
    const context = await newContext(browser, server.url, { width, language });
    contexts.push(context);
    await signInContext(context, technician);
    return context.newPage();
  };
  const offered = (page: Page) => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents();

  it("a technician's metadata says which of the form's fields narrow a filtered lookup, not the filter", async () => {
    const entity = await technician.client.get<{ fields: Record<string, Record<string, unknown>> }>('/api/meta/entities/workOrder');
    expect(entity.status).toBe(200);
    expect(entity.body.fields['asset']!['filter']).toBeUndefined();
    expect(entity.body.fields['asset']!['filterReads']).toEqual(['customer']);
    expect(entity.body.fields['customer']!['filterReads']).toBeUndefined();
  });

  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`offers only the customer's assets once the customer is chosen (${language}, ${width} px)`, async () => {
      const w = words[language];
      const page = await open(width, language);
      await page.goto('/e/workOrder/new');
      const customer = page.getByRole('combobox', { name: w.customer, exact: true });
      await customer.click();
      await customer.fill('上海');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '上海华润物业' }).click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      await page.getByRole('combobox', { name: w.asset, exact: true }).click();
      // Before the fix: AC-2001 (another customer's) was offered too.
      await eventually(() => offered(page)).toEqual(['CH-1001', 'CH-1002']);
      await screenshot(page, 'field-service-technician-asset', language);
      await page.keyboard.press('Escape');
      expect(await seriousViolations(page)).toEqual([]);
    });

    it(`names the address's parts by the field and shows the sign-off as a consent to give or withdraw (${language}, ${width} px)`, async () => {
      const w = words[language];
      const created = await server.post('/api/data/workOrder', { subject: `Leak ${language}`, customer: customers['上海华润物业'], signoff: { givenAt: '2026-03-01T10:00:00.000Z', source: 'tablet' } });
      expect(created.status).toBe(201);
      const stored = async () => (await server.get(`/api/data/workOrder/${created.body.id}`)).body.signoff;
      const page = await open(width, language);
      await page.goto(`/e/workOrder/${created.body.id}`);
      // The parts are a group named by the field.
      await page.getByRole('group', { name: w.address }).getByLabel(w.street, { exact: true }).waitFor();
      const consent = page.getByRole('checkbox', { name: w.signoff });
      expect(await consent.isChecked()).toBe(true);
      expect(await page.locator('input[value="[object Object]"]').count()).toBe(0);
      const item = consent.locator('xpath=ancestor::div[contains(@style,"margin-bottom")][1]');
      expect(await item.textContent()).toContain(w.given);
      expect(await item.textContent()).toContain('tablet');

      // Withdrawn by keyboard, then saved: the consent given is kept with when it was withdrawn.
      await consent.focus();
      await page.keyboard.press('Space');
      expect(await item.textContent()).toContain(w.withdrawn);
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await eventually(stored).toMatchObject({ givenAt: '2026-03-01T10:00:00.000Z', source: 'tablet', withdrawnAt: expect.any(String) });

      // Given again: a new consent, without the old one's source and withdrawal (a merge patch drops them).
      await page.getByRole('checkbox', { name: w.signoff }).check();
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await eventually(async () => Object.keys((await stored()) ?? {})).toEqual(['givenAt']);
      // The timeline writes the consent in words, not as JSON.
      await eventually(() => page.getByText('"givenAt"').count()).toBe(0);
      await page.getByRole('checkbox', { name: w.signoff }).scrollIntoViewIfNeeded();
      await screenshot(page, 'field-service-technician-consent', language);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`a bulk update refused for one row names it and leaves it selected (${language}, ${width} px)`, async () => {
      const w = words[language];
      const ids: Record<string, string> = {};
      for (const [subject, customer] of [[`漏水 A ${language}`, '上海华润物业'], [`漏水 B ${language}`, 'Acme Facilities']] as const) {
        ids[subject] = (await server.post('/api/data/workOrder', { subject, customer: customers[customer] })).body.id;
      }
      const page = await open(width, language);
      await page.goto('/e/workOrder');
      const row = (subject: string) => page.locator('tr, li[data-record-id]').filter({ hasText: subject }).last().getByRole('checkbox');
      await row(`漏水 A ${language}`).check();
      await row(`漏水 B ${language}`).check();
      await page.getByRole('button', { name: w.bulk, exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('combobox', { name: w.field }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: w.asset }).click();
      await dialog.getByRole('combobox', { name: w.value }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'CH-1001' }).click();
      await dialog.getByRole('button', { name: w.apply, exact: true }).click();
      // Only the asset of the first one's customer fits: the other is named, and stays selected.
      await page.locator('.ant-message').getByText(w.refused).waitFor();
      await eventually(async () => (await server.get(`/api/data/workOrder/${ids[`漏水 A ${language}`]}`)).body.asset).toBeTruthy();
      expect((await server.get(`/api/data/workOrder/${ids[`漏水 B ${language}`]}`)).body.asset).toBeUndefined();
      await eventually(() => row(`漏水 B ${language}`).isChecked()).toBe(true);
      expect(await row(`漏水 A ${language}`).isChecked()).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('symptoms the form lays out as checkboxes are ticked in place, by keyboard (zh, 390 px)', async () => {
    const created = await server.post('/api/data/workOrder', { subject: '异响检查', customer: customers['上海华润物业'] });
    const page = await open(390, 'zh');
    await page.goto(`/e/workOrder/${created.body.id}`);
    await page.getByRole('checkbox', { name: '漏水', exact: true }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await eventually(async () => (await server.get(`/api/data/workOrder/${created.body.id}`)).body.symptoms).toEqual(['leak', 'noPower']);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a new record: ticking the sign-off and unticking it again saves no consent', async () => {
    const page = await open(1280, 'en');
    await page.goto('/e/workOrder/new');
    const consent = page.getByRole('checkbox', { name: words.en.signoff });
    await consent.check();
    await consent.uncheck();
    const item = consent.locator('xpath=ancestor::div[contains(@style,"margin-bottom")][1]');
    expect(await item.textContent()).toContain(words.en.none);
  });
});
