// cli/: the `crm` command — serve, apply and export metadata, write entity types. Commands that
// change data talk to the store directly through the same runtime the server uses.

import { Command } from 'commander';
import { readdir, readFile, mkdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { startServer, engineVersion } from '../server/start-server.ts';
import { openStore } from '../store/open-store.ts';
import { ModelRuntime, flattenIssues } from '../runtime/model-runtime.ts';
import { systemClock } from '../kernel/clock.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { buildTypeDeclarations } from '../api/typescript-types.ts';
import { auditCollection } from '../records/audit-trail.ts';

const dataDir = (): string => process.env['DATA_DIR'] ?? './data';
const mongodbUri = (): string | undefined => process.env['MONGODB_URI'] || undefined;

async function openRuntime() {
  const store = await openStore({ dataDir: dataDir(), ...(mongodbUri() ? { mongodbUri: mongodbUri()! } : {}) });
  await store.syncCollection(auditCollection);
  return { store, runtime: await ModelRuntime.open(store, systemClock) };
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
  .description('start the HTTP server (PORT, DATA_DIR, MONGODB_URI)')
  .action(async () => {
    const port = Number(process.env['PORT'] ?? 3000);
    const server = await startServer({ port, host: process.env['HOST'] ?? '0.0.0.0', dataDir: dataDir(), ...(mongodbUri() ? { mongodbUri: mongodbUri()! } : {}) });
    console.log(`CRM engine ${engineVersion} on http://localhost:${server.port} (${server.store.kind} store${mongodbUri() ? '' : ` in ${path.resolve(dataDir())}`})`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

const meta = program.command('meta').description('metadata');
meta
  .command('apply <fileOrDir>')
  .description('apply metadata documents (one file, or every .json under a folder) as one revision')
  .action(async (target: string) => {
    const { store, runtime } = await openRuntime();
    try {
      const docs = await readDocuments(target);
      const prepared = runtime.prepare(docs.map((d) => ({ kind: d.kind, name: d.name, document: d })));
      if (prepared.issues.length > 0) {
        for (const issue of flattenIssues(prepared.issues, true)) console.error(`${issue.path}: ${issue.message}`);
        process.exitCode = 1;
        return;
      }
      const model = await runtime.apply(prepared, { by: 'cli' });
      console.log(`revision ${model.revision}: ${prepared.changes.length} change(s)`);
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

await program.parseAsync(process.argv);
