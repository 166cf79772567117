// A duplicate rule is checked on every write — create, update and import — when it can be: exact
// rules compare the stored values, normalized rules the values folded (case, spaces, full-width
// characters, phone formats) through each record's key kept beside it (records/match-keys.ts).
// Their `block` refuses the write, their `warn` says so in X-CRM-Duplicates. Fuzzy rules are found
// by the duplicate scan only: one declared with "block" would block nothing, so it is refused on save.
// The entities here have no cleansing rule: what matches is the rule's own folding.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicatesOf } from '../support/duplicate-warnings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from '../import/support.ts';

let server: TestServer;
let dir: string;

const buyer = (rule: Record<string, unknown>) => ({
  kind: 'entity', name: 'buyer', label: { en: 'Buyer', zh: '买家' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, phone: { type: 'phone' } },
  duplicateRules: { samePhone: { match: ['phone'], region: 'CN', ...rule } },
});
const firm = (action: 'warn' | 'block') => ({
  kind: 'entity', name: 'firm', label: { en: 'Firm', zh: '公司' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, city: { type: 'text' } },
  duplicateRules: { sameNameCity: { match: ['name', 'city'], method: 'normalized', action } },
});

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'dup-block-'));
}, 120_000);
afterAll(async () => server?.close());

describe('a fuzzy rule cannot block', () => {
  it('is refused with action block at its pointer, en and zh; accepted with warn', async () => {
    for (const [lang, text] of [['en', 'cannot block'], ['zh', '不能阻止写入']] as const) {
      const res = await server.put<any>('/api/meta/entities/buyer', buyer({ method: 'fuzzy', action: 'block' }), { 'accept-language': lang });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/duplicateRules/samePhone/action', message: expect.stringContaining(text) })]);
    }
    expect((await server.put<any>('/api/meta/entities/buyer', buyer({ method: 'fuzzy', action: 'warn' }))).status).toBeLessThan(300);
  });
});

describe('a normalized rule, checked on every write', () => {
  it('blocks another spelling of a stored number through the API and in an import, against stored rows and earlier rows of its batch', async () => {
    expect((await server.put<any>('/api/meta/entities/buyer', buyer({ method: 'normalized', action: 'block' }))).status).toBeLessThan(300);
    const wang = await server.post<any>('/api/data/buyer', { name: '王', phone: '138 0013 8000' });
    expect(wang.status).toBe(201);
    // Stored as typed (no cleansing rule): only the rule's folding makes them one number.
    expect(wang.body.phone).toBe('138 0013 8000');
    const li = await server.post<any>('/api/data/buyer', { name: '李', phone: '+86 138-0013-8000' }, { 'accept-language': 'zh' });
    expect(li.status).toBe(409);
    expect(JSON.stringify(li.body.error.details)).toContain(wang.body.id);
    expect(JSON.stringify(li.body.error.details)).toContain('忽略大小写');
    await writeFile(path.join(dir, 'buyers.csv'), '姓名,电话\n张,139 0013 9000\n赵,１３９００１３９０００\n钱,+86 138 0013 8000\n孙,137 0000 0001\n');
    const job = await runJob(server, { upload: await upload(server, path.join(dir, 'buyers.csv'), 'buyers.csv'), mapping: { name: 'buyers', targets: [{ entity: 'buyer', columns: { name: '姓名', phone: '电话' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual([3, 4]);
  });

  it('blocks an update that makes a record another one, not a record saved as it is; a deleted record no longer counts', async () => {
    const zhou = await server.post<any>('/api/data/buyer', { name: '周', phone: '136 1111 2222' });
    expect(zhou.status).toBe(201);
    // Saved again with its own number respelled: it matches only itself.
    expect((await server.patch<any>(`/api/data/buyer/${zhou.body.id}`, { phone: '+86 136-1111-2222' }, { 'if-match': zhou.headers.get('etag')! })).status).toBe(200);
    const wu = await server.post<any>('/api/data/buyer', { name: '吴', phone: '135 0000 0000' });
    const onto = await server.patch<any>(`/api/data/buyer/${wu.body.id}`, { phone: '136-1111-2222' }, { 'if-match': wu.headers.get('etag')! });
    expect(onto.status).toBe(409);
    // The record it matched is deleted: the number is free.
    expect((await server.delete<any>(`/api/data/buyer/${zhou.body.id}`)).status).toBeLessThan(300);
    expect((await server.patch<any>(`/api/data/buyer/${wu.body.id}`, { phone: '136-1111-2222' }, { 'if-match': wu.headers.get('etag')! })).status).toBe(200);
  });

  it('warns of names written alike (case, spaces, full-width) and finds records stored before the rule was added', async () => {
    expect((await server.put<any>('/api/meta/entities/firm', { ...firm('warn'), duplicateRules: {} })).status).toBeLessThan(300);
    const acme = await server.post<any>('/api/data/firm', { name: 'Acme  Trading Ltd', city: 'Lyon' });
    expect(acme.status).toBe(201);
    // The rule arrives after the record: the apply builds its key.
    expect((await server.put<any>('/api/meta/entities/firm', firm('warn'))).status).toBeLessThan(300);
    const alike = await server.post<any>('/api/data/firm', { name: 'ＡＣＭＥ trading ltd', city: 'lyon' });
    expect(alike.status).toBe(201);
    expect(duplicatesOf(alike.headers)).toEqual([expect.objectContaining({ rule: 'sameNameCity', ids: [acme.body.id] })]);
    const elsewhere = await server.post<any>('/api/data/firm', { name: 'Acme Trading Ltd', city: 'Paris' });
    expect(duplicatesOf(elsewhere.headers)).toEqual([]);
    // The same rule blocking: a third spelling is refused.
    expect((await server.put<any>('/api/meta/entities/firm', firm('block'))).status).toBeLessThan(300);
    expect((await server.post<any>('/api/data/firm', { name: 'acme trading LTD', city: 'LYON' })).status).toBe(409);
  });

  it('rebuilds the keys when a formula the rule matches changes, and drops a merged record\'s keys', async () => {
    const person = (expression: string) => ({
      kind: 'entity', name: 'person', label: { en: 'Person', zh: '人员' }, titleField: 'first',
      fields: { first: { type: 'text', required: true }, last: { type: 'text', required: true }, full: { type: 'formula', returns: 'text', expression } },
      duplicateRules: { sameFull: { match: ['full'], method: 'normalized', action: 'block' } },
    });
    expect((await server.put<any>('/api/meta/entities/person', person("first & ' ' & last"))).status).toBeLessThan(300);
    expect((await server.post<any>('/api/data/person', { first: 'Ann', last: 'Lee' })).status).toBe(201);
    // The formula turned round: the stored "Ann Lee" becomes "Lee Ann", and its key with it.
    expect((await server.put<any>('/api/meta/entities/person', person("last & ' ' & first"))).status).toBeLessThan(300);
    expect((await server.post<any>('/api/data/person', { first: 'ann', last: 'LEE' })).status).toBe(409);
    expect((await server.post<any>('/api/data/person', { first: 'Lee', last: 'Ann' })).status).toBe(201);

    const store = server.server.services.store;
    const keysOf = async (id: string) => (await store.find('_matchKeys', { filter: { kind: 'true' }, sort: [], limit: 10_000 })).filter((entry) => entry.data['recordId'] === id);
    const a = await server.post<any>('/api/data/buyer', { name: '甲', phone: '131 2222 3333' });
    const b = await server.post<any>('/api/data/buyer', { name: '乙', phone: '131 2222 4444' });
    expect((await keysOf(b.body.id)).map((entry) => entry.data['key'])).toEqual(['+8613122224444']);
    const merged = await server.post<any>('/api/quality/buyer/merge', { survivor: a.body.id, merged: [b.body.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    // Its folded phone number no longer kept anywhere.
    expect(await keysOf(b.body.id)).toEqual([]);
    expect((await server.post<any>('/api/data/buyer', { name: '丙', phone: '+86 131-2222-4444' })).status).toBe(201);
  });

  it('warns on a write of names alike under a fuzzy rule (Latin and Chinese), within the rule\'s other fields', async () => {
    const guest = { kind: 'entity', name: 'guest', label: { en: 'Guest', zh: '客人' }, titleField: 'name', fields: { name: { type: 'text', required: true }, city: { type: 'text' } }, duplicateRules: { alike: { match: ['name', 'city'], method: 'fuzzy', threshold: 0.75, action: 'warn' } } };
    expect((await server.put<any>('/api/meta/entities/guest', guest)).status).toBeLessThan(300);
    const john = await server.post<any>('/api/data/guest', { name: 'John Smith', city: 'Lyon' });
    const ouyang = await server.post<any>('/api/data/guest', { name: '欧阳娜娜', city: '上海' });
    // Transposed, one letter off; a character short.
    expect(duplicatesOf((await server.post<any>('/api/data/guest', { name: 'smith, jon', city: 'LYON' })).headers)).toEqual([expect.objectContaining({ rule: 'alike', ids: [john.body.id] })]);
    expect(duplicatesOf((await server.post<any>('/api/data/guest', { name: '欧阳娜', city: '上海' })).headers)).toEqual([expect.objectContaining({ rule: 'alike', ids: [ouyang.body.id] })]);
    // Another city, or a name not alike: no warning.
    expect(duplicatesOf((await server.post<any>('/api/data/guest', { name: 'John Smith', city: 'Paris' })).headers)).toEqual([]);
    expect(duplicatesOf((await server.post<any>('/api/data/guest', { name: 'Jane Smithers', city: 'Lyon' })).headers)).toEqual([]);
    // Sharing a word is not enough: "robert smith" is about 0.5 alike "john smith" and "jon smith", under the rule's 0.75.
    expect(duplicatesOf((await server.post<any>('/api/data/guest', { name: 'Robert Smith', city: 'Lyon' })).headers)).toEqual([]);
  });
});

