// PATCH /api/auth/me over real HTTP: a signed-in user saves their own language (the studio does when
// they switch it; notifications and e-mails are rendered in it). Bad values are refused naming
// /locale in the caller's language; nobody signed in gets 401; nobody changes another user's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let t: TestServer;
let ann: TestUser;
let bob: TestUser;
const localeOf = async (user: TestUser) => (await t.get(`/api/users/${user.id}`)).body.locale as string | undefined;

beforeAll(async () => {
  t = await startTestServer();
  ann = await t.createUser({ name: 'Ann' });
  bob = await t.createUser({ name: 'Bob' });
}, 60_000);
afterAll(async () => t?.close());

describe('PATCH /api/auth/me', () => {
  it('saves the caller\'s language: answered as GET /me is, kept with the user, the session goes on', async () => {
    expect(await localeOf(ann)).toBeUndefined();
    const res = await ann.client.patch('/api/auth/me', { locale: 'zh' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ user: { id: ann.id, locale: 'zh' }, via: 'session' });
    expect(res.body).toEqual((await ann.client.get('/api/auth/me')).body);
    expect(await localeOf(ann)).toBe('zh');
    expect((await ann.client.patch('/api/auth/me', { locale: 'en' })).body.user.locale).toBe('en');
    expect(await localeOf(ann)).toBe('en');
  });

  it.each([
    [{ locale: 'fr' }, '/locale', 'must be one of "en", "zh"', '必须是以下之一："en", "zh"'],
    [{ locale: 'zh-CN' }, '/locale', 'must be one of "en", "zh"', '必须是以下之一："en", "zh"'],
    [{ locale: 7 }, '/locale', 'must be a string', '必须是字符串'],
    [{}, '/locale', 'is required', '必填'],
    [{ locale: 'zh', theme: 'dark' }, '/theme', 'is not a known property', '不是已知属性'],
  ])('%j → 400 naming %s, in English and in Chinese', async (body, path, en, zh) => {
    const before = await localeOf(ann);
    const inEnglish = await ann.client.patch('/api/auth/me', body);
    expect(inEnglish.status).toBe(400);
    expect(inEnglish.body.error.details).toEqual([{ path, message: en }]);
    const inChinese = await ann.client.patch('/api/auth/me', body, { 'accept-language': 'zh-CN' });
    expect(inChinese.status).toBe(400);
    expect(inChinese.body.error.details).toEqual([{ path, message: zh }]);
    expect(await localeOf(ann)).toBe(before);
  });

  it('nobody signed in: 401', async () => {
    const res = await t.anonymous.patch('/api/auth/me', { locale: 'zh' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('a session cookie without its CSRF token is refused (a forged cross-site write)', async () => {
    const before = await localeOf(ann);
    const res = await t.anonymous.patch('/api/auth/me', { locale: 'zh' }, { cookie: (await t.userClient(ann.email, ann.password)).cookie });
    expect(res.status).toBe(403);
    expect(await localeOf(ann)).toBe(before);
  });

  it('changes only the caller: another user cannot be named, nor reached through the users API or "view as"', async () => {
    expect(await localeOf(bob)).toBeUndefined();
    const naming = await ann.client.patch('/api/auth/me', { id: bob.id, locale: 'zh' });
    expect(naming.status).toBe(400);
    expect(naming.body.error.details).toEqual([{ path: '/id', message: 'is not a known property' }]);
    expect((await ann.client.patch(`/api/users/${bob.id}`, { locale: 'zh' })).status).toBe(403);
    expect((await ann.client.patch(`/api/auth/me/${bob.id}`, { locale: 'zh' })).status).toBe(404);
    // An administrator's "view as" is read-only: it does not turn a PATCH of /me into the viewed user's.
    const viewing = await t.patch('/api/auth/me', { locale: 'zh' }, { 'x-crm-view-as': `user:${bob.id}` });
    expect(viewing.status).toBe(403);
    // Ann's own change leaves Bob as he was.
    expect((await ann.client.patch('/api/auth/me', { locale: 'zh' })).status).toBe(200);
    expect(await localeOf(bob)).toBeUndefined();
    expect((await bob.client.get('/api/auth/me')).body.user.locale).toBeUndefined();
  });

  it('a user who never picked a language keeps the one they first sign in with; a saved one is not overwritten', async () => {
    const signIn = (user: TestUser, acceptLanguage: string) => t.anonymous.post('/api/auth/login', { email: user.email, password: user.password }, { 'accept-language': acceptLanguage });
    const carol = await t.createUser({ name: 'Carol' });
    // Signing in without naming a language we have (any language, or one we do not speak) saves nothing.
    for (const header of ['*', 'fr-FR, de;q=0.8', 'zh;q=0, fr']) {
      expect((await signIn(carol, header)).status).toBe(200);
      expect(await localeOf(carol)).toBeUndefined();
    }
    // The studio sends its language as Accept-Language: the first sign-in in Chinese saves Chinese,
    // which then renders the user's notifications and e-mails.
    const first = await signIn(carol, 'fr;q=0.9, zh-CN;q=0.95, en;q=0.5');
    expect(first.status).toBe(200);
    expect(first.body.user.locale).toBe('zh');
    expect(await localeOf(carol)).toBe('zh');
    // A later sign-in in English leaves the saved choice alone (the studio's switch changes it).
    expect((await signIn(carol, 'en-GB')).body.user.locale).toBe('zh');
    expect(await localeOf(carol)).toBe('zh');
    // A failed sign-in saves nothing.
    const dave = await t.createUser({ name: 'Dave' });
    expect((await t.anonymous.post('/api/auth/login', { email: dave.email, password: 'not-the-password-1' }, { 'accept-language': 'zh-CN' })).status).toBe(401);
    expect(await localeOf(dave)).toBeUndefined();
  });

  it('is documented: the body, its one property and its values', async () => {
    const operation = (await t.get('/api/openapi.json')).body.paths['/api/auth/me'].patch;
    expect(operation.operationId).toBe('updateMe');
    const schema = operation.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({ required: ['locale'], additionalProperties: false, properties: { locale: { enum: ['en', 'zh'] } } });
  });
});
