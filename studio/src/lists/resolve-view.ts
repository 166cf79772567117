// The view a list or board page shows: a view's metadata, or for an entity its default view (or
// columns made from its first fields). Columns may be lookup paths (`account.name`).

import { useMemo } from 'react';
import { useEntities, useMetaKind, type EntityDef, type FieldDef, type ViewDef } from '../api/meta.ts';
import type { Label } from '../i18n/i18n.ts';

export interface ColumnSpec {
  /** The column's path as the view names it. */
  path: string;
  /** The entity's own field the value comes from (the lookup for a path). */
  field: string;
  /** For `lookup.field` paths: the field of the looked-up record shown. */
  via?: string;
  label?: Label;
  width?: number;
}

export interface ResolvedView {
  entity: EntityDef;
  view: ViewDef;
  columns: ColumnSpec[];
  /**
   * The view is saved metadata (not an entity's stand-in): the API runs it by name — its filter's
   * variables ($me, $today…), `ownedBy` and segment are the server's to apply, as for every client.
   */
  stored: boolean;
}

const hiddenInLists = new Set(['textarea', 'address']);

export function columnsOf(entity: EntityDef, view: ViewDef | undefined): ColumnSpec[] {
  const fields = entity.fields;
  if (view?.columns && Object.keys(view.columns).length > 0) {
    return Object.entries(view.columns)
      .sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0))
      .flatMap(([path, c]) => {
        const [field, via] = path.split('.', 2) as [string, string | undefined];
        if (!fields[field]) return []; // a column the caller may not read is not shown
        return [{ path, field, ...(via ? { via } : {}), ...(c.label ? { label: c.label } : {}), ...(c.width ? { width: c.width } : {}) }];
      });
  }
  const names = Object.entries(fields).filter(([, f]) => !hiddenInLists.has(f.type)).map(([n]) => n);
  const title = entity.titleField && fields[entity.titleField] ? [entity.titleField] : [];
  return [...title, ...names.filter((n) => n !== entity.titleField)].slice(0, 7).map((n) => ({ path: n, field: n }));
}

/** The view named, or the entity's default list view; undefined when the entity is not readable. */
export function resolveView(entities: ReadonlyMap<string, EntityDef>, views: ReadonlyMap<string, ViewDef>, args: { view?: string; entity?: string }): ResolvedView | undefined {
  let view = args.view ? views.get(args.view) : undefined;
  const entityName = view?.entity ?? args.entity;
  const entity = entityName ? entities.get(entityName) : undefined;
  if (!entity) return undefined;
  if (!view) {
    const own = [...views.values()].filter((v) => v.entity === entity.name && (v.type ?? 'list') === 'list');
    view = own.find((v) => v.default) ?? own[0] ?? { kind: 'view', name: `${entity.name}.all`, entity: entity.name, type: 'list' };
  }
  return { entity, view, columns: columnsOf(entity, view), stored: views.get(view.name) === view };
}

export function useResolvedView(args: { view?: string; entity?: string }): { data?: ResolvedView; loading: boolean; missing: boolean } {
  const entities = useEntities();
  const views = useMetaKind('views');
  // The same object while the metadata is the same: the list below is memoized on it, and renders
  // of the page that change nothing it shows (a navigation away, the router's state) stop here.
  const data = useMemo(
    () => (entities.data && views.data ? resolveView(entities.data, views.data, { view: args.view, entity: args.entity }) : undefined),
    [entities.data, views.data, args.view, args.entity],
  );
  if (entities.isPending || views.isPending) return { loading: true, missing: false };
  return data ? { data, loading: false, missing: false } : { loading: false, missing: true };
}

export function fieldOf(entity: EntityDef, name: string): FieldDef | undefined {
  return entity.fields[name];
}
