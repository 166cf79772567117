// A dashboard from its metadata: widgets placed on a 12-column grid by their layout (one column on
// phones, in reading order), each drawn from GET /api/dashboards/{name}: metrics as figures, bar,
// line, pie and funnel widgets as ECharts charts (their code loaded only here), tables, pivots and
// SLA summaries as tables, data quality as its score and least complete fields. Without figures (no analytics answer) the grid shows its widgets with a
// clear "no data source" state; a widget the viewer may not compute shows its own error.

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Grid, Statistic, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { runDashboard, type WidgetData } from '../api/dashboards.ts';
import { useEntities, useMetaKind, type EntityDef } from '../api/meta.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { formatCurrency, formatNumber, formatPercent } from '../i18n/format.ts';
import { valueText } from '../records/format-value.tsx';
import { QualityWidget } from './QualityWidget.tsx';
import { targetsOf, useLookupTitles, useReferencedTitleMaps } from '../records/lookup-titles.ts';
import { chartOption, inKeyOrder, keyLabeller, keyOrder, lookupTargetOf, measureUnit, valueOf, type WidgetDef } from './widget-model.ts';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

const EChart = lazy(() => import('./EChart.tsx'));
const rowHeight = 64;

export default function DashboardPage() {
  const { name = '' } = useParams();
  return <DashboardView name={name} headingLevel={1} />;
}

/**
 * One dashboard under its title: its own page (the title the page's heading) or the home page,
 * which lands on it below the greeting (the title a level down).
 */
export function DashboardView({ name, headingLevel }: { name: string; headingLevel: 1 | 2 }) {
  const { t, i18n } = useTranslation();
  const { label } = useLanguage();
  const dashboards = useMetaKind('dashboards');
  const data = useQuery({ queryKey: ['dashboard', name, i18n.language], queryFn: () => runDashboard(name), retry: false });
  if (dashboards.isPending) return <PageLoading />;
  const def = dashboards.data?.get(name);
  if (!def) return <ErrorState error={t('app.notFound')} />;
  return (
    <div data-dashboard={name}>
      <Typography.Title level={headingLevel} style={{ fontSize: 22 }}>
        {label((def['title'] ?? def.label) as never, name)}
      </Typography.Title>
      {data.isError && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('dashboard.noSource')} description={t('dashboard.noSourceHelp')} data-testid="dashboard-no-source" />}
      <DashboardGrid widgets={(def['widgets'] ?? {}) as Record<string, WidgetDef>} figures={data.data?.widgets} pending={data.isPending} widgetHeading={headingLevel === 1 ? 'h2' : 'h3'} />
    </div>
  );
}

/**
 * Widgets on the 12-column grid by their layout (one column on phones, in reading order), each drawn
 * from its figures. Without figures (`figures` undefined and not pending) each widget says "no data".
 * The dashboard page and the dashboard designer's live preview both draw with it.
 */
export function DashboardGrid({ widgets, figures, pending, widgetHeading: WidgetHeading = 'h2' }: { widgets: Record<string, WidgetDef>; figures: Record<string, WidgetData> | undefined; pending: boolean; widgetHeading?: 'h2' | 'h3' }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const ordered = Object.entries(widgets).sort(([, a], [, b]) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  return (
    <div style={{ display: 'grid', gridTemplateColumns: narrow ? '1fr' : 'repeat(12, minmax(0, 1fr))', gridAutoRows: rowHeight, gap: 12 }}>
      {ordered.map(([key, w]) => (
        <section
          key={key}
          data-widget={key}
          aria-label={label(w.title, key)}
          style={narrow ? { gridRow: `span ${w.layout.h}` } : { gridColumn: `${w.layout.x + 1} / span ${w.layout.w}`, gridRow: `${w.layout.y + 1} / span ${w.layout.h}` }}
        >
          <Card size="small" title={<WidgetHeading style={{ fontSize: 15, margin: 0 }}>{label(w.title, key)}</WidgetHeading>} style={{ height: '100%' }} styles={{ body: { height: `calc(100% - 40px)`, overflow: 'hidden', padding: 0 } }}>
            {/* What overflows a small widget scrolls here, and the keyboard can reach it (axe: scrollable-region-focusable). */}
            <div tabIndex={0} role="group" aria-label={label(w.title, key)} style={{ height: '100%', overflow: 'auto', padding: 12 }}>
              {pending ? <PageLoading /> : !figures ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noData')} /> : <WidgetBody widget={w} data={figures[key]} height={w.layout.h * rowHeight + (w.layout.h - 1) * 12 - 64} />}
            </div>
          </Card>
        </section>
      ))}
    </div>
  );
}

function WidgetBody({ widget, data, height }: { widget: WidgetDef; data: WidgetData | undefined; height: number }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const entities = useEntities();
  const workflows = useMetaKind('workflows');
  const entity = entities.data?.get(widget.entity);
  // Groups by a lookup field are keyed by record ids: they are labelled by the records' titles.
  const keyTitles = useKeyTitles(entity, widget.groupBy, (data?.groups ?? []).map((g) => g.key['key']));
  const seriesTitles = useKeyTitles(entity, widget.series, (data?.groups ?? []).map((g) => g.key['series']));
  const rowTitles = useKeyTitles(entity, widget.rows, (data?.rowTotals ?? []).map((g) => g.key['row']));
  const columnTitles = useKeyTitles(entity, widget.columns as WidgetDef['groupBy'], (data?.columnTotals ?? []).map((g) => g.key['column']));
  if (!data) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noData')} />;
  if (data.error) return <Alert type="warning" showIcon title={data.error.message} />;
  const workflow = widget.workflow ? workflows.data?.get(widget.workflow) : undefined;
  const percent = widget.ratio !== undefined;
  // Money in its currency and percent fields as percentages, in the UI language (Intl.NumberFormat).
  const unit = measureUnit(widget, entity, entities.data);
  const format = (v: number | null | undefined) => {
    if (v === null || v === undefined) return '—';
    if (percent) return `${formatNumber(v * 100, language, { scale: 1 })}%`;
    if (unit.kind === 'currency') return formatCurrency(v, language, unit.currency);
    if (unit.kind === 'percent') return formatPercent(v, language);
    return formatNumber(v, language, { max: 3 });
  };
  const none = t('dashboard.none');
  const labelOf = (part: 'key' | 'series', v: unknown) => keyLabeller({ entity, key: part === 'key' ? widget.groupBy : widget.series, ...(widget.type === 'funnel' && workflow ? { workflow } : {}), language, none, titles: part === 'key' ? keyTitles : seriesTitles })(v);

  if (widget.type === 'metric') {
    const change = typeof data.change === 'number' ? data.change : undefined;
    return (
      <div>
        <Statistic value={format(data.value)} />
        {change !== undefined && <Typography.Text type={change >= 0 ? 'success' : 'danger'}>{t('dashboard.change', { change: `${change >= 0 ? '+' : ''}${formatNumber(change * 100, language, { scale: 1 })}%` })}</Typography.Text>}
      </div>
    );
  }
  const option = chartOption(widget, data, labelOf, format, entity);
  if (option) {
    if ((data.groups ?? []).every((g) => valueOf(g) === 0)) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.empty')} />;
    // In the chart's order (a picklist's options in theirs).
    const groups = widget.type === 'funnel' ? (data.groups ?? []) : inKeyOrder(data.groups ?? [], 'key', keyOrder(entity, widget.groupBy));
    const summary = groups.map((g) => `${labelOf('key', g.key['key'])}: ${format(g.values['value'])}`).join(', ');
    return (
      <Suspense fallback={<PageLoading />}>
        <EChart option={option} label={`${label(widget.title, '')} — ${summary}`} height={Math.max(height, 120)} />
      </Suspense>
    );
  }
  // The designer's preview can still hold the figures of the kind the widget had a moment ago.
  if (widget.type === 'quality') return data.type === 'quality' ? <QualityWidget entityName={widget.entity} entity={entity} data={data} /> : <PageLoading />;
  if (widget.type === 'table') return <RecordsTable entity={entity} columns={(data.columns ?? []) as string[]} items={data.items ?? []} />;
  if (widget.type === 'pivot') {
    const rowLabel = keyLabeller({ entity, key: widget.rows, language, none, titles: rowTitles });
    const colLabel = keyLabeller({ entity, key: widget.columns as WidgetDef['groupBy'], language, none, titles: columnTitles });
    const colTotals = inKeyOrder(data.columnTotals ?? [], 'column', keyOrder(entity, widget.columns as WidgetDef['groupBy']));
    const rowTotals = inKeyOrder(data.rowTotals ?? [], 'row', keyOrder(entity, widget.rows));
    const cols = colTotals.map((c) => c.key['column']);
    const rows = rowTotals.map((r) => r.key['row']);
    const cell = (r: unknown, c: unknown) => data.cells?.find((x) => JSON.stringify(x.key['row']) === JSON.stringify(r) && JSON.stringify(x.key['column']) === JSON.stringify(c));
    return (
      <ResponsiveTable
        size="small"
        pagination={false}
        rowKey="key"
        columns={[{ title: '', dataIndex: 'label', key: 'label' }, ...cols.map((c, i) => ({ title: colLabel(c), dataIndex: `c${i}`, key: `c${i}`, align: 'right' as const })), { title: t('dashboard.total'), dataIndex: 'total', key: 'total', align: 'right' as const }]}
        dataSource={rows.map((r, ri) => ({ key: ri, label: rowLabel(r), ...Object.fromEntries(cols.map((c, i) => [`c${i}`, format(cell(r, c)?.values['value'])])), total: format(rowTotals[ri]?.values['value']) }))}
      />
    );
  }
  if (widget.type === 'sla') {
    const states = (data['states'] ?? []) as { state: string; current: number; averageMs: number; slaHours?: number; breached: number }[];
    const stateLabel = (s: string) => label(workflow?.states?.[s]?.label, s);
    return (
      <ResponsiveTable
        size="small"
        pagination={false}
        rowKey="state"
        columns={[
          { title: t('dashboard.state'), dataIndex: 'state', key: 'state', render: (s: string) => stateLabel(s) },
          { title: t('dashboard.current'), dataIndex: 'current', key: 'current', align: 'right' },
          { title: t('dashboard.averageHours'), dataIndex: 'averageMs', key: 'averageMs', align: 'right', render: (ms: number) => formatNumber(ms / 3_600_000, language, { scale: 1 }) },
          { title: t('dashboard.target'), dataIndex: 'slaHours', key: 'slaHours', align: 'right', render: (h?: number) => h ?? '—' },
          { title: t('dashboard.breached'), dataIndex: 'breached', key: 'breached', align: 'right' },
        ]}
        dataSource={states}
      />
    );
  }
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noData')} />;
}

/** id → title of the records a grouping by a lookup field names (empty for any other grouping). */
function useKeyTitles(entity: EntityDef | undefined, key: WidgetDef['groupBy'], values: unknown[]): ReadonlyMap<string, string> | undefined {
  const target = lookupTargetOf(entity, key);
  const titles = useLookupTitles(target, target ? values.filter((v): v is string => typeof v === 'string') : []);
  return titles.data;
}

function RecordsTable({ entity, columns, items }: { entity: EntityDef | undefined; columns: string[]; items: Record<string, unknown>[] }) {
  const { label, language } = useLanguage();
  // A lookup column shows the looked-up record's title (its id while the titles load or when it may not be read).
  const titles = useReferencedTitleMaps(entity, items);
  const titleOf = (name: string, v: unknown): string | undefined => {
    const [target, ...others] = targetsOf(entity?.fields[name]);
    return target && others.length === 0 && typeof v === 'string' ? titles.data?.get(target)?.get(v) : undefined;
  };
  return (
    <ResponsiveTable
      size="small"
      pagination={false}
      rowKey={(r) => String(r['id'])}
      columns={columns.map((c) => {
        const field = entity?.fields[c.split('.')[0]!];
        return { title: label(field?.label, c), dataIndex: c, key: c, render: (v: unknown) => titleOf(c, v) ?? (field ? valueText(field, v, language) : String(v ?? '')) };
      })}
      dataSource={items}
    />
  );
}
