// api/metadata-etag: an item of metadata carries an entity tag as a record carries its version, so
// that two administrators editing one item do not overwrite each other: GET gives `ETag`, PUT and
// DELETE take `If-Match` (a tag that is not the item's current one, or `*` for an item that does
// not exist, is 412). The tag is a digest of the item as stored, so it changes exactly when the item
// does, whatever revision other items moved the model to.

import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { CrmError } from '../kernel/errors.ts';
import { ifMatchTags } from '../http/http-helpers.ts';

/** The entity tag of a stored item (quoted, strong). */
export function metadataEtag(document: unknown): string {
  return `"m-${createHash('sha256').update(JSON.stringify(document)).digest('base64url').slice(0, 22)}"`;
}

/** Throws 412 when the request's If-Match does not name the item as it is now (`current`: undefined when there is none). */
export function checkMetadataIfMatch(req: Request, current: unknown): void {
  const tags = ifMatchTags(req);
  if (tags === undefined) return;
  const etag = current === undefined ? undefined : metadataEtag(current);
  if (tags === '*' ? etag !== undefined : etag !== undefined && tags.includes(etag)) return;
  const details =
    etag === undefined
      ? [{ path: '/headers/if-match', message: 'names an item that does not exist', text: { en: 'names an item that does not exist', zh: '所指的条目不存在' } }]
      : [{ path: '/headers/if-match', message: `names no current version: the item is at ETag ${etag}`, text: { en: `names no current version: the item is at ETag ${etag}`, zh: `未指明当前版本：该条目的 ETag 已是 ${etag}` } }];
  throw new CrmError('STALE_VERSION', { en: 'The item changed since you read it; reload it and try again', zh: '该条目在您读取后已被修改，请刷新后重试' }, details);
}
