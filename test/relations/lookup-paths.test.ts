// Lookup paths over real HTTP: filters, sorts, keyset pages and `fields=` through one and two
// lookups — and what a caller cannot read (a target record out of scope, a hidden target field,
// an unreadable target entity) neither answers nor filters.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let rep: TestUser;
const ids: Record<string, string> = {};
const q = (params: Record<string, unknown>) =>
  '?' + Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'region', label: 'Region', titleField: 'name', fields: { name: { type: 'text' } } },
    {
      kind: 'entity', name: 'account', label: 'Account', titleField: 'name',
      fields: { name: { type: 'text', required: true }, industry: { type: 'text' }, region: { type: 'lookup', to: 'region' }, secretNote: { type: 'text' }, tags: { type: 'multipicklist', options: { a: {}, b: {} } } },
    },
    { kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account', onDelete: 'setNull' }, amount: { type: 'number' } } },
    {
      kind: 'role', name: 'rep', label: 'Rep',
      permissions: { deal: { read: 'all' }, account: { create: true, read: 'own', fields: { secretNote: 'hidden' } } },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await server.createUser({ roles: ['rep'] });
  ids.north = (await server.post('/api/data/region', { name: 'North' })).body.id;
  ids.acme = (await server.post('/api/data/account', { name: 'Acme', industry: 'Retail', region: ids.north, secretNote: 'big' })).body.id;
  ids.bank = (await server.post('/api/data/account', { name: 'Bank', industry: 'Finance' })).body.id;
  ids.corner = (await rep.client.post('/api/data/account', { name: 'Corner', industry: 'Retail' })).body.id;
  for (const [name, account, amount] of [['d1', ids.acme, 5], ['d2', ids.bank, 7], ['d3', ids.corner, 9], ['d4', undefined, 1]] as const) {
    const created = await server.post('/api/data/deal', { name, amount, ...(account ? { account } : {}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(async () => server.close());

const names = (body: { items: { name: string }[] }) => body.items.map((item) => item.name);

describe('lookup paths', () => {
  it('filter, sort and answer through one and two hops', async () => {
    expect(names((await server.get(`/api/data/deal${q({ filter: { 'account.industry': 'Retail' }, sort: 'name' })}`)).body)).toEqual(['d1', 'd3']);
    expect(names((await server.get(`/api/data/deal${q({ filter: { 'account.region.name': 'North' } })}`)).body)).toEqual(['d1']);
    expect(names((await server.get(`/api/data/deal${q({ sort: '-account.name' })}`)).body)).toEqual(['d3', 'd2', 'd1', 'd4']);
    const listed = await server.get(`/api/data/deal${q({ sort: 'name', fields: 'name,account.industry,account.region.name' })}`);
    expect(listed.body.items).toEqual([
      { id: expect.any(String), name: 'd1', 'account.industry': 'Retail', 'account.region.name': 'North' },
      { id: expect.any(String), name: 'd2', 'account.industry': 'Finance' },
      { id: expect.any(String), name: 'd3', 'account.industry': 'Retail' },
      { id: expect.any(String), name: 'd4' },
    ]);
    const one = await server.get(`/api/data/deal/${listed.body.items[0].id}${q({ fields: 'name,account.name' })}`);
    expect(one.body).toEqual({ id: listed.body.items[0].id, name: 'd1', 'account.name': 'Acme' });
  });

  it('pages by keyset through a path sort', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await server.get(`/api/data/deal${q({ sort: 'account.industry,-amount', limit: '1', ...(cursor ? { cursor } : {}) })}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      seen.push(...names(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['d4', 'd2', 'd3', 'd1']);
  });

  it('stay current when the target changes', async () => {
    await server.patch(`/api/data/account/${ids.bank}`, { industry: 'Retail' });
    expect(names((await server.get(`/api/data/deal${q({ filter: { 'account.industry': 'Retail' }, sort: 'name' })}`)).body)).toEqual(['d1', 'd2', 'd3']);
    await server.patch(`/api/data/account/${ids.bank}`, { industry: 'Finance' });
  });

  it('through a target record out of the caller\'s scope yield nothing and match nothing', async () => {
    const retail = await rep.client.get(`/api/data/deal${q({ filter: { 'account.industry': 'Retail' }, total: '1' })}`);
    expect(names(retail.body)).toEqual(['d3']);
    expect(retail.body.total).toBe(1);
    expect(names((await rep.client.get(`/api/data/deal${q({ filter: { 'account.name': { $exists: false } }, sort: 'name' })}`)).body)).toEqual(['d1', 'd2', 'd4']);
    expect(names((await rep.client.get(`/api/data/deal${q({ sort: 'account.name,name' })}`)).body)).toEqual(['d1', 'd2', 'd4', 'd3']);
    const listed = await rep.client.get(`/api/data/deal${q({ sort: 'name', fields: 'name,account.industry' })}`);
    expect(listed.body.items.map((item: Record<string, unknown>) => item['account.industry'] ?? null)).toEqual([null, null, 'Retail', null]);
  });

  it('refuse a hidden target field, an unreadable target entity, a third hop and a multi-valued end, as unknown fields', async () => {
    const cases: [string, unknown][] = [
      ['filter', { 'account.secretNote': 'big' }],
      ['filter', { 'account.region.name': 'North' }],
      ['sort', 'account.secretNote'],
      ['fields', 'name,account.secretNote'],
      ['fields', 'account.region.name'],
    ];
    for (const [param, value] of cases) {
      const refused = await rep.client.get(`/api/data/deal${q({ [param]: value })}`);
      expect(refused.status, `${param}=${JSON.stringify(value)}`).toBe(400);
      expect(refused.body.error.details[0].path).toMatch(/^\/(query\/fields|sort|account\.)/);
    }
    await server.post('/api/meta/apply', [{ kind: 'entity', name: 'note', label: 'Note', fields: { deal: { type: 'lookup', to: 'deal' } } }]);
    for (const filter of [{ 'deal.account.region.name': 'North' }, { 'deal.account.tags': 'a' }, { 'deal.name.first': 'x' }]) {
      const refused = await server.get(`/api/data/note${q({ filter })}`);
      expect(refused.status, JSON.stringify(filter)).toBe(400);
      expect(refused.body.error.details[0].code).toBe('UNKNOWN_FIELD');
    }
    expect((await server.get(`/api/data/note${q({ filter: { 'deal.account.name': 'Acme' } })}`)).status).toBe(200);
  });
});
