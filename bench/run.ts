// bench/run.ts — `npm run bench [-- --quick] [-- --profile]`: the engine's two benchmark figures from
// one run, written to bench/RESULTS.md.
//  (a) requests/s of create, get and a filtered list through the engine ÷ the same through a
//      hand-written express handler (bench/servers/baseline-server.ts) on the same embedded store,
//      side by side: both servers run as child processes, autocannon drives them from this process
//      with the same connections and duration, after a warm-up, in alternating rounds.
//  (b) p50/p95 of a filtered, sorted list at 10k, 100k and 1M records (10k and 100k with --quick),
//      with and without the index the engine derives from a view's filter and sort.
//  (s) start-up time and RSS of the compiled server against tsx (bench/startup.ts), run first.
// Options: --quick (10k/100k only), --duration <s> (per round of (a), default 3), --rounds <n> (default
// 11: with 5, single rounds swung ±0.15 and two credentials taking the same path differed by 0.25), --connections <n> (default 10), --only s|a|b|c (or any of them together, e.g. ab; (c) runs within (b), or alone
// with c: 1M records loaded straight away), --scenarios get,list,create, --profile (CPU profiles
// of the server processes into bench/profiles/<process>/; summarize with bench/profile-summary.ts),
// --startup-runs <n> (rounds of (s), default 5), --contention-rounds <n> (idle/busy rounds of (c), default 5), --keep (keep the data folders), --out <file> (default
// bench/RESULTS.md).

import { execSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ChildServer } from './lib/child.ts';
import { createBody, entityName, listAmountAbove, listFilter, listLimit, listPath, listSort, type Credentials } from './lib/deal.ts';
import { lastNon2xx, runLoad, type LoadResult, type LoadSpec } from './lib/load.ts';
import { loadAverage, machineCpu } from './lib/machine-load.ts';
import type { SeedResult } from './lib/seed.ts';
import { int, ms, percentile, summarize } from './lib/stats.ts';
import { measureStartup, reportStartup, type StartupResult } from './startup.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1]! : fallback;
};

const quick = flag('quick');
const profile = flag('profile');
const roundSeconds = Number(option('duration', '3'));
const rounds = Number(option('rounds', '11'));
const connections = Number(option('connections', '10'));
const only = option('only', 'sab');
const startupRuns = Number(option('startup-runs', '5'));
const scenarioNames = option('scenarios', 'get,list,create').split(',');
const authModes = option('auth', 'token,session').split(',') as AuthMode[];
const soakSeconds = Number(option('soak', '60'));
const outFile = path.resolve(option('out', path.join(benchDir, 'RESULTS.md')));
const warmupSeconds = 2;
const partASeed = 10_000;
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const profileDir = path.join(benchDir, 'profiles');
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;

const log = (line: string) => process.stderr.write(`${line}\n`);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
if (profile) mkdirSync(profileDir, { recursive: true });

function startChild(script: string, label: string): ChildServer {
  return ChildServer.start(new URL(script, import.meta.url), label, profile ? { cpuProfileDir: path.join(profileDir, label) } : {});
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------
// (a) engine ÷ hand-written handler

type AuthMode = 'token' | 'session';

interface Side {
  label: 'engine' | 'baseline';
  child: ChildServer;
  url: string;
  ids: string[];
  credentials: Credentials;
}

interface Scenario {
  name: string;
  auth: AuthMode;
  request: string;
  spec(side: Side): Omit<LoadSpec, 'url' | 'connections'>;
}

const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!;

/** What a client sends: an integration its bearer token; a browser its session cookie, plus the CSRF token on writes. */
function authHeaders(credentials: Credentials, auth: AuthMode, write: boolean): Record<string, string> {
  if (auth === 'token') return { authorization: `Bearer ${credentials.token}` };
  return { cookie: credentials.cookie, ...(write ? { 'x-csrf-token': credentials.csrfToken } : {}) };
}

const requestKinds = [
  { name: 'get', request: `GET /api/data/${entityName}/{random id}`, spec: (side: Side) => ({ pathFor: () => `/api/data/${entityName}/${pick(side.ids)}` }), write: false },
  { name: 'list', request: `GET /api/data/${entityName}?filter=${JSON.stringify(listFilter)}&sort=${listSort}&limit=${listLimit}`, spec: () => ({ path: listPath }), write: false },
  { name: 'create', request: `POST /api/data/${entityName}`, spec: () => ({ method: 'POST' as const, path: `/api/data/${entityName}`, body: createBody }), write: true },
];

const scenarios: Scenario[] = authModes.flatMap((auth) =>
  requestKinds.map((kind) => ({
    name: kind.name,
    auth,
    request: kind.request,
    spec: (side: Side) => ({ ...kind.spec(side), headers: authHeaders(side.credentials, auth, kind.write) }),
  })),
);

/** One measured round: autocannon's figures plus the CPU time used meanwhile, by the server, by the load generator and by everything else on the machine. */
interface Round extends LoadResult {
  /** Server process CPU (user + system) per 2xx response, in microseconds. */
  serverCpuUs: number;
  /** CPU use over the round in cores: the server, the load generator (this process), other processes. */
  serverCores: number;
  clientCores: number;
  otherCores: number;
}

interface ScenarioResult {
  scenario: Scenario;
  runs: Record<Side['label'], Round[]>;
}

async function measuredRound(side: Side, spec: Omit<LoadSpec, 'url' | 'connections'>): Promise<Round> {
  const serverBefore = await side.child.call<number>('cpu');
  const clientBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const result = await runLoad({ url: side.url, connections, duration: roundSeconds, ...spec });
  const machine = machineCpu();
  const client = process.cpuUsage(clientBefore);
  const serverS = ((await side.child.call<number>('cpu')) - serverBefore) / 1e6;
  const clientS = (client.user + client.system) / 1e6;
  return {
    ...result,
    latencies: [],
    serverCpuUs: (serverS * 1e6) / Math.max(1, result.ok),
    serverCores: serverS / result.seconds,
    clientCores: clientS / result.seconds,
    otherCores: Math.max(0, machine.busy - machineBefore.busy - serverS - clientS) / result.seconds,
  };
}

interface Combined {
  rps: number;
  cpuUs: number;
  ok: number;
  failed: number;
  p50: number;
  p95: number;
}

function combine(results: Round[]): Combined {
  const ok = results.reduce((a, r) => a + r.ok, 0);
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  return {
    rps: ok / seconds,
    cpuUs: results.reduce((a, r) => a + r.serverCpuUs * r.ok, 0) / ok,
    ok,
    failed: results.reduce((a, r) => a + r.failed, 0),
    p50: median(results.map((r) => r.p50)),
    p95: median(results.map((r) => r.p95)),
  };
}

/** Round i of the engine against round i of the baseline: they ran back to back, under the same conditions. */
function pairRatios(result: ScenarioResult): { rps: number[]; cpu: number[] } {
  const { engine, baseline } = result.runs;
  return {
    rps: engine.map((e, i) => e.rps / baseline[i]!.rps),
    cpu: engine.map((e, i) => baseline[i]!.serverCpuUs / e.serverCpuUs),
  };
}

interface Memory {
  rss: number;
  heapUsed: number;
}

interface PartA {
  results: ScenarioResult[];
  commitMs: ReturnType<typeof summarize>;
  load: { before: string; after: string };
  /** Engine process memory: right after start and seeding, and while serving each scenario (sampled mid-round). */
  memory: { idle: Memory; underLoad: Memory[] };
  soak?: Soak;
}

async function partA(): Promise<PartA> {
  const before = loadAverage();
  log(`(a) starting engine and baseline servers, ${int(partASeed)} records each (load average ${before})`);
  const sides: Side[] = [];
  for (const [label, script] of [['baseline', './servers/baseline-server.ts'], ['engine', './servers/engine-server.ts']] as const) {
    const child = startChild(script, `a-${label}`);
    const { url } = await child.call<{ url: string }>('start', { dataDir: path.join(scratch, `a-${label}`), withView: true });
    const seeded = await child.call<SeedResult>('seed', { from: 0, to: partASeed, sampleSize: 2000 });
    const credentials = await child.call<Credentials>('credentials');
    sides.push({ label, child, url, ids: seeded.sampleIds, credentials });
  }
  const engineSide = sides.find((s) => s.label === 'engine')!;
  const idle = await engineSide.child.call<Memory>('memory');
  const underLoad: Memory[] = [];
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios.filter((s) => scenarioNames.includes(s.name))) {
    const runs: ScenarioResult['runs'] = { engine: [], baseline: [] };
    for (const side of sides) {
      log(`(a) ${scenario.name} (${scenario.auth}): warm-up ${side.label} ${warmupSeconds} s`);
      const warm = await runLoad({ url: side.url, connections, duration: warmupSeconds, ...scenario.spec(side) });
      if (warm.ok === 0) throw new Error(`${side.label} answered no 2xx to ${scenario.name} (${scenario.auth}): ${JSON.stringify([...lastNon2xx])}`);
    }
    for (let round = 0; round < rounds; round += 1) {
      // Alternating order (B E, E B, B E, …): neither side always goes first.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const sample = side.label === 'engine' && round === 0 ? sampleMemoryMidway(side.child) : undefined;
        const r = await measuredRound(side, scenario.spec(side));
        if (sample) underLoad.push(await sample);
        log(
          `(a) ${scenario.name} ${scenario.auth} round ${round + 1} ${side.label.padEnd(8)} ${int(r.rps).padStart(6)} req/s  p50 ${ms(r.p50)} p95 ${ms(r.p95)} ms  ` +
            `server ${int(r.serverCpuUs)} µs/req  cores: server ${r.serverCores.toFixed(2)} client ${r.clientCores.toFixed(2)} other ${r.otherCores.toFixed(2)}  non-2xx ${r.failed}`,
        );
        runs[side.label].push(r);
      }
    }
    results.push({ scenario, runs });
  }
  const baseline = sides.find((s) => s.label === 'baseline')!;
  const commitMs = summarize((await baseline.child.call<{ ms: number[] }>('timeCommits', { iterations: 300 })).ms);
  await baseline.child.stop();
  const soak = soakSeconds > 0 ? await runSoak(engineSide, soakSeconds) : undefined;
  await engineSide.child.stop();
  return { results, commitMs, load: { before, after: loadAverage() }, memory: { idle, underLoad }, ...(soak ? { soak } : {}) };
}

/** The engine's memory halfway through a round. */
async function sampleMemoryMidway(child: ChildServer): Promise<Memory> {
  await new Promise((resolve) => setTimeout(resolve, (roundSeconds * 1000) / 2));
  return child.call<Memory>('memory');
}

// ---------------------------------------------------------------------------------------------
// Soak: constant mixed load (token get / list / create at a fixed rate) and the engine's RSS over time.

interface Soak {
  seconds: number;
  rate: number;
  samples: { at: number; rss: number; heapUsed: number }[];
  ok: number;
  failed: number;
}

async function runSoak(side: Side, seconds: number): Promise<Soak> {
  const rate = 300;
  log(`(soak) ${seconds} s of constant load, ${rate} req/s (get, list and create by token) against the engine`);
  const kinds = requestKinds.map((kind) => ({ ...kind.spec(side), headers: authHeaders(side.credentials, 'token', kind.write) }));
  const samples: Soak['samples'] = [];
  const started = Date.now();
  let ok = 0;
  let failed = 0;
  const sliceSeconds = 10;
  for (let slice = 0; slice * sliceSeconds < seconds; slice += 1) {
    const kind = kinds[slice % kinds.length]!;
    const result = await runLoad({ url: side.url, connections: 4, duration: Math.min(sliceSeconds, seconds - slice * sliceSeconds), rate: rate / 4, ...kind });
    ok += result.ok;
    failed += result.failed;
    if (slice % kinds.length !== kinds.length - 1) continue; // one sample per full cycle of the three kinds
    const memory = await side.child.call<Memory>('memory');
    samples.push({ at: (Date.now() - started) / 1000, rss: memory.rss, heapUsed: memory.heapUsed });
    log(`(soak) ${Math.round((Date.now() - started) / 1000)} s: RSS ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} MB`);
  }
  return { seconds, rate, samples, ok, failed };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

// ---------------------------------------------------------------------------------------------
// (b) list latency by size, with and without the metadata-derived index

interface Measure {
  http: ReturnType<typeof summarize>;
  raw: ReturnType<typeof summarize>;
  plan: string[];
}

interface SizeResult {
  size: number;
  matching: number;
  loadMs: number;
  loaded: number;
  indexBuildMs: number;
  without: Measure;
  with: Measure;
}

/**
 * HTTP (autocannon, one connection, a fixed number of requests) and the raw store query, in
 * alternating chunks so that both see the same machine conditions; sized to a time budget.
 */
async function measureList(child: ChildServer, url: string, headers: Record<string, string>, budgetSeconds: number, maxRequests: number): Promise<Measure> {
  const plan = await child.call<string[]>('explain');
  const probe = await runLoad({ url, path: listPath, headers, connections: 1, amount: 5 }); // warm-up and a first estimate
  const total = Math.max(32, Math.min(maxRequests, Math.floor((budgetSeconds * 1000) / 2 / Math.max(probe.mean, 0.05))));
  const chunks = 4;
  const http: number[] = [];
  const raw: number[] = [];
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    const result = await runLoad({ url, path: listPath, headers, connections: 1, amount: Math.ceil(total / chunks) });
    if (result.failed > 0) throw new Error(`list answered ${result.failed} non-2xx responses: ${JSON.stringify([...lastNon2xx])}`);
    http.push(...result.latencies);
    raw.push(...(await child.call<{ ms: number[] }>('rawQuery', { iterations: Math.ceil(total / chunks), warmup: 1 })).ms);
  }
  return { http: summarize(http), raw: summarize(raw), plan };
}

interface PartB {
  sizes: SizeResult[];
  load: { before: string; after: string };
  busyCores: number;
  /** Engine RSS after loading the largest size (and building its index). */
  memoryLoaded: Memory;
  contention: Contention;
}

async function partB(): Promise<PartB> {
  const before = loadAverage();
  const machineBefore = machineCpu();
  log(`(b) starting the engine on a fresh data folder (load average ${before})`);
  const child = startChild('./servers/engine-server.ts', 'b-engine');
  const { url } = await child.call<{ url: string }>('start', { dataDir: path.join(scratch, 'b-engine'), withView: false });
  const headers = authHeaders(await child.call<Credentials>('credentials'), 'token', false);
  const results: SizeResult[] = [];
  let ids: string[] = [];
  let loaded = 0;
  for (const size of sizes) {
    // Load without the index (inserts stay fast), measure, then let metadata build the index.
    await child.call('setListIndex', { on: false });
    log(`(b) loading records ${int(loaded)} → ${int(size)} through the store`);
    const seeded = await child.call<SeedResult>('seed', { from: loaded, to: size, sampleSize: 2000 });
    ids = seeded.sampleIds;
    const loadedNow = size - loaded;
    loaded = size;
    const { matching } = await child.call<{ matching: number }>('countMatching');
    const without = await measureList(child, url, headers, size >= 1_000_000 ? 24 : 10, 400);
    log(`(b) ${int(size)} without index: HTTP p50 ${ms(without.http.p50)} p95 ${ms(without.http.p95)} ms, raw p50 ${ms(without.raw.p50)} p95 ${ms(without.raw.p95)} ms (${without.http.n} requests)`);
    const { ms: indexBuildMs, indexes } = await child.call<{ ms: number; indexes: string[] }>('setListIndex', { on: true });
    if (!indexes.includes('v_openDealsByAmount')) throw new Error(`the view did not produce its index: ${indexes.join(', ')}`);
    const withIndex = await measureList(child, url, headers, 6, 2000);
    log(`(b) ${int(size)} with index (built in ${int(indexBuildMs)} ms): HTTP p50 ${ms(withIndex.http.p50)} p95 ${ms(withIndex.http.p95)} ms, raw p50 ${ms(withIndex.raw.p50)} p95 ${ms(withIndex.raw.p95)} ms (${withIndex.http.n} requests)`);
    results.push({ size, matching, loadMs: seeded.ms, loaded: loadedNow, indexBuildMs, without, with: withIndex });
  }
  const memoryLoaded = await child.call<Memory>('memory');
  const contention = await measureContention(url, headers, ids, sizes[sizes.length - 1]!);
  await child.stop();
  const machine = machineCpu();
  return {
    sizes: results, load: { before, after: loadAverage() }, busyCores: (machine.busy - machineBefore.busy) / ((machine.total - machineBefore.total) / os.availableParallelism()),
    memoryLoaded, contention,
  };
}

// ---------------------------------------------------------------------------------------------
// (c) an indexed read while another client runs unindexed filters in a loop

/** Part (c) alone (`--only c`): a fresh engine, the largest size loaded at once, the view's index built, then the contention figures. */
async function partC(): Promise<Contention> {
  const size = sizes[sizes.length - 1]!;
  log(`(c) starting the engine on a fresh data folder, loading ${int(size)} records (load average ${loadAverage()})`);
  const child = startChild('./servers/engine-server.ts', 'c-engine');
  const { url } = await child.call<{ url: string }>('start', { dataDir: path.join(scratch, 'c-engine'), withView: false });
  const headers = authHeaders(await child.call<Credentials>('credentials'), 'token', false);
  const seeded = await child.call<SeedResult>('seed', { from: 0, to: size, sampleSize: 2000 });
  const { indexes } = await child.call<{ ms: number; indexes: string[] }>('setListIndex', { on: true });
  if (!indexes.includes('v_openDealsByAmount')) throw new Error(`the view did not produce its index: ${indexes.join(', ')}`);
  const contention = await measureContention(url, headers, seeded.sampleIds, size);
  await child.stop();
  return contention;
}

/** The analyst's ad-hoc query: no index serves this filter or this sort, so SQLite scans every record. */
const unindexedPath = `/api/data/${entityName}?filter=${encodeURIComponent(JSON.stringify({ probability: { $gte: 50 }, closeDate: { $lt: '2026-01-01' } }))}&sort=-closeDate,name&limit=50`;

/** Rounds of (c): each round measures the idle server, then the same requests while the analyst loops. */
const contentionRounds = Number(option('contention-rounds', '5'));
if (!Number.isInteger(contentionRounds) || contentionRounds < 1) throw new Error(`--contention-rounds must be a whole number ≥ 1, got ${option('contention-rounds', '5')}`);
const contentionRequests = 1000;

type ReadKind = 'get' | 'list';
interface LatencySummary { p50: number; p95: number; n: number }

interface Contention {
  size: number;
  rounds: number;
  /** All rounds' samples together, per request kind. */
  idle: Record<ReadKind, LatencySummary>;
  busy: Record<ReadKind, LatencySummary>;
  /** p95 busy ÷ p95 idle of each round, in round order. */
  roundRatios: Record<ReadKind, number[]>;
  /** What the analyst's loop got meanwhile: answers by status. */
  slow: { ok: number; failed: number; statuses: Record<string, number>; p50: number };
  load: { before: string; after: string };
}

/**
 * Idle and busy alternate in rounds, as (a) alternates its two servers: a p95 of a sub-millisecond read swings with whatever
 * else the machine does in that second (a single idle-then-busy pair gave 1.14× in one run and 2.12× in the next, same code),
 * so the verdict is the median of the rounds' ratios, each ratio taken from an idle and a busy phase seconds apart.
 */
async function measureContention(url: string, headers: Record<string, string>, ids: string[], size: number): Promise<Contention> {
  const spec = (kind: ReadKind, amount = contentionRequests) => kind === 'get'
    ? { url, headers, connections: 1, amount, pathFor: () => `/api/data/${entityName}/${pick(ids)}` }
    : { url, headers, connections: 1, amount, path: listPath };
  log(`(c) ${int(size)} records: indexed GET and list, idle then while a client loops the unindexed filter (2 connections), ${contentionRounds} rounds`);
  // Warm-up (compiled code, caches), unmeasured: with --only c the server has just been loaded.
  await runLoad(spec('get', 200));
  await runLoad(spec('list', 200));
  const loadBefore = loadAverage();
  const samples = { idle: { get: [] as number[], list: [] as number[] }, busy: { get: [] as number[], list: [] as number[] } };
  const roundRatios: Record<ReadKind, number[]> = { get: [], list: [] };
  const statuses = new Map<number, number>();
  let slowOk = 0;
  let slowFailed = 0;
  const slowTimes: number[] = [];
  const measureIdle = async () => ({ get: await runLoad(spec('get')), list: await runLoad(spec('list')) });
  for (let round = 0; round < contentionRounds; round += 1) {
    // Odd rounds measure idle after busy, even rounds before: what a busy phase leaves behind (caches, GC) falls on both sides.
    const idleFirst = round % 2 === 0;
    const idleBefore = idleFirst ? await measureIdle() : undefined;
    // The analyst: two connections, each sending the unindexed query again as soon as it is answered.
    let stop = false;
    const analyst = async () => {
      while (!stop) {
        const started = performance.now();
        const res = await fetch(`${url}${unindexedPath}`, { headers });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.ok) {
          slowOk += 1;
          slowTimes.push(performance.now() - started);
        } else slowFailed += 1;
      }
    };
    const loops = [analyst(), analyst()];
    await new Promise((resolve) => setTimeout(resolve, 500)); // let both get going
    const busy = { get: await runLoad(spec('get')), list: await runLoad(spec('list')) };
    stop = true;
    await Promise.all(loops);
    const idle = idleBefore ?? (await measureIdle());
    for (const kind of ['get', 'list'] as const) {
      samples.idle[kind].push(...idle[kind].latencies);
      samples.busy[kind].push(...busy[kind].latencies);
      roundRatios[kind].push(busy[kind].p95 / idle[kind].p95);
    }
    log(`(c) round ${round + 1}: GET p95 ${ms(idle.get.p95)} → ${ms(busy.get.p95)} ms, list p95 ${ms(idle.list.p95)} → ${ms(busy.list.p95)} ms`);
  }
  const pooled = (values: number[]): LatencySummary => {
    const sorted = [...values].sort((x, y) => x - y);
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), n: sorted.length };
  };
  log(`(c) unindexed answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  return {
    size, rounds: contentionRounds,
    idle: { get: pooled(samples.idle.get), list: pooled(samples.idle.list) },
    busy: { get: pooled(samples.busy.get), list: pooled(samples.busy.list) },
    roundRatios,
    slow: { ok: slowOk, failed: slowFailed, statuses: Object.fromEntries(statuses), p50: summarize(slowTimes).p50 },
    load: { before: loadBefore, after: loadAverage() },
  };
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md

function machine(): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const db = new Database(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  let disk = 'unknown';
  try {
    disk = execSync(`df -T ${JSON.stringify(scratch)} | tail -1 | awk '{print $2}'`, { encoding: 'utf8' }).trim();
  } catch {
    // keep 'unknown'
  }
  let revision = 'unknown';
  try {
    const head = execSync('git rev-parse --short HEAD', { encoding: 'utf8', cwd: benchDir }).trim();
    const dirty = execSync('git status --porcelain -- engine', { encoding: 'utf8', cwd: path.join(benchDir, '..') }).trim().split('\n').filter(Boolean).length;
    revision = `${head}${dirty ? ` plus ${dirty} uncommitted change${dirty === 1 ? '' : 's'} under engine/ (work in progress in the shared tree)` : ''}`;
  } catch {
    // not a git checkout
  }
  return [
    `- Code: commit ${revision}`,
    `- CPU: ${cpu} (from /proc/cpuinfo), nproc ${os.availableParallelism()}`,
    `- RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()}; data folders under ${os.tmpdir()} (${disk})`,
    `- Node ${process.version}, SQLite ${sqlite} (better-sqlite3), autocannon 9.0.0`,
  ];
}

const verdict = (met: boolean) => (met ? 'met' : '**missed**');
const ratios = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');

function reportA(a: PartA, out: string[]): void {
  out.push('## (a) Engine ÷ hand-written express handler, requests/s', '');
  out.push(
    `Both servers hold ${int(partASeed)} records loaded through the store. The baseline (\`bench/servers/baseline-server.ts\`) is what a team would`,
    'write for this one entity: `express.json`, an ajv 2020 validator compiled once at start-up from a hand-written schema (with',
    'ajv-formats), and the same `Store` port from `openStore` (same SQLite settings) — `transaction(insert)`, `get`, and `find` with a filter',
    'tree built by hand. Both lists use the same index: the engine derives it from a view, the baseline declares it in `syncCollection`.',
    'The baseline has no security headers (the engine sends helmet\'s), no ETag header of its own, no pagination cursor, no audit trail.',
    '',
    `Load: autocannon, ${connections} connections, pipelining 1; per scenario a ${warmupSeconds} s warm-up of each server, then ${rounds} rounds of ${roundSeconds} s per server`,
    'in alternating order (baseline then engine, engine then baseline, …). **Ratio = median over rounds of (engine req/s ÷ baseline req/s in the',
    'same round)** — the two runs of a round are back to back, so they share the machine\'s conditions. "pooled" = all 2xx ÷ all seconds.',
    '"CPU/req" = the server process\'s user+system CPU time per 2xx response (a measure of work that is less sensitive to contention than req/s;',
    'its ratio is baseline ÷ engine, so below 1 means the engine spends more).',
    '',
  );
  out.push('| scenario | credential | baseline req/s | engine req/s | **engine ÷ baseline** (median of rounds) | per round | pooled | target ≥ 0.90 | CPU/req baseline / engine µs | CPU ratio | p50 / p95 ms baseline | p50 / p95 ms engine |');
  out.push('|---|---|---:|---:|---:|---|---:|---|---:|---:|---:|---:|');
  for (const result of a.results) {
    const base = combine(result.runs.baseline);
    const eng = combine(result.runs.engine);
    const pairs = pairRatios(result);
    const ratio = median(pairs.rps);
    out.push(
      `| ${result.scenario.name} | ${result.scenario.auth === 'token' ? 'API token' : 'session cookie (+ CSRF on writes)'} | ${int(base.rps)} | ${int(eng.rps)} | **${ratio.toFixed(2)}** | ${ratios(pairs.rps)} | ${(eng.rps / base.rps).toFixed(2)} | ${verdict(ratio >= 0.9)} | ${int(base.cpuUs)} / ${int(eng.cpuUs)} | ${(base.cpuUs / eng.cpuUs).toFixed(2)} | ${ms(base.p50)} / ${ms(base.p95)} | ${ms(eng.p50)} / ${ms(eng.p95)} |`,
    );
  }
  out.push('');
  for (const kind of requestKinds) out.push(`- ${kind.name}: \`${kind.request}\``);
  const failures = a.results.flatMap(({ scenario, runs }) => (['baseline', 'engine'] as const).map((s) => [`${scenario.name} (${scenario.auth})`, s, combine(runs[s]).failed] as const)).filter(([, , n]) => n > 0);
  out.push('', failures.length === 0 ? 'Every response in every round was 2xx.' : `Non-2xx responses: ${failures.map(([n, s, f]) => `${n}/${s} ${f}`).join(', ')}.`, '');
  const cores = (rounds: Round[], f: (r: Round) => number) => `${Math.min(...rounds.map(f)).toFixed(2)}–${Math.max(...rounds.map(f)).toFixed(2)}`;
  out.push(
    `Machine load: load average ${a.load.before} before, ${a.load.after} after. CPU used during the rounds, in cores of ${os.availableParallelism()} (min–max over rounds):`,
    '',
    '| scenario | server (baseline / engine) | load generator | everything else (other work on the machine, kernel I/O not charged to a process) |',
    '|---|---|---|---|',
    ...a.results.map(({ scenario, runs }) => {
      const all = [...runs.baseline, ...runs.engine];
      return `| ${scenario.name} (${scenario.auth}) | ${cores(runs.baseline, (r) => r.serverCores)} / ${cores(runs.engine, (r) => r.serverCores)} | ${cores(all, (r) => r.clientCores)} | ${cores(all, (r) => r.otherCores)} |`;
    }),
    '',
    `The floor under any create here: one store transaction holding one insert, committed one after another, takes p50 ${ms(a.commitMs.p50)} ms, p95 ${ms(a.commitMs.p95)} ms`,
    `(${a.commitMs.n} commits, in the baseline process) — mostly the WAL fsync of \`synchronous=FULL\`. better-sqlite3 is synchronous, so that fsync holds the`,
    'event loop: creates in one process never overlap, whichever code issues them.',
    '',
  );
}

function reportMemory(a: PartA | undefined, b: PartB | undefined, out: string[]): void {
  out.push('## Memory of the engine process', '');
  out.push('RSS (resident set size) and V8 heap in use, after a full GC (the server runs with `--expose-gc`; the probe calls `gc()` first).', '');
  out.push('| when | RSS MB | heap used MB |', '|---|---:|---:|');
  if (a) {
    out.push(`| idle, after start and ${int(partASeed)} records (part a) | ${mb(a.memory.idle.rss)} | ${mb(a.memory.idle.heapUsed)} |`);
    const peak = a.memory.underLoad.reduce((m, x) => (x.rss > m.rss ? x : m), a.memory.underLoad[0] ?? a.memory.idle);
    out.push(`| under load: highest of the mid-round samples of part (a), ${connections} connections | ${mb(peak.rss)} | ${mb(peak.heapUsed)} |`);
  }
  if (b) out.push(`| after loading ${int(b.sizes[b.sizes.length - 1]!.size)} records and building the list index (part b) | ${mb(b.memoryLoaded.rss)} | ${mb(b.memoryLoaded.heapUsed)} |`);
  out.push('');
  const soak = a?.soak;
  if (soak && soak.samples.length > 0) {
    const first = soak.samples[0]!;
    const last = soak.samples[soak.samples.length - 1]!;
    const half = soak.samples.slice(Math.floor(soak.samples.length / 2));
    const growth = last.rss - first.rss;
    out.push(
      `Soak: ${soak.seconds} s of constant load on the part (a) engine — ${soak.rate} req/s over 4 connections, 10 s slices cycling token get, list and create`,
      `(${int(soak.ok)} answered 2xx, ${int(soak.failed)} not) — RSS after each full cycle (30 s), after a GC:`,
      '',
      `| t (s) | ${soak.samples.map((x) => Math.round(x.at)).join(' | ')} |`,
      `|---|${soak.samples.map(() => '---:').join('|')}|`,
      `| RSS MB | ${soak.samples.map((x) => mb(x.rss)).join(' | ')} |`,
      `| heap MB | ${soak.samples.map((x) => mb(x.heapUsed)).join(' | ')} |`,
      '',
      `RSS first → last sample: ${mb(first.rss)} → ${mb(last.rss)} MB (${growth >= 0 ? '+' : ''}${(growth / 2 ** 20).toFixed(1)} MB); over the second half it ranged ${mb(Math.min(...half.map((x) => x.rss)))}–${mb(Math.max(...half.map((x) => x.rss)))} MB.`,
      `Target: no growth at constant load${soak.seconds < 600 ? ` — **this run soaked ${soak.seconds} s, not the 10 minutes of the goal** (\`npm run bench -- --only a --soak 600\` for that)` : ''}. `
        + `Verdict: ${growth <= 8 * 2 ** 20 ? 'no growth beyond 8 MB (met)' : '**grew by more than 8 MB (missed)**'}.`,
      '',
    );
  }
}

function reportC(c: Contention, out: string[]): void {
  out.push(`## (c) An indexed read while another client runs an unindexed filter in a loop, ${int(c.size)} records`, '');
  out.push(
    `One client (autocannon, 1 connection) reads a record by id, then the indexed list, ${int(contentionRequests)} requests each; another client loops, on 2 connections,`,
    `\`GET ${decodeURIComponent(unindexedPath)}\` — no index serves that filter or sort, so SQLite scans every record and sorts the matches.`,
    `Both with the same API token. ${c.rounds} rounds, each measuring the first client alone (idle) and while the loop runs (busy) — idle first in odd rounds, last in even ones.`,
    '**Ratio = median over rounds of (busy p95 ÷ idle p95 of the same round)**; p50/p95 columns pool every round\'s samples.',
    '',
    '| request | idle p50 / p95 ms | **while the unindexed loop runs: p50 / p95 ms** | **p95 busy ÷ idle** (median of rounds) | per round | pooled | target ≤ 2× |',
    '|---|---:|---:|---:|---|---:|---|',
  );
  for (const name of ['get', 'list'] as const) {
    const ratios = c.roundRatios[name];
    const sorted = [...ratios].sort((x, y) => x - y);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    const pooled = c.busy[name].p95 / c.idle[name].p95;
    out.push(`| ${name === 'get' ? 'GET by id' : 'indexed list'} | ${ms(c.idle[name].p50)} / ${ms(c.idle[name].p95)} | **${ms(c.busy[name].p50)} / ${ms(c.busy[name].p95)}** | **${median.toFixed(2)}** | ${ratios.map((r) => r.toFixed(2)).join(', ')} | ${pooled.toFixed(2)} | ${verdict(median <= 2)} |`);
  }
  out.push(
    '',
    `The unindexed loop meanwhile: ${int(c.slow.ok)} answered 2xx (p50 ${ms(c.slow.p50)} ms), ${int(c.slow.failed)} not; statuses ${JSON.stringify(c.slow.statuses)}.`,
    `Machine load: load average ${c.load.before} before, ${c.load.after} after.`,
    '',
  );
}

function reportB(b: PartB, out: string[]): void {
  out.push('## (b) Filtered, sorted list: latency by size, with and without the metadata-derived index', '');
  out.push(
    `Query: \`GET /api/data/${entityName}?filter=${JSON.stringify(listFilter)}&sort=${listSort}&limit=${listLimit}\` (URL-encoded) — open deals above ${int(listAmountAbove)}, largest first, ${listLimit} a page`,
    `(the engine reads ${listLimit + 1} rows to know whether there is a next page).`,
    '',
    '- Records are loaded **straight through the store port in batched transactions of 5,000 inserts** (`bench/lib/seed.ts`), not over HTTP;',
    '  they hold the same values and system fields as records the engine creates, but have no audit entries. The data set grows in place',
    '  (10k, then 90k more, then 900k more), each step loaded while the list index is absent.',
    '- **with index**: the view `openDealsByAmount` (filter `{"stage": "open"}`, sort `-amount`) is applied as metadata; from it the engine derives',
    '  the expression index (stage, amount DESC, id) and creates it. **without**: the same entity with that view removed, so the engine has dropped',
    '  the index (the table keeps only its primary key). "index build" is the whole metadata change: check, compile, CREATE INDEX, new revision.',
    '- **HTTP latency: autocannon, 1 connection, a fixed number of requests** (one request in flight: no queueing), after 5 warm-up requests;',
    '  p50/p95 are exact nearest-rank percentiles of every response time (autocannon\'s own percentile table has no p95).',
    '- **Raw store time**: `store.find()` with the same filter tree, sort and limit, in a loop inside the server process, timed with',
    '  `process.hrtime` — SQL plus decoding the rows\' JSON; no HTTP, filter parsing or response shaping. HTTP and raw samples are taken in',
    '  four alternating chunks so that both see the same machine conditions.',
    '',
  );
  out.push('| records | matching | without index: HTTP p50 / p95 ms | raw p50 / p95 ms | **with index: HTTP p50 / p95 ms** | raw p50 / p95 ms | requests without / with | index build |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of b.sizes) {
    out.push(
      `| ${int(r.size)} | ${int(r.matching)} | ${ms(r.without.http.p50)} / ${ms(r.without.http.p95)} | ${ms(r.without.raw.p50)} / ${ms(r.without.raw.p95)} | **${ms(r.with.http.p50)} / ${ms(r.with.http.p95)}** | ${ms(r.with.raw.p50)} / ${ms(r.with.raw.p95)} | ${int(r.without.http.n)} / ${int(r.with.http.n)} | ${int(r.indexBuildMs)} ms |`,
    );
  }
  out.push('');
  const at100k = b.sizes.find((r) => r.size === 100_000);
  if (at100k) out.push(`Target p95 ≤ 5 ms at 100k with indexes: ${ms(at100k.with.http.p95)} ms — ${verdict(at100k.with.http.p95 <= 5)}.`, '');
  if (b.sizes[b.sizes.length - 1]!.size < 1_000_000) out.push('This was a `--quick` run: the 1M step was not measured.', '');
  out.push(
    `Loading through the store: ${b.sizes.map((r) => `${int(r.loaded)} records in ${(r.loadMs / 1000).toFixed(1)} s (${int(r.loaded / (r.loadMs / 1000))}/s)`).join('; ')}.`,
    `Machine load: load average ${b.load.before} before, ${b.load.after} after; the whole machine was ${(100 * b.busyCores / os.availableParallelism()).toFixed(0)}% busy over part (b).`,
    '',
    'Query plans (`EXPLAIN QUERY PLAN` of the statement `find()` runs):',
    '',
    `- without index: ${[...new Set(b.sizes.flatMap((r) => r.without.plan))].map((p) => `\`${p}\``).join(', ')}`,
    `- with index: ${[...new Set(b.sizes.flatMap((r) => r.with.plan))].map((p) => `\`${p}\``).join(', ')}`,
    '',
  );
}

function report(a: PartA | undefined, b: PartB | undefined, c: Contention | undefined, started: Date, finished: Date, host: string[], s?: StartupResult): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(`Generated by \`bench/run.ts\` on ${started.toISOString()} (the run took ${Math.round((finished.getTime() - started.getTime()) / 1000)} s).`, '');
  out.push('Command:', '', '```', command, '```', '');
  out.push('Machine:', '', ...host, '');
  out.push(
    'Common to both parts:',
    '',
    '- The engine is started as `npm start` starts it: `startServer({ dataDir, port: 0 })` with **every module, security included**. The',
    '  benchmark user holds one role (`dealDesk`: create, read and update every deal); it signs in over HTTP (`POST /api/auth/login`: session',
    '  cookie + CSRF token) and issues an API token over HTTP (`POST /api/auth/tokens`). Every measured request carries one of them and',
    '  is authenticated and checked by the role policy — the token or session and the user are re-read on each request (revocation is immediate).',
    '- The baseline makes the same check by hand (bearer token or cookie → the credential row by id → SHA-256 of the secret compared in',
    '  constant time → expiry → the user row: not disabled, same epoch, holds the role; CSRF header on cookie writes).',
    '- Embedded store only: SQLite through better-sqlite3, WAL, `synchronous=FULL` (a create is fsynced before it is answered). Each server',
    '  runs in its own child process with its own fresh data folder; autocannon (programmatic API) runs in the parent process.',
    `- One entity, \`${entityName}\`: name (text, required), stage (picklist open/won/lost, required), amount (currency), probability (percent),`,
    '  closeDate (date), email (email) — no formulas, rules or lookups, so both sides do the same work per record. Generated records are',
    '  deterministic: 40% open, amounts uniform in 0–100,000.',
    '',
  );
  if (s) reportStartup(s, out);
  if (a) reportA(a, out);
  if (b) reportB(b, out);
  if (c) reportC(c, out);
  if (a || b) reportMemory(a, b, out);
  return out.join('\n');
}

/** Hand-written notes below this marker in RESULTS.md are kept when the file is regenerated. */
const notesMarker = '<!-- notes: everything below is written by hand and kept by bench/run.ts -->';

async function main(): Promise<void> {
  const started = new Date();
  const host = machine();
  let a: PartA | undefined;
  let b: PartB | undefined;
  let s: StartupResult | undefined;
  let c: Contention | undefined;
  try {
    if (only.includes('s')) s = await measureStartup({ runs: startupRuns, log, scratch });
    if (only.includes('a')) a = await partA();
    if (only.includes('b')) b = await partB();
    else if (only.includes('c')) c = await partC();
  } finally {
    if (!flag('keep')) rmSync(scratch, { recursive: true, force: true });
    else log(`data kept in ${scratch}`);
  }
  let notes = '';
  try {
    const previous = readFileSync(outFile, 'utf8');
    const at = previous.indexOf(notesMarker);
    if (at >= 0) notes = previous.slice(at + notesMarker.length).trim();
  } catch {
    // first run: no notes yet
  }
  writeFileSync(outFile, `${report(a, b, b?.contention ?? c, started, new Date(), host, s)}\n${notesMarker}\n\n${notes}\n`);
  log(`wrote ${path.relative(process.cwd(), outFile)}${profile ? `; CPU profiles in ${path.relative(process.cwd(), profileDir)}/` : ''}`);
}

await main();
