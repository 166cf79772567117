// Acceptance: brute-force sign-in is throttled per account and per address (time from the manual
// clock, nothing sleeps); a revoked token, a demoted or disabled user, and a reset password stop
// working on the very next request; team changes move the "team" scope at once.

import { withoutRequestId } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const documents = [
  { kind: 'entity', name: 'lead', label: 'Lead', fields: { name: { type: 'text', required: true }, budget: { type: 'number' } } },
  { kind: 'role', name: 'seller', label: 'Seller', permissions: { lead: { create: true, read: 'team', update: 'own', delete: 'own' } } },
  { kind: 'role', name: 'reader', label: 'Reader', permissions: { lead: { read: 'own', defaultFieldAccess: 'read', fields: { budget: 'hidden' } } } },
];

describe('brute-force sign-in', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('locks one account after 5 failures for 15 minutes — even the right password — then lets it in again', async () => {
    const victim = await server.createUser({ roles: [] });
    for (let i = 0; i < 5; i++) expect((await server.anonymous.post('/api/auth/login', { email: victim.email, password: `guess-${i}` })).status).toBe(401);
    const locked = await server.anonymous.post('/api/auth/login', { email: victim.email, password: victim.password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same e-mail in other letter case is the same account.
    expect((await server.anonymous.post('/api/auth/login', { email: victim.email.toUpperCase(), password: victim.password })).status).toBe(429);
    server.clock.advance(14 * 60 * 1000);
    expect((await server.anonymous.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(429);
    server.clock.advance(61 * 1000);
    expect((await server.anonymous.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
  });

  it('throttles one address that sprays many accounts', async () => {
    server.clock.advance(60 * 60 * 1000);
    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const res = await server.anonymous.post('/api/auth/login', { email: `spray${i}@crm.test`, password: 'Winter2026!' });
      if (res.status === 429) limited++;
      else expect(res.status).toBe(401);
    }
    expect(limited).toBeGreaterThanOrEqual(10);
    // Unknown and known accounts answer alike while limited: nothing tells which exists.
    const known = await server.anonymous.post('/api/auth/login', { email: testAdmin.email, password: 'wrong-password-1' });
    expect(known.status).toBe(429);
    server.clock.advance(16 * 60 * 1000);
    expect((await server.anonymous.post('/api/auth/login', { email: testAdmin.email, password: testAdmin.password })).status).toBe(200);
  });

  it('unknown and known e-mails fail with the same answer', async () => {
    server.clock.advance(60 * 60 * 1000);
    const unknown = await server.anonymous.post('/api/auth/login', { email: 'nobody@crm.test', password: 'some-password-1' });
    const known = await server.anonymous.post('/api/auth/login', { email: testAdmin.email, password: 'some-password-1' });
    expect(unknown.status).toBe(401);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(known.body));
  });
});

describe('revocation takes effect on the next request', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('a revoked token stops working at once; other tokens keep working', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    const a = await seller.client.post('/api/auth/tokens', { name: 'a', role: 'seller' });
    const b = await seller.client.post('/api/auth/tokens', { name: 'b', role: 'seller' });
    const clientA = server.tokenClient(a.body.token);
    const clientB = server.tokenClient(b.body.token);
    expect((await clientA.post('/api/data/lead', { name: 'via token' })).status).toBe(201);
    expect((await seller.client.delete(`/api/auth/tokens/${a.body.id}`)).status).toBe(204);
    expect((await clientA.get('/api/data/lead')).status).toBe(401);
    expect((await clientB.get('/api/data/lead')).status).toBe(200);
    // Tokens act for their user: a record created through a token is the user's own.
    const listed = await clientB.get('/api/data/lead');
    expect(listed.body.items[0].owner).toBe(seller.id);
  });

  it('a demoted user’s session and tokens stop working on the next request', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    const token = (await seller.client.post('/api/auth/tokens', { name: 't', role: 'seller' })).body.token as string;
    expect((await seller.client.post('/api/data/lead', { name: 'before demotion', budget: 10 })).status).toBe(201);
    expect((await server.patch(`/api/users/${seller.id}`, { roles: ['reader'] })).status).toBe(200);
    expect((await seller.client.get('/api/data/lead')).status).toBe(401);
    expect((await server.tokenClient(token).get('/api/data/lead')).status).toBe(401);
    // Signed in again, the user has only the new role's rights.
    const again = await server.userClient(seller.email, seller.password);
    const list = await again.get('/api/data/lead');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).not.toHaveProperty('budget');
    expect((await again.post('/api/data/lead', { name: 'no longer allowed' })).status).toBe(403);
  });

  it('an admin demoted to a plain user loses metadata rights at once', async () => {
    const second = await server.createUser({ admin: true });
    expect((await second.client.get('/api/meta/revisions')).status).toBe(200);
    expect((await server.patch(`/api/users/${second.id}`, { admin: false })).status).toBe(200);
    expect((await second.client.get('/api/meta/revisions')).status).toBe(401);
    const again = await server.userClient(second.email, second.password);
    expect((await again.get('/api/meta/revisions')).status).toBe(403);
  });

  it('disabling a user ends their sessions and refuses sign-in', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    expect((await server.patch(`/api/users/${seller.id}`, { disabled: true })).status).toBe(200);
    expect((await seller.client.get('/api/data/lead')).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email: seller.email, password: seller.password })).status).toBe(401);
  });

  it('a password reset by an admin ends every session; the old password no longer works', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    expect((await server.post(`/api/users/${seller.id}/password`, { password: 'a-brand-new-password' })).status).toBe(204);
    expect((await seller.client.get('/api/data/lead')).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email: seller.email, password: seller.password })).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email: seller.email, password: 'a-brand-new-password' })).status).toBe(200);
  });

  it('changing one’s own password needs the current one and ends the session', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    const wrong = await seller.client.post('/api/auth/password', { currentPassword: 'not-it', newPassword: 'another-long-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].path).toBe('/currentPassword');
    const weak = await seller.client.post('/api/auth/password', { currentPassword: seller.password, newPassword: 'password' });
    expect(weak.status).toBe(400);
    expect((await seller.client.post('/api/auth/password', { currentPassword: seller.password, newPassword: 'another-long-password' })).status).toBe(204);
    expect((await seller.client.get('/api/auth/me')).status).toBe(401);
  });

  it('sessions expire after their lifetime (manual clock)', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    server.clock.advance(11 * 60 * 60 * 1000);
    expect((await seller.client.get('/api/auth/me')).status).toBe(200);
    server.clock.advance(2 * 60 * 60 * 1000);
    expect((await seller.client.get('/api/auth/me')).status).toBe(401);
  });

  it('team membership and hierarchy move the team scope on the next request', async () => {
    await server.createTeam('north');
    await server.createTeam('northCity', 'north');
    const boss = await server.createUser({ roles: ['seller'], teams: ['north'] });
    const member = await server.createUser({ roles: ['seller'], teams: [] });
    const lead = (await member.client.post('/api/data/lead', { name: 'member lead' })).body.id as string;
    expect((await boss.client.get(`/api/data/lead/${lead}`)).status).toBe(404);
    expect((await server.patch(`/api/users/${member.id}`, { teams: ['northCity'] })).status).toBe(200);
    // Team changes do not end the member's session, but do change what the boss sees.
    expect((await member.client.get('/api/auth/me')).status).toBe(200);
    expect((await boss.client.get(`/api/data/lead/${lead}`)).status).toBe(200);
    const total = (await boss.client.get('/api/data/lead?total=1')).body.total as number;
    expect((await server.patch('/api/teams/northCity', { parent: undefined })).status).toBe(200);
    expect((await server.post('/api/teams', { name: 'south' })).status).toBe(201);
    expect((await server.patch('/api/teams/northCity', { parent: 'south' })).status).toBe(200);
    expect((await boss.client.get(`/api/data/lead/${lead}`)).status).toBe(404);
    expect((await boss.client.get('/api/data/lead?total=1')).body.total).toBe(total - 1);
  });

  it('the team hierarchy refuses cycles and unknown parents, with pointers', async () => {
    await server.createTeam('top');
    await server.createTeam('middle', 'top');
    const cycle = await server.patch('/api/teams/top', { parent: 'middle' });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details[0].path).toBe('/parent');
    expect((await server.post('/api/teams', { name: 'orphan', parent: 'nowhere' })).body.error.details[0].path).toBe('/parent');
    expect((await server.delete('/api/teams/top')).status).toBe(409);
  });

  it('users API checks roles and teams exist and reports each with its pointer', async () => {
    const res = await server.post('/api/users', { email: 'x@crm.test', password: 'long-enough-password', roles: ['seller', 'ghost'], teams: ['nowhere'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/roles/1', '/teams/0']);
    const bad = await server.post('/api/users', { email: 'not-an-email', password: 'short', extra: 1 });
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/email', '/extra']);
    const list = await server.get('/api/users');
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|argon2|epoch/);
  });
});
