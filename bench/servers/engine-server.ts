// bench/servers/engine-server: the engine as `npm start` runs it, minus sign-in — startServer with
// `modules: []`, so no auth module is mounted and the open policy applies — with the benchmark
// entity applied as metadata. Also loads records straight through the store, switches the
// view-derived list index on and off through metadata, and times the raw store query.
// Runs as a child process of bench/run.ts.

import { parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import type { FindQuery } from '../../engine/store/store-port.ts';
import type { SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { startServer, type RunningServer } from '../../engine/server/start-server.ts';
import { serveCalls } from '../lib/child.ts';
import { dealEntity, entityName, listFilter, listLimit, listSort, openDealsView } from '../lib/deal.ts';
import { seedDeals } from '../lib/seed.ts';

let server: RunningServer | undefined;

async function applyMetadata(changes: { kind: string; name: string; document: Record<string, unknown> | undefined }[], message: string): Promise<number> {
  const { runtime } = server!;
  const started = process.hrtime.bigint();
  const prepared = runtime.prepare(changes as Parameters<typeof runtime.prepare>[0]);
  if (!prepared.model) throw new Error(`metadata refused: ${JSON.stringify(prepared.issues)}`);
  await runtime.apply(prepared, { by: 'bench', message });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The store query GET /api/data/deal?filter=…&sort=-amount&limit=50 runs (the engine asks for limit + 1 rows). */
function listQuery(): FindQuery {
  const entity = server!.runtime.model.entities.get(entityName)!;
  const resolve = (path: string) => entity.filterables.get(path);
  return { filter: parseFilter(listFilter, resolve), sort: parseSort(listSort, resolve), limit: listLimit + 1 };
}

serveCalls({
  async start(args: { dataDir: string; withView: boolean }) {
    server = await startServer({ dataDir: args.dataDir, port: 0, modules: [] });
    const documents = [dealEntity, ...(args.withView ? [openDealsView] : [])] as unknown as Record<string, unknown>[];
    await applyMetadata(documents.map((document) => ({ kind: String(document['kind']), name: String(document['name']), document })), 'benchmark entity');
    return { url: server.url, revision: server.runtime.model.revision };
  },

  seed: (args: { from: number; to: number; sampleSize?: number }) =>
    seedDeals(server!.store, { ...args, revision: server!.runtime.model.revision, by: 'anonymous' }),

  /** Adds or removes the view; the engine creates or drops the derived index as part of the metadata change. */
  async setListIndex(args: { on: boolean }) {
    const present = server!.runtime.findItem('view', openDealsView.name) !== undefined;
    let ms = 0;
    if (args.on !== present) {
      ms = await applyMetadata(
        [{ kind: 'view', name: openDealsView.name, document: args.on ? (openDealsView as unknown as Record<string, unknown>) : undefined }],
        args.on ? 'add list view' : 'remove list view',
      );
    }
    return { ms, indexes: await (server!.store as SqliteStore).listIndexNames(entityName) };
  },

  explain: () => (server!.store as SqliteStore).explainFind(entityName, listQuery()),

  /** Times store.find() for the list query alone: SQL plus row decoding, no HTTP, no filter parsing. */
  async rawQuery(args: { iterations: number; warmup: number }) {
    const query = listQuery();
    for (let i = 0; i < args.warmup; i += 1) await server!.store.find(entityName, query);
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < args.iterations; i += 1) {
      const started = process.hrtime.bigint();
      rows = (await server!.store.find(entityName, query)).length;
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { ms, rows };
  },

  async countMatching() {
    return {
      matching: await server!.store.count(entityName, listQuery().filter),
      total: await server!.store.count(entityName, { kind: 'true' }),
    };
  },

  async close() {
    await server?.close();
    server = undefined;
  },
});
