// antd names a few of its controls in English whatever its locale: rc-select's clear button
// ("Clear") and rc-input-number's step buttons ("Increase Value" / "Decrease Value"). The studio's
// own Select and InputNumber (app/localized-controls.tsx) name them in the UI language — in the
// record form (a picklist, a number field drawn by @rjsf/antd) and in the list's filter bar (a
// picklist filter, number ranges, a search box's search and clear buttons, named by their icons).
// Read from the accessibility tree, as a screen reader reads them; axe-clean; screenshots of both
// pages in Chinese at 1280 px.

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { setUpVisits } from '../support/visit-fixture.ts';

const names = {
  // A select's clear button says which select it clears (`clearKind`); a search box's is plain "Clear".
  zh: { title: '标题', search: '搜索', clear: '清除', clearKind: '清除：类型', up: '增大数值', down: '减小数值', kind: '类型', guests: '来宾', budget: '预算', call: '电话' },
  en: { title: 'Title', search: 'Search', clear: 'Clear', clearKind: 'Clear: Kind', up: 'Increase value', down: 'Decrease value', kind: 'Kind', guests: 'Guests', budget: 'Budget', call: 'Call' },
};
type Language = keyof typeof names;
/** An English word, which no button of the Chinese filter bar is named with. */
const latin = /[A-Za-z]{2,}/;
/** The names the libraries write themselves (the form's other buttons still carry their icons' English names: see below). */
const libraryNames = ['Clear', 'Increase Value', 'Decrease Value', 'search', 'close-circle'];

/** The accessible names of the buttons inside `scope`, as the accessibility tree gives them. */
async function buttonNames(scope: Locator): Promise<string[]> {
  const tree = await scope.ariaSnapshot();
  return [...tree.matchAll(/- button "([^"]*)"/g)].map((m) => m[1]!);
}

describe('studio: antd’s clear and step buttons are named in the UI language', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let visitId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    visitId = (await setUpVisits(server, { visits: 3 })).at(-1)!;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const open = (language: Language): Promise<Page> => signedInPage({ browser, server, contexts, options: { language } });

  it.each(['zh', 'en'] as Language[])('the record form (%s): the picklist’s clear button and the number field’s step buttons', async (language) => {
    const n = names[language];
    const page = await open(language);
    await page.goto(`/e/visit/${visitId}`);
    const form = page.locator('main');
    // The picklist with a value: its stand-in becomes antd's Select when the user comes to it.
    await page.getByLabel(n.kind, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
    await page.keyboard.press('Escape');
    await form.getByRole('button', { name: n.clearKind, exact: true }).waitFor({ state: 'attached' });
    // The number field: antd's InputNumber (drawn by @rjsf/antd) once focused.
    await page.getByLabel(n.guests, { exact: true }).focus();
    await page.locator('.ant-input-number').first().waitFor();
    const guests = page.locator('.ant-input-number').filter({ has: page.getByRole('spinbutton', { name: n.guests }) });
    await eventually(() => buttonNames(guests)).toEqual([n.up, n.down]);

    const buttons = await buttonNames(form);
    if (language === 'zh') expect(buttons.filter((b) => libraryNames.includes(b)), buttons.join(' | ')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    if (language === 'zh') await screenshot(page, 'control-names-form', language);
  });

  it.each(['zh', 'en'] as Language[])('the list’s filter bar (%s): a picklist filter’s clear button and the number ranges’ step buttons', async (language) => {
    const n = names[language];
    const page = await open(language);
    await page.goto('/e/visit');
    const filters = page.getByRole('search');
    await page.locator('tr.ant-table-row').first().waitFor();
    await filters.getByLabel(n.kind, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: n.call }).click();
    await page.keyboard.press('Escape');
    await eventually(() => page.locator('tr.ant-table-row').count()).toBe(2);
    await filters.getByRole('button', { name: n.clearKind, exact: true }).waitFor({ state: 'attached' });
    // The title's search box: its search button, and its clear button once it holds text.
    await filters.getByRole('searchbox', { name: n.title }).fill('拜访');
    expect(await buttonNames(filters.locator('.ant-input-search'))).toEqual([n.clear, n.search]);
    for (const field of [n.guests, n.budget]) {
      const range = filters.getByRole('group', { name: field });
      expect(await buttonNames(range)).toEqual([n.up, n.down, n.up, n.down]);
    }
    const buttons = await buttonNames(filters);
    if (language === 'zh') expect(buttons.filter((b) => latin.test(b)), buttons.join(' | ')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    if (language === 'zh') await screenshot(page, 'control-names-list', language);
  });
});
