// Issue 12, the dashboard designer, in a real browser against a real server with the services
// template and its sample data: a new dashboard gets a figure (count of high-priority requests, its
// filter built with the condition editor) and a bar chart, the chart resized and dragged before the
// figure; the live preview draws what the server computes for the unsaved dashboard (the dashboard
// page's own grid and ECharts); saved through the dry run, GET /api/dashboards answers the same
// figures and the layout is the one designed. axe on every page; screenshots at 1280 and 390, en and zh.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clicksReachThePage, eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const entryIds = (page: Page) => page.getByTestId('widgets').locator('[data-testid^="entry-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('entry-'.length)));
const metricText = (page: Page, widget: string) => page.getByTestId('dashboard-preview').locator(`section[data-widget="${widget}"] .ant-statistic-content-value`).textContent();

describe('studio: dashboard designer', { timeout: 300_000 }, () => {
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

  it('designs a new dashboard — a filtered figure and a bar chart, resized and reordered — previews it live and saves it through the dry run', async () => {
    await page.goto('/admin/dashboards');
    await page.getByRole('link', { name: 'Service desk' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New dashboard' }).click();
    await page.getByRole('dialog', { name: 'New dashboard' }).getByLabel('Name').fill('deskPulse');
    // A title in English only: Chinese falls back to it, not to the code name.
    await page.getByRole('dialog', { name: 'New dashboard' }).getByLabel('Title (English)').fill('Desk pulse');
    await page.getByRole('button', { name: 'Design it' }).click();
    await page.getByRole('heading', { name: 'Dashboard: Desk pulse' }).waitFor();

    // The figure: high-priority requests.
    await page.getByRole('button', { name: 'Settings of Widget 1' }).click();
    let drawer = page.getByRole('dialog', { name: 'Widget: Widget 1' });
    await drawer.getByLabel('Title (English)').fill('Urgent work');
    // The drawer is named after the widget's title.
    drawer = page.getByRole('dialog', { name: 'Widget: Urgent work' });
    await pickOption(page, 'Records of', 'Service request', 'Service');
    const filter = drawer.getByTestId('condition-widget-filter');
    await filter.getByRole('button', { name: 'Add condition' }).click();
    await pickOption(page, 'Field of condition 1', 'Priority', 'Prio');
    await pickOption(page, 'Operator of condition 1', 'equals');
    await pickOption(page, 'Value of condition 1', 'High');
    await filter.getByText('{"priority":"high"}').waitFor();
    await drawer.getByRole('button', { name: 'Close' }).click();

    // The chart: requests by channel, 8 columns wide, moved before the figure.
    await page.getByRole('button', { name: 'Add widget' }).click();
    drawer = page.getByRole('dialog', { name: 'Widget: Widget 2' });
    await drawer.getByLabel('Title (English)').fill('By channel');
    drawer = page.getByRole('dialog', { name: 'Widget: By channel' });
    await pickOption(page, 'Records of', 'Service request', 'Service');
    await pickOption(page, 'Kind', 'Bar chart');
    await pickOption(page, 'Group by', 'Channel', 'Chan');
    await drawer.getByRole('button', { name: 'Close' }).click();
    // Until its closing animation ends the drawer's mask still takes the mouse (a drag would select text).
    await drawer.waitFor({ state: 'hidden' });
    await page.locator('.ant-drawer-mask').first().waitFor({ state: 'hidden' });
    await page.getByLabel('Width of By channel (columns)').fill('8');
    await page.getByLabel('Width of By channel (columns)').press('Tab');
    const handle = page.getByRole('button', { name: 'Drag By channel' });
    // The preview redraws after the resize and moves the list: measure once it has settled, with
    // both entries mid-screen (the mouse only reaches what is on screen, below the sticky header).
    await page.getByTestId('dashboard-preview').locator('section[data-widget="widget2"]').getByTestId('chart').waitFor();
    await page.getByTestId('entry-widget2').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const from = (await handle.boundingBox())!;
    const to = (await page.getByTestId('entry-widget1').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 3 });
    await page.mouse.move(from.x + from.width / 2, to.y + to.height / 4, { steps: 15 });
    await page.mouse.move(from.x + from.width / 2, to.y + to.height / 4 - 2, { steps: 3 });
    await page.mouse.up();
    await clicksReachThePage(page);
    await eventually(() => entryIds(page)).toEqual(['widget2', 'widget1']);

    // The preview is what the server computes for the unsaved dashboard.
    const high = (await fx.server.get(`/api/data/serviceCase?filter=${encodeURIComponent('{"priority":"high"}')}&limit=1&total=true`)).body.total as number;
    expect(high).toBeGreaterThan(0);
    await eventually(() => metricText(page, 'widget1')).toBe(high.toLocaleString('en-US'));
    await page.getByTestId('dashboard-preview').locator('section[data-widget="widget2"]').getByTestId('chart').waitFor();
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'designer-dashboard', 'en');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/dashboards/deskPulse')).status).toBe(200);
    const saved = (await fx.server.get('/api/meta/dashboards/deskPulse')).body;
    expect(saved.widgets.widget2).toMatchObject({ type: 'bar', entity: 'serviceCase', groupBy: 'channel', measure: { op: 'count' }, layout: { x: 0, y: 0, w: 8, h: 3 } });
    expect(saved.widgets.widget1).toMatchObject({ type: 'metric', entity: 'serviceCase', filter: { priority: 'high' }, layout: { x: 8, y: 0, w: 4, h: 2 } });
    // Titles written in English only keep no Chinese placeholder ("组件 1") from when the widget was new.
    expect(saved.title).toEqual({ en: 'Desk pulse' });
    expect(saved.widgets.widget1.title).toEqual({ en: 'Urgent work' });
    expect(saved.widgets.widget2.title).toEqual({ en: 'By channel' });
    const run = (await fx.server.get('/api/dashboards/deskPulse')).body;
    expect(run.widgets.widget1.value).toBe(high);
    expect(run.widgets.widget2.groups.length).toBeGreaterThan(1);
    await page.waitForURL('**/admin/dashboards/deskPulse');
    // Saved: nothing is left unsaved (no dot, nothing to review, nothing to discard).
    await eventually(() => page.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Discard changes' }).count()).toBe(0);
  });

  it("the template's dashboard: a bar grouped by a lookup (satisfaction by contract) names the contracts by their titles, its axis not left bare", async () => {
    await page.goto('/d/serviceDeskOverview');
    const chart = page.locator('section[data-widget="satisfaction"]');
    await chart.locator('svg').first().waitFor();
    const ulid = /\b[0-9A-HJKMNP-TV-Z]{26}\b/;
    await eventually(async () => (await chart.getByTestId('chart').getAttribute('aria-label')) ?? '').not.toMatch(ulid);
    // The axis names the bars it has room for (cut short), none by an id.
    const axis = () => chart.locator('svg text').evaluateAll((els) => els.map((e) => e.textContent ?? '').filter((t) => !/^-?[\d,.]+$/.test(t) && t.trim() !== ''));
    await eventually(async () => (await axis()).length).toBeGreaterThan(1);
    expect((await axis()).filter((t) => ulid.test(t))).toEqual([]);
  });

  it('a data quality widget: added in the designer, the dashboard shows the score and the least complete fields the server computes', async () => {
    await page.goto('/admin/dashboards/deskPulse');
    await page.getByTestId('dashboard-preview').getByTestId('chart').waitFor();
    await page.getByRole('button', { name: 'Add widget' }).click();
    let drawer = page.getByRole('dialog', { name: 'Widget: Widget 3' });
    await drawer.getByLabel('Title (English)').fill('Request data');
    drawer = page.getByRole('dialog', { name: 'Widget: Request data' });
    await pickOption(page, 'Records of', 'Service request', 'Service');
    await pickOption(page, 'Kind', 'Data quality');
    await drawer.getByLabel('Stale after (days)').fill('30');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/dashboards/deskPulse')).body.widgets.widget3?.type).toBe('quality');
    expect((await fx.server.get('/api/meta/dashboards/deskPulse')).body.widgets.widget3).toMatchObject({ entity: 'serviceCase', staleDays: 30 });
    expect((await fx.server.get('/api/meta/dashboards/deskPulse')).body.widgets.widget3.title).toEqual({ en: 'Request data' });

    // The figures: the score is the report's for the same reader; the least complete field is counted from the records here.
    const report = (await fx.server.get('/api/quality/serviceCase/report?staleDays=30')).body;
    const cases = (await fx.server.get('/api/data/serviceCase?limit=1000')).body.items as Record<string, unknown>[];
    expect(report.records).toBe(cases.length);
    await page.goto('/d/deskPulse');
    const widget = page.locator('section[data-widget="widget3"]');
    await widget.getByText('Quality score').waitFor();
    expect(await widget.locator('.ant-statistic').first().textContent()).toBe(`Quality score${report.score}/ 100`);
    const [weakest, share] = Object.entries(report.completeness as Record<string, number>).sort((a, b) => a[1] - b[1])[0]!;
    const filled = cases.filter((c) => c[weakest] !== undefined && c[weakest] !== null && c[weakest] !== '').length;
    expect(share).toBeCloseTo(filled / cases.length, 3);
    const fieldLabel = (await fx.server.get('/api/meta/entities/serviceCase')).body.fields[weakest].label.en as string;
    await widget.getByText(`${fieldLabel}: ${Math.round((filled / cases.length) * 100)}% filled`).waitFor();
    expect(await widget.getByRole('link', { name: 'Open the data quality page' }).getAttribute('href')).toBe('/data-quality/serviceCase');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-quality', 'en');
  });

  for (const [language, width] of [['en', 390], ['zh', 1280], ['zh', 390]] as const) {
    it(`the dashboard designer in ${language} at ${width} px: axe-clean, screenshots`, async () => {
      const ctx = await newContext(browser, fx.server.url, { language, width });
      await signInContext(ctx, admin());
      const p = await ctx.newPage();
      await p.goto('/admin/dashboards/deskPulse');
      await p.getByTestId('dashboard-preview').getByTestId('chart').waitFor();
      // Titles written only in English read in English in Chinese too: the page's, each widget's in
      // the list and the preview (never the placeholder "组件 1" nor the code name "deskPulse").
      await p.getByRole('heading', { level: 1, name: language === 'en' ? 'Dashboard: Desk pulse' : '仪表板：Desk pulse' }).waitFor();
      const preview = p.getByTestId('dashboard-preview');
      expect(await preview.locator('section h2').allTextContents()).toEqual(['By channel', 'Urgent work', 'Request data']);
      expect(await p.getByTestId('widgets').locator('[data-testid^="entry-"]').allTextContents()).toEqual([expect.stringContaining('By channel'), expect.stringContaining('Urgent work'), expect.stringContaining('Request data')]);
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'designer-dashboard', language);
      // The dashboard page itself, likewise.
      await p.goto('/d/deskPulse');
      await p.getByRole('heading', { level: 1, name: 'Desk pulse' }).waitFor();
      expect(await p.locator('section[data-widget] h2').allTextContents()).toEqual(['By channel', 'Urgent work', 'Request data']);
      await ctx.close();
    });
  }
});
