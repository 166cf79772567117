// The admin area's frame: only administrators get past it (others see 403, and the menu never shows
// them the entry); a breadcrumb back to the admin home above every designer's page.

import { Breadcrumb, Result } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { PageLoading } from '../app/PageStates.tsx';
import { useSession } from '../app/session.tsx';
import { adminSections } from './admin-sections.ts';

export default function AdminLayout() {
  const { t } = useTranslation();
  const { me } = useSession();
  const location = useLocation();
  if (!me?.admin) return <Result status="403" title={t('admin.forbidden')} />;
  const key = location.pathname.split('/')[2];
  const section = adminSections.find((s) => s.key === key || s.path === key);
  return (
    <div>
      {section && (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[{ title: <Link to="/admin">{t('admin.area')}</Link> }, { title: t(section.titleKey) }]}
        />
      )}
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
