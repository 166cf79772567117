// bench/servers/engine-server: the engine as `npm start` runs it — startServer with every module,
// the security module included, so each request is authenticated and the role policy answers —
// with the benchmark entity and a role applied as metadata. A clerk holding that role signs in
// over HTTP (session cookie + CSRF token, the browser scenario) and issues an API token over HTTP
// (the integration scenario), as clients do. Also loads records straight through the store,
// switches the view-derived list index on and off through metadata, times the raw store query and
// reports its memory. Runs as a child process of bench/run.ts.

import { parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import type { FindQuery } from '../../engine/store/store-port.ts';
import type { SqliteStore } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { startServer, type RunningServer } from '../../engine/server/start-server.ts';
import { addUser } from '../../engine/security/user-admin.ts';
import { serveCalls } from '../lib/child.ts';
import { benchClerk, benchRole, dealEntity, entityName, listFilter, listLimit, listSort, openDealsView, type Credentials } from '../lib/deal.ts';
import { seedDeals } from '../lib/seed.ts';

let server: RunningServer | undefined;
let clerkId = 'anonymous';

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

async function json(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown>; cookie: string | null }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cookie: res.headers.get('set-cookie') };
}

serveCalls({
  async start(args: { dataDir: string; withView: boolean; env?: Record<string, string> }) {
    server = await startServer({ dataDir: args.dataDir, port: 0, env: { ...process.env, CRM_SCHEDULER_INTERVAL_MS: '60000', ...args.env } });
    const documents = [dealEntity, benchRole, ...(args.withView ? [openDealsView] : [])] as unknown as Record<string, unknown>[];
    await applyMetadata(documents.map((document) => ({ kind: String(document['kind']), name: String(document['name']), document })), 'benchmark entity');
    const clerk = await addUser({ store: server.store, clock: server.services.clock, roles: server.runtime.model.set, user: { ...benchClerk, roles: [benchRole.name] }, locale: 'en' });
    clerkId = clerk.id;
    return { url: server.url, revision: server.runtime.model.revision };
  },

  /** Signs the clerk in over HTTP (cookie + CSRF token) and issues an API token with that session, as the studio and an integration would. */
  async credentials(): Promise<Credentials> {
    const login = await json(`${server!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: benchClerk.email, password: benchClerk.password }) });
    if (login.status !== 200 || !login.cookie) throw new Error(`sign-in answered ${login.status}: ${JSON.stringify(login.body)}`);
    const cookie = login.cookie.split(';')[0]!;
    const csrfToken = String(login.body['csrfToken']);
    const issued = await json(`${server!.url}/api/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'bench integration', role: benchRole.name }),
    });
    if (issued.status !== 201) throw new Error(`token issue answered ${issued.status}: ${JSON.stringify(issued.body)}`);
    return { token: String(issued.body['token']), cookie, csrfToken };
  },

  seed: (args: { from: number; to: number; sampleSize?: number }) => seedDeals(server!.store, { ...args, revision: server!.runtime.model.revision, by: clerkId }),

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

  /** Resident set size and V8 heap of this process, in bytes (after a GC when exposed). */
  memory() {
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
  },

  async close() {
    await server?.close();
    server = undefined;
  },
});
