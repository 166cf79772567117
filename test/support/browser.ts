// Browser tests: Debian's chromium driven by playwright-core (no downloaded browser), axe-core for
// accessibility, and screenshots for the README. One browser per test file; contexts are cheap.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { watchContext } from './failure-evidence.ts';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const screenshotDir = path.resolve(import.meta.dirname, '../../docs/screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface ContextOptions {
  language?: 'en' | 'zh';
  width?: number;
  /**
   * The system asks for less motion unless this is true: the studio then opens drawers and menus at
   * once (use-reduced-motion.ts), and a test need not wait out their animations. Suites that cover
   * the animated studio pass true.
   */
  motion?: boolean;
}

const contextLanguages = new WeakMap<BrowserContext, 'en' | 'zh'>();

/** The UI language a context was made in (newContext). */
export function contextLanguage(context: BrowserContext): 'en' | 'zh' {
  return contextLanguages.get(context) ?? 'en';
}

/** A fresh context (own cookies and storage) at a desktop or phone width, in a UI language. */
export async function newContext(browser: Browser, baseURL: string, options: ContextOptions = {}): Promise<BrowserContext> {
  const width = options.width ?? 1280;
  const language = options.language ?? 'en';
  const context = await browser.newContext({
    baseURL,
    viewport: { width, height: width < 600 ? 844 : 860 },
    locale: language === 'zh' ? 'zh-CN' : 'en-US',
    acceptDownloads: true,
    deviceScaleFactor: 1,
    reducedMotion: options.motion ? 'no-preference' : 'reduce',
  });
  await context.addInitScript((lang) => {
    if (!localStorage.getItem('crm.language')) localStorage.setItem('crm.language', lang);
  }, language);
  context.setDefaultTimeout(30_000);
  contextLanguages.set(context, language);
  watchContext(context);
  return context;
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * The rules of those tags that can report no serious or critical violation, turned off: axe gives
 * every result of a rule with an impact that impact (its _finalizeRuleResult), so a rule whose impact
 * is minor or moderate (region, landmark-*, heading-order…: 29 of 99, a fifth of a scan's time) can
 * never add to what seriousViolations returns. The tags still choose the rest, as before.
 */
export const lowImpactRules = Object.fromEntries(
  ((axe as unknown as { _audit?: { rules: { id: string; impact?: string }[] } })._audit?.rules ?? [])
    .filter((r) => r.impact === 'minor' || r.impact === 'moderate')
    .map((r) => [r.id, { enabled: false }]),
);

/** Serious and critical accessibility violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // A page mid-animation (a fading toast, a closing dropdown) is not the page the user reads. A
  // spinner's animation never ends (a button's loading icon even spins on, hidden, while it leaves):
  // waiting for it cost the full 5 s.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity), undefined, { timeout: 5_000 })
    .catch(() => undefined);
  let violations: axe.Result[];
  if (page.frames().length > 1) {
    // AxeBuilder scans every frame (each in its own runPartial, joined on a blank page of its own).
    violations = (await new AxeBuilder({ page }).withTags(axeTags).disableRules(Object.keys(lowImpactRules)).analyze()).violations;
  } else {
    // One frame: the same rules run by axe itself in the page. AxeBuilder would inject axe twice per
    // scan, open and close a blank page to join the partial results and send every passed node back,
    // which made a scan cost 3-8 s instead of under one.
    if ((await page.evaluate(() => typeof (window as { axe?: unknown }).axe)) === 'undefined') await page.evaluate(axe.source);
    violations = await page.evaluate(
      async ([tags, rules]) => (await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] })).violations,
      [axeTags, lowImpactRules] as const,
    );
  }
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** Writes docs/screenshots/<name>-<language>-<width>.png (without passing toasts: they show the moment, not the page). */
export async function screenshot(page: Page, name: string, language: 'en' | 'zh'): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const width = page.viewportSize()?.width ?? 1280;
  await page.screenshot({ path: path.join(screenshotDir, `${name}-${language}-${width}.png`), fullPage: false, animations: 'disabled', style: '.ant-message, .ant-notification { display: none !important; }' });
}

/** Switches the UI language through the switch in the page (not by reloading). */
export async function switchLanguage(page: Page, language: 'en' | 'zh'): Promise<void> {
  await page.getByText(language === 'zh' ? '中文' : 'EN', { exact: true }).first().click();
}

/**
 * Waits until a click reaches the page again after a drag and drop. dnd-kit swallows every click for
 * 50 ms after a drop (a capture listener on the document, taken off by a timer) so that the drop does
 * not also click what lies under it; a test that clicks straight after a drop loses that click when
 * a busy machine delays the timer. The probe is a click on an element of its own, seen or not.
 */
export async function clicksReachThePage(page: Page): Promise<void> {
  await eventually(() =>
    page.evaluate(() => {
      let reached = false;
      const probe = document.createElement('span');
      probe.addEventListener('click', () => (reached = true));
      document.body.append(probe);
      probe.click();
      probe.remove();
      return reached;
    }),
  ).toBe(true);
}

/** expect.poll with a patience that suits a browser on a busy machine. */
export function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 30_000, interval: 200 });
}

/** A table's rows as the studio draws them: antd's rows on a desktop, ResponsiveTable's cards on a phone. */
export function tableRows(scope: Page | Locator): Locator {
  return scope.locator('tr.ant-table-row, .crm-table-cards > li');
}

/** A row's cells in column order: its td on a desktop; on a phone a card's title, its values, its actions. */
export function rowCells(row: Locator): Locator {
  return row.locator(':scope > td, :scope > [data-column], :scope > dl > div > dd, :scope > div > [data-column]');
}

/**
 * Whether the page's tables can be read without scrolling sideways: the page itself does not
 * scroll sideways, and every cell of every shown row (a table's td; a card's title, values and
 * actions — ResponsiveTable's cards and the record list's, `ul > li[data-record-id]`) lies within
 * the window and within the table's own box (a card's: its card), its text not cut — neither
 * running past the cell nor clipped inside it by an element that hides its overflow — and, in a
 * card, no control runs past the card. Returns the rows read and what is wrong, cell by cell.
 */
export async function tablesFit(page: Page): Promise<{ rows: number; problems: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    const sideways = document.documentElement.scrollWidth - width;
    if (sideways > 0) problems.push(`the page scrolls sideways by ${sideways} px`);
    let rows = 0;
    const controls = '.ant-select, .ant-btn, .ant-input, .ant-input-number, .ant-picker, .ant-checkbox, .ant-radio, .ant-switch, textarea';
    for (const row of document.querySelectorAll<HTMLElement>('tr.ant-table-row, .crm-table-cards > li, ul > li[data-record-id]')) {
      const rowBox = row.getBoundingClientRect();
      if (rowBox.width === 0 || rowBox.height === 0) continue; // in a hidden tab or a closed panel
      rows++;
      const card = !row.matches('tr');
      // A table row's cells within the table's box; a card's within the card.
      const frame = (card ? row : (row.closest('.ant-table-container') ?? row)).getBoundingClientRect();
      const cells = card ? [...row.querySelectorAll<HTMLElement>(':scope > [data-column], :scope > dl > div > dd, :scope > div > [data-column], :scope > div > h2')] : [...row.querySelectorAll<HTMLElement>(':scope > td')];
      if (card) {
        // Its controls (a selection checkbox beside the title, a row's actions) whole inside the card.
        for (const control of row.querySelectorAll(controls)) {
          const at = control.getBoundingClientRect();
          if (at.width > 0 && (at.left < rowBox.left - 1 || at.right > rowBox.right + 1)) problems.push(`${(row.textContent ?? '').slice(0, 24)}: a control runs past the card (${Math.round(at.left)}..${Math.round(at.right)} in ${Math.round(rowBox.left)}..${Math.round(rowBox.right)})`);
        }
      }
      for (const cell of cells) {
        const box = cell.getBoundingClientRect();
        if (box.width === 0) continue;
        const name = `${(row.textContent ?? '').slice(0, 24)} | ${(cell.textContent ?? '').slice(0, 24)}`;
        if (box.left < -1 || box.right > width + 1) problems.push(`${name}: outside the window (${Math.round(box.left)}..${Math.round(box.right)} of ${width})`);
        else if (box.left < frame.left - 1 || box.right > frame.right + 1) problems.push(`${name}: past the table's edge (${Math.round(box.right)} > ${Math.round(frame.right)})`);
        else {
          // What the cell holds (its text laid out whole, each element's box) against the cell's box.
          // (scrollWidth would count a fixed column's shadow, drawn past its edge; a control's own
          // ellipsis inside its box is the control's.)
          const parts = [...cell.childNodes].flatMap((node) => {
            if (node.nodeType === Node.ELEMENT_NODE) return [(node as Element).getBoundingClientRect()];
            if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) return [];
            const text = document.createRange();
            text.selectNodeContents(node);
            return [text.getBoundingClientRect()];
          }).filter((r) => r.width > 0);
          const left = Math.min(...parts.map((r) => r.left));
          const right = Math.max(...parts.map((r) => r.right));
          if (parts.length > 0 && (left < box.left - 1 || right > box.right + 1)) problems.push(`${name}: its content is cut (${Math.round(left)}..${Math.round(right)} in ${Math.round(box.left)}..${Math.round(box.right)})`);
          // On a card, where a value has the room to wrap: nothing inside it clipped by a box that
          // hides its overflow (a tag, a one-line span) — a control's own ellipsis is the control's.
          if (card) {
            for (const inner of [cell, ...cell.querySelectorAll<HTMLElement>('*')]) {
              if (inner.closest(controls) || inner.clientWidth === 0) continue;
              const style = getComputedStyle(inner);
              if (!['hidden', 'clip'].includes(style.overflowX) || inner.scrollWidth <= inner.clientWidth + 1) continue;
              problems.push(`${name}: its content is clipped (${inner.scrollWidth} px in ${inner.clientWidth})`);
              break;
            }
          }
          // Its controls, however deep, whole inside it.
          for (const control of cell.querySelectorAll(controls)) {
            const at = control.getBoundingClientRect();
            if (at.width > 0 && (at.left < box.left - 1 || at.right > box.right + 1)) problems.push(`${name}: a control runs past it (${Math.round(at.left)}..${Math.round(at.right)} in ${Math.round(box.left)}..${Math.round(box.right)})`);
          }
        }
      }
    }
    return { rows, problems };
  });
}

/** The page's tables fit (tablesFit), with at least one row shown (the check is not vacuous). */
export async function expectTablesFit(page: Page): Promise<void> {
  await page.locator('tr.ant-table-row, .crm-table-cards > li, ul > li[data-record-id]').filter({ visible: true }).first().waitFor();
  const fit = await tablesFit(page);
  expect(fit.problems).toEqual([]);
  expect(fit.rows).toBeGreaterThan(0);
}

/**
 * Holds back the browser's copy of the answer to the first `method` request to a path starting with
 * `prefix` (the whole path unless it ends in `/`) until `release()`: the server has written it, the
 * page has not heard back — a request still on its way, as a slow network makes it. `applied()` once
 * the server wrote it.
 */
export async function holdFirst(page: Page, method: string, prefix: string): Promise<{ applied: () => boolean; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  let applied = false;
  const matches = (path: string) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix);
  await page.route((url) => matches(url.pathname), async (route) => {
    if (route.request().method() !== method || held) return route.continue();
    held = true;
    // The fetch goes through the context's request agent, whose keep-alive socket from the sign-in may
    // be the one the server is closing as idle (its keep-alive timeout) just as this is sent: that
    // reset comes before the server read the request, so sending it again is safe.
    const response = await route.fetch({ maxRetries: 2 });
    applied = true;
    await released;
    await route.fulfill({ response });
  });
  return { applied: () => applied, release };
}
