// GET /api/aggregate/{entity}: the spec as a JSON parameter, refused with pointers when wrong,
// and always within the caller's access — two roles get different figures, each equal to what
// that role's records API gives when the test sums the records itself; hidden fields are 400.

import { withoutRequestId } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer, type TestUser } from '../support/test-server.ts';

const documents = [
  {
    kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
    fields: {
      name: { type: 'text', required: true },
      stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' }, lost: { label: 'Lost' } } },
      amount: { type: 'currency' },
      margin: { type: 'number' },
      closedAt: { type: 'datetime' },
      account: { type: 'lookup', to: 'account' },
    },
  },
  { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text' }, industry: { type: 'text' } } },
  { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'own', update: 'own', fields: { margin: 'hidden' } } } },
  { kind: 'role', name: 'manager', label: 'Manager', permissions: { deal: { create: true, read: 'all' }, account: { create: true, read: 'all' } } },
];

const spec = (value: unknown) => `?spec=${encodeURIComponent(JSON.stringify(value))}`;

async function listAll(client: ApiClient): Promise<Record<string, unknown>[]> {
  const res = await client.get('/api/data/deal?limit=1000');
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The test's own figures: count and sum of amount per stage, from the records API. */
function byStage(records: Record<string, unknown>[]): Record<string, { n: number; total: number }> {
  const out: Record<string, { n: number; total: number }> = {};
  for (const r of records) {
    const key = String(r['stage'] ?? null);
    out[key] ??= { n: 0, total: 0 };
    out[key].n += 1;
    out[key].total += typeof r['amount'] === 'number' ? r['amount'] : 0;
  }
  return out;
}

describe('GET /api/aggregate/{entity}', () => {
  let server: TestServer;
  let rep: TestUser;
  let manager: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', { documents });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    rep = await server.createUser({ roles: ['rep'] });
    manager = await server.createUser({ roles: ['manager'] });
    const accounts: string[] = [];
    for (const industry of ['Retail', 'Energy']) accounts.push((await manager.client.post('/api/data/account', { name: industry, industry })).body.id);
    const stages = ['open', 'won', 'lost', 'won', undefined];
    for (let i = 0; i < 10; i += 1) {
      const client = i % 2 === 0 ? rep.client : manager.client;
      const body = { name: `d${i}`, amount: 100 * (i + 1), ...(i % 2 === 1 ? { margin: i, account: accounts[i % 4 === 1 ? 0 : 1] } : {}), closedAt: `2024-0${1 + (i % 6)}-28T20:00:00Z`, ...(stages[i % 5] ? { stage: stages[i % 5] } : {}) };
      expect((await client.post('/api/data/deal', body)).status).toBe(201);
    }
  });
  afterAll(async () => server.close());

  it('gives each role the figures its own records API adds up to', async () => {
    const query = spec({ groupBy: ['stage'], measures: { n: 'count', total: { op: 'sum', field: 'amount' } } });
    const answers: Record<string, unknown>[] = [];
    for (const user of [rep, manager]) {
      const res = await user.client.get(`/api/aggregate/deal${query}`);
      expect(res.status).toBe(200);
      const fromApi = Object.fromEntries(res.body.groups.map((g: { key: { stage: string | null }; values: { n: number; total: number } }) => [String(g.key.stage), g.values]));
      expect(fromApi).toEqual(byStage(await listAll(user.client)));
      expect(res.body).toMatchObject({ entity: 'deal', truncated: false });
      answers.push(fromApi);
    }
    // The two roles really see different numbers (the rep only their own five deals).
    expect(answers[0]).not.toEqual(answers[1]);
    expect(Object.values(answers[0]!).reduce((n: number, v) => n + (v as { n: number }).n, 0)).toBe(5);
  });

  it('refuses grouping, measuring or filtering on a hidden field like an unknown one (400)', async () => {
    for (const probe of [
      { groupBy: ['margin'] },
      { measures: { m: { op: 'sum', field: 'margin' } } },
      { filter: { margin: { $gt: 1 } } },
      { measures: { m: { op: 'countDistinct', field: 'margin' } } },
    ]) {
      const hidden = await rep.client.get(`/api/aggregate/deal${spec(probe)}`);
      expect(hidden.status, JSON.stringify(probe)).toBe(400);
      const unknown = await rep.client.get(`/api/aggregate/deal${spec(JSON.parse(JSON.stringify(probe).replace('margin', 'nosuch')))}`);
      expect(JSON.stringify(withoutRequestId(hidden.body)).replace(/margin/g, 'X')).toBe(JSON.stringify(withoutRequestId(unknown.body)).replace(/nosuch/g, 'X'));
      expect((await manager.client.get(`/api/aggregate/deal${spec(probe)}`)).status).toBe(200);
    }
  });

  it('names every problem of a spec by JSON pointer', async () => {
    const res = await manager.client.get(`/api/aggregate/deal${spec({ groupBy: [{ field: 'name', bucket: 'month' }], measures: { s: { op: 'avg', field: 'stage' } }, sort: 'zzz' })}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_QUERY');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/groupBy/0/bucket', '/measures/s/field', '/sort']);
    expect((await manager.client.get('/api/aggregate/deal?spec={oops')).status).toBe(400);
    expect((await manager.client.get('/api/aggregate/deal?spek=1')).status).toBe(400);
    expect((await manager.client.get('/api/aggregate/nosuch')).status).toBe(404);
    expect((await server.anonymous.get('/api/aggregate/deal')).status).toBe(401);
  });

  it('refuses __proto__ and constructor as a measure or group name (a measure named __proto__ was dropped and the answer came back 200 without it)', async () => {
    for (const raw of ['{"measures":{"__proto__":{"op":"count"}}}', '{"groupBy":["stage"],"measures":{"n":"count","constructor":"count"}}', '{"groupBy":[{"field":"stage","as":"__proto__"}]}']) {
      const res = await manager.client.get(`/api/aggregate/deal?spec=${encodeURIComponent(raw)}`, { 'accept-language': 'zh' });
      expect(res.status, raw).toBe(400);
      expect(res.body.error.details, raw).toEqual([expect.objectContaining({ code: 'FORBIDDEN_KEY', path: expect.stringMatching(/^\/(measures\/(__proto__|constructor)|groupBy\/0\/as)$/), message: expect.stringMatching(/不允许作为键$/) })]);
    }
  });

  it('buckets datetimes by month in the zone asked for', async () => {
    // 20:00 UTC on the 28th is already the 29th in Shanghai, still the same month either way;
    // the test's own count per month from the records API must match.
    const res = await manager.client.get(`/api/aggregate/deal${spec({ groupBy: [{ field: 'closedAt', bucket: 'day', as: 'day' }], timeZone: 'Asia/Shanghai' })}`);
    const expected: Record<string, number> = {};
    for (const r of await listAll(manager.client)) {
      const local = new Date(Date.parse(String(r['closedAt'])) + 8 * 3_600_000).toISOString().slice(0, 10);
      expected[local] = (expected[local] ?? 0) + 1;
    }
    expect(Object.fromEntries(res.body.groups.map((g: { key: { day: string }; values: { count: number } }) => [g.key.day, g.values.count]))).toEqual(expected);
    expect(Object.keys(expected).every((day) => day.endsWith('-29'))).toBe(true);
  });

  it('groups by a lookup path, through records the caller may read', async () => {
    const res = await manager.client.get(`/api/aggregate/deal${spec({ groupBy: ['account.industry'], measures: { total: { op: 'sum', field: 'amount' } } })}`);
    expect(res.status).toBe(200);
    const expected: Record<string, number> = {};
    const industryOf = Object.fromEntries((await manager.client.get('/api/data/account')).body.items.map((a: { id: string; industry: string }) => [a.id, a.industry]));
    for (const r of await listAll(manager.client)) {
      const key = String(industryOf[String(r['account'])] ?? null);
      expected[key] = (expected[key] ?? 0) + Number(r['amount']);
    }
    expect(Object.fromEntries(res.body.groups.map((g: { key: Record<string, string>; values: { total: number } }) => [String(g.key['account.industry']), g.values.total]))).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['Energy', 'Retail', 'null']);
    // The rep may not read accounts: the path is unknown to them.
    expect((await rep.client.get(`/api/aggregate/deal${spec({ groupBy: ['account.industry'] })}`)).status).toBe(400);
  });
});
