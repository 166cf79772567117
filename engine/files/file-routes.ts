// GET /api/files?entity=&recordId= lists a record's files; GET /api/files/{id} sends one; POST
// /api/files uploads one for a `file` field (upload-file.ts). Reads answer only a caller who may
// read the record (its entity, its scope) and, for a field's file, that field: else 404, as for the
// record. A pending upload is its uploader's alone.

import { Router } from 'express';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { log } from '../kernel/log.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import { filesOf, findFile, openFileBytes, type StoredFile } from '../file-storage/file-store.ts';
import { uploadFile, type UploadDeps } from './upload-file.ts';

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

/** A field's file needs the field to be readable too (a hidden field hides its files). */
function fieldReadable(ctx: RequestContext, file: StoredFile): boolean {
  if (file.field === undefined) return true;
  const entity = ctx.model.entities.get(file.entity);
  return entity !== undefined && ctx.policy.readableFields(ctx.principal, entity).has(file.field);
}

async function assertFileReadable(records: RecordService, ctx: RequestContext, file: StoredFile): Promise<void> {
  if (file.pending) {
    if (file.uploadedBy !== ctx.principal.id) throw notFound();
    return;
  }
  await assertRecordReadable(records, ctx, file.entity, file.recordId);
  if (!fieldReadable(ctx, file)) throw notFound();
}

const publicFile = ({ id, name, contentType, size, sha256, entity, recordId, at, field, pending, expiresAt }: StoredFile) => ({
  id, name, contentType, size, sha256, entity, ...(recordId ? { recordId } : {}), at, ...(field ? { field } : {}), ...(pending ? { pending, expiresAt } : {}),
});

export function fileRoutes(deps: UploadDeps & { records: RecordService }, contextDeps: () => ContextDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    const q = checkQueryParameters(req, ['entity', 'recordId']);
    const issues = ['entity', 'recordId'].filter((key) => !q[key]).map((key) => ({ path: `/query/${key}`, message: 'is required' }));
    if (issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, issues);
    await assertRecordReadable(deps.records, ctx, q['entity']!, q['recordId']!);
    res.json({ items: (await filesOf(deps.store, q['entity']!, q['recordId']!)).filter((f) => fieldReadable(ctx, f)).map(publicFile) });
  });
  router.post('/', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    const q = checkQueryParameters(req, ['entity', 'field', 'recordId']);
    const rawName = req.get('x-file-name');
    let name: string | undefined;
    try {
      name = rawName === undefined ? undefined : decodeURIComponent(rawName);
    } catch {
      name = undefined;
    }
    const length = req.get('content-length');
    try {
      const file = await uploadFile(deps, ctx, { entity: q['entity'], field: q['field'], recordId: q['recordId'], name, contentType: req.get('content-type'), declaredBytes: length === undefined ? undefined : Number(length), body: req });
      res.status(201).location(`/api/files/${file.id}`).json(publicFile(file));
    } catch (error) {
      // Refused before the body was read: the rest of it is dropped and the connection closed after the answer.
      if (!req.complete) {
        res.setHeader('connection', 'close');
        req.resume();
      }
      throw error;
    }
  });
  router.get('/:id', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    checkQueryParameters(req, []);
    const file = await findFile(deps.store, req.params.id);
    if (!file) throw notFound();
    await assertFileReadable(deps.records, ctx, file);
    const bytes = await openFileBytes(deps, file.id);
    if (!bytes) throw notFound();
    // A type a browser would run (HTML, SVG, script) goes out as bytes only, and never inline.
    res.setHeader('content-type', activeContent.test(file.contentType) ? 'application/octet-stream' : file.contentType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-length', String(file.size));
    res.setHeader('etag', `"${file.sha256}"`);
    // A client that goes away mid-download is no failure of ours; a store that fails mid-file cuts the answer short.
    bytes.once('error', (error) => {
      log.warn(`[files] reading ${file.id} failed: ${error.message}`);
      res.destroy();
    });
    res.once('close', () => bytes.destroy());
    bytes.pipe(res);
  });
  return router;
}
