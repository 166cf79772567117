// Loading, error and empty states every page shares.

import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

export { PageLoading } from './PageLoading.tsx';

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  return <Result status="warning" title={t('app.error')} subTitle={message} extra={retry ? <Button onClick={retry}>{t('app.retry')}</Button> : undefined} />;
}
