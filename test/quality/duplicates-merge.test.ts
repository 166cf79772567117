// Normalization, duplicates and merge over HTTP. A phone field normalized on write to E.164 makes
// "+44 0000 17850" and "+44-0000-17850" one value (the second is refused as not unique). Planted
// duplicates — letter case, spacing, full-width characters, transposed names, a typo, a Chinese name
// with a space, phone numbers written three ways — are found by the duplicate scan and nothing else
// is; merging re-points the children and the history to the survivor in one audited step, and undo
// puts everything back. Every expected cluster comes from the planted list below.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const person = {
  kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    mobile: { type: 'phone' },
    phone: { type: 'phone', unique: true },
    email: { type: 'email' },
    taskCount: { type: 'rollup', from: 'task', via: 'person', op: 'count' },
  },
  // mobile keeps the spelling it was given, but Chinese input's full-width digits become half-width.
  cleansing: { phone: { phone: 'GB' }, mobile: { halfWidth: true } },
  duplicateRules: {
    similarName: { match: ['name'], method: 'fuzzy', threshold: 0.85 },
    sameMobile: { match: ['mobile'], method: 'normalized', region: 'GB' },
  },
};
const task = {
  kind: 'entity', name: 'task', label: { en: 'Task', zh: '任务' }, titleField: 'subject',
  fields: { subject: { type: 'text', required: true }, person: { type: 'lookup', to: 'person', onDelete: 'restrict' } },
};

// Distinct people, each with their own mobile number…
const base = ['Alice Martin', 'Bob Stone', 'Carl House', 'Dana Lee', 'Jonathan Smith', 'Eva Novak', 'Farid Haddad', 'Grace Okafor', 'Hiro Tanaka', 'Ines Duarte', '张伟', '欧阳娜娜', 'Liam Brennan', 'Mia Rossi'];
const mobileOf = (i: number) => `+44 20 7946 ${String(1000 + i).padStart(4, '0')}`;
// …and planted duplicates of some of them: [variant name, its mobile, the base it duplicates, the rule that must find it].
const planted: { name: string; mobile: string; of: string; rule: string; kind: string }[] = [
  { kind: 'case', name: 'ALICE MARTIN', mobile: '+44 20 7946 5001', of: 'Alice Martin', rule: 'similarName' },
  { kind: 'spacing', name: '  Bob    Stone ', mobile: '+44 20 7946 5002', of: 'Bob Stone', rule: 'similarName' },
  { kind: 'full-width', name: 'Ｃａｒｌ　Ｈｏｕｓｅ', mobile: '+44 20 7946 5003', of: 'Carl House', rule: 'similarName' },
  { kind: 'transposed', name: 'Lee, Dana', mobile: '+44 20 7946 5004', of: 'Dana Lee', rule: 'similarName' },
  { kind: 'typo', name: 'Jonathon Smith', mobile: '+44 20 7946 5005', of: 'Jonathan Smith', rule: 'similarName' },
  { kind: 'Chinese spacing', name: '欧阳 娜娜', mobile: '+44 20 7946 5006', of: '欧阳娜娜', rule: 'similarName' },
  { kind: 'phone, national format', name: 'Oscar Wilde', mobile: `0${mobileOf(6).slice(4)}`, of: 'Farid Haddad', rule: 'sameMobile' },
  { kind: 'phone, dashes', name: 'Pia Berg', mobile: mobileOf(7).replace(/ /g, '-'), of: 'Grace Okafor', rule: 'sameMobile' },
  { kind: 'phone, full-width', name: 'Quentin Roy', mobile: [...mobileOf(8)].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join(''), of: 'Hiro Tanaka', rule: 'sameMobile' },
];

const ids = new Map<string, string>();

async function create(values: Record<string, unknown>) {
  const res = await server.post<any>('/api/data/person', values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  server = await startTestServer();
  // The rollup needs the task entity, which needs the person entity: person first without it.
  const { taskCount: _rollup, ...plainFields } = person.fields;
  for (const [doc, status] of [[{ ...person, fields: plainFields }, 201], [task, 201], [person, 200]] as const) {
    const res = await server.put(`/api/meta/entities/${doc.name}`, doc);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
  }
  for (const [i, name] of base.entries()) ids.set(name, (await create({ name, mobile: mobileOf(i) })).id);
  for (const p of planted) ids.set(p.name, (await create({ name: p.name, mobile: p.mobile })).id);
}, 120_000);
afterAll(async () => server?.close());

describe('normalization on write', () => {
  it('stores a phone in E.164; two spellings of one number collide on a unique field, naming it', async () => {
    const written = '+44 0000 17850';
    const first = await create({ name: 'Una Phone', phone: written });
    expect(first.phone).toBe(`+${written.replace(/\D/g, '')}`);
    const again = await server.post<any>('/api/data/person', { name: 'Vic Phone', phone: written.replace(/ /g, '-') });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body.error)).toContain('/phone');
    const zh = await server.post<any>('/api/data/person', { name: 'Vic Phone', phone: written.replace(/ /g, '-') }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(409);
    expect(zh.body.error.message).not.toBe(again.body.error.message);
    await server.delete(`/api/data/person/${first.id}`);
  });
});

describe('duplicate scan', () => {
  it('finds every planted duplicate, each by its rule, and nothing among the distinct people', async () => {
    const res = await server.get<any>('/api/quality/person/duplicates');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const found = res.body.items.map((c: any) => ({ rule: c.rule, ids: [...c.ids].sort() }));
    const expected = planted.map((p) => ({ rule: p.rule, ids: [ids.get(p.of)!, ids.get(p.name)!].sort() }));
    const order = (a: { rule: string; ids: string[] }, b: { rule: string; ids: string[] }) => `${a.rule}${a.ids[0]}`.localeCompare(`${b.rule}${b.ids[0]}`);
    expect(found.sort(order)).toEqual(expected.sort(order));
    for (const cluster of res.body.items) {
      expect(cluster.score).toBeGreaterThanOrEqual(cluster.rule === 'similarName' ? 0.85 : 1);
      expect(cluster.score).toBeLessThanOrEqual(1);
    }
    const typo = res.body.items.find((c: any) => c.ids.includes(ids.get('Jonathon Smith')));
    expect(typo.score).toBeLessThan(1);

    const one = await server.get<any>('/api/quality/person/duplicates?rule=sameMobile');
    expect(one.body.items).toHaveLength(planted.filter((p) => p.rule === 'sameMobile').length);
    const bad = await server.get<any>('/api/quality/person/duplicates?rule=nope', { 'accept-language': 'en' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('/query/rule');
  });

  it('the quality report counts the clusters, completeness per field and stale records from the same records', async () => {
    const res = await server.get<any>('/api/quality/person/report?staleDays=30');
    expect(res.status).toBe(200);
    const total = base.length + planted.length;
    expect(res.body).toMatchObject({ records: total, duplicates: { clusters: planted.length, records: planted.length * 2 }, stale: { days: 30, records: 0 } });
    expect(res.body.completeness).toMatchObject({ name: 1, mobile: 1, email: 0 });
    expect(res.body.score).toBeGreaterThan(0);
    expect(res.body.score).toBeLessThan(100);
    server.clock.advance(31 * 86_400_000);
    const later = await server.get<any>('/api/quality/person/report?staleDays=30');
    expect(later.body.stale.records).toBe(total);
    expect(later.body.score).toBeLessThan(res.body.score);
  });
});

describe('merge', () => {
  it('keeps the chosen values, re-points children and history to the survivor in one audited step; undo puts it back', async () => {
    const survivor = ids.get('Dana Lee')!;
    const duplicate = ids.get('Lee, Dana')!;
    expect((await server.patch(`/api/data/person/${duplicate}`, { email: 'dana@example.com' })).status).toBe(200);
    const taskIds: string[] = [];
    for (const subject of ['Call Dana', 'Send offer']) {
      const res = await server.post<any>('/api/data/task', { subject, person: duplicate });
      expect(res.status).toBe(201);
      taskIds.push(res.body.id);
    }
    const duplicateHistory = (await server.get<any>(`/api/data/person/${duplicate}/history`)).body.items.length;
    const survivorHistory = (await server.get<any>(`/api/data/person/${survivor}/history`)).body.items.length;
    expect((await server.get<any>(`/api/data/person/${duplicate}`)).body.taskCount).toBe(taskIds.length);

    const refused = await server.post<any>('/api/quality/person/merge', { survivor, merged: [survivor], values: { nope: survivor } }, { 'accept-language': 'en' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: any) => d.path).sort()).toEqual(['/merged', '/values/nope']);

    // The dry run says what the merge will do and changes nothing; the merge then does exactly that.
    const request = { survivor, merged: [duplicate], values: { email: duplicate } };
    const historyCount = async (id: string) => (await server.get<any>(`/api/data/person/${id}/history`)).body.items.length;
    const rehearsed = await server.post<any>('/api/quality/person/merge?dryRun=true', request);
    expect(rehearsed.status, JSON.stringify(rehearsed.body)).toBe(200);
    expect(rehearsed.body).toMatchObject({ dryRun: true, record: { id: survivor, email: 'dana@example.com', taskCount: taskIds.length }, repointed: [{ entity: 'task', field: 'person', count: taskIds.length }], unlisted: 0, moved: { audit: duplicateHistory, stateHistory: 0 }, deleted: 1 });
    expect(rehearsed.body.merge).toBeUndefined();
    expect((await server.get<any>(`/api/data/person/${duplicate}`)).status).toBe(200);
    expect((await server.get<any>(`/api/data/person/${survivor}`)).body.email).toBeUndefined();
    for (const id of taskIds) expect((await server.get<any>(`/api/data/task/${id}`)).body.person).toBe(duplicate);
    expect([await historyCount(survivor), await historyCount(duplicate)]).toEqual([survivorHistory, duplicateHistory]);
    const badDryRun = await server.post<any>('/api/quality/person/merge?dryRun=maybe', request, { 'accept-language': 'en' });
    expect(badDryRun.status).toBe(400);

    const merged = await server.post<any>('/api/quality/person/merge', request);
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const { record: _record, merge: _merge, ...did } = merged.body;
    const { record: _rehearsedRecord, dryRun: _dry, ...wouldDo } = rehearsed.body;
    expect(did).toEqual(wouldDo);
    expect(merged.body.record).toMatchObject({ id: survivor, name: 'Dana Lee', email: 'dana@example.com', taskCount: taskIds.length });
    expect((await server.get(`/api/data/person/${duplicate}`)).status).toBe(404);
    for (const id of taskIds) expect((await server.get<any>(`/api/data/task/${id}`)).body.person).toBe(survivor);
    const history = (await server.get<any>(`/api/data/person/${survivor}/history`)).body.items;
    expect(history).toHaveLength(survivorHistory + duplicateHistory + 1);
    expect(history.filter((e: any) => e.action === 'merge')).toHaveLength(1);
    expect(history.filter((e: any) => e.mergedFrom === duplicate)).toHaveLength(duplicateHistory);
    const scan = await server.get<any>('/api/quality/person/duplicates?rule=similarName');
    expect(scan.body.items.some((c: any) => c.ids.includes(survivor))).toBe(false);

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect((await server.get<any>(`/api/data/person/${duplicate}`)).body).toMatchObject({ name: 'Lee, Dana', email: 'dana@example.com', taskCount: taskIds.length });
    const back = (await server.get<any>(`/api/data/person/${survivor}`)).body;
    expect(back.email).toBeUndefined();
    expect(back.taskCount).toBe(0);
    for (const id of taskIds) expect((await server.get<any>(`/api/data/task/${id}`)).body.person).toBe(duplicate);
    // Its history back, and its own entry saying it was brought back from the survivor.
    const restoredHistory = (await server.get<any>(`/api/data/person/${duplicate}/history`)).body.items;
    expect(restoredHistory).toHaveLength(duplicateHistory + 1);
    expect(restoredHistory.filter((e: any) => e.action === 'merge.undo')).toMatchObject([{ details: { merge: merged.body.merge, survivor } }]);
    expect((await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`)).status).toBe(409);
  });
});
