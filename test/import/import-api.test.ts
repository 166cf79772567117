// Import over HTTP on a small entity: malformed lines reported (not fatal), value maps, defaults,
// upsert by a business key (a re-run creates nothing), all-or-nothing refusal, rejected rows as
// CSV with formula cells neutralized, and undo restoring updated records' old values. Also
// currency scale: more decimals than cents are refused on write, never rounded.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, undoJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

const mapping = {
  name: 'customers',
  targets: [{ entity: 'customer', key: ['code'], columns: { code: 'Code', name: 'Name', tier: 'Tier', credit: 'Credit' }, values: { tier: { Gold: 'gold', Silver: 'silver' } }, defaults: { tier: 'silver' } }],
};

async function csv(name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return upload(server, file, name);
}

async function list() {
  const res = await server.get<any>('/api/data/customer?limit=100&sort=code');
  return res.body.items.map((r: any) => ({ code: r.code, name: r.name, tier: r.tier, ...(r.credit !== undefined ? { credit: r.credit } : {}) }));
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-'));
  const res = await server.put('/api/meta/entities/customer', {
    kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name',
    fields: {
      code: { type: 'text', label: { en: 'Code', zh: '编号' }, required: true, unique: true },
      name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
      tier: { type: 'picklist', required: true, options: { gold: { label: 'Gold' }, silver: { label: 'Silver' } } },
      credit: { type: 'currency', currency: 'CNY' },
    },
  });
  expect(res.status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('import jobs', () => {
  it('reports malformed lines and bad values per row; valid rows only are written; a re-run creates nothing', async () => {
    const up = await csv('c1.csv', 'Code,Name,Tier,Credit\r\nC1,Ada,Gold,100\r\nC2,Bob,,12.345\nC4,=HYPERLINK(1),Silver,5,extra\r\nC5,Eve,Platinum,1\r\nC6,Fay,Silver,\r\nC3,"Broken,Gold');
    const job = await runJob(server, { upload: up, mapping, mode: 'validOnly' });
    expect(job.status).toBe('done');
    const rows = await rejectedRows(server, job.id);
    const reasons = Object.fromEntries(rows.map((r) => [r.row?.Code ?? `line ${r.line}`, r.issues.map((i: any) => `${i.column ?? ''}:${i.reason}`).join('|')]));
    expect(reasons['C2']).toContain('Credit:"12.345" has 3 decimals; at most 2 allowed');
    expect(reasons['C5']).toContain('Tier:"Platinum" is not one of the options');
    expect(Object.values(reasons).join(' ')).toMatch(/fields; the header has 4|cannot be read/);
    expect(await list()).toEqual([
      { code: 'C1', name: 'Ada', tier: 'gold', credit: 100 },
      { code: 'C6', name: 'Fay', tier: 'silver' },
    ]);
    expect(job.counts).toMatchObject({ created: 2, rejected: rows.length });

    // An imported create's audit entry names its source — the job, the file, the line — instead of
    // copying the values the record holds (an API create's entry copies them).
    const c1 = (await server.get<any>(`/api/data/customer?filter=${encodeURIComponent('{"code":"C1"}')}`)).body.items[0];
    const imported = (await server.get<any>(`/api/data/customer/${c1.id}/history`)).body.items;
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ action: 'create', details: { imported: { job: job.id, file: 'c1.csv', line: 2 } } });
    expect(imported[0].changes).toEqual({});
    const made = await server.post<any>('/api/data/customer', { code: 'API1', name: 'By hand', tier: 'gold' });
    const byHand = (await server.get<any>(`/api/data/customer/${made.body.id}/history`)).body.items;
    expect(byHand[0].changes).toMatchObject({ code: { after: 'API1' }, name: { after: 'By hand' } });
    expect((await server.delete(`/api/data/customer/${made.body.id}`)).status).toBeLessThan(300);

    const csvOut = await server.get<string>(`/api/import/jobs/${job.id}/rejected.csv`);
    expect(csvOut.status).toBe(200);
    expect(csvOut.body).not.toMatch(/(^|,)=HYPERLINK/m);

    const again = await runJob(server, { upload: up, mapping, mode: 'validOnly' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('all or nothing: one bad row and nothing is written', async () => {
    const up = await csv('c2.csv', 'Code,Name,Tier,Credit\nC7,Gus,Gold,1\nC8,,Gold,1\n');
    const job = await runJob(server, { upload: up, mapping, mode: 'allOrNothing' });
    expect(job).toMatchObject({ status: 'refused', counts: { rejected: 1 } });
    expect((await list()).map((r: any) => r.code)).toEqual(['C1', 'C6']);
  });

  it('undo deletes created records and gives updated ones their old values; records changed since are left alone', async () => {
    const up = await csv('c3.csv', 'Code,Name,Tier,Credit\nC1,Ada Lovelace,Silver,200\nC6,Fay,Gold,\nC9,Ivy,Gold,3\n');
    const job = await runJob(server, { upload: up, mapping, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ created: 1, updated: 2 });
    const c6 = (await server.get<any>(`/api/data/customer?filter=${encodeURIComponent('{"code":"C6"}')}`)).body.items[0];
    expect((await server.patch(`/api/data/customer/${c6.id}`, { name: 'Fay Changed' })).status).toBe(200);
    const dry = await server.post<any>(`/api/import/jobs/${job.id}/undo?dryRun=1`);
    expect(dry.body).toMatchObject({ dryRun: true, deleted: 1, restored: 1, changedSince: [{ entity: 'customer', id: c6.id }] });
    const undo = await undoJob(server, job.id);
    expect(undo.report).toMatchObject({ deleted: 1, restored: 1 });
    expect(undo.job.undo).toMatchObject({ total: 3, done: 3, deleted: 1, restored: 1, changedSince: 1, changedSinceRecords: [{ entity: 'customer', id: c6.id }] });
    expect(await list()).toEqual([
      { code: 'C1', name: 'Ada', tier: 'gold', credit: 100 },
      { code: 'C6', name: 'Fay Changed', tier: 'gold' },
    ]);
    expect((await server.get<any>(`/api/import/jobs/${job.id}`)).body.status).toBe('undone');
  });

  it('what the studio wizard reads: preview rows and distinct values per column, the entities one may import into, recent jobs (own only for a user)', async () => {
    const up = await csv('c4.csv', 'Code,Name,Tier\nD1,Dee,Gold\nD2,Dan,gold\nD3,Dot,Bronze\nD4,Dex,\n');
    const suggestion = await server.post<any>('/api/import/suggest', { upload: up, entity: 'customer' });
    expect(suggestion.status).toBe(200);
    expect(suggestion.body.suggested).toEqual({ code: 'Code', name: 'Name', tier: 'Tier' });
    expect(suggestion.body.preview.map((r: any) => r.values.Code)).toEqual(['D1', 'D2', 'D3', 'D4']);
    expect(suggestion.body.values).toEqual({ Code: ['D1', 'D2', 'D3', 'D4'], Name: ['Dee', 'Dan', 'Dot', 'Dex'], Tier: ['Gold', 'gold', 'Bronze'] });
    const missing = await server.post<any>('/api/import/suggest', { upload: '01ARZ3NDEKTSV4RRFFQ69G5FAV.csv', entity: 'customer' });
    expect(missing.status).toBe(404);

    expect((await server.get<any>('/api/import/targets')).body.items).toContain('customer');
    const reader = await server.createUser();
    expect((await reader.client.get<any>('/api/import/targets')).body.items).not.toContain('customer');

    const jobs = await server.get<any>('/api/import/jobs?limit=3');
    expect(jobs.status).toBe(200);
    expect(jobs.body.items).toHaveLength(3);
    const ids = jobs.body.items.map((j: any) => j.id);
    expect(ids).toEqual([...ids].sort().reverse());
    // The file as it was named when uploaded (not its upload id).
    expect(jobs.body.items[0]).toMatchObject({ status: 'undone', by: server.admin!.id, file: { name: 'c3.csv', format: 'csv' } });
    expect(jobs.body.items[0].file.path).toBeUndefined();
    expect((await reader.client.get<any>('/api/import/jobs')).body.items).toEqual([]);
    expect((await server.get<any>('/api/import/jobs?limit=0')).body.error.details).toEqual([expect.objectContaining({ path: '/query/limit' })]);
  });

  it('a currency value with more decimals than cents is refused on write, naming the field', async () => {
    const res = await server.post<any>('/api/data/customer', { code: 'X1', name: 'X', tier: 'gold', credit: 0.001 });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/credit', code: 'scale' })]);
  });

  it('a CSV that names no delimiter is read with the one its header line uses: semicolons, tabs; quoted ones stay in the value', async () => {
    // A spreadsheet's export where the decimal mark is a comma: a BOM, Chinese headers, semicolons,
    // blank lines and blank rows (delimiters only), which are not rows.
    const up = await csv('semi.csv', '\uFEFF编号;名称;Tier\r\n\r\nS1;"Sun; Moon";Gold\r\n;;\r\nS2;Sea, Sky;Silver\r\n\r\n ; ;\r\n');
    const suggestion = await server.post<any>('/api/import/suggest', { upload: up, entity: 'customer' });
    expect(suggestion.body.columns).toEqual(['编号', '名称', 'Tier']);
    expect(suggestion.body.suggested).toEqual({ code: '编号', name: '名称', tier: 'Tier' });
    const job = await runJob(server, { upload: up, mapping: { name: 'semi', targets: [{ entity: 'customer', key: ['code'], columns: suggestion.body.suggested, values: { tier: { Gold: 'gold', Silver: 'silver' } } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 2, created: 2, rejected: 0 });
    const stored = (await list()).filter((r: any) => r.code.startsWith('S'));
    expect(stored).toEqual([{ code: 'S1', name: 'Sun; Moon', tier: 'gold' }, { code: 'S2', name: 'Sea, Sky', tier: 'silver' }]);

    const tabs = await csv('tabs.txt', 'Code\tName\tTier\nT1\tTee, Jr.\tGold\n');
    expect((await server.post<any>('/api/import/suggest', { upload: tabs, entity: 'customer' })).body.preview[0].values).toEqual({ Code: 'T1', Name: 'Tee, Jr.', Tier: 'Gold' });
  });

  it('a value that is no option is refused naming the options by their labels in the reader\'s language (zh falls back to en, then the key), ten at most', async () => {
    // Twelve options: one labelled in both languages, one in English only, one not labelled at all.
    const options: Record<string, { label?: { en?: string; zh?: string } }> = {
      r01: { label: { en: 'North', zh: '北区' } },
      r02: { label: { en: 'Only English' } },
      r03: {},
    };
    for (let i = 4; i <= 12; i++) options[`r${String(i).padStart(2, '0')}`] = { label: { en: `Zone ${i}`, zh: `${i}区` } };
    const put = await server.put('/api/meta/entities/depot', {
      kind: 'entity', name: 'depot', label: { en: 'Depot', zh: '仓库' }, titleField: 'name',
      fields: { name: { type: 'text', required: true }, region: { type: 'picklist', options } },
    });
    expect(put.status).toBe(201);
    const up = await csv('depots.csv', 'Name,Region\nD1,Atlantis\n');
    const job = await runJob(server, { upload: up, mapping: { name: 'depots', targets: [{ entity: 'depot', columns: { name: 'Name', region: 'Region' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 1, rejected: 1 });
    const reason = async (locale: string) => {
      const res = await server.get<any>(`/api/import/jobs/${job.id}/rows?limit=10`, { 'accept-language': locale });
      expect(res.status).toBe(200);
      return res.body.items[0].issues.map((i: { reason: string }) => i.reason).join('|');
    };
    expect(await reason('en')).toBe('"Atlantis" is not one of the options (North, Only English, r03, Zone 4, Zone 5, Zone 6, Zone 7, Zone 8, Zone 9, Zone 10, …)');
    expect(await reason('zh')).toBe('「Atlantis」不是可选值（北区、Only English、r03、4区、5区、6区、7区、8区、9区、10区、…）');
  });
});
