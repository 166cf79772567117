// The dashboard designer (/admin/dashboards/:name): widgets listed in reading order — dragged into
// another order (dnd-kit), resized (columns of the 12-column grid, rows), added and removed — each
// with its own settings (kind, entity, measure, group-by, filter…, WidgetEditor.tsx). Places follow
// from the order (dashboard-model.ts: no two widgets overlap). Beside it the live preview: the
// server runs the unsaved dashboard (POST /api/meta/preview/dashboard) and the dashboard page's own
// grid draws the figures (ECharts loaded lazily). Saved through the dry run like every change.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Form, Row, Space, Typography } from 'antd';
import { InputNumber } from '../../app/localized-controls.tsx';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { getMetaItem, previewDashboard, type MetaDocument } from '../../api/designer.ts';
import { useEntities, useMetaKind, type EntityDef } from '../../api/meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { DashboardGrid } from '../../dashboards/DashboardPage.tsx';
import type { WidgetDef } from '../../dashboards/widget-model.ts';
import { useReviewedSave } from '../impact/DryRunReport.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { SortableList } from '../views/SortableList.tsx';
import { useSettled } from '../views/ViewPreview.tsx';
import { minRows, newWidgetName, reflow, widgetOrder, type DashboardDoc, type WidgetType } from './dashboard-model.ts';
import { WidgetEditor } from './WidgetEditor.tsx';

export default function DashboardDesignerPage() {
  const { name = '' } = useParams();
  const location = useLocation();
  const fresh = (location.state as { draft?: DashboardDoc } | null)?.draft;
  const doc = useQuery({ queryKey: ['designer', 'dashboard', name], queryFn: () => getMetaItem<DashboardDoc>('dashboard', name), enabled: !fresh, retry: false });
  const entities = useEntities();
  const saved = fresh ?? doc.data;
  if ((!fresh && doc.isPending) || entities.isPending) return <PageLoading />;
  if (doc.error && !(doc.error instanceof ApiError && doc.error.status === 404 && fresh)) return <ErrorState error={doc.error} retry={() => void doc.refetch()} />;
  if (!saved || !entities.data) return <ErrorState error={entities.error ?? doc.error} />;
  return <DashboardDesigner key={JSON.stringify(saved)} saved={saved} isNew={Boolean(fresh)} entities={entities.data} />;
}

function DashboardDesigner({ saved, isNew, entities }: { saved: DashboardDoc; isNew: boolean; entities: ReadonlyMap<string, EntityDef> }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const workflows = useMetaKind('workflows');
  const [draft, setDraft] = useState<DashboardDoc>(saved);
  const [editing, setEditing] = useState<string>();
  const { review, modal } = useReviewedSave(() => {
    if (isNew) void navigate(`/admin/dashboards/${draft.name}`, { replace: true, state: null });
  });
  const dirty = isNew || JSON.stringify(draft) !== JSON.stringify(saved);
  const order = widgetOrder(draft);
  const allWorkflows = useMemo(() => [...(workflows.data?.values() ?? [])], [workflows.data]);
  const text = useSettled(JSON.stringify(draft));
  const preview = useQuery({ queryKey: ['designer', 'dashboardPreview', text], queryFn: () => previewDashboard({ ...(JSON.parse(text) as DashboardDoc) } as unknown as MetaDocument), placeholderData: keepPreviousData, retry: false });

  const setWidget = (key: string, widget: WidgetDef) => setDraft((d) => reflow({ ...d, widgets: { ...d.widgets, [key]: widget } }, widgetOrder(d)));
  const resize = (key: string, patch: { w?: number; h?: number }) => {
    const widget = draft.widgets[key]!;
    setWidget(key, { ...widget, layout: { ...widget.layout, ...patch } });
  };
  const add = () => {
    const key = newWidgetName(draft);
    const entity = entities.get([...entities.keys()][0]!);
    const last = order.length > 0 ? draft.widgets[order[order.length - 1]!]!.layout : { x: 0, y: 0, w: 0, h: 0 };
    const widget: WidgetDef = { type: 'metric', title: { en: t('dashDesigner.newWidgetTitle', { lng: 'en', n: key.slice(6) }), zh: t('dashDesigner.newWidgetTitle', { lng: 'zh', n: key.slice(6) }) }, entity: entity?.name ?? '', measure: { op: 'count' }, layout: { x: 0, y: last.y + last.h, w: 4, h: 2 } };
    setDraft((d) => reflow({ ...d, widgets: { ...d.widgets, [key]: widget } }, [...widgetOrder(d), key]));
    setEditing(key);
  };
  const remove = (key: string) =>
    setDraft((d) => {
      const { [key]: _gone, ...widgets } = d.widgets;
      return reflow({ ...d, widgets }, widgetOrder(d).filter((k) => k !== key));
    });

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }} align="start">
        <div>
          <Typography.Text type="secondary">
            <Link to="/admin/dashboards">{t('dashDesigner.listTitle')}</Link>
          </Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('dashDesigner.title', { dashboard: label(draft.title, draft.name) })}
          </Typography.Title>
        </div>
        <Space wrap>
          {dirty && !isNew && <Button onClick={() => setDraft(saved)}>{t('formDesigner.discard')}</Button>}
          <Badge dot={dirty}>
            <Button type="primary" disabled={!dirty || order.length === 0} onClick={() => review([draft as unknown as MetaDocument])}>
              {t('formDesigner.reviewAndSave')}
            </Button>
          </Badge>
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('dashDesigner.settings')}</h2>}>
              <Form layout="vertical" component="div">
                <Form.Item label={t('dashDesigner.dashboardTitle')}>
                  <LocalizedInput id="dashboard-title" label={t('dashDesigner.dashboardTitle')} value={draft.title} onChange={(l) => setDraft((d) => ({ ...d, title: l ?? d.name }))} />
                </Form.Item>
              </Form>
            </Card>
            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('dashDesigner.widgets')}</h2>}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('dashDesigner.widgetsHelp')}</Typography.Paragraph>
              <SortableList
                testId="widgets"
                label={t('dashDesigner.widgets')}
                emptyText={t('dashDesigner.noWidgets')}
                onOrder={(ids) => setDraft((d) => reflow(d, ids))}
                onRemove={remove}
                entries={order.map((key) => {
                  const w = draft.widgets[key]!;
                  const title = label(w.title, key);
                  return {
                    id: key,
                    label: title,
                    hint: t(`dashDesigner.types.${w.type}`),
                    extra: (
                      <Space wrap size={4} style={{ marginTop: 4, paddingInlineStart: 30 }}>
                        <InputNumber size="small" min={1} max={12} value={w.layout.w} aria-label={t('dashDesigner.width', { widget: title })} prefix={t('dashDesigner.widthShort')} onChange={(v) => v && resize(key, { w: v })} style={{ width: 110 }} />
                        <InputNumber size="small" min={minRows[w.type as WidgetType] ?? 1} max={24} value={w.layout.h} aria-label={t('dashDesigner.height', { widget: title })} prefix={t('dashDesigner.heightShort')} onChange={(v) => v && resize(key, { h: v })} style={{ width: 110 }} />
                        <Button size="small" onClick={() => setEditing(key)} aria-label={t('dashDesigner.edit', { widget: title })}>
                          {t('dashDesigner.editShort')}
                        </Button>
                      </Space>
                    ),
                  };
                })}
              />
              <Button style={{ marginTop: 8 }} onClick={add} disabled={order.length >= 50}>
                {t('dashDesigner.addWidget')}
              </Button>
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={15}>
          <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('dashDesigner.preview')}</h2>} data-testid="dashboard-preview" aria-busy={preview.isFetching}>
            {preview.isError && <ErrorState error={preview.error} retry={() => void preview.refetch()} />}
            {preview.data && !preview.data.valid && (
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('dashDesigner.previewInvalid')} description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{preview.data.issues.map((i, n) => <li key={n}><code>{i.path}</code> {i.message}</li>)}</ul>} />
            )}
            <DashboardGrid widgets={draft.widgets} figures={preview.data?.valid ? preview.data.widgets : undefined} pending={preview.isPending} />
          </Card>
        </Col>
      </Row>
      <WidgetEditor name={editing} widget={editing ? draft.widgets[editing] : undefined} entities={entities} workflows={allWorkflows} onChange={(w) => editing && setWidget(editing, w)} onClose={() => setEditing(undefined)} />
      {modal}
    </div>
  );
}

