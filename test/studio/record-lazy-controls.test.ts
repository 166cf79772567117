// The record form's date pickers and picklist selects are drawn as plain inputs until the user
// comes to them (LazyControl.tsx), and plain fields without the antd Form.Item component
// (FieldTemplate.tsx), text and number inputs as plain inputs (DeferredInput.tsx: a number becomes
// antd's InputNumber when focused). Here, by keyboard only: Tab reaches each lazy control and swaps in the real
// one with the focus kept — the picker opens and takes a typed date, the select opens on Enter and
// takes an arrow key; a server error still lands next to its (lazy) field with aria-describedby
// pointing at it; by mouse a click on the stand-in opens the select at once; typing narrows its options. Axe-clean.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../import/support.ts';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';
import { setUpVisits } from '../support/visit-fixture.ts';

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const openDropdowns = (page: Page, kind: 'picker' | 'select') => page.locator(`.ant-${kind}-dropdown:visible`).count();

describe('studio: lazy date and select controls in the record form', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await setUpVisits(server);
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    await signInContext(context, testAdmin);
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('by keyboard: Tab reaches each stand-in, the real control takes the focus and opens on Enter or focus; a server error shows next to the lazy field', async () => {
    await page.goto('/e/visit/new');
    await page.getByRole('heading', { name: 'New Visit' }).waitFor();
    // Before anyone comes to them: stand-ins, labelled by the same <label for>.
    expect(await page.locator('[data-lazy-control="select"]').getAttribute('id')).toBe(await page.getByLabel('Kind').getAttribute('id'));
    expect(await page.locator('[data-lazy-control="date"]').getAttribute('id')).toBe(await page.getByLabel('Day').getAttribute('id'));
    expect(await page.locator('.ant-picker, .ant-select').count()).toBe(0);

    await page.getByLabel('Title').fill('First visit');
    // The day is required: the server's error lands next to the (still lazy) date field.
    await page.getByRole('button', { name: 'Create' }).click();
    const dayItem = page.locator('.ant-form-item').filter({ has: page.getByLabel('Day') });
    await dayItem.locator('.ant-form-item-explain-error').first().waitFor();
    const dayId = (await page.getByLabel('Day').getAttribute('id'))!;
    expect(await page.getByLabel('Day').getAttribute('aria-describedby')).toContain(`${dayId}__error`);
    expect(await page.locator(`[id="${dayId}__error"]`).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // Tab from the title: the select takes the focus in place of its stand-in; Enter opens it.
    await page.getByLabel('Title').focus();
    await page.keyboard.press('Tab');
    const kindId = (await page.getByLabel('Kind').getAttribute('id'))!;
    await eventually(() => activeId(page)).toBe(kindId);
    await eventually(() => page.locator('[data-lazy-control="select"]').count()).toBe(0);
    expect(await openDropdowns(page, 'select')).toBe(0);
    await page.keyboard.press('Enter');
    await eventually(() => openDropdowns(page, 'select')).toBe(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => openDropdowns(page, 'select')).toBe(0);
    await eventually(() => page.locator('.ant-select').first().textContent()).toContain('On site');

    // Tab on: the date picker takes the focus and opens (as it does on focus); typing a date and Enter take it.
    // (antd's select puts its clear button in the Tab order once it has a value.)
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Clear: Kind');
    await page.keyboard.press('Tab');
    await eventually(() => activeId(page)).toBe(dayId);
    await eventually(() => openDropdowns(page, 'picker')).toBe(1);
    // Typed as ISO, shown as English writes it.
    await page.keyboard.type('2026-05-04');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByLabel('Day').inputValue()).toBe('4 May 2026');

    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/visit\/[0-9A-Z]{26}$/);
    const id = page.url().split('/').pop()!;
    const stored = await server.get(`/api/data/visit/${id}`);
    expect(stored.body).toMatchObject({ title: 'First visit', kind: 'onsite', day: '2026-05-04' });
  });

  it('by mouse: a click on the stand-in opens the select at once; the stand-ins show the stored values', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'First visit' }).waitFor();
    expect(await page.locator('[data-lazy-control="select"]').inputValue()).toBe('On site');
    expect(await page.locator('[data-lazy-control="date"]').inputValue()).toBe('4 May 2026');
    expect(await seriousViolations(page)).toEqual([]);
    await pickOption(page, 'Kind', 'Remote');
    await page.getByRole('button', { name: 'Save' }).click();
    const id = page.url().split('/').pop()!;
    await eventually(async () => (await server.get(`/api/data/visit/${id}`)).body.kind).toBe('remote');
  });

  it('typing a part of an option\'s label narrows the picklist to it; Enter takes it', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'First visit' }).waitFor();
    const kindId = (await page.getByLabel('Kind').getAttribute('id'))!;
    await page.getByLabel('Title').focus();
    await page.keyboard.press('Tab');
    await eventually(() => activeId(page)).toBe(kindId);
    await page.keyboard.type('site');
    await eventually(() => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents()).toEqual(['On site']);
    await page.keyboard.press('Enter');
    await eventually(() => openDropdowns(page, 'select')).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    const id = page.url().split('/').pop()!;
    await eventually(async () => (await server.get(`/api/data/visit/${id}`)).body.kind).toBe('onsite');
  });

  it('a number: a plain input showing the value until focused, then InputNumber with the focus and its text selected — typing replaces it, arrows step', async () => {
    const id = page.url().split('/').pop()!;
    await page.reload();
    await page.getByRole('heading', { name: 'First visit' }).waitFor();
    const guestsId = (await page.getByLabel('Guests').getAttribute('id'))!;
    expect(await page.locator('[data-lazy-control="number"]').getAttribute('id')).toBe(guestsId);
    expect(await page.locator('.ant-input-number').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Guests').focus();
    await eventually(() => page.locator('.ant-input-number').count()).toBe(1);
    expect(await activeId(page)).toBe(guestsId);
    expect(await page.locator('[data-lazy-control="number"]').count()).toBe(0);
    await page.keyboard.type('7');
    await page.keyboard.press('ArrowUp');
    await eventually(() => page.getByLabel('Guests').inputValue()).toBe('8');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await server.get(`/api/data/visit/${id}`)).body.guests).toBe(8);

    // The stand-in shows the stored number; Playwright's fill (focus, select, type) lands in InputNumber and replaces it.
    await page.reload();
    await page.getByRole('heading', { name: 'First visit' }).waitFor();
    expect(await page.locator('[data-lazy-control="number"]').inputValue()).toBe('8');
    await page.getByLabel('Guests').fill('12');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await server.get(`/api/data/visit/${id}`)).body.guests).toBe(12);
  });

  // Read-only numbers, currencies and percents read as the lists write them (text, not a disabled
  // input with the bare digits), still named by their label; the date as the UI language writes it;
  // a count in a UI string ("1,003 records") grouped. Expected strings written out by hand.
  describe('formatted in the UI language', () => {
    const words = {
      en: { budget: 'Budget', share: 'Share', weight: 'Weight', day: 'Day', guests: 'Guests', budgetText: 'CN¥1,234,567.50', shareText: '12.5%', weightText: '1,234.50', dayText: '4 Dec 2026', guestsText: '1234', total: (n: string) => `${n} records · page 1` },
      zh: { budget: '预算', share: '占比', weight: '重量', day: '日期', guests: '来宾', budgetText: '¥1,234,567.50', shareText: '12.5%', weightText: '1,234.50', dayText: '2026年12月4日', guestsText: '1234', total: (n: string) => `共 ${n} 条 · 第 1 页` },
    } as const;
    let figuresId = '';

    beforeAll(async () => {
      const created = await server.post('/api/data/visit', { title: 'Figures', day: '2026-12-04', guests: 1234, budget: 1234567.5, share: 12.5, weight: 1234.5 });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      figuresId = created.body.id;
      // Over a thousand visits: the list's count has its digits grouped. One import job writes them
      // (a thousand single POSTs took ten seconds and more of the suite's time).
      const csv = ['title,day', ...Array.from({ length: 1000 }, (_, i) => `Bulk ${i},2026-01-15`)].join('\n') + '\n';
      const uploaded = await fetch(`${server.url}/api/import/uploads?name=visits.csv`, { method: 'POST', headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'text/csv' }, body: csv });
      expect(uploaded.status).toBe(201);
      const job = await runJob(server, { upload: ((await uploaded.json()) as { upload: string }).upload, mapping: { name: 'bulkVisits', targets: [{ entity: 'visit', columns: { title: 'title', day: 'day' } }] }, mode: 'allOrNothing' });
      expect(job.status).toBe('done');
      expect(job.counts).toMatchObject({ rows: 1000, created: 1000, rejected: 0 });
    }, 300_000);

    it.each([
      ['en', 1280],
      ['en', 390],
      ['zh', 1280],
      ['zh', 390],
    ] as const)('%s at %d px: read-only figures as text, grouped, with scale and unit; the date; the list count', async (language, width) => {
      const w = words[language];
      const context = await newContext(browser, server.url, { language, width });
      contexts.push(context);
      await signInContext(context, testAdmin, language);
      const p = await context.newPage();
      await p.goto(`/e/visit/${figuresId}`);
      await p.getByRole('heading', { name: 'Figures' }).first().waitFor();
      for (const [label, text] of [[w.budget, w.budgetText], [w.share, w.shareText], [w.weight, w.weightText]] as const) {
        const value = p.getByLabel(label, { exact: true });
        await eventually(() => value.textContent()).toBe(text);
        // Text named by its label, not an input (disabled or not).
        expect(await value.evaluate((el) => el.tagName)).toBe('OUTPUT');
        expect(await p.getByRole('status', { name: label, exact: true }).textContent()).toBe(text);
      }
      expect(await p.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).filter((v) => /1234567|12\.5|1234\.5/.test(v)))).toEqual([]);
      // An editable number stays an input; the date is written as the language writes it.
      expect(await p.getByLabel(w.guests, { exact: true }).inputValue()).toBe(w.guestsText);
      expect(await p.getByLabel(w.day, { exact: true }).inputValue()).toBe(w.dayText);
      expect(await seriousViolations(p)).toEqual([]);
      await p.getByLabel(w.budget, { exact: true }).scrollIntoViewIfNeeded();
      await screenshot(p, 'record-figures', language);

      const total = (await server.get('/api/data/visit?total=1&limit=1')).body.total as number;
      expect(total).toBeGreaterThan(1000);
      const grouped = String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      await p.goto('/e/visit');
      await eventually(() => p.getByTestId('list-total').textContent()).toBe(w.total(grouped));
      expect(await seriousViolations(p)).toEqual([]);
      await p.getByTestId('list-total').scrollIntoViewIfNeeded();
      await screenshot(p, 'list-count', language);
    });

    it.each([
      ['en', '2026-12-31', '31 Dec 2026', '2026-12-31'],
      ['en', '30 Sept 2026', '30 Sept 2026', '2026-09-30'],
      ['zh', '2026-02-01', '2026年2月1日', '2026-02-01'],
      ['zh', '2026年3月9日', '2026年3月9日', '2026-03-09'],
    ] as const)('%s: a date typed as %s shows as %s and is saved as %s (a browser west of UTC: no day lost)', async (language, typed, shown, stored) => {
      // A context of our own: in Los Angeles, where the UTC midnight of a day is the evening before.
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, locale: language === 'zh' ? 'zh-CN' : 'en-US', timezoneId: 'America/Los_Angeles', reducedMotion: 'reduce' });
      contexts.push(context);
      await context.addInitScript((lang) => localStorage.setItem('crm.language', lang), language);
      await signInContext(context, testAdmin, language);
      const p = await context.newPage();
      await p.goto(`/e/visit/${figuresId}`);
      const day = p.getByLabel(words[language].day, { exact: true });
      await eventually(() => day.inputValue()).not.toBe('');
      await day.focus();
      await eventually(() => openDropdowns(p, 'picker')).toBe(1);
      await p.keyboard.press('ControlOrMeta+a');
      await p.keyboard.type(typed);
      await p.keyboard.press('Enter');
      await eventually(() => openDropdowns(p, 'picker')).toBe(0);
      await eventually(() => day.inputValue()).toBe(shown);
      await p.getByRole('button', { name: language === 'zh' ? '保存' : 'Save' }).click();
      await eventually(async () => (await server.get(`/api/data/visit/${figuresId}`)).body.day).toBe(stored);
      await p.reload();
      await eventually(() => p.getByLabel(words[language].day, { exact: true }).inputValue()).toBe(shown);
      if (typed === '2026-02-01') await screenshot(p, 'record-date-typed', language);
    });
  });
});
