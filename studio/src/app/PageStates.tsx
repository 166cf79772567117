// Loading, error and empty states every page shares.

import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <span style={{ marginLeft: 12 }}>{t('app.loading')}</span>
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  return <Result status="warning" title={t('app.error')} subTitle={message} extra={retry ? <Button onClick={retry}>{t('app.retry')}</Button> : undefined} />;
}

export function RouteError() {
  return <ErrorState error={useRouteError()} retry={() => location.reload()} />;
}
