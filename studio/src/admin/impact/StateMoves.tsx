// For each workflow state a metadata change puts stored records in — records without a value start
// in a new workflow's initial state, records in a removed state move as its mapping says — how many,
// from the dry run's impact: shown before the admin confirms, wherever a dry run is shown.

import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordImpact } from '../../api/templates.ts';
import { useLanguage } from '../../app/use-language.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useEntityLabels } from './use-entity-labels.ts';

export function StateMoves({ impact }: { impact: readonly RecordImpact[] }) {
  const { t } = useTranslation();
  const labels = useEntityLabels();
  const { language } = useLanguage();
  const moves = impact.flatMap((i) => i.stateMoves ?? []);
  if (moves.length === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      {moves.map((m) => {
        const values = { count: m.records, shown: formatNumber(m.records, language), entity: labels.entity(m.entity), field: labels.field(m.entity, m.field), to: labels.option(m.entity, m.field, m.to) };
        return (
          <Alert
            key={`${m.workflow}/${m.from ?? ''}/${m.to}`}
            data-testid={`state-moves-${m.entity}-${m.from ?? ''}`}
            type="info"
            showIcon
            title={m.from === undefined ? t('impact.stateStarts', values) : t('impact.stateMoves', { ...values, from: labels.option(m.entity, m.field, m.from) })}
          />
        );
      })}
    </Space>
  );
}
