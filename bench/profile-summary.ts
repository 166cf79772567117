// bench/profile-summary.ts — `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a
// server process spent its CPU time, from a V8 CPU profile written by `npm run bench -- --profile`.
// Prints self time by function and by file, and inclusive time (self plus callees) of the
// project's own functions — the figures the hot-spot notes in RESULTS.md are read from.

import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const argv = process.argv.slice(2);
// --cap: each sample counts at most twice the median sampling interval. A sample's time delta is wall
// time since the previous one: on a busy machine a thread taken off the CPU gets the whole pause charged
// to wherever it resumed (a syscall's return, typically) — the cap keeps such pauses out of the figures.
const capped = argv.includes('--cap');
const [file, topArg] = argv.filter((a) => a !== '--cap');
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [--cap]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const root = process.cwd();

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
const sortedDeltas = [...profile.timeDeltas].sort((a, b) => a - b);
const cap = capped ? 2 * (sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 0) : Infinity;
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + Math.min(cap, profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  return p.startsWith(root) ? path.relative(root, p) : p;
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const idle = new Set(['(idle)', '(program)', '(garbage collector)']);

function table(title: string, rows: Map<string, number>, limit: number): void {
  console.log(`\n${title}`);
  for (const [key, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
}

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
const busy = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = nodes.get(id)!;
  byFunction.set(label(n), (byFunction.get(label(n)) ?? 0) + us);
  const fileKey = idle.has(n.callFrame.functionName) ? n.callFrame.functionName : shortUrl(n.callFrame.url);
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
  busy.set(idle.has(n.callFrame.functionName) ? n.callFrame.functionName : 'busy', (busy.get(idle.has(n.callFrame.functionName) ? n.callFrame.functionName : 'busy') ?? 0) + us);
}

// Inclusive time: each sample counts once for every distinct frame (or file) on its stack.
const inclusive = new Map<string, number>();
const inclusiveByFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodes.get(cur)!;
    const url = shortUrl(n.callFrame.url);
    if (!n.callFrame.url || url.startsWith('node:') || url.startsWith('tsx/')) continue;
    if (!seen.has(url)) {
      seen.add(url);
      inclusiveByFile.set(url, (inclusiveByFile.get(url) ?? 0) + us);
    }
    if (!url.startsWith('engine/') && !url.startsWith('bench/')) continue;
    const key = label(n);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
table('Busy vs idle', busy, 5);
table('Self time by file', byFile, top);
table('Self time by function', byFunction, top);
table('Inclusive time by file (node_modules and project; a file counts once per sample)', inclusiveByFile, top);
table('Inclusive time of engine/ and bench/ functions', inclusive, top);
