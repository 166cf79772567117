// Triggers and actions in the workflow designer are built with a form for their kind, not typed as
// JSON: a notify action (recipients by role, a subject in both languages, a channel) and an SLA
// trigger (state picked, time in state, the new action) — a required part left empty is named;
// the JSON mode shows the same item; test mode shows the new escalation before saving; saved
// through the dry run, the API has exactly what the form built.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { applyAndWaitForRevision, pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

describe('studio: workflow triggers and actions as forms', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fx = await startStudioFixture();
    const created = await fx.agent.client.post('/api/data/serviceCase', {
      subject: 'Scanner offline', account: fx.account.id, channel: 'phone', category: 'malfunction', priority: 'high', slaLevel: 'standard', serialNo: 'SN-7', openedAt: '2026-03-01T08:00:00.000Z',
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const started = await fx.agent.client.post(`/api/data/serviceCase/${created.body.id}/transitions/start`, {});
    if (started.status !== 200) throw new Error(JSON.stringify(started.body));
    browser = await launchBrowser();
    admin = await newContext(browser, fx.server.url);
    await signInContext(admin, { email: fx.server.admin!.email, password: fx.server.admin!.password });
    page = await admin.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('builds a notify action and an SLA trigger with forms; test mode shows the escalation; saved, the API has them', async () => {
    await page.goto('/admin/workflows/caseHandling');
    await page.getByRole('heading', { name: 'Workflow designer · Service request handling' }).waitFor();

    // The action: whom to tell, what, where.
    await page.getByRole('tab', { name: 'Actions', exact: true }).click();
    await pickOption(page, 'Kind of action', 'Notify');
    await page.getByRole('button', { name: 'Add action' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add action' });
    await dialog.getByLabel('Name', { exact: true }).fill('tellDeskWaiting');
    await dialog.getByLabel('Label (English)').fill('Tell the desk a case waits');
    // The record's owner comes with the kind's starting point; the managers are added.
    expect(await dialog.getByText('The record\'s owner (owner)').count()).toBe(1);
    await pickOption(page, 'Roles to notify', '(serviceManager)', 'serviceManager');
    await page.keyboard.press('Escape');
    await dialog.getByLabel('Subject (English)').fill('A case waits for the customer');
    await dialog.getByLabel('Subject (Chinese)').fill('工单等待客户回复');
    await dialog.getByRole('checkbox', { name: 'Inbox' }).check();
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'workflow-action-form', 'en');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'tellDeskWaiting', exact: true }).waitFor();

    // The trigger: three days waiting for the customer.
    await page.getByRole('tab', { name: 'Triggers' }).click();
    await pickOption(page, 'Kind of trigger', 'SLA: time in state');
    await page.getByRole('button', { name: 'Add trigger' }).click();
    const trigger = page.getByRole('dialog', { name: 'Add trigger' });
    await trigger.getByLabel('Name', { exact: true }).fill('waitingTooLong');
    await pickOption(page, 'State', '(waitingCustomer)');
    await trigger.getByLabel('After time in the state').fill('');
    // A required part left empty is named, and nothing is kept.
    await trigger.getByRole('button', { name: 'Apply' }).click();
    await trigger.getByRole('alert').getByText('Fill in: After time in the state, Actions it runs').waitFor();
    await trigger.getByLabel('After time in the state').fill('3d');
    await pickOption(page, 'Actions it runs', 'tellDeskWaiting');
    await page.keyboard.press('Escape');
    // The same item as JSON, and back.
    await trigger.getByText('JSON', { exact: true }).click();
    const json = JSON.parse(await trigger.getByLabel('Definition (JSON)').inputValue());
    expect(json).toEqual({ on: 'inState', state: 'waitingCustomer', after: '3d', actions: ['tellDeskWaiting'] });
    await trigger.getByText('Form', { exact: true }).click();
    await trigger.getByLabel('After time in the state').waitFor();
    await trigger.getByRole('button', { name: 'Apply' }).click();
    await trigger.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'waitingTooLong', exact: true }).waitFor();

    // Test mode, before saving: asking the customer would schedule the new escalation.
    await page.getByRole('button', { name: 'Test mode' }).click();
    await pickOption(page, 'Record', 'Scanner offline', 'Scanner');
    await page.getByRole('button', { name: 'Run test' }).click();
    const ask = page.getByTestId('test-report').locator('[data-transition="askCustomer"]');
    // The actions it would run by their labels, not their names; when, as every date-time reads (the browser's zone, not UTC).
    await ask.getByText(/waitingTooLong at \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2} → Tell the desk a case waits/).waitFor();
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByTestId('dry-run').getByText('The change is valid.').waitFor();
    await applyAndWaitForRevision(page, fx.server);
    const saved = (await fx.server.get('/api/meta/workflows/caseHandling')).body;
    expect(saved.actions.tellDeskWaiting).toEqual({
      type: 'notify', label: { en: 'Tell the desk a case waits' }, to: { fields: ['owner'], roles: ['serviceManager'] },
      subject: { en: 'A case waits for the customer', zh: '工单等待客户回复' }, channels: ['inbox'],
    });
    expect(saved.triggers.waitingTooLong).toEqual({ on: 'inState', state: 'waitingCustomer', after: '3d', actions: ['tellDeskWaiting'] });
  });

  it('an existing setFields action opens as rows of field and expression; in Chinese and on a phone the form is axe-clean', async () => {
    for (const [language, width] of [['en', 390], ['zh', 1280], ['zh', 390]] as const) {
      const context = await newContext(browser, fx.server.url, { language, width });
      try {
        await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
        const p = await context.newPage();
        await p.goto('/admin/workflows/caseHandling');
        await p.getByRole('heading', { level: 1 }).waitFor();
        await p.getByRole('tab', { name: language === 'zh' ? '动作' : 'Actions', exact: true }).click();
        await p.getByRole('button', { name: language === 'zh' ? '编辑 stampFirstResponse' : 'Edit stampFirstResponse' }).click();
        const dialog = p.getByRole('dialog');
        const expression = dialog.getByLabel(language === 'zh' ? '第 1 个值的表达式' : 'Expression of value 1');
        await expression.waitFor();
        expect(await expression.inputValue()).not.toBe('');
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        await screenshot(p, 'workflow-action-form', language);
      } finally {
        await context.close();
      }
    }
  });
});
