// What a record pointing at another one holds, cleared or repointed when that other one is deleted,
// erased or merged: a lookup's id, a polymorphic lookup's `{ entity, id }` (found by `parent.id`,
// cleared whole), or one link in a multiLookup's list (removed or replaced, the rest kept; a link
// with attributes keeps them when repointed).

import type { IncomingLookup } from '../compile/compiled-model.ts';
import { linkId } from '../fields/link-values.ts';

/** The referencing record's values without the reference to `id`; `field` is the top-level field changed. */
export function withoutReference(data: Record<string, unknown>, incoming: IncomingLookup, id: string): { data: Record<string, unknown>; field: string } {
  const field = incoming.field.split('.')[0]!;
  const out = { ...data };
  const list = out[field];
  if (incoming.many && Array.isArray(list)) {
    const kept = list.filter((v) => linkId(v) !== id);
    if (kept.length > 0) out[field] = kept;
    else delete out[field];
  } else delete out[field];
  return { data: out, field };
}

/** The value of the referencing field once `from` is replaced by `to` (merges). */
export function repointedValue(data: Record<string, unknown>, incoming: IncomingLookup, from: string, to: string): { field: string; value: unknown } {
  const [field, sub] = incoming.field.split('.') as [string, string | undefined];
  const current = data[field];
  if (incoming.many && Array.isArray(current)) {
    // The survivor may already be linked: the first link to it stays.
    const seen = new Set<string>();
    const value = current.map((v) => (linkId(v) !== from ? v : typeof v === 'string' ? to : { ...(v as object), id: to })).filter((v) => {
      const id = linkId(v) ?? '';
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return { field, value };
  }
  if (sub) return { field, value: { ...(current as Record<string, unknown>), [sub]: to } };
  return { field, value: to };
}
