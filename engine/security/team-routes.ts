// /api/teams (admins only): teams are data with a hierarchy — a team's "team" scope covers the
// teams below it. A team's name is its id; a parent must exist and no team may sit below itself.

import { Router } from 'express';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { checkBody, identifierPattern } from './body-checks.ts';
import { teamsCollection } from './collections.ts';
import { adminContext, type SecurityServices } from './security-services.ts';
import { listTeams, membersOf, type Team, type TeamDocument } from './user-store.ts';

function notFound(): CrmError {
  return new CrmError('NOT_FOUND', { en: 'No such team', zh: '没有该团队' });
}

/** True when making `parent` the parent of `name` would put `name` below itself. */
function makesCycle(teams: readonly Team[], name: string, parent: string): boolean {
  const parents = new Map(teams.map((t) => [t.name, t.parent]));
  for (let at: string | undefined = parent, steps = 0; at !== undefined && steps <= teams.length; at = parents.get(at), steps++) {
    if (at === name) return true;
  }
  return false;
}

export function teamRoutes(services: SecurityServices): Router {
  const router = Router();
  const { store } = services;
  const spec = { name: { type: 'string', maxLength: 64, pattern: identifierPattern }, label: { type: 'string', maxLength: 200 }, parent: { type: 'string', maxLength: 64 } } as const;

  router.get('/', async (req, res) => {
    await adminContext(services, req, res);
    checkQueryParameters(req, []);
    res.json({ items: await listTeams(store) });
  });

  router.post('/', async (req, res) => {
    const ctx = await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const body = checkBody(req.body, spec, { required: ['name'], locale: ctx.locale });
    const name = String(body['name']);
    const teams = await listTeams(store);
    if (teams.some((t) => t.name === name)) throw new CrmError('UNIQUE_VIOLATION', undefined, [{ path: '/name', message: localize({ en: 'a team with this name exists', zh: '同名团队已存在' }, ctx.locale) }]);
    if (body['parent'] !== undefined && !teams.some((t) => t.name === body['parent'])) {
      throw new CrmError('BAD_REQUEST', undefined, [{ path: '/parent', message: localize({ en: 'there is no such team', zh: '没有该团队' }, ctx.locale) }]);
    }
    const data: TeamDocument = { ...(body['label'] !== undefined ? { label: String(body['label']) } : {}), ...(body['parent'] !== undefined ? { parent: String(body['parent']) } : {}) };
    await store.transaction((tx) => tx.insert(teamsCollection.name, { id: name, version: 1, revision: 0, data: data as Record<string, unknown> }));
    res.setHeader('Location', `${req.baseUrl}/${name}`);
    res.status(201).json({ name, ...data });
  });

  router.get('/:name', async (req, res) => {
    await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const team = (await listTeams(store)).find((t) => t.name === req.params.name);
    if (!team) throw notFound();
    res.json({ ...team, members: await membersOf(store, new Set([team.name])) });
  });

  router.patch('/:name', async (req, res) => {
    const ctx = await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const { name: _name, ...changeable } = spec;
    const body = checkBody(req.body, changeable, { locale: ctx.locale });
    const teams = await listTeams(store);
    const team = teams.find((t) => t.name === req.params.name);
    if (!team) throw notFound();
    const parent = body['parent'] as string | undefined;
    if (parent !== undefined && (!teams.some((t) => t.name === parent) || makesCycle(teams, team.name, parent))) {
      throw new CrmError('BAD_REQUEST', undefined, [{ path: '/parent', message: localize({ en: 'must be an existing team that is not this team or below it', zh: '必须是已存在且不在本团队之下的团队' }, ctx.locale) }]);
    }
    const { name, ...rest } = team;
    const data: TeamDocument = { ...rest, ...(body as TeamDocument) };
    await store.transaction(async (tx) => {
      const row = await tx.get(teamsCollection.name, name);
      if (!row || !(await tx.replace(teamsCollection.name, { ...row, version: row.version + 1, data: data as Record<string, unknown> }, row.version))) throw new CrmError('CONFLICT');
    });
    res.json({ name, ...data });
  });

  router.delete('/:name', async (req, res) => {
    await adminContext(services, req, res);
    checkQueryParameters(req, []);
    const teams = await listTeams(store);
    const team = teams.find((t) => t.name === req.params.name);
    if (!team) throw notFound();
    if (teams.some((t) => t.parent === team.name) || (await membersOf(store, new Set([team.name]))).length > 0) {
      throw new CrmError('REFERENCE_IN_USE', { en: 'The team still has members or teams below it', zh: '该团队仍有成员或下级团队' });
    }
    await store.transaction((tx) => tx.delete(teamsCollection.name, team.name));
    res.status(204).end();
  });

  return router;
}
