// A cleansing job run by a data steward who is no admin, over HTTP, with a clinic's patients of our
// own: it cleanses the records the steward may update (others are left, and not counted), and only
// the fields the steward may change. A field their role may only read is not rewritten by their job,
// and one hidden from them is neither rewritten nor shown in the report's before → after examples
// (it showed the hidden values). Naming such a field is refused at `/fields/<i>`; a steward who may
// change none of the cleansed fields is told so (403) before a job starts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let steward: TestUser;
let reader: TestUser;
const patient = {
  kind: 'entity', name: 'patient', label: { en: 'Patient', zh: '患者' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } },
    city: { type: 'text', label: { en: 'City', zh: '城市' } },
    phone: { type: 'text', label: { en: 'Phone', zh: '电话' } },
    diagnosis: { type: 'text', label: { en: 'Diagnosis', zh: '诊断' } },
  },
};
const cleansing = { city: { trim: true, case: 'upper' }, phone: { trim: true, halfWidth: true }, diagnosis: { trim: true } };
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', [patient])).status).toBe(200);
  const grants = (fields: Record<string, string>) => ({ patient: { read: 'all', create: true, update: 'own', delete: 'own', fields } });
  for (const role of [
    { kind: 'role', name: 'steward', label: { en: 'Data steward', zh: '数据管理员' }, permissions: grants({ city: 'read', diagnosis: 'hidden' }) },
    { kind: 'role', name: 'reader', label: { en: 'Reader', zh: '只读' }, permissions: grants({ city: 'read', phone: 'read', diagnosis: 'hidden' }) },
  ]) expect((await server.put(`/api/meta/roles/${role.name}`, role)).status).toBe(201);
  steward = await server.createUser({ email: 'steward@clinic.test', roles: ['steward'] });
  reader = await server.createUser({ email: 'reader@clinic.test', roles: ['reader'] });
  // Stored before the rules: the steward's own patient (values set by the admin) and someone else's.
  ids['mine'] = (await steward.client.post<any>('/api/data/patient', { name: '李娜', phone: ' １３９ ００００ ０００１ ' })).body.id;
  expect((await server.patch(`/api/data/patient/${ids['mine']}`, { city: ' beijing ', diagnosis: ' flu ' })).status).toBe(200);
  ids['theirs'] = (await server.post<any>('/api/data/patient', { name: 'Wang Fang', city: ' shanghai ', phone: ' 135 ' })).body.id;
  const rules = await server.put<any>('/api/meta/entities/patient', { ...patient, cleansing });
  expect(rules.status, JSON.stringify(rules.body)).toBeLessThan(300);
}, 60_000);
afterAll(async () => server?.close());

async function finished(client: TestUser['client'], location: string): Promise<any> {
  for (;;) {
    const job = await client.get<any>(location);
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    if (job.body.status !== 'running') return job.body;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a steward\'s cleansing job', () => {
  it('cleanses only the fields the steward may change, on the records they may update', async () => {
    const dry = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(202);
    expect(dry.body.fields).toEqual(['phone']);
    const report = await finished(steward.client, `/api/quality/cleanse-jobs/${dry.body.id}`);
    // The steward's patient is checked; someone else's, which they read but may not update, is left and counted.
    expect({ total: report.total, outOfScope: report.outOfScope }).toEqual({ total: 1, outOfScope: 1 });
    expect(JSON.stringify(report)).not.toContain('flu');
    expect(report.rules.map((r: any) => r.field)).toEqual(['phone']);
    expect(report.rules[0].examples).toEqual([{ id: ids['mine'], before: ' １３９ ００００ ０００１ ', after: '139 0000 0001' }]);

    const run = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: false });
    expect(run.status).toBe(202);
    expect((await finished(steward.client, `/api/quality/cleanse-jobs/${run.body.id}`)).counts.written).toBe(1);
    expect((await server.get<any>(`/api/data/patient/${ids['mine']}`)).body).toMatchObject({ phone: '139 0000 0001', city: ' beijing ', diagnosis: ' flu ' });
    expect((await server.get<any>(`/api/data/patient/${ids['theirs']}`)).body).toMatchObject({ city: ' shanghai ', phone: ' 135 ' });
  });

  it('refuses a field the steward may not change or see, at /fields/<i>, in their language', async () => {
    for (const [locale, words] of [['en', /you may not change "City"/], ['zh-CN', /无权修改「城市」/]] as const) {
      const res = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: true, fields: ['phone', 'city'] }, { 'accept-language': locale });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toEqual(['/fields/1']);
      expect(res.body.error.details[0].message).toMatch(words);
    }
    const hidden = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: true, fields: ['diagnosis'] });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.details.map((d: any) => d.path)).toEqual(['/fields/0']);
    expect(JSON.stringify(hidden.body)).not.toContain('diagnosis (');
  });

  it('names no hidden field when a named field has no rule, and answers a hidden one alike', async () => {
    const typo = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: true, fields: ['phnoe'] });
    expect(typo.status, JSON.stringify(typo.body)).toBe(400);
    expect(typo.body.error.details.map((d: any) => d.path)).toEqual(['/fields/0']);
    expect(JSON.stringify(typo.body)).not.toContain('diagnosis');
    // Else the two answers would tell that the hidden field has a cleansing rule.
    const hidden = await steward.client.post<any>('/api/quality/patient/cleanse', { dryRun: true, fields: ['diagnosis'] });
    expect(hidden.body.error.details[0].message).toBe(typo.body.error.details[0].message);
  });

  it('tells a steward who may change none of the cleansed fields, before a job starts', async () => {
    for (const [locale, words] of [['en', /none of the fields/], ['zh-CN', /无权修改/]] as const) {
      const res = await reader.client.post<any>('/api/quality/patient/cleanse', { dryRun: true }, { 'accept-language': locale });
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.message).toMatch(words);
    }
  });
});
