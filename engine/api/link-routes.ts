// Many-to-many links (multiLookup fields) over HTTP, both sides:
//   GET    /api/data/{entity}/{id}/links/{field}              the linked records (read through their own entity's access)
//   POST   /api/data/{entity}/{id}/links/{field}              { ids: [...] } links more (an update of the record)
//   DELETE /api/data/{entity}/{id}/links/{field}/{targetId}   unlinks one
//   GET    /api/data/{target}/{id}/linked-by/{entity}/{field}  the records linking this one (read through theirs)
// Each verb is a read or an update through the record service, so every access rule applies.

import type { Request, Response, Router } from 'express';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, etagOf, expectedVersion, parsePositiveInteger } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import type { MultiLookupField } from '../metadata/generated/metadata.ts';
import { maxPageSize } from '../records/read-records.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';

const idPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function multiLookupOrThrow(ctx: RequestContext, entityName: string, field: string): { entity: CompiledEntity; definition: MultiLookupField } {
  const entity = ctx.model.entities.get(entityName);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `No entity "${entityName}"`, zh: `没有实体「${entityName}」` });
  const definition = entity.fields.get(field)?.definition;
  if (definition?.type !== 'multiLookup') {
    throw new CrmError('NOT_FOUND', { en: `${entityName} has no many-to-many field "${field}"`, zh: `${entityName} 没有多对多字段「${field}」` }, [{ path: '/field', message: 'is not a multiLookup field of this entity' }]);
  }
  return { entity, definition };
}

const linkedIds = (record: Record<string, unknown>, field: string): string[] => (Array.isArray(record[field]) ? (record[field] as string[]) : []);

function sendRecord(res: Response, record: Record<string, unknown>): void {
  res.setHeader('ETag', etagOf(record['version'] as number));
  res.json(record);
}

export function addLinkRoutes(router: Router, records: RecordService, deps: ContextDeps): void {
  const page = (req: Request) => {
    const q = checkQueryParameters(req, ['limit', 'cursor', 'sort']);
    return {
      ...(q['limit'] !== undefined ? { limit: parsePositiveInteger(q['limit'], 'limit', maxPageSize)! } : {}),
      ...(q['cursor'] !== undefined ? { cursor: q['cursor'] } : {}),
      ...(q['sort'] !== undefined ? { sort: q['sort'] } : {}),
    };
  };

  router.get('/:entity/:id/links/:field', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const query = page(req);
    const { definition } = multiLookupOrThrow(ctx, req.params['entity']!, req.params['field']!);
    // The record as the caller may read it: a hidden field lists nothing.
    const record = await records.get(ctx, req.params['entity']!, req.params['id']!);
    const ids = linkedIds(record, req.params['field']!);
    if (ids.length === 0) {
      res.json({ items: [] });
      return;
    }
    res.json(await records.list(ctx, definition.to, { ...query, filter: { id: { $in: ids } } }));
  });

  router.get('/:entity/:id/linked-by/:source/:field', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const query = page(req);
    const { definition } = multiLookupOrThrow(ctx, req.params['source']!, req.params['field']!);
    if (definition.to !== req.params['entity']) {
      throw new CrmError('NOT_FOUND', { en: `${req.params['source']}.${req.params['field']} does not link ${req.params['entity']} records`, zh: `${req.params['source']}.${req.params['field']} 不关联 ${req.params['entity']} 记录` }, [{ path: '/field', message: 'is not a multiLookup field of this entity' }]);
    }
    // Only a record the caller may read has its links listed (else 404, as for the record).
    await records.get(ctx, req.params['entity']!, req.params['id']!, ['id']);
    res.json(await records.list(ctx, req.params['source']!, { ...query, filter: { [req.params['field']!]: req.params['id']! } }));
  });

  router.post('/:entity/:id/links/:field', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const field = req.params['field']!;
    multiLookupOrThrow(ctx, req.params['entity']!, field);
    const body = req.body as { ids?: unknown } | undefined;
    const ids = body && typeof body === 'object' && !Array.isArray(body) ? body.ids : undefined;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/ids', message: 'must list 1 to 1000 record ids' }]);
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || !idPattern.test(id)) throw new CrmError('BAD_REQUEST', undefined, [{ path: `/ids/${i}`, message: 'is not a record id' }]);
    });
    for (const key of Object.keys(body as object)) if (key !== 'ids') throw new CrmError('BAD_REQUEST', undefined, [{ path: `/${key}`, message: 'is not a known property (known: ids)' }]);
    const current = await records.get(ctx, req.params['entity']!, req.params['id']!);
    const linked = [...new Set([...linkedIds(current, field), ...(ids as string[])])];
    const version = expectedVersion(req) ?? (current['version'] as number);
    const { record } = await records.update(ctx, req.params['entity']!, req.params['id']!, { [field]: linked }, { expectedVersion: version });
    sendRecord(res, record);
  });

  router.delete('/:entity/:id/links/:field/:targetId', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const field = req.params['field']!;
    multiLookupOrThrow(ctx, req.params['entity']!, field);
    const current = await records.get(ctx, req.params['entity']!, req.params['id']!);
    const linked = linkedIds(current, field);
    if (!linked.includes(req.params['targetId']!)) {
      throw new CrmError('NOT_FOUND', { en: 'These records are not linked', zh: '这两条记录没有关联' }, [{ path: '/targetId', message: 'is not linked to this record' }]);
    }
    const rest = linked.filter((id) => id !== req.params['targetId']);
    const version = expectedVersion(req) ?? (current['version'] as number);
    const { record } = await records.update(ctx, req.params['entity']!, req.params['id']!, { [field]: rest.length > 0 ? rest : null }, { expectedVersion: version });
    sendRecord(res, record);
  });
}
