// The recent import jobs (an administrator sees everyone's, a user their own): when, which file into
// which entity, how, the outcome and counts; rejected rows to download; undo.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Space, Typography } from 'antd';
import { DownloadOutlined, PlayCircleOutlined, StopOutlined } from '../app/icons.tsx';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cancelImportJob, importJobKey, importJobsKey, jobUnderWay, listImportJobs, rejectedCsvUrl, resumeImportJob, type ImportJob } from '../api/imports.ts';
import { ApiError } from '../api/client.ts';
import { useEntities } from '../api/meta.ts';
import { ErrorState } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { formatDateTime } from '../i18n/format.ts';
import { UndoButton } from './UndoButton.tsx';
import { UndoProgress } from './UndoProgress.tsx';
import { ToneTag } from '../admin/ToneTag.tsx';
import { useSubmitOnce } from '../app/use-submit-once.ts';
import { ScrollRegion } from './ScrollRegion.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

const statusTone = { running: 'blue', done: 'green', refused: 'gold', failed: 'red', cancelled: 'gold', undoing: 'blue', undone: undefined } as const;
/** A dry run writes nothing; an all-or-nothing job writes nothing until its check has passed. */
const wroteNothing = (job: ImportJob) => job.mode === 'dryRun' || (job.mode === 'allOrNothing' && (job.phase === 'check' || job.status === 'refused'));
/** A finished dry run is no success to colour green: it only checked. */
const toneOf = (job: ImportJob) => (job.mode === 'dryRun' && job.status === 'done' ? undefined : statusTone[job.status]);

export function JobHistory() {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const entities = useEntities();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const resuming = useMutation({
    mutationFn: (job: ImportJob) => resumeImportJob(job.id),
    onSuccess: (job) => {
      message.success(t('importWizard.resumed', { file: job.file.name, line: job.checkpoint }));
      void queryClient.invalidateQueries({ queryKey: importJobsKey });
      void queryClient.invalidateQueries({ queryKey: importJobKey(job.id) });
    },
    onError: (error) => {
      message.error(error instanceof ApiError ? error.message : t('app.error'));
      void queryClient.invalidateQueries({ queryKey: importJobsKey });
    },
  });
  const cancelling = useMutation({
    mutationFn: (job: ImportJob) => cancelImportJob(job.id),
    onSuccess: (job) => {
      message.success(t(job.mode === 'dryRun' ? 'importWizard.dryRunCancelled' : 'importWizard.cancelled', { file: job.file.name, rows: job.counts.rows }));
      void queryClient.invalidateQueries({ queryKey: importJobsKey });
      void queryClient.invalidateQueries({ queryKey: importJobKey(job.id) });
    },
    onError: (error) => {
      message.error(error instanceof ApiError ? error.message : t('app.error'));
      void queryClient.invalidateQueries({ queryKey: importJobsKey });
    },
  });
  // A double click sent two: the second resume or cancel met a job already stopped and said so in red.
  const resume = useSubmitOnce(resuming);
  const cancel = useSubmitOnce(cancelling);
  const jobs = useQuery({ queryKey: importJobsKey, queryFn: () => listImportJobs(50), refetchInterval: (q) => (q.state.data?.some(jobUnderWay) ? 1000 : false) });
  // A job's Undo button goes once its undo starts: the focus goes to the job's status, which shows the
  // undo's progress and then says it is undone (it fell to the page's body, and Tab started over at the top).
  const statuses = useRef(new Map<string, HTMLElement>());
  const [undoneHere, setUndoneHere] = useState<string>();
  const undoneStatus = undoneHere === undefined ? undefined : jobs.data?.find((j) => j.id === undoneHere)?.status;
  useEffect(() => {
    if (undoneHere === undefined || (undoneStatus !== 'undone' && undoneStatus !== 'undoing')) return;
    statuses.current.get(undoneHere)?.focus();
    if (undoneStatus === 'undone') setUndoneHere(undefined);
  }, [undoneHere, undoneStatus]);
  if (jobs.isError) return <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />;
  // What happened: "7 created · 1 rejected"; or, when nothing was written (a dry run, an all-or-nothing
  // job still checking or refused), what would have: "Dry run · would create 7, reject 1".
  const countsLine = (job: ImportJob) => {
    const kinds = (['created', 'updated', 'unchanged', 'rejected'] as const).filter((k) => job.counts[k] > 0);
    if (!wroteNothing(job)) return kinds.length > 0 ? kinds.map((k) => t(`importWizard.countsPart_${k}`, { count: job.counts[k] })).join(' · ') : t('importWizard.countsNone');
    const would = kinds.length > 0 ? t('importWizard.wouldCounts', { parts: kinds.map((k) => t(`importWizard.wouldPart_${k}`, { count: job.counts[k] })).join(t('importWizard.wouldSeparator')) }) : t('importWizard.countsNone');
    return job.mode === 'dryRun' ? t('importWizard.dryRunCounts', { counts: would }) : would;
  };
  const entityOf = (job: ImportJob) => job.mapping.targets.map((target) => label(entities.data?.get(target.entity)?.label, target.entity)).join(', ');

  return (
    <ScrollRegion label={t('importWizard.history')}>
      <ResponsiveTable
        size="small"
        rowKey="id"
        loading={jobs.isPending}
        dataSource={jobs.data ?? []}
        data-testid="import-jobs"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('importWizard.startedAt'), dataIndex: 'startedAt', responsive: ['md'], render: (at: string) => formatDateTime(at, language) },
          { title: t('importWizard.file'), key: 'file', render: (_, job) => job.file.name },
          { title: t('importWizard.entity'), key: 'entity', responsive: ['md'], render: (_, job) => entityOf(job) },
          { title: t('importWizard.mode'), dataIndex: 'mode', responsive: ['md'], render: (mode: string) => t(`importWizard.mode_${mode}`) },
          {
            title: t('importWizard.status'),
            dataIndex: 'status',
            render: (status: ImportJob['status'], job) => (
              <Flex
                vertical
                gap={2}
                align="flex-start"
                ref={(element: HTMLElement | null) => {
                  if (element) statuses.current.set(job.id, element);
                  else statuses.current.delete(job.id);
                }}
                tabIndex={-1}
                style={{ outline: 'none' }}
                data-testid={`import-job-status-${job.id}`}
              >
                <ToneTag tone={toneOf(job)}>{t(`importWizard.status_${status}`)}{job.history ? ` · ${t('importWizard.historyShort')}` : ''}</ToneTag>
                {status === 'running' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`import-job-state-${job.id}`}>
                    {t(job.mode === 'allOrNothing' && job.phase === 'check' ? 'importWizard.stateChecking' : 'importWizard.stateCommitted', { line: job.checkpoint, rows: job.counts.rows })}
                  </Typography.Text>
                )}
                {status === 'failed' && job.error && <Typography.Text type="danger" style={{ fontSize: 12 }}>{job.error}</Typography.Text>}
                {status === 'cancelled' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`import-job-state-${job.id}`}>
                    {t('importWizard.stateCancelled', { line: job.checkpoint })}
                  </Typography.Text>
                )}
                <UndoProgress job={job} compact />
              </Flex>
            ),
          },
          {
            title: t('importWizard.countsShort'),
            key: 'counts',
            render: (_, job) => <span data-testid={`import-job-counts-${job.id}`}>{countsLine(job)}</span>,
          },
          {
            title: t('importWizard.actions'),
            key: 'actions',
            render: (_, job) => (
              <Space wrap>
                {job.status === 'running' && (
                  <Button
                    size="small"
                    icon={<PlayCircleOutlined />}
                    loading={resuming.isPending && resuming.variables?.id === job.id}
                    onClick={() => resume(job)}
                    title={t('importWizard.resumeHelp', { line: job.checkpoint })}
                    aria-label={t('importWizard.resumeOf', { file: job.file.name })}
                    data-testid={`import-resume-${job.id}`}
                  >
                    {t('importWizard.resume')}
                  </Button>
                )}
                {job.status === 'running' && (
                  <Button
                    size="small"
                    danger
                    icon={<StopOutlined />}
                    loading={cancelling.isPending && cancelling.variables?.id === job.id}
                    onClick={() => cancel(job)}
                    title={t(job.mode === 'dryRun' ? 'importWizard.cancelDryRunHelp' : 'importWizard.cancelHelp')}
                    aria-label={t(job.mode === 'dryRun' ? 'importWizard.cancelDryRunOf' : 'importWizard.cancelOf', { file: job.file.name })}
                    data-testid={`import-cancel-${job.id}`}
                  >
                    {t('importWizard.cancel')}
                  </Button>
                )}
                {job.counts.rejected > 0 && job.status !== 'running' && (
                  <Button size="small" icon={<DownloadOutlined />} href={rejectedCsvUrl(job.id)} download aria-label={t('importWizard.downloadRejectedOf', { file: job.file.name })}>
                    {t('importWizard.rejectedShort')}
                  </Button>
                )}
                <UndoButton job={job} size="small" onUndone={() => setUndoneHere(job.id)} />
              </Space>
            ),
          },
        ]}
      />
    </ScrollRegion>
  );
}
