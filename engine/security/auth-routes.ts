// /api/auth: sign in and out, who am I (and my language), change my password, and my API tokens.

import { type Request, type Response, Router } from 'express';
import { CrmError } from '../kernel/errors.ts';
import { declaredLocale, localize, localeFromAcceptLanguage, type Locale } from '../kernel/i18n.ts';
import { adminTokenRole, createToken, findTokenById, publicToken, revokeToken, tokensOf } from './api-tokens.ts';
import { checkBody, localeCheck } from './body-checks.ts';
import { maskEmail } from './mask.ts';
import type { SignInAttempt, SignInLimiter } from './sign-in-limiter.ts';
import { checkNewPassword, decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import { clientAddress, requestContext, secureCookies, type SecurityServices } from './security-services.ts';
import { createSession, deleteExpiredSessions, deleteSession, findSession, readCookie, sessionCookie, sessionCookieName, sessionLifetimeMs } from './sessions.ts';
import { findUserByEmail, findUserById, normalizeEmail, publicUser, updateUser, type User } from './user-store.ts';
import { checkQueryParameters, parsePositiveInteger } from '../http/http-helpers.ts';
import { listViewAs } from './view-as.ts';
import { roleGrantsOf } from '../access/role-grants.ts';
import { log } from '../kernel/log.ts';
import type { RequestContext } from '../records/request-context.ts';

/** Counts the attempt before anything is verified, or refuses it with 429 and Retry-After. */
function beginAttemptOrThrow(limiter: SignInLimiter, res: Response, account: string, address: string): SignInAttempt {
  const begun = limiter.beginAttempt(account, address);
  if (!('attempt' in begun)) {
    res.setHeader('Retry-After', String(Math.ceil(begun.retryAfterMs / 1000)));
    throw new CrmError('RATE_LIMITED', { en: 'Too many failed sign-in attempts; try again later', zh: '登录失败次数过多，请稍后再试' });
  }
  return begun.attempt;
}

export function authRoutes(services: SecurityServices): Router {
  const router = Router();
  const { store, clock, limiter } = services;
  // Expired sessions are refused anyway; now and then, on a sign-in, they are also removed.
  let lastSweep = 0;
  const sweepExpiredSessions = async (now: Date) => {
    if (now.getTime() - lastSweep < 60 * 60 * 1000) return;
    lastSweep = now.getTime();
    await deleteExpiredSessions(store, now);
  };

  router.post('/login', async (req, res) => {
    const locale = localeFromAcceptLanguage(req.headers['accept-language']);
    checkQueryParameters(req, []);
    const body = checkBody(req.body, { email: { type: 'string', maxLength: 320 }, password: { type: 'string', maxLength: 1000 } }, { required: ['email', 'password'], locale });
    const email = normalizeEmail(String(body['email']));
    const address = clientAddress(req);
    const attempt = beginAttemptOrThrow(limiter, res, email, address);
    const found = await findUserByEmail(store, email);
    // Unknown e-mail or not: the same work and the same answer, so nothing tells which.
    const ok = await verifyPassword(found?.passwordHash ?? (await decoyPasswordHash()), String(body['password']));
    if (!found || !ok || found.disabled) {
      log.warn(`[security] failed sign-in for ${maskEmail(email)} from ${address}`);
      throw new CrmError('UNAUTHENTICATED', { en: 'Wrong e-mail or password', zh: '邮箱或密码错误' });
    }
    limiter.succeeded(attempt);
    // A user who never picked a language gets notifications and e-mails in the one they sign in
    // with (the studio sends its own as Accept-Language), not in English by default.
    const signedInIn = declaredLocale(req.headers['accept-language']);
    const user = !found.locale && signedInIn ? ((await updateUser(store, found.id, { locale: signedInIn }, { now: clock.now(), endSessions: false })) ?? found) : found;
    await sweepExpiredSessions(clock.now());
    const { session, cookieValue } = await createSession(store, user, clock.now());
    res.setHeader('Set-Cookie', sessionCookie(cookieValue, { secure: secureCookies(services, req), maxAgeMs: sessionLifetimeMs }));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user: publicUser(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  router.post('/logout', async (req, res) => {
    checkQueryParameters(req, []);
    const cookie = readCookie(req.headers.cookie, sessionCookieName);
    const session = cookie ? await findSession(store, cookie, clock.now()) : undefined;
    if (session) {
      await requestContext(services, req, res); // a cookie write: checks the CSRF token
      await deleteSession(store, session.id);
    }
    res.setHeader('Set-Cookie', sessionCookie('', { secure: secureCookies(services, req), maxAgeMs: 0 }));
    res.status(204).end();
  });

  // Who used "view as" (X-CRM-View-As), as whom, on which address — newest first (admins only).
  router.get('/view-as', async (req, res) => {
    const q = checkQueryParameters(req, ['limit']);
    const ctx = await requestContext(services, req, res);
    if (ctx.principal.viewedBy !== undefined) throw new CrmError('FORBIDDEN');
    ctx.policy.assertAdmin(ctx.principal);
    res.json({ items: await listViewAs(store, parsePositiveInteger(q['limit'], 'limit', 1000) ?? 200) });
  });

  /** Who is calling (GET and PATCH /me answer alike): the user, the principal's rights, the session's CSRF token. */
  const answerMe = async (req: Request, res: Response, ctx: RequestContext, user: User) => {
    const via = ctx.principal.via;
    let csrfToken: string | undefined;
    if (via?.kind === 'session') {
      const cookie = readCookie(req.headers.cookie, sessionCookieName);
      csrfToken = cookie ? (await findSession(store, cookie, clock.now()))?.csrfToken : undefined;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user: publicUser(user), roles: ctx.principal.roles, teams: ctx.principal.teams, admin: ctx.principal.admin, via: via?.kind, ...(csrfToken ? { csrfToken } : {}) });
  };

  router.get('/me', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    const user = await findUserById(store, ctx.principal.id);
    if (!user) throw new CrmError('UNAUTHENTICATED');
    await answerMe(req, res, ctx, user);
  });

  // The caller's own preferences: their language (of notifications and e-mails, and of the studio
  // once signed in — it saves the switch here). No id in the path: only ever the caller's.
  router.patch('/me', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    const body = checkBody(req.body, { locale: localeCheck }, { required: ['locale'], locale: ctx.locale });
    const user = await updateUser(store, ctx.principal.id, { locale: body['locale'] as Locale }, { now: clock.now(), endSessions: false });
    if (!user) throw new CrmError('UNAUTHENTICATED');
    await answerMe(req, res, ctx, user);
  });

  router.post('/password', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    const body = checkBody(req.body, { currentPassword: { type: 'string', maxLength: 1000 }, newPassword: { type: 'string', maxLength: 1000 } }, { required: ['currentPassword', 'newPassword'], locale: ctx.locale });
    const user = await findUserById(store, ctx.principal.id);
    if (!user) throw new CrmError('UNAUTHENTICATED');
    const attempt = beginAttemptOrThrow(limiter, res, user.email, clientAddress(req));
    if (!(await verifyPassword(user.passwordHash, String(body['currentPassword'])))) {
      throw new CrmError('BAD_REQUEST', undefined, [{ path: '/currentPassword', message: localize({ en: 'is wrong', zh: '不正确' }, ctx.locale) }]);
    }
    limiter.succeeded(attempt);
    const problem = checkNewPassword(body['newPassword'], user.email, ctx.locale);
    if (problem) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/newPassword', message: problem }]);
    await updateUser(store, user.id, { passwordHash: await hashPassword(String(body['newPassword'])) }, { now: clock.now(), endSessions: true });
    res.setHeader('Set-Cookie', sessionCookie('', { secure: secureCookies(services, req), maxAgeMs: 0 }));
    res.status(204).end();
  });

  router.get('/tokens', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    res.json({ items: (await tokensOf(store, ctx.principal.id)).map(publicToken) });
  });

  router.post('/tokens', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    const body = checkBody(req.body, { name: { type: 'string', maxLength: 120 }, role: { type: 'string', maxLength: 64 }, expiresAt: { type: 'string', maxLength: 40 } }, { required: ['name', 'role'], locale: ctx.locale });
    const user = await findUserById(store, ctx.principal.id);
    if (!user) throw new CrmError('UNAUTHENTICATED');
    const role = String(body['role']);
    const isAdmin = user.admin || roleGrantsOf(services.runtime.model.set).isAdminRole(user.roles);
    // A token never carries more than the credential that creates it.
    const allowed = role === adminTokenRole ? isAdmin && ctx.principal.admin : user.roles.includes(role) && (ctx.principal.admin || ctx.principal.roles.includes(role));
    if (!allowed) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/role', message: localize({ en: 'is not a role you hold', zh: '不是你拥有的角色' }, ctx.locale) }]);
    const expiresAt = body['expiresAt'] === undefined ? undefined : String(body['expiresAt']);
    if (expiresAt !== undefined && (Number.isNaN(Date.parse(expiresAt)) || Date.parse(expiresAt) <= clock.now().getTime())) {
      throw new CrmError('BAD_REQUEST', undefined, [{ path: '/expiresAt', message: localize({ en: 'must be a date-time in the future', zh: '必须是将来的时间' }, ctx.locale) }]);
    }
    const { token, secret } = await createToken(store, { user, name: String(body['name']), role, now: clock.now(), ...(expiresAt ? { expiresAt } : {}) });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ...publicToken(token), token: secret });
  });

  router.delete('/tokens/:id', async (req, res) => {
    checkQueryParameters(req, []);
    const ctx = await requestContext(services, req, res);
    const token = await findTokenById(store, req.params.id);
    if (!token || (token.userId !== ctx.principal.id && !ctx.principal.admin)) throw new CrmError('NOT_FOUND', { en: 'No such token', zh: '没有该令牌' });
    await revokeToken(store, token.id);
    res.status(204).end();
  });

  return router;
}
