// GET /api/sync/{entity}/deleted: the records of an entity deleted since an instant, for a client
// that copies records by polling `updatedAt` (which never shows a deletion). Only for a caller who
// reads every record of the entity: a tombstone no longer holds the values a narrower scope tests.

import { Router } from 'express';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters, isoInstantPattern, parsePositiveInteger } from '../http/http-helpers.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError, localizedDetail } from '../kernel/errors.ts';
import type { Locale } from '../kernel/i18n.ts';
import { log } from '../kernel/log.ts';
import type { Store } from '../store/store-port.ts';
import { listTombstones, purgeTombstones, tombstoneKeepDays } from './deleted-records.ts';


const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string, locale: Locale): { at: string; id: string } {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !isoInstantPattern.test(at) || !/^[0-9A-Z]{26}$/.test(id)) {
    throw new CrmError('INVALID_QUERY', undefined, [localizedDetail({ path: '/query/cursor', text: { en: 'must be the nextCursor of a previous page', zh: '必须是上一页返回的 nextCursor' } }, locale)]);
  }
  return { at, id };
}

export function syncRoutes(deps: { store: Store; clock: Clock }, contextDeps: () => ContextDeps): Router {
  const router = Router();
  let lastPurge = 0;

  router.get('/:entity/deleted', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    const query = checkQueryParameters(req, ['since', 'cursor', 'limit']);
    const locale = ctx.locale as Locale;
    const entity = ctx.model.entities.get(String(req.params['entity']));
    if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${String(req.params['entity'])}"`, zh: `没有实体「${String(req.params['entity'])}」` });
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    if (ctx.policy.scopeFilter(ctx.principal, entity, 'read').kind !== 'true') {
      throw new CrmError('FORBIDDEN', { en: `Following the deletions of ${entity.name} needs read access to all of its records`, zh: `跟踪${entity.name}的删除需要可读取其全部记录的权限` });
    }
    const after = query['cursor'] !== undefined ? decodeCursor(query['cursor'], locale) : undefined;
    const since = query['since'];
    if (!after && (since === undefined || !isoInstantPattern.test(since))) {
      throw new CrmError('INVALID_QUERY', undefined, [localizedDetail({ path: '/query/since', text: { en: 'must be an ISO instant in UTC (2026-03-01T09:00:00Z), or give the cursor of a previous page', zh: '必须是 UTC 的 ISO 时间（2026-03-01T09:00:00Z），或给出上一页的 cursor' } }, locale)]);
    }
    const limit = parsePositiveInteger(query['limit'], 'limit', 1000) ?? 100;
    const now = deps.clock.now();
    if (now.getTime() - lastPurge > 3_600_000) {
      lastPurge = now.getTime();
      const purge = async () => {
        while ((await purgeTombstones(deps.store, now)) > 0);
      };
      void purge().catch((error: unknown) => log.error('[sync] tombstone purge failed:', (error as Error).message));
    }
    // Compared as stored (toISOString): `…:00Z` and `…:00.000Z` are one instant but not one string.
    const rows = await listTombstones(deps.store, { entity: entity.name, since: since ? new Date(since).toISOString() : '', ...(after ? { after } : {}), limit });
    const last = rows[rows.length - 1];
    res.json({
      items: rows.map(({ tombstone: t }) => ({ id: t.recordId, deletedAt: t.deletedAt, by: t.by, ...(t.version !== undefined ? { version: t.version } : {}), ...(t.mergedInto ? { mergedInto: t.mergedInto } : {}) })),
      // Deletions older than this are no longer kept: a client whose `since` is before it should copy the entity again.
      keptSince: new Date(now.getTime() - tombstoneKeepDays * 86_400_000).toISOString(),
      ...(last && rows.length === limit ? { nextCursor: encodeCursor(last.tombstone.deletedAt, last.id) } : {}),
    });
  });
  return router;
}
