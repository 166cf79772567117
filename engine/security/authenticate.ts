// The authenticator: a bearer API token or a session cookie says who is calling; anything else
// is 401. Every request re-reads the credential and its user, so a revoked token, a disabled user
// or changed roles (which move the user's epoch on) take effect on the very next request.

import type { Request } from 'express';
import type { Principal } from '../access/policy.ts';
import { roleGrantsOf } from '../access/role-grants.ts';
import type { Authenticator } from '../http/http-context.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { StoreReader } from '../store/store-port.ts';
import { adminTokenRole, findToken } from './api-tokens.ts';
import { credentialReader } from './credential-cache.ts';
import { sameSecret } from './secrets.ts';
import { csrfHeaderName, findSession, readCookie, sessionCookieName } from './sessions.ts';
import { findUserById, listTeams, membersOf, teamsBelow, type User } from './user-store.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthenticated(): CrmError {
  return new CrmError('UNAUTHENTICATED');
}

export interface AuthDeps {
  store: StoreReader;
  clock: Clock;
  roles: () => MetadataSet;
}

/** The principal for a user acting with the given roles. */
export function principalForUser(deps: AuthDeps, user: User, options: PrincipalOptions): Principal | Promise<Principal> {
  const roles = options.roles ?? user.roles;
  const admin = options.asAdmin ?? (user.admin || roleGrantsOf(deps.roles()).isAdminRole(roles));
  // Team scope needs the members of the user's teams and those below; an admin or a user in no
  // team has none to look up (most requests of integrations and benchmarks): answered without a
  // promise, as this runs on every request.
  if (admin || user.teams.length === 0) return makePrincipal(user, roles, admin, { members: [], teams: [] }, options);
  return listTeams(deps.store).then(async (teams) => {
    const below = teamsBelow(teams, user.teams);
    return makePrincipal(user, roles, admin, { members: await membersOf(deps.store, below), teams: [...below] }, options);
  });
}

interface PrincipalOptions {
  roles?: readonly string[];
  asAdmin?: boolean;
  via?: Principal['via'];
  kind: Principal['kind'];
}

/** `scope`: the members of the user's teams and those below, and those teams (the team scope). */
function makePrincipal(user: User, roles: readonly string[], admin: boolean, scope: { members: string[]; teams: string[] }, options: PrincipalOptions): Principal {
  return Object.freeze({ kind: options.kind, id: user.id, roles: [...roles], teams: [...user.teams], teamMembers: scope.members, teamScope: scope.teams, admin, ...(options.via ? { via: options.via } : {}) });
}

/**
 * Resolves the caller from the request; throws UNAUTHENTICATED (or FORBIDDEN for a cookie write
 * without its CSRF token) — at once, without a promise, when the reader answers at once (the
 * credential cache, the embedded store); else the answer or the refusal comes as a promise.
 */
export function resolvePrincipal(deps: AuthDeps, req: Request): MaybePromise<Principal> {
  const now = deps.clock.now();
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated();
    return after(findToken(deps.store, match[1]!, now), (token) => {
      if (!token) throw unauthenticated();
      return after(findUserById(deps.store, token.userId), (user) => {
        if (!user || user.disabled || user.epoch !== token.epoch) throw unauthenticated();
        if (token.role === adminTokenRole) {
          if (!user.admin && !roleGrantsOf(deps.roles()).isAdminRole(user.roles)) throw unauthenticated();
          return principalForUser(deps, user, { roles: user.roles, asAdmin: true, via: { kind: 'token', id: token.id }, kind: 'token' });
        }
        if (!user.roles.includes(token.role)) throw unauthenticated();
        return principalForUser(deps, user, { roles: [token.role], via: { kind: 'token', id: token.id }, kind: 'token' });
      });
    });
  }
  const cookie = readCookie(req.headers.cookie, sessionCookieName);
  if (cookie === undefined) throw unauthenticated();
  return after(findSession(deps.store, cookie, now), (session) => {
    if (!session) throw unauthenticated();
    return after(findUserById(deps.store, session.userId), (user) => {
      if (!user || user.disabled || user.epoch !== session.epoch) throw unauthenticated();
      if (!safeMethods.has(req.method)) {
        // A cookie rides along on cross-site requests; only our own pages know the CSRF token.
        const sent = req.headers[csrfHeaderName];
        if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
          throw new CrmError('FORBIDDEN', { en: 'Missing or wrong CSRF token (send the X-CSRF-Token header)', zh: '缺少或错误的 CSRF 令牌（请发送 X-CSRF-Token 头）' });
        }
      }
      return principalForUser(deps, user, { via: { kind: 'session', id: session.id }, kind: 'user' });
    });
  });
}

/** The authenticator of the server: credential rows read through the short-lived cache of credential-cache.ts. */
export function createAuthenticator(deps: AuthDeps): Authenticator {
  const reader = credentialReader(deps.store);
  const cached: AuthDeps = { ...deps, store: reader };
  return (req) => reader.authenticating(() => resolvePrincipal(cached, req));
}
