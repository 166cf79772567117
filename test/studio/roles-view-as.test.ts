// Acceptance 5 of "the studio, part 2": in the roles editor the admin hides a field from a role in
// the grants matrix (saved through the dry run), then "views as" a user with that role: the list
// shows neither the hidden field nor the records outside the role's scope, and matches what that
// user's own session gets from the API (the test signs in as the user to compare).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { applyAndWaitForRevision, pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';
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
    await page.getByRole('button', { name: 'Field access on Interaction' }).click();
    await pickOption(page, 'Access to Summary', 'hidden');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByText('The change is valid.').waitFor();
    await applyAndWaitForRevision(page, fx.server);
    expect((await fx.server.get('/api/meta/roles/fieldEngineer')).body.permissions.interaction.fields).toEqual({ summary: 'hidden' });
    // A grant hiding fields by default counts every field it leaves unnamed as hidden (not "hidden by default · 1 hidden").
    const fieldAccess = page.getByRole('button', { name: 'Field access on Interaction' });
    await eventually(() => fieldAccess.textContent()).toBe('edit by default · 1 hidden');
    const interactionFields = Object.keys((await fx.server.get('/api/meta/entities/interaction')).body.fields).length;
    await fieldAccess.click();
    await pickOption(page, 'Default for fields', 'hidden');
    await eventually(() => fieldAccess.textContent()).toBe(`hidden by default · ${interactionFields} hidden`);
    await pickOption(page, 'Default for fields', 'edit');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await eventually(() => fieldAccess.textContent()).toBe('edit by default · 1 hidden');
    await page.getByRole('button', { name: 'Save…' }).and(page.locator('[disabled]')).waitFor();
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
    // The account each row points at by its title (Fred reads accounts' names), a link; its id only in the tooltip.
    expect((await fred.client.get(`/api/data/account/${fx.account.id}`)).body.name).toBe(fx.account.name);
    const accountLink = result.getByRole('link', { name: fx.account.name });
    await accountLink.waitFor();
    expect(await accountLink.getAttribute('title')).toBe(fx.account.id);
    expect(await accountLink.getAttribute('href')).toBe(`/e/account/${fx.account.id}`);
    expect(await result.innerText()).not.toContain(fx.account.id);
    // The record as Fred sees it.
    await result.getByText('Fred visit').click();
    const record = page.getByRole('dialog');
    await record.getByText('The record as they see it').waitFor();
    await record.getByRole('link', { name: fx.account.name }).waitFor();
    expect(await record.innerText()).not.toContain(fx.account.id);
    expect(await record.textContent()).not.toContain('secret summary');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-view-as', 'en');
    // Each use was logged.
    const log = await fx.server.get('/api/auth/view-as');
    expect(log.body.items.some((e: any) => e.as === `user:${fred.id}` && e.path.startsWith('/api/data/interaction'))).toBe(true);
    await page.context().close();
  });

  it('view as a role that reads interactions but not accounts: the account is "(no access)", never its id or name', async () => {
    const saved = await fx.server.put('/api/meta/roles/visitReader', { kind: 'role', name: 'visitReader', label: { en: 'Visit reader', zh: '拜访查看者' }, permissions: { interaction: { read: 'all' } } });
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    // What the role gets from the API: the interactions, not the account they point at.
    expect((await fx.server.get('/api/data/interaction?limit=5', { 'x-crm-view-as': 'role:visitReader' })).body.items.length).toBeGreaterThan(0);
    expect((await fx.server.get(`/api/data/account?limit=5&filter=${encodeURIComponent(JSON.stringify({ id: { $in: [fx.account.id] } }))}`, { 'x-crm-view-as': 'role:visitReader' })).body.items ?? []).toEqual([]);
    for (const [language, noAccess] of [['en', '(no access)'], ['zh', '（无权查看）']] as const) {
      const page = await openAsAdmin(language);
      try {
        await page.getByRole('tab', { name: language === 'zh' ? '以他人身份查看' : 'View as' }).click();
        await pickOption(page, language === 'zh' ? '用户或角色' : 'As user or role', '(visitReader)', language === 'zh' ? '拜访查看者' : 'Visit reader');
        await pickOption(page, language === 'zh' ? '列表' : 'List', language === 'zh' ? '互动记录' : 'Interactions');
        const result = page.getByTestId('view-as-result');
        const cell = result.locator(`tbody [title="${fx.account.id}"]`).first();
        await eventually(async () => cell.innerText()).toBe(noAccess);
        expect(await result.getByRole('link', { name: noAccess }).count()).toBe(0);
        const text = await result.innerText();
        expect(text).not.toContain(fx.account.id);
        expect(text).not.toContain(fx.account.name);
        expect(await seriousViolations(page)).toEqual([]);
        await result.evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await screenshot(page, 'roles-view-as-no-access', language);
      } finally {
        await page.context().close();
      }
    }
  });

  it('users and teams: the users list goes a page at a time and searches on the server', async () => {
    // Enough users for more than one page of the list (50 a page).
    const extra = Array.from({ length: 52 }, (_, i) => ({ email: `staff${String(i).padStart(2, '0')}@crm.test`, name: `Staff ${i}`, password: 'long-enough-password' }));
    for (let i = 0; i < extra.length; i += 8) {
      for (const res of await Promise.all(extra.slice(i, i + 8).map((u) => fx.server.post('/api/users', u)))) expect(res.status).toBe(201);
    }
    const apiPage = async (after?: string) => (await fx.server.get(`/api/users?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`)).body as { items: { id: string }[]; next: string | null };
    const first = await apiPage();
    expect(first.next).not.toBeNull();
    const second = await apiPage(first.next!);
    const page = await openAsAdmin();
    try {
      await page.getByRole('tab', { name: 'Users and teams' }).click();
      const rows = page.getByRole('tabpanel').locator('table').first().locator('tbody tr[data-row-key]');
      const shown = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-key')));
      await eventually(shown).toEqual(first.items.map((u) => u.id));
      await page.getByRole('button', { name: 'Next page of users' }).click();
      await eventually(shown).toEqual(second.items.map((u) => u.id));
      expect(await page.getByText('Page 2').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Previous page of users' }).click();
      await eventually(shown).toEqual(first.items.map((u) => u.id));
      const search = page.getByRole('searchbox', { name: 'Search users by name or e-mail' });
      await search.fill('fred FIELD');
      await search.press('Enter');
      await eventually(shown).toEqual([fred.id]);
      await page.getByRole('heading', { name: 'Users', exact: true }).scrollIntoViewIfNeeded();
      await screenshot(page, 'roles-users', 'en');
      await search.fill('nobody has this name');
      await search.press('Enter');
      await page.getByText('No user matches').waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('a new role is made in the studio, chosen in the matrix at once, and its first grant saved', async () => {
    const page = await openAsAdmin();
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog', { name: 'New role' });
    await dialog.getByLabel('Name', { exact: true }).fill('fieldEngineer');
    await expect.poll(() => dialog.getByText('This name is taken').isVisible()).toBe(true);
    await dialog.getByLabel('Name', { exact: true }).fill('mechanic');
    await dialog.getByLabel('Label (English)').fill('Mechanic');
    await dialog.getByLabel('Label (Chinese)').fill('技师');
    await dialog.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review the change before applying' });
    await review.getByText('The change is valid').waitFor();
    await review.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await page.locator('#roles-role').locator('xpath=ancestor::*[contains(@class, "ant-select")][1]').textContent()) ?? '').toContain('Mechanic (mechanic)');
    expect((await fx.server.get('/api/meta/roles/mechanic')).body).toMatchObject({ label: { en: 'Mechanic', zh: '技师' } });
    await page.getByRole('checkbox', { name: 'Create on Interaction' }).check();
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByText('The change is valid.').waitFor();
    await applyAndWaitForRevision(page, fx.server);
    expect((await fx.server.get('/api/meta/roles/mechanic')).body.permissions.interaction).toEqual({ create: true });
    await page.context().close();
  });

  // The grants matrix, the users and teams and the view-as list at 1280 and 390 px: every row's
  // cells in sight without scrolling sideways (a card per row on a phone), its controls labelled.
  it('in both languages, on a desktop and on a phone: the roles editor and view as are axe-clean, every table read without scrolling sideways', async () => {
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['en', 390], ['zh', 390]] as const) {
      const page = await openAsAdmin(language, width);
      try {
        const grants = tableRows(page);
        await grants.first().waitFor();
        await expectTablesFit(page);
        if (width < 600) expect(await page.locator('table').count()).toBe(0);
        // Each entity's row keeps its labelled controls, reachable by keyboard: the create box takes Space.
        const create = page.getByRole('checkbox', { name: language === 'zh' ? '互动记录 的新建' : 'Create on Interaction' });
        const before = await create.isChecked();
        await create.focus();
        await page.keyboard.press('Space');
        await eventually(() => create.isChecked()).toBe(!before);
        await page.keyboard.press('Space');
        await eventually(() => create.isChecked()).toBe(before);
        expect(await grants.filter({ has: create }).count()).toBe(1);
        expect(await seriousViolations(page)).toEqual([]);
        await page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(page, 'roles-grants', language);
        await page.getByRole('tab', { name: language === 'zh' ? '用户与团队' : 'Users and teams' }).click();
        await tableRows(page.getByRole('tabpanel')).first().waitFor();
        await expectTablesFit(page);
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'roles-users', language);
        await page.getByRole('tab', { name: language === 'zh' ? '以他人身份查看' : 'View as' }).click();
        await pickOption(page, language === 'zh' ? '用户或角色' : 'As user or role', 'Fred Field', 'Fred');
        await pickOption(page, language === 'zh' ? '列表' : 'List', language === 'zh' ? '互动记录' : 'Interactions');
        await tableRows(page.getByTestId('view-as-result')).first().waitFor();
        await expectTablesFit(page);
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'roles-view-as', language);
      } finally {
        await page.context().close();
      }
    }
  });
});
