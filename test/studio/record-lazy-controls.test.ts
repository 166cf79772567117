// The record form's date pickers and picklist selects are drawn as plain inputs until the user
// comes to them (LazyControl.tsx), and plain fields without the antd Form.Item component
// (FieldTemplate.tsx), text and number inputs as plain inputs (DeferredInput.tsx: a number becomes
// antd's InputNumber when focused). Here, by keyboard only: Tab reaches each lazy control and swaps in the real
// one with the focus kept — the picker opens and takes a typed date, the select opens on Enter and
// takes an arrow key; a server error still lands next to its (lazy) field with aria-describedby
// pointing at it; by mouse a click on the stand-in opens the select at once; typing narrows its options. Axe-clean.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const openDropdowns = (page: Page, kind: 'picker' | 'select') => page.locator(`.ant-${kind}-dropdown:visible`).count();

describe('studio: lazy date and select controls in the record form', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [
      {
        kind: 'entity', name: 'visit', label: { en: 'Visit', zh: '拜访' }, titleField: 'title',
        fields: {
          title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
          kind: { type: 'picklist', label: { en: 'Kind', zh: '类型' }, options: { call: { label: { en: 'Call', zh: '电话' }, color: '#1677ff' }, onsite: { label: { en: 'On site', zh: '上门' } }, remote: { label: { en: 'Remote', zh: '远程' } } } },
          day: { type: 'date', required: true, label: { en: 'Day', zh: '日期' } },
          guests: { type: 'integer', label: { en: 'Guests', zh: '来宾' } },
        },
      },
      { kind: 'form', name: 'visitMain', entity: 'visit', label: 'Visit', default: true, sections: { main: { order: 1, label: 'Visit', columns: 1, fields: { title: { order: 1 }, kind: { order: 2 }, day: { order: 3 }, guests: { order: 4 } } } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    await signInContext(context, testAdmin);
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
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
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Clear');
    await page.keyboard.press('Tab');
    await eventually(() => activeId(page)).toBe(dayId);
    await eventually(() => openDropdowns(page, 'picker')).toBe(1);
    await page.keyboard.type('2026-05-04');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByLabel('Day').inputValue()).toBe('2026-05-04');

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
    expect(await page.locator('[data-lazy-control="date"]').inputValue()).toBe('2026-05-04');
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
});
