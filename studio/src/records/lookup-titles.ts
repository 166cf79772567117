// Titles of looked-up records, fetched in one list call per target entity (`id $in [...]`) and
// cached; what the caller may not read simply has no title.

import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { listRecords } from '../api/records.ts';
import { useEntities, useRevision, type EntityDef, type FieldDef } from '../api/meta.ts';

export function targetsOf(field: FieldDef | undefined): string[] {
  if (!field || field.type !== 'lookup') return [];
  return Array.isArray(field.to) ? field.to : field.to ? [field.to] : [];
}

/**
 * The path that reads a record of `entity` as people know it: its title field — or, when the title
 * field is a lookup (an enrollment titled by its student), through it to the linked record's title,
 * and on through a second lookup when that title is one too (`enrollment.student.name`; the records
 * API follows up to two). `titleField` overrides the entity's own.
 */
export function titlePath(entities: ReadonlyMap<string, EntityDef> | undefined, entity: string, titleField?: string): string {
  const def = entities?.get(entity);
  let path = titleField ?? def?.titleField ?? 'id';
  let field = def?.fields[path];
  for (let hop = 0; hop < 2; hop++) {
    const [target, ...others] = targetsOf(field);
    const next = target !== undefined && others.length === 0 ? entities?.get(target) : undefined;
    if (!next?.titleField) break;
    path = `${path}.${next.titleField}`;
    field = next.fields[next.titleField];
  }
  return path;
}

/** The title path is refused (400) when a lookup on it is one the reader may not follow: then the title field alone. */
export async function withTitleFallback<T>(read: { field: string; path: string }, run: (path: string) => Promise<T>): Promise<T> {
  if (read.path === read.field) return run(read.field);
  try {
    return await run(read.path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return run(read.field);
    throw error;
  }
}

/**
 * id → title for records of `target`; `titleField` defaults to the target's title field (a lookup
 * title read through to the linked record's title). `viewAs`: the titles as that user or role may
 * read them (an admin's "view as").
 */
export function useLookupTitles(target: string | undefined, ids: string[], titleField?: string, viewAs?: string) {
  const entities = useEntities();
  const revision = useRevision();
  const def: EntityDef | undefined = target ? entities.data?.get(target) : undefined;
  const field = titleField ?? def?.titleField ?? 'id';
  const path = target ? titlePath(entities.data, target, field) : field;
  const unique = [...new Set(ids.filter(Boolean))].sort();
  return useQuery({
    queryKey: ['titles', revision, target, path, unique, viewAs],
    enabled: Boolean(target && def && unique.length > 0),
    staleTime: 30_000,
    queryFn: () => fetchTitles(target!, unique, { field, path }, viewAs),
  });
}

/**
 * id → title of the records of `target` among `ids`, a list call per 200 ids (what the caller may not
 * read is absent): read at `read.path` (flat key), else the title field's own value, else the id.
 */
export async function fetchTitles(target: string, ids: readonly string[], read: { field: string; path?: string }, viewAs?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const page = await withTitleFallback({ field: read.field, path: read.path ?? read.field }, async (path) => {
      const listed = await listRecords(target, { filter: { id: { $in: chunk } }, fields: [...new Set(['id', read.field, path])], limit: chunk.length }, viewAs);
      return { items: listed.items, path };
    });
    for (const r of page.items) out.set(r.id, String(r[page.path] ?? r[read.field] ?? r.id));
  }
  return out;
}

/**
 * Titles of every record the given records point at through their single-target lookups, one list
 * call per target entity: target → id → title (what the reader may not read is absent). `viewAs`: as
 * that user or role reads them (an admin's "view as").
 */
export function useReferencedTitleMaps(entity: EntityDef | undefined, records: readonly Record<string, unknown>[], viewAs?: string) {
  const entities = useEntities();
  const revision = useRevision();
  const wanted = new Map<string, Set<string>>();
  for (const [name, field] of Object.entries(entity?.fields ?? {})) {
    const [target, ...others] = targetsOf(field);
    if (!target || others.length > 0 || !entities.data?.has(target)) continue;
    for (const record of records) {
      const value = record[name];
      if (typeof value === 'string' && value !== '') (wanted.get(target) ?? wanted.set(target, new Set()).get(target)!).add(value);
    }
  }
  const asked = [...wanted].map(([target, ids]) => [target, [...ids].sort()] as const).sort(([a], [b]) => a.localeCompare(b));
  return useQuery({
    queryKey: ['titles', revision, 'referenced', asked, viewAs],
    enabled: asked.length > 0,
    staleTime: 30_000,
    queryFn: async () => {
      // A target the reader may not list at all: none of its titles (the others still come).
      const unreadable = (error: unknown) => {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return new Map<string, string>();
        throw error;
      };
      const read = (target: string) => {
        const field = entities.data?.get(target)?.titleField ?? 'id';
        return { field, path: titlePath(entities.data, target, field) };
      };
      const byTarget = await Promise.all(asked.map(async ([target, ids]) => [target, await fetchTitles(target, ids, read(target), viewAs).catch(unreadable)] as const));
      return new Map(byTarget);
    },
  });
}

/**
 * Titles of every record the given records point at through their single-target lookups: one list
 * call per target entity. `titleOf(field, value)` is the title, '…' while it loads, or the id when the
 * caller may not read the record (or it is gone); undefined for a field that is not such a lookup.
 */
export function useReferencedTitles(entity: EntityDef, records: readonly Record<string, unknown>[]) {
  const titles = useReferencedTitleMaps(entity, records);
  return (field: string, value: unknown): string | undefined => {
    const [target, ...others] = targetsOf(entity.fields[field]);
    if (!target || others.length > 0 || typeof value !== 'string' || value === '') return undefined;
    if (!titles.data) return titles.isError ? value : '…';
    return titles.data.get(target)?.get(value) ?? value;
  };
}

/**
 * A record's title as people read it: its title field's value, or — when the title field is a lookup
 * (an enrollment titled by its student) — the linked record's own title, '…' while it loads, the id
 * only when the reader may not read it. Undefined for no record; the record's id when it has no title.
 */
export function useRecordTitle(entity: EntityDef, record: Record<string, unknown> | undefined): string | undefined {
  const field = entity.titleField ? entity.fields[entity.titleField] : undefined;
  const value = record && entity.titleField ? record[entity.titleField] : undefined;
  const [target, ...others] = targetsOf(field);
  const lookup = target !== undefined && others.length === 0;
  const titles = useLookupTitles(lookup ? target : undefined, lookup && typeof value === 'string' && value !== '' ? [value] : []);
  if (!record) return undefined;
  if (lookup && typeof value === 'string' && value !== '') return titles.data?.get(value) ?? (titles.data || titles.isError ? value : '…');
  return String(value || record['id']);
}
