// A small warning tag beside a state's or transition's label that has no Chinese: users in Chinese
// read the English meanwhile, and the admin sees what is left to translate.

import { WarningOutlined } from '../../app/icons.tsx';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Label } from '../../i18n/i18n.ts';
import { missingZh } from './workflow-model.ts';

export function NoZhLabel({ label, compact }: { label: Label; compact?: boolean }) {
  const { t } = useTranslation();
  if (!missingZh(label)) return null;
  return (
    <Tooltip title={t('wfDesigner.noZhLabelHelp')}>
      <Tag icon={<WarningOutlined aria-hidden />} data-testid="no-zh-label" style={{ marginInlineStart: 6, marginInlineEnd: compact ? 0 : undefined, color: '#7a4100', background: '#fffbe6', borderColor: '#ffd666' }}>
        {t('wfDesigner.noZhLabel')}
      </Tag>
    </Tooltip>
  );
}
