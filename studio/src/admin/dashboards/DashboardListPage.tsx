// /admin/dashboards — every dashboard, each opening the dashboard designer, and a new dashboard: its
// name and title (in either language or both; the name stands in only when neither is given), then
// the designer with a draft of one widget (nothing saved until the dry run is confirmed).

import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useEntities, useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { DashboardDoc } from './dashboard-model.ts';
import { metadataName } from '../metadata-name.ts';
import { ListPageHeader } from '../ListPageHeader.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';


export default function DashboardListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const dashboards = useMetaKind('dashboards');
  const entities = useEntities();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [title, setTitle] = useState<{ en?: string; zh?: string }>();
  const rows = [...(dashboards.data?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const nameError = name && !metadataName.test(name) ? t('viewDesigner.nameRule') : dashboards.data?.has(name) ? t('dashDesigner.nameTaken') : undefined;
  // A new dashboard starts with one widget on the first entity: until the entities have loaded
  // there is nothing to start it on, so the button waits (it used to do nothing when clicked).
  const entity = [...(entities.data?.keys() ?? [])][0];
  const ready = Boolean(name && !nameError && entity && dashboards.data);
  const create = () => {
    if (!ready || !entity) return;
    const draft: DashboardDoc = { kind: 'dashboard', name, title: title ?? { en: name }, widgets: { widget1: { type: 'metric', title: { en: t('dashDesigner.newWidgetTitle', { lng: 'en', n: 1 }), zh: t('dashDesigner.newWidgetTitle', { lng: 'zh', n: 1 }) }, entity, measure: { op: 'count' }, layout: { x: 0, y: 0, w: 4, h: 2 } } } };
    void navigate(`/admin/dashboards/${name}`, { state: { draft } });
  };
  return (
    <div>
      <ListPageHeader title={t('dashDesigner.listTitle')} newLabel={t('dashDesigner.newDashboard')} onNew={() => setCreating(true)} />
      <ResponsiveTable
        size="small"
        loading={dashboards.isPending}
        rowKey="name"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('dashDesigner.dashboard'), render: (_, d) => <Link to={`/admin/dashboards/${d.name}`}>{label((d['title'] ?? d.label) as never, d.name)}</Link> },
          { title: t('dashDesigner.widgetCount'), render: (_, d) => Object.keys((d['widgets'] ?? {}) as object).length },
        ]}
      />
      <Modal open={creating} title={t('dashDesigner.newDashboard')} okText={t('viewDesigner.design')} cancelText={t('dryRun.cancel')} onOk={create} okButtonProps={{ disabled: !ready }} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form layout="vertical" component="div">
          <Form.Item label={t('viewDesigner.name')} htmlFor="new-dashboard-name" validateStatus={nameError ? 'error' : undefined} help={nameError ?? t('viewDesigner.nameHelp')}>
            <Input id="new-dashboard-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Item>
          <Form.Item label={t('dashDesigner.dashboardTitle')}>
            <LocalizedInput id="new-dashboard-title" label={t('dashDesigner.dashboardTitle')} value={title} onChange={setTitle} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
