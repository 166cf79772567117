// /admin/workflows — every workflow with its entity, states and transitions, each opening the designer.

import { useQuery } from '@tanstack/react-query';
import { Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { listDocuments } from '../../api/admin-meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useLanguage } from '../../app/use-language.ts';
import type { WorkflowDoc } from './workflow-model.ts';

export default function WorkflowListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const list = useQuery({ queryKey: ['admin', 'workflows'], queryFn: () => listDocuments<WorkflowDoc>('workflow') });
  if (list.isPending) return <PageLoading />;
  if (list.error) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('wfDesigner.listTitle')}</Typography.Title>
      <Table size="small" rowKey="name" pagination={false} scroll={{ x: true }} dataSource={list.data}
        columns={[
          { title: t('wfDesigner.label'), render: (_, w) => <Link to={`/admin/workflows/${w.name}`}>{label(w.label, w.name)}</Link> },
          { title: t('wfDesigner.name'), dataIndex: 'name' },
          { title: t('wfDesigner.entity'), dataIndex: 'entity' },
          { title: t('wfDesigner.states'), render: (_, w) => Object.keys(w.states ?? {}).length },
          { title: t('wfDesigner.transitions'), render: (_, w) => Object.keys(w.transitions ?? {}).length },
          { title: t('wfDesigner.triggers'), render: (_, w) => Object.keys(w.triggers ?? {}).length },
        ]} />
    </Space>
  );
}
