// Formulas and rules that read through lookups over real HTTP: computed on write, kept current
// when the target (or a target's target) changes, checked on save, and hidden from a caller who
// cannot read what they read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const ids: Record<string, string> = {};
const dealEntity = {
  kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    account: { type: 'lookup', to: 'account' },
    amount: { type: 'number' },
    accountIndustry: { type: 'formula', returns: 'text', expression: 'account.industry' },
    regionName: { type: 'formula', returns: 'text', expression: "$exists(account.region.name) ? account.region.name : 'none'" },
    weighted: { type: 'formula', returns: 'number', expression: 'amount * account.tier' },
    leak: { type: 'formula', returns: 'text', expression: 'account.secretNote' },
  },
  rules: { tooBigForTier: { when: 'account.tier < 2 and amount > 100', field: 'amount', message: { en: 'Too big for a tier-1 account', zh: '超出一级客户上限' } } },
};

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'region', label: 'Region', fields: { name: { type: 'text' }, parent: { type: 'lookup', to: 'region' } } },
    { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text' }, industry: { type: 'text' }, tier: { type: 'integer' }, secretNote: { type: 'text' }, region: { type: 'lookup', to: 'region' } } },
    dealEntity,
    { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { read: 'all' }, account: { read: 'all', fields: { secretNote: 'hidden' } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  ids.north = (await server.post('/api/data/region', { name: 'North' })).body.id;
  ids.acme = (await server.post('/api/data/account', { name: 'Acme', industry: 'Retail', tier: 3, secretNote: 's3cret', region: ids.north })).body.id;
  ids.small = (await server.post('/api/data/account', { name: 'Small', industry: 'Bakery', tier: 1 })).body.id;
  const deal = await server.post('/api/data/deal', { name: 'd1', account: ids.acme, amount: 10 });
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  ids.deal = deal.body.id;
});
afterAll(async () => server.close());

const deal = async () => (await server.get(`/api/data/deal/${ids.deal}`)).body;

describe('formulas through lookups', () => {
  it('compute from the target and the target\'s target', async () => {
    expect(await deal()).toMatchObject({ accountIndustry: 'Retail', regionName: 'North', weighted: 30, leak: 's3cret' });
  });

  it('stay current when the target or its own target changes, without changing the record\'s version', async () => {
    const before = await deal();
    expect((await server.patch(`/api/data/account/${ids.acme}`, { industry: 'Wholesale', tier: 4 })).status).toBe(200);
    expect(await deal()).toMatchObject({ accountIndustry: 'Wholesale', weighted: 40, version: before.version });
    expect((await server.patch(`/api/data/region/${ids.north}`, { name: 'Nord' })).status).toBe(200);
    expect((await deal()).regionName).toBe('Nord');
    expect((await server.patch(`/api/data/account/${ids.acme}`, { region: null })).status).toBe(200);
    expect((await deal()).regionName).toBe('none');
    const filtered = await server.get(`/api/data/deal?filter=${encodeURIComponent(JSON.stringify({ accountIndustry: 'Wholesale' }))}`);
    expect(filtered.body.items.map((d: { name: string }) => d.name)).toEqual(['d1']);
  });

  it('follow the record to another target, and rules read through lookups too', async () => {
    const moved = await server.patch(`/api/data/deal/${ids.deal}`, { account: ids.small, amount: 50 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ accountIndustry: 'Bakery', regionName: 'none', weighted: 50 });
    const refused = await server.patch(`/api/data/deal/${ids.deal}`, { amount: 500 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: '/amount', code: 'RULE:tooBigForTier' })]);
    // A change on the target that would break the rule is not the child's write: it recomputes, never refuses.
    expect((await server.patch(`/api/data/account/${ids.small}`, { tier: 5 })).status).toBe(200);
  });

  it('are hidden from a caller who cannot read what they read through the lookup', async () => {
    const rep = await server.createUser({ roles: ['rep'] });
    const seen = (await rep.client.get(`/api/data/deal/${ids.deal}`)).body;
    expect(seen).toHaveProperty('accountIndustry');
    expect(seen).not.toHaveProperty('leak');
    expect((await rep.client.get(`/api/data/deal?filter=${encodeURIComponent('{"leak":"s3cret"}')}`)).status).toBe(400);
  });

  it('are refused on save when a step names no field of its target, or go through three lookups', async () => {
    const cases: [string, string, RegExp][] = [
      ['unknownStep', 'account.industy', /"industy" is not a field of account/],
      ['unknownSecondStep', 'account.region.nam', /"nam" is not a field of region/],
      ['threeHops', 'account.region.parent.name', /goes through more than 2 lookups/],
    ];
    for (const [name, expression, message] of cases) {
      const fields = { ...dealEntity.fields, [name]: { type: 'formula', returns: 'text', expression } };
      const refused = await server.put('/api/meta/entities/deal', { ...dealEntity, fields });
      expect(refused.status, expression).toBe(400);
      expect(refused.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: `/fields/${name}/expression`, message: expect.stringMatching(message) })]));
    }
  });
});
