// The rejected rows of a job: line number, column, value and reason (in the UI language, whoever ran
// the job: the server keeps each reason in every language), one line per problem; and the rows as a
// CSV file to fix and import again. A problem no column fed (a required field the file lacks) names
// the field by its label in the UI language, its stored name after it, quieter. While the job runs
// its first rejected rows show as they come (a wrong mapping shows in them early, and the job can be
// cancelled); the file is downloadable once it has stopped.

import { DownloadOutlined } from '../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { useLanguage } from '../app/use-language.ts';
import { listRejectedRows, rejectedCsvUrl, type ImportJob } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ScrollRegion } from './ScrollRegion.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';
import { usePhoneWidth } from '../app/use-phone-width.ts';

/** Rejected rows asked for while a job runs: one request, asked again each time the count grows. */
const shownWhileRunning = 1000;

export function RejectedRows({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const { language, label } = useLanguage();
  const entities = useEntities();
  const phone = usePhoneWidth();
  const running = job.status === 'running';
  const rows = useQuery({
    queryKey: ['import', 'rejected', job.id, job.status, language, running ? Math.min(job.counts.rejected, shownWhileRunning) : null],
    queryFn: () => listRejectedRows(job.id, running ? shownWhileRunning : undefined),
    enabled: job.counts.rejected > 0,
    // The job's rows listed stay while more are asked for (they only grow), rather than a spinner each batch.
    placeholderData: (previous, query) => (query?.queryKey[2] === job.id ? previous : undefined),
  });
  if (job.counts.rejected === 0) return null;
  // The field's label, from the first entity the job imports into that has it.
  const fieldLabel = (field: string): string => {
    for (const target of job.mapping.targets ?? []) {
      const def = entities.data?.get(target.entity)?.fields[field];
      if (def) return label(def.label, field);
    }
    return field;
  };
  const problems = (rows.data ?? []).flatMap((r) => r.issues.map((issue, i) => ({ key: `${r.line}-${i}`, line: r.line, column: issue.column, field: issue.field, value: issue.value ?? '', reason: issue.reason })));
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.rejectedTitle', { count: job.counts.rejected })}</Typography.Title>
        {/* A link once there is a file; until then a button, disabled as a button is (a link without its address is no control at all). */}
        <Button icon={<DownloadOutlined />} {...(running ? { disabled: true } : { href: rejectedCsvUrl(job.id), download: `rejected-${job.id}.csv` })} data-testid="import-download-rejected">
          {t('importWizard.downloadRejected')}
        </Button>
      </Flex>
      <ScrollRegion label={t('importWizard.rejectedTitle', { count: job.counts.rejected })}>
        <ResponsiveTable
          size="small"
          loading={rows.isPending}
          rowKey="key"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="import-rejected"
          dataSource={problems}
          columns={[
            // On a phone the line heads its card, where no column heading names it: it says "Line 7" itself.
            { title: t('importWizard.row'), dataIndex: 'line', width: 64, ...(phone ? { render: (line: number) => <Trans i18nKey="importWizard.lineTitle" values={{ line }} components={{ n: <span /> }} /> } : {}) },
            { title: t('importWizard.column'), key: 'column', render: (_: unknown, p: (typeof problems)[number]) => {
              if (p.column !== undefined || p.field === undefined) return p.column ?? '';
              const shown = fieldLabel(p.field);
              return shown === p.field ? p.field : <>{shown} <Typography.Text type="secondary">{p.field}</Typography.Text></>;
            } },
            { title: t('importWizard.value'), dataIndex: 'value', render: (v: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text> },
            { title: t('importWizard.reason'), dataIndex: 'reason' },
          ]}
        />
      </ScrollRegion>
    </Flex>
  );
}
