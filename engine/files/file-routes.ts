// GET /api/files?entity=&recordId= lists a record's files; GET /api/files/{id} sends one. Both
// answer only a caller who may read the record (its entity, its scope): else 404, as for the record.

import { Router } from 'express';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import { filesOf, findFile, readFileBytes, type FileStorage } from './file-store.ts';

const activeContent = /html|svg|xml|javascript|ecmascript/i;
const notFound = () => new CrmError('NOT_FOUND', { en: 'No such file', zh: '没有这个文件' });

/** Throws unless the caller may read the record (the record service's own read check). */
async function assertRecordReadable(records: RecordService, ctx: RequestContext, entity: string, recordId: string): Promise<void> {
  try {
    await records.get(ctx, entity, recordId, ['id']);
  } catch (error) {
    if (error instanceof CrmError && ['NOT_FOUND', 'FORBIDDEN', 'UNKNOWN_ENTITY'].includes(error.code)) throw notFound();
    throw error;
  }
}

export function fileRoutes(deps: FileStorage & { records: RecordService }, contextDeps: () => ContextDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    const q = checkQueryParameters(req, ['entity', 'recordId']);
    const issues = ['entity', 'recordId'].filter((key) => !q[key]).map((key) => ({ path: `/query/${key}`, message: 'is required' }));
    if (issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, issues);
    await assertRecordReadable(deps.records, ctx, q['entity']!, q['recordId']!);
    res.json({ items: await filesOf(deps.store, q['entity']!, q['recordId']!) });
  });
  router.get('/:id', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    checkQueryParameters(req, []);
    const file = await findFile(deps.store, req.params.id);
    if (!file) throw notFound();
    await assertRecordReadable(deps.records, ctx, file.entity, file.recordId);
    const bytes = await readFileBytes(deps, file.id);
    // The type came with the e-mail: one a browser would run (HTML, SVG, script) goes out as bytes only.
    res.setHeader('content-type', activeContent.test(file.contentType) ? 'application/octet-stream' : file.contentType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('etag', `"${file.sha256}"`);
    res.end(bytes);
  });
  return router;
}
