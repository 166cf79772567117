// The recent import jobs (an administrator sees everyone's, a user their own): when, which file into
// which entity, how, the outcome and counts; rejected rows to download; undo.

import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { importJobsKey, listImportJobs, rejectedCsvUrl, type ImportJob } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ErrorState } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { UndoButton } from './UndoButton.tsx';
import { ToneTag } from '../admin/ToneTag.tsx';
import { ScrollRegion } from './ScrollRegion.tsx';

const statusTone = { running: 'blue', done: 'green', refused: 'gold', failed: 'red', undone: undefined } as const;

export function JobHistory() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entities = useEntities();
  const jobs = useQuery({ queryKey: importJobsKey, queryFn: () => listImportJobs(50), refetchInterval: (q) => (q.state.data?.some((j) => j.status === 'running') ? 1000 : false) });
  if (jobs.isError) return <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />;
  // Only what happened: "7 created · 1 rejected".
  const countsLine = (job: ImportJob) => {
    const parts = (['created', 'updated', 'unchanged', 'rejected'] as const).filter((k) => job.counts[k] > 0).map((k) => t(`importWizard.countsPart_${k}`, { count: job.counts[k] }));
    return parts.length > 0 ? parts.join(' · ') : t('importWizard.countsNone');
  };
  const entityOf = (job: ImportJob) => job.mapping.targets.map((target) => label(entities.data?.get(target.entity)?.label, target.entity)).join(', ');

  return (
    <ScrollRegion label={t('importWizard.history')}>
      <Table
        size="small"
        rowKey="id"
        loading={jobs.isPending}
        dataSource={jobs.data ?? []}
        data-testid="import-jobs"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('importWizard.startedAt'), dataIndex: 'startedAt', render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
          { title: t('importWizard.file'), key: 'file', render: (_, job) => job.file.name },
          { title: t('importWizard.entity'), key: 'entity', render: (_, job) => entityOf(job) },
          { title: t('importWizard.mode'), dataIndex: 'mode', render: (mode: string) => t(`importWizard.mode_${mode}`) },
          { title: t('importWizard.status'), dataIndex: 'status', render: (status: ImportJob['status']) => <ToneTag tone={statusTone[status]}>{t(`importWizard.status_${status}`)}</ToneTag> },
          {
            title: t('importWizard.countsShort'),
            key: 'counts',
            render: (_, job) => countsLine(job),
          },
          {
            title: t('importWizard.actions'),
            key: 'actions',
            render: (_, job) => (
              <Space>
                {job.counts.rejected > 0 && job.status !== 'running' && (
                  <Button size="small" icon={<DownloadOutlined />} href={rejectedCsvUrl(job.id)} download aria-label={t('importWizard.downloadRejectedOf', { file: job.file.name })}>
                    {t('importWizard.rejectedShort')}
                  </Button>
                )}
                <UndoButton job={job} size="small" />
              </Space>
            ),
          },
        ]}
      />
    </ScrollRegion>
  );
}
