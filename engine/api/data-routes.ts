// One generic router serves every entity's records: /api/data/{entity}[/{id}[/history]].
// Handlers are thin: parse the HTTP request, call one record-service verb, shape the response.

import { Router, type Request, type Response } from 'express';
import type { RecordService } from '../records/record-service.ts';
import { addLinkRoutes } from './link-routes.ts';
import type { DuplicateFinding } from '../records/compute-values.ts';
import { maxPageSize } from '../records/read-records.ts';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor, contextNow } from '../http/http-context.ts';
import { after } from '../kernel/maybe-promise.ts';
import { CrmError } from '../kernel/errors.ts';
import {
  checkQueryParameters, etagOf, expectedVersion, parseBooleanFlag, parseFieldList, parseJsonParameter, parsePositiveInteger, sendJson,
} from '../http/http-helpers.ts';

/** JSON with every character past ASCII escaped (\\uXXXX): a header value may carry only Latin-1, and a label may be Chinese. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function sendRecord(req: Request, res: Response, status: number, record: Record<string, unknown>, duplicates: DuplicateFinding[] = []): void {
  res.setHeader('ETag', etagOf(record['version'] as number));
  if (duplicates.length > 0) {
    // Possible duplicates are a warning, not an error: the write happened.
    res.setHeader('X-CRM-Duplicates', asciiJson(duplicates.map((d) => ({ rule: d.rule, ...(d.ruleLabel !== undefined ? { ruleLabel: d.ruleLabel } : {}), ids: d.ids }))));
  }
  sendJson(req, res, status, record);
}

export function dataRoutes(records: RecordService, deps: ContextDeps): Router {
  const router = Router();

  // The get by id and the list run without a promise where nothing waits (kernel/maybe-promise.ts):
  // a refusal thrown at once goes to the error handler as a rejection would (express 5).
  router.get('/:entity', (req, res) =>
    after(contextNow(req, res, deps), (ctx) => {
      const q = checkQueryParameters(req, ['filter', 'sort', 'limit', 'cursor', 'fields', 'total', 'view', 'lookupFor', 'record']);
      if (q['record'] !== undefined && q['lookupFor'] === undefined) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/record', message: 'is only taken with lookupFor' }]);
      const listed = records.listNow(ctx, req.params.entity, {
        ...(q['view'] !== undefined ? { view: q['view'] } : {}),
        ...(q['lookupFor'] !== undefined ? { lookupFor: q['lookupFor'], record: parseJsonParameter(q['record'], 'record') } : {}),
        filter: parseJsonParameter(q['filter'], 'filter'),
        ...(q['sort'] !== undefined ? { sort: q['sort'] } : {}),
        ...(q['limit'] !== undefined ? { limit: parsePositiveInteger(q['limit'], 'limit', maxPageSize)! } : {}),
        ...(q['cursor'] !== undefined ? { cursor: q['cursor'] } : {}),
        ...(q['fields'] !== undefined ? { fields: parseFieldList(q['fields'])! } : {}),
        total: parseBooleanFlag(q['total'], 'total'),
      });
      return after(listed, (result) => sendJson(req, res, 200, result));
    }),
  );

  router.post('/:entity', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const q = checkQueryParameters(req, ['form']);
    const { record, duplicates } = await records.create(ctx, req.params.entity, req.body, q['form'] !== undefined ? { form: q['form'] } : {});
    res.setHeader('Location', `${req.baseUrl}/${req.params.entity}/${String(record['id'])}`);
    sendRecord(req, res, 201, record, duplicates);
  });

  router.get('/:entity/:id', (req, res) =>
    after(contextNow(req, res, deps), (ctx) => {
      const q = checkQueryParameters(req, ['fields']);
      return after(records.getNow(ctx, req.params.entity, req.params.id, parseFieldList(q['fields'])), (record) => sendRecord(req, res, 200, record));
    }),
  );

  router.patch('/:entity/:id', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const q = checkQueryParameters(req, ['form']);
    const version = expectedVersion(req);
    const { record, duplicates } = await records.update(ctx, req.params.entity, req.params.id, req.body, { ...(version !== undefined ? { expectedVersion: version } : {}), ...(q['form'] !== undefined ? { form: q['form'] } : {}) });
    sendRecord(req, res, 200, record, duplicates);
  });

  router.delete('/:entity/:id', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    await records.delete(ctx, req.params.entity, req.params.id, expectedVersion(req));
    res.status(204).end();
  });

  router.get('/:entity/:id/history', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const q = checkQueryParameters(req, ['limit', 'cursor']);
    const page = {
      ...(q['limit'] !== undefined ? { limit: parsePositiveInteger(q['limit'], 'limit', maxPageSize)! } : {}),
      ...(q['cursor'] !== undefined ? { cursor: q['cursor'] } : {}),
    };
    res.json(await records.history(ctx, req.params.entity, req.params.id, page));
  });

  router.get('/:entity/:id/timeline', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    const q = checkQueryParameters(req, ['limit']);
    res.json(await records.timeline(ctx, req.params.entity, req.params.id, q['limit'] !== undefined ? parsePositiveInteger(q['limit'], 'limit', maxPageSize)! : undefined));
  });

  addLinkRoutes(router, records, deps);
  return router;
}
