// POST /api/files: one file for a `file` field, streamed to its store as it arrives — never held
// whole in memory — with its size limit enforced while it streams (413, and nothing of it kept)
// and its SHA-256 computed on the way. The caller must be allowed to write that field: of the given
// record (update), or of a record still to be created (create). The upload is pending until a
// record write puts its id into the field (records/check-file-fields.ts); unclaimed, it expires.

import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { contentTypeAllowed } from '../fields/types/file-type.ts';
import type { FieldOf } from '../fields/field-type.ts';
import { CrmError, pointer } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import { newId } from '../kernel/ids.ts';
import { getRecordInScopeOrThrow } from '../records/record-in-scope.ts';
import type { RequestContext } from '../records/request-context.ts';
import { fileBytesFor } from '../file-storage/file-bytes.ts';
import { filesCollection, type FileStorage, type StoredFile } from '../file-storage/file-store.ts';

export interface UploadDeps extends FileStorage {
  /** The server-wide cap on one file (CRM_MAX_FILE_BYTES); a field's maxSize may only lower it. */
  maxFileBytes: number;
  /** How long an upload no record has claimed is kept. */
  pendingTtlMs: number;
}

export interface UploadInput {
  entity: string | undefined;
  field: string | undefined;
  recordId: string | undefined;
  name: string | undefined;
  contentType: string | undefined;
  /** Content-Length, when the client sent one. */
  declaredBytes: number | undefined;
  body: Readable;
}

const recordIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`);

/** The entity and `file` field the upload is for, and the caller's right to write it there. */
async function checkTarget(deps: UploadDeps, ctx: RequestContext, input: UploadInput): Promise<{ entity: CompiledEntity; field: FieldOf<'file'>; name: string }> {
  const missing = (['entity', 'field'] as const).filter((key) => !input[key]).map((key) => ({ path: `/query/${key}`, message: localize({ en: 'is required', zh: '必填' }, ctx.locale) }));
  if (missing.length > 0) throw new CrmError('INVALID_QUERY', undefined, missing);
  const entity = ctx.model.entities.get(input.entity!);
  if (!entity) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/entity', message: localize({ en: `there is no entity "${input.entity}"`, zh: `不存在实体「${input.entity}」` }, ctx.locale) }]);
  ctx.policy.assertEntityAction(ctx.principal, entity, input.recordId === undefined ? 'create' : 'update');
  const def = entity.fields.get(input.field!)?.definition;
  // A field the caller may not read is as unknown as one that does not exist.
  if (def?.type !== 'file' || !ctx.policy.readableFields(ctx.principal, entity).has(input.field!)) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/field', message: localize({ en: `is not a file field of ${entity.name}`, zh: `不是 ${entity.name} 的文件字段` }, ctx.locale) }]);
  }
  if (!ctx.policy.editableFields(ctx.principal, entity).has(input.field!)) {
    throw new CrmError('FORBIDDEN', { en: `You may not change the field ${input.field}`, zh: `你不能修改字段 ${input.field}` }, [{ path: pointer(input.field!), message: localize({ en: 'may not be changed by you', zh: '你无权修改' }, ctx.locale) }]);
  }
  if (input.recordId !== undefined) {
    if (!recordIdPattern.test(input.recordId)) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/recordId', message: localize({ en: 'must be a record id', zh: '必须是记录 ID' }, ctx.locale) }]);
    await getRecordInScopeOrThrow({ reader: deps.store, ctx, entity, id: input.recordId, action: 'update' });
  }
  const name = (input.name ?? '').replace(/^.*[/\\]/, '').trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (!name || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new CrmError('BAD_REQUEST', undefined, [{ path: '/headers/x-file-name', message: localize({ en: 'give the file name (1–255 characters, percent-encoded UTF-8)', zh: '请提供文件名（1–255 个字符，UTF-8 百分号编码）' }, ctx.locale) }]);
  }
  return { entity, field: def, name };
}

export function fileTooLarge(ctx: RequestContext, fieldName: string, limit: number): CrmError {
  return new CrmError('PAYLOAD_TOO_LARGE', { en: `The file is larger than the ${megabytes(limit)} the field ${fieldName} takes`, zh: `文件超过字段 ${fieldName} 允许的 ${megabytes(limit)}` }, [
    { path: pointer(fieldName), code: 'FILE_TOO_LARGE', message: localize({ en: `takes files of at most ${megabytes(limit)}`, zh: `文件不能超过 ${megabytes(limit)}` }, ctx.locale) },
  ]);
}

/** Checks, streams and records one upload; the `_files` document of the pending file. */
export async function uploadFile(deps: UploadDeps, ctx: RequestContext, input: UploadInput): Promise<StoredFile> {
  const { entity, field, name } = await checkTarget(deps, ctx, input);
  const fieldName = input.field!;
  const contentType = (input.contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(contentType) || !contentTypeAllowed(field, contentType)) {
    const allowed = field.contentTypes?.join(', ') ?? '';
    throw new CrmError('UNSUPPORTED_MEDIA_TYPE', { en: `The field ${fieldName} does not take ${contentType} files`, zh: `字段 ${fieldName} 不接受 ${contentType} 类型的文件` }, [
      { path: pointer(fieldName), code: 'FILE_TYPE', message: localize({ en: `takes only ${allowed} (not ${contentType})`, zh: `只接受 ${allowed}（不接受 ${contentType}）` }, ctx.locale) },
    ]);
  }
  const limit = Math.min(field.maxSize ?? deps.maxFileBytes, deps.maxFileBytes);
  if (input.declaredBytes !== undefined && input.declaredBytes > limit) throw fileTooLarge(ctx, fieldName, limit);
  const bytes = fileBytesFor(deps);
  if (!bytes) throw new CrmError('CONFLICT', { en: 'This server has no place to keep files (no data folder)', zh: '此服务器没有保存文件的位置（无数据目录）' });

  const id = newId();
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) return done(fileTooLarge(ctx, fieldName, limit));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // The request is piped, not handed to the pipeline: a refusal must not destroy the socket the
  // 413 goes back on. What the client still sends is read and dropped.
  // After a refusal the request may still write into the meter: those errors have been answered already.
  meter.on('error', () => undefined);
  const aborted = () => meter.destroy(new CrmError('BAD_REQUEST', { en: 'The upload was interrupted', zh: '上传被中断' }));
  input.body.once('aborted', aborted);
  input.body.once('error', aborted);
  input.body.pipe(meter);
  try {
    await bytes.write(id, meter);
  } catch (error) {
    input.body.unpipe(meter);
    input.body.resume();
    throw error;
  } finally {
    input.body.off('aborted', aborted);
    input.body.off('error', aborted);
  }
  const now = ctx.clock.now();
  const file: StoredFile = {
    id, name, contentType, size, sha256: hash.digest('hex'), entity: entity.name, recordId: input.recordId ?? '', at: now.toISOString(),
    field: fieldName, pending: true, uploadedBy: ctx.principal.id, expiresAt: new Date(now.getTime() + deps.pendingTtlMs).toISOString(),
  };
  try {
    const { id: _id, ...data } = file;
    await deps.store.transaction((tx) => tx.insert(filesCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> }));
  } catch (error) {
    await bytes.remove(id);
    throw error;
  }
  return file;
}
