// /api/users (admins only): list, create, read and change users; reset a password. Changing roles,
// admin or disabled, or resetting the password ends the user's sessions and tokens at once.

import { Router } from 'express';
import { checkQueryParameters, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { checkBody, emailPattern, localeCheck } from './body-checks.ts';
import { checkNewPassword, hashPassword } from './passwords.ts';
import { adminContext, type SecurityServices } from './security-services.ts';
import { addUser, checkRolesAndTeams } from './user-admin.ts';
import { findUserById, pageUsers, publicUser, updateUser, type UserDocument } from './user-store.ts';

const userFields = {
  email: { type: 'string', maxLength: 320, pattern: emailPattern },
  name: { type: 'string', maxLength: 200 },
  password: { type: 'string', maxLength: 1000 },
  roles: { type: 'strings', maxItems: 50 },
  teams: { type: 'strings', maxItems: 50 },
  admin: { type: 'boolean' },
  disabled: { type: 'boolean' },
  // The language of the user's notifications and e-mails (engine/mail renders them in it).
  locale: localeCheck,
} as const;

/** Users per page of GET /api/users (and its default): `next` continues after the last. */
export const maxUsersPage = 1000;

function notFound(): CrmError {
  return new CrmError('NOT_FOUND', { en: 'No such user', zh: '没有该用户' });
}

export function userRoutes(services: SecurityServices): Router {
  const router = Router();
  const { store, clock } = services;

  router.get('/', async (req, res) => {
    await adminContext(services, req, res);
    const query = checkQueryParameters(req, ['q', 'limit', 'after']);
    const words = (query['q'] ?? '').split(/\s+/).filter(Boolean);
    const limit = parsePositiveInteger(query['limit'], 'limit', maxUsersPage) ?? maxUsersPage;
    const page = await pageUsers(store, { words, limit, ...(query['after'] !== undefined ? { after: query['after'] } : {}) });
    res.json({ items: page.items.map(publicUser), next: page.next });
  });

  router.post('/', async (req, res) => {
    const ctx = await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const { disabled: _disabled, ...spec } = userFields;
    const body = checkBody(req.body, spec, { required: ['email', 'password'], locale: ctx.locale });
    const user = await addUser({ store, clock, roles: ctx.model.set, user: body as never, locale: ctx.locale });
    res.setHeader('Location', `${req.baseUrl}/${user.id}`);
    res.status(201).json(publicUser(user));
  });

  router.get('/:id', async (req, res) => {
    await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const user = await findUserById(store, req.params.id);
    if (!user) throw notFound();
    res.json(publicUser(user));
  });

  router.patch('/:id', async (req, res) => {
    const ctx = await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const { password: _password, ...spec } = userFields;
    const body = checkBody(req.body, spec, { locale: ctx.locale });
    const current = await findUserById(store, req.params.id);
    if (!current) throw notFound();
    const issues = await checkRolesAndTeams({ store, roles: ctx.model.set, ...(body['roles'] ? { roleNames: body['roles'] as string[] } : {}), ...(body['teams'] ? { teamNames: body['teams'] as string[] } : {}), locale: ctx.locale });
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    if (current.id === ctx.principal.id && (body['admin'] === false || body['disabled'] === true)) {
      throw new CrmError('CONFLICT', { en: 'You cannot remove your own administrator rights or disable yourself', zh: '不能取消自己的管理员权限或停用自己' });
    }
    const change = body as Partial<UserDocument>;
    if (change.roles) change.roles = [...new Set(change.roles)];
    if (change.teams) change.teams = [...new Set(change.teams)];
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const rightsChange = (change.roles !== undefined && !same(change.roles, current.roles)) || (change.admin !== undefined && change.admin !== current.admin) || (change.disabled !== undefined && change.disabled !== current.disabled) || (change.email !== undefined && change.email.toLowerCase() !== current.email);
    const updated = await updateUser(store, current.id, change, { now: clock.now(), endSessions: rightsChange });
    if (!updated) throw notFound();
    res.json(publicUser(updated));
  });

  router.post('/:id/password', async (req, res) => {
    const ctx = await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const body = checkBody(req.body, { password: userFields.password }, { required: ['password'], locale: ctx.locale });
    const user = await findUserById(store, req.params.id);
    if (!user) throw notFound();
    const problem = checkNewPassword(body['password'], user.email, ctx.locale);
    if (problem) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/password', message: problem }]);
    await updateUser(store, user.id, { passwordHash: await hashPassword(String(body['password'])) }, { now: clock.now(), endSessions: true });
    res.status(204).end();
  });

  return router;
}
