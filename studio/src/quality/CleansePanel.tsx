// Cleansing an entity's stored records with its cleansing rules (metadata `cleansing`), as the API
// offers it: a dry run first (per field the records it would change, with before → after examples,
// and the records the result would break), then the run itself with its progress, then its undo —
// whose own dry run lists the records changed since, which stay as they are.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Space, Typography } from 'antd';
import { useEffect, useRef, useState, type Ref } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { EntityDef } from '../api/meta.ts';
import { cleanseJobKey, qualityReportKey, startCleanse, useCleanseJob, type CleanseJob } from '../api/quality.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useSession } from '../app/session.tsx';
import { CleanseReport } from './CleanseReport.tsx';
import { CleanseUndo } from './CleanseUndo.tsx';

export function CleansePanel({ entity, definition, canUpdate }: { entity: string; definition: EntityDef | undefined; canUpdate: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // The job shown is kept in the address (?job=): a reload or a return through the browser's
  // history brings its report and its undo back.
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? undefined;
  const setJobId = (id: string) => setParams((p) => new URLSearchParams({ ...Object.fromEntries(p), job: id }));
  const job = useCleanseJob(jobId);
  const start = useMutation({
    mutationFn: (dryRun: boolean) => startCleanse(entity, dryRun),
    onSuccess: (started, dryRun) => {
      // The job as the start answered it is shown at once, its counts' live region with it: a
      // screen reader hears the counts change and the job end (the region came with the end, and
      // nothing was read).
      client.setQueryData(cleanseJobKey(started.id), started);
      setJobId(started.id);
      if (!dryRun) setRunStarted(started.id);
    },
  });
  // Run goes once the run starts (it is offered after a dry run only): the focus goes to the run's
  // heading, above its counts, rather than to the page's body.
  const [runStarted, setRunStarted] = useState<string>();
  const jobHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (runStarted === undefined || job.data?.id !== runStarted) return;
    jobHeading.current?.focus();
    setRunStarted(undefined);
  }, [runStarted, job.data?.id]);
  // Only administrators read an entity's rules (access/narrow-metadata.ts): anyone else who may
  // update records is offered the dry run, and the server says when there are no rules.
  const admin = Boolean(useSession().me?.admin);
  const noRules = admin && definition !== undefined && Object.keys((definition as { cleansing?: Record<string, unknown> }).cleansing ?? {}).length === 0 && !hasKeyText(definition);

  // A run that wrote records changes the report's numbers.
  const finished = job.data && job.data.status !== 'running' && !job.data.dryRun ? `${job.data.id}/${job.data.status}` : undefined;
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: qualityReportKey(entity) });
  }, [finished, client, entity]);

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('dataQuality.cleansing')}</Typography.Title>} data-testid="quality-cleansing">
      {!canUpdate ? (
        <Typography.Paragraph data-testid="cleanse-not-allowed">{t('dataQuality.cannotCleanse')}</Typography.Paragraph>
      ) : noRules ? (
        <Typography.Paragraph data-testid="cleanse-no-rules">{t('dataQuality.noRules')}</Typography.Paragraph>
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('dataQuality.cleansingIntro')}</Typography.Paragraph>
          <Space wrap>
            <Button onClick={() => start.mutate(true)} loading={(start.isPending && start.variables) || (job.data?.status === 'running' && job.data.dryRun)} disabled={job.data?.status === 'running' && !job.data.dryRun} data-testid="cleanse-dry-run">
              {t('dataQuality.dryRun')}
            </Button>
            {job.data?.dryRun && job.data.status === 'done' && job.data.counts.changed > 0 && (
              <Button type="primary" onClick={() => start.mutate(false)} loading={start.isPending && !start.variables} data-testid="cleanse-run">
                {t('dataQuality.run')}
              </Button>
            )}
          </Space>
          {start.isError && <ApiErrorAlert error={start.error} />}
          {jobId !== undefined && (job.isPending ? <PageLoading /> : job.isError ? <ErrorState error={job.error} retry={() => void job.refetch()} /> : <JobView job={job.data} entity={entity} definition={definition} headingRef={jobHeading} />)}
        </Space>
      )}
    </Card>
  );
}

function JobView({ job, entity, definition, headingRef }: { job: CleanseJob; entity: string; definition: EntityDef | undefined; headingRef: Ref<HTMLHeadingElement> }) {
  const { t } = useTranslation();
  const { counts } = job;
  // The Undo button goes once the run is undone: the focus goes to what the undo did (it fell to the
  // page's body, the undo's outcome unheard).
  const [undoneHere, setUndoneHere] = useState(false);
  const undoneNotice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (undoneHere && job.status === 'undone') undoneNotice.current?.focus();
  }, [undoneHere, job.status]);
  return (
    <div data-testid="cleanse-job" data-status={job.status} data-dry-run={String(job.dryRun)}>
      <Typography.Title level={3} ref={headingRef} tabIndex={-1} style={{ fontSize: 16, outline: 'none' }}>{job.dryRun ? t('dataQuality.dryRunResult') : t('dataQuality.runResult')}</Typography.Title>
      {job.status === 'running' && (
        <Progress percent={job.total === 0 ? 0 : Math.floor((counts.records / job.total) * 100)} aria-label={t('dataQuality.progress')} />
      )}
      {job.status === 'failed' && <Alert type="error" showIcon title={t('dataQuality.failed', { error: job.error ?? '' })} />}
      <Typography.Paragraph role="status" aria-live="polite" data-testid="cleanse-counts">
        {job.dryRun
          ? t('dataQuality.dryRunCounts', { records: counts.records, total: job.total, changed: counts.changed, refused: counts.refused })
          : t('dataQuality.runCounts', { records: counts.records, total: job.total, written: counts.written, refused: counts.refused })}
      </Typography.Paragraph>
      {(job.outOfScope ?? 0) > 0 && (
        <Typography.Paragraph type="secondary" data-testid="cleanse-out-of-scope">
          {t('dataQuality.outOfScope', { count: job.outOfScope })}
        </Typography.Paragraph>
      )}
      {job.status === 'undone' && job.undo && (
        <div ref={undoneNotice} tabIndex={-1} style={{ outline: 'none' }}>
          <Alert type="info" showIcon data-testid="cleanse-undone" title={t('dataQuality.undone', { restored: job.undo.restored, changedSince: job.undo.changedSince })} />
        </div>
      )}
      {job.status !== 'running' && <CleanseReport job={job} entity={entity} definition={definition} />}
      {!job.dryRun && job.status === 'done' && counts.written > 0 && <CleanseUndo job={job} entity={entity} onUndone={() => setUndoneHere(true)} />}
    </div>
  );
}

/**
 * Whether the entity has a key text field (unique itself, or in a unique index): its values are
 * trimmed on every write, and a job trims those stored before, with or without a cleansing rule.
 */
function hasKeyText(definition: EntityDef): boolean {
  const { fields, indexes } = definition as EntityDef & { fields: Record<string, { type: string; unique?: boolean }>; indexes?: Record<string, { fields: string[]; unique?: boolean }> };
  const keys = new Set(Object.entries(fields).filter(([, field]) => field.unique).map(([name]) => name));
  for (const index of Object.values(indexes ?? {})) if (index.unique) for (const key of index.fields) keys.add(key.replace(/^-/, '').split('.')[0]!);
  return [...keys].some((name) => fields[name]?.type === 'text');
}
