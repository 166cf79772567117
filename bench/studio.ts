// bench/studio.ts — `npx tsx bench/studio.ts [--runs 7] [--keys 40]`: the studio in Debian's
// chromium (playwright-core), against a real server on an ephemeral port with a fresh data folder.
// Not a timed test: it prints figures for bench/RESULTS.md, beside the targets.
//  - initial JavaScript: the scripts index.html loads (entry and modulepreloads), gzipped;
//  - cold load: a fresh browser context (empty cache) from navigation to the sign-in page's
//    "Sign in" button being enabled;
//  - in-app navigation to a 200-field record page (10 sections × 20 fields: text, integer,
//    picklist, date): from the click on its link in a list to the first input, and to the last
//    section's last input, being shown (later sections are mounted in a transition);
//  - keystroke to paint in that form: the Event Timing API's duration of each key press
//    (input to the next paint; entries under 16 ms are not reported, counted as 16);
//  - a 50-row list page: from the click on its menu entry to 50 rows shown.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { startTestServer } from '../test/support/test-server.ts';
import { seedStudioBench } from './lib/studio-fixture.ts';

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
    const login = await page.context().request.post('/api/auth/login', { data: { email: server.admin!.email, password: server.admin!.password } });
    if (login.status() !== 200) throw new Error('sign-in failed');
    await page.goto('/v/wideList');
    await page.locator('tbody tr.ant-table-row').nth(49).waitFor();

    // In-app navigation: list → 200-field record page.
    const toRecord: number[] = [];
    const toFirstInput: number[] = [];
    const firstInput = page.locator('#f_s0_title');
    const lastInput = page.locator('[id^="f_s9"]').last();
    for (let i = 0; i < runs; i++) {
      await page.goto('/v/wideList');
      await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
      const start = Date.now();
      await page.getByRole('link', { name: `Wide ${String(i % 50).padStart(2, '0')}`, exact: true }).click();
      await page.getByRole('heading', { name: `Wide ${String(i % 50).padStart(2, '0')}` }).waitFor();
      await firstInput.waitFor();
      toFirstInput.push(Date.now() - start);
      await lastInput.waitFor();
      toRecord.push(Date.now() - start);
    }
    log(`in-app navigation to a 200-field record page, first input: ${fmt(toFirstInput)}; last input: ${fmt(toRecord)}`);

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
    for (let i = 0; i < runs; i++) {
      await page.goto(`/e/wide/${wideId}`);
      await lastInput.waitFor();
      const start = Date.now();
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Wide records' }).click();
      await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
      toList.push(Date.now() - start);
    }
    log(`50-row list page (menu click to 50 rows): ${fmt(toList)}`);
    process.stdout.write(JSON.stringify({ initialJsGzipKB: Math.round(js.gzipBytes / 1024), coldSignIn: cold, toRecord200First: toFirstInput, toRecord200: toRecord, keystroke: keyTimes, list50: toList }) + '\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
