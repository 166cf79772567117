// From a widget's metadata and its figures to what is drawn: group keys labelled like the rest of
// the studio (picklist options and workflow states in the UI language, date buckets as text), a
// picklist's groups in the order of its options (the server answers in key order), and the ECharts
// option of bar, line, pie and funnel widgets: counts on whole-number ticks, a pie's outside labels
// only where they fit (on a narrow widget the legend names the slices).

import type { EChartsOption } from 'echarts';
import type { GroupRow, WidgetData } from '../api/dashboards.ts';
import { findRollupSource, type EntityDef, type FieldDef, type WorkflowDef } from '../api/meta.ts';
import { localize, type Label, type Language } from '../i18n/i18n.ts';
import { amountCurrency } from '../records/amount-currency.ts';

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

/** The entity a grouping's lookup field points at (one target only): its keys are record ids, labelled by their titles. */
export function lookupTargetOf(entity: EntityDef | undefined, key: WidgetDef['groupBy']): string | undefined {
  const field = fieldOfKey(key);
  const def = field ? entity?.fields[field] : undefined;
  if (def?.type !== 'lookup') return undefined;
  const to = def.to;
  return typeof to === 'string' ? to : to?.length === 1 ? to[0] : undefined;
}

/**
 * Labels one group key's value: an option's or a state's label, a looked-up record's title (from
 * `titles`, id → title), a date bucket as it came.
 */
export function keyLabeller(args: { entity: EntityDef | undefined; key: WidgetDef['groupBy']; workflow?: WorkflowDef; language: Language; none: string; titles?: ReadonlyMap<string, string> }): (value: unknown) => string {
  const field = fieldOfKey(args.key);
  const def = field ? args.entity?.fields[field] : undefined;
  return (value) => {
    if (value === null || value === undefined || value === '') return args.none;
    if (typeof value === 'string' && args.titles?.has(value)) return args.titles.get(value)!;
    if (args.workflow?.states?.[String(value)]) return localize(args.workflow.states[String(value)]!.label, args.language, String(value));
    if (def?.options?.[String(value)]) return localize(def.options[String(value)]!.label, args.language, String(value));
    if (typeof value === 'boolean') return value ? '✓' : '✗';
    return String(value);
  };
}

/**
 * The order of a grouping's keys: a picklist's (not bucketed) in the order its options are declared,
 * values that are not options (none among them) after them; any other grouping as the server sent it.
 */
export function keyOrder(entity: EntityDef | undefined, key: WidgetDef['groupBy']): (values: readonly unknown[]) => unknown[] {
  const field = fieldOfKey(key);
  const options = typeof key === 'string' || (key && !key.bucket) ? (field ? entity?.fields[field]?.options : undefined) : undefined;
  if (!options) return (values) => [...values];
  const rank = new Map(Object.keys(options).map((o, i) => [o, i]));
  const rankOf = (v: unknown) => (typeof v === 'string' && rank.has(v) ? rank.get(v)! : rank.size);
  return (values) => [...values].sort((a, b) => rankOf(a) - rankOf(b));
}

/** Rows in the order of their `name` key's values (as `keyOrder` orders them). */
export function inKeyOrder<T extends GroupRow>(rows: readonly T[], name: string, order: (values: readonly unknown[]) => unknown[]): T[] {
  const rank = new Map(order(rows.map((r) => r.key[name] ?? null)).map((v, i) => [JSON.stringify(v), i]));
  return [...rows].sort((a, b) => rank.get(JSON.stringify(a.key[name] ?? null))! - rank.get(JSON.stringify(b.key[name] ?? null))!);
}

/** Whether a widget's values are whole numbers: counts, and sums and extremes of an integer field (not shares). */
export function wholeNumbers(widget: WidgetDef, entity: EntityDef | undefined): boolean {
  if (widget.ratio !== undefined) return false;
  const op = widget.measure?.op ?? 'count';
  if (op === 'count' || op === 'countDistinct') return true;
  const field = widget.measure?.field;
  return ['sum', 'min', 'max'].includes(op) && field !== undefined && !field.includes('.') && entity?.fields[field]?.type === 'integer';
}

/** What a widget's values are: money (in the field's currency, else the organisation's: amount-currency.ts), a percentage, or plain numbers. */
export type MeasureUnit = { kind: 'currency'; currency?: string } | { kind: 'percent' } | { kind: 'number' };

/**
 * The unit of a widget's values: a sum, average, least or greatest of a currency field (a formula
 * returning currency, a rollup summing one) is money in that field's currency; of a percent field, a
 * percentage; counts and everything else plain numbers. `entities` resolves a measure through a lookup.
 */
export function measureUnit(widget: WidgetDef, entity: EntityDef | undefined, entities?: ReadonlyMap<string, EntityDef>): MeasureUnit {
  const op = widget.measure?.op ?? 'count';
  const path = widget.measure?.field;
  if (widget.ratio !== undefined || !path || !['sum', 'avg', 'min', 'max'].includes(op)) return { kind: 'number' };
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  let field: FieldDef | undefined = entity?.fields[head];
  if (tail !== undefined) {
    const to = field?.type === 'lookup' ? field.to : undefined;
    field = typeof to === 'string' ? entities?.get(to)?.fields[tail] : undefined;
  }
  if (field?.type === 'rollup' && field.returns === undefined && field['op'] !== 'count') field = findRollupSource(field) ?? field;
  const type = field?.type === 'formula' || field?.type === 'rollup' ? field.returns : field?.type;
  if (type === 'currency') {
    const currency = amountCurrency(field);
    return currency ? { kind: 'currency', currency } : { kind: 'currency' };
  }
  if (type === 'percent') return { kind: 'percent' };
  return { kind: 'number' };
}

/** A category name longer than this (characters) slants the axis's names. */
const longName = 12;

/** A pie narrower than this (px) draws no outside labels: they would be cut to a letter or two. */
export const pieLabelsMinWidth = 420;

export const valueOf = (row: GroupRow): number => {
  const v = row.values['value'];
  return typeof v === 'number' ? v : 0;
};

/** The chart of a bar, line, pie or funnel widget, its values written by `format` (the page's, in the UI language); undefined for the others. */
export function chartOption(widget: WidgetDef, data: WidgetData, label: (part: 'key' | 'series', v: unknown) => string, format: (v: number) => string, entity?: EntityDef): EChartsOption | undefined {
  const groups = data.groups ?? [];
  const keyOf = (g: GroupRow) => JSON.stringify(g.key['key'] ?? null);
  const ordered = (key: WidgetDef['groupBy'], values: unknown[]) => keyOrder(entity, key)(values);
  if (widget.type === 'pie') {
    return {
      tooltip: { trigger: 'item', valueFormatter: (v) => format(Number(v)) },
      legend: { type: 'scroll', bottom: 0 },
      series: [{
        // The ring leaves room beside it for the labels ("在线客服" was cut to "在线..." beside a 70% ring).
        type: 'pie', radius: widget.donut ? ['38%', '58%'] : '58%', center: ['50%', '45%'],
        // Labels stay inside the chart: aligned to its edges, cut short only when they still do not fit; the legend names every slice.
        label: { alignTo: 'edge', edgeDistance: 8, overflow: 'truncate' },
        labelLine: { length: 8, length2: 4 },
        labelLayout: { hideOverlap: true },
        data: ordered(widget.groupBy, groups.map((g) => g.key['key'] ?? null)).map((k) => ({ name: label('key', k), value: valueOf(groups.find((g) => keyOf(g) === JSON.stringify(k))!) })),
      }],
      // On a narrow widget (a phone) there is no room beside the ring: no outside labels, only the legend.
      media: [{ query: { maxWidth: pieLabelsMinWidth - 1 }, option: { series: [{ radius: widget.donut ? ['45%', '70%'] : '70%', label: { show: false }, labelLine: { show: false } }] } }],
    };
  }
  if (widget.type === 'funnel') {
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'funnel', sort: 'none', left: '5%', width: '60%', minSize: '8%', label: { show: true, position: 'right' }, data: groups.map((g) => ({ name: label('key', g.key['key']), value: valueOf(g) })) }],
    };
  }
  if (widget.type !== 'bar' && widget.type !== 'line') return undefined;
  const keys = ordered(widget.groupBy, [...new Set(groups.map(keyOf))].map((k) => JSON.parse(k) as unknown));
  const seriesKeys = widget.series ? ordered(widget.series, [...new Set(groups.map((g) => JSON.stringify(g.key['series'] ?? null)))].map((k) => JSON.parse(k) as unknown)) : [undefined];
  const series = seriesKeys.map((s) => ({
    type: widget.type as 'bar' | 'line',
    name: s === undefined ? '' : label('series', s),
    ...(widget.stacked ? { stack: 'all' } : {}),
    data: keys.map((k) => {
      const row = groups.find((g) => JSON.stringify(g.key['key'] ?? null) === JSON.stringify(k) && (s === undefined || JSON.stringify(g.key['series'] ?? null) === JSON.stringify(s)));
      return row ? valueOf(row) : 0;
    }),
  }));
  const names = keys.map((k) => label('key', k));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => format(Number(v)) },
    ...(widget.series ? { legend: { type: 'scroll', bottom: 0 } } : {}),
    grid: { left: 8, right: 16, top: 16, bottom: widget.series ? 36 : 8, containLabel: true },
    // Long names (looked-up records' titles) are slanted and cut short: level and whole, each overlapped
    // its neighbours and only the first was drawn; the tooltip and the chart's label name them whole.
    xAxis: { type: 'category', data: names, axisLabel: { hideOverlap: true, ...(names.some((n) => n.length > longName) ? { rotate: 30, width: 96, overflow: 'truncate' } : {}) } },
    // Counts are whole: ticks 0, 1, 2 (not 0, 0.5, 1…); sums of decimals keep theirs.
    yAxis: { type: 'value', ...(wholeNumbers(widget, entity) ? { minInterval: 1 } : {}), axisLabel: { formatter: (v: number) => format(v) } },
    series,
  } as EChartsOption;
}
