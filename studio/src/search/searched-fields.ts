// What Ctrl-K searches in an entity. Metadata declares no search fields of its own; the entity's list
// already has them: the text columns of its default list view (as the list page resolves it), each a
// search box in the list's filter bar (lists/list-filters.ts). Ctrl-K looks in those and the title
// field, so a record found by its email or its number in the list is found from anywhere.

import type { EntityDef, ViewDef } from '../api/meta.ts';
import type { SearchTarget } from '../api/search.ts';
import { filterControlFor } from '../lists/list-filters.ts';
import { resolveView } from '../lists/resolve-view.ts';

const computed = new Set(['formula', 'rollup']);

export function searchTargets(entities: ReadonlyMap<string, EntityDef>, views: ReadonlyMap<string, ViewDef>): SearchTarget[] {
  return [...entities.values()].flatMap((entity) => {
    const titleField = entity.titleField;
    if (!titleField || !entity.fields[titleField]) return [];
    const columns = resolveView(entities, views, { entity: entity.name })?.columns ?? [];
    const fields = columns.flatMap(({ field: name, via }) => {
      const field = entity.fields[name];
      return !via && name !== titleField && field !== undefined && !computed.has(field.type) && filterControlFor(field) === 'text' ? [name] : [];
    });
    return [{ entity: entity.name, titleField, fields }];
  });
}
