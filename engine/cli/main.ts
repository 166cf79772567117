// cli/: the `crm` command — serve, apply and export metadata, write entity types. Commands that
// change data talk to the store directly through the same runtime the server uses.

import { Command } from 'commander';
import { readdir, readFile, mkdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { engineVersion } from '../kernel/engine-version.ts';
import { openEngine } from '../server/start-server.ts';
import { serve } from './serve.ts';
import { flattenIssues } from '../runtime/model-runtime.ts';
import { dryRunChange } from '../runtime/dry-run.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { buildTypeDeclarations } from '../api/typescript-types.ts';
import { templatesCollection } from '../templates/installed-templates.ts';
import { TemplateService } from '../templates/template-service.ts';
import type { StepReport } from '../templates/run-step.ts';
import { isCrmError } from '../kernel/errors.ts';
import { registerUserCommands } from '../security/user-cli.ts';
import { registerImportCommands } from './import-cli.ts';
import { registerBackupCommands } from '../backup/backup-cli.ts';
import { readSettings, SettingsError } from '../settings/settings.ts';
import { setLogSink } from '../kernel/log.ts';

// A command's stdout is its output (a report, a file list) that scripts read; the engine's log lines
// go to stderr. `serve` keeps them on stdout, where a process manager collects a server's logs.
if (process.argv[2] !== 'serve') setLogSink((line) => process.stderr.write(line));

// Every setting read and checked once, before any command: a typo or a malformed value stops here.
const settings = (() => {
  try {
    return readSettings();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(`crm: ${error.message}`);
    process.exit(1);
  }
})();
const dataDir = (): string => settings.dataDir;
const mongodbUri = (): string | undefined => settings.mongodbUri;

/** The engine on DATA_DIR without HTTP: the same modules and hooks as the server, no schedulers. */
async function openRuntime() {
  const engine = await openEngine({ settings, dataDir: dataDir(), ...(mongodbUri() ? { mongodbUri: mongodbUri()! } : {}) });
  // No module started anything that runs (schedulers start only once a server listens): closing
  // the store is all there is to close.
  const { store, runtime, clock } = engine.services;
  return { store, runtime, clock };
}

async function readDocuments(target: string): Promise<MetadataDocument[]> {
  const info = await stat(target);
  const files = info.isDirectory()
    ? (await readdir(target, { recursive: true })).filter((f) => f.endsWith('.json')).map((f) => path.join(target, f))
    : [target];
  const docs: MetadataDocument[] = [];
  for (const file of files.sort()) {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as MetadataDocument | MetadataDocument[];
    docs.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  return docs;
}

const program = new Command('crm').version(engineVersion).description('Configurable low-code CRM metadata engine');

program
  .command('serve')
  .description('start the HTTP server (PORT, HOST, DATA_DIR, MONGODB_URI, CRM_WORKERS; README: Configure)')
  .action(() => serve(settings));

const meta = program.command('meta').description('metadata');
meta
  .command('apply <fileOrDir>')
  .description('apply metadata documents (one file, or every .json under a folder) as one revision')
  .option('--dry-run', 'report what apply would refuse and the records the change would affect (JSON, as POST /api/meta/validate); change nothing')
  .action(async (target: string, opts: { dryRun?: boolean }) => {
    const { store, runtime, clock } = await openRuntime();
    try {
      const docs = await readDocuments(target);
      const prepared = runtime.prepare(docs.map((d) => ({ kind: d.kind, name: d.name, document: d })));
      if (opts.dryRun) {
        const report = await dryRunChange({ runtime, store, clock }, prepared, 'cli');
        console.log(JSON.stringify(report, null, 2));
        if (!report.valid) process.exitCode = 1;
        return;
      }
      if (prepared.issues.length > 0) {
        for (const issue of flattenIssues(prepared.issues, true)) console.error(`${issue.path}: ${issue.message}`);
        process.exitCode = 1;
        return;
      }
      const model = await runtime.apply(prepared, { by: 'cli' });
      console.log(`revision ${model.revision}: ${prepared.changes.length} change(s)`);
    } catch (error) {
      // Refusals from apply hooks (records in removed workflow states, a unique index over
      // duplicates) are the user's to read, not a crash.
      if (!isCrmError(error)) throw error;
      console.error(error.message);
      for (const detail of error.details) console.error(`${detail.path}: ${detail.message}`);
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });
meta
  .command('export <dir>')
  .description('write every current metadata document to <dir>/<kind>/<name>.json')
  .action(async (dir: string) => {
    const { store, runtime } = await openRuntime();
    try {
      for (const doc of runtime.model.set.all()) {
        await mkdir(path.join(dir, doc.kind), { recursive: true });
        await writeFile(path.join(dir, doc.kind, `${doc.name}.json`), JSON.stringify(doc, null, 2) + '\n');
      }
      console.log(`exported revision ${runtime.model.revision} to ${dir}`);
    } finally {
      await store.close();
    }
  });

// Templates: the same service the server's /api/templates uses, on DATA_DIR directly.
async function withTemplates(work: (service: TemplateService) => Promise<void>): Promise<void> {
  const { store, runtime, clock } = await openRuntime();
  try {
    await store.syncCollection(templatesCollection);
    await work(new TemplateService({ store, runtime, clock, settings }));
  } catch (error) {
    if (!isCrmError(error)) throw error;
    console.error(`${error.code}: ${error.message}`);
    for (const detail of error.details) console.error(`  ${detail.path}: ${detail.message}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

function printReport(report: StepReport): void {
  console.log(`${report.dryRun ? 'dry run: ' : ''}${report.action} ${report.template}${report.fromVersion ? ` ${report.fromVersion} →` : ''}${report.toVersion ? ` ${report.toVersion}` : ''}${report.revision ? ` (revision ${report.revision})` : ''}`);
  for (const item of report.items) console.log(`  ${item.action} ${item.kind} ${item.name}${item.action === 'update' ? ` (${item.changes.length} change(s))` : ''}`);
  for (const c of report.overlayConflicts) console.log(`  conflict ${c.kind} ${c.name} ${c.path}: ${c.type}, ${c.resolution}`);
  for (const c of report.sharedConflicts) console.log(`  shared ${c.kind} ${c.name} ${c.path}: ${c.installedBy} vs ${c.incomingBy}, ${c.resolution}`);
  for (const i of report.impact) {
    console.log(`  ${i.entity}: ${i.invalid} of ${i.records} record(s) would fail the new rules`);
    for (const r of i.removedFields ?? []) console.log(`    ${r.records} record(s) lose their value of the removed field ${r.field}`);
    for (const m of i.stateMoves ?? []) console.log(`    ${m.records} record(s) ${m.from === undefined ? `without ${m.field} start in` : `in the removed state ${m.from} move to`} ${m.to} (workflow ${m.workflow})`);
  }
  for (const s of report.sampleData) console.log(`  sample ${s.entity}: ${s.loaded} loaded, ${s.skipped} already there`);
  for (const d of report.deletedData) console.log(`  deleted ${d.records} ${d.entity} record(s)`);
  for (const i of report.issues) console.log(`  issue ${i.kind ? `${i.kind} ${i.name} ` : ''}${i.path}: ${i.message}`);
  if (report.issues.length > 0) process.exitCode = 1;
}

const sourceOf = (opts: { dir?: string; archive?: string }) => (opts.dir ? { directory: opts.dir } : opts.archive ? { archive: opts.archive } : undefined);

const template = program.command('template').description('industry templates: list, install, upgrade, uninstall');
template
  .command('list')
  .description('bundled and installed templates, with versions and modules')
  .action(() =>
    withTemplates(async (service) => {
      const { templates, unreadable } = await service.list();
      for (const t of templates) {
        const title = typeof t.title === 'string' ? t.title : t.title.en ?? t.title.zh;
        console.log(`${t.name}  ${t.installed ? `installed ${t.installed.version}` : 'not installed'}${t.upgradeTo ? `, ${t.upgradeTo} available` : ''}  — ${title}`);
        console.log(`  available: ${t.available.map((a) => a.version).join(', ') || '-'}`);
        console.log(`  modules: ${t.modules.map((m) => `${m.name}${m.on ? ' (on)' : ''}`).join(', ')}`);
      }
      for (const u of unreadable) console.log(`unreadable: ${u.directory}: ${u.error}`);
    }),
  );
template
  .command('install <name>')
  .description('install a bundled template, or one from --dir or --archive')
  .option('--dir <folder>', 'install from a template folder')
  .option('--archive <file.tgz>', 'install from a .tgz archive')
  .option('--modules <a,b>', 'modules to switch on (default: those on by default)')
  .option('--sample-data', 'load the sample data')
  .option('--dry-run', 'show what would change; change nothing')
  .action((name: string, opts: { dir?: string; archive?: string; modules?: string; sampleData?: boolean; dryRun?: boolean }) =>
    withTemplates(async (service) => {
      const source = sourceOf(opts);
      printReport(
        await service.install(name, {
          by: 'cli', dryRun: opts.dryRun ?? false, sampleData: opts.sampleData ?? false,
          ...(opts.modules ? { modules: opts.modules.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
          ...(source ? { source } : {}),
        }),
      );
    }),
  );
template
  .command('upgrade <name>')
  .description('upgrade to the newest bundled version, or to the one in --dir or --archive')
  .option('--dir <folder>', 'upgrade from a template folder')
  .option('--archive <file.tgz>', 'upgrade from a .tgz archive')
  .option('--dry-run', 'show the diff, the conflicts and the records the new rules would refuse; change nothing')
  .action((name: string, opts: { dir?: string; archive?: string; dryRun?: boolean }) =>
    withTemplates(async (service) => {
      const source = sourceOf(opts);
      printReport(await service.upgrade(name, { by: 'cli', dryRun: opts.dryRun ?? false, ...(source ? { source } : {}) }));
    }),
  );
template
  .command('module <name> <module> <onOrOff>')
  .description('switch a module of an installed template on or off')
  .option('--dry-run', 'show what would change; change nothing')
  .action((name: string, module: string, onOrOff: string, opts: { dryRun?: boolean }) =>
    withTemplates(async (service) => {
      if (onOrOff !== 'on' && onOrOff !== 'off') throw new Error('say on or off');
      printReport(await service.setModule(name, module, { enabled: onOrOff === 'on', by: 'cli', dryRun: opts.dryRun ?? false }));
    }),
  );
template
  .command('uninstall <name>')
  .description("remove a template's metadata; its records stay unless --delete-data")
  .option('--delete-data', "also delete the records of the template's entities")
  .option('--dry-run', 'show what would change; change nothing')
  .action((name: string, opts: { deleteData?: boolean; dryRun?: boolean }) =>
    withTemplates(async (service) => printReport(await service.uninstall(name, { by: 'cli', dryRun: opts.dryRun ?? false, deleteData: opts.deleteData ?? false }))),
  );

program
  .command('types <out>')
  .description('write TypeScript declarations of every entity')
  .action(async (out: string) => {
    const { store, runtime } = await openRuntime();
    try {
      await writeFile(out, await buildTypeDeclarations(runtime.model, (e) => new Set(e.recordSchema['properties'] ? Object.keys(e.recordSchema['properties'] as object) : [])));
      console.log(`wrote ${out}`);
    } finally {
      await store.close();
    }
  });

program
  .command('sdk <outdir>')
  .description("write the typed SDK for an instance, from its running server's OpenAPI document")
  .option('--url <url>', 'the server', 'http://localhost:3000')
  .option('--token <token>', 'an API token (default: $CRM_TOKEN); the SDK covers what its role may read')
  .action(async (outdir: string, options: { url: string; token?: string }) => {
    const { fetchOpenApi, writeSdk } = await import('./generate-sdk.ts');
    const written = await writeSdk(await fetchOpenApi(options.url, options.token ?? settings.token), outdir);
    for (const file of written) console.log(`wrote ${file}`);
  });

registerUserCommands(program, openRuntime);
registerImportCommands(program, () => openEngine({ settings, dataDir: dataDir(), ...(mongodbUri() ? { mongodbUri: mongodbUri()! } : {}) }));
registerBackupCommands(program, dataDir, engineVersion);

await program.parseAsync(process.argv);
