// bench/studio-profile.ts — `npx tsx bench/studio-profile.ts [--runs 5] [--profile prefix] [--trace prefix]`:
// where the studio's time goes on the cold load of the sign-in page and the two navigations
// bench/studio.ts times (list → 200-field record page, record → 50-row list), in measures that hold on a busy machine: the renderer main thread's
// CPU time (CDP Performance.getMetrics ThreadTime) and its script / layout / style parts, DOM nodes,
// long tasks, the API requests on the way (start, end, size) — beside in-page wall times (from the
// click event to the element shown, without the driver's round trips). --profile writes CPU
// profiles of the last record and list navigations (read it with bench/profile-summary.ts; build the studio
// with `npx vite build --config studio/vite.config.ts --minify false` for readable names).

import { writeFileSync } from 'node:fs';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { startTestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { seedStudioBench } from './lib/studio-fixture.ts';

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

/** In the page: the click's time, then when each selector first matched (polled every frame and on mutations). */
async function arm(page: Page, selectors: Record<string, string>): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as unknown as { probe: { click?: number; seen: Record<string, number>; long: { start: number; duration: number }[] } };
    w.probe = { seen: {}, long: [] };
    document.addEventListener('click', () => (w.probe.click ??= performance.now()), { capture: true, once: true });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.probe.long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask' });
    const check = () => {
      // A selector may end in `*N`: shown once N elements match.
      for (const [name, s] of Object.entries(sel)) {
        const [css, count] = s.split('*') as [string, string | undefined];
        if (w.probe.seen[name] === undefined && document.querySelectorAll(css).length >= Number(count ?? 1)) w.probe.seen[name] = performance.now();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true });
    const frame = () => {
      check();
      if (Object.keys(w.probe.seen).length < Object.keys(sel).length) requestAnimationFrame(frame);
      else observer.disconnect();
    };
    requestAnimationFrame(frame);
  }, selectors);
}
async function probe(page: Page): Promise<{ since: Record<string, number>; long: { start: number; duration: number }[] }> {
  return page.evaluate(() => {
    const p = (window as unknown as { probe: { click: number; seen: Record<string, number>; long: { start: number; duration: number }[] } }).probe;
    return {
      since: Object.fromEntries(Object.entries(p.seen).map(([k, v]) => [k, Math.round(v - p.click)])),
      long: p.long.filter((l) => l.start >= p.click - 1).map((l) => ({ start: Math.round(l.start - p.click), duration: Math.round(l.duration) })),
    };
  });
}

interface Req { url: string; start: number; end?: number; bytes?: number }
function watchRequests(page: Page): { since: (t0: number) => Req[]; reset: () => void } {
  let list: (Req & { t: number })[] = [];
  page.on('request', (r) => list.push({ url: r.url().replace(/^https?:\/\/[^/]+/, ''), start: 0, t: Date.now() }));
  page.on('requestfinished', async (r) => {
    const e = list.find((x) => x.url === r.url().replace(/^https?:\/\/[^/]+/, '') && x.end === undefined);
    if (!e) return;
    e.end = Date.now();
    e.bytes = (await r.sizes().catch(() => undefined))?.responseBodySize;
  });
  return {
    reset: () => (list = []),
    since: (t0) => list.map((x) => ({ url: x.url, start: x.t - t0, ...(x.end ? { end: x.end - t0 } : {}), ...(x.bytes !== undefined ? { bytes: x.bytes } : {}) })),
  };
}

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

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    // tsx keeps function names with a `__name` helper that page.evaluate's serialized code lacks.
    await context.addInitScript('globalThis.__name = (f) => f');
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const requests = watchRequests(page);
    const login = await context.request.post('/api/auth/login', { data: { email: server.admin!.email, password: server.admin!.password } });
    if (login.status() !== 200) throw new Error('sign-in failed');
    await page.goto('/v/wideList');
    await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
    await page.waitForTimeout(1500); // idle preloads finish (measurement only)

    const record: Record<string, number[]> = { first: [], last: [], cpuFirst: [], cpuAll: [], script: [], layout: [], style: [], nodes: [], longTotal: [] };
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
      const m0 = await metrics(cdp);
      requests.reset();
      const t0 = Date.now();
      await page.getByRole('link', { name, exact: true }).click();
      await page.locator('#f_s0_title').waitFor();
      const m1 = await metrics(cdp);
      await page.locator('[id^="f_s9"]').last().waitFor();
      await page.waitForTimeout(200);
      const m2 = await metrics(cdp);
      if (last && traceOut) await browser.stopTracing();
      if (last && profileOut) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileOut}-record.cpuprofile`, JSON.stringify(profile));
      }
      const p = await probe(page);
      record.first!.push(p.since['first'] ?? NaN);
      record.last!.push(p.since['last'] ?? NaN);
      record.cpuFirst!.push(ms(m0, m1, 'ThreadTime'));
      record.cpuAll!.push(ms(m0, m2, 'ThreadTime'));
      record.script!.push(ms(m0, m2, 'ScriptDuration'));
      record.layout!.push(ms(m0, m2, 'LayoutDuration'));
      record.style!.push(ms(m0, m2, 'RecalcStyleDuration'));
      record.nodes!.push(m2['Nodes'] ?? 0);
      record.longTotal!.push(p.long.reduce((a, l) => a + l.duration, 0));
      if (i === 0 || last) {
        log(`record run ${i}: in-page first ${p.since['first']} ms, last ${p.since['last']} ms; long tasks ${JSON.stringify(p.long)}`);
        log(`  requests: ${JSON.stringify(requests.since(t0).filter((r) => !r.url.startsWith('/assets/') || true))}`);
      }
    }
    log(`record page (median of ${runs}): in-page click→first input ${median(record.first!)} ms, →last ${median(record.last!)} ms; main-thread CPU to first input ${median(record.cpuFirst!).toFixed(0)} ms, to last ${median(record.cpuAll!).toFixed(0)} ms (script ${median(record.script!).toFixed(0)}, layout ${median(record.layout!).toFixed(0)}, style ${median(record.style!).toFixed(0)}); DOM nodes ${median(record.nodes!)}; long tasks total ${median(record.longTotal!)} ms`);

    const list: Record<string, number[]> = { rows: [], cpu: [], script: [], layout: [], style: [], nodes: [], longTotal: [] };
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
      const m0 = await metrics(cdp);
      requests.reset();
      const t0 = Date.now();
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Wide records' }).click();
      await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
      await page.waitForTimeout(200);
      const m1 = await metrics(cdp);
      if (i === runs - 1 && traceOut) await browser.stopTracing();
      if (i === runs - 1 && profileOut) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileOut}-list.cpuprofile`, JSON.stringify(profile));
      }
      const p = await probe(page);
      list.rows!.push(p.since['rows'] ?? NaN);
      list.cpu!.push(ms(m0, m1, 'ThreadTime'));
      list.script!.push(ms(m0, m1, 'ScriptDuration'));
      list.layout!.push(ms(m0, m1, 'LayoutDuration'));
      list.style!.push(ms(m0, m1, 'RecalcStyleDuration'));
      list.nodes!.push(m1['Nodes'] ?? 0);
      list.longTotal!.push(p.long.reduce((a, l) => a + l.duration, 0));
      if (i === 0 || i === runs - 1) {
        log(`list run ${i}: in-page 50 rows ${p.since['rows']} ms; long tasks ${JSON.stringify(p.long)}`);
        log(`  requests: ${JSON.stringify(requests.since(t0))}`);
      }
    }
    log(`list page (median of ${runs}): in-page click→50 rows ${median(list.rows!)} ms; main-thread CPU ${median(list.cpu!).toFixed(0)} ms (script ${median(list.script!).toFixed(0)}, layout ${median(list.layout!).toFixed(0)}, style ${median(list.style!).toFixed(0)}); DOM nodes ${median(list.nodes!)}; long tasks total ${median(list.longTotal!)} ms`);
  } finally {
    await browser.close();
    await server.close();
    log(`load average after: ${loadAverage()}`);
  }
}

await main();
