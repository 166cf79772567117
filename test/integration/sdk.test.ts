// The typed SDK: generated from a live server's OpenAPI document (what `crm sdk` writes), it
// compiles under `tsc --strict`; a filter naming a field the entity does not have, or an entity
// that does not exist, fails to compile; its example syncs orders from a mock ERP against the
// live server (twice: the second run changes nothing).

import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApi, writeSdk } from '../../engine/cli/generate-sdk.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { erpOrders } from './support/mock-erp.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let t: TestServer;
let token: string;
let dir: string;
let erp: { url: string; received: unknown[]; close(): Promise<void> };

async function tsc(): Promise<{ ok: boolean; output: string }> {
  try {
    await run(path.join(root, 'node_modules/.bin/tsc'), ['-p', path.join(dir, 'tsconfig.json')], { cwd: root });
    return { ok: true, output: '' };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [
    { kind: 'entity', name: 'salesOrder', label: 'Sales order', fields: { number: { type: 'text', required: true, unique: true }, customer: { type: 'text' }, total: { type: 'number' } } },
    { kind: 'role', name: 'erpSync', label: 'ERP sync', permissions: { salesOrder: { create: true, read: 'all', update: 'all' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const user = await t.createUser({ roles: ['erpSync'] });
  token = (await user.client.post('/api/auth/tokens', { name: 'sync', role: 'erpSync' })).body.token;
  dir = await mkdtemp(path.join(root, '.sdk-test-'));
  await writeSdk(await fetchOpenApi(t.url, token), dir);
  const orders = erpOrders(45);
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end(req.method === 'GET' ? JSON.stringify(orders) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  erp = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
});

afterAll(async () => {
  await t?.close();
  await erp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('typed SDK', () => {
  it('compiles under tsc --strict, example included', async () => {
    const result = await tsc();
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('a filter naming a field that does not exist, or an unknown entity, fails to compile', async () => {
    const bad = path.join(dir, 'src', 'bad.ts');
    await writeFile(bad, [
      "import { createCrmClient } from './index.ts';",
      "const crm = createCrmClient({ baseUrl: 'http://x', token: 't' });",
      "export const a = crm.records('salesOrder').list({ filter: { nonexistentField: 'x' } });",
      "export const b = crm.records('salesOrder').list({ filter: { total: 'not a number' } });",
      "export const c = crm.records('noSuchEntity');",
    ].join('\n'));
    const result = await tsc();
    await rm(bad);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('nonexistentField');
    expect(result.output).toMatch(/bad\.ts\(4,/);
    expect(result.output).toContain('noSuchEntity');
  });

  it('the example syncs orders with a mock ERP against the live server; a second run changes nothing', async () => {
    const { syncOrders } = (await import(path.join(dir, 'examples', 'sync-orders.ts'))) as typeof import('../../sdk/examples/sync-orders.ts');
    const first = await syncOrders({ crmUrl: t.url, token, erpUrl: erp.url });
    expect(first).toEqual({ created: 45, updated: 0, unchanged: 0, inCrm: 45 });
    expect((erp.received[0] as unknown[]).length).toBe(45);
    const second = await syncOrders({ crmUrl: t.url, token, erpUrl: erp.url });
    expect(second).toEqual({ created: 0, updated: 0, unchanged: 45, inCrm: 45 });
    expect((await t.get('/api/data/salesOrder?total=1&limit=1')).body.total).toBe(45);
  });
});
