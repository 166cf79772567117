// bench/studio-profile.ts — `npx tsx bench/studio-profile.ts [--runs 5] [--profile prefix] [--trace prefix]`:
// where the studio's time goes on the cold load of the sign-in page and the two navigations
// bench/studio.ts times (list → 200-field record page, record → 50-row list), in measures that hold on a busy machine: the renderer main thread's
// CPU time (CDP Performance.getMetrics ThreadTime) and its script / layout / style parts, DOM nodes,
// long tasks, the API requests on the way (resource timing, ms after the click) — beside in-page wall
// times from the click event: to the element shown, and to interactive (shown and no long task for
// 500 ms after: bench/lib/studio-probe.ts), without the driver's round trips. --profile writes CPU
// profiles of the last record navigation (click → first input, then the rest) and list navigation (read them with bench/profile-summary.ts; build the studio
// with `npx vite build --config studio/vite.config.ts --minify false` for readable names).

import { writeFileSync } from 'node:fs';
import { chromium, type CDPSession } from 'playwright-core';
import { startTestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { openBenchPage, seedStudioBench } from './lib/studio-fixture.ts';
import { arm, quietMs, settle } from './lib/studio-probe.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option('runs') ?? 5);
const profileOut = option('profile');
const traceOut = option('trace');
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const traceCategories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'];

type Metrics = Record<string, number>;
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}
const ms = (a: Metrics, b: Metrics, name: string) => ((b[name] ?? 0) - (a[name] ?? 0)) * 1000;

async function main(): Promise<void> {
  log(`load average before: ${loadAverage()}`);
  const server = await startTestServer();
  const wideId = await seedStudioBench(server);
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    // Cold load of the sign-in page: a fresh context (empty cache) each run, from navigation to the
    // "Sign in" button being enabled — main-thread CPU and its parts, the requests and their bytes.
    const cold: Record<string, number[]> = { wall: [], cpu: [], script: [], layout: [], style: [], requests: [], bytes: [] };
    for (let i = 0; i < runs; i++) {
      const fresh = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, locale: 'en-US' });
      const page = await fresh.newPage();
      const cdp = await fresh.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      const seen: { url: string; bytes: number }[] = [];
      page.on('requestfinished', async (r) => seen.push({ url: r.url(), bytes: (await r.sizes().catch(() => undefined))?.responseBodySize ?? 0 }));
      const m0 = await metrics(cdp);
      await page.goto('/');
      await page.waitForFunction(() => document.querySelector('button[type="submit"]') && !(document.querySelector('button[type="submit"]') as HTMLButtonElement).disabled);
      const m1 = await metrics(cdp);
      const wall = await page.evaluate(() => Math.round(performance.now()));
      cold.wall!.push(wall);
      cold.cpu!.push(ms(m0, m1, 'ThreadTime'));
      cold.script!.push(ms(m0, m1, 'ScriptDuration'));
      cold.layout!.push(ms(m0, m1, 'LayoutDuration'));
      cold.style!.push(ms(m0, m1, 'RecalcStyleDuration'));
      cold.requests!.push(seen.length);
      cold.bytes!.push(seen.reduce((a, r) => a + r.bytes, 0));
      await fresh.close();
    }
    log(`cold sign-in (median of ${runs}): in-page navigation→enabled button ~${median(cold.wall!)} ms; main-thread CPU ${median(cold.cpu!).toFixed(0)} ms (script ${median(cold.script!).toFixed(0)}, layout ${median(cold.layout!).toFixed(0)}, style ${median(cold.style!).toFixed(0)}); ${median(cold.requests!)} requests, ${(median(cold.bytes!) / 1024).toFixed(0)} KB`);

    const { page, cdp } = await openBenchPage(browser, server);
    await page.waitForTimeout(1500); // idle preloads finish (measurement only)

    const record: Record<string, number[]> = { first: [], last: [], interactive: [], cpuFirst: [], cpuAll: [], script: [], layout: [], style: [], nodes: [], longTotal: [] };
    for (let i = 0; i < runs; i++) {
      await page.goto('/v/wideList');
      await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
      await page.waitForTimeout(300);
      const name = `Wide ${String(i % 50).padStart(2, '0')}`;
      await arm(page, { first: '#f_s0_title', last: '[id^="f_s9"]' });
      const last = i === runs - 1;
      if (last && traceOut) await browser.startTracing(page, { path: `${traceOut}-record.json`, categories: traceCategories });
      if (last && profileOut) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const link = page.getByRole('link', { name, exact: true });
      await link.waitFor();
      const m0 = await metrics(cdp);
      await link.click();
      await page.waitForFunction(() => document.querySelector('#f_s0_title'), undefined, { polling: 'raf' });
      const m1 = await metrics(cdp);
      if (last && profileOut) {
        // The click to the first input in a profile of its own, the rest in the other.
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileOut}-record-first.cpuprofile`, JSON.stringify(profile));
        await cdp.send('Profiler.start');
      }
      const p = await settle(page, 'last');
      const m2 = await metrics(cdp);
      if (last && traceOut) await browser.stopTracing();
      if (last && profileOut) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileOut}-record.cpuprofile`, JSON.stringify(profile));
      }
      record.first!.push(p.shown['first'] ?? NaN);
      record.last!.push(p.shown['last'] ?? NaN);
      // Interactive: the first input shown and no long task for 500 ms after (the sections below the
      // first screen are built in steps; a step of 50 ms or more counts).
      record.interactive!.push(p.interactiveBy['first'] ?? NaN);
      record.cpuFirst!.push(ms(m0, m1, 'ThreadTime'));
      record.cpuAll!.push(ms(m0, m2, 'ThreadTime'));
      record.script!.push(ms(m0, m2, 'ScriptDuration'));
      record.layout!.push(ms(m0, m2, 'LayoutDuration'));
      record.style!.push(ms(m0, m2, 'RecalcStyleDuration'));
      record.nodes!.push(m2['Nodes'] ?? 0);
      record.longTotal!.push(p.long.reduce((a, l) => a + l.duration, 0));
      if (i === 0 || last) {
        log(`record run ${i}: in-page first ${p.shown['first']} ms, last ${p.shown['last']} ms, interactive ${p.interactiveBy['first']} ms (all built and quiet ${p.interactive} ms); long tasks ${JSON.stringify(p.long)}`);
        log(`  requests (ms after the click): ${JSON.stringify(p.requests)}`);
      }
    }
    log(`record page (median of ${runs}): in-page click→interactive ${median(record.interactive!)} ms (shown and no long task for ${quietMs} ms), →first input ${median(record.first!)} ms, →last ${median(record.last!)} ms; main-thread CPU to first input ${median(record.cpuFirst!).toFixed(0)} ms, to last ${median(record.cpuAll!).toFixed(0)} ms (script ${median(record.script!).toFixed(0)}, layout ${median(record.layout!).toFixed(0)}, style ${median(record.style!).toFixed(0)}); DOM nodes ${median(record.nodes!)}; long tasks total ${median(record.longTotal!)} ms`);

    const list: Record<string, number[]> = { rows: [], interactive: [], cpu: [], script: [], layout: [], style: [], nodes: [], longTotal: [] };
    for (let i = 0; i < runs; i++) {
      await page.goto(`/e/wide/${wideId}`);
      await page.locator('[id^="f_s9"]').last().waitFor();
      await page.waitForTimeout(300);
      await arm(page, { rows: 'tbody tr.ant-table-row*50' });
      if (i === runs - 1 && traceOut) await browser.startTracing(page, { path: `${traceOut}-list.json`, categories: traceCategories });
      if (i === runs - 1 && profileOut) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const entry = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Wide records' });
      await entry.waitFor();
      const m0 = await metrics(cdp);
      await entry.click();
      const p = await settle(page, 'rows');
      const m1 = await metrics(cdp);
      if (i === runs - 1 && traceOut) await browser.stopTracing();
      if (i === runs - 1 && profileOut) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileOut}-list.cpuprofile`, JSON.stringify(profile));
      }
      list.rows!.push(p.shown['rows'] ?? NaN);
      list.interactive!.push(p.interactive);
      list.cpu!.push(ms(m0, m1, 'ThreadTime'));
      list.script!.push(ms(m0, m1, 'ScriptDuration'));
      list.layout!.push(ms(m0, m1, 'LayoutDuration'));
      list.style!.push(ms(m0, m1, 'RecalcStyleDuration'));
      list.nodes!.push(m1['Nodes'] ?? 0);
      list.longTotal!.push(p.long.reduce((a, l) => a + l.duration, 0));
      if (i === 0 || i === runs - 1) {
        log(`list run ${i}: in-page 50 rows ${p.shown['rows']} ms, interactive ${p.interactive} ms; long tasks ${JSON.stringify(p.long)}`);
        log(`  requests (ms after the click): ${JSON.stringify(p.requests)}`);
      }
    }
    log(`list page (median of ${runs}): in-page click→interactive ${median(list.interactive!)} ms, →50 rows ${median(list.rows!)} ms; main-thread CPU ${median(list.cpu!).toFixed(0)} ms (script ${median(list.script!).toFixed(0)}, layout ${median(list.layout!).toFixed(0)}, style ${median(list.style!).toFixed(0)}); DOM nodes ${median(list.nodes!)}; long tasks total ${median(list.longTotal!)} ms`);
  } finally {
    await browser.close();
    await server.close();
    log(`load average after: ${loadAverage()}`);
  }
}

await main();
