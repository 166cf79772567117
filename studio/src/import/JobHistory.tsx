// The recent import jobs (an administrator sees everyone's, a user their own): when, which file into
// which entity, how, the outcome and counts; rejected rows to download; undo.

import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { importJobsKey, listImportJobs, rejectedCsvUrl, type ImportJob } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ErrorState } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { UndoButton } from './UndoButton.tsx';

const statusColor = { running: 'processing', done: 'success', refused: 'warning', failed: 'error', undone: 'default' } as const;

export function JobHistory() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entities = useEntities();
  const jobs = useQuery({ queryKey: importJobsKey, queryFn: () => listImportJobs(50), refetchInterval: (q) => (q.state.data?.some((j) => j.status === 'running') ? 1000 : false) });
  if (jobs.isError) return <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />;
  const entityOf = (job: ImportJob) => job.mapping.targets.map((target) => label(entities.data?.get(target.entity)?.label, target.entity)).join(', ');

  return (
    <Table
      size="small"
      rowKey="id"
      loading={jobs.isPending}
      dataSource={jobs.data ?? []}
      scroll={{ x: 'max-content' }}
      data-testid="import-jobs"
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('importWizard.startedAt'), dataIndex: 'startedAt', render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
        { title: t('importWizard.file'), key: 'file', render: (_, job) => job.file.name },
        { title: t('importWizard.entity'), key: 'entity', render: (_, job) => entityOf(job) },
        { title: t('importWizard.mode'), dataIndex: 'mode', render: (mode: string) => t(`importWizard.mode_${mode}`) },
        { title: t('importWizard.status'), dataIndex: 'status', render: (status: ImportJob['status']) => <Tag color={statusColor[status]}>{t(`importWizard.status_${status}`)}</Tag> },
        {
          title: t('importWizard.countsShort'),
          key: 'counts',
          render: (_, job) => t('importWizard.countsLine', { created: job.counts.created, updated: job.counts.updated, unchanged: job.counts.unchanged, rejected: job.counts.rejected }),
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
  );
}
