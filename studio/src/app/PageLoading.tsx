// The loading state every page shares. Its own module, apart from PageStates' error state: the
// sign-in page's scripts include this one, not antd's Result (and its illustrations).

import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <span style={{ marginLeft: 12 }}>{t('app.loading')}</span>
    </div>
  );
}
