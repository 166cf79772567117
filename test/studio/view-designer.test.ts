// Issue 12, the views and kanban designer, in a real browser against a real server with the services
// template and its sample data: a new list view (its starting columns taken out) gets columns (a lookup path among them) ordered by
// drag and drop, a sort and a filter built with the condition editor (a variable as one value); the
// live preview shows what the server returns for the unsaved view; saved through the dry run, the
// API's own view answer is the same rows. A board's grouping field and card fields change the same
// way. axe on every page; screenshots at 1280 and 390 px, en and zh.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clicksReachThePage, eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

/** Ids of the preview table's rows, in order. */
const previewIds = (page: Page) => page.getByTestId('view-preview').locator('tr[data-row-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key')!));
const entryIds = (page: Page, list: string) => page.getByTestId(list).locator('[data-testid^="entry-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('entry-'.length)));

describe('studio: view and board designer', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const admin = () => ({ email: fx.server.admin!.email, password: fx.server.admin!.password });

  beforeAll(async () => {
    fx = await startStudioFixture({ sampleData: true });
    browser = await launchBrowser();
    context = await newContext(browser, fx.server.url);
    await signInContext(context, admin());
    page = await context.newPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('designs a new list view — columns with a lookup path reordered by drag and drop, sort, a filter with a variable — previews it live and saves it through the dry run', async () => {
    await page.goto('/admin/views');
    await page.getByRole('link', { name: 'My open requests' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New view' }).click();
    const create = page.getByRole('dialog', { name: 'New view' });
    await create.getByLabel('Name').fill('urgentWork');
    await pickOption(page, 'Entity', 'Service request', 'Service');
    await create.getByRole('button', { name: 'Design it' }).click();
    await page.getByRole('heading', { name: 'List view: urgentWork' }).waitFor();
    // A new view starts with the title and the next fields in form order (admin-defaults.test.ts); these are taken out again.
    await eventually(() => entryIds(page, 'columns')).toEqual(['subject', 'number', 'status', 'account', 'contact']);
    for (const starter of ['Request no.', 'Status', 'Client', 'Contact']) await page.getByRole('button', { name: `Remove ${starter}`, exact: true }).click();
    await eventually(() => entryIds(page, 'columns')).toEqual(['subject']);

    await pickOption(page, 'Add a column', 'Priority', 'Prio');
    await pickOption(page, 'Add a column', 'Client › Name', 'Client › Name');
    await eventually(() => entryIds(page, 'columns')).toEqual(['subject', 'priority', 'account.name']);
    // Drag "Client › Name" to the top with the keyboard (dnd-kit's keyboard sensor: Space, arrows, Space).
    // Dragged by its handle above the first column, with small mouse moves (what dnd-kit's pointer sensor follows).
    const handle = page.getByRole('button', { name: 'Drag Client › Name' });
    const from = (await handle.boundingBox())!;
    const to = (await page.getByTestId('entry-subject').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 3 });
    await page.mouse.move(from.x + from.width / 2, to.y + 4, { steps: 15 });
    await page.mouse.move(from.x + from.width / 2, to.y + 2, { steps: 3 });
    await page.mouse.up();
    await clicksReachThePage(page);
    await eventually(() => entryIds(page, 'columns')).toEqual(['account.name', 'subject', 'priority']);

    await page.getByRole('button', { name: 'Add sort key' }).click();
    await pickOption(page, 'Sort field 1', 'Opened', 'Opened');
    await page.getByRole('radiogroup', { name: 'Direction of sort 1' }).getByText('Descending').click();
    await page.getByText('-openedAt', { exact: true }).waitFor();

    const filter = page.getByTestId('condition-view-filter');
    await filter.getByRole('button', { name: 'Add condition' }).click();
    await pickOption(page, 'Field of condition 1', 'Priority', 'Prio');
    await pickOption(page, 'Operator of condition 1', 'equals');
    await pickOption(page, 'Value of condition 1', 'High');
    await filter.getByRole('button', { name: 'Add condition' }).click();
    await pickOption(page, 'Field of condition 2', 'Opened', 'Opened');
    await pickOption(page, 'Operator of condition 2', 'is at least');
    await filter.getByLabel('Value of condition 2').fill('$today - 1 year');
    await page.keyboard.press('Escape');
    await filter.getByText('{"priority":"high","openedAt":{"$gte":"$today - 1 year"}}').waitFor();

    // The preview is the server's answer for the unsaved view.
    const expected = await fx.server.post('/api/meta/preview/view', {
      view: { kind: 'view', name: 'urgentWork', entity: 'serviceCase', type: 'list', label: { en: 'urgentWork' }, columns: { 'account.name': { order: 10 }, subject: { order: 20 }, priority: { order: 30 } }, sort: '-openedAt', filter: { priority: 'high', openedAt: { $gte: '$today - 1 year' } } },
    });
    expect(expected.body.valid, JSON.stringify(expected.body)).toBe(true);
    expect(expected.body.items.length).toBeGreaterThan(0);
    await eventually(() => previewIds(page)).toEqual(expected.body.items.map((r: { id: string }) => r.id));
    const firstClient = String(expected.body.items[0]['account.name']);
    await page.getByTestId('view-preview').getByRole('cell', { name: firstClient }).first().waitFor();
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-view', 'en');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/views/urgentWork')).status).toBe(200);
    const saved = (await fx.server.get('/api/meta/views/urgentWork')).body;
    expect(Object.entries(saved.columns).sort(([, a], [, b]) => (a as { order: number }).order - (b as { order: number }).order).map(([p]) => p)).toEqual(['account.name', 'subject', 'priority']);
    expect(saved.sort).toBe('-openedAt');
    expect(saved.filter).toEqual({ priority: 'high', openedAt: { $gte: '$today - 1 year' } });
    // The API's own view answer is what the preview showed.
    const listed = await fx.server.get('/api/data/serviceCase?view=urgentWork&limit=10');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual(expected.body.items.map((r: { id: string }) => r.id));
    expect(listed.body.items.every((r: { priority: string }) => r.priority === 'high')).toBe(true);
    await page.waitForURL('**/admin/views/urgentWork');
  });

  it('changes a board\'s grouping field and card fields; the preview groups the rows the server returns; saved, the API has them', async () => {
    await page.goto('/admin/views/caseBoard');
    await page.getByRole('heading', { name: 'Board: Service desk' }).waitFor();
    await pickOption(page, 'Columns of the board (grouping field)', 'Priority');
    await page.getByRole('button', { name: 'Remove SLA level' }).click();
    await pickOption(page, 'Add a card field', 'Channel', 'Chan');
    await eventually(() => entryIds(page, 'card-fields')).toEqual(['account.name', 'priority', 'resolutionDueAt', 'channel']);
    const board = page.getByTestId('view-preview').getByRole('list', { name: 'Board preview' });
    await board.getByRole('listitem', { name: 'High' }).waitFor();
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-board', 'en');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/views/caseBoard')).body.kanban.groupBy).toBe('priority');
    expect((await fx.server.get('/api/meta/views/caseBoard')).body.kanban.cardFields).toEqual(['account.name', 'priority', 'resolutionDueAt', 'channel']);
    // Each card of the preview's "High" column is a high-priority record the view returns.
    const listed = (await fx.server.get('/api/data/serviceCase?view=caseBoard&limit=10')).body.items as { id: string; priority: string }[];
    const high = listed.filter((r) => r.priority === 'high').length;
    await eventually(() => board.getByRole('listitem', { name: 'High' }).locator('.ant-card').count()).toBe(high);
  });

  for (const [language, width] of [['en', 390], ['zh', 1280], ['zh', 390]] as const) {
    it(`the view designer in ${language} at ${width} px: axe-clean, screenshots`, async () => {
      const ctx = await newContext(browser, fx.server.url, { language, width });
      await signInContext(ctx, admin());
      const p = await ctx.newPage();
      await p.goto('/admin/views/urgentWork');
      // A row of the preview: a table row on a desktop, a card on a phone (ResponsiveTable).
      await p.getByTestId('view-preview').locator('[data-row-key]').first().waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'designer-view', language);
      await p.goto('/admin/views/caseBoard');
      await p.getByTestId('view-preview').getByRole('listitem').first().waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'designer-board', language);
      await ctx.close();
    });
  }
});
