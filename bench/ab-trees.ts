// bench/ab-trees.ts — `npx tsx bench/ab-trees.ts --old <worktree> [--new <worktree>] [--auth token|session] [--rounds 10]
// [--duration 3] [--sides baseline,old,new] [--profile old,new]`: GET by id against the baseline and the engine of two source
// trees (e.g. a worktree of main and a branch: `git worktree add --detach /tmp/main-tree main`, node_modules linked), the
// servers in rotating order each round, CPU per 2xx of each server process (the figure that holds up under load), medians of
// the per-round ratios. --profile writes V8 profiles of the named sides' measured rounds to /tmp (bench/profile-summary.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChildServer } from './lib/child.ts';
import { entityName, type Credentials } from './lib/deal.ts';
import { runLoad } from './lib/load.ts';
import type { SeedResult } from './lib/seed.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1]! : d; };
const rounds = Number(opt('rounds', '8'));
const seconds = Number(opt('duration', '3'));
const auth = opt('auth', 'token');
const oldTree = opt('old', '');
const newTree = opt('new', path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
const profile = opt('profile', '');
const sidesWanted = opt('sides', 'baseline,old,new').split(',');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'crm-ab-'));
if (!oldTree && sidesWanted.includes('old')) throw new Error('--old <source tree> is required (or --sides baseline,new)');
interface Side { label: string; child: ChildServer; url: string; ids: string[]; cred: Credentials; cpu: number[]; rps: number[] }
const sides: Side[] = [];
const scripts: Record<string, string> = { baseline: `${newTree}/bench/servers/baseline-server.ts`, old: `${oldTree}/bench/servers/engine-server.ts`, new: `${newTree}/bench/servers/engine-server.ts` };
for (const label of sidesWanted) {
  const child = ChildServer.start(pathToFileURL(scripts[label]!), label);
  const { url } = await child.call<{ url: string }>('start', { dataDir: path.join(scratch, label), withView: true });
  const seeded = await child.call<SeedResult>('seed', { from: 0, to: 10000, sampleSize: 2000 });
  const cred = await child.call<Credentials>('credentials');
  sides.push({ label, child, url, ids: seeded.sampleIds, cred, cpu: [], rps: [] });
}
const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!;
const spec = (s: Side) => ({ pathFor: () => `/api/data/${entityName}/${pick(s.ids)}`, headers: (auth === 'token' ? { authorization: `Bearer ${s.cred.token}` } : { cookie: s.cred.cookie }) as Record<string, string> });
for (const s of sides) await runLoad({ url: s.url, connections: 10, duration: 2, ...spec(s) });
const profs = sides.filter((s) => profile.split(',').includes(s.label));
for (const prof of profs) await prof.child.call('profileStart', { intervalUs: 250 });
for (let r = 0; r < rounds; r++) {
  const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
  const line: string[] = [];
  for (const s of order) {
    const before = await s.child.call<number>('cpu');
    const res = await runLoad({ url: s.url, connections: 10, duration: seconds, ...spec(s) });
    const cpu = ((await s.child.call<number>('cpu')) - before) / Math.max(1, res.ok);
    s.cpu.push(cpu); s.rps.push(res.rps);
    line.push(`${s.label} ${Math.round(res.rps)} rps ${cpu.toFixed(0)}µs fail ${res.failed}`);
  }
  console.log(`round ${r + 1}: ${line.join(' | ')}`);
}
for (const prof of profs) console.log(await prof.child.call('profileStop', { file: path.join(os.tmpdir(), `ab-${prof.label}-${Date.now()}.cpuprofile`) }), prof.rps.reduce((a, b) => a + b, 0) * seconds);
const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
for (const s of sides) console.log(`${s.label}: median CPU/req ${med(s.cpu).toFixed(1)} µs, median rps ${Math.round(med(s.rps))}`);
const b = sides.find((s) => s.label === 'baseline');
for (const s of sides) if (s !== b && b) console.log(`${s.label}: ratio rps (median of rounds) ${med(s.rps.map((x, i) => x / b.rps[i]!)).toFixed(3)}, CPU ratio ${med(s.cpu.map((x, i) => b.cpu[i]! / x)).toFixed(3)}`);
const o = sides.find((s) => s.label === 'old'), n = sides.find((s) => s.label === 'new');
if (o && n) console.log(`new/old CPU per req (median of rounds): ${med(n.cpu.map((x, i) => x / o.cpu[i]!)).toFixed(3)}`);
for (const s of sides) await s.child.stop();
rmSync(scratch, { recursive: true, force: true });
process.exit(0);
