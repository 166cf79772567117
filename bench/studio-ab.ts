// bench/studio-ab.ts — `npx tsx bench/studio-ab.ts --base <other checkout> [--rounds 12] [--trace prefix]`:
// an interleaved A/B of the studio's two in-app navigations (bench/studio.ts's list → 200-field record
// and record → 50-row list), this checkout's built studio against another checkout's (its own
// studio/dist, served by its own engine code), in one process and one browser, rounds alternating
// which goes first — on a shared machine the load moves within a run, so only ratios of medians taken
// this way mean anything. Per navigation: in-page click → target shown and → interactive
// (bench/lib/studio-probe.ts), main-thread CPU (CDP ThreadTime) from the click to interactive, and the
// time in long tasks. Each navigation starts as bench/studio.ts's do (the click right after the page
// before it is shown). Build both first (`npm run build:studio` in each).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type CDPSession, type Locator, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { openBenchPage, seedStudioBench } from './lib/studio-fixture.ts';
import { arm, settle } from './lib/studio-probe.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const baseDir = option('base');
if (!baseDir) throw new Error('usage: tsx bench/studio-ab.ts --base <other checkout> [--rounds 12]');
const rounds = Number(option('rounds') ?? 12);
const traceOut = option('trace');
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const showMarks = args.includes('--marks');
const verbose = args.includes('--verbose');
/** Performance marks named crm:… (temporary instrumentation of a build), ms after the click. */
async function marks(page: Page): Promise<string> {
  return page.evaluate(() => {
    const click = (window as unknown as { probe: { click: number } }).probe.click;
    return performance.getEntriesByType('mark').filter((m) => m.name.startsWith('crm:') && m.startTime >= click).map((m) => `${Math.round(m.startTime - click)} ${m.name.slice(4)}`).join(' | ');
  });
}
const traceCategories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'];

interface Side {
  name: string;
  server: TestServer;
  wideId: string;
  page: Page;
  cdp: CDPSession;
  figures: Record<string, number[]>;
}

async function threadTime(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
}

/** One measured click: probe armed, optional trace, main-thread time around it, the figures kept under `keys`. */
async function measureClick(side: Side, args: { kind: 'record' | 'list'; target: Locator; probe: Record<string, string>; shown: string; keys: readonly [string, string, string, string]; i: number; trace: boolean }): Promise<void> {
  const { page, cdp } = side;
  const { kind, shown, trace } = args;
  await page.evaluate(() => performance.clearMarks());
  await arm(page, args.probe);
  if (trace) await page.context().browser()!.startTracing(page, { path: `${traceOut}-${side.name}-${kind}.json`, categories: traceCategories });
  const c0 = await threadTime(cdp);
  await args.target.click();
  const p = await settle(page, shown);
  const c1 = await threadTime(cdp);
  if (trace) await page.context().browser()!.stopTracing();
  const [shownKey, interactiveKey, cpuKey, longKey] = args.keys;
  side.figures[shownKey]!.push(p.shown[shown]!);
  side.figures[interactiveKey]!.push(p.interactive);
  side.figures[cpuKey]!.push(c1 - c0);
  side.figures[longKey]!.push(p.long.filter((l) => l.start < p.interactive + 500).reduce((a, l) => a + l.duration, 0));
  if (showMarks) log(`  ${side.name} ${kind} marks: ${await marks(page)}`);
  if (trace || verbose || args.i < 2) log(`  ${side.name} ${kind}: ${shown} ${p.shown[shown]} interactive ${p.interactive} cpu ${(c1 - c0).toFixed(0)} long ${JSON.stringify(p.long)}`);
}

async function recordNavigation(side: Side, i: number, trace: boolean): Promise<void> {
  const { page } = side;
  await page.goto('/v/wideList');
  await page.locator('tbody tr.ant-table-row').nth(49).waitFor();
  const link = page.getByRole('link', { name: `Wide ${String(i % 50).padStart(2, '0')}`, exact: true });
  await link.waitFor();
  await measureClick(side, { kind: 'record', target: link, probe: { first: '#f_s0_title', last: '[id^="f_s9"]' }, shown: 'first', keys: ['recordFirst', 'recordInteractive', 'recordCpu', 'recordLong'], i, trace });
  await page.waitForFunction(() => document.querySelector('[id^="f_s9"]'), undefined, { polling: 'raf' });
}

async function listNavigation(side: Side, i: number, trace: boolean): Promise<void> {
  const { page } = side;
  await page.goto(`/e/wide/${side.wideId}`);
  await page.locator('[id^="f_s9"]').last().waitFor();
  const entry = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Wide records' });
  await entry.waitFor();
  await measureClick(side, { kind: 'list', target: entry, probe: { rows: 'tbody tr.ant-table-row*50' }, shown: 'rows', keys: ['listRows', 'listInteractive', 'listCpu', 'listLong'], i, trace });
}

async function main(): Promise<void> {
  log(`load average before: ${loadAverage()}`);
  const other = (await import(pathToFileURL(path.resolve(baseDir!, 'test/support/test-server.ts')).href)) as { startTestServer: typeof startTestServer };
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const sides: Side[] = [];
  try {
    for (const [name, start] of [['base', other.startTestServer], ['this', startTestServer]] as const) {
      const server = await start();
      const wideId = await seedStudioBench(server);
      const { page, cdp } = await openBenchPage(browser, server);
      sides.push({ name, server, wideId, page, cdp, figures: { recordFirst: [], recordInteractive: [], recordCpu: [], recordLong: [], listRows: [], listInteractive: [], listCpu: [], listLong: [] } });
    }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        await recordNavigation(side, r, Boolean(traceOut) && r === rounds - 1);
        await listNavigation(side, r, Boolean(traceOut) && r === rounds - 1);
      }
      log(`round ${r + 1}/${rounds} done, load ${loadAverage()}`);
    }
    const [base, mine] = sides as [Side, Side];
    log(`\n| | base | this | ratio |\n|---|---:|---:|---:|`);
    for (const key of Object.keys(base.figures)) {
      const a = median(base.figures[key]!);
      const b = median(mine.figures[key]!);
      log(`| ${key} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${a ? (b / a).toFixed(2) : '—'} |`);
    }
    log(JSON.stringify(Object.fromEntries(sides.map((s) => [s.name, s.figures]))));
  } finally {
    await browser.close();
    for (const s of sides) await s.server.close();
    log(`load average after: ${loadAverage()}`);
  }
}

await main();
