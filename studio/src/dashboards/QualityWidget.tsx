// A data quality widget: the score over the records the viewer may read (and the widget's filters),
// the counts behind it, and the least complete fields as bars — each bar's text says its figure, so
// the chart needs no picture to be read.

import { Flex, Progress, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { WidgetData } from '../api/dashboards.ts';
import type { EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { formatNumber } from '../i18n/format.ts';

interface QualityFigures {
  score: number;
  records: number;
  completeness: Record<string, number>;
  invalidRecords: number;
  duplicates: { records: number };
  stale: { days: number; records: number };
}

/** The counts behind the score, smaller than the score itself. */
const compact = { content: { fontSize: 18 } };
/** How many of the least complete fields the widget lists. */
const fieldsShown = 3;

export function QualityWidget({ entityName, entity, data }: { entityName: string; entity: EntityDef | undefined; data: WidgetData }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const figures = data as unknown as QualityFigures;
  const number = (n: number) => formatNumber(n, language);
  // The server sends them least complete first.
  const weakest = Object.entries(figures.completeness).filter(([, share]) => share < 1).slice(0, fieldsShown);
  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={16}>
        <Statistic title={t('qualityWidget.score')} value={figures.score} suffix="/ 100" />
        <Statistic title={t('qualityWidget.records')} value={number(figures.records)} styles={compact} />
        <Statistic title={t('qualityWidget.invalid')} value={number(figures.invalidRecords)} styles={compact} />
        <Statistic title={t('qualityWidget.duplicates')} value={number(figures.duplicates.records)} styles={compact} />
        <Statistic title={t('qualityWidget.stale', { days: figures.stale.days })} value={number(figures.stale.records)} styles={compact} />
      </Flex>
      {weakest.length > 0 && (
        <div>
          <Typography.Text strong>{t('qualityWidget.leastComplete')}</Typography.Text>
          {weakest.map(([field, share]) => {
            const percent = Math.round(share * 100);
            const text = t('qualityWidget.complete', { field: label(entity?.fields[field]?.label, field), percent });
            return (
              <div key={field}>
                <Typography.Text>{text}</Typography.Text>
                <Progress percent={percent} showInfo={false} size="small" aria-label={text} />
              </div>
            );
          })}
        </div>
      )}
      <Link to={`/data-quality/${encodeURIComponent(entityName)}`}>{t('qualityWidget.open')}</Link>
    </Flex>
  );
}
