// A fuzzy rule's check on a write looks records up by the words of their names. A word most names
// share ("Trading", "有限公司") says nothing about who is alike: hundreds of records share it, and
// the lookup must still reach the one that shares the rare word — whatever order the store lists
// key entries in.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicatesOf, fuzzySupplier } from '../support/duplicate-warnings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put<any>('/api/meta/entities/supplier', fuzzySupplier)).status).toBeLessThan(300);
  // 300 suppliers whose names share two common words (and, in Chinese, two common pairs of characters).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fuzzy-common-'));
  const names = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `Northwind Trading N${i}` : `上海贸易有限公司 ${i}号`));
  await writeFile(path.join(dir, 'suppliers.csv'), `name\n${names.join('\n')}\n`);
  const job = await runJob(server, { upload: await upload(server, path.join(dir, 'suppliers.csv'), 'suppliers.csv'), mapping: { name: 'suppliers', targets: [{ entity: 'supplier', columns: { name: 'name' } }] }, mode: 'validOnly' });
  expect(job.counts).toMatchObject({ rows: 300, created: 300 });
}, 120_000);
afterAll(async () => server?.close());

describe('a fuzzy rule among names sharing common words', () => {
  it('names the record alike through its rare word (Latin: the rare word sorts after the common ones)', async () => {
    const zephyrus = await server.post<any>('/api/data/supplier', { name: 'Northwind Trading Zephyrus' });
    expect(zephyrus.status).toBe(201);
    const typo = await server.post<any>('/api/data/supplier', { name: 'Northwind Tradinq Zephyrus' });
    expect(typo.status).toBe(201);
    expect(duplicatesOf(typo.headers)).toEqual([expect.objectContaining({ rule: 'alike', ids: [zephyrus.body.id] })]);
  });

  it('names the record alike through its rare pair of characters (Chinese)', async () => {
    const original = await server.post<any>('/api/data/supplier', { name: '上海贸易有限公司 闵行分部' });
    expect(original.status).toBe(201);
    const alike = await server.post<any>('/api/data/supplier', { name: '上海贸易有限公司 闵行分布' });
    expect(duplicatesOf(alike.headers)).toEqual([expect.objectContaining({ rule: 'alike', ids: [original.body.id] })]);
  });

  // The 300 names above are alike too ("Northwind Trading N12"): the same name is named, and first.
  it('names a record of the same name first when every word of it is common (the store lists the oldest entries of a common word first)', async () => {
    for (const name of ['Northwind Trading', '上海贸易有限公司']) {
      const first = await server.post<any>('/api/data/supplier', { name });
      expect(first.status).toBe(201);
      const again = await server.post<any>('/api/data/supplier', { name: name.toUpperCase() });
      expect(again.status).toBe(201);
      const [finding] = duplicatesOf(again.headers);
      expect(finding?.rule).toBe('alike');
      expect(finding?.ids[0]).toBe(first.body.id);
    }
  });
});
