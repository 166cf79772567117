// Services' main process end to end through the generic API, as the template's roles: an agent
// registers a household client and the manager signs a premium contract; a service request
// nobody takes up within the premium response time (2 h) is escalated by the scheduler under the
// manual clock and the managers are told; an engineer is dispatched for an on-site visit (上门服务)
// that lands on the client's timeline; a repair (送修) quote above 3,000 CNY is approved by the
// manager; the request is resolved and closed, the satisfaction survey goes out and a low score
// alerts the manager; the Monday care run plans care calls (定期关怀) for clients not contacted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { countOf, create, expectStatus, findOne, get, installTemplate, patch, runScheduler, sampleClock, signInAgain, transition } from './support.ts';

let server: TestServer;
let agent: TestUser;
let engineer: TestUser;
let manager: TestUser;
const state: Record<string, any> = {};

const tick = () => runScheduler(server);
const inbox = async (user: TestUser, recordId: string) =>
  (await user.client.get('/api/notifications?limit=500')).body.items.filter((n: { recordId?: string }) => n.recordId === recordId).map((n: { subject: string }) => n.subject);

beforeAll(async () => {
  server = await startTestServer({ clock: sampleClock() });
  await installTemplate(server, 'services');
  await tick();
  agent = await server.createUser({ roles: ['agent', 'agentServiceDesk', 'agentFieldService', 'agentCare'] });
  engineer = await server.createUser({ roles: ['fieldEngineer', 'fieldEngineerServiceDesk', 'fieldEngineerFieldService'] });
  manager = await server.createUser({ roles: ['serviceManager', 'serviceManagerServiceDesk', 'serviceManagerFieldService', 'serviceManagerCare'] });
}, 240_000);
afterAll(async () => server?.close());

const home = { street: '徐汇区枫林小区12栋2单元801室', city: '上海市', region: '上海', postalCode: '200030', country: 'CN' };

describe('services: client and contract', () => {
  it('an agent registers a household client (an address is required for on-site service) and its contact', async () => {
    const noAddress = await agent.client.post('/api/data/account', { name: '王芳（家庭）', clientType: 'household', region: 'east' });
    expectStatus(noAddress, 400);
    expect(noAddress.body.error.details[0]).toMatchObject({ path: '/address', code: 'RULE:householdNeedsAddress' });
    state.account = await create(agent.client, 'account', { name: '王芳（家庭）', clientType: 'household', region: 'east', address: home, phone: '+86 139 3333 0001', preferredChannel: 'wechat' });
    expect(state.account.careIntervalDays).toBe(90);
    state.contact = await create(agent.client, 'contact', { name: '王芳', account: state.account.id, mobile: '+86 139 3333 0001', wechatId: 'wx_wangfang' });
  });

  it('the service manager signs a premium contract and activates it: response within 2 h, resolution within 24 h', async () => {
    const contract = await create(manager.client, 'contract', {
      name: '王芳 全包服务 2026', account: state.account.id, contractType: 'fullService', slaLevel: 'premium', coverage: 'allDay',
      onSiteVisitsIncluded: 12, startDate: '2026-11-01', endDate: '2027-10-31', annualValue: 2999,
    });
    expect(contract).toMatchObject({ status: 'draft', responseHours: 2, resolutionHours: 24 });
    await transition(manager.client, 'contract', contract.id, 'activate');
    expect((await get(agent.client, 'contract', contract.id)).status).toBe('active');
    state.contract = contract;
  });
});

describe('services: a service request under SLA', () => {
  it('opened by the agent with deadlines from the SLA level', async () => {
    const request = await create(agent.client, 'serviceCase', {
      subject: '空调不制冷 AC does not cool', account: state.account.id, contact: state.contact.id, contract: state.contract.id, channel: 'wechat',
      category: 'malfunction', priority: 'high', slaLevel: 'premium', assetModel: 'KFR-35GW 挂式空调', serialNo: 'SN2026110201',
    });
    expect(request).toMatchObject({ status: 'new', openedAt: '2026-11-02T01:00:00.000Z', responseDueAt: '2026-11-02T03:00:00.000Z', resolutionDueAt: '2026-11-03T01:00:00.000Z', isOpen: 1 });
    state.request = request;
  });

  it('the client’s account manager (a user field) finds it in “My clients’ open requests”, a view filtered by $me', async () => {
    await patch(agent.client, 'serviceCase', state.request.id, { accountManager: manager.id });
    const mine = (await manager.client.get('/api/data/serviceCase?view=myClientsCases')).body.items as { id: string }[];
    expect(mine.map((r) => r.id)).toEqual([state.request.id]);
    const theirs = await agent.client.get('/api/data/serviceCase?view=myClientsCases');
    expectStatus(theirs, 200);
    expect(theirs.body.items).toEqual([]);
  });

  it('nobody takes it up within 2 hours: the scheduler escalates it and the service managers are told', async () => {
    server.clock.set('2026-11-02T02:59:00.000Z');
    await tick();
    expect((await get(agent.client, 'serviceCase', state.request.id)).status).toBe('new');
    server.clock.set('2026-11-02T03:01:00.000Z');
    await tick();
    expect(await get(agent.client, 'serviceCase', state.request.id)).toMatchObject({ status: 'escalated', escalationCount: 1, firstResponseAt: '2026-11-02T03:01:00.000Z', slaBreached: 1 });
    expect(await inbox(manager, state.request.id)).toContain(`Service request ${state.request.number} needs attention`);
    const history = (await server.get(`/api/data/serviceCase/${state.request.id}/history`)).body.items;
    expect(history.find((e: any) => e.action === 'transition')?.details).toMatchObject({ transition: 'escalate', from: 'new', to: 'escalated' });
  });

  it('an engineer is dispatched for an on-site visit (上门服务); the finished visit lands on the client’s timeline', async () => {
    await transition(agent.client, 'serviceCase', state.request.id, 'resume');
    await patch(agent.client, 'serviceCase', state.request.id, { resolutionPath: 'onSite' });
    const visit = await create(agent.client, 'fieldVisit', {
      serviceCase: state.request.id, account: state.account.id, contact: state.contact.id, purpose: 'repair', engineerName: '张工',
      scheduledStart: '2026-11-02T06:00:00.000Z', scheduledEnd: '2026-11-02T08:00:00.000Z', visitAddress: home,
    });
    expect(visit).toMatchObject({ status: 'scheduled', appointmentHours: 2 });
    expectStatus(await engineer.client.post(`/api/data/fieldVisit/${visit.id}/transitions/depart`, {}), 404); // not theirs yet
    expectStatus(await manager.client.post(`/api/data/fieldVisit/${visit.id}/reassign`, { owner: engineer.id }), 200);
    await transition(engineer.client, 'fieldVisit', visit.id, 'depart');
    server.clock.set('2026-11-02T06:10:00.000Z');
    await transition(engineer.client, 'fieldVisit', visit.id, 'arrive');
    const early = await engineer.client.post(`/api/data/fieldVisit/${visit.id}/transitions/complete`, {});
    expectStatus(early, 409);
    await patch(engineer.client, 'fieldVisit', visit.id, { workPerformed: '清洗冷凝器，补充冷媒 Cleaned the condenser, topped up refrigerant', customerSignedOff: true });
    server.clock.set('2026-11-02T07:20:00.000Z');
    await transition(engineer.client, 'fieldVisit', visit.id, 'complete');
    expect(await get(engineer.client, 'fieldVisit', visit.id)).toMatchObject({ status: 'completed', arrivedAt: '2026-11-02T06:10:00.000Z', completedAt: '2026-11-02T07:20:00.000Z' });
    await tick();
    expect(await findOne(server, 'interaction', { account: state.account.id, channel: 'visit' })).toMatchObject({ direction: 'outbound', occurredAt: '2026-11-02T07:20:00.000Z' });
    expect((await get(agent.client, 'account', state.account.id)).lastInteractionAt).toBe('2026-11-02T07:20:00.000Z');
  });

  it('a depot repair (送修) quoted at 3,500 CNY needs the service manager’s approval before the client is asked', async () => {
    const repair = await create(agent.client, 'repairOrder', {
      serviceCase: state.request.id, account: state.account.id, assetModel: 'RO-600 厨下净水器', serialNo: 'SN2026110202', faultDescription: '净水器漏水 leaking',
      intake: 'courier', receivedOn: '2026-11-02', promisedOn: '2026-11-09', underWarranty: false,
    });
    await transition(engineer.client, 'repairOrder', repair.id, 'startDiagnosis');
    expectStatus(await engineer.client.post(`/api/data/repairOrder/${repair.id}/transitions/startRepair`, {}), 409); // out of warranty: quote first
    await patch(engineer.client, 'repairOrder', repair.id, { diagnosis: '主板受潮短路 board shorted by moisture', quoteAmount: 3500 });
    const asked = await transition(engineer.client, 'repairOrder', repair.id, 'sendQuote', 202);
    expectStatus(await manager.client.post(`/api/approvals/${asked.approval!.id}/approve`, { comment: '含主板更换 includes the board' }), 200);
    expect((await get(agent.client, 'repairOrder', repair.id)).status).toBe('awaitingApproval');
    await transition(agent.client, 'repairOrder', repair.id, 'quoteAccepted');
    await transition(engineer.client, 'repairOrder', repair.id, 'repaired');
    await patch(engineer.client, 'repairOrder', repair.id, { returnedOn: '2026-11-02', returnTrackingNo: 'SF1234567890' });
    await transition(engineer.client, 'repairOrder', repair.id, 'ship');
    expect(await get(agent.client, 'repairOrder', repair.id)).toMatchObject({ status: 'returned', customerApproved: true, repairedOn: '2026-11-02' });
  });

  it('resolved and closed: the satisfaction survey goes out; a low score alerts the service manager', async () => {
    const unresolved = await agent.client.post(`/api/data/serviceCase/${state.request.id}/transitions/resolve`, {});
    expectStatus(unresolved, 409);
    await patch(agent.client, 'serviceCase', state.request.id, { resolution: '上门清洗补冷媒，净水器送修更换主板 Serviced on site; purifier board replaced at the depot' });
    await transition(agent.client, 'serviceCase', state.request.id, 'resolve');
    await transition(agent.client, 'serviceCase', state.request.id, 'close');
    expect(await get(agent.client, 'serviceCase', state.request.id)).toMatchObject({ status: 'closed', resolvedAt: '2026-11-02T07:20:00.000Z', isOpen: 0 });
    await tick();
    const survey = await findOne(server, 'satisfactionSurvey', { serviceCase: state.request.id });
    expect(survey).toMatchObject({ status: 'sent', account: state.account.id, contract: state.contract.id, channel: 'wechat' });
    await patch(agent.client, 'satisfactionSurvey', survey!.id, { score: 2, comments: '等了很久才有人联系 waited too long for a call' });
    await transition(agent.client, 'satisfactionSurvey', survey!.id, 'respond');
    await tick();
    expect(await inbox(manager, survey!.id)).toContain('Low satisfaction (2/5) on a closed request');
    const contract = await get(manager.client, 'contract', state.contract.id);
    expect({ caseCount: contract.caseCount, openCaseCount: contract.openCaseCount, slaBreachCount: contract.slaBreachCount, averageSatisfaction: contract.averageSatisfaction }).toEqual({ caseCount: 1, openCaseCount: 0, slaBreachCount: 1, averageSatisfaction: 2 });
  });
});

describe('services: periodic customer care (定期关怀)', () => {
  it('the Monday 09:00 run plans a care call for each client not contacted within their interval, never for one just visited', async () => {
    expect(await countOf(server, 'careCall', { reason: 'periodic', dueOn: '2026-11-16' })).toBe(0);
    server.clock.set('2026-11-09T01:01:00.000Z'); // Monday 09:01 in Beijing
    await tick();
    const planned = await countOf(server, 'careCall', { reason: 'periodic', dueOn: '2026-11-16' });
    expect(planned).toBeGreaterThan(0);
    expect(await countOf(server, 'account', { careScheduledAt: '2026-11-09T01:01:00.000Z' })).toBe(planned);
    expect(await countOf(server, 'careCall', { account: state.account.id, reason: 'periodic' })).toBe(0);
    const call = await findOne(server, 'careCall', { reason: 'periodic', dueOn: '2026-11-16' });
    expect(call).toMatchObject({ status: 'open' });
    // The run a week later plans calls only for clients who have become due since: none twice.
    server.clock.set('2026-11-16T01:01:00.000Z');
    await tick();
    expect(await countOf(server, 'account', { careScheduledAt: '2026-11-09T01:01:00.000Z' })).toBe(planned);
    const later = (await server.get(`/api/data/careCall?limit=200&filter=${encodeURIComponent(JSON.stringify({ reason: 'periodic', dueOn: '2026-11-23' }))}`)).body.items;
    for (const again of later) expect((await get(server, 'account', again.account)).careScheduledAt).toBe('2026-11-16T01:01:00.000Z');
    await signInAgain(server, agent);
    await patch(agent.client, 'careCall', call!.id, { outcome: '设备运行正常 all fine' });
    await transition(agent.client, 'careCall', call!.id, 'complete');
    await tick();
    expect(await findOne(server, 'interaction', { account: call!.account, subject: call!.subject })).toMatchObject({ direction: 'outbound' });
  }, 180_000);
});
