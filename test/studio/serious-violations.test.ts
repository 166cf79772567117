// seriousViolations (test/support/browser.ts) turns off the rules that can only report minor or
// moderate violations, to save scan time: on a page with faults of every impact it must report
// exactly what a scan with every rule of the tags, filtered to serious and critical, reports.

import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeTags, launchBrowser, lowImpactRules, seriousViolations } from '../support/browser.ts';

// Faults of each impact: no name on a button and an image (critical), grey on white and a link told
// apart by colour only (serious), no main landmark, content outside landmarks and a skipped heading
// level (moderate), an empty table header (minor).
const faulty = `<!doctype html><html lang="en"><head><title>faults</title></head><body>
  <h1>Faults</h1><h4>skipped</h4>
  <button></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <p style="color:#ccc;background:#fff">faint text</p>
  <p style="color:#000">Read <a href="#x" style="color:#111;text-decoration:none">this</a> now</p>
  <table><tr><th></th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
  <div role="listbox"><span>not an option</span></div>
</body></html>`;

describe('seriousViolations', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => browser?.close());

  it('reports what every rule of its tags reports as serious or critical, though the low-impact rules are off', async () => {
    await page.setContent(faulty);
    await page.evaluate(axe.source);
    const all = await page.evaluate(
      async (tags) => (await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations.map((v) => ({ id: v.id, impact: v.impact })),
      axeTags,
    );
    // The page has faults of every impact, or the comparison would prove nothing.
    expect(new Set(all.map((v) => v.impact))).toEqual(new Set(['critical', 'serious', 'moderate', 'minor']));
    const expected = all.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id).sort();
    const got = (await seriousViolations(page)).map((v) => v.id).sort();
    expect(got).toEqual(expected);
    // And the rules turned off are those that reported only low impacts here, none of the others.
    for (const v of all) if (v.impact === 'serious' || v.impact === 'critical') expect(Object.keys(lowImpactRules)).not.toContain(v.id);
    expect(Object.keys(lowImpactRules).length).toBeGreaterThan(0);
  });
});
