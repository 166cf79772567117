// A tag beside a state no transition leads to from the initial state: the API accepts it (records
// may sit there after an import of their history), so the designer is where the admin sees it.

import { WarningOutlined } from '../../app/icons.tsx';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

export function UnreachableTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('wfDesigner.unreachableHelp')}>
      <Tag icon={<WarningOutlined aria-hidden />} data-testid={`unreachable-${state}`} style={{ color: '#7a4100', background: '#fffbe6', borderColor: '#ffd666' }}>
        {t('wfDesigner.unreachable')}
      </Tag>
    </Tooltip>
  );
}
