// /admin/roles — the roles editor: the grants matrix of each role, users and teams, and "view as".

import { useQuery } from '@tanstack/react-query';
import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listDocuments } from '../../api/admin-meta.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { GrantsMatrix } from './GrantsMatrix.tsx';
import { PeopleTab } from './PeopleTab.tsx';
import { ViewAsPanel } from './ViewAsPanel.tsx';
import '../workflows/designer.css';

export default function RolesPage() {
  const { t } = useTranslation();
  const meta = useQuery({ queryKey: ['admin', 'roles-page'], queryFn: async () => ({ entities: await listDocuments('entity'), roles: await listDocuments('role') }) });
  if (meta.isPending) return <PageLoading />;
  if (meta.error) return <ErrorState error={meta.error} retry={() => void meta.refetch()} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('roles.title')}</Typography.Title>
      <Tabs className="wrap-tabs" items={[
        { key: 'grants', label: t('roles.grants'), children: <GrantsMatrix entities={meta.data.entities} /> },
        { key: 'people', label: t('roles.people'), children: <PeopleTab roles={meta.data.roles} /> },
        { key: 'viewAs', label: t('roles.viewAs'), children: <ViewAsPanel entities={meta.data.entities} roles={meta.data.roles} /> },
      ]} />
    </Space>
  );
}
