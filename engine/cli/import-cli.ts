// `crm import <file>`: an import job on the data folder without the server, with a progress bar —
// the same job, checkpoints and report as POST /api/import/jobs. `--resume <job>` continues a job
// whose process was killed; `crm import-undo <job>` undoes one, its progress shown (killed, it goes on
// when a server starts on the data folder, or when run again).

import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { systemPrincipal } from '../access/policy.ts';
import { readText } from '../kernel/detail-text.ts';
import { isCrmError } from '../kernel/errors.ts';
import type { Locale } from '../kernel/i18n.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { OpenEngine } from '../server/start-server.ts';
import { importServices } from '../import/import-module.ts';
import type { ImportJob, ImportMode } from '../import/import-store.ts';
import { listRejectedRows } from '../import/run-import.ts';
import { terminalLocale } from '../settings/settings.ts';

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 0x0a) lines++;
  return lines;
}

const shownRejected = 20;

/**
 * One line per target when a mapping has several: the headline's sum hides that one file made 3
 * accounts and 5 contacts. An entity targeted twice is told apart by its place in the mapping.
 */
function targetLines(job: Pick<ImportJob, 'targets'>): string[] {
  const targets = job.targets ?? [];
  if (targets.length < 2) return [];
  const twice = new Set(targets.filter((t, i) => targets.findIndex((o) => o.entity === t.entity) !== i).map((t) => t.entity));
  return targets.map((t, i) => `  ${t.entity}${twice.has(t.entity) ? ` (target ${i + 1})` : ''}: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.skipped} skipped`);
}

async function report(engine: OpenEngine, id: string, job: ImportJob, locale: Locale): Promise<void> {
  const c = job.counts;
  // A dry run's counts say what a commit would do: said so, lest "created" be read as done.
  console.log(`job ${id}: ${job.status}${job.mode === 'dryRun' ? ' (dry run: nothing was written)' : ''} — ${c.rows} rows, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected${job.error ? ` (${readText(job.error, locale)})` : ''}`);
  for (const line of targetLines(job)) console.log(line);
  for (const notice of job.notices) console.log(`  note: ${readText(notice, locale)}`);
  const skipped = job.skippedRows ?? [];
  for (const row of skipped.slice(0, shownRejected)) console.log(`  left out: line ${row.line}: ${readText(row.reason, locale)}`);
  if (skipped.length > shownRejected) console.log(`  left out: +${skipped.length - shownRejected} more`);
  // A dry run is run to see which rows would fail and why: the first of them are shown here.
  if (c.rejected === 0) return;
  const rows = await listRejectedRows(engine.services.store, id, { limit: shownRejected });
  for (const row of rows) {
    for (const issue of row.issues) {
      const where = [issue.column !== undefined ? `column "${issue.column}"` : issue.field, issue.value !== undefined ? JSON.stringify(issue.value) : undefined].filter(Boolean).join(' ');
      console.log(`  line ${row.line}${where ? `, ${where}` : ''}: ${readText(issue.reason, locale)}`);
    }
  }
  if (c.rejected > rows.length) console.log(`  … ${c.rejected - rows.length} more: GET /api/import/jobs/${id}/rejected.csv lists every rejected row`);
}

export function registerImportCommands(program: Command, open: () => Promise<OpenEngine>): void {
  program
    .command('import [file]')
    .description('import a CSV, JSON Lines or XLSX file through a mapping (saved, shipped by a template, or a .json file)')
    .option('--mapping <nameOrFile>', 'mapping name or path to a mapping .json')
    .option('--mode <mode>', 'dryRun | allOrNothing | validOnly', 'dryRun')
    .option('--history', 'history mode: states, dates and owners as in the old system, no triggers')
    .option('--resume <job>', 'resume a job whose process was interrupted')
    .option('--no-progress', 'no progress bar (logs)')
    .action(async (file: string | undefined, options: { mapping?: string; mode: string; history?: boolean; resume?: string; progress: boolean }) => {
      const engine = await open();
      const service = importServices.get(engine.services)!;
      try {
        let id = options.resume;
        if (!id) {
          if (!file || !options.mapping) throw new Error('give a file and --mapping (or --resume <job>)');
          if (!['dryRun', 'allOrNothing', 'validOnly'].includes(options.mode)) throw new Error('--mode must be dryRun, allOrNothing or validOnly');
          const mapping = options.mapping.endsWith('.json') ? (JSON.parse(await readFile(options.mapping, 'utf8')) as unknown) : options.mapping;
          const ctx: RequestContext = { principal: systemPrincipal('import-cli'), locale: terminalLocale(), clock: engine.services.clock, model: engine.services.runtime.model, policy: engine.services.policy };
          const started = await service.startJob({ ctx, file: { path: path.resolve(file), name: path.basename(file) }, mapping, mode: options.mode as ImportMode, history: options.history === true, mappingAt: '' });
          id = started.id;
          console.log(`job ${id}`);
        }
        const job = await service.getJob(id, systemPrincipal('import-cli'));
        const total = job.file.format === 'xlsx' ? 0 : await countLines(job.file.path);
        const bar = options.progress && process.stdout.isTTY ? new cliProgress.SingleBar({ format: 'import [{bar}] {value}/{total} rows | {created} created {updated} updated {rejected} rejected' }, cliProgress.Presets.shades_classic) : undefined;
        bar?.start(Math.max(total, 1), job.counts.rows, { created: job.counts.created, updated: job.counts.updated, rejected: job.counts.rejected });
        const final = await service.run(id, (progress) => {
          const c = progress.counts;
          if (bar) bar.update(Math.min(c.rows, Math.max(total, 1)), { created: c.created, updated: c.updated, rejected: c.rejected });
          else console.log(`progress ${c.rows} rows (${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected)`);
        });
        bar?.stop();
        await report(engine, id, final, terminalLocale());
        if (final.status === 'failed' || final.status === 'refused' || final.status === 'cancelled') process.exitCode = 1;
      } catch (error) {
        console.error(isCrmError(error) ? `${readText(error.text ?? error.message, terminalLocale())}${error.details.map((d) => `\n  ${d.path}: ${d.message}`).join('')}` : (error as Error).message);
        process.exitCode = 1;
      } finally {
        await engine.close();
      }
    });

  // The same undo as POST /api/import/jobs/<id>/undo, run here and waited for, its progress shown.
  // Killed part-way, it is taken up by the next `crm serve` on the data folder, or by this command again.
  program
    .command('import-undo <job>')
    .description('undo an import job (delete what it created, restore what it updated; records changed since are left alone), showing its progress')
    .option('--dry-run', 'only say what the undo would do')
    .option('--no-progress', 'no progress bar (logs)')
    .action(async (id: string, options: { dryRun?: boolean; progress: boolean }) => {
      const engine = await open();
      const service = importServices.get(engine.services)!;
      const locale = terminalLocale();
      const ctx: RequestContext = { principal: systemPrincipal('import-cli'), locale, clock: engine.services.clock, model: engine.services.runtime.model, policy: engine.services.policy };
      try {
        if (options.dryRun) {
          const would = await service.undoDryRun({ ctx, id });
          console.log(`job ${id}: undo would delete ${would.deleted}, restore ${would.restored}; ${would.changedSince.length} changed since (left alone), ${would.missing} already gone, ${would.refused.length} refused`);
          return;
        }
        let bar: cliProgress.SingleBar | undefined;
        const { done } = await service.startUndo({
          ctx, id,
          onProgress: (progress) => {
            const u = progress.undo;
            if (!u || progress.status !== 'undoing' || u.total === undefined) return;
            if (options.progress && process.stdout.isTTY) {
              if (!bar) (bar = new cliProgress.SingleBar({ format: 'undo [{bar}] {value}/{total} records | {deleted} deleted {restored} restored' }, cliProgress.Presets.shades_classic)).start(Math.max(u.total, 1), u.done ?? 0, { deleted: u.deleted, restored: u.restored });
              else bar.update(u.done ?? 0, { deleted: u.deleted, restored: u.restored });
            } else console.log(`progress ${u.done ?? 0} of ${u.total} records (${u.deleted} deleted, ${u.restored} restored, ${u.changedSince} changed since, ${u.refused ?? 0} refused)`);
          },
        });
        console.log(`job ${id}: undoing`);
        const final = await done;
        bar?.stop();
        const u = final.undo;
        if (final.status !== 'undone' || !u) {
          console.error(`job ${id}: the undo stopped${u?.error ? `: ${readText(u.error, locale)}` : ''} — run \`crm import-undo ${id}\` again to go on`);
          process.exitCode = 1;
          return;
        }
        console.log(`job ${id}: undone — ${u.deleted} deleted, ${u.restored} restored, ${u.changedSince} changed since (left alone), ${u.missing ?? 0} already gone, ${u.refused ?? 0} refused`);
        for (const r of u.refusedRecords ?? []) console.log(`  refused ${r.entity} ${r.id}: ${readText(r.reason, locale)}`);
        for (const c of u.changedSinceRecords ?? []) console.log(`  changed since: ${c.entity} ${c.id} (version ${c.version}, the import left ${c.importedVersion})`);
      } catch (error) {
        console.error(isCrmError(error) ? `${readText(error.text ?? error.message, locale)}${error.details.map((d) => `\n  ${d.path}: ${d.message}`).join('')}` : (error as Error).message);
        process.exitCode = 1;
      } finally {
        await engine.close();
      }
    });
}
