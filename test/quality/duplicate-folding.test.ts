// What normalized and fuzzy duplicate rules see as the same value, over HTTP: a Latin name with and
// without its accents ("José García" and "Jose Garcia", "Zoë Müller" and "ZOE MULLER"), and a
// multi-select holding the same options in another order. The write's warning (X-CRM-Duplicates)
// and the duplicate scan both name the record created first; a name in another script keeps its
// marks (Japanese voiced kana are other syllables).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const lead = {
  kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    company: { type: 'text' },
    interests: { type: 'multipicklist', options: { crm: {}, erp: {}, bi: {} } },
  },
  duplicateRules: {
    similarName: { match: ['name'], method: 'fuzzy', threshold: 0.9 },
    sameCompany: { match: ['company'], method: 'normalized' },
    sameInterests: { match: ['interests'], method: 'normalized' },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/lead', lead);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

/** Creates a record; returns its id and the records the write warned of per rule. */
async function create(values: Record<string, unknown>): Promise<{ id: string; warned: Record<string, string[]> }> {
  const res = await server.post<any>('/api/data/lead', values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const header = res.headers.get('x-crm-duplicates');
  const warned = Object.fromEntries((header ? (JSON.parse(header) as { rule: string; ids: string[] }[]) : []).map((w) => [w.rule, w.ids]));
  return { id: res.body.id, warned };
}

async function clusters(rule: string): Promise<string[][]> {
  const res = await server.get<any>('/api/quality/lead/duplicates');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.filter((c: any) => c.rule === rule).map((c: any) => c.ids);
}

describe('accents and option order in duplicate rules', () => {
  it('a fuzzy rule finds a name written without its accents on the write and in the scan', async () => {
    const first = await create({ name: 'José García' });
    const second = await create({ name: 'Jose Garcia' });
    expect(second.warned['similarName']).toEqual([first.id]);
    expect(await clusters('similarName')).toContainEqual([first.id, second.id].sort());
  });

  it('a normalized rule folds accents of Latin letters, not the marks of other scripts', async () => {
    const first = await create({ name: 'A', company: 'Zoë Müller' });
    const second = await create({ name: 'B', company: 'ZOE MULLER' });
    expect(second.warned['sameCompany']).toEqual([first.id]);
    const kana = await create({ name: 'C', company: 'がっこう' });
    const other = await create({ name: 'D', company: 'かっこう' });
    expect(other.warned['sameCompany']).toBeUndefined();
    const found = await clusters('sameCompany');
    expect(found).toContainEqual([first.id, second.id].sort());
    expect(found.flat()).not.toContain(kana.id);
  });

  it('a normalized rule over a multi-select compares the options, not their order', async () => {
    const first = await create({ name: 'E', interests: ['crm', 'erp'] });
    const second = await create({ name: 'F', interests: ['erp', 'crm'] });
    const third = await create({ name: 'G', interests: ['erp'] });
    expect(second.warned['sameInterests']).toEqual([first.id]);
    expect(third.warned['sameInterests']).toBeUndefined();
    expect(await clusters('sameInterests')).toEqual([[first.id, second.id].sort()]);
  });
});
