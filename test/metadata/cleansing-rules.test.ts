// Cleansing rules and duplicate rules checked on save, over HTTP: a synonym that maps to no option
// of its picklist (every write of the source value would be refused, naming none of the rule), a
// rule for a field the entity lacks, and a phone region that is no region (numbers then stay as
// typed and never match) are refused at their JSON pointers, in the caller's language; nothing is
// applied. A synonym to an existing option still cleanses the write.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const company = {
  kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    tel: { type: 'phone' },
    industry: { type: 'picklist', options: { technology: {}, retail: {} } },
    tags: { type: 'multipicklist', options: { partner: {}, supplier: {} } },
  },
  cleansing: { industry: { synonyms: { technolgy: 'technology' } } },
};

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/company', company);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

async function refused(change: Record<string, unknown>, locale: string): Promise<{ path: string; message: string }[]> {
  const res = await server.put<any>('/api/meta/entities/company', { ...company, ...change }, { 'accept-language': locale });
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  return res.body.error.details;
}

describe('cleansing and duplicate rules on save', () => {
  it('refuses a synonym mapping to no option of its picklist or multi-select, naming the source value', async () => {
    const en = await refused({ cleansing: { industry: { synonyms: { technolgy: 'tech', shop: 'retail' } }, tags: { synonyms: { vendor: 'supplyer' } } } }, 'en');
    expect(en.map((d) => d.path).sort()).toEqual(['/cleansing/industry/synonyms/technolgy', '/cleansing/tags/synonyms/vendor']);
    expect(en.find((d) => d.path.endsWith('technolgy'))!.message).toContain('technology, retail');
    const zh = await refused({ cleansing: { industry: { synonyms: { technolgy: 'tech' } } } }, 'zh-CN');
    expect(zh[0]!.message).toMatch(/选项/);
  });

  it('refuses cleansing for a field the entity lacks', async () => {
    const en = await refused({ cleansing: { phone: { trim: true } } }, 'en');
    expect(en.map((d) => d.path)).toEqual(['/cleansing/phone']);
    const zh = await refused({ cleansing: { phone: { trim: true } } }, 'zh-CN');
    expect(zh[0]!.message).toMatch(/字段/);
  });

  it('refuses a phone region that is no region, in cleansing and in a duplicate rule', async () => {
    const en = await refused({ cleansing: { tel: { phone: 'XX' } }, duplicateRules: { sameTel: { match: ['tel'], method: 'normalized', region: 'QQ' } } }, 'en');
    expect(en.map((d) => d.path).sort()).toEqual(['/cleansing/tel/phone', '/duplicateRules/sameTel/region']);
    expect(en[0]!.message).toContain('ISO 3166');
    const zh = await refused({ cleansing: { tel: { phone: 'XX' } } }, 'zh-CN');
    expect(zh[0]!.message).toMatch(/地区/);
  });

  it('keeps the entity as it was, and a valid synonym still cleanses writes', async () => {
    const current = await server.get<any>('/api/meta/entities/company');
    expect(current.body.cleansing).toEqual(company.cleansing);
    const res = await server.post<any>('/api/data/company', { name: 'Acme', industry: 'Technolgy' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.industry).toBe('technology');
  });
});
