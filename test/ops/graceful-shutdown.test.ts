// SIGTERM mid-load: the server stops accepting, finishes the requests in flight, stops the
// scheduler and closes the store, and exits 0; started again on the same data folder it has every
// create it acknowledged (2xx), complete.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/test-server.ts';
import { adminToken, serveChild, type ServedChild } from './support/serve-child.ts';

const writers = 8;

describe('graceful shutdown', { timeout: 240_000 }, () => {
  const dirs: string[] = [];
  const children: ServedChild[] = [];
  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('SIGTERM under concurrent creates: exit 0, and every acknowledged create is there, complete', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-shutdown-'));
    dirs.push(dataDir);
    const server = await serveChild(dataDir);
    children.push(server);
    const token = await adminToken(server.url);
    const client: ApiClient = apiClient(server.url, { authorization: `Bearer ${token}` });
    const entity = { kind: 'entity', name: 'probe', label: 'Probe', fields: { name: { type: 'text', required: true }, writer: { type: 'integer' }, payload: { type: 'textarea', maxLength: 10_000 }, number: { type: 'autonumber', prefix: 'P-', digits: 8 } } };
    expect((await client.put('/api/meta/entities/probe', entity)).status).toBe(201);

    const acknowledged = new Map<string, { name: string; writer: number; payload: string }>();
    let signalled = false;
    let refusedAfterSignal = 0;
    const write = async (writer: number): Promise<void> => {
      for (let n = 0; ; n++) {
        const sent = { name: `w${writer}n${n}`, writer, payload: `${writer}:${n}:`.padEnd(2000, 'x') };
        let res;
        try {
          res = await client.post('/api/data/probe', sent);
        } catch {
          // Refused or reset: only once the server was told to stop.
          expect(signalled).toBe(true);
          refusedAfterSignal++;
          return;
        }
        if (res.status === 201) acknowledged.set(res.body.id, sent);
        else throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        if (acknowledged.size >= 60 && !signalled) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    const exit = await server.exited;
    expect(exit, server.stderr()).toEqual({ code: 0, signal: null });
    expect(refusedAfterSignal).toBe(writers);
    const logged = server.lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(logged.map((l) => l.msg)).toEqual(expect.arrayContaining(['SIGTERM: stopping', 'stopped']));
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);

    const again = await serveChild(dataDir);
    children.push(again);
    const reader = apiClient(again.url, { authorization: `Bearer ${token}` });
    const stored = new Map<string, Record<string, unknown>>();
    let cursor: string | undefined;
    do {
      const page = await reader.get(`/api/data/probe?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      for (const item of page.body.items) stored.set(item.id, item);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);
    for (const [id, sent] of acknowledged) {
      expect(stored.get(id), id).toMatchObject(sent);
      expect(stored.get(id)!['number']).toMatch(/^P-\d{8}$/);
    }
    const numbers = [...stored.values()].map((r) => r['number']);
    expect(new Set(numbers).size).toBe(numbers.length);
    // No job is left leased to the stopped process.
    const running = await reader.get('/api/scheduler/jobs?status=running');
    expect(running.status).toBe(200);
    expect(running.body.items).toEqual([]);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});
