// The form's conditions on the record page are the server's too: a save names its form, so a field
// required by requiredWhen and left empty is refused by the server (its message under the field,
// nothing stored), and a field whose readOnlyWhen holds of the stored record is shown read-only —
// the same record with the condition false leaves it editable. The message under the field is
// worded for the person filling it (the form designer sets a condition's own), never the JSONata.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const metadata = [
  {
    kind: 'entity', name: 'claim', label: 'Claim', titleField: 'title',
    fields: {
      title: { type: 'text', required: true, label: 'Title' },
      status: { type: 'picklist', label: 'Status', options: { open: { label: 'Open' }, closed: { label: 'Closed' } } },
      amount: { type: 'number', label: 'Amount' },
      reason: { type: 'text', label: 'Reason' },
    },
  },
  {
    kind: 'form', name: 'claimForm', entity: 'claim', label: 'Claim', default: true,
    sections: {
      main: {
        label: 'Claim', order: 1, columns: 2,
        fields: { title: { order: 1 }, status: { order: 2 }, amount: { order: 3, readOnlyWhen: 'status = "closed"' }, reason: { order: 4, requiredWhen: 'amount > 1000' } },
      },
    },
  },
];

describe('studio: the form\'s conditions, enforced by the server and shown on the record page', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    await signInContext(context, testAdmin);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a conditionally required field left empty is refused by the server, under the field; filled, the record is created', async () => {
    await page.goto('/e/claim/new');
    await page.getByLabel('Title').fill('Water damage');
    await pickOption(page, 'Status', 'Open');
    await page.getByLabel('Amount').fill('5000');
    await page.getByRole('button', { name: 'Create' }).click();
    // Worded for the person filling the form, by the field's label: never the condition's JSONata.
    const message = page.getByText('Reason is required here');
    await message.waitFor();
    expect(await page.getByText('amount > 1000').count()).toBe(0);
    // Under the Reason field, not in the page's general alert.
    expect(await page.locator('.ant-form-item').filter({ has: page.getByLabel('Reason') }).getByText('Reason is required here').count()).toBe(1);
    expect((await server.get('/api/data/claim?total=1')).body.total).toBe(0);
    await page.getByLabel('Reason').fill('Burst pipe');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/claim\/[0-9A-Z]{26}$/);
    expect((await server.get(`/api/data/claim/${page.url().split('/').pop()}`)).body).toMatchObject({ amount: 5000, reason: 'Burst pipe' });
  });

  it('the form designer words a condition (English and Chinese): its message replaces the generic one under the field', async () => {
    await page.goto('/admin/forms/claimForm');
    await page.getByRole('button', { name: 'Settings of Reason' }).click();
    const message = 'Claims over 1,000 need a reason';
    await page.getByLabel('Message while required (shown instead of "is required here") (English)').fill(message);
    await page.getByLabel('Message while required (shown instead of "is required here") (Chinese)').fill('超过 1,000 的理赔需填写原因');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-form-condition-message', 'en');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await server.get('/api/meta/forms/claimForm')).body.sections.main.fields.reason.requiredWhenMessage).toEqual({ en: message, zh: '超过 1,000 的理赔需填写原因' });

    await page.goto('/e/claim/new');
    await page.getByLabel('Title').fill('Hail');
    await page.getByLabel('Amount').fill('2000');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.ant-form-item').filter({ has: page.getByLabel('Reason') }).getByText(message).waitFor();
    expect(await page.getByText('is required here').count()).toBe(0);
  });

  it('readOnlyWhen true of the stored record shows the field read-only; false, editable', async () => {
    const closed = (await server.post('/api/data/claim', { title: 'Closed one', status: 'closed', amount: 10 })).body;
    const open = (await server.post('/api/data/claim', { title: 'Open one', status: 'open', amount: 10 })).body;
    await page.goto(`/e/claim/${closed.id}`);
    await page.getByLabel('Title').waitFor();
    // Read-only, a number is its text (named by its label), not an input.
    await eventually(() => page.getByLabel('Amount').evaluate((el) => el.tagName)).toBe('OUTPUT');
    expect(await page.getByLabel('Amount').textContent()).toBe('10');
    expect(await page.getByLabel('Title').isEditable()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`/e/claim/${open.id}`);
    await page.getByLabel('Title').waitFor();
    await eventually(() => page.getByLabel('Amount').isEditable()).toBe(true);
    // The server refuses the change the page prevents: a write through the form to the closed claim's amount.
    const refused = await server.patch(`/api/data/claim/${closed.id}?form=claimForm`, { amount: 99 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('/amount');
  });
});
