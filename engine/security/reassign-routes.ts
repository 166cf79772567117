// POST /api/data/{entity}/{id}/reassign `{ "owner": "<user id>", "teams": ["<team>", …] }`: hands
// a record to another active user, or sets the teams it belongs to (entities with `recordTeams`;
// an empty list clears them), or both. Mounted beside the generic data router; the record service
// checks the grant.

import { Router } from 'express';
import { checkQueryParameters, etagOf, expectedVersion } from '../http/http-helpers.ts';
import { CrmError, type IssueDetail, pointer } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { checkBody } from './body-checks.ts';
import { requestContext, type SecurityServices } from './security-services.ts';
import { findUserById, listTeams } from './user-store.ts';

/** At most this many teams on one record. */
const maxRecordTeams = 50;

export function reassignRoutes(services: SecurityServices): Router {
  const router = Router();
  router.post('/:entity/:id/reassign', async (req, res) => {
    const ctx = await requestContext(services, req, res);
    checkQueryParameters(req, []);
    const body = checkBody(req.body, { owner: { type: 'string', maxLength: 64 }, teams: { type: 'strings', maxItems: maxRecordTeams } }, { locale: ctx.locale });
    const msg = (en: string, zh: string) => localize({ en, zh }, ctx.locale);
    if (body['owner'] === undefined && body['teams'] === undefined) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/owner', message: msg('is required (or teams)', '必填（或提供 teams）') }]);
    const issues: IssueDetail[] = [];
    let owner: string | undefined;
    if (body['owner'] !== undefined) {
      const user = await findUserById(services.store, String(body['owner']));
      if (!user || user.disabled) issues.push({ path: '/owner', message: msg('must be the id of an active user', '必须是有效用户的 id') });
      else owner = user.id;
    }
    const teams = body['teams'] as string[] | undefined;
    if (teams !== undefined) {
      const entity = getEntityOrThrow(ctx, String(req.params.entity));
      // Who may not reassign learns nothing about the entity's teams.
      ctx.policy.assertEntityAction(ctx.principal, entity, 'reassign');
      if (entity.definition.recordTeams !== true) {
        issues.push({ path: '/teams', message: msg(`${entity.name} records do not belong to teams (the entity has no recordTeams)`, `${entity.name} 记录不属于团队（实体未启用 recordTeams）`) });
      } else {
        const known = new Set((await listTeams(services.store)).map((team) => team.name));
        teams.forEach((team, index) => {
          if (!known.has(team)) issues.push({ path: pointer('teams', index), message: msg(`is not a team ("${team}")`, `不是团队（「${team}」）`) });
          else if (teams.indexOf(team) !== index) issues.push({ path: pointer('teams', index), message: msg('is listed twice', '重复列出') });
        });
      }
    }
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    const version = expectedVersion(req);
    const { record } = await services.records.reassign(ctx, req.params.entity, req.params.id, { ...(owner !== undefined ? { owner } : {}), ...(teams !== undefined ? { teams } : {}) }, version);
    res.setHeader('ETag', etagOf(record['version'] as number));
    res.json(record);
  });
  return router;
}
