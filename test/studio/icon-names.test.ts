// @ant-design/icons draws each icon as `<span role="img" aria-label="download">`: inside a button with
// text its English name joined the button's name ("download 导出", "plus 新建"). The studio's icons
// (app/icons.tsx) are decorative; icon-only buttons carry a translated name of their own. Read from
// the accessibility tree, as a screen reader reads it, on a list, a record and the entity designer in
// Chinese: no name holds an icon's English name, every button has a name, axe-clean.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { setUpVisits } from '../support/visit-fixture.ts';

/** Icons' English names, as @ant-design/icons gives them (the studio's and antd's own). */
const iconWords = /\b(download|upload|plus|edit|delete|search|swap|close|close-circle|down|up|calendar|arrow-up|arrow-down|holder|setting|undo|user|bell|audit|menu|save|experiment|paper-clip|inbox|left|right|double-left|double-right|caret-up|caret-down|filter|swap-right|check-circle|minus-circle|stop|warning|ellipsis|database|appstore|form|history|table|dashboard|apartment|safety|folder-open|play-circle)\b/;

interface Named { role: string; name: string }

/** Every named node of the page's accessibility tree, and the buttons without a name. */
async function readTree(page: Page): Promise<{ named: Named[]; unnamedButtons: string[] }> {
  const tree = await page.locator('body').ariaSnapshot();
  const named = [...tree.matchAll(/- (\w+) "((?:[^"\\]|\\.)*)"/g)].map((m) => ({ role: m[1]!, name: m[2]! }));
  const unnamedButtons = tree.split('\n').filter((line) => /- button(?! ")/.test(line));
  return { named, unnamedButtons };
}

describe('studio: icons are decorative, icon-only buttons are named in the UI language', { timeout: 240_000 }, () => {
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

  /** Opens antd's own Select and DatePicker (the stand-ins become them), whose arrow and calendar icons antd draws. */
  const openControls = async (page: Page, scope: string) => {
    await page.locator(scope).getByLabel('类型', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').waitFor();
    await page.keyboard.press('Escape');
    await page.locator(scope).getByLabel('日期', { exact: true }).first().focus();
    await page.locator(`${scope} .ant-picker`).first().waitFor();
    await page.keyboard.press('Escape');
  };
  const pages: [string, () => string, string, ((page: Page) => Promise<void>) | undefined, string][] = [
    ['the list', () => '/e/visit', 'tr.ant-table-row', (page) => openControls(page, '[role=search]'), 'list'],
    ['a record', () => `/e/visit/${visitId}`, 'main form', (page) => openControls(page, 'main form'), 'record'],
    ['the entity designer', () => '/admin/entities/visit', 'main table', undefined, 'designer'],
  ];

  it.each(pages)('%s (zh): no accessible name holds an icon’s English name; every button is named', async (_what, path, ready, interact, shot) => {
    const page = await signedInPage({ browser, server, contexts, options: { language: 'zh' } });
    await page.goto(path());
    await page.locator(ready).first().waitFor();
    await interact?.(page);
    const { named, unnamedButtons } = await readTree(page);
    // The page's own buttons are there, named in Chinese (not "plus 新建").
    expect(named.filter((n) => n.role === 'button').length).toBeGreaterThan(2);
    expect(named.filter((n) => iconWords.test(n.name)).map((n) => `${n.role} "${n.name}"`)).toEqual([]);
    expect(unnamedButtons).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `icon-names-${shot}`, 'zh');
  });
});
