// The data quality report on an entity nobody here wrote: completeness of multi-value fields
// (multi-picklists, multi-lookups, files), of addresses and booleans; values that the metadata,
// tightened after they were stored, now refuses (a lower maximum, a shorter text, a removed option,
// a field made required, a smaller scale); an entity with no records; and a role that may not read
// a field sees nothing of it. Every expected figure is counted from the records the test made.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

const org = { kind: 'entity', name: 'org', label: { zh: '机构' }, titleField: 'name', fields: { name: { type: 'text', required: true } } };
const empty = { kind: 'entity', name: 'nothingHere', label: { zh: '空的' }, titleField: 'title', fields: { title: { type: 'text' }, tags: { type: 'multipicklist', options: { a: {} } }, docs: { type: 'file', multiple: true } } };
const fields = {
  name: { type: 'text', required: true, label: { zh: '名字' } },
  code: { type: 'text', label: { zh: '编号' } },
  mail: { type: 'email', personal: true },
  qty: { type: 'number', scale: 3 },
  count: { type: 'integer' },
  flag: { type: 'boolean' },
  kind: { type: 'picklist', options: { a: {}, b: {} } },
  tags: { type: 'multipicklist', options: { x: {}, y: {}, z: {} } },
  orgs: { type: 'multiLookup', to: 'org' },
  docs: { type: 'file', multiple: true },
  addr: { type: 'address' },
  doubled: { type: 'formula', returns: 'number', expression: 'qty * 2' },
};
const gizmo = { kind: 'entity', name: 'gizmo', label: { zh: '小玩意' }, titleField: 'name', fields, duplicateRules: { sameMail: { match: ['mail'], method: 'exact', action: 'warn' }, sameName: { match: ['name'], method: 'fuzzy', action: 'warn' } } };
const viewer = { kind: 'role', name: 'viewer', label: { zh: '查看者' }, permissions: { gizmo: { read: 'all', fields: { mail: 'hidden' } }, org: { read: 'all' } } };

type Row = { name: string; code?: string; mail?: string; qty?: number; count?: number; flag?: boolean; kind?: string; tags?: string[]; orgs?: number; docs?: number; addr?: Record<string, string> };
const rows: Row[] = [
  { name: 'full', code: 'ABCDEFGHIJ', mail: 'a@b.test', qty: 1.125, count: 50, flag: false, kind: 'b', tags: ['x', 'z'], orgs: 2, docs: 1, addr: { city: '北京' } },
  { name: 'some', code: 'AB', mail: 'a@b.test', qty: 2.5, count: 5, flag: true, kind: 'a', tags: ['z'], orgs: 1 },
  { name: 'empty lists', tags: [], orgs: 0, docs: 0, addr: {} },
  { name: 'blank address', addr: { street: '', city: '' } },
  { name: 'bare' },
];

let server: TestServer;
const orgIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [org, empty, gizmo, viewer]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const name of ['甲', '乙']) orgIds.push((await server.post<any>('/api/data/org', { name })).body.id);
  for (const row of rows) {
    const docs = [];
    for (let i = 0; i < (row.docs ?? 0); i++) docs.push(await uploadFile(server, { entity: 'gizmo', field: 'docs', name: `${row.name}.txt`, text: row.name }));
    const { orgs, docs: _d, ...values } = row;
    const res = await server.post<any>('/api/data/gizmo', { ...values, ...(orgs !== undefined ? { orgs: orgIds.slice(0, orgs) } : {}), ...(row.docs !== undefined ? { docs } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 120_000);
afterAll(async () => server?.close());

const share = (pred: (r: Row) => boolean) => Math.round((rows.filter(pred).length / rows.length) * 1000) / 1000;

describe('the quality report on a stranger\'s entity', () => {
  it('an entity with no records: every field complete, nothing invalid, score 100', async () => {
    const res = await server.get<any>('/api/quality/nothingHere/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ records: 0, invalidRecords: 0, score: 100, completeness: { title: 1, tags: 1, docs: 1 } });
  });

  it('completeness counts an empty list as nothing, for multi-picklists, multi-lookups and files alike', async () => {
    const res = await server.get<any>('/api/quality/gizmo/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.records).toBe(rows.length);
    expect(res.body.completeness).toEqual({
      name: 1,
      code: share((r) => r.code !== undefined),
      mail: share((r) => r.mail !== undefined),
      qty: share((r) => r.qty !== undefined),
      count: share((r) => r.count !== undefined),
      // false is a value: a no is an answer.
      flag: share((r) => r.flag !== undefined),
      kind: share((r) => r.kind !== undefined),
      tags: share((r) => (r.tags?.length ?? 0) > 0),
      orgs: share((r) => (r.orgs ?? 0) > 0),
      docs: share((r) => (r.docs ?? 0) > 0),
      // An address whose parts are all blank is no address.
      addr: share((r) => Object.values(r.addr ?? {}).some((v) => v !== '')),
    });
    expect(res.body.invalidRecords).toBe(0);
  });

  it('values the tightened metadata refuses are counted at their fields, with examples', async () => {
    const tightened = {
      ...gizmo,
      fields: {
        ...fields,
        code: { ...fields.code, maxLength: 5 },
        qty: { ...fields.qty, scale: 2 },
        count: { ...fields.count, max: 10 },
        kind: { ...fields.kind, options: { a: {} } },
        tags: { ...fields.tags, options: { x: {}, y: {} } },
        flag: { ...fields.flag, required: true },
      },
    };
    const put = await server.put<any>('/api/meta/entities/gizmo', tightened);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await server.get<any>('/api/quality/gizmo/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wrong = {
      code: rows.filter((r) => (r.code?.length ?? 0) > 5),
      qty: rows.filter((r) => r.qty !== undefined && Math.round(r.qty * 100) !== r.qty * 100),
      count: rows.filter((r) => (r.count ?? 0) > 10),
      kind: rows.filter((r) => r.kind === 'b'),
      tags: rows.filter((r) => r.tags?.includes('z')),
      flag: rows.filter((r) => r.flag === undefined),
    };
    expect(res.body.invalid).toEqual(Object.fromEntries(Object.entries(wrong).map(([f, list]) => [f, list.length])));
    const names = new Map((await server.get<any>('/api/data/gizmo?limit=100')).body.items.map((i: any) => [i.id, i.name]));
    for (const [field, list] of Object.entries(wrong)) expect(res.body.invalidExamples[field].map((e: any) => names.get(e.id)).sort(), field).toEqual(list.map((r) => r.name).sort());
    expect(res.body.invalidRecords).toBe(new Set(Object.values(wrong).flat()).size);
    expect(res.body.score).toBeLessThan(100);
  });

  it('a write breaking the tightened schema and a scale is refused naming both fields, in the caller\'s language', async () => {
    const res = await server.post<any>('/api/data/gizmo', { name: 'new', code: 'TOO LONG A CODE', qty: 1.555, flag: true }, { 'accept-language': 'zh-CN' });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const details = res.body.error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['/code', '/qty']);
    expect(details.find((d) => d.path === '/qty')!.message).toContain('最多允许 2 位');
  });

  it('a role that may not read a field sees nothing of it in the report', async () => {
    const user = await server.createUser({ email: 'viewer@crm.test', roles: ['viewer'] });
    const res = await user.client.get<any>('/api/quality/gizmo/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('a@b.test');
    expect(res.body.completeness).not.toHaveProperty('mail');
    expect(res.body.completeness).toHaveProperty('tags');
    // Two records sharing a hidden e-mail are no cluster this reader is shown: it would tell them the
    // values are equal (and a fuzzy rule, how alike). The administrator sees the cluster.
    const sharing = rows.filter((r) => r.mail === 'a@b.test').length;
    expect(sharing).toBe(2);
    const all = await server.get<any>('/api/quality/gizmo/duplicates');
    expect(all.body.items.filter((c: any) => c.rule === 'sameMail').map((c: any) => c.ids.length)).toEqual([sharing]);
    const seen = await user.client.get<any>('/api/quality/gizmo/duplicates');
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.items.map((c: any) => c.rule)).not.toContain('sameMail');
    expect(res.body.duplicates.items.map((c: any) => c.rule)).not.toContain('sameMail');
    const named = await user.client.get<any>('/api/quality/gizmo/duplicates?rule=sameMail');
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).not.toContain('sameMail (');
  });
});
