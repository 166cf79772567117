// A duplicate rule's label comes back wherever a rule is named — the duplicate scan, the quality
// report and the write warning (X-CRM-Duplicates) — in the caller's language, beside the rule's
// name; a rule without a label has none, and clients show its name. A label that is not text is
// refused with the pointer to it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const zh = { 'accept-language': 'zh-CN' };

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, email: { type: 'email' }, mobile: { type: 'phone' } },
  duplicateRules: {
    sameEmail: { label: { en: 'Same e-mail address', zh: '邮箱相同' }, match: ['email'], action: 'warn' },
    sameMobile: { match: ['mobile'], method: 'normalized' },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/contact', contact);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const values of [
    { name: 'Ann Lee', email: 'ann@example.test', mobile: '+86 138 0000 0001' },
    { name: 'Ann Lee (2)', email: 'ann@example.test' },
    { name: 'Bo Wang', mobile: '+86-138-0000-0001' },
  ]) expect((await server.post('/api/data/contact', values)).status).toBe(201);
});
afterAll(async () => server?.close());

const byRule = (items: { rule: string }[]) => Object.fromEntries(items.map((c) => [c.rule, c]));

describe('duplicate rule labels', () => {
  it('the duplicate scan gives each cluster its rule and, when the rule has one, its label in the caller\'s language', async () => {
    const en = await server.get<any>('/api/quality/contact/duplicates');
    expect(en.status).toBe(200);
    const enRules = byRule(en.body.items);
    expect(Object.keys(enRules).sort()).toEqual(['sameEmail', 'sameMobile']);
    expect(enRules['sameEmail']).toMatchObject({ rule: 'sameEmail', ruleLabel: 'Same e-mail address' });
    expect(enRules['sameMobile']).not.toHaveProperty('ruleLabel');
    const inZh = await server.get<any>('/api/quality/contact/duplicates', zh);
    expect(byRule(inZh.body.items)['sameEmail']).toMatchObject({ rule: 'sameEmail', ruleLabel: '邮箱相同' });
    // Filtering by rule still takes the rule's name.
    const one = await server.get<any>('/api/quality/contact/duplicates?rule=sameEmail', zh);
    expect(one.body.items.map((c: any) => [c.rule, c.ruleLabel])).toEqual([['sameEmail', '邮箱相同']]);
  });

  it('the quality report names its clusters the same way', async () => {
    const report = await server.get<any>('/api/quality/contact/report', zh);
    expect(report.status).toBe(200);
    expect(byRule(report.body.duplicates.items)['sameEmail']).toMatchObject({ ruleLabel: '邮箱相同' });
  });

  it('a write warning carries the label too, readable as JSON although the header is ASCII', async () => {
    const en = await server.post('/api/data/contact', { name: 'Ann L.', email: 'ann@example.test' });
    expect(en.status).toBe(201);
    const enWarning = JSON.parse(en.headers.get('x-crm-duplicates')!);
    expect(enWarning).toHaveLength(1);
    expect(enWarning[0]).toMatchObject({ rule: 'sameEmail', ruleLabel: 'Same e-mail address' });
    const inZh = await server.post('/api/data/contact', { name: 'Ann L. (zh)', email: 'ann@example.test' }, zh);
    expect(inZh.status).toBe(201);
    const raw = inZh.headers.get('x-crm-duplicates')!;
    expect(raw).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(raw)[0]).toMatchObject({ rule: 'sameEmail', ruleLabel: '邮箱相同' });
  });

  it('a label that is not text is refused, pointing at it', async () => {
    const bad = { ...contact, duplicateRules: { sameEmail: { label: 42, match: ['email'] } } };
    const res = await server.put<any>('/api/meta/entities/contact', bad);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('/duplicateRules/sameEmail/label');
  });
});
