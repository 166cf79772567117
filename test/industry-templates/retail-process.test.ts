// Retail's main process end to end through the generic API, as the template's roles: a clerk
// signs up a member and records a purchase (the RFM profile follows), a large refund goes
// through the store manager's approval and is settled (a follow-up care task appears), a
// campaign budget is approved and the campaign starts on its date, a coupon is redeemed at the
// till, and the weekly win-back run creates care tasks and coupons under the manual clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { countOf, create, expectStatus, findOne, get, installTemplate, patch, runScheduler, sampleClock, signInAgain, transition } from './support.ts';

let server: TestServer;
let clerk: TestUser;
let manager: TestUser;
let marketer: TestUser;
const state: Record<string, any> = {};

const tick = () => runScheduler(server);

beforeAll(async () => {
  server = await startTestServer({ clock: sampleClock() });
  await installTemplate(server, 'retail');
  await tick(); // schedules the template's cron jobs from now on
  clerk = await server.createUser({ roles: ['storeClerk', 'storeClerkAfterSales', 'storeClerkCoupons'] });
  manager = await server.createUser({ roles: ['storeManager', 'storeManagerAfterSales', 'storeManagerMarketing'] });
  marketer = await server.createUser({ roles: ['marketing', 'marketingCampaigns'] });
  state.store = await findOne(server, 'store', { code: 'SH-001' });
  state.products = (await server.get('/api/data/product?limit=2&sort=sku&filter=' + encodeURIComponent(JSON.stringify({ active: true })))).body.items;
}, 240_000);
afterAll(async () => server?.close());

describe('retail: members, purchases and the RFM profile', () => {
  it('a clerk signs up a member; the welcome care task is created for the store', async () => {
    const member = await create(clerk.client, 'member', {
      name: '林小雨', mobile: '+86 139 1111 2026', gender: 'female', birthday: '1994-03-12', joinedOn: '2026-11-02', homeStore: state.store.id,
      wechatId: 'wx_lin_xiaoyu', marketingConsent: { givenAt: '2026-11-02T01:00:00.000Z', source: '门店登记 in store' },
    });
    expect(member).toMatchObject({ tier: 'standard', rfmSegment: 'prospect', nextBirthday: '2027-03-12', pointsBalance: 0, owner: clerk.id });
    expect(member.memberNo).toMatch(/^M-\d{7}$/);
    state.member = member;
    // Marketing-owned fields are not the clerk's to set.
    expectStatus(await clerk.client.patch(`/api/data/member/${member.id}`, { tier: 'gold' }), 400);
    await tick();
    const welcome = await findOne(server, 'careTask', { member: member.id, careType: 'newMember' });
    expect(welcome).toMatchObject({ status: 'open', dueOn: '2026-11-05', store: state.store.id });
  });

  it('a purchase with two lines rolls up into the receipt, the points and the member’s RFM profile', async () => {
    const [a, b] = state.products;
    const purchase = await create(clerk.client, 'purchase', { member: state.member.id, store: state.store.id, purchaseDate: '2026-11-02', paymentMethod: 'wechatPay' });
    await create(clerk.client, 'purchaseLine', { purchase: purchase.id, product: a.id, quantity: 2, unitPrice: a.listPrice });
    await create(clerk.client, 'purchaseLine', { purchase: purchase.id, product: b.id, quantity: 1, unitPrice: b.listPrice, lineDiscount: 20 });
    const gross = Math.round((2 * a.listPrice + b.listPrice * 0.8) * 100) / 100;
    expect(await get(clerk.client, 'purchase', purchase.id)).toMatchObject({ grossAmount: gross, netAmount: gross, pointsEarned: Math.floor(gross), lineCount: 3 });
    const member = await get(clerk.client, 'member', state.member.id);
    expect(member).toMatchObject({ purchaseCount: 1, totalSpend: gross, lastPurchaseDate: '2026-11-02', recencyDays: 0, rScore: 5, fScore: 1, rfmSegment: 'newCustomer', pointsBalance: Math.floor(gross) });
    expect(member.rfmSegmentLabel).toContain('新客户');
    state.purchase = purchase;
  });

  it('a call about the purchase (an interaction whose polymorphic parent is the purchase) lands on the purchase’s timeline', async () => {
    const call = await create(clerk.client, 'interaction', {
      member: state.member.id, store: state.store.id, channel: 'phone', direction: 'outbound', occurredAt: '2026-11-02T08:00:00.000Z',
      subject: '回访购买体验 Purchase follow-up', regarding: { entity: 'purchase', id: state.purchase.id },
    });
    const timeline = (await clerk.client.get(`/api/data/purchase/${state.purchase.id}/timeline`)).body.items as { entity: string; field: string; record: { id: string } }[];
    expect(timeline.map((t) => [t.entity, t.field, t.record.id])).toEqual([['interaction', 'regarding', call.id]]);
    // A parent of an entity the field does not allow is refused at its pointer.
    const refused = await clerk.client.post('/api/data/interaction', { member: state.member.id, channel: 'phone', direction: 'outbound', occurredAt: '2026-11-02T08:00:00.000Z', subject: 'x', regarding: { entity: 'member', id: state.member.id } });
    expectStatus(refused, 400);
    expect(refused.body.error.details[0].path).toBe('/regarding/entity');
  });
});

describe('retail: returns and exchanges (退换货)', () => {
  it('a refund above 1,000 CNY waits for the store manager, is received, inspected and refunded; a follow-up call is planned', async () => {
    const request = await create(clerk.client, 'returnRequest', {
      member: state.member.id, purchase: state.purchase.id, product: state.products[0].id, store: state.store.id,
      type: 'return', reason: 'sizeFit', quantity: 1, requestedOn: '2026-11-02', refundAmount: 1200,
    });
    expect(request.status).toBe('requested');
    const asked = await transition(clerk.client, 'returnRequest', request.id, 'approve', 202);
    expect(asked.outcome).toBe('approvalRequested');
    expect((await get(clerk.client, 'returnRequest', request.id)).status).toBe('requested');
    const inbox = (await manager.client.get('/api/approvals')).body.items.map((a: { id: string }) => a.id);
    expect(inbox).toContain(asked.approval!.id);
    expectStatus(await manager.client.post(`/api/approvals/${asked.approval!.id}/approve`, { comment: '商品完好，同意退款 fine' }), 200);
    expect((await get(clerk.client, 'returnRequest', request.id)).status).toBe('approved');

    const notYet = await clerk.client.post(`/api/data/returnRequest/${request.id}/transitions/receive`, {});
    expectStatus(notYet, 409);
    expect(notYet.body.error.details.map((d: { code: string }) => d.code)).toContain('WF_MISSING_FIELDS');
    await patch(clerk.client, 'returnRequest', request.id, { itemCondition: 'likeNew' });
    await transition(clerk.client, 'returnRequest', request.id, 'receive');
    expectStatus(await clerk.client.post(`/api/data/returnRequest/${request.id}/transitions/exchange`, {}), 409); // a return is not an exchange
    await transition(clerk.client, 'returnRequest', request.id, 'refund');
    expect(await get(clerk.client, 'returnRequest', request.id)).toMatchObject({ status: 'refunded', settledOn: '2026-11-02' });
    await tick();
    expect(await findOne(server, 'careTask', { member: state.member.id, careType: 'afterSales' })).toMatchObject({ status: 'open', dueOn: '2026-11-05' });
    const steps = (await server.get(`/api/data/returnRequest/${request.id}/history`)).body.items.map((e: { action: string }) => e.action);
    expect(steps).toEqual(expect.arrayContaining(['approval.request', 'approval.approve', 'transition']));
  });
});

describe('retail: campaigns and coupons', () => {
  it('a campaign budget above 50,000 CNY is approved by the store manager, and the campaign starts on its start date', async () => {
    const campaign = await create(marketer.client, 'campaign', {
      code: 'WINTER26', name: '冬季焕新 Winter refresh', channels: ['wechat', 'miniProgram'], targetSegments: ['newCustomer', 'potential'],
      startDate: '2026-11-05', endDate: '2026-11-20', budget: 60000, couponValue: 50, minSpend: 300,
    });
    expect(campaign.status).toBe('draft');
    const asked = await transition(marketer.client, 'campaign', campaign.id, 'schedule', 202);
    expectStatus(await manager.client.post(`/api/approvals/${asked.approval!.id}/approve`, {}), 200);
    expect((await get(marketer.client, 'campaign', campaign.id)).status).toBe('scheduled');
    state.campaign = campaign;
  });

  it('a coupon issued to the member is redeemed against the purchase at the till; the campaign counts it', async () => {
    const coupon = await create(marketer.client, 'coupon', {
      code: 'WINTER26-0001', member: state.member.id, campaign: state.campaign.id, source: 'campaign', value: 50, minSpend: 300, issuedOn: '2026-11-02', validUntil: '2026-11-30',
    });
    expect(coupon.status).toBe('issued');
    await patch(clerk.client, 'coupon', coupon.id, { redeemedPurchase: state.purchase.id, redeemedAt: state.store.id });
    await transition(clerk.client, 'coupon', coupon.id, 'redeem');
    expect(await get(clerk.client, 'coupon', coupon.id)).toMatchObject({ status: 'redeemed', redeemedOn: '2026-11-02', redeemedCount: 1 });
    expect(await get(marketer.client, 'campaign', state.campaign.id)).toMatchObject({ couponsIssued: 1, couponsRedeemed: 1, redemptionRate: 100 });
  });

  it('on its start date at 09:00 (Beijing) the scheduler starts the campaign', async () => {
    server.clock.set('2026-11-05T01:05:00.000Z');
    await tick();
    await signInAgain(server, marketer);
    expect((await get(marketer.client, 'campaign', state.campaign.id)).status).toBe('running');
  }, 180_000);
});

describe('retail: marketing automation and care by schedule', () => {
  it('the Monday run plans win-back calls for members at risk, and sends win-back coupons to those whose consent stands', async () => {
    expect(await countOf(server, 'careTask', { careType: 'winBack', dueOn: '2026-11-14' })).toBe(0);
    server.clock.set('2026-11-09T01:01:00.000Z'); // Monday 09:01 in Beijing
    await tick();
    const calls = await countOf(server, 'careTask', { careType: 'winBack', dueOn: '2026-11-14' });
    expect(calls).toBeGreaterThan(0);
    expect(await countOf(server, 'member', { rfmSegment: 'atRisk', careScheduledAt: { $exists: true } })).toBe(calls);
    server.clock.set('2026-11-09T02:01:00.000Z'); // 10:01: the coupon run
    await tick();
    const coupons = await countOf(server, 'coupon', { source: 'winBack', issuedOn: '2026-11-09' });
    expect(coupons).toBeGreaterThan(0);
    const sent = (await server.get(`/api/data/coupon?limit=200&filter=${encodeURIComponent(JSON.stringify({ source: 'winBack', issuedOn: '2026-11-09' }))}`)).body.items;
    for (const coupon of sent.slice(0, 20)) {
      const member = await get(server, 'member', coupon.member);
      expect(member.marketingConsent?.givenAt, member.id).toBeDefined();
      expect(member.marketingConsent?.withdrawnAt, member.id).toBeUndefined();
      expect(['atRisk', 'hibernating']).toContain(member.rfmSegment);
    }
    // The nightly review refreshed every member's recency on the way.
    expect(await countOf(server, 'member', { rfmRefreshedAt: { $exists: false } })).toBe(0);
  }, 180_000);
});
