// "View as": an administrator previews what another user — or a role with no user of its own —
// would get from the API, by sending `X-CRM-View-As: user:<id>` or `role:<name>`. The request is
// then answered under that principal by the same policy as every request (scope, hidden fields,
// narrowed metadata): nothing is re-implemented. Read-only (GET and HEAD only), admins only, and
// audited: each use is logged and kept in `_viewAs` (GET /api/auth/view-as lists them).

import type { Request } from 'express';
import type { Principal } from '../access/policy.ts';
import { roleGrantsOf } from '../access/role-grants.ts';
import type { Authenticator } from '../http/http-context.ts';
import { newId } from '../kernel/ids.ts';
import { CrmError } from '../kernel/errors.ts';
import { after } from '../kernel/maybe-promise.ts';
import { log } from '../kernel/log.ts';
import { localeFromAcceptLanguage } from '../kernel/i18n.ts';
import type { Store } from '../store/store-port.ts';
import { viewAsCollection } from './collections.ts';
import { internalField, matchAll } from '../filter/filter-tree.ts';
import { principalForUser, type AuthDeps } from './authenticate.ts';
import { findUserById } from './user-store.ts';

export const viewAsHeader = 'x-crm-view-as';

export interface ViewAsEntry {
  /** The administrator who looked. */
  by: string;
  /** `user:<id>` or `role:<name>`. */
  as: string;
  method: string;
  path: string;
  at: string;
}

const readOnly = new Set(['GET', 'HEAD']);
const headerPath = `/headers/${viewAsHeader}`;

function refuse(req: Request, code: 'FORBIDDEN' | 'BAD_REQUEST', en: string, zh: string): CrmError {
  const message = localeFromAcceptLanguage(req.headers['accept-language']) === 'zh' ? zh : en;
  return new CrmError(code, { en, zh }, [{ path: headerPath, message }]);
}

/** The principal the header names, as the authenticator would make it for that user (or that one role). */
async function targetPrincipal(req: Request, deps: AuthDeps, target: string, admin: Principal): Promise<Principal> {
  const match = /^(user|role):(.+)$/.exec(target.trim());
  if (!match) throw refuse(req, 'BAD_REQUEST', 'must be user:<id> or role:<name>', '必须是 user:<用户ID> 或 role:<角色名>');
  const [, kind, name] = match as unknown as [string, 'user' | 'role', string];
  if (kind === 'user') {
    const user = await findUserById(deps.store, name);
    if (!user || user.disabled) throw refuse(req, 'BAD_REQUEST', `there is no active user ${name}`, `没有有效用户 ${name}`);
    return Object.freeze({ ...(await principalForUser(deps, user, { kind: 'user' })), viewedBy: admin.id });
  }
  if (!deps.roles().get('role', name)) throw refuse(req, 'BAD_REQUEST', `there is no role "${name}"`, `没有角色「${name}」`);
  // A role with no user: no records of its own or its team's, only what its "all" scopes reach.
  return Object.freeze({ kind: 'token', id: `role:${name}`, roles: [name], teams: [], teamMembers: [], admin: roleGrantsOf(deps.roles()).isAdminRole([name]), viewedBy: admin.id });
}

/** Wraps the authenticator: with the header, an admin's read is answered as the named user or role. */
export function withViewAs(authenticate: Authenticator, deps: AuthDeps & { store: Store }): Authenticator {
  return (req: Request) => {
    const header = req.headers[viewAsHeader];
    // Without the header (nearly every request) the authenticator's answer is passed on as is.
    return header === undefined ? authenticate(req) : after(authenticate(req), (principal) => viewAs(req, header, principal));
  };

  async function viewAs(req: Request, header: string | string[], principal: Principal): Promise<Principal> {
    const target = Array.isArray(header) ? header.join(',') : header;
    if (!principal.admin) throw refuse(req, 'FORBIDDEN', 'only administrators may view as another user or role', '只有管理员可以以其他用户或角色的身份查看');
    if (!readOnly.has(req.method)) throw refuse(req, 'FORBIDDEN', 'viewing as another user or role is read-only', '以其他身份查看时只能读取');
    const viewed = await targetPrincipal(req, deps, target, principal);
    const entry: ViewAsEntry = { by: principal.id, as: target.trim(), method: req.method, path: req.originalUrl.slice(0, 500), at: deps.clock.now().toISOString() };
    await deps.store.transaction((tx) => tx.insert(viewAsCollection.name, { id: newId(), version: 1, revision: 0, data: entry as unknown as Record<string, unknown> }));
    log.info(`[security] ${principal.id} views ${entry.path} as ${entry.as}`);
    return viewed;
  }
}

/** The latest uses of "view as", newest first. */
export async function listViewAs(store: Store, limit = 200): Promise<(ViewAsEntry & { id: string })[]> {
  const rows = await store.find(viewAsCollection.name, { filter: matchAll, sort: [{ field: internalField('id'), direction: -1 }], limit });
  return rows.map((row) => ({ id: row.id, ...(row.data as unknown as ViewAsEntry) }));
}
