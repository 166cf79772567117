// The data quality report over HTTP on entities a stranger would bring: with no records it scores
// 100 (nothing is wrong), not a quarter; a rule added after records were stored — a close date
// required once a deal is won, a rule reading through a lookup — counts the records breaking it as
// invalid at the field it names, with examples; formulas and rollups (computed, never entered) are
// no fields to complete. Every expected count comes from the records the test created.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const account = { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true }, blocked: { type: 'boolean' } } };
const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '交易' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true },
    stage: { type: 'picklist', options: { open: {}, won: {} } },
    closeDate: { type: 'date' },
    account: { type: 'lookup', to: 'account' },
    amount: { type: 'currency' },
    doubled: { type: 'formula', expression: 'amount * 2', returns: 'number' },
  },
};
const line = { kind: 'entity', name: 'line', label: { en: 'Line', zh: '明细' }, titleField: 'name', fields: { name: { type: 'text', required: true }, deal: { type: 'lookup', to: 'deal' }, qty: { type: 'number' } } };
const rules = {
  closeDateWhenWon: { when: "stage = 'won' and $not($exists(closeDate))", field: 'closeDate', message: { en: 'A won deal needs its close date', zh: '赢单需要结束日期' } },
  noBlockedAccount: { when: 'account.blocked = true', message: { en: 'The account is blocked', zh: '客户已冻结' } },
};

const deals: { title: string; stage: string; closeDate?: string; blocked?: boolean }[] = [
  { title: 'won, dated', stage: 'won', closeDate: '2026-01-10' },
  { title: 'won, undated', stage: 'won' },
  { title: 'won, undated, blocked account', stage: 'won', blocked: true },
  { title: 'open', stage: 'open' },
];
const ids = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer();
  for (const doc of [account, deal, line]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

describe('the data quality report', () => {
  it('scores an entity with no records 100', async () => {
    const res = await server.get<any>('/api/quality/deal/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.records).toBe(0);
    expect(res.body.score).toBe(100);
  });

  it('counts the records breaking a rule added later, at its field', async () => {
    for (const d of deals) {
      const acct = await server.post<any>('/api/data/account', { name: `Account of ${d.title}`, blocked: d.blocked === true });
      const res = await server.post<any>('/api/data/deal', { title: d.title, stage: d.stage, account: acct.body.id, amount: 10, ...(d.closeDate ? { closeDate: d.closeDate } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.set(d.title, res.body.id);
    }
    const withRules = { ...deal, fields: { ...deal.fields, quantity: { type: 'rollup', from: 'line', via: 'deal', op: 'sum', field: 'qty' } }, rules };
    expect((await server.put('/api/meta/entities/deal', withRules)).status).toBe(200);

    const res = await server.get<any>('/api/quality/deal/report');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const undated = deals.filter((d) => d.stage === 'won' && !d.closeDate);
    const breaking = deals.filter((d) => (d.stage === 'won' && !d.closeDate) || d.blocked);
    expect(res.body.invalid).toEqual({ closeDate: undated.length });
    expect(res.body.invalidExamples.closeDate.map((e: any) => e.id).sort()).toEqual(undated.map((d) => ids.get(d.title)).sort());
    expect(res.body.invalidRecords).toBe(breaking.length);
    expect(Object.keys(res.body.completeness)).not.toContain('doubled');
    expect(Object.keys(res.body.completeness)).not.toContain('quantity');
    expect(res.body.score).toBeLessThan(100);
  });
});
