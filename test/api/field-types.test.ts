// Acceptance: every field type accepts its valid values and refuses at least two kinds of invalid
// value with a path-precise message; formulas and rollups are recomputed; autonumbers stay unique
// under concurrent creates and are never reused; unique is 409; lookups to missing records are
// refused; computed and system fields cannot be written; field options behave.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, errorPaths, expectError } from './api-helpers.ts';

const company = {
  kind: 'entity',
  name: 'company',
  label: { en: 'Company', zh: '公司' },
  fields: {
    name: { type: 'text', required: true, unique: true, label: { en: 'Name', zh: '名称' } },
    deals: { type: 'rollup', from: 'deal', via: 'company', op: 'count' },
    pipeline: { type: 'rollup', from: 'deal', via: 'company', op: 'sum', field: 'amount' },
    smallest: { type: 'rollup', from: 'deal', via: 'company', op: 'min', field: 'amount' },
    largest: { type: 'rollup', from: 'deal', via: 'company', op: 'max', field: 'amount' },
    average: { type: 'rollup', from: 'deal', via: 'company', op: 'avg', field: 'amount' },
    nextClose: { type: 'rollup', from: 'deal', via: 'company', op: 'min', field: 'closeDate' },
    // A formula over rollups: recomputed when a child changes the rollups.
    pipelineK: { type: 'formula', returns: 'number', expression: 'pipeline / 1000' },
  },
};

const deal = {
  kind: 'entity',
  name: 'deal',
  label: 'Deal',
  fields: {
    name: { type: 'text', required: true },
    company: { type: 'lookup', to: 'company', onDelete: 'cascade' },
    amount: { type: 'currency', min: 0 },
    closeDate: { type: 'date' },
  },
};

// One field of every type, none required, so that each case writes exactly one field.
const specimen = {
  kind: 'entity',
  name: 'specimen',
  label: { en: 'Specimen', zh: '样本' },
  fields: {
    text: { type: 'text', minLength: 2, maxLength: 10, pattern: '^[A-Z]', label: { en: 'Code', zh: '代码' }, help: { en: 'Starts with a capital letter', zh: '以大写字母开头' } },
    textarea: { type: 'textarea', maxLength: 20 },
    email: { type: 'email' },
    phone: { type: 'phone' },
    url: { type: 'url' },
    integer: { type: 'integer', min: 0, max: 10 },
    number: { type: 'number', min: -5, max: 5, scale: 2 },
    currency: { type: 'currency', min: 0 },
    percent: { type: 'percent' },
    boolean: { type: 'boolean' },
    date: { type: 'date', min: '2020-01-01', max: '2030-12-31' },
    datetime: { type: 'datetime' },
    picklist: { type: 'picklist', options: { a: { label: { en: 'A', zh: '甲' } }, b: {} } },
    multipicklist: { type: 'multipicklist', options: { a: {}, b: {}, c: {} }, maxItems: 2 },
    lookup: { type: 'lookup', to: 'company' },
    autonumber: { type: 'autonumber', prefix: 'SP-', digits: 5 },
    formula: { type: 'formula', returns: 'integer', expression: '$exists(integer) ? integer * 2 : 0' },
    rollup: { type: 'rollup', from: 'note', via: 'specimen', op: 'count' },
    address: { type: 'address' },
    consent: { type: 'consent' },
  },
};

const note = { kind: 'entity', name: 'note', label: 'Note', fields: { specimen: { type: 'lookup', to: 'specimen' }, body: { type: 'textarea' } } };

// Every option at work: required, constant and JSONata defaults, unique.
const ticket = {
  kind: 'entity',
  name: 'ticket',
  label: { en: 'Ticket', zh: '工单' },
  fields: {
    title: { type: 'text', required: true, maxLength: 40 },
    status: { type: 'picklist', required: true, default: 'new', options: { new: {}, done: {} } },
    priority: { type: 'integer', min: 1, max: 5, default: 3 },
    code: { type: 'text', unique: true, maxLength: 20, defaultExpression: '"T-" & $uppercase(title)' },
    openedAt: { type: 'datetime', defaultExpression: '$now()' },
    number: { type: 'autonumber', prefix: 'TCK-', digits: 4, start: 100 },
    tags: { type: 'multipicklist', options: { red: {}, blue: {} }, default: ['red'] },
  },
};

const missingId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

interface ValidCase {
  input: unknown;
  /** The stored (normalized) value when it differs from the input. */
  stored?: unknown;
}
interface InvalidCase {
  input: unknown;
  /** The JSON pointer the refusal names. */
  path: string;
  why: string;
}
interface TypeCase {
  type: string;
  valid: ValidCase[];
  invalid: InvalidCase[];
}

// `$company` stands for the id of an existing company record.
const writableCases: TypeCase[] = [
  {
    type: 'text',
    valid: [{ input: 'Hello' }, { input: 'Zz' }, { input: 'Zürich 中文' }],
    invalid: [
      { input: 42, path: '/text', why: 'a number' },
      { input: 'A', path: '/text', why: 'shorter than minLength' },
      { input: 'Abcdefghijk', path: '/text', why: 'longer than maxLength' },
      { input: 'lower', path: '/text', why: 'not matching the pattern' },
    ],
  },
  {
    type: 'textarea',
    valid: [{ input: 'line one\nline two' }],
    invalid: [
      { input: 12, path: '/textarea', why: 'a number' },
      { input: 'x'.repeat(21), path: '/textarea', why: 'longer than maxLength' },
      { input: ['a'], path: '/textarea', why: 'an array' },
    ],
  },
  {
    type: 'email',
    valid: [{ input: 'Ann@Example.COM', stored: 'ann@example.com' }, { input: 'x.y+z@sub.example.org' }],
    invalid: [
      { input: 'not-an-email', path: '/email', why: 'no @' },
      { input: 42, path: '/email', why: 'a number' },
      { input: 'a@b@c', path: '/email', why: 'two @' },
    ],
  },
  {
    type: 'phone',
    valid: [{ input: '+1 (555) 010-9999' }, { input: '010 1234 5678' }],
    invalid: [
      { input: 'call me', path: '/phone', why: 'letters' },
      { input: '12', path: '/phone', why: 'too few digits' },
      { input: 5551234, path: '/phone', why: 'a number' },
    ],
  },
  {
    type: 'url',
    valid: [{ input: 'https://example.com/path?q=1' }, { input: 'http://localhost:3000' }],
    invalid: [
      { input: 'ftp://example.com', path: '/url', why: 'not http(s)' },
      { input: 'javascript:alert(1)', path: '/url', why: 'a script address' },
      { input: 'not a url', path: '/url', why: 'not an address' },
    ],
  },
  {
    type: 'integer',
    valid: [{ input: 0 }, { input: 10 }, { input: 7 }],
    invalid: [
      { input: 3.5, path: '/integer', why: 'a fraction' },
      { input: '7', path: '/integer', why: 'a string' },
      { input: -1, path: '/integer', why: 'below min' },
      { input: 11, path: '/integer', why: 'above max' },
    ],
  },
  {
    type: 'number',
    valid: [{ input: 3.14 }, { input: -5 }],
    invalid: [
      { input: 3.14159, path: '/number', why: 'more decimals than its scale (refused, never rounded)' },
      { input: 'abc', path: '/number', why: 'a string' },
      { input: true, path: '/number', why: 'a boolean' },
      { input: 5.01, path: '/number', why: 'above max' },
    ],
  },
  {
    type: 'currency',
    valid: [{ input: 19.99 }, { input: 0 }, { input: 1234.5 }],
    invalid: [
      { input: 19.999, path: '/currency', why: 'more decimals than cents (refused, never rounded)' },
      { input: -0.01, path: '/currency', why: 'below min' },
      { input: '10', path: '/currency', why: 'a string' },
    ],
  },
  {
    type: 'percent',
    valid: [{ input: 0 }, { input: 55.5 }, { input: 100 }],
    invalid: [
      { input: 100.5, path: '/percent', why: 'above 100' },
      { input: -1, path: '/percent', why: 'below 0' },
      { input: 'x', path: '/percent', why: 'a string' },
    ],
  },
  {
    type: 'boolean',
    valid: [{ input: true }, { input: false }],
    invalid: [
      { input: 'true', path: '/boolean', why: 'a string' },
      { input: 1, path: '/boolean', why: 'a number' },
    ],
  },
  {
    type: 'date',
    valid: [{ input: '2026-03-01' }, { input: '2020-01-01' }],
    invalid: [
      { input: '2026-13-01', path: '/date', why: 'month 13' },
      { input: '01/03/2026', path: '/date', why: 'not ISO 8601' },
      { input: '2019-12-31', path: '/date', why: 'before min' },
      { input: '2026-03-01T00:00:00Z', path: '/date', why: 'a datetime' },
    ],
  },
  {
    type: 'datetime',
    valid: [{ input: '2026-03-01T10:00:00+08:00', stored: '2026-03-01T02:00:00.000Z' }, { input: '2026-03-01T10:00:00.000Z' }],
    invalid: [
      { input: '2026-03-01', path: '/datetime', why: 'a date without time' },
      { input: 'yesterday', path: '/datetime', why: 'words' },
      { input: 12, path: '/datetime', why: 'a number' },
    ],
  },
  {
    type: 'picklist',
    valid: [{ input: 'a' }, { input: 'b' }],
    invalid: [
      { input: 'c', path: '/picklist', why: 'not an option' },
      { input: ['a'], path: '/picklist', why: 'an array' },
    ],
  },
  {
    type: 'multipicklist',
    valid: [{ input: ['a', 'b'] }, { input: [] }, { input: ['c'] }],
    invalid: [
      { input: ['z'], path: '/multipicklist/0', why: 'not an option' },
      { input: ['a', 'a'], path: '/multipicklist', why: 'a repeated option' },
      { input: ['a', 'b', 'c'], path: '/multipicklist', why: 'more than maxItems' },
      { input: 'a', path: '/multipicklist', why: 'a string' },
    ],
  },
  {
    type: 'lookup',
    valid: [{ input: '$company' }],
    invalid: [
      { input: 'not-an-id', path: '/lookup', why: 'not a record id' },
      { input: 42, path: '/lookup', why: 'a number' },
      { input: missingId, path: '/lookup', why: 'a record that does not exist' },
    ],
  },
  {
    type: 'address',
    valid: [{ input: { street: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' } }, { input: { city: '上海' } }],
    invalid: [
      { input: { city: 5 }, path: '/address/city', why: 'a number as city' },
      { input: { city: 'x'.repeat(121) }, path: '/address/city', why: 'a city too long' },
      { input: { planet: 'Mars' }, path: '/address/planet', why: 'an unknown part' },
      { input: '1 Main St', path: '/address', why: 'a string' },
    ],
  },
  {
    type: 'consent',
    valid: [{ input: { givenAt: '2026-01-01T00:00:00Z', source: 'web form' } }, { input: { givenAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-02-01T00:00:00Z' } }],
    invalid: [
      { input: {}, path: '/consent/givenAt', why: 'no givenAt' },
      { input: { givenAt: 'not a date' }, path: '/consent/givenAt', why: 'givenAt not a datetime' },
      { input: { givenAt: '2026-01-01T00:00:00Z', extra: 1 }, path: '/consent/extra', why: 'an unknown part' },
      { input: true, path: '/consent', why: 'a boolean' },
    ],
  },
];

describe('field types over HTTP', () => {
  let server: TestServer;
  let companyId: string;
  const resolve = (value: unknown): unknown => (value === '$company' ? companyId : value);

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [company, deal, specimen, note, ticket]);
    companyId = (await createRecord(server, 'company', { name: 'Acme' })).id;
  });
  afterAll(async () => server.close());

  it('covers every registered field type', async () => {
    const covered = new Set([...writableCases.map((c) => c.type), 'autonumber', 'formula', 'rollup']);
    expect([...covered].sort()).toEqual(Object.keys(specimen.fields).sort());
    const documented = await server.get('/api/openapi.json');
    const types = Object.values(documented.body.components.schemas.Specimen.properties as Record<string, { 'x-crm-type'?: string }>).map((p) => p['x-crm-type']).filter(Boolean);
    expect(new Set(types)).toEqual(covered);
  });

  describe.each(writableCases)('$type', ({ type, valid, invalid }) => {
    it.each(valid)('accepts $input', async ({ input, stored }) => {
      const created = await server.post('/api/data/specimen', { [type]: resolve(input) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const expected = stored === undefined ? resolve(input) : stored;
      expect(created.body[type]).toEqual(expected);
      expect((await server.get(`/api/data/specimen/${created.body.id}`)).body[type]).toEqual(expected);
      // The same value is accepted as an update, too.
      const blank = await createRecord(server, 'specimen', {});
      const updated = await server.patch(`/api/data/specimen/${blank.id}`, { [type]: resolve(input) });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(updated.body[type]).toEqual(expected);
    });

    it.each(invalid)('refuses $why at $path', async ({ input, path }) => {
      const created = await server.post('/api/data/specimen', { [type]: input });
      const details = expectError(created, 400, 'INVALID_RECORD');
      expect(details.map((d) => d.path)).toEqual(details.map(() => path));
      expect(details.length).toBeGreaterThan(0);
      for (const detail of details) expect(detail.message.length).toBeGreaterThan(0);
      // An update with the same value is refused at the same place and changes nothing.
      const blank = await createRecord(server, 'specimen', {});
      expect(errorPaths(await server.patch(`/api/data/specimen/${blank.id}`, { [type]: input }))).toEqual([path]);
      expect((await server.get(`/api/data/specimen/${blank.id}`)).body).toEqual(blank);
    });
  });

  it('reports every violation of one record at once, each at its own pointer', async () => {
    const res = await server.post('/api/data/specimen', { text: 'x', integer: 99, address: { city: 1 }, consent: {}, multipicklist: ['z'], unknownField: 1 });
    expect(errorPaths(res)).toEqual(['/address/city', '/consent/givenAt', '/integer', '/multipicklist/0', '/text', '/unknownField']);
  });

  it('speaks Chinese with Accept-Language: zh', async () => {
    const zh = { 'accept-language': 'zh' };
    const invalid = await server.post('/api/data/specimen', { integer: 99, text: 5 }, zh);
    expect(expectError(invalid, 400, 'INVALID_RECORD')).toHaveLength(2);
    expect(invalid.body.error.message).toBe('记录无效');
    for (const detail of invalid.body.error.details) expect(detail.message).toMatch(/[\u4e00-\u9fff]/);
    const missing = await server.post('/api/data/specimen', { lookup: missingId }, zh);
    expect(missing.body.error.details).toEqual([{ path: '/lookup', code: 'LOOKUP_MISSING', message: '引用的 company 记录不存在' }]);
    const readOnly = await server.post('/api/data/specimen', { formula: 1 }, zh);
    expect(readOnly.body.error.details[0].message).toMatch(/计算字段/);
    const required = await server.post('/api/data/ticket', {}, zh);
    expect(expectError(required, 400, 'INVALID_RECORD')[0]!.path).toBe('/title');
    expect(required.body.error.message).toBe('记录无效');
    const duplicate = await server.post('/api/data/company', { name: 'Acme' }, zh);
    expectError(duplicate, 409, 'UNIQUE_VIOLATION');
    expect(duplicate.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const unknown = await server.get('/api/data/nothing', zh);
    expectError(unknown, 404, 'UNKNOWN_ENTITY');
    expect(unknown.body.error.message).toBe('不存在实体「nothing」');
  });

  it('says what a phone, e-mail, web address, date, time or lookup value must look like, in the caller\'s language, never the type\'s regular expression', async () => {
    const bad = { phone: 'call me', email: 'not-an-email', url: 'not a url', date: '31/12/2026', datetime: 'tomorrow', lookup: 'nope' };
    const en = await server.post('/api/data/specimen', bad);
    const zh = await server.post('/api/data/specimen', bad, { 'accept-language': 'zh' });
    // One message per field: the date's bounds say nothing about a value that is not a date.
    const messages = (res: typeof en) => {
      const details = expectError(res, 400, 'INVALID_RECORD');
      expect(new Set(details.map((d) => d.path)).size).toBe(details.length);
      return Object.fromEntries(details.map((d) => [d.path, d.message]));
    };
    expect(messages(en)).toEqual({
      '/phone': 'must be a phone number: at least three digits, with only spaces and + - ( ) . between them',
      '/email': 'must be an e-mail address such as name@example.com',
      '/url': 'must be a web address starting with http:// or https://',
      '/date': 'must be a date written YYYY-MM-DD, such as 2026-12-31',
      '/datetime': 'must be a date and time in ISO 8601, such as 2026-12-31T09:30:00Z',
      '/lookup': 'must be the id of a record (26 characters)',
    });
    expect(messages(zh)).toEqual({
      '/phone': '必须是电话号码：至少三位数字，中间只能有空格和 + - ( ) .',
      '/email': '必须是电子邮箱地址，例如 name@example.com',
      '/url': '必须是以 http:// 或 https:// 开头的网址',
      '/date': '必须是 YYYY-MM-DD 格式的日期，例如 2026-12-31',
      '/datetime': '必须是 ISO 8601 格式的日期时间，例如 2026-12-31T09:30:00Z',
      '/lookup': '必须是记录 ID（26 个字符）',
    });
  });

  it('keeps labels and help text in en and zh, and documents them', async () => {
    const stored = await server.get('/api/meta/entities/specimen');
    expect(stored.body.label).toEqual({ en: 'Specimen', zh: '样本' });
    expect(stored.body.fields.text).toMatchObject({ label: { en: 'Code', zh: '代码' }, help: { en: 'Starts with a capital letter', zh: '以大写字母开头' } });
    expect(stored.body.fields.picklist.options.a.label).toEqual({ en: 'A', zh: '甲' });
    const documented = await server.get('/api/openapi.json');
    expect(documented.body.components.schemas.Specimen.properties.text).toMatchObject({ title: 'Code', description: 'Starts with a capital letter' });
  });

  describe('formulas', () => {
    it('are computed on create and recomputed on every update', async () => {
      const created = await createRecord(server, 'specimen', { integer: 4 });
      expect(created.formula).toBe(8);
      const updated = await server.patch(`/api/data/specimen/${created.id}`, { integer: 7 });
      expect(updated.body.formula).toBe(14);
      // Removing the input (null in a merge patch) recomputes too.
      const cleared = await server.patch(`/api/data/specimen/${created.id}`, { integer: null });
      expect(cleared.body.integer).toBeUndefined();
      expect(cleared.body.formula).toBe(0);
      const history = await server.get(`/api/data/specimen/${created.id}/history`);
      expect(history.body.items.map((e: { changes: Record<string, unknown> }) => e.changes['formula'])).toEqual([{ after: 8 }, { before: 8, after: 14 }, { before: 14, after: 0 }]);
    });
  });

  describe('rollups', () => {
    const rollupsOf = async (id: string) => {
      const { body } = await server.get(`/api/data/company/${id}`);
      return { deals: body.deals, pipeline: body.pipeline, smallest: body.smallest, largest: body.largest, average: body.average, nextClose: body.nextClose, pipelineK: body.pipelineK };
    };

    it('count, sum, min, max and avg stay current as children are created, changed, moved and deleted', async () => {
      const north = (await createRecord(server, 'company', { name: 'North' })).id;
      const south = (await createRecord(server, 'company', { name: 'South' })).id;
      expect(await rollupsOf(north)).toMatchObject({ deals: 0 });

      const a = await createRecord(server, 'deal', { name: 'A', company: north, amount: 100, closeDate: '2026-06-30' });
      const b = await createRecord(server, 'deal', { name: 'B', company: north, amount: 300, closeDate: '2026-04-15' });
      const c = await createRecord(server, 'deal', { name: 'C', company: north, amount: 500, closeDate: '2026-09-01' });
      expect(await rollupsOf(north)).toEqual({ deals: 3, pipeline: 900, smallest: 100, largest: 500, average: 300, nextClose: '2026-04-15', pipelineK: 0.9 });

      // Changed: an amount.
      await server.patch(`/api/data/deal/${a.id}`, { amount: 700 });
      expect(await rollupsOf(north)).toEqual({ deals: 3, pipeline: 1500, smallest: 300, largest: 700, average: 500, nextClose: '2026-04-15', pipelineK: 1.5 });

      // Moved: to another parent — both parents are recomputed.
      await server.patch(`/api/data/deal/${b.id}`, { company: south });
      expect(await rollupsOf(north)).toEqual({ deals: 2, pipeline: 1200, smallest: 500, largest: 700, average: 600, nextClose: '2026-06-30', pipelineK: 1.2 });
      expect(await rollupsOf(south)).toEqual({ deals: 1, pipeline: 300, smallest: 300, largest: 300, average: 300, nextClose: '2026-04-15', pipelineK: 0.3 });

      // Detached: the lookup removed.
      await server.patch(`/api/data/deal/${c.id}`, { company: null });
      expect(await rollupsOf(north)).toMatchObject({ deals: 1, pipeline: 700, smallest: 700, largest: 700, average: 700 });

      // Deleted.
      expect((await server.delete(`/api/data/deal/${a.id}`)).status).toBe(204);
      const empty = await rollupsOf(north);
      expect(empty.deals).toBe(0);
      expect(empty.smallest ?? null).toBeNull();
      expect(empty.largest ?? null).toBeNull();
      expect(await rollupsOf(south)).toMatchObject({ deals: 1, pipeline: 300 });
    });

    it('a rollup over a child entity of its own counts notes as they come and go', async () => {
      const target = await createRecord(server, 'specimen', {});
      expect(target.rollup).toBe(0);
      const notes = await Promise.all([1, 2, 3].map((i) => createRecord(server, 'note', { specimen: target.id, body: `note ${i}` })));
      expect((await server.get(`/api/data/specimen/${target.id}`)).body.rollup).toBe(3);
      await server.delete(`/api/data/note/${notes[0]!.id}`);
      expect((await server.get(`/api/data/specimen/${target.id}`)).body.rollup).toBe(2);
    });
  });

  describe('autonumbers', () => {
    it('are unique under 50 concurrent creates, and never reused after deletes', async () => {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => server.post('/api/data/ticket', { title: `Concurrent ${i}` })));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      const numbers = responses.map((r) => r.body.number as string);
      expect(new Set(numbers).size).toBe(50);
      for (const n of numbers) expect(n).toMatch(/^TCK-\d{4}$/);
      const sequence = numbers.map((n) => Number(n.slice(4))).sort((x, y) => x - y);
      const highest = sequence[sequence.length - 1]!;
      expect(sequence[0]).toBeGreaterThanOrEqual(100);
      expect(highest - sequence[0]!).toBe(49);

      // Delete the newest ten, then create more: the numbers go on, none comes back.
      const newest = responses.filter((r) => Number((r.body.number as string).slice(4)) > highest - 10);
      for (const r of newest) expect((await server.delete(`/api/data/ticket/${r.body.id}`)).status).toBe(204);
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => createRecord(server, 'ticket', { title: `After ${i}` })));
      const later = after.map((r) => Number((r['number'] as string).slice(4)));
      for (const n of later) expect(n).toBeGreaterThan(highest);
      expect(new Set([...numbers, ...after.map((r) => r['number'])]).size).toBe(55);
    });

    it('are zero-padded with their prefix', async () => {
      const first = await createRecord(server, 'specimen', {});
      expect(first.autonumber).toMatch(/^SP-\d{5}$/);
    });
  });

  describe('unique', () => {
    it('refuses a second record with the same value with 409 naming the field, on create and on update', async () => {
      await createRecord(server, 'ticket', { title: 'Unique one', code: 'U-1' });
      const duplicate = await server.post('/api/data/ticket', { title: 'Unique two', code: 'U-1' });
      const details = expectError(duplicate, 409, 'UNIQUE_VIOLATION');
      expect(details.map((d) => d.path)).toEqual(['/code']);
      expect(details[0]!.message).toContain('code');
      const other = await createRecord(server, 'ticket', { title: 'Unique three', code: 'U-3' });
      const clash = await server.patch(`/api/data/ticket/${other.id}`, { code: 'U-1' });
      expect(expectError(clash, 409, 'UNIQUE_VIOLATION').map((d) => d.path)).toEqual(['/code']);
      expect((await server.get(`/api/data/ticket/${other.id}`)).body).toMatchObject({ code: 'U-3', version: 1 });
      // Absent values do not collide, and the default expression's value counts.
      expect((await server.post('/api/data/ticket', { title: 'u-1' })).body.code).toBe('T-U-1');
      expectError(await server.post('/api/data/ticket', { title: 'U-1' }), 409, 'UNIQUE_VIOLATION');
    });
  });

  describe('lookups', () => {
    it('to a missing record are refused with 400 naming the field, on create and on update', async () => {
      const res = await server.post('/api/data/deal', { name: 'Orphan', company: missingId });
      expect(expectError(res, 400, 'INVALID_RECORD')).toEqual([{ path: '/company', code: 'LOOKUP_MISSING', message: 'refers to a company record that does not exist' }]);
      const d = await createRecord(server, 'deal', { name: 'Homed', company: companyId });
      expect(errorPaths(await server.patch(`/api/data/deal/${d.id}`, { company: missingId }))).toEqual(['/company']);
      // A deleted target counts as missing.
      const gone = await createRecord(server, 'company', { name: 'Gone soon' });
      expect((await server.delete(`/api/data/company/${gone.id}`)).status).toBe(204);
      expect(errorPaths(await server.post('/api/data/deal', { name: 'Late', company: gone.id }))).toEqual(['/company']);
    });
  });

  describe('computed and system fields', () => {
    const systemNames = ['id', 'version', 'revision', 'owner', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'];
    const computed = ['autonumber', 'formula', 'rollup'];
    const samples = ['01ARZ3NDEKTSV4RRFFQ69G5FAV', 99, 'admin', { $set: 1 }];

    it.each([...systemNames, ...computed].flatMap((field) => samples.map((value) => ({ field, value }))))('refuse $field = $value on create and update', async ({ field, value }) => {
      const created = await server.post('/api/data/specimen', { [field]: value, text: 'Ok' });
      const details = expectError(created, 400, 'READ_ONLY_FIELD');
      expect(details.map((d) => d.path)).toEqual([`/${field}`]);
      expect(details[0]!.message).toContain(field);
      const existing = await createRecord(server, 'specimen', { text: 'Ok' });
      const patched = await server.patch(`/api/data/specimen/${existing.id}`, { [field]: value, text: 'Changed' });
      expect(expectError(patched, 400, 'READ_ONLY_FIELD').map((d) => d.path)).toEqual([`/${field}`]);
      expect((await server.get(`/api/data/specimen/${existing.id}`)).body).toEqual(existing);
    });

    it('names every refused field at once', async () => {
      const res = await server.post('/api/data/specimen', { id: 'x', owner: 'me', version: 7, formula: 1, text: 'Ok' });
      expect(errorPaths(res)).toEqual(['/formula', '/id', '/owner', '/version']);
    });
  });

  describe('options', () => {
    it('required: a missing value is refused at its pointer', async () => {
      const res = await server.post('/api/data/ticket', { priority: 2 });
      expect(expectError(res, 400, 'INVALID_RECORD')).toEqual([{ path: '/title', code: 'required', message: 'is required' }]);
      const t = await createRecord(server, 'ticket', { title: 'Keep me' });
      // Removing a required value with a merge patch is refused; a required field with a default is refilled.
      expect(errorPaths(await server.patch(`/api/data/ticket/${t.id}`, { title: null }))).toEqual(['/title']);
      expect((await server.patch(`/api/data/ticket/${t.id}`, { status: null })).body.status).toBe('new');
    });

    it('default: constants and JSONata expressions fill absent fields on create; given values win', async () => {
      server.clock.set('2026-04-01T08:30:00.000Z');
      const t = await createRecord(server, 'ticket', { title: 'Printer jam' });
      expect(t).toMatchObject({ status: 'new', priority: 3, code: 'T-PRINTER JAM', openedAt: '2026-04-01T08:30:00.000Z', tags: ['red'] });
      const given = await createRecord(server, 'ticket', { title: 'Given', status: 'done', priority: 5, code: 'MINE', openedAt: '2026-01-01T00:00:00Z', tags: [] });
      expect(given).toMatchObject({ status: 'done', priority: 5, code: 'MINE', openedAt: '2026-01-01T00:00:00.000Z', tags: [] });
      // Defaults are validated like any value: a default expression's output must fit its field.
      expect(errorPaths(await server.post('/api/data/ticket', { title: 'x'.repeat(39) }))).toEqual(['/code']);
    });

    it('min/max, min/max length and pattern bound values (shown per type above); the bounds themselves are inclusive', async () => {
      expect((await server.post('/api/data/ticket', { title: 'x'.repeat(40), code: 'L40' })).status).toBe(201);
      expect(errorPaths(await server.post('/api/data/ticket', { title: 'x'.repeat(41), code: 'L41' }))).toEqual(['/title']);
      expect((await server.post('/api/data/ticket', { title: 'p1', priority: 1 })).status).toBe(201);
      expect((await server.post('/api/data/ticket', { title: 'p5', priority: 5 })).status).toBe(201);
      expect(errorPaths(await server.post('/api/data/ticket', { title: 'p0', priority: 0 }))).toEqual(['/priority']);
      expect(errorPaths(await server.post('/api/data/ticket', { title: 'p6', priority: 6 }))).toEqual(['/priority']);
    });
  });
});
