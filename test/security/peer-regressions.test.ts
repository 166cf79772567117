// Regression tests named after holes found in peers' access control, each replayed against our
// API over real HTTP (or, for internal calls, against the record service the modules use).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal, type Principal } from '../../engine/access/policy.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { startTestServer, type ApiClient, type TestServer } from '../support/test-server.ts';
import { captureLog } from '../support/log-capture.ts';

const q = (filter: unknown): string => encodeURIComponent(JSON.stringify(filter));

const entities = [
  { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true }, industry: { type: 'text' }, secretScore: { type: 'integer' } } },
  {
    kind: 'entity', name: 'contact', label: 'Contact',
    fields: { name: { type: 'text', required: true }, email: { type: 'email' }, salary: { type: 'number' }, account: { type: 'lookup', to: 'account' } },
  },
];
const roles = [
  {
    kind: 'role', name: 'viewer', label: 'Viewer',
    permissions: {
      account: { read: 'all', defaultFieldAccess: 'read', fields: { secretScore: 'hidden' } },
      contact: { create: true, read: 'own', update: 'own', defaultFieldAccess: 'edit', fields: { salary: 'hidden' } },
    },
  },
];

describe('regressions named after peers’ holes', () => {
  let server: TestServer;
  let viewer: ApiClient;
  let viewerId: string;
  let accountId: string;
  let othersContact: string;

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents: [...entities, ...roles] })).status).toBe(200);
    const user = await server.createUser({ roles: ['viewer'] });
    viewer = user.client;
    viewerId = user.id;
    accountId = (await server.post('/api/data/account', { name: 'Acme', industry: 'retail', secretScore: 97 })).body.id;
    othersContact = (await server.post('/api/data/contact', { name: 'Boss', salary: 250000, account: accountId })).body.id;
    expect((await viewer.post('/api/data/contact', { name: 'Mine', account: accountId })).status).toBe(201);
  });
  afterAll(async () => server.close());

  describe('Strapi CVE-2023-22894: filtering on a field the caller cannot read', () => {
    it.each([
      ['equality', { secretScore: 97 }],
      ['range probe', { secretScore: { $gt: 90 } }],
      ['existence probe', { secretScore: { $exists: true } }],
      ['inside $or', { $or: [{ name: 'none' }, { secretScore: { $lt: 100 } }] }],
      ['inside $and/$not', { $and: [{ secretScore: { $not: { $gt: 50 } } }] }],
      ['inside $in', { secretScore: { $in: [97, 98] } }],
    ])('%s on a hidden field is 400 and returns nothing', async (_name, filter) => {
      const res = await viewer.get(`/api/data/account?filter=${q(filter)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_FILTER');
      expect(res.body).not.toHaveProperty('items');
    });

    it('a hidden field cannot be reached through a lookup path either; readable target fields can', async () => {
      for (const filter of [{ 'account.secretScore': 97 }, { 'account.secretScore': { $exists: true } }, { $or: [{ name: 'x' }, { 'account.secretScore': { $gt: 90 } }] }]) {
        const res = await viewer.get(`/api/data/contact?filter=${q(filter)}`);
        expect(res.status, JSON.stringify(filter)).toBe(400);
        expect(res.body).not.toHaveProperty('items');
      }
      for (const filter of [{ 'account.industry': 'retail' }, { 'account.name': { $regex: '^A' } }]) {
        const res = await viewer.get(`/api/data/contact?filter=${q(filter)}`);
        expect(res.status, JSON.stringify(filter)).toBe(200);
        expect(res.body.items.map((c: { name: string }) => c.name)).toEqual(['Mine']);
      }
    });

    it('the same probe by an admin works, so the refusal is about permission, not syntax', async () => {
      const res = await server.get(`/api/data/account?filter=${q({ secretScore: { $gt: 90 } })}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });

    it('a hidden field of a record in scope is refused in filters too (salary on my own contacts)', async () => {
      expect((await viewer.get(`/api/data/contact?filter=${q({ salary: { $gt: 0 } })}`)).status).toBe(400);
    });
  });

  describe('Directus #15437: sorting on a field the caller cannot read', () => {
    it.each(['secretScore', '-secretScore', 'name,-secretScore', 'account.secretScore'])('sort=%s is 400', async (sort) => {
      const entity = sort.startsWith('account.') ? 'contact' : 'account';
      const res = await viewer.get(`/api/data/${entity}?sort=${encodeURIComponent(sort)}`);
      expect(res.status).toBe(400);
      expect(res.body).not.toHaveProperty('items');
    });

    it('a cursor cannot smuggle a sort on a hidden field', async () => {
      const forged = Buffer.from(JSON.stringify({ v: [97], id: 'x', s: ['secretScore'] })).toString('base64url');
      const res = await viewer.get(`/api/data/account?cursor=${forged}`);
      expect(res.status).toBe(400);
    });
  });

  describe('Strapi #17372: a filter the server cannot apply is an error, never an unfiltered answer', () => {
    it.each([
      ['unknown field', { nosuchfield: 1 }],
      ['unknown operator', { name: { $contains: 'A' } }],
      ['$where', { $where: 'this.secretScore > 1' }],
      ['$expr', { $expr: { $gt: ['$secretScore', 1] } }],
      ['a filter that is not an object', ['name', 'Acme']],
      ['an empty $or', { $or: [] }],
      ['a wrong value type', { name: { $gt: { $ne: null } } }],
      ['too deep', JSON.parse('{"$and":[{"$and":[{"$and":[{"$and":[{"$and":[{"$and":[{"$and":[{"$and":[{"$and":[{"name":"x"}]}]}]}]}]}]}]}]}]}')],
    ])('%s → 400', async (_name, filter) => {
      const res = await server.get(`/api/data/account?filter=${q(filter)}`);
      expect(res.status).toBe(400);
      expect(res.body).not.toHaveProperty('items');
    });

    it('a misspelt parameter is refused, not ignored', async () => {
      const res = await server.get(`/api/data/account?filtr=${q({ name: 'none' })}`);
      expect(res.status).toBe(400);
    });

    it('a filter that is not JSON is refused', async () => {
      expect((await server.get('/api/data/account?filter={name:1')).status).toBe(400);
    });
  });

  describe('Payload CVE-2026-39397: internal calls are checked by default', () => {
    const contextFor = (principal: Principal): RequestContext => ({
      principal,
      locale: 'en',
      clock: new ManualClock(),
      model: server.server.runtime.model,
      policy: server.server.services.policy,
    });
    const viewerPrincipal = (): Principal => ({ kind: 'user', id: viewerId, roles: ['viewer'], teams: [], admin: false });

    it('the record service applies the policy to a user context: scope, hidden fields, forbidden verbs', async () => {
      const records = server.server.records;
      await expect(records.get(contextFor(viewerPrincipal()), 'contact', othersContact)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const list = await records.list(contextFor(viewerPrincipal()), 'contact', { total: true });
      expect(list.total).toBe(1);
      expect(list.items[0]).not.toHaveProperty('salary');
      const account = await records.get(contextFor(viewerPrincipal()), 'account', accountId);
      expect(account).not.toHaveProperty('secretScore');
      await expect(records.update(contextFor(viewerPrincipal()), 'account', accountId, { name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(records.list(contextFor(viewerPrincipal()), 'account', { filter: { secretScore: 97 } })).rejects.toMatchObject({ code: 'INVALID_FILTER' });
    });

    it('there is no "override access" flag: an unauthenticated context gets nothing', async () => {
      const anonymous: Principal = { kind: 'anonymous', id: 'anonymous', roles: [], teams: [], admin: false };
      await expect(server.server.records.list(contextFor(anonymous), 'account', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('system mode must be asked for by name, is logged, and is what the audit trail records', async () => {
      const log = captureLog();
      try {
        const system = systemPrincipal('regression-test-job');
        expect(log.text('info')).toContain('system mode requested: regression-test-job');
        const { record } = await server.server.records.update(contextFor(system), 'account', accountId, { industry: 'wholesale trade' });
        expect(record['secretScore']).toBe(97);
        const history = await server.get(`/api/data/account/${accountId}/history`);
        expect(history.body.items.at(-1).by).toBe('system:regression-test-job');
      } finally {
        log.restore();
      }
    });
  });

  describe('mass assignment of owner, id, version and audit fields', () => {
    it.each(['owner', 'id', 'version', 'revision', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'])('%s cannot be set on create or update, not even by an admin', async (key) => {
      const value = key === 'version' || key === 'revision' ? 42 : viewerId;
      for (const client of [server as ApiClient, viewer]) {
        const created = await client.post('/api/data/contact', { name: 'Mass', [key]: value });
        expect(created.status).toBe(400);
        expect(created.body.error.details).toContainEqual(expect.objectContaining({ path: `/${key}` }));
      }
      const patched = await server.patch(`/api/data/contact/${othersContact}`, { [key]: value });
      expect(patched.status).toBe(400);
      const after = await server.get(`/api/data/contact/${othersContact}`);
      expect(after.body.owner).toBe(server.admin!.id);
    });

    it('the owner changes only through reassign, and only with the grant', async () => {
      const mine = (await viewer.get('/api/data/contact')).body.items[0];
      const res = await viewer.post(`/api/data/contact/${mine.id}/reassign`, { owner: server.admin!.id });
      expect(res.status).toBe(403);
      const byAdmin = await server.post(`/api/data/contact/${othersContact}/reassign`, { owner: viewerId });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.owner).toBe(viewerId);
      const history = await server.get(`/api/data/contact/${othersContact}/history`);
      expect(history.body.items.at(-1)).toMatchObject({ action: 'reassign', changes: { owner: { before: server.admin!.id, after: viewerId } } });
      expect((await viewer.get(`/api/data/contact/${othersContact}`)).status).toBe(200);
      const toNobody = await server.post(`/api/data/contact/${othersContact}/reassign`, { owner: 'nobody' });
      expect(toNobody.status).toBe(400);
      expect(toNobody.body.error.details[0].path).toBe('/owner');
    });
  });

  describe('operator injection in filters', () => {
    it.each([
      ['$where at the top', { $where: '1 == 1' }],
      ['$where in a field', { name: { $where: 'true' } }],
      ['an operator object as a value', { name: { $eq: { $ne: null } } }],
      ['$function', { $function: { body: 'return true', args: [], lang: 'js' } }],
      ['$regex with catastrophic backtracking', { name: { $regex: '(a+)+$' } }],
      ['$regex too long', { name: { $regex: 'a'.repeat(5000) } }],
      ['a key with a dot into the document', { 'name.$ne': 'x' }],
      ['a $ key on the value side of $in', { name: { $in: [{ $gt: '' }] } }],
    ])('%s → 400', async (_name, filter) => {
      const res = await server.get(`/api/data/account?filter=${q(filter)}`);
      expect(res.status).toBe(400);
    });
  });

  describe('prototype pollution', () => {
    const poisoned = ['{"name":"p","__proto__":{"admin":true}}', '{"name":"p","constructor":{"prototype":{"admin":true}}}', '{"name":"p","address":{"__proto__":{"x":1}}}'];

    it.each(poisoned)('a record body %s is refused', async (raw) => {
      const res = await server.request('POST', '/api/data/account', raw, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    });

    it.each(poisoned)('a PATCH body %s is refused', async (raw) => {
      const res = await server.request('PATCH', `/api/data/account/${accountId}`, raw, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
    });

    it('metadata with __proto__, constructor or prototype keys is refused with a pointer', async () => {
      const raw = '{"kind":"entity","name":"poison","label":"P","fields":{"name":{"type":"text"},"__proto__":{"type":"text"}}}';
      const res = await server.request('PUT', '/api/meta/entities/poison', raw, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error.details)).toContain('__proto__');
      // A customer's picklist option or field named "constructor" is told why, in their language.
      const option = { kind: 'entity', name: 'trade', label: 'Trade', fields: { job: { type: 'picklist', options: { builder: {}, constructor: {} } } } };
      const refused = await server.put('/api/meta/entities/trade', option, { 'accept-language': 'zh' });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ path: '/fields/job/options/constructor', code: 'FORBIDDEN_KEY', message: '不允许以「constructor」作键：每个 JavaScript 对象都有此名称，作为数据可能改变由此输入构建的对象' }]);
      expect((await server.put('/api/meta/entities/trade', option)).body.error.details[0].message).toMatch(/^"constructor" is not allowed as a key: every JavaScript object has it/);
      const role = '{"kind":"role","name":"poisonRole","label":"P","permissions":{"constructor":{"read":"all"}}}';
      expect((await server.request('PUT', '/api/meta/roles/poisonRole', role, { 'content-type': 'application/json' })).status).toBe(400);
    });

    it('a filter with __proto__ is refused', async () => {
      expect((await server.get(`/api/data/account?filter=${encodeURIComponent('{"__proto__":{"name":"x"}}')}`)).status).toBe(400);
      expect((await server.get(`/api/data/account?filter=${encodeURIComponent('{"name":{"__proto__":"x"}}')}`)).status).toBe(400);
    });

    it('sign-in, users and token bodies refuse poisoned keys and do not grant admin', async () => {
      const login = await server.anonymous.request('POST', '/api/auth/login', '{"email":"a@b.test","password":"x","__proto__":{"admin":true}}', { 'content-type': 'application/json' });
      expect(login.status).toBe(400);
      const user = await server.request('POST', '/api/users', '{"email":"p@b.test","password":"long-enough-password","__proto__":{"admin":true}}', { 'content-type': 'application/json' });
      expect(user.status).toBe(400);
      const me = await viewer.get('/api/auth/me');
      expect(me.body.admin).toBe(false);
    });
  });
});
