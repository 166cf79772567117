// bench/import: import rows/s (mapping, cleansing — trim, full-width, phone to E.164 —, validation,
// a unique field and an exact duplicate rule checked on every row, batched writes through the
// records' write path with checkpoints and change log) ÷ a raw bulk insert of the same rows, read by
// the same reader, straight through the store port in transactions growing 500, 1,000, 2,000 then 4,000 rows — the
// import's own schedule (engine/import/run-import.ts), so that neither side syncs the log more often. Each size and each side
// runs in its own child process (bench/import-child.ts), so its peak RSS is its own.
//
// The children run the code as shipped: bench/import-child.ts bundled by scripts/build-server.ts's
// build (esbuild, the same options as dist/server/) into dist/bench-import-<pid>/ with the map and
// read workers beside it, run by node alone — under tsx the import's map worker compiled the
// engine's modules again before its first batch (1–2 s). Both sides run the same way, so the ratio
// compares like with like.
//
//   npx tsx bench/import.ts --sizes 10000,100000[,1000000]   compiled (as `npm start` runs)
//   npx tsx bench/import.ts --tsx                             the children under tsx (node --import tsx), as before
//   npx tsx bench/import.ts --both --rounds 3                 both, interleaved: each round runs every variant, in an order that rotates
//   npx tsx bench/import.ts --warmed [--warm-up 20000]        also each side after an earlier run over another file of that many rows
//                                                             (20,000 rows, 1.4 MB: the earlier import is pipelined, so its map thread is kept for this one)
//   npx tsx bench/import.ts --one-thread                      also the import without its map worker (how a file under 1 MB runs)
//   npx tsx bench/import.ts --rerun                          also the import of the file a second time (every row found by its key and
//                                                             left unchanged) ÷ the raw insert of it into an empty store
//   npx tsx bench/import.ts --normalized-rule                 also with the duplicate rule normalized (case, spaces, full-width folded:
//                                                             each record's folded key written beside it, records/match-keys.ts)
//
// Prints a markdown table (copied into RESULTS.md by hand) with the machine's load average; with
// rounds, the medians over the rounds and the ratio of the medians. CPU µs/row is the main thread's
// CPU time per row (Linux), which contention distorts far less than rows/s.

import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, serverEntryPoints } from '../scripts/build-server.ts';
import { loadAverage } from './lib/machine-load.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `rows` generated contacts; `prefix` keeps a warm-up file's codes and names apart from the measured file's (no unique clash, no duplicate warning between them). */
async function writeCsv(file: string, rows: number, prefix = ''): Promise<void> {
  const out = createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('code,name,email,phone,company,amount\n');
  for (let i = 1; i <= rows; i++) {
    // Every 50th name full-width and padded; every 1000th amount has too many decimals (refused). Every row's phone is
    // its own (London numbers 020 7000 0000 upwards), as contacts' numbers are: the import converts each distinct value
    // once per job (import/map-row.ts's memo), and numbers that repeated every 10,000 rows made a 100k file's phones 90 % free.
    const name = i % 50 === 0 ? `  ${prefix}Ｐｅｒｓｏｎ ${i} ` : `${prefix}Person ${i}`;
    const amount = i % 1000 === 0 ? '1.005' : String((i * 37) % 10_000);
    await write(`${prefix}C${i},${name},p${i}@Example.com,020 ${7000 + Math.floor(i / 10_000)} ${String(i % 10_000).padStart(4, '0')},Company ${i % 997},${amount}\n`);
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/**
 * compiled: each child a fresh process, as `npm start` runs; warmed: the same after one earlier run of its side over
 * another file (a server that has imported before: its code compiled, and the import's map thread kept); one thread: the import without its map worker, whatever the file's
 * size (as a file under 1 MB is imported); rerun: the import run a second time over the same file (upsert: every row found by
 * its key), against the raw insert into an empty store; normalized rule: the duplicate rule compares folded values, through keys kept per
 * record; tsx: the children under tsx.
 */
type Variant = 'compiled' | 'warmed' | 'one thread' | 'normalized rule' | 'rerun' | 'tsx';
interface ChildResult { rows: number; written: number; seconds: number; cpuUsPerRow: number; mainUsPerRow: number; peakRssMb: number; peak: { heapUsedMb: number } }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round1 = (value: number) => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const sizes = (option('--sizes') ?? '10000,100000').split(',').map(Number);
  const rounds = Math.max(1, Number(option('--rounds') ?? 1));
  const variants: Variant[] = args.includes('--both') ? ['compiled', 'tsx'] : args.includes('--tsx') ? ['tsx'] : ['compiled', ...(args.includes('--warmed') ? ['warmed' as const] : []), ...(args.includes('--one-thread') ? ['one thread' as const] : []), ...(args.includes('--normalized-rule') ? ['normalized rule' as const] : []), ...(args.includes('--rerun') ? ['rerun' as const] : [])];
  const warmUpRows = Number(option('--warm-up') ?? 20_000);
  const lines = [`load average before: ${loadAverage()} (${os.cpus().length} cores)`, ''];
  const outDir = path.join(root, 'dist', `bench-import-${process.pid}`);
  try {
    if (variants.some((v) => v !== 'tsx')) {
      const { ms } = await buildServer(outDir, { 'import-child': 'bench/import-child.ts', 'map-worker': serverEntryPoints['map-worker']!, 'read-worker': serverEntryPoints['read-worker']! });
      lines.push(`children bundled by scripts/build-server.ts in ${Math.round(ms)} ms`, '');
    }
    // V8 flags for both children (e.g. --max-semi-space-size=64), to weigh a setting the same on both sides.
    const childFlags = (option('--child-flags') ?? '').split(' ').filter(Boolean);
    if (childFlags.length > 0) lines.push(`children run with ${childFlags.join(' ')}`, '');
    const compiled = [...childFlags, path.join(outDir, 'import-child.js')];
    const command: Record<Variant, string[]> = { compiled, warmed: compiled, 'one thread': compiled, 'normalized rule': compiled, rerun: compiled, tsx: [...childFlags, '--import', 'tsx', path.join(root, 'bench', 'import-child.ts')] };
    lines.push(
      `| rows | children | raw insert rows/s | import rows/s | ratio | CPU µs/row raw | CPU µs/row import | rejected | peak RSS raw | peak RSS import | peak heap import |${rounds > 1 ? ' rounds |' : ''}`,
      `|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|${rounds > 1 ? '---|' : ''}`,
    );
    for (const size of sizes) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-import-'));
      try {
        const file = path.join(work, 'contacts.csv');
        await writeCsv(file, size);
        const warmUpFile = path.join(work, 'warm-up.csv');
        if (variants.includes('warmed')) await writeCsv(warmUpFile, warmUpRows, 'W');
        const run = (variant: Variant, side: 'raw' | 'import'): ChildResult => {
          const dataDir = mkdtempSync(path.join(work, `${side}-`));
          try {
            const out = execFileSync(process.execPath, [...command[variant], side, file, dataDir, ...(variant === 'warmed' ? ['--warm-up', warmUpFile] : []), ...(variant === 'rerun' && side === 'import' ? ['--warm-up', file] : []), ...(variant === 'one thread' ? ['--one-thread'] : []), ...(variant === 'normalized rule' ? ['--normalized-rule'] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CRM_LOG_LEVEL: 'warn' } });
            return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        };
        const results = new Map<Variant, { raw: ChildResult; imported: ChildResult }[]>(variants.map((v) => [v, []]));
        for (let r = 0; r < rounds; r++) {
          // The order rotates from round to round, so neither variant always runs first (a warmer disk cache, a quieter machine).
          const order = variants.map((_, i) => variants[(i + r) % variants.length]!);
          for (const variant of order) {
            const raw = run(variant, 'raw');
            const imported = run(variant, 'import');
            results.get(variant)!.push({ raw, imported });
            const ratio = imported.rows / imported.seconds / (raw.rows / raw.seconds);
            process.stderr.write(`${size} ${variant} round ${r + 1}: raw ${Math.round(raw.rows / raw.seconds)} rows/s, import ${Math.round(imported.rows / imported.seconds)} rows/s, ratio ${ratio.toFixed(2)}, main CPU µs/row ${raw.mainUsPerRow} / ${imported.mainUsPerRow}, all threads ${raw.cpuUsPerRow} / ${imported.cpuUsPerRow} (load ${loadAverage()})\n`);
          }
        }
        for (const variant of variants) {
          const all = results.get(variant)!;
          const rawRate = median(all.map((x) => x.raw.rows / x.raw.seconds));
          const importRate = median(all.map((x) => x.imported.rows / x.imported.seconds));
          const last = all[all.length - 1]!.imported;
          const perRound = rounds > 1 ? ` ${all.map((x) => (x.imported.rows / x.imported.seconds / (x.raw.rows / x.raw.seconds)).toFixed(2)).join(', ')} |` : '';
          lines.push(`| ${size.toLocaleString('en')} | ${variant} | ${Math.round(rawRate).toLocaleString('en')} | ${Math.round(importRate).toLocaleString('en')} | ${(importRate / rawRate).toFixed(2)} | ${round1(median(all.map((x) => x.raw.mainUsPerRow)))} | ${round1(median(all.map((x) => x.imported.mainUsPerRow)))} | ${last.rows - last.written} | ${median(all.map((x) => x.raw.peakRssMb))} MB | ${median(all.map((x) => x.imported.peakRssMb))} MB | ${median(all.map((x) => x.imported.peak.heapUsedMb))} MB |${perRound}`);
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  lines.push('', `load average after: ${loadAverage()}`);
  console.log(lines.join('\n'));
}

await main();
