// Wholesale's main process end to end through the generic API, as the template's roles: finance
// sets a new distributor's credit limit; a won opportunity opens a quote; a discount of 18 % is
// approved by the sales manager and finance; the order is confirmed after the credit check,
// delivered, invoiced, reported overdue by the scheduler under the manual clock, and paid. The
// credit check refuses an order that would take the account over its credit limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { create, expectStatus, findOne, get, installTemplate, patch, runScheduler, sampleClock, signInAgain, transition } from './support.ts';

let server: TestServer;
let rep: TestUser;
let manager: TestUser;
let finance: TestUser;
const state: Record<string, any> = {};

const tick = () => runScheduler(server);

beforeAll(async () => {
  server = await startTestServer({ clock: sampleClock() });
  await installTemplate(server, 'wholesale');
  await tick();
  rep = await server.createUser({ roles: ['salesRep', 'salesRepPipeline'] });
  manager = await server.createUser({ roles: ['salesManager', 'salesManagerPipeline'] });
  finance = await server.createUser({ roles: ['finance'] });
  state.team = await findOne(server, 'salesTeam', {}, 'name');
  state.products = (await server.get(`/api/data/product?limit=2&sort=sku&filter=${encodeURIComponent(JSON.stringify({ active: true }))}`)).body.items;
}, 240_000);
afterAll(async () => server?.close());

async function quoteWithLines(orderId: string, lines: [number, number][]) {
  for (const [i, [quantity, unitPrice]] of lines.entries()) await create(rep.client, 'orderLine', { salesOrder: orderId, product: state.products[i % 2].id, quantity, unitPrice });
  return get(rep.client, 'salesOrder', orderId);
}

describe('wholesale: accounts and credit terms', () => {
  it('a rep opens a distributor; only finance sets its credit limit and terms', async () => {
    const refused = await rep.client.post('/api/data/account', { name: '杭州测试食品贸易有限公司', region: 'east', accountType: 'distributor', priceTier: 'tier1', creditLimit: 500000 });
    expectStatus(refused, 400);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/creditLimit']);
    const noTier = await rep.client.post('/api/data/account', { name: '杭州测试食品贸易有限公司', region: 'east', accountType: 'distributor' });
    expectStatus(noTier, 400);
    expect(noTier.body.error.details[0]).toMatchObject({ path: '/priceTier', code: 'RULE:tradingAccountNeedsTier' });
    const account = await create(rep.client, 'account', { name: '杭州测试食品贸易有限公司', region: 'east', accountType: 'distributor', priceTier: 'tier1', customerSince: '2026-11-02' });
    expect(account.accountNo).toMatch(/^C-\d{6}$/);
    await patch(finance.client, 'account', account.id, { creditLimit: 100000, paymentTerms: 'net30' });
    expect(await get(rep.client, 'account', account.id)).toMatchObject({ creditLimit: 100000, creditAvailable: 100000 });
    state.account = account;
    state.contact = await create(rep.client, 'contact', { name: '周敏', account: account.id, role: 'purchasing', mobile: '+86 139 2222 0001' });
  });
});

describe('wholesale: pipeline to quote', () => {
  it('an opportunity moves through the pipeline; winning it opens a quote for the account', async () => {
    const opportunity = await create(rep.client, 'opportunity', {
      name: '春节备货 Spring Festival stock-up', account: state.account.id, salesTeam: state.team.id, amount: 120000, closeDate: '2026-12-15', source: 'tradeShow',
    });
    expect(opportunity).toMatchObject({ stage: 'prospecting', probability: 10, weightedAmount: 12000 });
    const blocked = await rep.client.post(`/api/data/opportunity/${opportunity.id}/transitions/qualify`, {});
    expectStatus(blocked, 409);
    expect(blocked.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/contact']);
    // The contact lookup is filtered to the opportunity's account (template 1.3.0): another
    // account's contact is refused at /contact, and the picker's search offers this account's only.
    const other = await create(rep.client, 'account', { name: '宁波测试商贸有限公司', region: 'east', accountType: 'distributor', priceTier: 'tier1', customerSince: '2026-11-02' });
    const stranger = await create(rep.client, 'contact', { name: '陈立', account: other.id, role: 'purchasing', mobile: '+86 139 2222 0002' });
    const wrong = await rep.client.patch(`/api/data/opportunity/${opportunity.id}`, { contact: stranger.id }, { 'accept-language': 'zh-CN' });
    expectStatus(wrong, 400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: '/contact', code: 'LOOKUP_FILTER', message: '必须是该商机所属客户的联系人' })]);
    const offered = await rep.client.get(`/api/data/contact?fields=name&lookupFor=opportunity.contact&record=${encodeURIComponent(JSON.stringify({ account: state.account.id }))}`);
    expectStatus(offered, 200);
    expect(offered.body.items.map((c: { id: string }) => c.id)).toEqual([state.contact.id]);
    await patch(rep.client, 'opportunity', opportunity.id, { contact: state.contact.id });
    for (const step of ['qualify', 'propose', 'negotiate']) await transition(rep.client, 'opportunity', opportunity.id, step);
    expect((await get(rep.client, 'opportunity', opportunity.id)).weightedAmount).toBe(90000);
    await transition(rep.client, 'opportunity', opportunity.id, 'win');
    await tick();
    const quote = await findOne(server, 'salesOrder', { account: state.account.id });
    expect(quote).toMatchObject({ status: 'quote', contact: state.contact.id, orderDate: '2026-11-02', validUntil: '2026-12-02', paymentTerms: 'net30' });
    expect(quote!.notes).toContain('春节备货');
    // Records an automation creates belong to the system until someone takes them over.
    expectStatus(await server.post(`/api/data/salesOrder/${quote!.id}/reassign`, { owner: rep.id }), 200);
    state.quote = quote;
  });
});

describe('wholesale: quote → approved → order → delivered → invoiced → paid', () => {
  it('an 18 % discount needs the sales manager, then finance; the quote moves only after the last approval', async () => {
    const quote = await quoteWithLines(state.quote.id, [[100, 500]]);
    expect(quote).toMatchObject({ subtotal: 50000, total: 50000, lineCount: 1 });
    const noReason = await rep.client.patch(`/api/data/salesOrder/${quote.id}`, { discountPercent: 18 });
    expectStatus(noReason, 400);
    expect(noReason.body.error.details[0].code).toBe('RULE:discountNeedsReason');
    await patch(rep.client, 'salesOrder', quote.id, { discountPercent: 18, discountReason: '春节备货大单 seasonal volume' });
    const asked = await transition(rep.client, 'salesOrder', quote.id, 'approve', 202);
    expect(asked.approval!.steps.map((s) => [s.name, s.status])).toEqual([['salesManager', 'pending'], ['finance', 'pending']]);
    const first = await manager.client.post(`/api/approvals/${asked.approval!.id}/approve`, { comment: '同意 agreed' });
    expectStatus(first, 200);
    expect(first.body.status).toBe('pending');
    expect((await get(rep.client, 'salesOrder', quote.id)).status).toBe('quote');
    const last = await finance.client.post(`/api/approvals/${asked.approval!.id}/approve`, { comment: '毛利可接受 margin fine' });
    expectStatus(last, 200);
    expect(last.body.status).toBe('approved');
    expect(await get(rep.client, 'salesOrder', quote.id)).toMatchObject({ status: 'approved', total: 41000 });
  });

  it('confirmed as an order after the credit check: the account’s open orders now use 41,000 of its 100,000', async () => {
    const early = await rep.client.post(`/api/data/salesOrder/${state.quote.id}/transitions/confirm`, {});
    expectStatus(early, 409);
    expect(early.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/requestedDelivery']);
    await patch(rep.client, 'salesOrder', state.quote.id, { requestedDelivery: '2026-11-10' });
    await transition(rep.client, 'salesOrder', state.quote.id, 'confirm');
    expect(await get(rep.client, 'salesOrder', state.quote.id)).toMatchObject({ status: 'ordered', creditExposure: 41000 });
    expect(await get(rep.client, 'account', state.account.id)).toMatchObject({ openOrderAmount: 41000, creditAvailable: 59000, orderCount: 1 });
  });

  it('delivered, invoiced by finance (the due date follows the terms), reported overdue by the scheduler, then paid', async () => {
    await transition(rep.client, 'salesOrder', state.quote.id, 'deliver');
    expect((await get(rep.client, 'salesOrder', state.quote.id)).deliveredOn).toBe('2026-11-02');
    expectStatus(await rep.client.patch(`/api/data/salesOrder/${state.quote.id}`, { invoiceNo: 'INV-TEST-0001' }), 400);
    await patch(finance.client, 'salesOrder', state.quote.id, { invoiceNo: 'INV-TEST-0001' });
    await transition(finance.client, 'salesOrder', state.quote.id, 'invoice');
    expect(await get(finance.client, 'salesOrder', state.quote.id)).toMatchObject({ status: 'invoiced', invoicedOn: '2026-11-02', paymentDueOn: '2026-12-02' });

    server.clock.set('2026-12-03T01:01:00.000Z'); // the day after the due date, 09:01 in Beijing
    await tick();
    await signInAgain(server, rep, finance);
    const notices = (await finance.client.get('/api/notifications')).body.items.filter((n: { recordId: string }) => n.recordId === state.quote.id);
    expect(notices.map((n: { subject: string }) => n.subject)).toContain('Invoice INV-TEST-0001 is overdue');

    await transition(finance.client, 'salesOrder', state.quote.id, 'recordPayment');
    expect(await get(finance.client, 'salesOrder', state.quote.id)).toMatchObject({ status: 'paid', paidOn: '2026-12-03', revenue: 41000, creditExposure: 0 });
    expect(await get(rep.client, 'account', state.account.id)).toMatchObject({ openOrderAmount: 0, creditAvailable: 100000, lifetimeRevenue: 41000 });
    const stages = (await server.get(`/api/data/salesOrder/${state.quote.id}/state-history`)).body.items[0].stays.map((s: { state: string }) => s.state);
    expect(stages).toEqual(['quote', 'approved', 'ordered', 'delivered', 'invoiced', 'paid']);
  }, 180_000);
});

describe('wholesale: the credit check before an order', () => {
  // The check is the account's rule `creditLimitExceeded` (open orders on credit > credit limit)
  // over the rollup `openOrderAmount`: the engine checks a parent's rules when a child's write
  // moves the parent's rollups (as Salesforce does for roll-up summary fields).
  it('an order that would take open orders on credit over the credit limit is refused; prepaid, it goes through', async () => {
    const first = await create(rep.client, 'salesOrder', { account: state.account.id, orderDate: '2026-12-03', validUntil: '2027-01-02', requestedDelivery: '2026-12-10' });
    await quoteWithLines(first.id, [[120, 500]]); // 60,000
    await transition(rep.client, 'salesOrder', first.id, 'approve');
    await transition(rep.client, 'salesOrder', first.id, 'confirm');
    expect((await get(rep.client, 'account', state.account.id)).openOrderAmount).toBe(60000);

    const second = await create(rep.client, 'salesOrder', { account: state.account.id, orderDate: '2026-12-03', validUntil: '2027-01-02', requestedDelivery: '2026-12-12' });
    await quoteWithLines(second.id, [[100, 500]]); // 50,000: 110,000 in all, over the 100,000 limit
    await transition(rep.client, 'salesOrder', second.id, 'approve');
    const refused = await rep.client.post(`/api/data/salesOrder/${second.id}/transitions/confirm`, {});
    expect(refused.status, JSON.stringify(refused.body)).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(JSON.stringify(refused.body.error.details)).toContain('RULE:creditLimitExceeded');
    expect((await get(rep.client, 'salesOrder', second.id)).status).toBe('approved');
    expect((await get(rep.client, 'account', state.account.id)).openOrderAmount).toBe(60000);

    await patch(rep.client, 'salesOrder', second.id, { paymentTerms: 'prepaid' });
    await transition(rep.client, 'salesOrder', second.id, 'confirm');
    expect(await get(rep.client, 'salesOrder', second.id)).toMatchObject({ status: 'ordered', creditExposure: 0 });
  });
});

describe('wholesale: a territory\'s opportunities', () => {
  // The territory card's related list ran the view myOpportunities: only the caller's own, open
  // ones, so a manager saw none of the reps' deals in a territory and nobody saw its won or lost ones.
  it('the territory card lists every opportunity of the territory that the caller may read, open, won or lost', async () => {
    // The clock has moved past the sessions of the tests before.
    await signInAgain(server, manager, rep);
    const territory = await create(manager.client, 'territory', { code: 'T-TEST-E', name: '华东测试区域 East test', salesTeam: state.team.id });
    const repDeal = await create(rep.client, 'opportunity', { name: '中秋备货 Mid-autumn stock-up', account: state.account.id, salesTeam: state.team.id, territory: territory.id, amount: 30000, closeDate: '2026-12-20' });
    const managerDeal = await create(manager.client, 'opportunity', { name: '年货礼盒 New Year gift boxes', account: state.account.id, salesTeam: state.team.id, territory: territory.id, amount: 8000, closeDate: '2026-12-05' });
    await patch(manager.client, 'opportunity', managerDeal.id, { lossReason: 'price' });
    await transition(manager.client, 'opportunity', managerDeal.id, 'lose', 200, 'Went with a cheaper offer');
    const form = await manager.client.get('/api/meta/forms/territoryMain');
    expectStatus(form, 200);
    const related = form.body.sections.opportunities.related as { entity: string; via: string; view: string };
    const filter = encodeURIComponent(JSON.stringify({ [related.via]: territory.id }));
    const ids = async (user: TestUser, query: string) => {
      const res = await user.client.get(`/api/data/${related.entity}?filter=${filter}&limit=100${query}`);
      expectStatus(res, 200);
      return (res.body.items as { id: string }[]).map((o) => o.id).sort();
    };
    for (const user of [manager, rep]) {
      // What the caller may read of the territory's opportunities, asked without a view.
      const readable = await ids(user, '');
      expect(await ids(user, `&view=${related.view}`)).toEqual(readable);
    }
    // The manager reads both: the rep's open deal and the lost one.
    expect(await ids(manager, `&view=${related.view}`)).toEqual([repDeal.id, managerDeal.id].sort());
  });
});
