// Acceptance 6 and the rest of the daily workspace: an approval requested by a field engineer (a
// quote above 3,000 CNY) reaches the service manager's notifications and inbox, and is approved
// there with a comment; global search (Ctrl/⌘-K) finds a record by its title; a dashboard renders
// its widgets from /api/dashboards with charts. Screenshots of the inbox and the dashboard (en, zh)
// and of every main page at 390 px; axe on each.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage, tableRows } from '../support/browser.ts';
import { setUserLanguage, signInContext, startStudioFixture, type StudioFixture, closeBrowserSuite } from '../support/studio-fixture.ts';
import { localDateTime } from '../support/local-time.ts';
import type { TestUser } from '../support/test-server.ts';

// A chart's SVG texts, left to right (then top to bottom): axis labels, slice labels, the legend.
const chartTexts = (page: Page, widget: string) =>
  page.locator(`section[data-widget="${widget}"] svg text`).evaluateAll((els) =>
    els.map((e) => ({ text: e.textContent ?? '', box: e.getBoundingClientRect() })).sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y).map((e) => e.text));
const numeric = (text: string) => /^-?[\d,.]+$/.test(text);

const dashboard = {
  kind: 'dashboard',
  name: 'deskOverview',
  title: { en: 'Service desk overview', zh: '服务台概览' },
  widgets: {
    requests: { type: 'metric', title: { en: 'Requests', zh: '请求数' }, entity: 'serviceCase', layout: { x: 0, y: 0, w: 3, h: 2 }, measure: { op: 'count' } },
    highShare: { type: 'metric', title: { en: 'High priority share', zh: '高优先级占比' }, entity: 'serviceCase', layout: { x: 3, y: 0, w: 3, h: 2 }, measure: { op: 'count' }, ratio: { filter: { priority: 'high' } } },
    byPriority: { type: 'bar', title: { en: 'By priority', zh: '按优先级' }, entity: 'serviceCase', layout: { x: 0, y: 2, w: 6, h: 5 }, groupBy: 'priority', measure: { op: 'count' } },
    byChannel: { type: 'pie', donut: true, title: { en: 'By channel', zh: '按渠道' }, entity: 'serviceCase', layout: { x: 6, y: 0, w: 6, h: 7 }, groupBy: 'channel', measure: { op: 'count' } },
    pipeline: { type: 'funnel', title: { en: 'Where requests are', zh: '请求所处阶段' }, entity: 'serviceCase', workflow: 'caseHandling', layout: { x: 0, y: 7, w: 6, h: 5 } },
    latest: { type: 'table', title: { en: 'Latest requests', zh: '最新请求' }, entity: 'serviceCase', columns: ['subject', 'account', 'priority', 'status'], sort: '-createdAt', limit: 5, layout: { x: 6, y: 7, w: 6, h: 5 } },
    byClient: { type: 'bar', title: { en: 'By client', zh: '按客户' }, entity: 'serviceCase', layout: { x: 0, y: 12, w: 6, h: 4 }, groupBy: 'account', measure: { op: 'count' } },
  },
};

describe('studio: approvals inbox, notifications, search, dashboard', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let engineer: TestUser;
  let manager: TestUser;
  let repairId = '';
  const contexts: BrowserContext[] = [];
  const pageAs = async (user: TestUser, options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => {
    const context = await newContext(browser, fx.server.url, options);
    contexts.push(context);
    await signInContext(context, user);
    return context.newPage();
  };

  beforeAll(async () => {
    fx = await startStudioFixture({ modules: ['clients', 'serviceDesk', 'fieldService'] });
    engineer = await fx.server.createUser({ name: 'Eli Engineer', roles: ['fieldEngineer', 'fieldEngineerFieldService'], teams: ['desk'] });
    manager = await fx.server.createUser({ name: 'Max Manager', roles: ['serviceManager', 'serviceManagerServiceDesk', 'serviceManagerFieldService'], teams: ['desk'] });
    const channels = ['phone', 'email', 'wechat', 'phone', 'chat', 'phone'];
    const priorities = ['high', 'normal', 'low', 'high', 'urgent', 'normal'];
    let caseId = '';
    for (let i = 0; i < channels.length; i++) {
      const res = await fx.agent.client.post('/api/data/serviceCase', { subject: `Compressor noise ${i + 1}`, account: fx.account.id, channel: channels[i], category: 'malfunction', priority: priorities[i] });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      caseId ||= res.body.id;
    }
    const repair = await fx.server.post('/api/data/repairOrder', { serviceCase: caseId, account: fx.account.id, assetModel: 'KFR-72LW', serialNo: 'SN-7788', faultDescription: 'Compressor seized', intake: 'dropOff', receivedOn: '2026-03-01', underWarranty: false, diagnosis: 'Compressor replacement', quoteAmount: 5200 });
    if (repair.status !== 201) throw new Error(JSON.stringify(repair.body));
    repairId = repair.body.id;
    const diagnosing = await fx.server.post(`/api/data/repairOrder/${repairId}/transitions/startDiagnosis`, {});
    if (diagnosing.status !== 200) throw new Error(JSON.stringify(diagnosing.body));
    // A rollup over a currency field, on the client card: the sum of its repair quotes.
    const account = (await fx.server.get('/api/meta/entities/account')).body;
    account.fields.quotedTotal = { type: 'rollup', label: { en: 'Quoted repairs', zh: '维修报价合计' }, from: 'repairOrder', via: 'account', op: 'sum', field: 'quoteAmount' };
    const accountForm = (await fx.server.get('/api/meta/forms/accountMain')).body;
    accountForm.sections.profile.fields.quotedTotal = { order: 95, readOnly: true };
    const applied = await fx.server.post('/api/meta/apply', [dashboard, account, accountForm]);
    if (applied.status !== 200) throw new Error(JSON.stringify(applied.body));
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [fx?.server] }));

  it('an approval requested by the engineer is approved by the manager in the inbox; the notification appears and is marked read', async () => {
    const requester = await pageAs(engineer);
    await requester.goto(`/e/repairOrder/${repairId}`);
    await requester.getByRole('button', { name: 'Quote to the client' }).click();
    await requester.getByText('Approval requested').first().waitFor();
    await requester.getByText('Waiting for approval').waitFor();
    // The notice to the deciders is a job: run what is due, as production's timer would.
    expect((await fx.server.post('/api/scheduler/tick', {})).status).toBe(200);

    const page = await pageAs(manager);
    // The browser's clock three minutes after the notice (the server's clock is a manual one): the
    // bell and the inbox say how recent things are, with the date and time as the title.
    const noticeAt = ((await manager.client.get('/api/notifications')).body.items as { subject: string; at: string }[]).find((n) => n.subject.startsWith('Approval needed'))!.at;
    const now = Date.parse(noticeAt) + 3 * 60_000;
    await page.clock.setFixedTime(now);
    await page.goto('/');
    const bell = page.getByTestId('notification-bell');
    await eventually(() => bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await bell.click();
    const notice = page.getByTestId('notifications').locator('[data-unread="true"]');
    await notice.filter({ hasText: 'Approval needed' }).waitFor();
    const noticeTime = notice.filter({ hasText: 'Approval needed' }).locator('time');
    expect(await noticeTime.textContent()).toBe('3 minutes ago');
    expect(await noticeTime.getAttribute('title')).toBe(await localDateTime(page, noticeAt, 'en'));
    await page.keyboard.press('Escape');

    await eventually(() => page.getByTestId('inbox-link').getAttribute('aria-label')).toBe('Approvals waiting for you: 1');
    await page.getByTestId('inbox-link').click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    const item = page.locator('[data-approval]');
    await item.getByText('Quote to the client → Waiting for the client').waitFor();
    await item.getByRole('link', { name: /^RO-|\d/ }).first().waitFor();
    const requestedAt = ((await manager.client.get('/api/approvals')).body.items as { requestedAt: string }[])[0]!.requestedAt;
    const minutes = Math.trunc((now - Date.parse(requestedAt)) / 60_000);
    expect(minutes).toBeGreaterThan(1);
    const requested = item.locator('time');
    expect(await requested.textContent()).toBe(`Requested ${minutes} minutes ago`);
    expect(await requested.getAttribute('title')).toBe(await localDateTime(page, requestedAt, 'en'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'inbox', 'en');
    await switchLanguage(page, 'zh');
    await page.getByText('向客户报价 → 待客户确认').waitFor();
    await eventually(() => requested.textContent()).toBe(`${minutes}分钟前申请`);
    expect(await requested.getAttribute('title')).toBe(await localDateTime(page, requestedAt, 'zh'));
    expect(await page.locator('time').filter({ hasText: /^3分钟前$/ }).first().getAttribute('title')).toBe(await localDateTime(page, noticeAt, 'zh'));
    await screenshot(page, 'inbox', 'zh');
    await switchLanguage(page, 'en');

    await item.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByLabel('Comment').fill('Fine: the compressor is worth replacing');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing waits for your decision').waitFor();
    const stored = await fx.server.get(`/api/data/repairOrder/${repairId}`);
    expect(stored.body.status).toBe('awaitingApproval');
    const approvals = await manager.client.get('/api/approvals?requested=0');
    expect(approvals.body.items).toEqual([]);
    const history = await fx.server.get(`/api/data/repairOrder/${repairId}/history`);
    expect(JSON.stringify(history.body.items)).toContain('Fine: the compressor is worth replacing');

    await page.getByRole('button', { name: /^Mark read: Approval needed/ }).click();
    await eventually(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    const unread = await manager.client.get('/api/notifications?unread=1');
    expect(unread.body.items).toEqual([]);
  });

  it('Ctrl-K searches every readable entity by title; Enter opens the hit', async () => {
    const page = await pageAs(fx.agent);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    // Dismissed with Escape, the dialog gives the focus back to where it was: the search button
    // that opened it, or the page's element Ctrl-K was pressed in.
    const searchButton = page.getByRole('button', { name: 'Search (Ctrl+K)' });
    await searchButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('combobox', { name: 'Search records' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Search records' }).waitFor({ state: 'detached' });
    await eventually(() => searchButton.evaluate((el) => el === document.activeElement)).toBe(true);
    const bell = page.getByTestId('notification-bell');
    await bell.focus();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search records' }).waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => bell.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox', { name: 'Search records' });
    await box.fill('compressor noise 4');
    await page.getByRole('option', { name: /Compressor noise 4/ }).waitFor();
    await box.fill('acme');
    await page.getByRole('option', { name: /Acme Test Client/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await box.press('Enter');
    await page.waitForURL(new RegExp(`/e/account/${fx.account.id}$`));
    await page.getByRole('heading', { name: 'Acme Test Client' }).waitFor();
  });

  it('a dashboard renders its widgets from /api/dashboards: figures, charts and a table', async () => {
    const page = await pageAs(fx.agent);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Service desk overview' }).click();
    await page.getByRole('heading', { name: 'Service desk overview' }).waitFor();
    const widget = (name: string) => page.locator(`section[data-widget="${name}"]`);
    await eventually(() => widget('requests').locator('.ant-statistic-content').textContent()).toBe('6');
    await eventually(() => widget('highShare').locator('.ant-statistic-content').textContent()).toBe('33.3%');
    // Charts: drawn by ECharts as SVG, labelled for screen readers with their figures.
    await widget('byPriority').locator('svg').first().waitFor();
    expect(await widget('byPriority').getByTestId('chart').getAttribute('aria-label')).toContain('High: 2');
    // A count's axis has whole-number ticks (not 0, 0.5, 1, 1.5, 2); the bars follow the priority
    // picklist's options as the entity declares them (not the alphabet), and so does the summary.
    const serviceCase = (await fx.server.get('/api/meta/entities/serviceCase')).body;
    const priorityLabels = (language: 'en' | 'zh') => Object.values(serviceCase.fields.priority.options as Record<string, { label: Record<string, string> }>).map((o) => o.label[language]);
    expect(priorityLabels('en')).toEqual(['Low', 'Normal', 'High', 'Urgent']);
    const ticks = (await chartTexts(page, 'byPriority')).filter(numeric);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.filter((tick) => !Number.isInteger(Number(tick.replace(/,/g, ''))))).toEqual([]);
    expect((await chartTexts(page, 'byPriority')).filter((text) => !numeric(text))).toEqual(priorityLabels('en'));
    expect(await widget('byPriority').getByTestId('chart').getAttribute('aria-label')).toBe('By priority — Low: 1, Normal: 2, High: 2, Urgent: 1');
    await widget('byChannel').locator('svg').first().waitFor();
    expect(await widget('byChannel').getByTestId('chart').getAttribute('aria-label')).toContain('Phone: 3');
    // Beside the donut there is room for every slice's label (each name twice: the label and the legend), none cut short.
    const cut = (texts: string[]) => texts.filter((text) => text.includes('…') || text.includes('...'));
    const twice = (texts: string[], names: string[]) => names.filter((name) => texts.filter((text) => text === name).length !== 2);
    expect(twice(await chartTexts(page, 'byChannel'), ['Phone', 'E-mail', 'Chat', 'WeChat'])).toEqual([]);
    expect(cut(await chartTexts(page, 'byChannel'))).toEqual([]);
    await widget('pipeline').locator('svg').first().waitFor();
    // Five of the six (created at the same moment of the test clock, so any five).
    await eventually(() => widget('latest').locator('tbody tr.ant-table-row').count()).toBe(5);
    expect(await widget('latest').locator('tbody').textContent()).toContain('Compressor noise');
    // Groups and cells of a lookup field name the records by their titles, not their ids.
    await eventually(() => widget('latest').locator('tbody').textContent()).toContain(fx.account.name);
    expect(await widget('latest').locator('tbody').textContent()).not.toContain(fx.account.id);
    await eventually(() => widget('byClient').getByTestId('chart').getAttribute('aria-label')).toBe(`By client — ${fx.account.name}: 6`);
    // On the axis the name may be cut short (a long name is), never an id.
    expect((await chartTexts(page, 'byClient')).some((text) => text.startsWith('Acme Test'))).toBe(true);
    expect((await chartTexts(page, 'byClient')).filter((text) => text.includes(fx.account.id))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard', 'en');
    await switchLanguage(page, 'zh');
    await page.getByRole('heading', { name: '服务台概览' }).waitFor();
    await eventually(async () => (await widget('byChannel').getByTestId('chart').getAttribute('aria-label')) ?? '').toContain('电话: 3');
    await eventually(async () => (await chartTexts(page, 'byPriority')).filter((text) => !numeric(text))).toEqual(priorityLabels('zh'));
    expect(twice(await chartTexts(page, 'byChannel'), ['电话', '邮件', '在线客服', '微信'])).toEqual([]);
    expect(cut(await chartTexts(page, 'byChannel'))).toEqual([]);
    await screenshot(page, 'dashboard', 'zh');
  });

  // One test per language: each visits five pages with axe and a screenshot, within its own timeout.
  it.each(['en', 'zh'] as const)('every main page works at 390 px (%s)', async (language) => {
    // The agent and the manager switched languages above: their saved language, not the browser's, is the studio's.
    await setUserLanguage(fx.agent, language);
    await setUserLanguage(manager, language);
    const page = await pageAs(fx.agent, { width: 390, language });
    const caseId = (await fx.agent.client.get('/api/data/serviceCase?limit=1&sort=createdAt')).body.items[0].id;
    const visits: [string, string, () => Promise<unknown>][] = [
      // On a phone a list is a card per record (the table cut off every column past the second).
      ['list', '/v/caseQueue', () => page.locator('li[data-record-id]').first().waitFor()],
      ['record', `/e/serviceCase/${caseId}`, () => page.locator('[data-testid="timeline-entry"]').first().waitFor()],
      ['kanban', '/v/caseBoard', () => page.locator('[data-card]').first().waitFor()],
      ['dashboard', '/d/deskOverview', () => page.locator('section[data-widget="byPriority"] svg').first().waitFor()],
    ];
    for (const [name, url, ready] of visits) {
      await page.goto(url);
      await ready();
      if (name === 'dashboard') {
        // No room beside a phone's donut: no slice labels cut to a letter ("E…", "邮..."), each
        // channel named once, by the legend.
        await page.locator('section[data-widget="byChannel"] svg').first().waitFor();
        const texts = await chartTexts(page, 'byChannel');
        expect(texts.length).toBeGreaterThan(0);
        expect(texts.filter((text) => text.includes('…') || text.includes('...'))).toEqual([]);
        expect(texts.length).toBe(new Set(texts).size);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} ${language} scrolls sideways`).toBeLessThanOrEqual(0);
      // The list's record cards, each whole (nothing cut, no control past its card).
      if (name === 'list') await expectTablesFit(page);
      // A board's columns are wide enough on a phone for a card's lines not to break every word or two.
      if (name === 'kanban') expect(await page.locator('section[data-column]').first().evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(200);
      // A dashboard's table widget is a card per row here, every cell in sight.
      if (name === 'dashboard') {
        await tableRows(page.locator('section[data-widget="latest"]')).first().waitFor();
        expect(await page.locator('section[data-widget="latest"] table').count()).toBe(0);
        await expectTablesFit(page);
      }
      expect(await seriousViolations(page), `${name} ${language}`).toEqual([]);
      await screenshot(page, name, language);
    }
    // A client's record page holds related lists of five columns: on a phone a card per record,
    // every column in sight (they used to push the page 40-90 px sideways, then scroll in their card).
    const contact = await fx.server.post('/api/data/contact', { name: `Cathy Procurement ${language}`, account: fx.account.id, jobTitle: 'Head of procurement', mobile: '+86 138 0000 1234', email: `cathy.procurement.${language}@example.com` });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const occurredAt = '2026-02-27T07:54:00.000Z';
    const interaction = await fx.server.post('/api/data/interaction', { account: fx.account.id, channel: 'phone', direction: 'inbound', occurredAt, subject: `Price question ${language}` });
    expect(interaction.status, JSON.stringify(interaction.body)).toBe(201);
    await page.goto(`/e/account/${fx.account.id}`);
    const related = tableRows(page.locator('.ant-card [role="region"]'));
    await related.filter({ hasText: `Cathy Procurement ${language}` }).first().waitFor();
    expect(await page.locator('.ant-card [role="region"] table').count()).toBe(0);
    await expectTablesFit(page);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `client record ${language} scrolls sideways`).toBeLessThanOrEqual(0);
    // "Last contact" (a rollup: the max of the interactions' date-times) reads as a date-time in the
    // browser's zone, not as the ISO string the API sends.
    const local = await localDateTime(page, occurredAt, language);
    await page.getByText(local, { exact: true }).first().waitFor();
    expect(await page.getByText(occurredAt, { exact: true }).count()).toBe(0);
    // "Quoted repairs" (a rollup: the sum of the repair quotes, a currency, over a thousand) reads as
    // the quotes do: digits grouped in the UI language, cents and the currency's sign — not as the bare number.
    // The administrator's card (the agent neither sees the field nor reads repair orders).
    const quoted = (await fx.server.get(`/api/data/account/${fx.account.id}`)).body.quotedTotal as number;
    expect(quoted).toBeGreaterThan(1000);
    const formatted = `${language === 'zh' ? '¥' : 'CN¥'}${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(quoted)}`;
    const adminContext = await newContext(browser, fx.server.url, { width: 390, language });
    contexts.push(adminContext);
    await signInContext(adminContext, fx.server.admin!);
    const admin = await adminContext.newPage();
    await admin.goto(`/e/account/${fx.account.id}`);
    await admin.getByText(formatted, { exact: true }).first().waitFor();
    expect(await admin.getByText(String(quoted), { exact: true }).count()).toBe(0);
    expect(await seriousViolations(page), `client record ${language}`).toEqual([]);
    const inbox = await pageAs(manager, { width: 390, language });
    await inbox.goto('/inbox');
    await inbox.locator('.ant-list').first().waitFor();
    expect(await seriousViolations(inbox)).toEqual([]);
    await screenshot(inbox, 'inbox', language);
  });
});
