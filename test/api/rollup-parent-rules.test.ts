// A child write may not make its parent break a rule over a rollup; a parent that already broke it
// does not block unrelated child writes, and writes that bring it back within the rule pass.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetRollupModel } from '../support/budget-rollup-model.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', budgetRollupModel);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});
afterAll(async () => server.close());

describe('rules over rollups are checked when children change', () => {
  it('refuses the child write that would break the parent rule, on the lookup field, and keeps nothing of it', async () => {
    const budget = (await server.post('/api/data/budget', { name: 'Travel', limit: 100 })).body;
    expect((await server.post('/api/data/expense', { budget: budget.id, amount: 60 })).status).toBe(201);
    const refused = await server.post('/api/data/expense', { budget: budget.id, amount: 50 }, { 'accept-language': 'zh' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: '/budget', code: 'RULE:overspent', message: '预算将超支' }]);
    expect((await server.get(`/api/data/budget/${budget.id}`)).body.spent).toBe(60);
    expect((await server.get(`/api/data/expense?filter=${encodeURIComponent(JSON.stringify({ budget: budget.id }))}&total=1`)).body.total).toBe(1);
  });

  it('does not let a parent that already broke the rule block child writes that do not break it anew', async () => {
    const budget = (await server.post('/api/data/budget', { name: 'Food', limit: 100 })).body;
    const expense = (await server.post('/api/data/expense', { budget: budget.id, amount: 90 })).body;
    // A stricter rule arrives with a new revision: the stored budget now breaks it (90 > 100 - 20).
    const entity = (await server.get('/api/meta/entities/budget')).body;
    entity.rules.overspent.when = 'spent > limit - 20';
    expect((await server.put('/api/meta/entities/budget', entity)).status).toBe(200);
    const lowered = await server.patch(`/api/data/expense/${expense.id}`, { amount: 85 });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect((await server.get(`/api/data/budget/${budget.id}`)).body.spent).toBe(85);
  });
});
