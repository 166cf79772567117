// Which words of a fuzzy rule are common is learnt from the store as it is. A dry run's records are
// rolled back: the words its rows made common are no commoner in the store afterwards, and a
// write must still find the record alike that shares only such a word with it.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { duplicatesOf, fuzzySupplier } from '../support/duplicate-warnings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put<any>('/api/meta/entities/supplier', fuzzySupplier)).status).toBeLessThan(300);
}, 60_000);
afterAll(async () => server?.close());

it('a dry run of many names sharing a word leaves that word to be asked', async () => {
  const zephyrus = await server.post<any>('/api/data/supplier', { name: 'Zephyrus Trading' });
  expect(zephyrus.status).toBe(201);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fuzzy-dry-'));
  await writeFile(path.join(dir, 'suppliers.csv'), `name\n${Array.from({ length: 300 }, (_, i) => `Northwind Trading N${i}`).join('\n')}\n`);
  const job = await runJob(server, { upload: await upload(server, path.join(dir, 'suppliers.csv'), 'suppliers.csv'), mapping: { name: 'suppliers', targets: [{ entity: 'supplier', columns: { name: 'name' } }] }, mode: 'dryRun' });
  expect(job.counts).toMatchObject({ rows: 300, created: 300 });
  expect((await server.get<any>('/api/data/supplier?limit=5')).body.items).toHaveLength(1);
  // Shares "Trading" alone with it (a typo in the other word).
  const typo = await server.post<any>('/api/data/supplier', { name: 'Zephyrsu Trading' });
  expect(typo.status).toBe(201);
  expect(duplicatesOf(typo.headers)).toEqual([expect.objectContaining({ rule: 'alike', ids: [zephyrus.body.id] })]);
});
