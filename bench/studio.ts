// bench/studio.ts — `npx tsx bench/studio.ts [--runs 7] [--keys 40]`: the studio in Debian's
// chromium (playwright-core), against a real server on an ephemeral port with a fresh data folder.
// Not a timed test: it prints figures for bench/RESULTS.md, beside the targets.
//  - initial JavaScript: the scripts index.html loads (entry and modulepreloads), gzipped;
//  - cold load: a fresh browser context (empty cache) from navigation to the sign-in page's
//    "Sign in" button being enabled;
//  - in-app navigation to a 200-field record page (10 sections × 20 fields: text, integer,
//    picklist, date): from the click on its link in a list to **interactive** — measured in the page
//    from the click event: the first input shown and no long task (≥ 50 ms) for 500 ms after
//    (bench/lib/studio-probe.ts) — and, beside it, to the first and the last section's last input
//    being shown; the driver-side figure (Date.now around click and a wait polled every frame)
//    is printed too: it adds the driver's round trips;
//  - keystroke to paint in that form: the Event Timing API's duration of each key press
//    (input to the next paint; entries under 16 ms are not reported, counted as 16);
//  - a 50-row list page: from the click on its menu entry to interactive (50 rows shown, no long
//    task for 500 ms after), in the page as above, and driver-side.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { startTestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { seedStudioBench } from './lib/studio-fixture.ts';
import { arm, settle } from './lib/studio-probe.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option('runs', 7);
const keys = option('keys', 40);
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, p95 ${p95(xs).toFixed(0)} ms (n=${xs.length})`;

function initialJavaScript(): { files: string[]; gzipBytes: number; rawBytes: number } {
  const dist = path.join(root, 'studio/dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const f of new Set(files)) {
    const body = readFileSync(path.join(dist, f));
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: [...new Set(files)], gzipBytes, rawBytes };
}

async function main(): Promise<void> {
  const js = initialJavaScript();
  log(`load average before: ${loadAverage()}`);
  log(`initial JavaScript: ${(js.gzipBytes / 1024).toFixed(0)} KB gzipped (${(js.rawBytes / 1024).toFixed(0)} KB raw) in ${js.files.length} files`);
  const server = await startTestServer();
  const wideId = await seedStudioBench(server);
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const newPage = async (): Promise<Page> => (await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
  try {
    // Cold load of the sign-in page.
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await newPage();
      const start = Date.now();
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.waitForFunction(() => !(document.querySelector('button[type="submit"]') as HTMLButtonElement | null)?.disabled);
      cold.push(Date.now() - start);
      await page.context().close();
    }
    log(`cold load to an interactive sign-in page: ${fmt(cold)}`);

    const page = await newPage();
    // tsx keeps function names with a `__name` helper that page.evaluate's serialized code lacks.
    await page.context().addInitScript('globalThis.__name = (f) => f');
    const login = await page.context().request.post('/api/auth/login', { data: { email: server.admin!.email, password: server.admin!.password } });
    if (login.status() !== 200) throw new Error('sign-in failed');
    await page.goto('/v/wideList');
    await page.locator('tbody tr.ant-table-row').nth(49).waitFor();

    // In-app navigation: list → 200-field record page.
    const recordInteractive: number[] = [];
    const toRecord: number[] = [];
    const toFirstInput: number[] = [];
    const driverFirst: number[] = [];
    const lastInput = page.locator('[id^="f_s9"]').last();
    for (let i = 0; i < runs; i++) {
      await page.goto('/v/wideList');
      await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
      const link = page.getByRole('link', { name: `Wide ${String(i % 50).padStart(2, '0')}`, exact: true });
      await link.waitFor();
      await arm(page, { first: '#f_s0_title', last: '[id^="f_s9"]' });
      const start = Date.now();
      await link.click();
      await page.waitForFunction(() => document.querySelector('#f_s0_title'), undefined, { polling: 'raf' });
      driverFirst.push(Date.now() - start);
      const p = await settle(page, 'first');
      await page.waitForFunction(() => document.querySelector('[id^="f_s9"]'), undefined, { polling: 'raf' });
      const q = await settle(page, 'last');
      recordInteractive.push(p.interactive);
      toFirstInput.push(q.shown['first']!);
      toRecord.push(q.shown['last']!);
    }
    log(`in-app navigation to a 200-field record page, in the page from the click: interactive ${fmt(recordInteractive)}; first input shown ${fmt(toFirstInput)}; last input shown ${fmt(toRecord)}; driver-side to the first input ${fmt(driverFirst)}`);

    // Keystroke to paint in that form.
    await page.evaluate(() => {
      const w = window as unknown as { keyDurations: Map<number, number> };
      w.keyDurations = new Map();
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEventTiming & { interactionId?: number })[]) {
          if (!e.interactionId || !/^key|input/.test(e.name)) continue;
          w.keyDurations.set(e.interactionId, Math.max(w.keyDurations.get(e.interactionId) ?? 0, e.duration));
        }
      }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
    });
    const field = page.locator('#f_s0_f0x0');
    await field.click();
    for (let i = 0; i < keys; i++) await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    await page.waitForTimeout(300); // let the last entries arrive (measurement only, not a test)
    const reported = await page.evaluate(() => [...(window as unknown as { keyDurations: Map<number, number> }).keyDurations.values()]);
    const keyTimes = [...reported, ...Array(Math.max(0, keys - reported.length)).fill(16)];
    log(`keystroke to paint (Event Timing): ${fmt(keyTimes)}; ${reported.length} of ${keys} key presses took 16 ms or more`);

    // A 50-row list page through the menu.
    const toList: number[] = [];
    const listInteractive: number[] = [];
    const driverList: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.goto(`/e/wide/${wideId}`);
      await lastInput.waitFor();
      const entry = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Wide records' });
      await entry.waitFor();
      await arm(page, { rows: 'tbody tr.ant-table-row*50' });
      const start = Date.now();
      await entry.click();
      await page.waitForFunction(() => document.querySelectorAll('tbody tr.ant-table-row').length >= 50, undefined, { polling: 'raf' });
      driverList.push(Date.now() - start);
      const p = await settle(page, 'rows');
      listInteractive.push(p.interactive);
      toList.push(p.shown['rows']!);
    }
    log(`50-row list page, in the page from the menu click: interactive ${fmt(listInteractive)}; 50 rows shown ${fmt(toList)}; driver-side ${fmt(driverList)}`);
    log(`load average after: ${loadAverage()}`);
    process.stdout.write(JSON.stringify({ initialJsGzipKB: Math.round(js.gzipBytes / 1024), coldSignIn: cold, record200Interactive: recordInteractive, toRecord200First: toFirstInput, toRecord200: toRecord, record200DriverFirst: driverFirst, keystroke: keyTimes, list50Interactive: listInteractive, list50: toList, list50Driver: driverList }) + '\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
