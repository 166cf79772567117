// Acceptance (issue 10, point 3): form logic evaluated by the server. A write that names a form
// meets its requiredWhen (with the field's pointer) and readOnlyWhen; a field hidden by its
// visibleWhen is kept or cleared as the form declares; the studio gets the same expressions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, expectError } from './api-helpers.ts';

const deal = {
  kind: 'entity', name: 'deal', label: 'Deal',
  fields: {
    name: { type: 'text', required: true }, stage: { type: 'picklist', options: { open: { label: 'Open' }, lost: { label: 'Lost' }, won: { label: 'Won' } } },
    lossReason: { type: 'text' }, amount: { type: 'currency' }, discount: { type: 'percent' }, code: { type: 'text' },
  },
};
const sections = {
  main: { order: 10, fields: {
    name: { order: 10 }, stage: { order: 20 }, code: { order: 25, readOnly: true },
    lossReason: { order: 30, visibleWhen: "stage = 'lost'", requiredWhen: "stage = 'lost'" },
    amount: { order: 40, readOnlyWhen: "stage = 'won'" },
  } },
  pricing: { order: 20, visibleWhen: 'amount > 1000', fields: { discount: { order: 10 } } },
};
// A form that words its conditions for the person filling it, beside the entity's own labels.
const wordedDeal = {
  kind: 'entity', name: 'wordedDeal', label: 'Deal',
  fields: {
    name: { type: 'text', required: true }, stage: { type: 'picklist', options: { open: { label: 'Open' }, lost: { label: 'Lost' }, won: { label: 'Won' } } },
    lossReason: { type: 'text', label: { en: 'Loss reason', zh: '丢单原因' } }, amount: { type: 'currency', label: { en: 'Amount', zh: '金额' } },
    contact: { type: 'text', label: { en: 'Contact', zh: '联系人' } }, discount: { type: 'percent', label: { en: 'Discount', zh: '折扣' } },
    ref: { type: 'text', label: { en: 'Reference', zh: '编号' } },
  },
};
const wordedForm = {
  kind: 'form', name: 'wordedDealMain', entity: 'wordedDeal', label: { en: 'Deal entry', zh: '交易录入' },
  sections: { main: { order: 10, fields: {
    name: { order: 10 }, stage: { order: 20 },
    lossReason: { order: 30, requiredWhen: "stage = 'lost'" },
    contact: { order: 35, label: { en: 'Buyer', zh: '买方' }, requiredWhen: "stage != 'lost'" },
    amount: { order: 40, readOnlyWhen: "stage = 'won'", readOnlyWhenMessage: { en: 'Locked once the deal is won', zh: '赢单后锁定' } },
    discount: { order: 50, requiredWhen: 'amount > 1000', requiredWhenMessage: { en: 'Large deals need an agreed discount', zh: '大额交易需填写商定折扣' }, readOnlyWhen: "stage = 'won'" },
    ref: { order: 60, readOnly: true },
  } } },
};
// Labelled only in a language the engine does not ship: named by its name.
const japaneseForm = { kind: 'form', name: 'wordedDealJa', entity: 'wordedDeal', label: { ja: '取引入力' }, sections: { main: { order: 10, fields: { name: { order: 10 }, ref: { order: 20, readOnly: true } } } } };
const keepForm = { kind: 'form', name: 'dealKeep', entity: 'deal', label: 'Deal', sections };
const clearForm = { kind: 'form', name: 'dealClear', entity: 'deal', label: 'Deal', hiddenFields: 'clear', sections };

describe('form logic on writes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [deal, keepForm, clearForm, wordedDeal, wordedForm, japaneseForm]);
  });
  afterAll(async () => server.close());

  it('requiredWhen: refused with the field\'s pointer while the condition holds, accepted otherwise and without a form', async () => {
    const refused = await server.post('/api/data/deal?form=dealKeep', { name: 'A', stage: 'lost' });
    expect(expectError(refused, 400, 'INVALID_RECORD').map((d) => [d.path, d.code])).toEqual([['/lossReason', 'FORM_REQUIRED']]);
    expect((await server.post('/api/data/deal?form=dealKeep', { name: 'A', stage: 'lost', lossReason: 'price' })).status).toBe(201);
    expect((await server.post('/api/data/deal?form=dealKeep', { name: 'B', stage: 'open' })).status).toBe(201);
    expect((await server.post('/api/data/deal', { name: 'C', stage: 'lost' })).status).toBe(201);
    const created = (await server.post('/api/data/deal', { name: 'D', stage: 'open' })).body;
    const patched = await server.patch(`/api/data/deal/${created.id}?form=dealKeep`, { stage: 'lost' });
    expect(expectError(patched, 400, 'INVALID_RECORD').map((d) => d.path)).toEqual(['/lossReason']);
  });

  it('readOnly and readOnlyWhen (judged on the record as it was): a change is refused, an unchanged value passes', async () => {
    const won = (await server.post('/api/data/deal', { name: 'W', stage: 'won', amount: 10, code: 'X' })).body;
    const refused = await server.patch(`/api/data/deal/${won.id}?form=dealKeep`, { amount: 20, code: 'Y' });
    expect(expectError(refused, 400, 'INVALID_RECORD').map((d) => [d.path, d.code]).sort()).toEqual([['/amount', 'FORM_READ_ONLY'], ['/code', 'FORM_READ_ONLY']]);
    expect((await server.patch(`/api/data/deal/${won.id}?form=dealKeep`, { amount: 10, name: 'W2' })).status).toBe(200);
    const open = (await server.post('/api/data/deal', { name: 'O', stage: 'open', amount: 10 })).body;
    expect((await server.patch(`/api/data/deal/${open.id}?form=dealKeep`, { amount: 20, stage: 'won' })).status).toBe(200);
  });

  it('hidden fields: kept by default, cleared by a form that says so (a field\'s and a section\'s condition)', async () => {
    const values = { name: 'H', stage: 'open', lossReason: 'stale', amount: 500, discount: 10 };
    const kept = await server.post('/api/data/deal?form=dealKeep', values);
    expect(kept.body).toMatchObject({ lossReason: 'stale', discount: 10 });
    const cleared = await server.post('/api/data/deal?form=dealClear', values);
    expect(cleared.status).toBe(201);
    expect(cleared.body.lossReason).toBeUndefined();
    expect(cleared.body.discount).toBeUndefined();
    const shown = await server.post('/api/data/deal?form=dealClear', { ...values, stage: 'lost', amount: 5000 });
    expect(shown.body).toMatchObject({ lossReason: 'stale', discount: 10 });
  });

  it('words a refusal for the person filling the form: the form\'s message, else the field\'s label — never the expression (en and zh)', async () => {
    const messages = async (res: Awaited<ReturnType<TestServer['post']>>) => Object.fromEntries(expectError(res, 400, 'INVALID_RECORD').map((d) => [d.path, d.message]));
    const required = { name: 'R', stage: 'lost', amount: 5000 };
    expect(await messages(await server.post('/api/data/wordedDeal?form=wordedDealMain', required))).toEqual({
      '/lossReason': 'Loss reason is required here',
      '/discount': 'Large deals need an agreed discount',
    });
    expect(await messages(await server.post('/api/data/wordedDeal?form=wordedDealMain', required, { 'accept-language': 'zh-CN' }))).toEqual({
      '/lossReason': '此处必填：丢单原因',
      '/discount': '大额交易需填写商定折扣',
    });
    // The form's own label for the field wins over the entity's.
    expect(await messages(await server.post('/api/data/wordedDeal?form=wordedDealMain', { name: 'B', stage: 'open' }, { 'accept-language': 'zh' }))).toEqual({ '/contact': '此处必填：买方' });

    const won = (await server.post('/api/data/wordedDeal', { name: 'W', stage: 'won', amount: 10, discount: 5, contact: 'Li' })).body;
    const change = { amount: 20, discount: 6, ref: 'R-2' };
    expect(await messages(await server.patch(`/api/data/wordedDeal/${won.id}?form=wordedDealMain`, change))).toEqual({
      '/amount': 'Locked once the deal is won',
      '/discount': 'Discount cannot be changed here',
      '/ref': 'Reference is read-only in the form “Deal entry”',
    });
    expect(await messages(await server.patch(`/api/data/wordedDeal/${won.id}?form=wordedDealMain`, change, { 'accept-language': 'zh' }))).toEqual({
      '/amount': '赢单后锁定',
      '/discount': '此处不可修改：折扣',
      '/ref': '在表单「交易录入」中只读：编号',
    });
    expect(await messages(await server.patch(`/api/data/wordedDeal/${won.id}?form=wordedDealJa`, { ref: 'R-3' }, { 'accept-language': 'zh' }))).toEqual({ '/ref': '在表单「wordedDealJa」中只读：编号' });
  });

  it('refuses a condition\'s message without its condition, at its pointer', async () => {
    const lonely = { ...wordedForm, name: 'lonelyMessage', sections: { main: { order: 10, fields: { name: { order: 10, requiredWhenMessage: 'Say who' } } } } };
    const refused = await server.put('/api/meta/forms/lonelyMessage', lonely);
    expect(expectError(refused, 400, 'INVALID_METADATA').map((d) => [d.path, d.code])).toEqual([['/sections/main/fields/name', 'dependentRequired']]);
  });

  it('refuses a form that does not exist or is of another entity', async () => {
    const refused = await server.post('/api/data/deal?form=nope', { name: 'N' });
    // The entity by its label (the form by the name asked for: there is none to label it).
    expect(expectError(refused, 400, 'INVALID_QUERY').map((d) => [d.path, d.message])).toEqual([['/query/form', `${deal.label} has no form "nope"`]]);
    expect(expectError(await server.post('/api/data/deal?form=wordedDealMain', { name: 'N' }), 400, 'INVALID_QUERY').map((d) => d.path)).toEqual(['/query/form']);
  });

  it('serves the conditions for the studio: the same sources, where they are, and what they read', async () => {
    const logic = await server.get('/api/meta/forms/dealClear/logic');
    expect(logic.status).toBe(200);
    expect(logic.body).toMatchObject({ form: 'dealClear', entity: 'deal', hiddenFields: 'clear', readOnly: ['code'] });
    expect(logic.body.conditions).toEqual(expect.arrayContaining([
      { pointer: '/sections/main/fields/lossReason/requiredWhen', section: 'main', field: 'lossReason', condition: 'requiredWhen', expression: "stage = 'lost'", reads: ['stage'] },
      { pointer: '/sections/pricing/visibleWhen', section: 'pricing', condition: 'visibleWhen', expression: 'amount > 1000', reads: ['amount'] },
    ]));
    expect(logic.body.conditions).toHaveLength(4);
    expectError(await server.get('/api/meta/forms/nope/logic'), 404, 'NOT_FOUND');
  });
});
