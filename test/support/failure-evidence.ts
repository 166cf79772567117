// What a browser test's page showed when the test failed. CI's report is all a reader of a failed
// run gets, and "waiting for getByText(…) timed out" says nothing of why: so the failure's message
// gets each page the test used — its address, its visible text, the API calls it made last (with
// their statuses) and its console errors — and test-results/failures/ a screenshot of it.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

interface PageLog {
  /** performance.now() when the page opened: those the failed test opened are shown first. */
  openedAt: number;
  /** performance.now() of the page's last event: pages idle since the test began are left out. */
  lastEventAt: number;
  lines: string[];
}

const logs = new Map<Page, PageLog>();
const keptLines = 30;
const failureDir = path.resolve(import.meta.dirname, '../../test-results/failures');

const pathOf = (url: string): string => {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
};

function watchPage(page: Page): void {
  const log: PageLog = { openedAt: performance.now(), lastEventAt: performance.now(), lines: [] };
  logs.set(page, log);
  const note = (line: string) => {
    log.lastEventAt = performance.now();
    log.lines.push(`${new Date().toISOString().slice(11, 23)} ${line.slice(0, 300)}`);
    if (log.lines.length > keptLines) log.lines.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') note(`console.${message.type()}: ${message.text()}`);
  });
  // (about:blank refuses the contexts' init script its localStorage: not the studio's error.)
  page.on('pageerror', (error) => {
    if (page.url() !== 'about:blank') note(`uncaught: ${error.message}`);
  });
  page.on('requestfailed', (request) => note(`${request.method()} ${pathOf(request.url())} failed: ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    const url = pathOf(response.url());
    if (url.startsWith('/api/')) note(`${response.request().method()} ${url} → ${response.status()}`);
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) note(`at ${pathOf(frame.url())}`);
  });
  page.on('close', () => logs.delete(page));
}

/** Keeps a log of each page the context opens (browser.ts newContext calls it). */
export function watchContext(context: BrowserContext): void {
  for (const page of context.pages()) watchPage(page);
  context.on('page', watchPage);
}

/**
 * The pages active since `since` (performance.now()) — those opened by the test first, newest
 * first; an earlier test's page may still poll — described, with a screenshot of each under
 * test-results/failures/.
 */
export async function describePages(since: number, testName: string): Promise<string> {
  const rank = (log: PageLog) => (log.openedAt >= since ? log.openedAt + 1e12 : log.lastEventAt);
  const active = [...logs].filter(([page, log]) => !page.isClosed() && log.lastEventAt >= since).sort(([, a], [, b]) => rank(b) - rank(a));
  const parts: string[] = [];
  for (const [index, [page, log]] of active.slice(0, 3).entries()) parts.push(await withinSeconds(10, describePage(page, log, index, active.length, testName), `── page ${index + 1}: no description within 10 s (its script may be stuck)`));
  return parts.join('\n');
}

/** `work`'s answer, or `instead` after `seconds`: a stuck page must not hold the report of its failure. */
async function withinSeconds(seconds: number, work: Promise<string>, instead: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(instead), seconds * 1000)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function describePage(page: Page, log: PageLog, index: number, count: number, testName: string): Promise<string> {
  let text: string;
  try {
    // The main landmark where there is one: the menu beside it says little about the failure.
    const main = page.locator('main');
    const scope = (await main.count()) === 1 ? main : page.locator('body');
    text = (await scope.innerText({ timeout: 3_000 })).replace(/\s*\n\s*/g, ' ⏎ ').trim();
  } catch (error) {
    text = `(the page's text could not be read: ${(error as Error).message.split('\n')[0]})`;
  }
  let shot = '';
  try {
    await mkdir(failureDir, { recursive: true });
    const file = path.join(failureDir, `${testName.replace(/[^\w-]+/g, '-').slice(0, 80)}-${index}.png`);
    await page.screenshot({ path: file, timeout: 5_000 });
    shot = `\n  screenshot: ${path.relative(process.cwd(), file)}`;
  } catch {
    // A page that cannot be drawn any more still has its text and log.
  }
  return (
    `── page ${index + 1} of ${count} at failure: ${pathOf(page.url())} (${page.viewportSize()?.width ?? '?'} px)${shot}\n` +
      `  shows: ${text.length > 1_500 ? `${text.slice(0, 1_500)} …` : text}\n` +
      `  last events:\n${log.lines.map((l) => `    ${l}`).join('\n')}`
  );
}
