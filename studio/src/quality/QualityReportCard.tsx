// An entity's data quality report: the score, the counts behind it, completeness per field (a bar
// each), values the current metadata refuses (per field, with the records to open and fix), the
// duplicate clusters (reviewed on the duplicates page) and the records not touched for N days.

import { Card, Flex, Progress, Space, Statistic, Typography } from 'antd';
import { InputNumber } from '../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EntityDef } from '../api/meta.ts';
import { defaultStaleDays, useQualityReport, type QualityReport } from '../api/quality.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { fieldLabel, shownValue } from './field-label.ts';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

export function QualityReportCard({ entity, definition }: { entity: string; definition: EntityDef | undefined }) {
  const { t } = useTranslation();
  const [staleDays, setStaleDays] = useState(defaultStaleDays);
  const report = useQualityReport(entity, staleDays);
  return (
    <Card
      title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('dataQuality.report')}</Typography.Title>}
      style={{ marginBottom: 16 }}
      data-testid="quality-report"
    >
      {report.isPending ? (
        <PageLoading />
      ) : report.isError ? (
        <ErrorState error={report.error} retry={() => void report.refetch()} />
      ) : (
        <ReportBody entity={entity} definition={definition} report={report.data} staleDays={staleDays} onStaleDays={setStaleDays} />
      )}
    </Card>
  );
}

function ReportBody({ entity, definition, report, staleDays, onStaleDays }: { entity: string; definition: EntityDef | undefined; report: QualityReport; staleDays: number; onStaleDays: (days: number) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const label = (field: string) => fieldLabel(definition, field, language, t);
  // Fields in the order the entity lists them; any the report names beyond those after them.
  const order = [...Object.keys(definition?.fields ?? {})];
  const fields = [...order.filter((f) => f in report.completeness), ...Object.keys(report.completeness).filter((f) => !order.includes(f))];
  const invalidFields = Object.keys(report.invalid).filter((f) => (report.invalid[f] ?? 0) > 0);
  const percent = (share: number) => Math.round(share * 100);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {/* Top-aligned: the figures with a link or a control under them would otherwise sit higher than the others, their titles out of line. */}
      <Flex wrap gap={32} align="start">
        <div data-testid="quality-score" data-score={report.score}>
          <Progress type="dashboard" percent={report.score} size={96} format={(p) => `${p ?? 0}`} aria-label={t('dataQuality.score')} />
          <div style={{ textAlign: 'center' }}>{t('dataQuality.score')}</div>
        </div>
        <Statistic title={t('dataQuality.records')} value={report.records} data-testid="quality-records" />
        <Statistic title={t('dataQuality.invalidRecords')} value={report.invalidRecords} data-testid="quality-invalid-records" />
        <div>
          <Statistic title={t('dataQuality.duplicateClusters')} value={report.duplicates.clusters} data-testid="quality-duplicates" />
          <Link to={`/data-quality/${encodeURIComponent(entity)}/duplicates`} data-testid="quality-duplicates-link">{t('dataQuality.reviewDuplicates')}</Link>
        </div>
        <div>
          <Statistic title={t('dataQuality.staleRecords', { days: report.stale.days })} value={report.stale.records} data-testid="quality-stale" />
          <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            <span>{t('dataQuality.staleDays')}</span>
            <InputNumber
              min={1}
              max={36500}
              precision={0}
              value={staleDays}
              onChange={(v) => {
                if (typeof v === 'number' && v >= 1) onStaleDays(v);
              }}
              style={{ width: 96 }}
              data-testid="quality-stale-days"
            />
          </label>
        </div>
      </Flex>

      <section>
        <Typography.Title level={3} style={{ fontSize: 16 }}>{t('dataQuality.completeness')}</Typography.Title>
        <ResponsiveTable
          size="small"
          pagination={false}
          rowKey="field"
          data-testid="quality-completeness"
          dataSource={fields.map((field) => ({ field, share: report.completeness[field] ?? 0 }))}
          columns={[
            { key: 'field', title: t('dataQuality.field'), render: (_, row) => label(row.field), width: '35%' },
            {
              key: 'share',
              title: t('dataQuality.filled'),
              render: (_, row) => (
                <span data-testid={`completeness-${row.field}`} data-percent={percent(row.share)}>
                  <Progress percent={percent(row.share)} size="small" aria-label={t('dataQuality.filledOf', { field: label(row.field) })} />
                </span>
              ),
            },
          ]}
        />
      </section>

      <section>
        <Typography.Title level={3} style={{ fontSize: 16 }}>{t('dataQuality.invalid')}</Typography.Title>
        {invalidFields.length === 0 ? (
          <Typography.Paragraph data-testid="quality-no-invalid">{t('dataQuality.noInvalid')}</Typography.Paragraph>
        ) : (
          <ResponsiveTable
            size="small"
            pagination={false}
            rowKey="field"
            data-testid="quality-invalid"
            dataSource={invalidFields.map((field) => ({ field, count: report.invalid[field] ?? 0, examples: report.invalidExamples?.[field] ?? [] }))}
            columns={[
              { key: 'field', title: t('dataQuality.field'), render: (_, row) => label(row.field) },
              { key: 'count', title: t('dataQuality.invalidCount'), render: (_, row) => <span data-testid={`invalid-${row.field}`}>{row.count}</span> },
              {
                key: 'examples',
                title: t('dataQuality.examples'),
                render: (_, row) => (
                  <Space wrap size={[12, 4]}>
                    {row.examples.map((e) => (
                      <Link key={e.id} to={`/e/${encodeURIComponent(entity)}/${encodeURIComponent(e.id)}`} data-testid={`invalid-example-${e.id}`}>
                        {shownValue(e.value, t('dataQuality.empty'), { definition: definition?.fields[row.field], language })}
                      </Link>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </section>
    </Space>
  );
}
