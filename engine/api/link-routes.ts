// Many-to-many links (multiLookup fields) over HTTP, both sides:
//   GET    /api/data/{entity}/{id}/links/{field}              the linked records (read through their own entity's access)
//   POST   /api/data/{entity}/{id}/links/{field}              { ids: [...] } links more (an update of the record)
//   DELETE /api/data/{entity}/{id}/links/{field}/{targetId}   unlinks one
//   GET    /api/data/{target}/{id}/linked-by/{entity}/{field}  the records linking this one (read through theirs)
// Each verb is a read or an update through the record service, so every access rule applies.
// A field with `linkFields` carries attributes on each link: `ids` may hold `{ id, role }` (which
// sets the link's attributes), and both lists answer `links`: listed record id → the attributes of
// its link with this record (a deal's contacts with their role; a contact's deals with its role in each).

import type { Request, Response, Router } from 'express';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, etagOf, expectedVersion, parsePositiveInteger } from '../http/http-helpers.ts';
import { linkAttributeMap, linkAttributes, linkId, linkIds } from '../fields/link-values.ts';
import { CrmError, type IssueDetail, pointer } from '../kernel/errors.ts';
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

/** The `ids` of a link request: record ids, or (a field with link attributes) `{ id, …attributes }`; the issues of the rest. */
function linkRequestItems(items: unknown[], withAttributes: boolean): { items: (string | Record<string, unknown>)[]; issues: IssueDetail[] } {
  const issues: IssueDetail[] = [];
  items.forEach((item, i) => {
    if (typeof item === 'string') {
      if (!idPattern.test(item)) issues.push({ path: `/ids/${i}`, message: 'is not a record id' });
    } else if (withAttributes && item && typeof item === 'object' && !Array.isArray(item)) {
      const id = (item as { id?: unknown }).id;
      if (typeof id !== 'string' || !idPattern.test(id)) issues.push({ path: `/ids/${i}/id`, message: 'is not a record id' });
    } else {
      issues.push({ path: `/ids/${i}`, message: withAttributes ? 'is not a record id or a link ({ id, …attributes })' : 'is not a record id' });
    }
  });
  return { items: items as (string | Record<string, unknown>)[], issues };
}

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
    const value = record[req.params['field']!];
    const ids = linkIds(value);
    if (ids.length === 0) {
      res.json({ items: [], ...(definition.linkFields ? { links: {} } : {}) });
      return;
    }
    const listed = await records.list(ctx, definition.to, { ...query, filter: { id: { $in: ids } } });
    if (!definition.linkFields) {
      res.json(listed);
      return;
    }
    const attributes = linkAttributeMap(value);
    res.json({ ...listed, links: Object.fromEntries(listed.items.map((item) => [item['id'] as string, attributes[item['id'] as string] ?? {}])) });
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
    const linking = await records.list(ctx, req.params['source']!, { ...query, filter: { [req.params['field']!]: req.params['id']! } });
    if (!definition.linkFields) {
      res.json(linking);
      return;
    }
    // Each linking record's attributes of its link to this one (a contact's role in each deal).
    const attributesOf = (item: Record<string, unknown>) => linkAttributes((item[req.params['field']!] as unknown[] | undefined)?.find((element) => linkId(element) === req.params['id']));
    res.json({ ...linking, links: Object.fromEntries(linking.items.map((item) => [item['id'] as string, attributesOf(item)])) });
  });

  router.post('/:entity/:id/links/:field', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const field = req.params['field']!;
    const { definition } = multiLookupOrThrow(ctx, req.params['entity']!, field);
    const body = req.body as { ids?: unknown } | undefined;
    const ids = body && typeof body === 'object' && !Array.isArray(body) ? body.ids : undefined;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000) throw new CrmError('BAD_REQUEST', undefined, [{ path: '/ids', message: 'must list 1 to 1000 record ids' }]);
    const requested = linkRequestItems(ids, definition.linkFields !== undefined);
    if (requested.issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, requested.issues);
    for (const key of Object.keys(body as object)) if (key !== 'ids') throw new CrmError('BAD_REQUEST', undefined, [{ path: `/${key}`, message: 'is not a known property (known: ids)' }]);
    const current = await records.get(ctx, req.params['entity']!, req.params['id']!);
    // Links kept in place; one given again with attributes takes them; new ones are appended.
    const linked: unknown[] = Array.isArray(current[field]) ? [...(current[field] as unknown[])] : [];
    const requestIndex = new Map<number, number>();
    requested.items.forEach((item, i) => {
      const at = linked.findIndex((element) => linkId(element) === linkId(item));
      if (at < 0) linked.push(item);
      else if (typeof item !== 'string') linked[at] = item;
      requestIndex.set(at < 0 ? linked.length - 1 : at, i);
    });
    const version = expectedVersion(req) ?? (current['version'] as number);
    try {
      const { record } = await records.update(ctx, req.params['entity']!, req.params['id']!, { [field]: linked }, { expectedVersion: version });
      sendRecord(res, record);
    } catch (error) {
      throw atRequestPointers(error, field, requestIndex);
    }
  });

  router.delete('/:entity/:id/links/:field/:targetId', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    const field = req.params['field']!;
    multiLookupOrThrow(ctx, req.params['entity']!, field);
    const current = await records.get(ctx, req.params['entity']!, req.params['id']!);
    const linked = Array.isArray(current[field]) ? (current[field] as unknown[]) : [];
    if (!linked.some((element) => linkId(element) === req.params['targetId'])) {
      throw new CrmError('NOT_FOUND', { en: 'These records are not linked', zh: '这两条记录没有关联' }, [{ path: '/targetId', message: 'is not linked to this record' }]);
    }
    const rest = linked.filter((element) => linkId(element) !== req.params['targetId']);
    const version = expectedVersion(req) ?? (current['version'] as number);
    const { record } = await records.update(ctx, req.params['entity']!, req.params['id']!, { [field]: rest.length > 0 ? rest : null }, { expectedVersion: version });
    sendRecord(res, record);
  });
}

/** A refused link request's issues about elements it sent, at their place in the request (`/ids/1/role`). */
function atRequestPointers(error: unknown, field: string, requestIndex: ReadonlyMap<number, number>): unknown {
  if (!(error instanceof CrmError) || error.code !== 'INVALID_RECORD') return error;
  const prefix = pointer(field);
  const details = error.details.map((detail) => {
    const match = new RegExp(`^${prefix}/(\\d+)(/.*)?$`).exec(detail.path);
    const index = match ? requestIndex.get(Number(match[1])) : undefined;
    return index === undefined ? detail : { ...detail, path: `/ids/${index}${match![2] ?? ''}` };
  });
  return new CrmError(error.code, error.text, details);
}
