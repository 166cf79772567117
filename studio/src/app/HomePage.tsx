// The first page after sign-in: a greeting and, when nothing is installed, what to do next.

import { Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../api/meta.ts';
import { useSession } from './session.tsx';

export default function HomePage({ notFound = false }: { notFound?: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const nav = useNavigation();
  if (notFound) return <Result status="404" title={t('app.notFound')} />;
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('home.welcome', { name: me?.user.name ?? me?.user.email ?? '' })}
      </Typography.Title>
      {nav.data && nav.data.groups.length === 0 && <Typography.Paragraph>{t('nav.empty')}</Typography.Paragraph>}
    </div>
  );
}
