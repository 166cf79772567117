// Acceptance 4: a list page as an agent — filter, sort, page forward and back, inline edit, bulk
// update of 20 records, and an export (CSV, Excel) of the filtered list whose rows equal the API's
// filtered count, with the columns' labels as headers.

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage } from '../support/browser.ts';
import { localDateTime } from '../support/local-time.ts';
import { pickOption, setUserLanguage, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

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
    await filters.getByRole('group', { name: 'Resolve by' }).getByPlaceholder('To').focus();
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
    await filters.getByRole('group', { name: 'Resolve by' }).getByPlaceholder('From').focus();
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('date-range'))).toBe('start');
    await page.keyboard.press('Tab');
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('To');
    await page.keyboard.press('Tab');
    await eventually(() => page.evaluate(() => document.activeElement?.closest('.ant-picker-range') === null && document.activeElement !== document.body)).toBe(true);
  });

  it.each(['en', 'zh'] as const)('a range filter shows its whole name at 390 px (%s): above its inputs, wrapped when long, never cut', async (language) => {
    // Satisfaction surveys: a date range and two number ranges with long names ("Would recommend
    // (0–10)"), which a number input's placeholder cut to "Would r…".
    const phone = await newContext(browser, fx.server.url, { width: 390, language });
    await signInContext(phone, fx.server.admin!);
    const small = await phone.newPage();
    await small.goto('/v/surveys');
    await small.getByTestId('list-total').waitFor();
    const fields = (await fx.server.get('/api/meta/entities/satisfactionSurvey')).body.fields as Record<string, { label: Record<string, string> }>;
    const filters = small.getByRole('search');
    for (const field of ['sentAt', 'score', 'recommendScore']) {
      const name = fields[field]!.label[language]!;
      const label = filters.getByRole('group', { name, exact: true }).locator('[data-range-label]');
      expect(await label.textContent()).toBe(name);
      const box = await label.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right, clipped: el.closest('.ant-space-item')!.scrollWidth > el.closest('.ant-space-item')!.clientWidth }));
      expect(box.scroll, `${field} ${language}`).toBeLessThanOrEqual(box.client);
      expect(box.right, `${field} ${language}`).toBeLessThanOrEqual(390);
      expect(box.clipped, `${field} ${language}`).toBe(false);
    }
    const sideways = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    expect(await seriousViolations(small)).toEqual([]);
    await screenshot(small, 'list-range-filters', language);
    await phone.close();
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

  it('exports the filtered list from the server: every matching row (not only the page), labels as headers, in CSV and Excel, in the UI language', async () => {
    await page.goto('/v/caseQueue');
    await eventually(total).toMatch(/^60 records · page 1/);
    // Every priority but the one a case was edited to above: more rows than a page holds.
    for (const option of ['Low', 'Normal', 'High']) await pickOption(page, 'Priority', option);
    await page.keyboard.press('Escape');
    const filter = { $and: [{ status: { $nin: ['resolved', 'closed', 'cancelled'] } }, { priority: { $in: ['low', 'normal', 'high'] } }] };
    const api = await fx.agent.client.get(`/api/data/serviceCase?total=1&limit=1&filter=${encodeURIComponent(JSON.stringify(filter))}`);
    // More than the page holds: the file is the whole answer, not the rows on screen.
    expect(api.body.total).toBeGreaterThan(50);
    await eventually(total).toMatch(new RegExp(`^${api.body.total} records`));
    const entity = await fx.agent.client.get('/api/meta/entities/serviceCase');
    const today = fx.server.clock.now().toISOString().slice(0, 10);

    await page.getByTestId('list-export').click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Excel (.xlsx)' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'list-export', 'en');
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe(`${entity.body.pluralLabel.en} ${today}.csv`);
    const rows = parse(await readFile((await csv.path())!, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(api.body.total);
    expect(Object.keys(rows[0]!)).toEqual(['ID', 'Request no.', 'Subject', 'Client', 'Priority', 'SLA level', 'Status', 'Resolve by']);
    expect(new Set(rows.map((r) => r['Priority']))).toEqual(new Set(['Low', 'Normal', 'High']));
    expect(new Set(rows.map((r) => r['Client']))).toEqual(new Set([fx.account.name]));

    // Chosen by keyboard: the menu item follows its link as a click does.
    await switchLanguage(page, 'zh');
    await page.getByTestId('list-export').click();
    await page.getByRole('menuitem', { name: 'Excel（.xlsx）' }).waitFor();
    const xlsxDownload = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Excel（.xlsx）' }).focus();
    await page.keyboard.press('Enter');
    const xlsx = await xlsxDownload;
    expect(xlsx.suggestedFilename()).toBe(`${entity.body.pluralLabel.zh} ${today}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    const sheet = book.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['ID', '工单号', '主题', '客户', '优先级', 'SLA 等级', '状态', '解决截止']);
    expect(sheet.rowCount - 1).toBe(api.body.total);
    await switchLanguage(page, 'en');
  });

  it('a saved view runs on the server (its ownedBy applies); the export menu at phone width', async () => {
    const phone = await newContext(browser, fx.server.url, { width: 390, language: 'zh' });
    await signInContext(phone, fx.manager);
    const small = await phone.newPage();
    const smallTotal = () => small.getByTestId('list-total').textContent();
    // "My open requests" (ownedBy: me): the manager owns none of the agent's cases, though they may read them.
    const mine = await fx.manager.client.get('/api/data/serviceCase?view=myOpenCases&total=1&limit=1');
    const open = await fx.manager.client.get(`/api/data/serviceCase?total=1&limit=1&filter=${encodeURIComponent(JSON.stringify({ status: { $in: ['new', 'inProgress', 'waitingCustomer', 'escalated'] } }))}`);
    expect(open.body.total).toBeGreaterThan(mine.body.total);
    await small.goto('/v/myOpenCases');
    await eventually(smallTotal).toMatch(new RegExp(`共 ${mine.body.total} 条`));
    // A board of the same kind: each column counts only the caller's records.
    const board = await fx.server.put('/api/meta/views/myCaseBoard', { kind: 'view', name: 'myCaseBoard', entity: 'serviceCase', label: 'My board', type: 'kanban', kanban: { groupBy: 'priority' }, ownedBy: 'me' });
    expect(board.status, JSON.stringify(board.body)).toBe(201);
    const counted = await fx.manager.client.get('/api/data/serviceCase?view=myCaseBoard&total=1&limit=1');
    await small.goto('/v/myCaseBoard');
    const priorities = Object.keys((await fx.manager.client.get('/api/meta/entities/serviceCase')).body.fields.priority.options).length;
    const counts = () => small.locator('[data-column] .ant-badge-count').evaluateAll((badges) => badges.map((b) => parseInt(b.getAttribute('title') ?? '', 10)));
    await eventually(async () => { const shown = await counts(); return [shown.length, shown.reduce((a, b) => a + b, 0)]; }).toEqual([priorities, counted.body.total]);
    await small.goto('/v/caseQueue');
    await eventually(smallTotal).toMatch(/共 60 条/);
    await small.getByTestId('list-export').click();
    await small.getByRole('menuitem', { name: 'JSON Lines（.jsonl）' }).waitFor();
    expect(await seriousViolations(small)).toEqual([]);
    await screenshot(small, 'list-export', 'zh');
    await phone.close();
  });

  it('a number reads with its digits grouped and a date-time as the UI language writes it', async () => {
    // An escalated case whose escalation count runs to seven digits (set by an administrator; the agent only reads it).
    const created = await fx.server.post('/api/data/serviceCase', { subject: 'Grouped digits', account: fx.account.id, channel: 'phone', category: 'maintenance', priority: 'normal', escalationCount: 1234566 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const escalated = await fx.server.post(`/api/data/serviceCase/${created.body.id}/transitions/escalate`, {});
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
    const stored = (await fx.server.get(`/api/data/serviceCase/${created.body.id}`)).body as { escalationCount: number; openedAt: string };
    expect(stored.escalationCount).toBeGreaterThan(999_999);
    const grouped = String(stored.escalationCount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    await page.goto('/v/escalatedCases');
    const row = page.locator('tbody tr.ant-table-row').filter({ hasText: 'Grouped digits' });
    await row.getByText(grouped, { exact: true }).waitFor();
    await row.getByText(await localDateTime(page, stored.openedAt, 'en'), { exact: true }).waitFor();
    expect(await row.getByText(String(stored.escalationCount), { exact: true }).count()).toBe(0);
    await switchLanguage(page, 'zh');
    await row.getByText(await localDateTime(page, stored.openedAt, 'zh'), { exact: true }).waitFor();
    await row.getByText(grouped, { exact: true }).waitFor();
    await screenshot(page, 'list-formats', 'zh');
    await switchLanguage(page, 'en');
  });

  // A phone gets a card per record instead of a table cut after its second column. Last in the file:
  // it changes the SLA level of the cards it selects.
  const phoneWords = {
    en: { heading: 'Open requests by deadline', labels: ['Request no.', 'Subject', 'Client', 'Priority', 'SLA level', 'Status', 'Resolve by'], sortBy: 'Sort by', subjectUp: 'Subject (ascending)', selectAll: 'Select all on this page', select: (n: number) => `Select record ${n}`, selected: '2 selected', update: 'Update selected', field: 'Field', sla: 'SLA level', value: 'New value', apply: 'Apply', done: '2 records changed' },
    zh: { heading: '未结请求（按截止时间）', labels: ['工单号', '主题', '客户', '优先级', 'SLA 等级', '状态', '解决截止'], sortBy: '排序', subjectUp: '主题（升序）', selectAll: '全选本页', select: (n: number) => `选择第 ${n} 条记录`, selected: '已选 2 条', update: '批量修改', field: '字段', sla: 'SLA 等级', value: '新值', apply: '应用', done: '已修改 2 条记录' },
  };
  const slaChoice = { en: { option: 'Priority', stored: 'priority' }, zh: { option: '标准', stored: 'standard' } };
  it.each(['en', 'zh'] as const)('at 390 px (%s) each record is a card: its title links to it, every other column a labelled line read as the table reads it; select, bulk update and sort work', async (language) => {
    const words = phoneWords[language];
    // The agent switched languages above (the last time to English): their saved language, not the browser's, is the studio's.
    await setUserLanguage(fx.agent, language);
    // The table at 1280 px in the same language: what each cell reads, by record.
    const wide = await newContext(browser, fx.server.url, { width: 1280, language });
    await signInContext(wide, fx.agent);
    const desk = await wide.newPage();
    await desk.goto('/v/caseQueue');
    const readTable = () =>
      desk.locator('tbody tr.ant-table-row').evaluateAll((rows) => {
        const heads = [...document.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
        return rows.map((row) => ({ id: row.getAttribute('data-row-key') ?? '', cells: Object.fromEntries([...row.querySelectorAll('td')].map((td, i) => [heads[i], td.textContent ?? ''])) }));
      });
    // Lookups and names arrive after the rows ("…" until then).
    await eventually(async () => { const rows = await readTable(); return rows.length === 50 && !JSON.stringify(rows).includes('…'); }).toBe(true);
    const table = await readTable();
    expect(Object.keys(table[0]!.cells).filter(Boolean)).toEqual(words.labels);
    // The header's select-all box is named in the UI language (antd's own name is English).
    expect(await desk.locator('thead').getByRole('checkbox', { name: words.selectAll, exact: true }).count()).toBe(1);
    await screenshot(desk, 'list-cards', language);
    await wide.close();

    const phone = await newContext(browser, fx.server.url, { width: 390, language });
    await signInContext(phone, fx.agent);
    const small = await phone.newPage();
    await small.goto('/v/caseQueue');
    const cards = small.getByRole('list', { name: words.heading }).getByRole('listitem');
    const readCards = () =>
      cards.evaluateAll((items) =>
        items.map((card) => ({
          id: card.getAttribute('data-record-id') ?? '',
          title: card.querySelector('h2')?.textContent ?? '',
          href: card.querySelector('h2 a')?.getAttribute('href') ?? '',
          lines: [...card.querySelectorAll('dl > div')].map((line) => [line.querySelector('dt')?.textContent ?? '', line.querySelector('dd')?.textContent ?? '']),
        })),
      );
    await eventually(async () => { const shown = await readCards(); return shown.length === 50 && !JSON.stringify(shown).includes('…'); }).toBe(true);
    expect(await small.locator('table').count()).toBe(0);
    const shown = await readCards();
    // The same records in the same order, each card reading as its table row: the subject (the title
    // field) as the heading, a link to the record; every other column as "label  value".
    expect(shown.map((c) => c.id)).toEqual(table.map((r) => r.id));
    for (const [i, card] of shown.entries()) {
      const cells = table[i]!.cells;
      expect(card.title).toBe(cells[words.labels[1]!]);
      expect(card.href).toBe(`/e/serviceCase/${card.id}`);
      expect(card.lines).toEqual(words.labels.filter((_, k) => k !== 1).map((label) => [label, cells[label]]));
    }
    // Not vacuous: the client's name (a lookup's title) and a priority's label are on the first card.
    expect(shown[0]!.lines).toContainEqual([words.labels[2], fx.account.name]);
    expect(shown[0]!.lines.find(([label]) => label === words.labels[3])![1]).toMatch(language === 'en' ? /^(Low|Normal|High|Urgent)$/ : /^(低|普通|高|紧急)$/);
    const sideways = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    // Each card whole: nothing cut or clipped, no control past its card.
    await expectTablesFit(small);
    expect(await seriousViolations(small)).toEqual([]);
    await screenshot(small, 'list-cards', language);

    // Select two cards, the first by keyboard, and update them together.
    const first = small.getByRole('checkbox', { name: words.select(1), exact: true });
    await first.focus();
    await small.keyboard.press('Space');
    await small.getByRole('checkbox', { name: words.select(2), exact: true }).check();
    await small.getByText(words.selected, { exact: true }).waitFor();
    const chosen = [shown[0]!.id, shown[1]!.id];
    await small.getByRole('button', { name: words.update }).click();
    await pickOption(small, words.field, words.sla);
    await pickOption(small, words.value, slaChoice[language].option);
    await small.getByRole('dialog').getByRole('button', { name: words.apply }).click();
    await small.getByText(words.done).waitFor();
    for (const id of chosen) expect((await fx.server.get(`/api/data/serviceCase/${id}`)).body.slaLevel).toBe(slaChoice[language].stored);
    // Select all on the page, and none again.
    await small.getByRole('checkbox', { name: words.selectAll }).check();
    await small.getByText(language === 'en' ? '50 selected' : '已选 50 条', { exact: true }).waitFor();
    await small.getByRole('checkbox', { name: words.selectAll }).uncheck();
    await eventually(() => small.getByRole('button', { name: words.update }).count()).toBe(0);

    // Sorted from the select above the cards, as the API sorts.
    await pickOption(small, words.sortBy, words.subjectUp);
    const api = await fx.agent.client.get(`/api/data/serviceCase?sort=subject&limit=50&filter=${encodeURIComponent(JSON.stringify({ status: { $nin: ['resolved', 'closed', 'cancelled'] } }))}`);
    await eventually(() => cards.first().getByRole('heading').textContent()).toBe(api.body.items[0].subject);
    await eventually(() => cards.nth(1).getByRole('heading').textContent()).toBe(api.body.items[1].subject);
    expect(await seriousViolations(small)).toEqual([]);

    // The title opens the record.
    await cards.first().getByRole('link', { name: api.body.items[0].subject }).click();
    await small.waitForURL(`**/e/serviceCase/${api.body.items[0].id}`);
    await phone.close();
  });
});
