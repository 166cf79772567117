// Regression, the throttle race: the limit was checked before the password hash and the failure
// recorded after it, so 200 parallel wrong passwords all got 401 (none 429) and a right password
// inside a burst of 40 wrong ones signed in. Attempts are now counted before they are verified, in
// one step: no concurrency gets more guesses than the limit. Also the proxy setting the address
// count depends on (CRM_TRUST_PROXY).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { defaultLimits, SignInLimiter } from '../../engine/security/sign-in-limiter.ts';
import { trustProxySetting } from '../../engine/settings/trust-proxy.ts';
import { apiClient, startTestServer, type TestServer } from '../support/test-server.ts';

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('sign-in throttle race', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('200 parallel wrong passwords for one account: at most the limit are tried, the rest get 429', async () => {
    const victim = await server.createUser({ roles: [] });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => server.anonymous.post('/api/auth/login', { email: victim.email, password: `guess-${i}-wrong` }).then((r) => r.status)),
    );
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(defaultLimits.perAccount);
    expect(counts[429]).toBe(200 - (counts[401] ?? 0));
  });

  it('a right password inside a burst of 40 wrong ones is refused with 429', async () => {
    server.clock.advance(60 * 60 * 1000);
    const victim = await server.createUser({ roles: [] });
    const wrong = Array.from({ length: 40 }, (_, i) => server.anonymous.post('/api/auth/login', { email: victim.email, password: `burst-${i}-wrong` }));
    const right = server.anonymous.post('/api/auth/login', { email: victim.email, password: victim.password });
    const statuses = (await Promise.all(wrong)).map((r) => r.status);
    expect(tally(statuses)[401]).toBeLessThanOrEqual(defaultLimits.perAccount);
    const answer = await right;
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    // Once the window has moved on, the right password works again.
    server.clock.advance(defaultLimits.windowMs + 1000);
    expect((await server.anonymous.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
  });

  it('200 parallel guesses sprayed over many accounts, each claiming its own X-Forwarded-For: at most the address limit are tried', async () => {
    // Without CRM_TRUST_PROXY the header is the client's own say-so and is ignored.
    server.clock.advance(60 * 60 * 1000);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        server.anonymous.post('/api/auth/login', { email: `spray-${i}@crm.test`, password: 'Winter2026!' }, { 'x-forwarded-for': `203.0.113.${i}` }).then((r) => r.status),
      ),
    );
    expect(tally(statuses)[401] ?? 0).toBeLessThanOrEqual(defaultLimits.perAddress);
  });

  it('successful sign-ins do not use up the address limit', () => {
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    const limiter = new SignInLimiter(clock, { windowMs: 60_000, perAccount: 2, perAddress: 3 });
    for (let i = 0; i < 10; i++) {
      const begun = limiter.beginAttempt('ada@crm.test', '10.0.0.1');
      if (!('attempt' in begun)) throw new Error(`attempt ${i} refused`);
      limiter.succeeded(begun.attempt);
    }
    for (let i = 0; i < 3; i++) expect('attempt' in limiter.beginAttempt(`guess${i}@crm.test`, '10.0.0.1')).toBe(true);
    expect(limiter.beginAttempt('ada@crm.test', '10.0.0.1').retryAfterMs).toBe(60_000);
  });
});

describe('CRM_TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { CRM_TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => server.close());

  it('behind a trusted proxy each client address is throttled on its own', async () => {
    const anonymous = apiClient(server.url);
    const attempt = (client: string, i: number) => anonymous.post('/api/auth/login', { email: `proxied-${client}-${i}@crm.test`, password: 'Winter2026!' }, { 'x-forwarded-for': client });
    for (let i = 0; i < defaultLimits.perAddress; i++) expect((await attempt('198.51.100.7', i)).status).toBe(401);
    expect((await attempt('198.51.100.7', 99)).status).toBe(429);
    // Another client behind the same proxy is not locked out by the first one.
    expect((await attempt('198.51.100.8', 0)).status).toBe(401);
  });

  it('reads hop counts, true, and address lists; refuses what names no address', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('true')).toBe(true);
    expect(trustProxySetting('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(() => trustProxySetting('not-an-address')).toThrow(/CRM_TRUST_PROXY/);
  });
});
