// What a record pointing at another one holds, cleared or repointed when that other one is deleted,
// erased or merged: a lookup's id, a polymorphic lookup's `{ entity, id }` (found by `parent.id`,
// cleared whole), or one id in a multiLookup's list (removed or replaced, the rest kept).

import type { IncomingLookup } from '../compile/compiled-model.ts';

/** The referencing record's values without the reference to `id`; `field` is the top-level field changed. */
export function withoutReference(data: Record<string, unknown>, incoming: IncomingLookup, id: string): { data: Record<string, unknown>; field: string } {
  const field = incoming.field.split('.')[0]!;
  const out = { ...data };
  const list = out[field];
  if (incoming.many && Array.isArray(list)) {
    const kept = list.filter((v) => v !== id);
    if (kept.length > 0) out[field] = kept;
    else delete out[field];
  } else delete out[field];
  return { data: out, field };
}

/** The value of the referencing field once `from` is replaced by `to` (merges). */
export function repointedValue(data: Record<string, unknown>, incoming: IncomingLookup, from: string, to: string): { field: string; value: unknown } {
  const [field, sub] = incoming.field.split('.') as [string, string | undefined];
  const current = data[field];
  if (incoming.many && Array.isArray(current)) return { field, value: [...new Set(current.map((v) => (v === from ? to : v)))] };
  if (sub) return { field, value: { ...(current as Record<string, unknown>), [sub]: to } };
  return { field, value: to };
}
