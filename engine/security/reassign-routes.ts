// POST /api/data/{entity}/{id}/reassign `{ "owner": "<user id>" }`: hands a record to another
// active user. Mounted beside the generic data router; the record service checks the grant.

import { Router } from 'express';
import { checkQueryParameters, etagOf, expectedVersion } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { checkBody } from './body-checks.ts';
import { requestContext, type SecurityServices } from './security-services.ts';
import { findUserById } from './user-store.ts';

export function reassignRoutes(services: SecurityServices): Router {
  const router = Router();
  router.post('/:entity/:id/reassign', async (req, res) => {
    const ctx = await requestContext(services, req, res);
    checkQueryParameters(req, []);
    const body = checkBody(req.body, { owner: { type: 'string', maxLength: 64 } }, { required: ['owner'], locale: ctx.locale });
    const owner = await findUserById(services.store, String(body['owner']));
    if (!owner || owner.disabled) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/owner', message: localize({ en: 'must be the id of an active user', zh: '必须是有效用户的 id' }, ctx.locale) }]);
    const version = expectedVersion(req);
    const { record } = await services.records.reassign(ctx, req.params.entity, req.params.id, owner.id, version);
    res.setHeader('ETag', etagOf(record['version'] as number));
    res.json(record);
  });
  return router;
}
