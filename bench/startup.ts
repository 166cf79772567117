// bench/startup: start-up time and RSS of the server — compiled (`node dist/server/main.js serve`, what
// `npm start` runs) against the sources through tsx: the tsx command (`tsx engine/cli/main.ts serve`,
// what `npm start` ran before: a tsx process that starts node with its loader) and node with tsx's
// loader in the same process (`node --import tsx engine/cli/main.ts serve`, how the tests start it).
//
// Each variant has its own data folder, created by one start that is not measured (the store's
// tables, the first administrator; tsx's transform cache is warm after it). Then `runs` rounds; in
// each, every variant once, in an order that rotates from round to round: spawn → the port from the
// log line → GET /api/ready polled every 5 ms until 200. Start-up = spawn to that 200; RSS = the
// resident memory of the process tree (VmRSS from /proc, tsx's own process included) at that
// moment. Medians over the rounds. Then SIGTERM, and the next.
//
// Part of `npm run bench` (section "start-up"); alone: `npx tsx bench/startup.ts [--runs 5]`.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../scripts/build-server.ts';
import { loadAverage } from './lib/machine-load.ts';
import { int } from './lib/stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface StartupVariant {
  name: 'compiled' | 'tsx' | 'node --import tsx';
  command: string;
  argv: string[];
}

export const startupVariants: StartupVariant[] = [
  { name: 'compiled', command: 'node dist/server/main.js serve', argv: ['dist/server/main.js', 'serve'] },
  { name: 'tsx', command: 'tsx engine/cli/main.ts serve', argv: [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'engine/cli/main.ts', 'serve'] },
  { name: 'node --import tsx', command: 'node --import tsx engine/cli/main.ts serve', argv: ['--import', 'tsx', 'engine/cli/main.ts', 'serve'] },
];

export interface StartupResult {
  runs: number;
  buildMs: number;
  load: { before: string; after: string };
  variants: { variant: StartupVariant; startMs: number[]; listenMs: number[]; rssBytes: number[]; cpuMs: number[] }[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Descendants of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

/** CPU time (user + system) used so far by `pid` and its descendants, in ms (/proc/<pid>/stat; 10 ms ticks). */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / 100;
}

/** VmRSS of `pid` and every descendant, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      total += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

const admin = { email: 'startup-bench@example.com', password: 'Startup-Bench-Passw0rd!' };

/** One start: spawn → listening line → /api/ready 200; then SIGTERM and wait for the exit. */
async function startOnce(variant: StartupVariant, dataDir: string): Promise<{ startMs: number; listenMs: number; rssBytes: number; cpuMs: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CRM_ADMIN_EMAIL: admin.email, CRM_ADMIN_PASSWORD: admin.password };
  delete env['MONGODB_URI'];
  delete env['NODE_OPTIONS'];
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, variant.argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /on http:\/\/localhost:(\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      void exited.then((code) => reject(new Error(`${variant.command} exited (${code}) before listening:\n${out}\n${stderr}`)));
    });
    const listenMs = performance.now() - started;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/ready`).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const startMs = performance.now() - started;
    const measured = { startMs, listenMs, rssBytes: treeRss(child.pid!), cpuMs: treeCpuMs(child.pid!) };
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`${variant.command} exited ${code} on SIGTERM:\n${stderr}`);
    return measured;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function measureStartup(options: { runs: number; log: (line: string) => void; scratch: string }): Promise<StartupResult> {
  const { runs, log } = options;
  const before = loadAverage();
  log(`(start-up) building the server (load average ${before})`);
  const { ms: buildMs } = await buildServer();
  const variants = startupVariants.map((variant) => ({ variant, startMs: [] as number[], listenMs: [] as number[], rssBytes: [] as number[], cpuMs: [] as number[] }));
  const folders: string[] = [];
  try {
    for (const variant of startupVariants) {
      const folder = await mkdtemp(path.join(options.scratch, 'startup-'));
      folders.push(folder);
      log(`(start-up) ${variant.command}: first start on a new data folder (not measured)`);
      await startOnce(variant, folder);
    }
    for (let round = 0; round < runs; round += 1) {
      for (let k = 0; k < variants.length; k += 1) {
        const at = (round + k) % variants.length;
        const entry = variants[at]!;
        const result = await startOnce(entry.variant, folders[at]!);
        entry.startMs.push(result.startMs);
        entry.listenMs.push(result.listenMs);
        entry.rssBytes.push(result.rssBytes);
        entry.cpuMs.push(result.cpuMs);
        log(`(start-up) round ${round + 1} ${entry.variant.name.padEnd(18)} ready in ${int(result.startMs)} ms (listening at ${int(result.listenMs)} ms, CPU ${int(result.cpuMs)} ms), RSS ${(result.rssBytes / 2 ** 20).toFixed(0)} MB`);
      }
    }
  } finally {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  }
  return { runs, buildMs, load: { before, after: loadAverage() }, variants };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function reportStartup(s: StartupResult, out: string[]): void {
  const compiled = s.variants.find((v) => v.variant.name === 'compiled')!;
  const tsx = s.variants.find((v) => v.variant.name === 'tsx')!;
  out.push('## Start-up time and memory: compiled server vs tsx', '');
  out.push(
    `\`npm install\` builds the server with esbuild (\`scripts/build-server.ts\`, ${int(s.buildMs)} ms here) into \`dist/server/\`; \`npm start\` runs`,
    '`node dist/server/main.js serve`. Before, `npm start` ran `tsx engine/cli/main.ts serve` (a tsx process starting node with its loader,',
    'which compiles each TypeScript file as it is imported, from a cache after the first start); the tests start `node --import tsx`.',
    `Each variant restarts on a data folder of its own that one unmeasured start created (store, first administrator; tsx's cache warm). ${s.runs} rounds,`,
    'each starting every variant once in a rotating order. **Start-up = spawn → `GET /api/ready` answers 200** (polled every 5 ms);',
    '"listening" = spawn → the log line with the port. CPU = user + system time of the process tree until then (less sensitive to other work',
    'on the machine than the clock). RSS = resident memory of the process tree at that moment (tsx\'s own process included).',
    'Medians over the rounds; min–max beside them. The goal: the compiled server starts faster and holds less memory than tsx.',
    '',
    '| command | **start-up ms** (median) | min–max | listening ms | CPU ms | **RSS MB** (median) | min–max | goal |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const v of s.variants) {
    const goal = v === compiled ? `faster and smaller than tsx: ${median(v.startMs) < median(tsx.startMs) && median(v.rssBytes) < median(tsx.rssBytes) ? 'met' : '**missed**'}` : '(before)';
    out.push(
      `| \`${v.variant.command}\` | **${int(median(v.startMs))}** | ${int(Math.min(...v.startMs))}–${int(Math.max(...v.startMs))} | ${int(median(v.listenMs))} | ${int(median(v.cpuMs))} | **${mb(median(v.rssBytes))}** | ${mb(Math.min(...v.rssBytes))}–${mb(Math.max(...v.rssBytes))} | ${goal} |`,
    );
  }
  out.push(
    '',
    `Compiled ÷ tsx: start-up ${(median(compiled.startMs) / median(tsx.startMs)).toFixed(2)}, CPU ${(median(compiled.cpuMs) / median(tsx.cpuMs)).toFixed(2)}, RSS ${(median(compiled.rssBytes) / median(tsx.rssBytes)).toFixed(2)}. ` +
      `Machine load: load average ${s.load.before} before, ${s.load.after} after.`,
    '',
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--runs');
  const runs = index >= 0 ? Number(process.argv[index + 1]) : 5;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'crm-startup-'));
  try {
    const result = await measureStartup({ runs, log: (line) => process.stderr.write(`${line}\n`), scratch });
    const out: string[] = [];
    reportStartup(result, out);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
