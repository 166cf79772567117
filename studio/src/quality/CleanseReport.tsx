// What a cleansing job changed (or would change): per field the records and the steps of its rule,
// examples before → after linking to the records, and the records the result breaks (left alone).

import { List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EntityDef } from '../api/meta.ts';
import type { CleanseJob } from '../api/quality.ts';
import { useLanguage } from '../app/use-language.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { fieldLabel, shownValue } from './field-label.ts';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';
import { hasHiddenWhitespace, VisibleWhitespace, WhitespaceLegend } from './VisibleWhitespace.tsx';

export function CleanseReport({ job, entity, definition }: { job: CleanseJob; entity: string; definition: EntityDef | undefined }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const rows = job.rules.flatMap((rule) => rule.examples.map((e) => ({ key: `${rule.field}/${e.id}`, field: rule.field, ...e })));
  // A trim's before and after would read alike: text values show the whitespace that differs.
  const shown = (value: unknown) => (typeof value === 'string' && value !== '' ? <VisibleWhitespace text={shownValue(value, '')} /> : shownValue(value, t('dataQuality.empty')));
  const marked = rows.some((r) => [r.before, r.after].some((v) => typeof v === 'string' && hasHiddenWhitespace(v)));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <List
        size="small"
        bordered
        data-testid="cleanse-rules"
        dataSource={job.rules}
        renderItem={(rule) => (
          <List.Item key={rule.field} data-testid={`cleanse-rule-${rule.field}`} data-changed={rule.changed}>
            <Space wrap size={[8, 4]}>
              <strong>{fieldLabel(definition, rule.field, language, t)}</strong>
              <span>{t('dataQuality.changedRecords', { count: rule.changed })}</span>
              {Object.entries(rule.steps).map(([step, n]) => (
                <ToneTag key={step}>{t('dataQuality.step', { step: t(`dataQuality.steps.${step}`, { defaultValue: step }), count: n })}</ToneTag>
              ))}
            </Space>
          </List.Item>
        )}
      />
      {rows.length > 0 && (
        <ResponsiveTable
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="cleanse-examples"
          dataSource={rows}
          columns={[
            { key: 'field', title: t('dataQuality.field'), render: (_, row) => fieldLabel(definition, row.field, language, t) },
            { key: 'before', title: t('dataQuality.before'), render: (_, row) => <Link to={`/e/${entity}/${row.id}`}>{shown(row.before)}</Link> },
            { key: 'after', title: t('dataQuality.after'), render: (_, row) => shown(row.after) },
          ]}
        />
      )}
      {marked && <WhitespaceLegend />}
      {job.refused.length > 0 && (
        <section data-testid="cleanse-refused">
          <Typography.Title level={4} style={{ fontSize: 14 }}>{job.dryRun ? t('dataQuality.wouldRefuse', { count: job.refused.length }) : t('dataQuality.refused', { count: job.refused.length })}</Typography.Title>
          <List
            size="small"
            dataSource={job.refused}
            renderItem={(r) => (
              <List.Item key={r.id}>
                <Link to={`/e/${entity}/${r.id}`}>{r.id}</Link>: {r.issues.map((i) => `${fieldLabel(definition, i.path.split('/')[1] ?? '', language, t)} ${i.message}`).join('; ')}
              </List.Item>
            )}
          />
        </section>
      )}
    </Space>
  );
}
