// Acceptance 7: a public web form creates a lead without signing in — the form's logic live (a
// field shown and required when its condition holds), the server's rule next to its field, a
// thank-you state; a submission with the honeypot filled is refused and creates nothing; a field
// not on the form cannot be written (the page offers no input for it, and the API refuses it).
// Screenshots en/zh at 1280 and 390 px; axe on the form.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { signInContext } from '../support/studio-fixture.ts';
import { apiClient, startTestServer, type TestServer } from '../support/test-server.ts';
import { leadMetadata } from '../support/web-form-fixture.ts';

describe('studio: public web form', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const leads = async () => (await server.get('/api/data/lead?limit=100')).body.items as Record<string, unknown>[];
  const visitorPage = async (language: 'en' | 'zh' = 'en', width = 1280): Promise<Page> => (await newContext(browser, server.url, { language, width })).newPage();

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', leadMetadata());
    if (applied.status !== 200) throw new Error(JSON.stringify(applied.body));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a visitor sends a lead without signing in', async () => {
    const page = await visitorPage();
    await page.goto('/f/contactUs');
    await page.getByRole('heading', { name: 'Ask for a service contract' }).waitFor();
    // What the form does not name (rating) or shows read-only (status) has no input here.
    expect(await page.getByLabel('Rating').count()).toBe(0);
    expect(await page.getByLabel('Status').count()).toBe(0);
    await page.getByLabel('Your name').fill('Wang Fang');
    await page.getByLabel('Company').fill('Hangzhou Cold Chain');
    expect(await page.getByLabel('Units to cover').count()).toBe(0);
    await page.getByRole('radio', { name: 'A service contract' }).check();
    await page.getByLabel('Units to cover').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'web-form', 'en');
    // The shown field is required now: the server's form logic answers at /values/seats.
    await page.getByRole('button', { name: 'Send' }).click();
    const seatsItem = page.locator('.ant-form-item').filter({ has: page.getByLabel('Units to cover') });
    await eventually(async () => (await seatsItem.locator('.ant-form-item-explain').textContent()) ?? '').not.toBe('');
    await page.getByLabel('Units to cover').fill('12');
    // Neither e-mail nor phone: the entity's rule answers at /values/email, shown at the field.
    await page.getByRole('button', { name: 'Send' }).click();
    const emailItem = page.locator('.ant-form-item').filter({ has: page.getByLabel('E-mail') });
    await emailItem.getByText('Leave an e-mail or a phone number').waitFor();
    expect(await leads()).toEqual([]);
    await page.getByLabel('E-mail').fill('wang@example.cn');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('web-form-thanks').getByText('Thank you — we will be in touch shortly.').waitFor();
    const [lead] = await leads();
    expect(lead).toMatchObject({ name: 'Wang Fang', company: 'Hangzhou Cold Chain', email: 'wang@example.cn', interest: 'contract', seats: 12, status: 'new' });
    expect(lead).not.toHaveProperty('rating');
    await page.context().close();
  });

  it('in the studio the lead reads as made by the web form: the system named in the UI language, not an id or a lasting "…"', async () => {
    const [lead] = await leads();
    for (const language of ['zh', 'en'] as const) {
      const context = await newContext(browser, server.url, { language });
      try {
        await signInContext(context, server.admin!);
        const page = await context.newPage();
        await page.goto(`/e/lead/${String(lead!['id'])}`);
        const system = language === 'zh' ? '系统（网页表单）' : 'System (web form)';
        expect(lead!['owner']).toBe('system:webForm:contactUs');
        await eventually(() => page.getByTestId('record-owner').textContent()).toBe(system);
        const created = page.getByTestId('timeline-entry').last();
        await eventually(() => created.textContent()).toContain(system);
        expect(await page.locator('main').textContent()).not.toContain('system:');
      } finally {
        await context.close();
      }
    }
  });

  it('the honeypot-filled submission is refused; a field not on the form cannot be written', async () => {
    const page = await visitorPage();
    await page.goto('/f/contactUs');
    await page.getByLabel('Your name').fill('Cheap pills');
    await page.getByLabel('E-mail').fill('bot@spam.test');
    // What a form-filling bot does: it fills every input, the hidden one too.
    await page.locator('input[name="website"]').fill('http://spam.test', { force: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').getByText('must be empty').waitFor();
    expect(await page.getByTestId('web-form-thanks').count()).toBe(0);
    const forged = await apiClient(server.url).post('/api/public/forms/contactUs/submissions', { values: { name: 'Li Lei', email: 'li@example.cn', rating: 'hot' } });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details).toEqual([{ path: '/values/rating', message: 'is not a field of this form' }]);
    expect((await leads()).map((l) => l['name'])).toEqual(['Wang Fang']);
    await page.context().close();
  });

  it('in Chinese and at 390 px', async () => {
    for (const [language, width] of [['zh', 1280], ['zh', 390], ['en', 390]] as const) {
      const page = await visitorPage(language, width);
      await page.goto('/f/contactUs');
      await page.getByRole('heading', { name: language === 'zh' ? '咨询服务合同' : 'Ask for a service contract' }).waitFor();
      await page.getByRole('radio', { name: language === 'zh' ? '服务合同' : 'A service contract' }).check();
      await page.getByLabel(language === 'zh' ? '覆盖设备数' : 'Units to cover').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'web-form', language);
      await page.context().close();
    }
    await eventually(async () => (await leads()).length).toBe(1);
  });
});
