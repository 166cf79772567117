// Data quality (/data-quality, /data-quality/:entity): pick an entity, read its report (score,
// completeness per field, invalid values with the records to fix, duplicate clusters, stale records)
// and run its cleansing rules over the stored records as a job — dry run, run, undo. Open to
// whoever may read the entity: the server counts only the records the caller may read.

import { Empty, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useEntities, useNavigation } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { localize } from '../i18n/i18n.ts';
import { CleansePanel } from './CleansePanel.tsx';
import { QualityReportCard } from './QualityReportCard.tsx';

export default function DataQualityPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const navigate = useNavigate();
  const entity = useParams()['entity'];
  const navigation = useNavigation().data;
  const entities = useEntities().data;
  const options = useMemo(
    () =>
      Object.entries(navigation?.access ?? {})
        .filter(([, actions]) => actions.includes('read'))
        .map(([name]) => ({ value: name, label: localize(entities?.get(name)?.label, language, name) }))
        .sort((a, b) => a.label.localeCompare(b.label, language)),
    [navigation, entities, language],
  );
  const definition = entity ? entities?.get(entity) : undefined;
  const canUpdate = entity !== undefined && (navigation?.access[entity]?.includes('update') ?? false);

  return (
    <div style={{ maxWidth: 1100 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {entity ? t('dataQuality.titleOf', { entity: localize(definition?.label, language, entity) }) : t('dataQuality.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('dataQuality.intro')}</Typography.Paragraph>
      <label style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 16 }}>
        <span>{t('dataQuality.entity')}</span>
        <Select
          style={{ minWidth: 240, maxWidth: '100%' }}
          showSearch={{ optionFilterProp: 'label' }}
          value={entity}
          placeholder={t('dataQuality.pickEntity')}
          options={options}
          onChange={(name: string) => void navigate(`/data-quality/${encodeURIComponent(name)}`)}
          aria-label={t('dataQuality.entity')}
          data-testid="quality-entity"
        />
      </label>
      {entity === undefined ? (
        <Empty description={t('dataQuality.pickEntityHint')} />
      ) : (
        <>
          <QualityReportCard key={`report/${entity}`} entity={entity} definition={definition} />
          <CleansePanel key={`cleanse/${entity}`} entity={entity} definition={definition} canUpdate={canUpdate} />
        </>
      )}
    </div>
  );
}
