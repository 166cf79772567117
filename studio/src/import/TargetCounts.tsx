// A job of several targets (accounts and their contacts from one file), counted per entity in the
// mapping's order: the totals alone said "12 created" for 4 clients and 8 contacts. A target whose
// `when` left rows out says how many (its other counts do not add up to the rows without them).

import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportJob } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';
import { useLanguage } from '../app/use-language.ts';

type Row = NonNullable<ImportJob['targets']>[number] & { index: number };

export function TargetCounts({ job, dryRun }: { job: ImportJob; dryRun: boolean }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entities = useEntities();
  const rows: Row[] = (job.targets ?? []).map((target, index) => ({ ...target, index }));
  if (rows.length < 2) return null;
  const suffix = dryRun ? 'Would' : '';
  const name = (entity: string) => label(entities.data?.get(entity)?.label, entity);
  const count = (key: 'created' | 'updated' | 'unchanged') => ({ title: t(`importWizard.count_${key}${suffix}`), dataIndex: key, key });
  return (
    <div>
      <Typography.Title level={3} style={{ fontSize: 14 }} id="import-target-counts-title">{t('importWizard.targetCountsTitle')}</Typography.Title>
      <ResponsiveTable<Row>
        size="small"
        pagination={false}
        rowKey="index"
        aria-labelledby="import-target-counts-title"
        data-testid="import-target-counts"
        dataSource={rows}
        columns={[
          // Once imported, each entity's list is a click away (the step's own link opens only the first's).
          { title: t('importWizard.targetEntity'), key: 'entity', render: (_, r) => (dryRun ? name(r.entity) : <Link to={`/e/${r.entity}`}>{name(r.entity)}</Link>) },
          count('created'),
          count('updated'),
          count('unchanged'),
          ...(rows.some((r) => r.skipped > 0) ? [{ title: t('importWizard.targetSkipped'), dataIndex: 'skipped', key: 'skipped' }] : []),
        ]}
      />
    </div>
  );
}
