// A training school's admin builds a dashboard of what its company clients owe: the sum of the
// enrolments' net fee (a formula returning an amount) and of the companies' total due (a rollup of
// those net fees). The widget's "Of field" offered only fields typed integer, number, currency or
// percent — neither the formula nor the rollup, though the engine sums both — so the figure could
// not be made in the studio. Also the kanban's "sum" field, by the same rule.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const options = (page: Page) => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts();
async function choose(page: Page, id: string, option: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
  await eventually(async () => (await page.locator('.ant-form-item').filter({ has: page.locator(`#${id}`) }).innerText()).includes(option)).toBe(true);
}

describe('studio: sums over formulas and rollups', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', {
      documents: [
        { kind: 'entity', name: 'company', label: { en: 'Company', zh: '企业客户' }, fields: { name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true }, totalDue: { type: 'rollup', label: { en: 'Total due', zh: '应收合计' }, from: 'enrolment', via: 'company', op: 'sum', field: 'netFee' } } },
        {
          kind: 'entity',
          name: 'enrolment',
          label: { en: 'Enrolment', zh: '报名' },
          fields: {
            name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
            company: { type: 'lookup', label: { en: 'Company', zh: '企业' }, to: 'company' },
            fee: { type: 'currency', label: { en: 'Fee', zh: '学费' }, currency: 'CNY' },
            discount: { type: 'percent', label: { en: 'Discount', zh: '折扣' } },
            netFee: { type: 'formula', label: { en: 'Net fee', zh: '应收金额' }, returns: 'currency', currency: 'CNY', expression: 'fee * (1 - discount / 100)' },
            stage: { type: 'picklist', label: { en: 'Stage', zh: '阶段' }, options: { applied: { label: { en: 'Applied', zh: '已申请' } }, invoiced: { label: { en: 'Invoiced', zh: '已开票' } } } },
          },
        },
      ],
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const company = await server.post('/api/data/company', { name: 'Acme' });
    for (const [name, fee, discount] of [['Li', 3000, 10], ['Wang', 1000, 0]] as const) {
      expect((await server.post('/api/data/enrolment', { name, company: company.body.id, fee, discount, stage: 'applied' })).status).toBe(201);
    }
    browser = await launchBrowser();
    page = await signedInPage({ browser, server, contexts, options: { language: 'en', width: 1280 } });
  }, 120_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('a dashboard widget sums the net fee (a formula) and the total due (a rollup)', async () => {
    await page.goto('/admin/dashboards');
    await page.getByRole('button', { name: 'New dashboard' }).click();
    await page.getByRole('dialog', { name: 'New dashboard' }).getByLabel('Name').fill('owed');
    await page.getByRole('dialog', { name: 'New dashboard' }).getByLabel('Title (English)').fill('Owed');
    await page.getByRole('button', { name: 'Design it' }).click();
    await page.getByRole('heading', { name: 'Dashboard: Owed' }).waitFor();

    await page.getByRole('button', { name: 'Settings of Widget 1' }).click();
    await page.locator('#widget-title-en').fill('Net fees');
    await choose(page, 'widget-entity', 'Enrolment');
    await choose(page, 'widget-measure', 'Sum');
    await page.locator('#widget-measure-field').click();
    expect(await options(page)).toEqual(expect.arrayContaining(['Fee', 'Net fee']));
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Net fee' }).click();
    // The preview is the server's sum of the formula: 2,700 + 1,000.
    await eventually(() => page.getByTestId('dashboard-preview').locator('section[data-widget="widget1"]').innerText()).toContain('3,700');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog', { name: 'Widget: Net fees' }).getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Add widget' }).click();
    await page.locator('#widget-title-en').fill('Due by companies');
    await choose(page, 'widget-entity', 'Company');
    await choose(page, 'widget-measure', 'Sum');
    await page.locator('#widget-measure-field').click();
    expect(await options(page)).toContain('Total due');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Total due' }).click();
    await eventually(() => page.getByTestId('dashboard-preview').locator('section[data-widget="widget2"]').innerText()).toContain('3,700');
    await page.getByRole('dialog', { name: 'Widget: Due by companies' }).getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await server.get('/api/meta/dashboards/owed')).status).toBe(200);
    const saved = (await server.get('/api/meta/dashboards/owed')).body;
    expect(saved.widgets.widget1).toMatchObject({ entity: 'enrolment', measure: { op: 'sum', field: 'netFee' } });
    expect(saved.widgets.widget2).toMatchObject({ entity: 'company', measure: { op: 'sum', field: 'totalDue' } });
  });

  it('a board sums its columns by the net fee', async () => {
    await page.goto('/admin/views');
    await page.getByRole('button', { name: 'New view' }).click();
    const create = page.getByRole('dialog', { name: 'New view' });
    await create.getByLabel('Name').fill('enrolmentBoard');
    await create.locator('#new-view-entity').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Enrolment' }).first().click();
    await create.getByText('Board', { exact: true }).click();
    await create.getByRole('button', { name: 'Design it' }).click();
    await page.locator('#view-sum-field').click();
    expect(await options(page)).toEqual(expect.arrayContaining(['Fee', 'Net fee']));
  });
});
