// Several server processes on one data folder (issue 16, item 5), under concurrent writes from
// several clients: nothing acknowledged is lost — every create answered 201 is there, complete, read
// through every process — and every autonumber is unique and gap-free (1…n for n records: the
// sequence is taken inside the create's transaction, which SQLite serializes across processes with
// BEGIN IMMEDIATE and a busy timeout). Twice: two separately started `crm serve` processes, each
// written to by its own clients; and one `crm serve` with CRM_WORKERS=2 (node's cluster module,
// one port), where the access log shows that both workers took creates.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/test-server.ts';
import { adminToken, serveChild, type ServedChild } from './support/serve-child.ts';

const entity = {
  kind: 'entity', name: 'order', label: 'Order', titleField: 'name',
  fields: { name: { type: 'text', required: true }, writer: { type: 'integer' }, n: { type: 'integer' }, note: { type: 'textarea', maxLength: 2000 }, number: { type: 'autonumber', prefix: 'O-', digits: 6 } },
};
const perWriter = 25;

interface Sent {
  name: string;
  writer: number;
  n: number;
  note: string;
}

/** `writers` clients at once, each creating `perWriter` records one after another through the client it is given. */
async function writeConcurrently(clients: ApiClient[]): Promise<{ acknowledged: Map<string, Sent>; refused: string[] }> {
  const acknowledged = new Map<string, Sent>();
  const refused: string[] = [];
  await Promise.all(
    clients.map(async (client, writer) => {
      for (let n = 0; n < perWriter; n += 1) {
        const sent: Sent = { name: `w${writer}-${n}`, writer, n, note: `${writer}:${n}:`.padEnd(500, 'x') };
        const res = await client.post('/api/data/order', sent);
        if (res.status === 201) acknowledged.set(res.body.id, sent);
        else refused.push(`${res.status} ${JSON.stringify(res.body)}`);
      }
    }),
  );
  return { acknowledged, refused };
}

async function readAll(client: ApiClient): Promise<Map<string, Record<string, unknown>>> {
  const stored = new Map<string, Record<string, unknown>>();
  let cursor: string | undefined;
  do {
    const page = await client.get(`/api/data/order?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    for (const item of page.body.items) stored.set(item.id, item);
    cursor = page.body.nextCursor;
  } while (cursor);
  return stored;
}

/** Every acknowledged create is stored as sent; the autonumbers are O-000001 … O-n, each once. */
function expectNothingLostAndNumbersGapFree(acknowledged: Map<string, Sent>, stored: Map<string, Record<string, unknown>>): void {
  for (const [id, sent] of acknowledged) expect(stored.get(id), id).toMatchObject(sent);
  expect(stored.size).toBe(acknowledged.size);
  const numbers = [...stored.values()].map((r) => r['number'] as string).sort();
  expect(numbers).toEqual(Array.from({ length: stored.size }, (_, i) => `O-${String(i + 1).padStart(6, '0')}`));
}

const errorLines = (served: ServedChild) => served.lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');

/** Resolves once `count` lines of the child's log satisfy `predicate` (lines are collected by serveChild). */
function linesMatching(served: ServedChild, predicate: (line: string) => boolean, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = served.lines.filter(predicate);
      if (found.length < count) return false;
      served.child.stdout!.off('data', onData);
      resolve(found);
      return true;
    };
    const onData = () => setImmediate(check);
    served.child.stdout!.on('data', onData);
    void served.exited.then(() => reject(new Error(`exited before ${count} matching lines:\n${served.lines.join('\n')}\n${served.stderr()}`)));
    check();
  });
}

describe('several server processes on one data folder', { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  const children: ServedChild[] = [];
  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const dataFolder = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-processes-'));
    dirs.push(dir);
    return dir;
  };
  const stopped = async (served: ServedChild) => {
    served.child.kill('SIGTERM');
    expect(await served.exited, served.stderr()).toEqual({ code: 0, signal: null });
  };

  it('two `crm serve` processes, four writers each: every create in both, autonumbers unique and gap-free', async () => {
    const dataDir = await dataFolder();
    const a = await serveChild(dataDir);
    children.push(a);
    const token = await adminToken(a.url);
    const onA = apiClient(a.url, { authorization: `Bearer ${token}` });
    expect((await onA.put('/api/meta/entities/order', entity)).status).toBe(201);
    // Started once the first holds the store and the entity: it reads both at start.
    const b = await serveChild(dataDir);
    children.push(b);
    const onB = apiClient(b.url, { authorization: `Bearer ${token}` });
    expect((await onB.get('/api/meta/entities/order')).status).toBe(200);

    const { acknowledged, refused } = await writeConcurrently([onA, onB, onA, onB, onA, onB, onA, onB]);
    expect(refused).toEqual([]);
    expect(acknowledged.size).toBe(8 * perWriter);
    // Each process wrote its half.
    expect([...acknowledged.values()].filter((s) => s.writer % 2 === 0)).toHaveLength(4 * perWriter);

    for (const client of [onA, onB]) expectNothingLostAndNumbersGapFree(acknowledged, await readAll(client));
    // And by id, through the process that did not write it.
    for (const [id, sent] of acknowledged) {
      const other = sent.writer % 2 === 0 ? onB : onA;
      const res = await other.get(`/api/data/order/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(sent);
    }
    expect([...errorLines(a), ...errorLines(b)]).toEqual([]);
    await stopped(a);
    await stopped(b);
  });

  it('CRM_WORKERS=2 behind one port, eight writers: both workers take creates; every create there, autonumbers unique and gap-free', async () => {
    const dataDir = await dataFolder();
    const served = await serveChild(dataDir, { CRM_WORKERS: '2', CRM_LOG_LEVEL: 'debug' });
    children.push(served);
    const listening = await linesMatching(served, (l) => l.includes('on http://localhost:'), 2);
    const workerPids = new Set(listening.map((l) => (JSON.parse(l) as { pid: number }).pid));
    expect(workerPids.size).toBe(2);
    expect(workerPids.has(served.child.pid!)).toBe(false);

    const token = await adminToken(served.url);
    // Eight clients at once: eight connections, which the primary hands out to the workers round-robin.
    const clients = Array.from({ length: 8 }, () => apiClient(served.url, { authorization: `Bearer ${token}` }));
    expect((await clients[0]!.put('/api/meta/entities/order', entity)).status).toBe(201);

    const { acknowledged, refused } = await writeConcurrently(clients);
    expect(refused).toEqual([]);
    expect(acknowledged.size).toBe(8 * perWriter);
    expectNothingLostAndNumbersGapFree(acknowledged, await readAll(clients[1]!));

    const creates = served.lines
      .map((l) => JSON.parse(l) as { pid: number; msg: string; method?: string; path?: string; status?: number })
      .filter((l) => l.msg === 'request' && l.method === 'POST' && l.path === '/api/data/order' && l.status === 201);
    expect(creates).toHaveLength(8 * perWriter);
    const byWorker = new Map<number, number>();
    for (const line of creates) byWorker.set(line.pid, (byWorker.get(line.pid) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([...workerPids].sort());
    expect(errorLines(served)).toEqual([]);

    // SIGTERM to the primary stops both workers gracefully.
    await stopped(served);
    expect(served.lines.filter((l) => l.includes('shutdown: stopping'))).toHaveLength(2);
  });
});
