// An import's report is read in the reader's language, whoever started the job: a job started in
// English and read in Chinese (and the other way round) gives every rejected row's reason — record
// validation's own (a required field, a bad picklist value, a currency with too many decimals, a
// unique clash) — in the reader's language, in the JSON report and in the rejected-rows CSV. The
// expected texts are not written here: they are what the same write, refused directly through
// /api/data with the reader's Accept-Language, says. A report kept before reasons carried their
// languages (plain strings) stays readable.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { importRowsCollection } from '../../engine/import/import-store.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { upload } from './support.ts';

type Locale = 'en' | 'zh';
const locales: Locale[] = ['en', 'zh'];
const cjk = /[\u3400-\u9fff]/;

let server: TestServer;
let dir: string;

const columns = { code: 'Code', name: 'Name', tier: 'Tier', credit: 'Credit' };
const mapping = { name: 'accountsByLanguage', targets: [{ entity: 'account', columns }] };
// JSON Lines: values that are not text reach the record's own validation as they are (text would be
// parsed, and refused, by the import's mapping first).
const source = [
  { Code: 'A1', Name: 'Valid', Tier: 'gold', Credit: 10 },
  { Code: 'A2', Name: null, Tier: 'gold', Credit: 1 },
  { Code: 'A3', Name: 'Bad tier', Tier: 7, Credit: 1 },
  { Code: 'A4', Name: 'Too precise', Tier: 'silver', Credit: 1.005 },
  { Code: 'TAKEN', Name: 'Clash', Tier: 'gold', Credit: 1 },
];
const refusedCodes = ['A2', 'A3', 'A4', 'TAKEN'];

/** The record the import would write for a source row. */
function recordOf(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).filter(([, column]) => row[column] !== null).map(([field, column]) => [field, row[column]]));
}

/** What /api/data answers to the same write in `locale`: `field: message`, sorted. */
async function refusedDirectly(row: Record<string, unknown>, locale: Locale): Promise<string[]> {
  const res = await server.post<any>('/api/data/account', recordOf(row), { 'accept-language': locale });
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  return res.body.error.details.map((d: { path: string; message: string }) => `${d.path.split('/')[1] ?? ''}: ${d.message}`).sort();
}

async function report(job: string, locale: Locale) {
  const res = await server.get<any>(`/api/import/jobs/${job}/rows?limit=100`, { 'accept-language': locale });
  expect(res.status).toBe(200);
  return res.body.items as { line: number; row: Record<string, unknown>; issues: { column?: string; field?: string; reason: string }[] }[];
}

async function rejectedCsv(job: string, locale: Locale): Promise<Record<string, string>[]> {
  const res = await server.get<string>(`/api/import/jobs/${job}/rejected.csv`, { 'accept-language': locale });
  expect(res.status).toBe(200);
  return parse(res.body, { columns: true, skip_empty_lines: true, bom: true });
}

async function startJob(locale: Locale) {
  const file = path.join(dir, `accounts-${locale}.jsonl`);
  await writeFile(file, source.map((row) => JSON.stringify(row)).join('\n') + '\n');
  const up = await upload(server, file, path.basename(file));
  // The job takes the language of the request that starts it.
  const started = await server.post<{ id: string; locale: string }>('/api/import/jobs', { upload: up, mapping, mode: 'dryRun' }, { 'accept-language': locale });
  expect(started.status).toBe(202);
  expect(started.body.locale).toBe(locale);
  await importServices.get(server.server.services)!.idle();
  const job = await server.get<any>(`/api/import/jobs/${started.body.id}`);
  expect(job.body).toMatchObject({ status: 'done', counts: { created: 1, rejected: refusedCodes.length } });
  return job.body as { id: string };
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-language-'));
  const res = await server.put('/api/meta/entities/account', {
    kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name',
    fields: {
      code: { type: 'text', required: true, unique: true },
      name: { type: 'text', required: true },
      tier: { type: 'picklist', options: { gold: { label: 'Gold' }, silver: { label: 'Silver' } } },
      credit: { type: 'currency', currency: 'CNY' },
    },
  });
  expect(res.status).toBe(201);
  expect((await server.post('/api/data/account', { code: 'TAKEN', name: 'Already here' })).status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('an import report in the reader’s language', () => {
  it.each(locales)('a job started in %s: every reason of record validation reads in the reader’s language, in the JSON report and in the CSV', async (startedIn) => {
    const { id: started } = await startJob(startedIn);
    const byLocale = {} as Record<Locale, Awaited<ReturnType<typeof report>>>;
    for (const reader of locales) {
      const rows = await report(started, reader);
      byLocale[reader] = rows;
      expect(rows.map((r) => r.row['Code'])).toEqual(refusedCodes);
      for (const rejected of rows) {
        const reasons = rejected.issues.map((i) => `${i.field ?? ''}: ${i.reason}`).sort();
        expect(reasons, `${String(rejected.row['Code'])} read in ${reader}`).toEqual(await refusedDirectly(rejected.row, reader));
        for (const issue of rejected.issues) expect(cjk.test(issue.reason), `${issue.reason} read in ${reader}`).toBe(reader === 'zh');
      }
      const csv = await rejectedCsv(started, reader);
      expect(csv.map((r) => r['Code'])).toEqual(refusedCodes);
      expect(csv.map((r) => r['_reason'])).toEqual(rows.map((r) => r.issues.map((i) => `${i.column ?? i.field}: ${i.reason}`).join('; ')));
    }
    // The same report, two languages: no reason is the same text in both.
    for (const [index, rejected] of byLocale.en.entries()) {
      for (const [i, issue] of rejected.issues.entries()) expect(issue.reason).not.toBe(byLocale.zh[index]!.issues[i]!.reason);
    }
  });

  it('a report kept before reasons carried their languages (plain strings) is still read, in the reader’s language where the engine knows the phrasing', async () => {
    const { id: started } = await startJob('en');
    const rows = await server.server.store.find(importRowsCollection.name, { filter: { kind: 'true' }, sort: [], limit: 1000 });
    const kept = rows.find((r) => r.data['job'] === started && r.data['line'] === 2)!;
    const old = { ...kept.data, issues: [{ column: 'Name', field: 'name', reason: 'is required' }, { column: 'Tier', field: 'tier', reason: '旧原因' }] };
    await server.server.store.transaction((tx) => tx.replace(importRowsCollection.name, { ...kept, version: kept.version + 1, data: old }, kept.version));
    const direct = { en: await refusedDirectly({ Code: 'OLD', Name: null }, 'en'), zh: await refusedDirectly({ Code: 'OLD', Name: null }, 'zh') };
    for (const reader of locales) {
      const line = (await report(started, reader)).find((r) => r.line === 2)!;
      expect(line.issues.map((i) => `${i.field}: ${i.reason}`)).toEqual([direct[reader][0], 'tier: 旧原因']);
    }
  });
});
