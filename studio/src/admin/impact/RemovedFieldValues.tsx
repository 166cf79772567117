// For each field a metadata change removes: how many stored records hold a value for it, from the
// dry run's impact — shown before the admin confirms, wherever a dry run is shown.

import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordImpact } from '../../api/templates.ts';
import { useLanguage } from '../../app/use-language.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useEntityLabels } from './use-entity-labels.ts';

export function RemovedFieldValues({ impact }: { impact: readonly RecordImpact[] }) {
  const { t } = useTranslation();
  const labels = useEntityLabels();
  const { language } = useLanguage();
  const removed = impact.flatMap((i) => (i.removedFields ?? []).map((r) => ({ entity: i.entity, total: i.records, ...r })));
  if (removed.length === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      {removed.map((r) => (
        <Alert
          key={`${r.entity}/${r.field}`}
          data-testid={`removed-${r.entity}-${r.field}`}
          type={r.records > 0 ? 'warning' : 'success'}
          showIcon
          title={r.records > 0 ? t('impact.removedValues', { count: r.records, shown: formatNumber(r.records, language), records: formatNumber(r.total, language), entity: labels.entity(r.entity), field: labels.field(r.entity, r.field) }) : t('impact.removedNoValues', { entity: labels.entity(r.entity), field: labels.field(r.entity, r.field) })}
        />
      ))}
    </Space>
  );
}
