// A merge is made from what the steward saw, and within what they may change, over HTTP with a
// clinic's patients of our own. The versions the steward read travel with the request: a record
// another user changed meanwhile refuses the merge (412 at its pointer, in the caller's language)
// instead of deleting that user's edit or overwriting it with a value the steward never saw — the
// bulk merge refuses that group alone. A field the steward's role may only read (or not see) cannot
// take another record's value through a merge any more than through a PATCH: refused at
// `/values/<field>`, and nothing changes. The steward — no admin — reads the duplicate rules over
// fields they may read (label, fields, method), which the duplicates page names clusters by, and
// gets no cluster of a rule over a field hidden from them (it told which records share that value).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let steward: TestUser;
let nurse: TestUser;

const patient = {
  kind: 'entity', name: 'patient', label: { en: 'Patient', zh: '患者' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } },
    idCard: { type: 'text', unique: true, label: { en: 'ID card number', zh: '身份证号' } },
    phone: { type: 'phone', label: { en: 'Phone', zh: '电话' } },
    notes: { type: 'text', label: { en: 'Notes', zh: '备注' } },
  },
  duplicateRules: { sameName: { label: { en: 'Same name', zh: '姓名相同' }, match: ['name'], method: 'normalized', action: 'warn' }, sameNotes: { match: ['notes'], method: 'exact' } },
};

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', [patient])).status).toBe(200);
  const roles = [
    { kind: 'role', name: 'steward', label: { en: 'Data steward', zh: '数据管理员' }, permissions: { patient: { read: 'all', create: true, update: 'all', delete: 'all', fields: { idCard: 'read', notes: 'hidden' } } } },
    { kind: 'role', name: 'nurse', label: { en: 'Nurse', zh: '护士' }, permissions: { patient: { read: 'all', update: 'all' } } },
  ];
  for (const role of roles) expect((await server.put(`/api/meta/roles/${role.name}`, role)).status).toBe(201);
  steward = await server.createUser({ email: 'steward@clinic.test', roles: ['steward'] });
  nurse = await server.createUser({ email: 'nurse@clinic.test', roles: ['nurse'] });
}, 60_000);
afterAll(async () => server?.close());

async function pair(name: string, idCards: [string, string]): Promise<[any, any]> {
  const made = [];
  for (const [i, idCard] of idCards.entries()) {
    const res = await server.post<any>('/api/data/patient', { name: i === 0 ? name : name.toUpperCase(), idCard, phone: `+86 138 0013 800${i}`, notes: `note ${i}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    made.push(res.body);
  }
  return made as [any, any];
}
const versionsOf = (...records: any[]) => Object.fromEntries(records.map((r) => [r.id, r.version]));

describe('a merge refuses records changed since the steward read them', () => {
  it('names the record another user edited, and changes nothing', async () => {
    const [kept, other] = await pair('Li Na', ['110101199001010011', '110101199001010012']);
    const read = versionsOf(kept, other);
    // The nurse corrects the other record's phone while the steward looks at the two.
    const edit = await nurse.client.patch<any>(`/api/data/patient/${other.id}`, { phone: '+86 139 0000 0001' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    for (const [locale, words] of [['en', /changed since you read it/], ['zh-CN', /读取后已被修改/]] as const) {
      for (const dryRun of ['?dryRun=true', '']) {
        const res = await steward.client.post<any>(`/api/quality/patient/merge${dryRun}`, { survivor: kept.id, merged: [other.id], versions: read }, { 'accept-language': locale });
        expect(res.status, JSON.stringify(res.body)).toBe(412);
        expect(res.body.error.details.map((d: any) => d.path)).toEqual(['/merged/0']);
        expect(res.body.error.details[0].message).toMatch(words);
      }
    }
    expect((await server.get<any>(`/api/data/patient/${other.id}`)).body.phone).toBe('+86 139 0000 0001');
    // Read again, the merge goes through.
    const again = versionsOf(kept, (await server.get<any>(`/api/data/patient/${other.id}`)).body);
    const res = await steward.client.post<any>('/api/quality/patient/merge', { survivor: kept.id, merged: [other.id], values: { phone: other.id }, versions: again });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.record.phone).toBe('+86 139 0000 0001');
  });

  it('names the survivor when it is the one edited', async () => {
    const [kept, other] = await pair('Wang Fang', ['110101199001010021', '110101199001010022']);
    expect((await nurse.client.patch<any>(`/api/data/patient/${kept.id}`, { phone: '+86 139 0000 0002' })).status).toBe(200);
    const res = await steward.client.post<any>('/api/quality/patient/merge', { survivor: kept.id, merged: [other.id], values: { phone: other.id }, versions: versionsOf(kept, other) });
    expect(res.status, JSON.stringify(res.body)).toBe(412);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(['/survivor']);
    expect((await server.get<any>(`/api/data/patient/${kept.id}`)).body.phone).toBe('+86 139 0000 0002');
    expect((await server.get(`/api/data/patient/${other.id}`)).status).toBe(200);
  });

  it('refuses only the stale group of a bulk merge', async () => {
    const [a1, a2] = await pair('Zhao Lei', ['110101199001010031', '110101199001010032']);
    const [b1, b2] = await pair('Sun Li', ['110101199001010041', '110101199001010042']);
    expect((await nurse.client.patch<any>(`/api/data/patient/${b2.id}`, { phone: '+86 139 0000 0003' })).status).toBe(200);
    const res = await steward.client.post<any>('/api/quality/patient/merge-groups', { groups: [{ survivor: a1.id, merged: [a2.id], versions: versionsOf(a1, a2) }, { survivor: b1.id, merged: [b2.id], versions: versionsOf(b1, b2) }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect({ merged: res.body.merged, failed: res.body.failed }).toEqual({ merged: 1, failed: 1 });
    expect(res.body.results[1].error.details.map((d: any) => d.path)).toEqual(['/merged/0']);
    expect((await server.get(`/api/data/patient/${a2.id}`)).status).toBe(404);
    expect((await server.get(`/api/data/patient/${b2.id}`)).status).toBe(200);
  });

  it('checks what it is given: versions of the merge\'s own records, as integers', async () => {
    const [kept, other] = await pair('Zhou Jie', ['110101199001010051', '110101199001010052']);
    const res = await steward.client.post<any>('/api/quality/patient/merge', { survivor: kept.id, merged: [other.id], versions: { [kept.id]: 'one', nobody: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path).sort()).toEqual([`/versions/${kept.id}`, '/versions/nobody'].sort());
  });
});

describe('a merge keeps to the fields the steward may change', () => {
  it('refuses a value picked for a field the role may only read or not see, at /values/<field>', async () => {
    const [kept, other] = await pair('Chen Jing', ['110101199001010061', '110101199001010062']);
    // A field only read is named as one the steward may not change; one not seen as a PATCH names it,
    // an unknown property (its existence is not told).
    for (const [field, en, zh] of [['idCard', /may not change "ID card number"/, /无权修改「身份证号」/], ['notes', /is not a known property/, /.+/]] as const) {
      for (const [locale, words] of [['en', en], ['zh-CN', zh]] as const) {
        const res = await steward.client.post<any>('/api/quality/patient/merge?dryRun=true', { survivor: kept.id, merged: [other.id], values: { [field]: other.id } }, { 'accept-language': locale });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.details.map((d: any) => d.path)).toEqual([`/values/${field}`]);
        expect(res.body.error.details[0].message).toMatch(words);
      }
    }
    const res = await steward.client.post<any>('/api/quality/patient/merge', { survivor: kept.id, merged: [other.id], values: { idCard: other.id } });
    expect(res.status).toBe(400);
    expect((await server.get<any>(`/api/data/patient/${kept.id}`)).body.idCard).toBe('110101199001010061');
    expect((await server.get(`/api/data/patient/${other.id}`)).status).toBe(200);
    // The survivor's own values of those fields stay: the merge itself is the steward's to make.
    const plain = await steward.client.post<any>('/api/quality/patient/merge', { survivor: kept.id, merged: [other.id], values: { phone: other.id } });
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
    expect((await server.get<any>(`/api/data/patient/${kept.id}`)).body).toMatchObject({ idCard: '110101199001010061', notes: 'note 0', phone: other.phone });
  });
});

describe('the steward reads the duplicate rules they work with', () => {
  it('gets each rule over fields they may read — label, fields, method — and none over a field hidden from them', async () => {
    const entity = await steward.client.get<any>('/api/meta/entities/patient');
    expect(entity.status).toBe(200);
    // The ID-card number is theirs to read only: marked so (forms and the merge dialog offer no change to it).
    expect({ idCard: entity.body.fields.idCard.readOnly, phone: entity.body.fields.phone.readOnly }).toEqual({ idCard: true, phone: undefined });
    expect(entity.body.duplicateRules).toEqual({ sameName: { label: patient.duplicateRules.sameName.label, match: ['name'], method: 'normalized' } });
    const clusters = await steward.client.get<any>('/api/quality/patient/duplicates');
    expect(clusters.status).toBe(200);
    expect(new Set(clusters.body.items.map((c: any) => c.rule))).toEqual(new Set(['sameName']));
  });
});

