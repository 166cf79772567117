// Acceptance 4: a list page as an agent — filter, sort, page forward and back, inline edit, bulk
// update of 20 records, and a CSV export whose rows equal the API's answer for the same query.

import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage } from '../support/browser.ts';
import { pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const priorities = ['low', 'normal', 'high', 'urgent'];

describe('studio: list page', { timeout: 240_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const total = () => page.getByTestId('list-total').textContent();

  beforeAll(async () => {
    fx = await startStudioFixture();
    for (let i = 0; i < 60; i++) {
      const res = await fx.agent.client.post('/api/data/serviceCase', {
        subject: `Case ${String(i).padStart(2, '0')} ${['fan', 'pump', 'door', 'coil'][i % 4]}`,
        account: fx.account.id,
        channel: 'phone',
        category: 'maintenance',
        priority: priorities[i % 3]!,
      });
      if (res.status !== 201) throw new Error(`case ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    browser = await launchBrowser();
    context = await newContext(browser, fx.server.url);
    await signInContext(context, fx.agent);
    page = await context.newPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('filters by a picklist, sorts by a column, pages forward and back', async () => {
    await page.goto('/v/caseQueue');
    await eventually(total).toMatch(/^60 records · page 1/);
    expect(await page.locator('tbody tr.ant-table-row').count()).toBe(50);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'list', 'en');

    await pickOption(page, 'Priority', 'High');
    await page.keyboard.press('Escape');
    await eventually(total).toMatch(/^20 records/);
    await page.getByLabel('Priority').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'High' }).click();
    await page.keyboard.press('Escape');
    await eventually(total).toMatch(/^60 records/);
    // One record is "1 record".
    await page.getByRole('searchbox', { name: 'Subject' }).fill('Case 07');
    await page.getByRole('searchbox', { name: 'Subject' }).press('Enter');
    await eventually(total).toBe('1 record · page 1');
    await page.getByRole('searchbox', { name: 'Subject' }).fill('');
    await page.getByRole('searchbox', { name: 'Subject' }).press('Enter');
    await eventually(total).toMatch(/^60 records/);

    await page.getByRole('columnheader', { name: 'Subject' }).click();
    const api = await fx.agent.client.get(`/api/data/serviceCase?sort=subject&limit=50&filter=${encodeURIComponent(JSON.stringify({ status: { $nin: ['resolved', 'closed', 'cancelled'] } }))}`);
    await eventually(() => page.locator('tbody tr.ant-table-row').first().locator('a').first().textContent()).toBe(api.body.items[0].subject);

    await page.getByRole('button', { name: 'Next' }).click();
    await eventually(total).toMatch(/page 2/);
    await eventually(() => page.locator('tbody tr.ant-table-row').count()).toBe(10);
    await page.getByRole('button', { name: 'Previous' }).click();
    await eventually(total).toMatch(/page 1/);
    await eventually(() => page.locator('tbody tr.ant-table-row').count()).toBe(50);
    await switchLanguage(page, 'zh');
    await eventually(total).toMatch(/共 60 条/);
    await screenshot(page, 'list', 'zh');
    await switchLanguage(page, 'en');
  });

  it('an empty date range filter is a stand-in until focused; the real picker takes the focus on the side focused and opens', async () => {
    await page.goto('/v/caseQueue');
    await eventually(total).toMatch(/^60 records · page 1/);
    const filters = page.getByRole('search', { name: 'Filters' });
    // Before: the stand-in's two inputs, none of the real picker's (which carry date-range).
    expect(await filters.locator('[data-lazy-control="range"]').count()).toBe(2);
    expect(await filters.locator('input[date-range]').count()).toBe(0);
    await filters.getByPlaceholder('Resolve by ≤').focus();
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('date-range'))).toBe('end');
    expect(await filters.locator('[data-lazy-control="range"]').count()).toBe(0);
    await eventually(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(1);
    await page.keyboard.press('Escape');
    await eventually(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Tab goes through an empty date range filter and out of it: from its start to its end, then to the next control', async () => {
    await page.goto('/v/caseQueue');
    await eventually(total).toMatch(/^60 records · page 1/);
    const filters = page.getByRole('search', { name: 'Filters' });
    await filters.getByPlaceholder('Resolve by ≥').focus();
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('date-range'))).toBe('start');
    await page.keyboard.press('Tab');
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Resolve by ≤');
    await page.keyboard.press('Tab');
    await eventually(() => page.evaluate(() => document.activeElement?.closest('.ant-picker-range') === null && document.activeElement !== document.body)).toBe(true);
  });

  it('edits a cell in place', async () => {
    const row = page.locator('tbody tr.ant-table-row').first();
    const id = await row.getAttribute('data-row-key');
    await row.getByRole('button', { name: 'Edit Priority' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Urgent' }).click();
    await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${id}`)).body.priority).toBe('urgent');
  });

  it('updates 20 selected records at once', async () => {
    const rows = page.locator('tbody tr.ant-table-row');
    for (let i = 0; i < 20; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
    await page.getByText('20 selected').waitFor();
    await page.getByRole('button', { name: 'Update selected' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, 'Field', 'SLA level');
    await pickOption(page, 'New value', 'Premium');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('20 records changed').waitFor();
    const premium = await fx.server.get(`/api/data/serviceCase?total=1&limit=1&filter=${encodeURIComponent(JSON.stringify({ slaLevel: 'premium' }))}`);
    expect(premium.body.total).toBe(20);
  });

  it('exports what is shown as CSV, row for row the API answer', async () => {
    await page.goto('/v/caseQueue');
    await eventually(total).toMatch(/^60 records · page 1/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const lines = (await readFile(file, 'utf8')).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,number,subject,account.name,priority,slaLevel,status,resolutionDueAt');
    const api = await fx.agent.client.get(`/api/data/serviceCase?sort=${encodeURIComponent('resolutionDueAt,-priority')}&limit=50&filter=${encodeURIComponent(JSON.stringify({ status: { $nin: ['resolved', 'closed', 'cancelled'] } }))}`);
    expect(lines.length - 1).toBe(api.body.items.length);
    const expected = api.body.items.map((r: any) => [r.id, r.number, r.subject, fx.account.name, r.priority, r.slaLevel, r.status, r.resolutionDueAt].join(','));
    expect(lines.slice(1)).toEqual(expected);
  });
});
