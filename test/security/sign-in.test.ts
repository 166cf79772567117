// Acceptance: anonymous requests are refused, default credentials never work, the first admin
// comes from the environment or a one-time setup link, sessions and tokens work as documented.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';
import { captureLog } from '../support/log-capture.ts';

const dataAndMetadata = [
  ['GET', '/api/meta/entities'],
  ['GET', '/api/meta/roles'],
  ['GET', '/api/meta/revisions'],
  ['PUT', '/api/meta/entities/thing'],
  ['POST', '/api/meta/validate'],
  ['GET', '/api/data/thing'],
  ['POST', '/api/data/thing'],
  ['GET', '/api/data/thing/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
  ['PATCH', '/api/data/thing/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
  ['DELETE', '/api/data/thing/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
  ['GET', '/api/data/thing/01ARZ3NDEKTSV4RRFFQ69G5FAV/history'],
  ['POST', '/api/data/thing/01ARZ3NDEKTSV4RRFFQ69G5FAV/reassign'],
  ['GET', '/api/openapi.json'],
  ['GET', '/api/types.ts'],
  ['GET', '/api/users'],
  ['GET', '/api/teams'],
  ['GET', '/api/auth/me'],
  ['GET', '/api/privacy/export?email=a@b.test'],
  ['GET', '/api/templates'],
  ['GET', '/api/approvals'],
  ['GET', '/api/notifications'],
] as const;

describe('anonymous callers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.put('/api/meta/entities/thing', { kind: 'entity', name: 'thing', label: 'Thing', fields: { name: { type: 'text' } } });
  });
  afterAll(async () => server.close());

  it.each(dataAndMetadata)('%s %s → 401 with the one error shape', async (method, url) => {
    const res = await server.anonymous.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: [] });
  });

  it('a wrong, malformed or made-up bearer token is 401, never anonymous access', async () => {
    for (const header of ['Bearer nope', 'Bearer crmt_01ARZ3NDEKTSV4RRFFQ69G5FAV.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'Basic YWRtaW46YWRtaW4=', 'Bearer ']) {
      const res = await server.anonymous.get('/api/data/thing', { authorization: header });
      expect(res.status, header).toBe(401);
    }
  });

  it('a forged session cookie is 401', async () => {
    const res = await server.anonymous.get('/api/data/thing', { cookie: 'crm_session=01ARZ3NDEKTSV4RRFFQ69G5FAV.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(res.status).toBe(401);
  });

  it('template, scheduler, webhook-log, user and privacy endpoints are for administrators only', async () => {
    const user = await server.createUser({ roles: [] });
    for (const [method, url] of [['GET', '/api/templates'], ['POST', '/api/templates/retail/install'], ['POST', '/api/scheduler/tick'], ['GET', '/api/webhooks/deliveries'], ['GET', '/api/users'], ['POST', '/api/privacy/erase']] as const) {
      const res = await user.client.request(method, url, method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${url}`).toBe(403);
    }
  });

  it('health and the start page stay public', async () => {
    expect((await server.anonymous.get('/api/health')).status).toBe(200);
    expect((await server.anonymous.get('/')).status).toBe(200);
  });

  it.each([
    ['admin', 'admin'], ['admin@localhost', 'admin'], ['admin@example.com', 'password'], ['root', 'root'], ['admin', ''], [testAdmin.email, 'admin'], [testAdmin.email, 'password'], [testAdmin.email, 'changeme'],
  ])('default credentials %s / %s never sign in', async (email, password) => {
    const res = await server.anonymous.post('/api/auth/login', { email, password });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('first run', () => {
  it('refuses a well-known CRM_ADMIN_PASSWORD and offers a one-time setup link instead', async () => {
    const log = captureLog();
    const server = await startTestServer({ withAdmin: false, env: { CRM_ADMIN_EMAIL: 'admin@example.com', CRM_ADMIN_PASSWORD: 'admin' } });
    try {
      expect(log.text('error')).toMatch(/CRM_ADMIN_PASSWORD refused: \/password/);
      const link = log.text('info').match(/(http:\/\/\S+\/api\/setup\/\S+)/)?.[1];
      expect(link).toBeDefined();
      expect((await server.anonymous.post('/api/auth/login', { email: 'admin@example.com', password: 'admin' })).status).toBe(401);
    } finally {
      log.restore();
      await server.close();
    }
  });

  it('without CRM_ADMIN_* prints a setup URL whose form creates the first admin once', async () => {
    const log = captureLog();
    const server = await startTestServer({ withAdmin: false, env: {} });
    try {
      const link = log.text('info').match(/(http:\/\/\S+\/api\/setup\/\S+) /)?.[1];
      expect(link).toBeDefined();
      const path = new URL(link!).pathname;
      const form = await server.anonymous.get(path);
      expect(form.status).toBe(200);
      expect(form.body).toContain('<form method="post">');
      expect((await server.anonymous.get('/api/setup/not-the-secret')).status).toBe(404);

      // A weak password is refused with a pointer, and the link stays usable.
      const weak = await server.anonymous.post(path, { email: 'owner@shop.test', password: 'password' });
      expect(weak.status).toBe(400);
      expect(weak.body.error.details).toContainEqual(expect.objectContaining({ path: '/password' }));

      // The plain HTML form, url-encoded.
      const created = await server.anonymous.request('POST', path, 'email=owner%40shop.test&name=Owner&password=correct-horse-battery', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(created.status).toBe(201);
      expect(created.headers.get('set-cookie')).toMatch(/crm_session=.*HttpOnly.*SameSite=Strict/);

      // Used once: gone afterwards.
      expect((await server.anonymous.get(path)).status).toBe(404);
      expect((await server.anonymous.post(path, { email: 'second@shop.test', password: 'another-long-password' })).status).toBe(404);

      const owner = await server.userClient('owner@shop.test', 'correct-horse-battery');
      const me = await owner.get('/api/auth/me');
      expect(me.body).toMatchObject({ admin: true, user: { email: 'owner@shop.test', name: 'Owner' } });
    } finally {
      log.restore();
      await server.close();
    }
  });

  it('creates the admin from CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD and prints no setup link', async () => {
    const log = captureLog();
    const server = await startTestServer();
    try {
      expect(log.text('info')).toContain('first administrator created from CRM_ADMIN_EMAIL');
      expect(log.text()).not.toContain('/api/setup/');
      const me = await server.get('/api/auth/me');
      expect(me.body).toMatchObject({ admin: true, via: 'token', user: { email: testAdmin.email } });
    } finally {
      log.restore();
      await server.close();
    }
  });
});

describe('sessions and tokens', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.put('/api/meta/entities/note', { kind: 'entity', name: 'note', label: 'Note', fields: { text: { type: 'text' } } });
  });
  afterAll(async () => server.close());

  it('login sets an httpOnly SameSite=Strict cookie and returns a CSRF token; /me answers; logout ends it', async () => {
    const res = await server.anonymous.post('/api/auth/login', { email: testAdmin.email, password: testAdmin.password });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^crm_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
    const cookie = setCookie.split(';')[0]!;
    const session = apiClient(server.url, { cookie });
    expect((await session.get('/api/auth/me')).body).toMatchObject({ via: 'session', csrfToken: res.body.csrfToken });
    expect((await session.post('/api/auth/logout', undefined, { 'x-csrf-token': res.body.csrfToken })).status).toBe(204);
    expect((await session.get('/api/auth/me')).status).toBe(401);
  });

  it('a cookie-authenticated write without the CSRF token is refused; with it, it goes through', async () => {
    const user = await server.userClient(testAdmin.email, testAdmin.password);
    const bare = apiClient(server.url, { cookie: user.cookie });
    const refused = await bare.post('/api/data/note', { text: 'from another site' });
    expect(refused.status).toBe(403);
    expect((await bare.post('/api/data/note', { text: 'x' }, { 'x-csrf-token': 'guessed' })).status).toBe(403);
    expect((await bare.get('/api/data/note')).body.items).toHaveLength(0);
    expect((await user.post('/api/data/note', { text: 'mine' })).status).toBe(201);
    // Reads need no CSRF token.
    expect((await bare.get('/api/data/note')).status).toBe(200);
  });

  it('an API token is shown once, stored only hashed, and stops working when revoked', async () => {
    const created = await server.post('/api/auth/tokens', { name: 'integration', role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^crmt_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    const listed = await server.get('/api/auth/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token.split('.')[1]);
    const integration = server.tokenClient(created.body.token);
    expect((await integration.get('/api/data/note')).status).toBe(200);
    expect((await server.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await integration.get('/api/data/note')).status).toBe(401);
  });

  it('a token may only carry a role its user holds', async () => {
    const rep = await server.createUser({ roles: [] });
    const res = await rep.client.post('/api/auth/tokens', { name: 'escalate', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: '/role' }));
  });
});
