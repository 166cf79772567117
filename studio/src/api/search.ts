// Global search: the title field of every entity the caller may read, a case-insensitive
// "contains" (user text escaped, never a pattern), a few hits per entity, asked in parallel.

import { listRecords } from './records.ts';
import type { EntityDef } from './meta.ts';

export interface SearchHit {
  entity: string;
  id: string;
  title: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function searchTitles(entities: EntityDef[], text: string, perEntity = 5): Promise<SearchHit[]> {
  const q = text.trim().slice(0, 60);
  if (q.length === 0) return [];
  const searchable = entities.filter((e) => e.titleField && e.fields[e.titleField]);
  const answers = await Promise.all(
    searchable.map(async (e) => {
      const title = e.titleField!;
      try {
        const page = await listRecords(e.name, { filter: { [title]: { $regex: escapeRegex(q), $options: 'i' } }, limit: perEntity, fields: [title] });
        return page.items.map((r) => ({ entity: e.name, id: r.id, title: String(r[title] ?? r.id) }));
      } catch {
        return [];
      }
    }),
  );
  return answers.flat();
}
