// Batched import writes (one IN query per batch for upsert keys and exact duplicate rules, audit
// and change-log entries written together) must answer what row-by-row writes answered: a key
// repeated inside one batch updates the record its first row created; a blocking duplicate rule
// refuses a row matching a stored record, and a row matching an earlier row of the same batch; the
// audit trail and the undo see every record. The file spans several batches of 500.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, undoJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

const mapping = { name: 'members', targets: [{ entity: 'member', key: ['code'], columns: { code: 'code', name: 'name', city: 'city' } }] };

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-batch-'));
  const res = await server.put('/api/meta/entities/member', {
    kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name',
    fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, city: { type: 'text' } },
    cleansing: { name: { trim: true, halfWidth: true } },
    duplicateRules: { sameNameCity: { match: ['name', 'city'], action: 'block' } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('batched import writes', () => {
  it('updates a key repeated within a batch and blocks duplicates stored or earlier in the batch', async () => {
    const stored = await server.post<any>('/api/data/member', { code: 'S1', name: 'Stored Person', city: 'Lyon' });
    expect(stored.status).toBe(201);
    const lines = ['code,name,city'];
    const expected = new Map<string, { name: string; city: string }>();
    const blocked = new Set<string>();
    for (let i = 1; i <= 1200; i++) {
      lines.push(`M${i},Person ${i},City ${i % 7}`);
      expected.set(`M${i}`, { name: `Person ${i}`, city: `City ${i % 7}` });
    }
    // In the second batch: M600's key again (an update of the record created a few rows earlier)…
    lines.splice(610, 0, 'M600,Person 600 bis,City 5');
    expected.set('M600', { name: 'Person 600 bis', city: 'City 5' });
    // …a row whose name and city are a stored record's (blocked), one duplicating an earlier row of
    // the same batch, full-width so that only its cleansed form matches (blocked)…
    lines.splice(700, 0, 'X1,Stored Person,Lyon', 'X2,  Ｐｅｒｓｏｎ 650 ,City 6');
    blocked.add('X1').add('X2');
    const file = path.join(dir, 'members.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const job = await runJob(server, { upload: await upload(server, file, 'members.csv'), mapping, mode: 'validOnly' });
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ rows: lines.length - 1, created: 1200, updated: 1, rejected: 2 });
    const rejected = await rejectedRows(server, job.id);
    expect(new Set(rejected.map((r) => r.row.code))).toEqual(blocked);
    for (const row of rejected) expect(row.issues.map((i: any) => i.reason).join(' ')).toMatch(/duplicate/);

    const all: any[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await server.get<any>(`/api/data/member?limit=500&sort=code${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      all.push(...page.body.items);
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    const got = new Map(all.filter((r) => r.code !== 'S1').map((r) => [r.code, { name: r.name, city: r.city }]));
    expect(got).toEqual(expected);
    const m600 = all.find((r) => r.code === 'M600');
    expect(m600.version).toBe(2);
    const history = await server.get<any>(`/api/data/member/${m600.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((e: any) => e.action)).toEqual(['create', 'import']);

    const undo = await server.post<any>(`/api/import/jobs/${job.id}/undo?dryRun=true`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    // M600 was created, then updated by the same import: the update is undone (restored), its creation is "changed since".
    expect(undo.body).toMatchObject({ deleted: 1199, restored: 1 });
    expect(undo.body.changedSince).toEqual([expect.objectContaining({ id: m600.id, version: 2, importedVersion: 1 })]);
  }, 240_000);

  it('refuses the rows whose unique field clashes (records are inserted many per statement) and writes every other row', async () => {
    const res = await server.put('/api/meta/entities/subscriber', {
      kind: 'entity', name: 'subscriber', label: { en: 'Subscriber', zh: '订阅者' }, titleField: 'code',
      fields: { code: { type: 'text', required: true, unique: true }, email: { type: 'email', unique: true } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await server.post<any>('/api/data/subscriber', { code: 'S0', email: 'taken@example.com' })).status).toBe(201);
    const lines = ['code,email'];
    for (let i = 1; i <= 700; i++) lines.push(`A${i},a${i}@example.com`);
    // In the first batch: a stored record's e-mail; in the second: the e-mail of a row a few lines before.
    lines.splice(100, 0, 'X1,taken@example.com');
    lines.splice(650, 0, 'X2,a640@example.com');
    const file = path.join(dir, 'subscribers.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const subscribers = { name: 'subscribers', targets: [{ entity: 'subscriber', key: ['code'], columns: { code: 'code', email: 'email' } }] };
    const uploaded = await upload(server, file, 'subscribers.csv');
    const dry = await runJob(server, { upload: uploaded, mapping: subscribers, mode: 'dryRun' });
    expect(dry.counts).toMatchObject({ rows: 702, created: 700, rejected: 2 });
    const job = await runJob(server, { upload: uploaded, mapping: subscribers, mode: 'validOnly' });
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ rows: 702, created: 700, rejected: 2 });
    const rejected = await rejectedRows(server, job.id);
    expect(rejected.map((r) => r.row.code).sort()).toEqual(['X1', 'X2']);
    for (const row of rejected) expect(row.issues).toEqual([expect.objectContaining({ field: 'email', column: 'email' })]);
    const codes = new Set<string>();
    for (let cursor: string | undefined; ; ) {
      const page = await server.get<any>(`/api/data/subscriber?limit=500&sort=code${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const r of page.body.items) codes.add(r.code);
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(codes.size).toBe(701);
    expect(codes.has('X1') || codes.has('X2')).toBe(false);
    // The change log keeps a run of creates as one row: undo still deletes each record, and only those.
    const undo = await undoJob(server, job.id);
    expect(undo.started.status, JSON.stringify(undo.started.body)).toBe(202);
    expect(undo.report).toMatchObject({ deleted: 700, restored: 0, missing: 0, changedSince: [], refused: [] });
    const left = await server.get<any>('/api/data/subscriber?limit=10');
    expect(left.body.items.map((r: any) => r.code)).toEqual(['S0']);
  }, 240_000);

  it('blocks a row that duplicates a stored record only once a field left empty takes its default', async () => {
    const res = await server.put('/api/meta/entities/visitor', {
      kind: 'entity', name: 'visitor', label: { en: 'Visitor', zh: '访客' }, titleField: 'name',
      fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, city: { type: 'text', default: 'Paris' } },
      duplicateRules: { sameNameCity: { match: ['name', 'city'], action: 'block' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await server.post<any>('/api/data/visitor', { code: 'V0', name: 'Anna' })).status).toBe(201);
    // The batch's read-ahead asks the rows' values as given (no city): the stored Anna in Paris is
    // found only by the per-row check of the complete record — which the read-ahead must not skip.
    const file = path.join(dir, 'visitors.csv');
    await writeFile(file, 'code,name,city\nV1,Anna,\nV2,Bob,\nV3,Anna,Lyon\n');
    const visitors = { name: 'visitors', targets: [{ entity: 'visitor', key: ['code'], columns: { code: 'code', name: 'name', city: 'city' } }] };
    const job = await runJob(server, { upload: await upload(server, file, 'visitors.csv'), mapping: visitors, mode: 'validOnly' });
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    const rejected = await rejectedRows(server, job.id);
    expect(rejected.map((r) => r.row.code)).toEqual(['V1']);
    expect(rejected[0].issues.map((i: any) => i.reason).join(' ')).toMatch(/duplicate/);
  }, 240_000);

  // The read-ahead asks a composite rule by one of its fields and matches the other parts itself: a
  // stored record sharing only the name, or only the city, must not hide nor fake a duplicate —
  // whether that field leads an index (asked by it) or not (asked by the field with most values), and
  // when so many records share the asked values that the read-ahead leaves every row to its own query.
  for (const indexed of [false, true]) {
    it(`blocks exactly the rows matching a stored record on both fields of the rule (${indexed ? 'the city indexed' : 'no index'})`, async () => {
      const entity = indexed ? 'guestIndexed' : 'guestPlain';
      const res = await server.put(`/api/meta/entities/${entity}`, {
        kind: 'entity', name: entity, label: { en: 'Guest', zh: '宾客' }, titleField: 'name',
        fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, city: { type: 'text' } },
        duplicateRules: { sameNameCity: { match: ['name', 'city'], action: 'block' } },
        ...(indexed ? { indexes: { byCity: { fields: ['city'] } } } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const stored = [['S1', 'Ann', 'Lyon'], ['S2', 'Bob', 'Paris'], ...Array.from({ length: 40 }, (_, i) => [`C${i}`, 'Cara', `Nice${i}`]), ...Array.from({ length: 40 }, (_, i) => [`Z${i}`, `Zed${i}`, 'Nice'])];
      for (const [code, name, city] of stored) expect((await server.post<any>(`/api/data/${entity}`, { code, name, city })).status).toBe(201);
      const guests = { name: `${entity}s`, targets: [{ entity, key: ['code'], columns: { code: 'code', name: 'name', city: 'city' } }] };
      const run = async (rows: string[][]) => {
        const file = path.join(dir, `${entity}-${rows[0]![0]}.csv`);
        await writeFile(file, `code,name,city\n${rows.map((r) => r.join(',')).join('\n')}\n`);
        const job = await runJob(server, { upload: await upload(server, file, path.basename(file)), mapping: guests, mode: 'validOnly' });
        expect(job.status).toBe('done');
        return (await rejectedRows(server, job.id)).map((r) => r.row.code).sort();
      };
      // Each part stored, never together: (Ann, Paris), (Bob, Lyon), (Dan, Lyon) are new.
      expect(await run([['A1', 'Ann', 'Paris'], ['A2', 'Bob', 'Paris'], ['A3', 'Ann', 'Lyon'], ['A4', 'Bob', 'Lyon'], ['A5', 'Dan', 'Lyon']])).toEqual(['A2', 'A3']);
      // Forty stored Caras, and forty stored guests in Nice: more records share the values asked than the read-ahead reads for six rows.
      expect(await run([['B1', 'Cara', 'Nice7'], ['B2', 'Cara', 'Rome'], ['B3', 'Cara', 'Nice'], ['B4', 'Ann', 'Lyon'], ['B5', 'Zed39', 'Nice'], ['B6', 'Zed39', 'Rome']])).toEqual(['B1', 'B4', 'B5']);
      const list = await server.get<any>(`/api/data/${entity}?limit=200`);
      expect(list.body.items.filter((r: any) => /^[AB]/.test(r.code)).map((r: any) => r.code).sort()).toEqual(['A1', 'A4', 'A5', 'B2', 'B3', 'B6']);
    }, 240_000);
  }
});
