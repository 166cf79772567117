// `file` fields on a write: each file id newly written must be an upload the caller made for this
// field of this entity (pending: not yet claimed), and for this very record when it was uploaded for
// an existing one; the write claims it (it is no longer pending and belongs to the record) in the
// write's own transaction. The stored value is each file's descriptor, taken from the `_files`
// document, whatever the input said. Files live in the files module's `_files` collection; records
// only read and claim them here (deleting them is the files module's: files-module.ts). A merge may
// also hand the survivor files of the records it merges (`adoptFrom`): same entity and field.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { type FileDescriptor, fileIdsOf } from '../fields/types/file-type.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import type { StoreTransaction } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

const filesCollection = '_files';

export async function checkFileFields(args: { entity: CompiledEntity; id: string; values: RecordValues; previous?: RecordValues; adoptFrom?: readonly string[]; tx: StoreTransaction; ctx: RequestContext }): Promise<IssueDetail[]> {
  const { entity, id, values, tx, ctx } = args;
  const issues: IssueDetail[] = [];
  for (const field of entity.fields.values()) {
    const def = field.definition;
    if (def.type !== 'file' || values[field.name] === undefined) continue;
    const ids = fileIdsOf(values[field.name]);
    const before = new Map((Array.isArray(args.previous?.[field.name]) ? (args.previous[field.name] as unknown[]) : [args.previous?.[field.name]]).flatMap((d) => (d && typeof d === 'object' ? [[(d as FileDescriptor).id, d as FileDescriptor]] : [])));
    const descriptors: FileDescriptor[] = [];
    const seen = new Set<string>();
    for (const [index, fileId] of ids.entries()) {
      const at = def.multiple ? pointer(field.name, index) : pointer(field.name);
      if (seen.has(fileId)) {
        issues.push(localizedDetail({ path: at, code: 'FILE_DUPLICATE', text: { en: 'names the same file twice', zh: '重复引用同一文件' } }, ctx.locale));
        continue;
      }
      seen.add(fileId);
      const kept = before.get(fileId);
      if (kept) {
        descriptors.push(kept);
        continue;
      }
      const row = await tx.get(filesCollection, fileId);
      const file = row?.data;
      const adoptable = file !== undefined && file['pending'] !== true && file['entity'] === entity.name && file['field'] === field.name && (args.adoptFrom ?? []).includes(String(file['recordId']));
      const claimable = adoptable || (file !== undefined && file['pending'] === true && file['entity'] === entity.name && file['field'] === field.name && file['uploadedBy'] === ctx.principal.id && (file['recordId'] === '' || file['recordId'] === id) && String(file['expiresAt']) > ctx.clock.now().toISOString());
      if (!row || !claimable) {
        issues.push(localizedDetail({ path: at, code: 'FILE_UNKNOWN', text: { en: `is not a file uploaded for the field ${field.name} (POST /api/files?entity=${entity.name}&field=${field.name})`, zh: `不是为字段 ${field.name} 上传的文件` } }, ctx.locale));
        continue;
      }
      const { pending: _pending, expiresAt: _expiresAt, ...rest } = file;
      if (!(await tx.replace(filesCollection, { ...row, version: row.version + 1, data: { ...rest, recordId: id } }, row.version))) {
        issues.push(localizedDetail({ path: at, code: 'FILE_UNKNOWN', text: { en: 'was claimed by another write meanwhile', zh: '已被另一次写入占用' } }, ctx.locale));
        continue;
      }
      descriptors.push({ id: fileId, name: String(file['name']), contentType: String(file['contentType']), size: Number(file['size']) });
    }
    if (def.multiple) values[field.name] = descriptors;
    else if (descriptors[0]) values[field.name] = descriptors[0];
  }
  return issues;
}
