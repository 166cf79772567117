// /api/people: the directory every signed-in user may read — who a `user` field, an owner or a
// history entry names, and the people to choose from when assigning. Only id, name and e-mail:
// roles, teams and rights stay with the admins' /api/users.

import { Router } from 'express';
import { checkQueryParameters, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { requestContext, type SecurityServices } from './security-services.ts';
import { findUsersByIds, searchActiveUsers, type User } from './user-store.ts';

export interface Person {
  id: string;
  name?: string;
  email: string;
  /** Only on answers by id: a disabled user still names past changes, but is not offered. */
  disabled?: true;
}

const maxIds = 100;
const maxSearch = 100;

function personOf(user: User, withDisabled: boolean): Person {
  return { id: user.id, ...(user.name ? { name: user.name } : {}), email: user.email, ...(withDisabled && user.disabled ? { disabled: true as const } : {}) };
}

export function peopleRoutes(services: SecurityServices): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = checkQueryParameters(req, ['q', 'ids', 'limit']);
    const ctx = await requestContext(services, req, res);
    if (query['q'] !== undefined && query['ids'] !== undefined) {
      throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/ids', message: localize({ en: 'cannot be combined with q: search or resolve ids, not both', zh: '不能与 q 同时使用：要么搜索，要么按 id 查找' }, ctx.locale) }]);
    }
    const search = query['q'] ?? '';
    if (search.length > maxSearch) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/q', message: localize({ en: `must be at most ${maxSearch} characters`, zh: `最多 ${maxSearch} 个字符` }, ctx.locale) }]);
    const limit = parsePositiveInteger(query['limit'], 'limit', 50) ?? 20;
    res.setHeader('Cache-Control', 'private, no-store');
    if (query['ids'] !== undefined) {
      const ids = [...new Set(query['ids'].split(',').map((s) => s.trim()).filter(Boolean))];
      if (ids.length > maxIds) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/ids', message: localize({ en: `must list at most ${maxIds} ids`, zh: `最多 ${maxIds} 个 id` }, ctx.locale) }]);
      res.json({ items: (await findUsersByIds(services.store, ids)).map((u) => personOf(u, true)) });
      return;
    }
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    res.json({ items: (await searchActiveUsers(services.store, words, limit)).map((u) => personOf(u, false)) });
  });
  return router;
}
