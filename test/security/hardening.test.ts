// Hardening already in place, now under test: security headers with a content-security policy,
// body size limits and content types, no stack traces to clients, and metadata editable by admins only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.put('/api/meta/entities/memo', { kind: 'entity', name: 'memo', label: 'Memo', fields: { text: { type: 'textarea', maxLength: 100000 } } });
  });
  afterAll(async () => server.close());

  it('a page carries helmet’s headers and the document policy', async () => {
    const res = await server.get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each(['/api/health', '/api/data/memo', '/api/nothing'])('%s (an API answer) carries a policy that allows nothing and may not be framed', async (url) => {
    const res = await server.get(url);
    const csp = (res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim()).sort();
    expect(csp).toEqual(["default-src 'none'", "frame-ancestors 'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // Headers that only mean something for a document are left off.
    for (const documentOnly of ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection', 'x-permitted-cross-domain-policies']) {
      expect(res.headers.get(documentOnly), documentOnly).toBeNull();
    }
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('a body over 1 MB is 413 before it is parsed', async () => {
    const res = await server.post('/api/data/memo', { text: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a write that is not JSON is 415 (a cross-site form cannot post records)', async () => {
    const res = await server.request('POST', '/api/data/memo', 'text=hello', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    const login = await server.anonymous.request('POST', '/api/auth/login', 'email=a&password=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(login.status).toBe(415);
    const plain = await server.anonymous.request('POST', '/api/auth/login', '{"email":"a","password":"b"}', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
  });

  it('errors never carry stack traces or internals', async () => {
    const responses = [
      await server.request('POST', '/api/data/memo', '{"text": "unterminated', { 'content-type': 'application/json' }),
      await server.get('/api/data/memo?filter=%7B%22text%22%3A%7B%22%24regex%22%3A%22(a%2B)%2B%24%22%7D%7D'),
      await server.get('/api/data/memo/%00%ff'),
      await server.patch('/api/data/memo/01ARZ3NDEKTSV4RRFFQ69G5FAV', { text: 1 }, { 'if-match': 'garbage' }),
      await server.anonymous.get('/api/data/memo', { authorization: 'Bearer ' + 'A'.repeat(5000) }),
      await server.anonymous.get('/api/data/memo', { cookie: 'crm_session=' + 'x'.repeat(3000) }),
    ];
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|SqliteError|Error: /);
    }
  });

  it('only admins change metadata, users, teams and tokens of others', async () => {
    await server.put('/api/meta/roles/clerk', { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { memo: { create: true, read: 'own', update: 'own' } } });
    const clerk = await server.createUser({ roles: ['clerk'] });
    const attempts = [
      await clerk.client.put('/api/meta/entities/memo', { kind: 'entity', name: 'memo', label: 'Memo', fields: { text: { type: 'text' } } }),
      await clerk.client.put('/api/meta/roles/clerk', { kind: 'role', name: 'clerk', label: 'Clerk', admin: true }),
      await clerk.client.delete('/api/meta/entities/memo'),
      await clerk.client.post('/api/meta/validate', { kind: 'entity', name: 'memo', label: 'M', fields: {} }),
      await clerk.client.post('/api/meta/apply', []),
      await clerk.client.post('/api/meta/revisions/1/revert'),
      await clerk.client.post('/api/users', { email: 'new@crm.test', password: 'long-enough-password', admin: true }),
      await clerk.client.patch(`/api/users/${clerk.id}`, { admin: true }),
      await clerk.client.post('/api/teams', { name: 'mine' }),
    ];
    for (const res of attempts) expect(res.status).toBe(403);
    expect((await clerk.client.get('/api/auth/me')).body.admin).toBe(false);
    const adminToken = (await server.post('/api/auth/tokens', { name: 'other', role: 'admin' })).body.id as string;
    expect((await clerk.client.delete(`/api/auth/tokens/${adminToken}`)).status).toBe(404);
  });
});
