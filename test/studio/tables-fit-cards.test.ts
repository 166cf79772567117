// The check the phone tests lean on (test/support/browser.ts `tablesFit`) reads the record list's
// cards (`ul > li[data-record-id]`, RecordCards) as it reads table rows: a card whose value is cut
// or clipped, whose control runs past it, or a page that scrolls sideways is reported; a card that
// fits is read and passes. Static pages at 390 px in chromium (the check itself is what is tested).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, tablesFit } from '../support/browser.ts';

/** A record card as RecordCards draws it: a heading with a checkbox, then "label value" lines. */
const card = (value: string, head = '') => `
  <li data-record-id="r1" style="border:1px solid #ddd;padding:10px 12px;min-width:0">
    <div style="display:flex;gap:10px">${head}<h2 style="margin:0;min-width:0;overflow-wrap:anywhere">Acme</h2></div>
    <dl style="margin:6px 0 0"><div style="display:grid;grid-template-columns:minmax(80px,38%) minmax(0,1fr)" data-column="tags"><dt>Tags</dt><dd style="margin:0;min-width:0;overflow-wrap:anywhere">${value}</dd></div></dl>
  </li>`;
const list = (...cards: string[]) => `<body style="margin:0;padding:16px"><ul style="list-style:none;margin:0;padding:0">${cards.join('')}</ul></body>`;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
}, 60_000);
afterAll(() => browser?.close());

async function check(html: string) {
  await page.setContent(html);
  return tablesFit(page);
}

describe('tablesFit reads record cards', () => {
  it('a card that fits is read and passes', async () => {
    expect(await check(list(card('<span class="ant-tag">Retail</span> <span class="ant-tag">Wholesale</span>', '<label class="ant-checkbox"><input type="checkbox" aria-label="Select"></label>')))).toEqual({ rows: 1, problems: [] });
  });

  it('a value clipped inside the card (a one-line box hiding its overflow) is reported', async () => {
    const fit = await check(list(card('<span style="display:block;overflow:hidden;white-space:nowrap">Woodwork and pottery, music, travel, sailing, painting, chess</span>')));
    expect(fit.rows).toBe(1);
    expect(fit.problems).toEqual([expect.stringMatching(/Tags.*: its content is clipped/)]);
  });

  it('a value running past its line is reported', async () => {
    const fit = await check(list(card('<span style="display:inline-block;white-space:nowrap">Woodwork and pottery, music, travel, sailing</span>')));
    expect(fit.problems).toContainEqual(expect.stringMatching(/Tags.*: its content is cut/));
  });

  it('a control running past the card is reported', async () => {
    const fit = await check(list(card('Retail', '<button class="ant-btn" style="flex:none;margin-left:420px">Open</button>')));
    expect(fit.problems).toContainEqual(expect.stringMatching(/a control runs past the card/));
  });

  it('a page that scrolls sideways is reported', async () => {
    const fit = await check(list(card('Retail')) + '<div style="width:600px;height:1px"></div>');
    expect(fit.problems).toContainEqual(expect.stringMatching(/^the page scrolls sideways by \d+ px$/));
  });
});
