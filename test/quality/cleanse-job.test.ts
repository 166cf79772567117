// A cleansing job over records stored before the entity had cleansing rules, over real HTTP: the
// dry run counts, per field and per step of its rule, the records it would change (every expected
// count computed here from the planted records) and changes nothing; the commit writes them through
// the update path with one `cleanse` audit entry each, refusing — and listing — a record whose
// cleansed phone number clashes with another's; the undo dry run names the record changed since,
// and the undo puts every other record back as it was. Bad requests are refused naming the field,
// in English and Chinese. Jobs run in the background (202 and a Location): the tests wait for the
// scheduler's background work, never for time. A job whose server stopped between slices shows its
// progress after a restart on the same data folder and ends there exactly as an uninterrupted run.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQualityModule } from '../../engine/quality/quality-module.ts';
import { engineModules } from '../../engine/server/modules.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const fields = {
  name: { type: 'text', required: true },
  phone: { type: 'phone', unique: true },
  sector: { type: 'text' },
};
const cleansing = { name: { trim: true, halfWidth: true }, phone: { phone: 'GB' }, sector: { synonyms: { technolgy: 'technology', 'soft ware': 'software' } } };

// Planted values: [name, phone, sector]. The cleansed forms are what the test expects.
const planted: [string, string | undefined, string | undefined][] = [
  ['Acme', '+44 20 7946 0001', 'technology'],
  ['  Beta   Ltd ', '+442079460002', 'technolgy'],
  ['Ｇａｍｍａ', '020 7946 0003', 'Soft Ware'],
  ['Delta', undefined, 'retail'],
  ['Ｅｐｓｉｌｏｎ  Co', '020-7946-0004', undefined],
  // Same number as Acme once written in E.164: its commit is refused (unique), the rest goes on.
  ['Zeta', '020 7946 0001', 'technology'],
];
const nameAfter = (n: string) => n.normalize('NFKC').trim().replace(/\s+/g, ' ');
const phoneAfter = (p: string) => `+44${p.replace(/\D/g, '').replace(/^44/, '').replace(/^0/, '')}`;
const sectorAfter = (s: string) => ({ technolgy: 'technology', 'soft ware': 'software' })[s.toLowerCase()] ?? s;

const ids: string[] = [];

/** Starts a cleansing job over HTTP, waits for the scheduler's background work, and reads the job back. */
async function cleanse(on: TestServer, body: unknown) {
  const res = await on.post<any>('/api/quality/company/cleanse', body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.headers.get('location')).toBe(`/api/quality/cleanse-jobs/${res.body.id}`);
  expect(res.body).toMatchObject({ status: 'running', total: planted.length, counts: { records: 0, changed: 0, written: 0, refused: 0 } });
  expect(res.body.principal).toBeUndefined();
  // The first slice runs at once in the background; the scheduler's queue runs any further slices.
  const scheduler = findWorkflowRuntime(on.server.services)!.scheduler;
  await scheduler.idle();
  await scheduler.runDue();
  const job = await on.get<any>(`/api/quality/cleanse-jobs/${res.body.id}`);
  expect(job.status).toBe(200);
  expect(job.body.status).toBe('done');
  return job.body;
}

async function records() {
  const res = await server.get<any>('/api/data/company?limit=100&sort=name');
  expect(res.status).toBe(200);
  return new Map<string, any>(res.body.items.map((r: any) => [r.id, r]));
}

beforeAll(async () => {
  server = await startTestServer();
  const entity = { kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, titleField: 'name', fields };
  expect((await server.put('/api/meta/entities/company', entity)).status).toBe(201);
  for (const [name, phone, sector] of planted) {
    const res = await server.post<any>('/api/data/company', { name, ...(phone ? { phone } : {}), ...(sector ? { sector } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  const withRules = await server.put<any>('/api/meta/entities/company', { ...entity, cleansing });
  expect(withRules.status, JSON.stringify(withRules.body)).toBe(200);
}, 120_000);
afterAll(async () => server?.close());

describe('cleansing jobs', () => {
  it('refuses bad requests naming the field, in the caller\'s language', async () => {
    const en = await server.post<any>('/api/quality/company/cleanse', { dryRun: 'yes', fields: ['name', 'nope'], examples: 99, extra: 1 }, { 'accept-language': 'en' });
    expect(en.status).toBe(400);
    const paths = Object.fromEntries(en.body.error.details.map((d: any) => [d.path, d.message]));
    expect(Object.keys(paths).sort()).toEqual(['/dryRun', '/examples', '/extra', '/fields/1']);
    expect(paths['/fields/1']).toBe('is not a field of company with a cleansing rule (name, phone, sector)');
    const zh = await server.post<any>('/api/quality/company/cleanse', { fields: ['nope'] }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([{ path: '/fields/0', message: '不是 company 中有清洗规则的字段（name、phone、sector）' }]);
    const unknown = await server.post<any>('/api/quality/nothing/cleanse', {});
    expect(unknown.status).toBe(404);
  });

  it('dry run: counts per field and step with examples, nothing written', async () => {
    const before = await records();
    const job = await cleanse(server, { dryRun: true, examples: 10 });
    const changedNames = planted.filter(([n]) => nameAfter(n) !== n);
    const changedPhones = planted.filter(([, p]) => p !== undefined && phoneAfter(p) !== p);
    const changedSectors = planted.filter(([, , s]) => s !== undefined && sectorAfter(s) !== s);
    const byField = Object.fromEntries(job.rules.map((r: any) => [r.field, r]));
    expect(byField.name.changed).toBe(changedNames.length);
    expect(byField.name.steps).toEqual({ halfWidth: planted.filter(([n]) => n.normalize('NFKC') !== n).length, trim: planted.filter(([n]) => n.normalize('NFKC').trim().replace(/\s+/g, ' ') !== n.normalize('NFKC')).length });
    expect(byField.phone).toMatchObject({ changed: changedPhones.length, steps: { phone: changedPhones.length } });
    expect(byField.sector).toMatchObject({ changed: changedSectors.length, steps: { synonyms: changedSectors.length } });
    expect(byField.sector.examples).toEqual(expect.arrayContaining(changedSectors.map(([, , s]) => expect.objectContaining({ before: s, after: sectorAfter(s!) }))));
    const anyChange = planted.filter(([n, p, s]) => nameAfter(n) !== n || (p && phoneAfter(p) !== p) || (s && sectorAfter(s) !== s));
    expect(job.counts).toEqual({ records: planted.length, changed: anyChange.length, written: 0, refused: 0 });
    expect(await records()).toEqual(before);
    const kept = await server.get<any>(`/api/quality/cleanse-jobs/${job.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.counts).toEqual(job.counts);
    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`, undefined, { 'accept-language': 'en' });
    expect(undo.status).toBe(409);
  });

  it('commit writes cleansed values with an audit entry each, refuses the clash; undo restores all but the record changed since', async () => {
    const original = await records();
    const job = await cleanse(server, { dryRun: false });
    const zeta = ids[planted.findIndex(([n]) => n === 'Zeta')]!;
    const anyChange = planted.filter(([n, p, s]) => nameAfter(n) !== n || (p && phoneAfter(p) !== p) || (s && sectorAfter(s) !== s));
    expect(job.counts).toEqual({ records: planted.length, changed: anyChange.length, written: anyChange.length - 1, refused: 1 });
    expect(job.refused).toEqual([{ id: zeta, issues: [expect.objectContaining({ message: expect.stringMatching(/phone/) })] }]);
    // Read later by someone in another language: the refusal in theirs, never both languages at once.
    const readInZh = (await server.get<any>(`/api/quality/cleanse-jobs/${job.id}`, { 'accept-language': 'zh-CN' })).body;
    const [zhIssue] = readInZh.refused[0].issues;
    expect(zhIssue.message).toMatch(/[\u3400-\u9fff]/);
    expect(zhIssue.message).not.toBe(job.refused[0].issues[0].message);
    expect(zhIssue).not.toHaveProperty('text');
    expect(job.refused[0].issues[0]).not.toHaveProperty('text');

    const after = await records();
    planted.forEach(([name, phone, sector], i) => {
      const record = after.get(ids[i]!);
      if (ids[i] === zeta) return void expect(record).toEqual(original.get(zeta));
      expect(record.name).toBe(nameAfter(name));
      expect(record.phone).toBe(phone === undefined ? undefined : phoneAfter(phone));
      expect(record.sector).toBe(sector === undefined ? undefined : sectorAfter(sector));
    });
    const beta = ids[1]!;
    const history = await server.get<any>(`/api/data/company/${beta}/history`);
    expect(history.body.items.map((e: any) => e.action)).toEqual(['create', 'cleanse']);
    expect(history.body.items[1].details).toEqual({ cleanseJob: job.id });

    // Someone edits one cleansed record: the undo leaves it alone and says so.
    const gamma = ids[2]!;
    const edited = await server.patch<any>(`/api/data/company/${gamma}`, { sector: 'hardware' });
    expect(edited.status).toBe(200);
    const dry = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo?dryRun=true`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, restored: anyChange.length - 2, missing: 0 });
    expect(dry.body.changedSince).toEqual([{ id: gamma, version: edited.body.version, cleansedVersion: edited.body.version - 1 }]);
    expect((await records()).get(beta)).toEqual(after.get(beta));

    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.restored).toBe(anyChange.length - 2);
    const restored = await records();
    for (const id of ids) {
      if (id === gamma) continue;
      const { version: _v, updatedAt: _u, revision: _r, ...now } = restored.get(id);
      const { version: _v0, updatedAt: _u0, revision: _r0, ...then } = original.get(id);
      expect(now).toEqual(then);
    }
    const undoneHistory = await server.get<any>(`/api/data/company/${beta}/history`);
    expect(undoneHistory.body.items.map((e: any) => e.action)).toEqual(['create', 'cleanse', 'cleanse.undo']);
    const again = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`, undefined, { 'accept-language': 'zh-CN' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该清洗任务已撤销');
  });
});

describe('a cleansing job in the background', () => {
  it('shows its progress after a restart between slices and ends as an uninterrupted run, each record cleansed once', async () => {
    // Two records a page, one page a slice: the job is three slices, each a leased scheduler job.
    const modules = engineModules.map((m) => (m.name === 'quality' ? createQualityModule({ cleanse: { pageSize: 2, pagesPerSlice: 1 } }) : m));
    // A data folder of the test's own: closing the first server keeps it for the second.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-cleanse-'));
    const first = await startTestServer({ modules, dataDir });
    const { clock } = first;
    const entity = { kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, titleField: 'name', fields };
    expect((await first.put('/api/meta/entities/company', entity)).status).toBe(201);
    // Zeta's clash is left out: every planted record but it cleanses cleanly.
    const rows = planted.filter(([n]) => n !== 'Zeta');
    for (const [name, phone, sector] of rows) expect((await first.post('/api/data/company', { name, ...(phone ? { phone } : {}), ...(sector ? { sector } : {}) })).status).toBe(201);
    expect((await first.put('/api/meta/entities/company', { ...entity, cleansing })).status).toBe(200);

    const started = await first.post<any>('/api/quality/company/cleanse', { dryRun: false });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.id;
    // The first slice ran in the background (one page, its writes committed with the checkpoint); the next waits in the queue.
    await findWorkflowRuntime(first.server.services)!.scheduler.idle();
    const progress = await first.get<any>(`/api/quality/cleanse-jobs/${id}`);
    expect(progress.body).toMatchObject({ status: 'running', total: rows.length, counts: { records: 2 } });
    const undoTooSoon = await first.post<any>(`/api/quality/cleanse-jobs/${id}/undo`);
    expect(undoTooSoon.status).toBe(409);
    // The server stops with the job half done; another starts on the same data folder.
    await first.close();

    const second = await startTestServer({ modules, dataDir, clock });
    try {
      const midway = await second.get<any>(`/api/quality/cleanse-jobs/${id}`);
      expect(midway.status).toBe(200);
      expect(midway.body).toMatchObject({ status: 'running', total: rows.length, counts: { records: 2 } });
      await findWorkflowRuntime(second.server.services)!.scheduler.runDue();
      const done = await second.get<any>(`/api/quality/cleanse-jobs/${id}`);
      const changed = rows.filter(([n, p, s]) => nameAfter(n) !== n || (p && phoneAfter(p) !== p) || (s && sectorAfter(s) !== s));
      expect(done.body).toMatchObject({ status: 'done', total: rows.length, counts: { records: rows.length, changed: changed.length, written: changed.length, refused: 0 } });
      const list = await second.get<any>('/api/data/company?limit=100');
      expect(list.body.items).toHaveLength(rows.length);
      for (const record of list.body.items) {
        const [, phone, sector] = rows.find(([n]) => nameAfter(n) === record.name)!;
        expect(record.phone).toBe(phone === undefined ? undefined : phoneAfter(phone));
        expect(record.sector).toBe(sector === undefined ? undefined : sectorAfter(sector));
        const history = await second.get<any>(`/api/data/company/${record.id}/history`);
        const cleansed = history.body.items.filter((e: any) => e.action === 'cleanse');
        expect(cleansed.map((e: any) => e.details)).toEqual(changed.some(([n]) => nameAfter(n) === record.name) ? [{ cleanseJob: id }] : []);
      }
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
