// What Ctrl-K searches in an entity. Metadata declares no search fields of its own; the entity's list
// already has them: the text columns of its default list view, each a search box in the list's filter
// bar (lists/list-filters.ts). Ctrl-K looks in those and the title field, so a record found by its
// email or its number in the list is found from anywhere.

import type { EntityDef, ViewDef } from '../api/meta.ts';
import type { SearchTarget } from '../api/search.ts';
import { filterControlFor } from '../lists/list-filters.ts';

const computed = new Set(['formula', 'rollup']);

/** The entity's default list view (its own default, else its first list), if any. */
function defaultListOf(entity: string, views: Iterable<ViewDef>): ViewDef | undefined {
  const lists = [...views].filter((v) => v.entity === entity && (v.type ?? 'list') === 'list');
  return lists.find((v) => v.default) ?? lists[0];
}

export function searchTargets(entities: Iterable<EntityDef>, views: Iterable<ViewDef>): SearchTarget[] {
  const allViews = [...views];
  return [...entities].flatMap((entity) => {
    const titleField = entity.titleField;
    if (!titleField || !entity.fields[titleField]) return [];
    const columns = Object.keys(defaultListOf(entity.name, allViews)?.columns ?? {});
    const fields = columns.filter((name) => {
      const field = entity.fields[name];
      return name !== titleField && field !== undefined && !computed.has(field.type) && filterControlFor(field) === 'text';
    });
    return [{ entity: entity.name, titleField, fields }];
  });
}
