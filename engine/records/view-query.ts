// A saved view run through the records API (`GET /api/data/{entity}?view=name`): its filter — with
// `$me`, `$myTeams`, `$today`, `$now` bound for the caller at this moment — and its `ownedBy` are
// ANDed with the caller's own filter; its sort, columns and page size apply unless the caller
// gives their own. The view is taken as the caller sees it (narrowed to what they may read).

import { metadataViewer, narrowDocument } from '../access/narrow-metadata.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import type { ViewDefinition } from '../metadata/generated/metadata.ts';
import { resolveFieldOrPath } from './lookup-paths.ts';
import type { ListQuery } from './read-records.ts';
import type { RequestContext } from './request-context.ts';

export function applyView(ctx: RequestContext, entity: CompiledEntity, viewName: string, query: ListQuery): ListQuery {
  const stored = ctx.model.set.get('view', viewName);
  const viewer = metadataViewer({ policy: ctx.policy, principal: ctx.principal, model: ctx.model });
  const narrowed = stored && stored['entity'] === entity.name ? narrowDocument(stored, viewer, ctx.model.set.get('entity', entity.name)) : undefined;
  if (!narrowed) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/view', message: localize({ en: `${entity.name} has no view "${viewName}" you can use`, zh: `${entity.name} 没有您可用的视图「${viewName}」` }, ctx.locale) }]);
  }
  const view = narrowed as unknown as ViewDefinition;
  const parts: unknown[] = [];
  if (view.filter !== undefined) {
    const bound = bindFilterVariables(view.filter, { me: ctx.principal.id, myTeams: ctx.principal.teams, now: ctx.clock.now(), timeZone: timeZoneOf(ctx.clock) }, (path) => resolveFieldOrPath(ctx, entity, path));
    if (bound.issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, bound.issues.map((i) => ({ ...i, path: `/view/filter${i.path}` })));
    parts.push(bound.filter);
  }
  if (view.ownedBy === 'me') parts.push({ owner: ctx.principal.id });
  if (view.ownedBy === 'myTeam') {
    // As the team scope: owned within the caller's teams, or (records that carry teams) belonging to one of them.
    const owned = { owner: { $in: [...new Set([ctx.principal.id, ...(ctx.principal.teamMembers ?? [])])] } };
    const teams = entity.definition.recordTeams === true ? (ctx.principal.teamScope ?? []) : [];
    parts.push(teams.length > 0 ? { $or: [owned, { teams: { $in: [...teams] } }] } : owned);
  }
  if (query.filter !== undefined) parts.push(query.filter);
  const columns = Object.entries(view.columns ?? {})
    .sort(([a, x], [b, y]) => x.order - y.order || a.localeCompare(b))
    .map(([path]) => path);
  return {
    ...query,
    ...(parts.length > 0 ? { filter: parts.length === 1 ? parts[0] : { $and: parts } } : {}),
    ...(query.sort === undefined && view.sort !== undefined ? { sort: view.sort } : {}),
    ...(query.fields === undefined && columns.length > 0 ? { fields: columns } : {}),
    ...(query.limit === undefined && view.pageSize !== undefined ? { limit: view.pageSize } : {}),
  };
}
