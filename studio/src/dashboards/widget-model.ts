// From a widget's metadata and its figures to what is drawn: group keys labelled like the rest of
// the studio (picklist options and workflow states in the UI language, date buckets as text), and
// the ECharts option of bar, line, pie and funnel widgets.

import type { EChartsOption } from 'echarts';
import type { GroupRow, WidgetData } from '../api/dashboards.ts';
import type { EntityDef, WorkflowDef } from '../api/meta.ts';
import { localize, type Label, type Language } from '../i18n/i18n.ts';

export interface WidgetDef {
  type: string;
  title?: Label;
  entity: string;
  layout: { x: number; y: number; w: number; h: number };
  groupBy?: string | { field: string; bucket?: string };
  series?: string | { field: string; bucket?: string };
  rows?: string | { field: string; bucket?: string };
  columns?: unknown;
  workflow?: string;
  donut?: boolean;
  stacked?: boolean;
  ratio?: unknown;
  measure?: { op: string; field?: string };
  [key: string]: unknown;
}

const fieldOfKey = (key: WidgetDef['groupBy']): string | undefined => (typeof key === 'string' ? key : key?.field);

/** Labels one group key's value: an option's or a state's label, a date bucket as it came. */
export function keyLabeller(args: { entity: EntityDef | undefined; key: WidgetDef['groupBy']; workflow?: WorkflowDef; language: Language; none: string }): (value: unknown) => string {
  const field = fieldOfKey(args.key);
  const def = field ? args.entity?.fields[field] : undefined;
  return (value) => {
    if (value === null || value === undefined || value === '') return args.none;
    if (args.workflow?.states?.[String(value)]) return localize(args.workflow.states[String(value)]!.label, args.language, String(value));
    if (def?.options?.[String(value)]) return localize(def.options[String(value)]!.label, args.language, String(value));
    if (typeof value === 'boolean') return value ? '✓' : '✗';
    return String(value);
  };
}

export const valueOf = (row: GroupRow): number => {
  const v = row.values['value'];
  return typeof v === 'number' ? v : 0;
};

/** The chart of a bar, line, pie or funnel widget; undefined for the others. */
export function chartOption(widget: WidgetDef, data: WidgetData, label: (part: 'key' | 'series', v: unknown) => string, percent: boolean): EChartsOption | undefined {
  const groups = data.groups ?? [];
  const format = (v: number) => (percent ? `${(v * 100).toFixed(1)}%` : v.toLocaleString());
  if (widget.type === 'pie') {
    return {
      tooltip: { trigger: 'item', valueFormatter: (v) => format(Number(v)) },
      legend: { type: 'scroll', bottom: 0 },
      series: [{
        type: 'pie', radius: widget.donut ? ['45%', '70%'] : '70%', center: ['50%', '45%'],
        // Labels stay inside the chart however narrow (a phone): aligned to its edges, cut short when they do not fit; the legend names every slice.
        label: { alignTo: 'edge', edgeDistance: 8, overflow: 'truncate' },
        labelLine: { length: 8, length2: 4 },
        labelLayout: { hideOverlap: true },
        data: groups.map((g) => ({ name: label('key', g.key['key']), value: valueOf(g) })),
      }],
    };
  }
  if (widget.type === 'funnel') {
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'funnel', sort: 'none', left: '5%', width: '60%', minSize: '8%', label: { show: true, position: 'right' }, data: groups.map((g) => ({ name: label('key', g.key['key']), value: valueOf(g) })) }],
    };
  }
  if (widget.type !== 'bar' && widget.type !== 'line') return undefined;
  const keys = [...new Set(groups.map((g) => JSON.stringify(g.key['key'] ?? null)))].map((k) => JSON.parse(k) as unknown);
  const seriesKeys = widget.series ? [...new Set(groups.map((g) => JSON.stringify(g.key['series'] ?? null)))].map((k) => JSON.parse(k) as unknown) : [undefined];
  const series = seriesKeys.map((s) => ({
    type: widget.type as 'bar' | 'line',
    name: s === undefined ? '' : label('series', s),
    ...(widget.stacked ? { stack: 'all' } : {}),
    data: keys.map((k) => {
      const row = groups.find((g) => JSON.stringify(g.key['key'] ?? null) === JSON.stringify(k) && (s === undefined || JSON.stringify(g.key['series'] ?? null) === JSON.stringify(s)));
      return row ? valueOf(row) : 0;
    }),
  }));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => format(Number(v)) },
    ...(widget.series ? { legend: { type: 'scroll', bottom: 0 } } : {}),
    grid: { left: 8, right: 16, top: 16, bottom: widget.series ? 36 : 8, containLabel: true },
    xAxis: { type: 'category', data: keys.map((k) => label('key', k)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => format(v) } },
    series,
  } as EChartsOption;
}
