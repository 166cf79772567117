// Acceptance 5 of "the studio, part 2": in the roles editor the admin hides a field from a role in
// the grants matrix (saved through the dry run), then "views as" a user with that role: the list
// shows neither the hidden field nor the records outside the role's scope, and matches what that
// user's own session gets from the API (the test signs in as the user to compare).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';
import type { TestUser } from '../support/test-server.ts';

describe('studio: roles editor and view as', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let fred: TestUser;
  const interaction = (subject: string) => ({ account: fx.account.id, channel: 'visit', direction: 'outbound', occurredAt: '2026-03-01T08:00:00.000Z', subject, summary: `${subject}: secret summary` });

  beforeAll(async () => {
    fx = await startStudioFixture();
    await fx.server.createTeam('field');
    fred = await fx.server.createUser({ name: 'Fred Field', roles: ['fieldEngineer'], teams: ['field'] });
    for (const [client, subject] of [[fred.client, 'Fred visit'], [fx.server, 'Admin call'], [fx.agent.client, 'Agent call']] as const) {
      const res = await client.post('/api/data/interaction', interaction(subject));
      if (res.status !== 201) throw new Error(`${subject}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  const openAsAdmin = async (language: 'en' | 'zh' = 'en', width = 1280): Promise<Page> => {
    const context = await newContext(browser, fx.server.url, { language, width });
    await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
    const page = await context.newPage();
    await page.goto('/admin/roles');
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  };

  it('acceptance 5: a field hidden in the grants matrix; view as the user shows their list exactly as their own session gets it', async () => {
    const page = await openAsAdmin();
    await page.getByRole('heading', { name: 'Roles and access' }).waitFor();
    await pickOption(page, 'Role', 'Field engineer (fieldEngineer)');
    await page.getByRole('button', { name: 'Field access on interaction' }).click();
    await pickOption(page, 'Access to summary', 'hidden');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByText('The change is valid.').waitFor();
    await page.getByRole('button', { name: 'Apply the change' }).click();
    await page.getByText(/Saved as revision \d+/).waitFor();
    expect((await fx.server.get('/api/meta/roles/fieldEngineer')).body.permissions.interaction.fields).toEqual({ summary: 'hidden' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-grants', 'en');

    await page.getByRole('tab', { name: 'View as' }).click();
    await pickOption(page, 'As user or role', 'Fred Field', 'Fred');
    await pickOption(page, 'List', 'Interactions', 'Interact');
    const result = page.getByTestId('view-as-result');
    await result.waitFor();
    // What Fred's own session gets from the API.
    const own = await fred.client.get('/api/data/interaction?limit=50&sort=-createdAt');
    expect(own.status).toBe(200);
    const ownIds = own.body.items.map((r: any) => r.id);
    expect(own.body.items.map((r: any) => r.subject)).toEqual(['Fred visit']);
    expect(own.body.items.every((r: any) => !('summary' in r))).toBe(true);
    await eventually(async () => result.locator('tbody tr[data-row-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key')))).toEqual(ownIds);
    const headers = await result.locator('thead th').allTextContents();
    expect(headers).toContain('Subject');
    expect(headers).not.toContain('Summary');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Fred visit');
    expect(text).not.toContain('Admin call');
    expect(text).not.toContain('Agent call');
    expect(text).not.toContain('secret summary');
    expect(text).toMatch(/Hidden from them:.*Summary/);
    // The record as Fred sees it.
    await result.getByText('Fred visit').click();
    const record = page.getByRole('dialog');
    await record.getByText('The record as they see it').waitFor();
    expect(await record.textContent()).not.toContain('secret summary');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-view-as', 'en');
    // Each use was logged.
    const log = await fx.server.get('/api/auth/view-as');
    expect(log.body.items.some((e: any) => e.as === `user:${fred.id}` && e.path.startsWith('/api/data/interaction'))).toBe(true);
    await page.context().close();
  });

  it('in Chinese and on a phone: the roles editor and view as are axe-clean', async () => {
    for (const [language, width] of [['zh', 1280], ['en', 390], ['zh', 390]] as const) {
      const page = await openAsAdmin(language, width);
      try {
        await page.locator('tbody tr[data-row-key]').first().waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'roles-grants', language);
        await page.getByRole('tab', { name: language === 'zh' ? '以他人身份查看' : 'View as' }).click();
        await pickOption(page, language === 'zh' ? '用户或角色' : 'As user or role', 'Fred Field', 'Fred');
        await pickOption(page, language === 'zh' ? '列表' : 'List', language === 'zh' ? '互动记录' : 'Interactions');
        await page.getByTestId('view-as-result').locator('tbody tr[data-row-key]').first().waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'roles-view-as', language);
      } finally {
        await page.context().close();
      }
    }
  });
});
