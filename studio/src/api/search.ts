// Global search: in every entity the caller may read, its title field and the fields its list
// searches (searched-fields.ts), a case-insensitive "contains" (user text escaped, never a pattern),
// a few hits per entity, asked in parallel. A hit found by another field than the title names it.

import { listRecords } from './records.ts';

export interface SearchHit {
  entity: string;
  id: string;
  title: string;
  /** The field the text was found in, when not the title, and its value there. */
  match?: { field: string; value: string };
}

/** Where to look in one entity: its title field and the other text fields searched. */
export interface SearchTarget {
  entity: string;
  titleField: string;
  fields: string[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function searchRecords(targets: SearchTarget[], text: string, perEntity = 5): Promise<SearchHit[]> {
  const q = text.trim().slice(0, 60);
  if (q.length === 0) return [];
  const contains = { $regex: escapeRegex(q), $options: 'i' };
  const lower = q.toLowerCase();
  const answers = await Promise.all(
    targets.map(async ({ entity, titleField, fields }) => {
      const searched = [titleField, ...fields.filter((f) => f !== titleField)];
      const filter = searched.length === 1 ? { [titleField]: contains } : { $or: searched.map((f) => ({ [f]: contains })) };
      try {
        const page = await listRecords(entity, { filter, limit: perEntity, fields: searched });
        return page.items.map((r): SearchHit => {
          const title = String(r[titleField] ?? r.id);
          const found = title.toLowerCase().includes(lower) ? undefined : searched.find((f) => typeof r[f] === 'string' && String(r[f]).toLowerCase().includes(lower));
          return { entity, id: r.id, title, ...(found ? { match: { field: found, value: String(r[found]) } } : {}) };
        });
      } catch {
        return [];
      }
    }),
  );
  return answers.flat();
}
