// First run without a default password: when no user exists, an admin comes from
// CRM_ADMIN_EMAIL + CRM_ADMIN_PASSWORD, or else from a one-time setup URL printed at start
// (`/api/setup/<secret>`: a plain form, or JSON). Once any user exists the URL is dead.

import express, { Router, type Response } from 'express';
import { CrmError } from '../kernel/errors.ts';
import { localeFromAcceptLanguage } from '../kernel/i18n.ts';
import { checkBody } from './body-checks.ts';
import { sameSecret } from './secrets.ts';
import { secureCookies, type SecurityServices } from './security-services.ts';
import { createSession, sessionCookie, sessionLifetimeMs } from './sessions.ts';
import { addUser } from './user-admin.ts';
import { countUsers, publicUser } from './user-store.ts';
import { log } from '../kernel/log.ts';

export interface SetupState {
  /** The one-time secret in the setup URL, while no user exists. */
  token: string | undefined;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, body: string): void {
  res.status(status).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CRM setup</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}</style></head><body>${body}</body></html>`);
}

export function setupRoutes(services: SecurityServices, state: SetupState): Router {
  const router = Router();
  const { store, clock } = services;

  const live = async (secret: string): Promise<boolean> => state.token !== undefined && sameSecret(secret, state.token) && (await countUsers(store)) === 0;
  const gone = () => new CrmError('NOT_FOUND', { en: 'No such setup link (the first administrator may already exist)', zh: '没有该设置链接（首个管理员可能已创建）' });

  router.get('/:token', async (req, res) => {
    if (!(await live(req.params.token))) throw gone();
    page(res, 200, `<h1>Create the first administrator</h1>
<form method="post"><label>E-mail <input name="email" type="email" required autocomplete="username"></label>
<label>Name <input name="name"></label>
<label>Password (at least 10 characters) <input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
<button type="submit">Create administrator</button></form>`);
  });

  router.post('/:token', express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 10 }), async (req, res) => {
    const locale = localeFromAcceptLanguage(req.headers['accept-language']);
    if (!(await live(req.params.token))) throw gone();
    const asForm = typeof req.is('application/x-www-form-urlencoded') === 'string';
    const raw = { ...(req.body as Record<string, unknown>) };
    if (asForm && raw['name'] === '') delete raw['name'];
    const body = checkBody(raw, { email: { type: 'string', maxLength: 320 }, name: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: 1000 } }, { required: ['email', 'password'], locale });
    const user = await addUser({ store, clock, roles: services.runtime.model.set, user: { ...(body as { email: string; password: string; name?: string }), admin: true }, locale, onlyIfNoUsers: true });
    state.token = undefined;
    log.info(`[security] first administrator created through the setup link`);
    const { session, cookieValue } = await createSession(store, user, clock.now());
    res.setHeader('Set-Cookie', sessionCookie(cookieValue, { secure: secureCookies(services, req), maxAgeMs: sessionLifetimeMs }));
    if (asForm) {
      page(res, 201, `<h1>Done</h1><p>${escapeHtml(user.email)} is the administrator and is signed in. <a href="/">Continue</a></p>`);
      return;
    }
    res.status(201).json({ user: publicUser(user), csrfToken: session.csrfToken });
  });

  return router;
}
