// The first page after sign-in: a greeting, then the dashboard the user lands on (their role's own,
// else the installed template's home, as the navigation answers it); without one, what to do next
// when nothing is installed.

import { Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../api/meta.ts';
import { DashboardView } from '../dashboards/DashboardPage.tsx';
import { useSession } from './session.tsx';

export default function HomePage({ notFound = false }: { notFound?: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const nav = useNavigation();
  if (notFound) return <Result status="404" title={t('app.notFound')} />;
  const home = nav.data?.home;
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: home ? 18 : 24 }}>
        {t('home.welcome', { name: me?.user.name ?? me?.user.email ?? '' })}
      </Typography.Title>
      {home !== undefined && <DashboardView name={home} headingLevel={2} />}
      {nav.data && nav.data.groups.length === 0 && <Typography.Paragraph>{t('nav.empty')}</Typography.Paragraph>}
    </div>
  );
}
