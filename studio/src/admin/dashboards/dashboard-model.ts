// A dashboard as the designer edits it: widgets in reading order, each with a width and height on
// the 12-column grid; their places (x, y) follow from the order — each widget takes the first free
// spot, row by row — so reordering and resizing never overlap two widgets. Changing a widget's
// kind keeps what the new kind allows (the schema refuses any other property) and fills what it needs.

import type { WidgetDef } from '../../dashboards/widget-model.ts';
import type { Label } from '../../i18n/i18n.ts';

export type WidgetType = 'metric' | 'bar' | 'line' | 'pie' | 'funnel' | 'table' | 'pivot' | 'sla' | 'quality';
export const widgetTypes: WidgetType[] = ['metric', 'bar', 'line', 'pie', 'funnel', 'table', 'pivot', 'sla', 'quality'];
/** The fewest grid rows a widget of each kind is readable in: a chart, table or funnel in two rows (~76 px) only scrolls. */
export const minRows: Record<WidgetType, number> = { metric: 2, bar: 3, line: 3, pie: 3, funnel: 3, table: 3, pivot: 3, sla: 3, quality: 4 };
export const measureOps = ['count', 'countDistinct', 'sum', 'avg', 'min', 'max'] as const;
export const buckets = ['day', 'week', 'month', 'quarter', 'year'] as const;

export interface DashboardDoc {
  kind: 'dashboard';
  name: string;
  title?: Label;
  description?: Label;
  filters?: Record<string, unknown>;
  widgets: Record<string, WidgetDef>;
  [key: string]: unknown;
}

const common = ['type', 'title', 'entity', 'filter', 'ignoreFilters', 'layout'];
const allowed: Record<WidgetType, string[]> = {
  metric: [...common, 'measure', 'ratio', 'compare'],
  bar: [...common, 'groupBy', 'series', 'stacked', 'measure', 'ratio', 'sort', 'limit'],
  line: [...common, 'groupBy', 'series', 'measure', 'ratio'],
  pie: [...common, 'groupBy', 'measure', 'donut', 'limit'],
  funnel: [...common, 'workflow', 'measure'],
  table: [...common, 'columns', 'sort', 'limit'],
  pivot: [...common, 'rows', 'columns', 'measure'],
  sla: [...common, 'workflow'],
  quality: [...common, 'staleDays'],
};

/** The widget as another kind: what both allow kept, what the new one needs filled. */
export function changeType(widget: WidgetDef, type: WidgetType, fill: { groupBy: string; workflow: string; titleField: string }): WidgetDef {
  const out: Record<string, unknown> = {};
  for (const key of allowed[type]) if (widget[key] !== undefined) out[key] = widget[key];
  out['type'] = type;
  out['layout'] = { ...widget.layout, h: Math.max(widget.layout.h, minRows[type]) };
  const needsMeasure = ['metric', 'bar', 'line', 'pie', 'pivot'].includes(type);
  if (needsMeasure && !out['measure']) out['measure'] = { op: 'count' };
  if (['bar', 'line', 'pie'].includes(type) && !out['groupBy']) out['groupBy'] = fill.groupBy;
  if (type === 'pivot') {
    if (!out['rows']) out['rows'] = fill.groupBy;
    if (!out['columns'] || Array.isArray(out['columns'])) out['columns'] = fill.groupBy;
  }
  if (type === 'table' && !Array.isArray(out['columns'])) out['columns'] = [fill.titleField];
  if ((type === 'funnel' || type === 'sla') && !out['workflow']) out['workflow'] = fill.workflow;
  return out as WidgetDef;
}

/** Widgets in reading order (by row, then column). */
export function widgetOrder(doc: DashboardDoc): string[] {
  return Object.entries(doc.widgets)
    .sort(([a, x], [b, y]) => x.layout.y - y.layout.y || x.layout.x - y.layout.x || a.localeCompare(b))
    .map(([k]) => k);
}

/** Places the widgets in this order, each at the first spot where it fits. */
export function reflow(doc: DashboardDoc, order: string[]): DashboardDoc {
  const taken: boolean[][] = [];
  const free = (x: number, y: number, w: number, h: number) => {
    for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) if (taken[r]?.[c]) return false;
    return true;
  };
  const widgets: Record<string, WidgetDef> = {};
  for (const key of order) {
    const widget = doc.widgets[key];
    if (!widget) continue;
    const w = Math.min(12, Math.max(1, widget.layout.w));
    const h = Math.min(24, Math.max(1, widget.layout.h));
    let placed: { x: number; y: number } | undefined;
    for (let y = 0; !placed; y++) for (let x = 0; x + w <= 12 && !placed; x++) if (free(x, y, w, h)) placed = { x, y };
    for (let r = placed.y; r < placed.y + h; r++) for (let c = placed.x; c < placed.x + w; c++) (taken[r] ??= [])[c] = true;
    widgets[key] = { ...widget, layout: { x: placed.x, y: placed.y, w, h } };
  }
  return { ...doc, widgets };
}

/** A fresh widget name: widget1, widget2… */
export function newWidgetName(doc: DashboardDoc): string {
  let n = 1;
  while (doc.widgets[`widget${n}`]) n++;
  return `widget${n}`;
}

/**
 * A widget's title after one of its two texts was edited. A new widget's title holds a placeholder
 * in each language ("Widget 2", "组件 2"); once the admin writes the title in one language, the
 * other's untouched placeholder is dropped, so that language falls back to the title written
 * (the UI shows the other language's title before a placeholder or a code name).
 */
export function retitle(previous: Label, next: { en?: string; zh?: string } | undefined, placeholder: { en: string; zh: string }): { en?: string; zh?: string } | undefined {
  if (!next) return next;
  const before = typeof previous === 'string' ? { en: previous } : ((previous ?? {}) as { en?: string; zh?: string });
  const kept = { ...next };
  for (const language of ['en', 'zh'] as const) {
    const other = language === 'en' ? 'zh' : 'en';
    if (kept[language] === placeholder[language] && before[language] === next[language] && before[other] !== next[other]) delete kept[language];
  }
  return kept.en || kept.zh ? kept : next;
}
