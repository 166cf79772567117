// Acceptance 2, 3 and 5: an agent (non-admin) creates a service case — a bad value's error lands
// next to its field, a conditional section appears when its condition holds, the save succeeds and
// the timeline shows the create; two transitions, one by button and one by dragging the card on
// the kanban, and a refused drag that snaps back with the reason; two contexts edit one record and
// the second recovers from the 412 without losing its edit.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clicksReachThePage, eventually, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage } from '../support/browser.ts';
import { localDateTime } from '../support/local-time.ts';
import { pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

async function dragTo(page: Page, handle: string, column: string): Promise<void> {
  const from = await page.locator(handle).boundingBox();
  const to = await page.locator(`section[data-column="${column}"]`).boundingBox();
  if (!from || !to) throw new Error('nothing to drag');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y + 20, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 12 });
  await page.mouse.up();
  await clicksReachThePage(page);
}

describe('studio: record page and kanban as an agent', { timeout: 240_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseId = '';

  beforeAll(async () => {
    fx = await startStudioFixture();
    browser = await launchBrowser();
    // With the studio's animations on, as most users see it (the other suites ask for less motion).
    context = await newContext(browser, fx.server.url, { motion: true });
    await signInContext(context, fx.agent);
    page = await context.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('creates a service case: server error next to its field, conditional section, timeline shows the create', async () => {
    await page.goto('/e/serviceCase/new');
    await page.getByRole('heading', { name: 'New Service request' }).waitFor();
    await page.getByLabel('Subject').fill('Air conditioner leaks water');
    await pickOption(page, 'Client', fx.account.name, 'Acme');
    await pickOption(page, 'Channel', 'Phone');
    // The product section is shown only for categories about a product.
    expect(await page.getByLabel('Serial no.').count()).toBe(0);
    await pickOption(page, 'Category', 'Malfunction');
    await page.getByLabel('Serial no.').waitFor();
    await pickOption(page, 'Category', 'Complaint');
    await eventually(() => page.getByLabel('Serial no.').count()).toBe(0);
    // A complaint is never low priority: the server's rule names /priority.
    await page.getByRole('radio', { name: 'Low' }).check();
    await page.getByRole('button', { name: 'Create' }).click();
    const priorityItem = page.locator('.ant-form-item').filter({ has: page.getByRole('radio', { name: 'Low' }) });
    await priorityItem.getByText('A complaint is never low priority').waitFor();
    // The focus is taken to the field to fix (its chosen radio), not left on Create.
    await eventually(() => page.getByRole('radio', { name: 'Low' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('radio', { name: 'High' }).check();
    await pickOption(page, 'Category', 'Malfunction');
    await page.getByLabel('Serial no.').fill('SN-1');
    await screenshot(page, 'record-new', 'en');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/serviceCase\/[0-9A-Z]{26}$/);
    caseId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Air conditioner leaks water' }).waitFor();
    await page.locator('[data-testid="timeline-entry"][data-action="create"]').waitFor();
    const stored = await fx.server.get(`/api/data/serviceCase/${caseId}`);
    expect(stored.body).toMatchObject({ subject: 'Air conditioner leaks water', category: 'malfunction', priority: 'high', serialNo: 'SN-1', status: 'new', account: fx.account.id });
    // Who and when: the date-time in the UI language, hour and minute in the browser's zone.
    const createdAt = ((await fx.server.get(`/api/data/serviceCase/${caseId}/history`)).body.items as { action: string; at: string }[]).find((e) => e.action === 'create')!.at;
    expect(await page.locator('[data-testid="timeline-entry"][data-action="create"]').textContent()).toContain(`by Ada Agent · ${await localDateTime(page, createdAt, 'en')}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('takes a transition by button: the resolution section appears with its required field', async () => {
    // Escalate is not among the agent's transitions: disabled, with the API's reason.
    const escalate = page.getByRole('button', { name: 'Escalate' });
    await page.getByRole('button', { name: 'Take it up' }).click();
    await page.getByText('Handled by').first().waitFor();
    await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.status).toBe('inProgress');
    // requiredWhen status in [inProgress, escalated]: the field is marked required now.
    const handledBy = page.locator('.ant-form-item').filter({ hasText: 'Handled by' }).first();
    await eventually(() => handledBy.locator('.ant-form-item-required').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="timeline-entry"][data-action="transition"]').filter({ hasText: '→ In progress' }).first().waitFor();
    expect(await escalate.count()).toBeLessThanOrEqual(1);
    await screenshot(page, 'record', 'en');
    await switchLanguage(page, 'zh');
    await page.getByText('处理方式').first().waitFor();
    // Transition labels come localized from the API: asked again in the new language.
    const buttons = page.getByRole('group', { name: '流程' }).getByRole('button');
    await eventually(async () => (await buttons.allTextContents()).join(' ')).not.toMatch(/[A-Za-z]/);
    expect(await buttons.count()).toBeGreaterThan(0);
    const createdAt = ((await fx.server.get(`/api/data/serviceCase/${caseId}/history`)).body.items as { action: string; at: string }[]).find((e) => e.action === 'create')!.at;
    await eventually(() => page.locator('[data-testid="timeline-entry"][data-action="create"]').textContent()).toContain(`Ada Agent · ${await localDateTime(page, createdAt, 'zh')}`);
    await screenshot(page, 'record', 'zh');
    await switchLanguage(page, 'en');
  });

  it('on the kanban a refused drag snaps back with the reason, an allowed one takes the transition', async () => {
    await page.goto('/v/caseBoard');
    const card = `[data-card="${caseId}"] [data-drag-handle]`;
    await page.locator(card).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'kanban', 'en');
    // Resolving needs a resolution and how it was handled: refused, the card stays.
    await dragTo(page, card, 'resolved');
    const refusal = page.getByTestId('kanban-refusal');
    await refusal.waitFor();
    // Missing fields by their labels, not their names.
    expect(await refusal.textContent()).toMatch(/Fill in first: .*(Resolution|Handled by)/);
    expect(await refusal.textContent()).not.toMatch(/resolutionPath/);
    await eventually(() => page.locator(`section[data-column="inProgress"] [data-card="${caseId}"]`).count()).toBe(1);
    expect((await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.status).toBe('inProgress');
    // Asking the client needs a comment: asked for, then taken.
    await dragTo(page, card, 'waitingCustomer');
    await page.getByRole('dialog').getByLabel('Comment (required)').fill('Sent the client a photo request');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.status).toBe('waitingCustomer');
    await eventually(() => page.locator(`section[data-column="waitingCustomer"] [data-card="${caseId}"]`).count()).toBe(1);
    const history = await fx.server.get(`/api/data/serviceCase/${caseId}/history`);
    expect(history.body.items.map((e: any) => e.comment).filter(Boolean)).toContain('Sent the client a photo request');
    await switchLanguage(page, 'zh');
    await page.getByRole('heading', { name: '服务台看板' }).waitFor();
    await screenshot(page, 'kanban', 'zh');
    await switchLanguage(page, 'en');
  });

  it('two contexts edit the same record: the second save shows the conflict and keeps its edit', async () => {
    const other = await newContext(browser, fx.server.url);
    try {
      await signInContext(other, fx.agent);
      const second = await other.newPage();
      await page.goto(`/e/serviceCase/${caseId}`);
      await second.goto(`/e/serviceCase/${caseId}`);
      await page.getByLabel('Product model').waitFor();
      await second.getByLabel('Product model').waitFor();
      await page.getByLabel('Product model').fill('KFR-35GW');
      await page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.assetModel).toBe('KFR-35GW');
      await second.getByLabel('Serial no.').fill('SN-CONFLICT-2');
      await second.getByRole('button', { name: 'Save' }).click();
      const alert = second.getByRole('alert').filter({ hasText: 'Someone else changed this record' });
      await alert.waitFor();
      // Who changed it and when, as every date-time reads: the UI language's date, hour and minute.
      const updatedAt = (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.updatedAt as string;
      expect(await alert.textContent()).toContain(`(Ada Agent, ${await localDateTime(second, updatedAt, 'en')})`);
      await screenshot(second, 'record-conflict', 'en');
      await second.getByRole('button', { name: 'Reload and re-apply my edit' }).click();
      await eventually(() => second.getByLabel('Product model').inputValue()).toBe('KFR-35GW');
      expect(await second.getByLabel('Serial no.').inputValue()).toBe('SN-CONFLICT-2');
      await second.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body).toMatchObject({ assetModel: 'KFR-35GW', serialNo: 'SN-CONFLICT-2' });
    } finally {
      await other.close();
    }
  });
});
