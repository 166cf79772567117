// An import row whose record would make its parent break a rule over a rollup is rejected — and
// nothing of it stays: not the record, not the parent's new total.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { budgetRollupModel } from '../support/budget-rollup-model.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', budgetRollupModel);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});
afterAll(async () => server?.close());

it('rejects the row that would overspend, and keeps nothing of it', async () => {
  const budget = (await server.post<any>('/api/data/budget', { name: 'Travel', limit: 100 })).body;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollup-rule-'));
  await writeFile(path.join(dir, 'expenses.csv'), `budget,amount\n${budget.id},60\n${budget.id},50\n${budget.id},30\n`);
  const job = await runJob(server, { upload: await upload(server, path.join(dir, 'expenses.csv'), 'expenses.csv'), mapping: { name: 'expenses', targets: [{ entity: 'expense', columns: { budget: 'budget', amount: 'amount' } }] }, mode: 'validOnly' });
  expect(job.counts).toMatchObject({ rows: 3, created: 2, rejected: 1 });
  const amounts = (await server.get<any>('/api/data/expense?limit=10')).body.items.map((e: { amount: number }) => e.amount).sort();
  expect(amounts).toEqual([30, 60]);
  expect((await server.get<any>(`/api/data/budget/${budget.id}`)).body.spent).toBe(90);
});
