// What each dashboard widget asks of the store, as aggregation specs in the language of
// GET /api/aggregate (engine/filter/parse-group.ts) — one builder shared by the check on save and
// by the dashboard runner, so a dashboard that saves is one that runs.

import type { DashboardWidget, GroupKey, WidgetMeasure } from '../metadata/generated/metadata.ts';

/** The result keys a widget groups by, with the pointer of each inside the widget. */
export interface WidgetKey {
  /** The key's name in results: `key`, `series`, `row`, `column`. */
  name: string;
  definition: GroupKey;
  pointer: string;
}

export function widgetKeys(widget: DashboardWidget, stateField?: string): WidgetKey[] {
  const key = (name: string, definition: GroupKey | undefined, pointer: string): WidgetKey[] => (definition === undefined ? [] : [{ name, definition, pointer }]);
  switch (widget.type) {
    case 'bar':
    case 'line':
      return [...key('key', widget.groupBy, '/groupBy'), ...key('series', widget.series, '/series')];
    case 'pie':
      return key('key', widget.groupBy, '/groupBy');
    case 'pivot':
      return [...key('row', widget.rows, '/rows'), ...key('column', widget.columns, '/columns')];
    case 'funnel':
      return key('key', stateField, '/workflow');
    default:
      return [];
  }
}

export function widgetMeasure(widget: DashboardWidget): WidgetMeasure {
  return 'measure' in widget && widget.measure !== undefined ? widget.measure : { op: 'count' };
}

/** The aggregation spec of a grouped or metric widget over records matching `filter` (JSON). */
export function widgetGroupSpec(args: { widget: DashboardWidget; keys: readonly WidgetKey[]; filter: unknown; timeZone: string }): Record<string, unknown> {
  const { widget, keys } = args;
  const spec: Record<string, unknown> = {
    filter: args.filter,
    groupBy: keys.map((k) => (typeof k.definition === 'string' ? { field: k.definition, as: k.name } : { ...k.definition, as: k.name })),
    measures: { value: widgetMeasure(widget) },
    timeZone: args.timeZone,
  };
  if (widget.type === 'bar' && widget.sort) spec['sort'] = widget.sort;
  if (widget.type === 'bar' && widget.limit) spec['limit'] = widget.limit;
  if (widget.type === 'pie') spec['sort'] = '-value';
  if (widget.type === 'pie' && widget.limit) spec['limit'] = widget.limit;
  return spec;
}

/** Where an issue of a widget's spec points inside the widget. */
export function widgetPointer(specPointer: string, keys: readonly WidgetKey[]): string {
  const group = /^\/groupBy\/(\d+)(\/.*)?$/.exec(specPointer);
  if (group) {
    const key = keys[Number(group[1])];
    if (key === undefined) return '';
    return typeof key.definition === 'string' ? key.pointer : `${key.pointer}${group[2] ?? ''}`;
  }
  if (specPointer.startsWith('/measures/value')) return `/measure${specPointer.slice('/measures/value'.length)}`;
  return specPointer;
}
