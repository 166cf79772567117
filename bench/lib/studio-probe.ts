// bench/lib/studio-probe: "interactive" measured inside the page, from the click event, for
// bench/studio.ts and bench/studio-profile.ts — not from the driver, whose own round trips and
// polling (Playwright's visibility checks back off to 500 ms steps after a miss) are not the app's.
//
// Definition: a navigation is **interactive** at the later of
//   - shown: the page's target element(s) are in the document (checked on every DOM mutation and
//     every animation frame), and
//   - the end of the last long task (≥ 50 ms, the Long Tasks API) that starts before a quiet window
//     of `quietMs` (500) with no long task has passed —
// i.e. the page is drawn and the main thread answers input within 50 ms from then on (TTI's rule
// with a 500 ms window instead of 5 s). A page that draws its first viewport and builds the rest in
// chunks under 50 ms is interactive when the first viewport is there; one that then commits the rest
// in one 300 ms task is interactive only after that task. Work deferred to later (a page left that
// is torn down while idle) counts if it falls inside the window.

import type { Page } from 'playwright-core';

export const quietMs = 500;

export interface Probe {
  /** ms from the click event to each selector first matching. */
  shown: Record<string, number>;
  /** ms from the click event to interactive (see above), for the selector named `target`. */
  interactive: number;
  /** The same, taking each selector that was shown as the target (e.g. the first input, and the last). */
  interactiveBy: Record<string, number>;
  /** Long tasks from the click on: start (ms after the click) and duration. */
  long: { start: number; duration: number }[];
  /** Main-thread time in long tasks between the click and interactive. */
  longBefore: number;
  /** API requests from the click on: ms after the click (start, end) — resource timing, in the page. */
  requests: { url: string; start: number; end: number }[];
}

/**
 * Before the click: in the page, note the click event's time, when each selector first matches (a
 * selector may end in `*N`: N elements), and every long task. Call `settle` after the click.
 */
export async function arm(page: Page, selectors: Record<string, string>): Promise<void> {
  await page.evaluate((sel) => {
    type W = { probe: { click?: number; seen: Record<string, number>; long: { start: number; end: number }[]; observer?: PerformanceObserver } };
    const w = window as unknown as W;
    w.probe?.observer?.disconnect();
    w.probe = { seen: {}, long: [] };
    const probe = w.probe;
    document.addEventListener('click', (e) => (probe.click ??= e.timeStamp || performance.now()), { capture: true, once: true });
    probe.observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => probe.long.push({ start: e.startTime, end: e.startTime + e.duration })));
    probe.observer.observe({ type: 'longtask' });
    const check = () => {
      for (const [name, s] of Object.entries(sel)) {
        const [css, count] = s.split('*') as [string, string | undefined];
        if (probe.seen[name] === undefined && probe.click !== undefined && document.querySelectorAll(css).length >= Number(count ?? 1)) probe.seen[name] = performance.now();
      }
    };
    const mutations = new MutationObserver(check);
    mutations.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'style', 'class'] });
    const frame = () => {
      check();
      if (Object.keys(probe.seen).length < Object.keys(sel).length) requestAnimationFrame(frame);
      else mutations.disconnect();
    };
    requestAnimationFrame(frame);
  }, selectors);
}

/** After the click: waits (polling every frame, in the page) until `target` is shown and `quietMs` passed without a long task, then reads the probe. */
export async function settle(page: Page, target: string, timeoutMs = 20_000): Promise<Probe> {
  await page.waitForFunction(
    ({ target, quiet }) => {
      const p = (window as unknown as { probe: { seen: Record<string, number>; long: { end: number }[] } }).probe;
      const shown = p.seen[target];
      if (shown === undefined) return false;
      const lastEnd = Math.max(shown, ...p.long.map((l) => l.end));
      return performance.now() - lastEnd >= quiet;
    },
    { target, quiet: quietMs },
    { polling: 'raf', timeout: timeoutMs },
  );
  return page.evaluate(
    ({ target, quiet }) => {
      const p = (window as unknown as { probe: { click: number; seen: Record<string, number>; long: { start: number; end: number }[] } }).probe;
      const long = p.long.filter((l) => l.end > p.click).sort((a, b) => a.start - b.start);
      const settled = (shown: number) => {
        let t = shown;
        for (const l of long) if (l.start < t + quiet) t = Math.max(t, l.end);
        return t;
      };
      const at = settled(p.seen[target]!);
      const requests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => r.startTime >= p.click && r.name.includes('/api/'))
        .map((r) => ({ url: r.name.replace(/^https?:\/\/[^/]+/, ''), start: Math.round(r.startTime - p.click), end: Math.round(r.responseEnd - p.click) }));
      return {
        shown: Object.fromEntries(Object.entries(p.seen).map(([k, v]) => [k, Math.round(v - p.click)])),
        interactive: Math.round(at - p.click),
        interactiveBy: Object.fromEntries(Object.entries(p.seen).map(([k, v]) => [k, Math.round(settled(v) - p.click)])),
        long: long.map((l) => ({ start: Math.round(l.start - p.click), duration: Math.round(l.end - l.start) })),
        longBefore: Math.round(long.filter((l) => l.start < at).reduce((a, l) => a + Math.min(l.end, at) - Math.max(l.start, p.click), 0)),
        requests,
      };
    },
    { target, quiet: quietMs },
  );
}
