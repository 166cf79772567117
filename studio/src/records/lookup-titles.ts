// Titles of looked-up records, fetched in one list call per target entity (`id $in [...]`) and
// cached; what the caller may not read simply has no title.

import { useQuery } from '@tanstack/react-query';
import { listRecords } from '../api/records.ts';
import { useEntities, useRevision, type EntityDef, type FieldDef } from '../api/meta.ts';

export function targetsOf(field: FieldDef | undefined): string[] {
  if (!field || field.type !== 'lookup') return [];
  return Array.isArray(field.to) ? field.to : field.to ? [field.to] : [];
}

/** id → title for records of `target`; `titleField` defaults to the target's title field. */
export function useLookupTitles(target: string | undefined, ids: string[], titleField?: string) {
  const entities = useEntities();
  const revision = useRevision();
  const def: EntityDef | undefined = target ? entities.data?.get(target) : undefined;
  const field = titleField ?? def?.titleField ?? 'id';
  const unique = [...new Set(ids.filter(Boolean))].sort();
  return useQuery({
    queryKey: ['titles', revision, target, field, unique],
    enabled: Boolean(target && def && unique.length > 0),
    staleTime: 30_000,
    queryFn: async () => {
      const page = await listRecords(target!, { filter: { id: { $in: unique } }, fields: ['id', field], limit: Math.min(1000, unique.length) });
      return new Map(page.items.map((r) => [r.id, String(r[field] ?? r.id)]));
    },
  });
}
