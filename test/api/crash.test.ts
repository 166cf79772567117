// Acceptance: the real server (`crm serve`, a child process on the embedded store) is killed with
// SIGKILL at random moments 20 times while writers create records over HTTP; after each restart
// every create that was answered 201 is readable, the store opens cleanly and the server answers.
// The moments are drawn from a seeded PRNG and counted in acknowledged writes, never in time.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFileName } from '../../engine/store/sqlite/open-sqlite-store.ts';
import { apiClient, testAdmin, type ApiClient } from '../support/test-server.ts';
import { seededRandom } from './api-helpers.ts';

const rounds = 20;
const writers = 4;
const seed = Number(process.env['CRASH_SEED'] ?? 7);

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts `crm serve` on an ephemeral port and resolves once it says where it listens. */
function serve(dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CRM_ADMIN_EMAIL: testAdmin.email, CRM_ADMIN_PASSWORD: testAdmin.password };
  delete env['MONGODB_URI'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => reject(new Error(`the server exited (${String(how)}) before listening:\n${output}`)));
  });
}

/** Signs in as the first administrator and makes an API token (kept in the data folder, so it outlives restarts). */
async function adminToken(url: string): Promise<string> {
  const anonymous = apiClient(url);
  const login = await anonymous.post('/api/auth/login', { email: testAdmin.email, password: testAdmin.password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const session = apiClient(url, { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': login.body.csrfToken });
  const token = await session.post('/api/auth/tokens', { name: 'crash test', role: 'admin' });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  return token.body.token as string;
}

/** Every record of the entity, paged through the API. */
async function allRecords(client: ApiClient): Promise<{ id: string; number: string }[]> {
  const out: { id: string; number: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get(`/api/data/crashProbe?limit=1000&fields=id,number${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

function integrityCheck(dataDir: string): string {
  const db = new Database(path.join(dataDir, databaseFileName));
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('crash safety of the served API', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every create answered 201 across ${rounds} SIGKILLs of the server (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-api-crash-'));
    dirs.push(dataDir);

    let server = await serve(dataDir);
    children.push(server.child);
    const token = await adminToken(server.url);
    const clientFor = (url: string): ApiClient => apiClient(url, { authorization: `Bearer ${token}` });
    let client = clientFor(server.url);

    const entity = { kind: 'entity', name: 'crashProbe', label: 'Crash probe', fields: { name: { type: 'text', required: true }, writer: { type: 'integer' }, number: { type: 'autonumber', prefix: 'C-', digits: 8 } } };
    expect((await client.put('/api/meta/entities/crashProbe', entity)).status).toBe(201);

    const acknowledged = new Set<string>();
    const killedAfter: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const killAfter = 1 + Math.floor(random() * 25);
      let ackedThisRound = 0;
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        server.child.kill('SIGKILL');
      };
      const write = async (writer: number): Promise<void> => {
        for (let n = 0; !killed; n++) {
          let res;
          try {
            res = await client.post('/api/data/crashProbe', { name: `r${round}w${writer}n${n}`, writer });
          } catch {
            return; // the connection died with the server: not acknowledged
          }
          if (res.status !== 201) throw new Error(`round ${round}: ${res.status} ${JSON.stringify(res.body)}`);
          acknowledged.add(res.body.id);
          if (++ackedThisRound >= killAfter) kill();
        }
      };
      await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
      expect(await server.exited).toBe('SIGKILL');
      killedAfter.push(ackedThisRound);

      // The database file is intact, then the server starts on it again and has every acknowledged record.
      expect(integrityCheck(dataDir)).toBe('ok');
      server = await serve(dataDir);
      children.push(server.child);
      client = clientFor(server.url);
      expect((await client.get('/api/health')).status).toBe(200);
      const stored = await allRecords(client);
      const ids = new Set(stored.map((r) => r.id));
      const lost = [...acknowledged].filter((id) => !ids.has(id));
      expect(lost, `round ${round}: acknowledged but lost`).toEqual([]);
      // Autonumbers stay unique through crashes.
      expect(new Set(stored.map((r) => r.number)).size).toBe(stored.length);
    }

    // Each kill came at its drawn moment, with writes still in flight.
    expect(killedAfter.every((n) => n >= 1)).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(rounds);
    // The last server answers reads and writes, then stops cleanly.
    expect((await client.post('/api/data/crashProbe', { name: 'after the last crash' })).status).toBe(201);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(integrityCheck(dataDir)).toBe('ok');
    // About 40 s alone (21 server starts); more room when it shares two cores with other suites.
  }, 180_000);
});
