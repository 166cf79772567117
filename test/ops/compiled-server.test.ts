// The compiled server (issue 16, item 3): scripts/build-server.ts bundles the engine to JavaScript
// and `node <build>/main.js serve` — no tsx — serves the API, the studio, the bundled templates
// and the metadata schemas, found from the project root whatever the working directory; the read
// pool's worker thread is its own file in the build, and a slow unindexed read runs on it.
//
// The build goes to a folder of this test's own (dist/test-…, two levels deep like dist/server),
// so a build someone runs meanwhile is not disturbed, and the server starts in an unrelated working
// directory. Records past the off-loop threshold (10,000) are loaded from this process through the
// store port into the same data folder while the server runs (two processes on one folder).

import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../scripts/build-server.ts';
import { newerSource } from '../../engine/ops/build-freshness.ts';
import { openStore } from '../../engine/store/open-store.ts';
import { apiClient, testAdmin, type ApiClient } from '../support/test-server.ts';
import { adminToken, root, serveChild, type ServedChild } from './support/serve-child.ts';

const execFileAsync = promisify(execFile);
const outDir = path.join(root, 'dist', `test-compiled-${process.pid}`);
const seeded = 12_000;
const entity = {
  kind: 'entity', name: 'probe', label: 'Probe', titleField: 'name',
  fields: { name: { type: 'text', required: true }, score: { type: 'integer' }, number: { type: 'autonumber', prefix: 'P-', digits: 6 } },
};
// No index serves this filter or this sort: the plan scans the table and sorts the matches.
const unindexed = `/api/data/probe?filter=${encodeURIComponent(JSON.stringify({ score: { $gte: 900 } }))}&sort=-score,name&limit=3&total=1`;

describe('the compiled server', { timeout: 240_000 }, () => {
  let dataDir = '';
  let elsewhere = '';
  const children: ServedChild[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const served = await serveChild(dataDir, env, [path.join(outDir, 'main.js'), 'serve'], elsewhere);
    children.push(served);
    return served;
  };
  const stop = async (served: ServedChild) => {
    served.child.kill('SIGTERM');
    expect(await served.exited, served.stderr()).toEqual({ code: 0, signal: null });
  };
  const errorsLogged = (served: ServedChild) => served.lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');

  beforeAll(async () => {
    const { files } = await buildServer(outDir);
    // The entry points (the CLI, the read pool's and the import's worker threads), and the chunks they share or load lazily — all in the one folder.
    expect(files).toEqual(expect.arrayContaining([path.join(outDir, 'main.js'), path.join(outDir, 'read-worker.js'), path.join(outDir, 'map-worker.js')].map((f) => path.relative(root, f))));
    expect(files.every((f) => path.dirname(path.resolve(root, f)) === outDir)).toBe(true);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-compiled-'));
    elsewhere = await mkdtemp(path.join(os.tmpdir(), 'crm-compiled-cwd-'));
  });
  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(outDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (elsewhere) await rm(elsewhere, { recursive: true, force: true });
  });

  it('runs with node alone: sign-in, metadata, records, templates, the studio; a slow read on the worker thread', async () => {
    const server = await start();
    expect(server.child.spawnargs).toEqual([process.execPath, path.join(outDir, 'main.js'), 'serve']);
    expect((await apiClient(server.url).get('/api/ready')).status).toBe(200);

    // Sign in with a session (cookie + CSRF) and issue an API token.
    const token = await adminToken(server.url);
    const client: ApiClient = apiClient(server.url, { authorization: `Bearer ${token}` });
    const me = await client.get('/api/auth/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.email ?? me.body.user?.email).toBe(testAdmin.email);

    // Metadata is checked against schemas/ (read from the project root): a bad field type is refused, naming it.
    const bad = await client.put('/api/meta/entities/probe', { ...entity, fields: { ...entity.fields, score: { type: 'integr' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/fields/score');
    expect((await client.put('/api/meta/entities/probe', entity)).status).toBe(201);

    const created = await client.post('/api/data/probe', { name: 'first', score: 950 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.number).toBe('P-000001');
    const read = await client.get(`/api/data/probe/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, name: 'first', score: 950, number: 'P-000001' });

    // Bundled templates (industry-templates/) and the studio (studio/dist/) are found from the build.
    const templates = await client.get('/api/templates');
    expect(templates.status).toBe(200);
    expect(JSON.stringify(templates.body)).toContain('retail');
    const page = await fetch(`${server.url}/`);
    expect(page.status, 'studio/dist is built by npm install (npm run build)').toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);

    // Past 10,000 rows an unindexed read leaves the event loop. Load them from this process.
    const store = await openStore({ dataDir });
    try {
      const first = await store.get('probe', created.body.id);
      expect(first).toBeDefined();
      for (let from = 0; from < seeded; from += 4000) {
        await store.transaction(async (tx) => {
          for (let i = from; i < from + 4000; i += 1) await tx.insert('probe', { id: `01J${String(i).padStart(23, '0')}`, version: 1, revision: first!.revision, data: { name: `seeded ${i}`, score: i % 1000 } });
        });
      }
    } finally {
      await store.close();
    }
    const matching = 1 + Array.from({ length: seeded }, (_, i) => i % 1000).filter((s) => s >= 900).length;

    // The answer of the worker thread: every match counted, the first page in order.
    const slow = await client.get(unindexed);
    expect(slow.status, JSON.stringify(slow.body)).toBe(200);
    expect(slow.body.total).toBe(matching);
    expect(slow.body.items.map((r: { score: number }) => r.score)).toEqual([999, 999, 999]);
    expect(errorsLogged(server)).toEqual([]);
    expect(server.lines.filter((l) => l.includes('compiled server is older'))).toEqual([]);
    await stop(server);
  });

  it('places that read on the worker pool: with a 1 ms budget it is cancelled (503) while a read by id answers', async () => {
    const server = await start({ CRM_REQUEST_BUDGET_MS: '1' });
    const client = apiClient(server.url, { authorization: `Bearer ${await adminToken(server.url)}` });
    const list = await client.get('/api/data/probe?limit=1');
    expect(list.status).toBe(200);
    const byId = await client.get(`/api/data/probe/${list.body.items[0].id}`);
    expect(byId.status).toBe(200);
    const slow = await client.get(unindexed);
    expect(slow.status).toBe(503);
    expect(slow.body.error.code).toBe('QUERY_TIMEOUT');
    expect((await apiClient(server.url).get('/api/health')).status).toBe(200);
    expect(existsSync(path.join(outDir, 'read-worker.js'))).toBe(true);
    expect(errorsLogged(server)).toEqual([]);
    await stop(server);
  });

  it('imports a file over 1 MB through the compiled CLI: read and mapped on its own worker thread (map-worker.js), written by the main one', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'crm-compiled-import-'));
    try {
      const lead = { kind: 'entity', name: 'lead', label: 'Lead', titleField: 'name', fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, note: { type: 'text' }, score: { type: 'integer', min: 0 } } };
      const mapping = { name: 'leads', targets: [{ entity: 'lead', key: ['code'], columns: { code: 'code', name: 'name', note: 'note', score: 'score' } }] };
      const rows = 15_000;
      const lines = ['code,name,note,score'];
      // Every 1000th score is negative (refused), so the worker's rows and the main thread's checks both show.
      for (let i = 1; i <= rows; i++) lines.push(`L${i},Lead ${i},${'a note long enough to make the file pass one megabyte '.slice(0, 60)},${i % 1000 === 0 ? -1 : i % 50}`);
      await writeFile(path.join(work, 'leads.csv'), lines.join('\n') + '\n');
      expect((await stat(path.join(work, 'leads.csv'))).size).toBeGreaterThan(1_000_000);
      await writeFile(path.join(work, 'lead.json'), JSON.stringify(lead));
      await writeFile(path.join(work, 'leads.json'), JSON.stringify(mapping));
      const crm = (args: string[]) => execFileAsync(process.execPath, [path.join(outDir, 'main.js'), ...args], { cwd: elsewhere, env: { ...process.env, DATA_DIR: path.join(work, 'data'), MONGODB_URI: '', CRM_LOG_LEVEL: 'warn' } });
      await crm(['meta', 'apply', path.join(work, 'lead.json')]);
      const { stdout, stderr } = await crm(['import', path.join(work, 'leads.csv'), '--mapping', path.join(work, 'leads.json'), '--mode', 'validOnly', '--no-progress']);
      expect(stdout).toMatch(new RegExp(`: done — ${rows} rows, ${rows - 15} created, 0 updated, 0 unchanged, 15 rejected`));
      // The worker took over (map-worker.js is built on its own, its packages inside): had it failed, the main thread would have done it all, and logged so.
      expect(`${stdout}${stderr}`).not.toContain('map worker');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('warns at start when a source under engine/ is newer than the build', async () => {
    const built = path.join(outDir, 'stale-check.js');
    await writeFile(built, '');
    await utimes(built, new Date('2001-01-01'), new Date('2001-01-01'));
    expect(await newerSource(built)).toMatch(/^engine\/.+\.ts$/);
    const future = new Date(Date.now() + 3_600_000);
    await utimes(built, future, future);
    expect(await newerSource(built)).toBeUndefined();
    expect(await newerSource(path.join(root, 'engine/ops/build-freshness.ts'))).toBeUndefined();
  });
});
