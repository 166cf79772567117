// Importing records from a file (/import): the wizard — file, mapping, preview, dry run, import —
// and the recent import jobs with their counts and undo. Open to whoever may create records of
// some entity (the server's rule for /api/import), not only to administrators.

import { Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ImportWizard } from './ImportWizard.tsx';
import { JobHistory } from './JobHistory.tsx';

export default function ImportPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('wizard');
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('importWizard.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('importWizard.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'wizard', label: t('importWizard.newImport'), children: <ImportWizard /> },
          { key: 'history', label: t('importWizard.history'), children: <JobHistory /> },
        ]}
      />
    </div>
  );
}
