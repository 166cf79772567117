// Step 4: the dry run — the same work as the import, rolled back — with what it would create,
// update and leave, every rejected row with its reason; then the import itself, of every row or
// nothing, or of the valid rows only. A dry run of a large file takes as long as its import: it can
// be cancelled here once its first rejected rows show the mapping is wrong (they stay listed), and
// only a finished one leads to the import.

import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listRejectedRows, startImportJob, useImportJob, type ImportJob, type ImportMode, type Upload } from '../api/imports.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { PageLoading } from '../app/PageStates.tsx';
import { useSubmitOnce } from '../app/use-submit-once.ts';
import { CancelJobButton, useCancelJob } from './CancelJob.tsx';
import { JobCounts, JobProgress } from './JobCounts.tsx';
import { editedTargetIndex, toMapping, type Draft } from './mapping-model.ts';
import { RejectedRows } from './RejectedRows.tsx';
import { SkippedRows } from './SkippedRows.tsx';

export function DryRunStep(props: { jobId: string; draft: Draft; upload: Upload; history: boolean; onBack: () => void; onCommitted: (jobId: string) => void; onTransformErrors: (errors: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const job = useImportJob(props.jobId);
  const { cancelling, stoppedRef } = useCancelJob(props.jobId, job.data?.status);
  const [mode, setMode] = useState<Exclude<ImportMode, 'dryRun'>>('validOnly');
  const committing = useMutation({
    mutationFn: () => startImportJob({ upload: props.upload.upload, mapping: toMapping(props.draft), mode, ...(props.history ? { history: true } : {}) }),
    onSuccess: (started) => props.onCommitted(started.id),
  });
  const commit = useSubmitOnce(committing);
  // The same rows RejectedRows lists (one request): those a transform of the edited target failed
  // on, by field (with several targets an issue names its target: another's `name` is not this one's).
  const edited = editedTargetIndex(props.draft);
  const rejectedRows = useQuery({ queryKey: ['import', 'rejected', props.jobId, job.data?.status], queryFn: () => listRejectedRows(props.jobId), enabled: job.data !== undefined && job.data.status !== 'running' && job.data.counts.rejected > 0 });
  const transformFailures: Record<string, { reason: string; rows: number }> = {};
  for (const row of rejectedRows.data ?? []) {
    for (const issue of row.issues) {
      if (!issue.field || issue.column || (issue.target !== undefined && issue.target !== edited) || !props.draft.transforms[issue.field]?.trim()) continue;
      const seen = (transformFailures[issue.field] ??= { reason: issue.reason, rows: 0 });
      seen.rows++;
    }
  }
  if (job.isPending) return <PageLoading />;
  if (job.isError) return <ApiErrorAlert error={job.error} />;
  const data = job.data;
  const rejected = data.counts.rejected;
  // Valid rows only, and none is valid: the import would write nothing and still report success.
  const nothingValid = mode === 'validOnly' && data.counts.rows - rejected === 0;

  return (
    <Flex vertical gap={16} data-testid="import-dry-run">
      {/* One live region for the progress and the end: a screen reader hears the dry run finish (the
          progress's own region went with it, and the line that replaced it was read by no one). */}
      <div role="status" aria-live="polite" data-testid="import-dry-run-status">
        {data.status === 'running' ? (
          <JobProgress job={data} live={false} />
        ) : data.status === 'cancelled' ? (
          <div ref={stoppedRef} tabIndex={-1} style={{ outline: 'none' }} data-testid="import-dry-run-cancelled">
            <Typography.Paragraph strong style={{ margin: 0 }}>{dryRunStoppedAt(data, t)}</Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('importWizard.dryRunCancelledNext')}</Typography.Paragraph>
            {/* Here as well as below the rejected rows, which on a phone fill several screens. */}
            <Button style={{ marginTop: 8 }} onClick={props.onBack}>{t('importWizard.backToMapping')}</Button>
          </div>
        ) : (
          <Typography.Paragraph style={{ margin: 0 }}>{t('importWizard.dryRunDone', { count: data.counts.rows })}</Typography.Paragraph>
        )}
      </div>
      <CancelJobButton job={data} cancelling={cancelling} dryRun />
      <JobCounts job={data} dryRun />
      {data.notices.map((n) => <Alert key={n} type="warning" showIcon title={n} />)}
      {data.status === 'failed' && <Alert type="error" showIcon role="alert" title={data.error} />}
      {Object.entries(transformFailures).map(([field, failure]) => (
        <Alert
          key={field}
          type="error"
          showIcon
          data-testid={`import-transform-failed-${field}`}
          title={t('importWizard.transformFailed', { field: Object.entries(props.draft.fieldOf).find(([, f]) => f === field)?.[0] ?? field, count: failure.rows })}
          description={failure.reason}
          action={<Button size="small" onClick={() => props.onTransformErrors(Object.fromEntries(Object.entries(transformFailures).map(([f, x]) => [f, x.reason])))}>{t('importWizard.fixTransform')}</Button>}
        />
      ))}
      <SkippedRows rows={data.skippedRows} testId="import-skipped-rows" />
      <RejectedRows job={data} />
      {data.status === 'done' && (
        <Flex vertical gap={8}>
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.commitTitle')}</Typography.Title>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} aria-label={t('importWizard.commitTitle')}>
            <Space orientation="vertical">
              <Radio value="validOnly" data-testid="import-mode-valid">{t('importWizard.modeValidOnly', { count: data.counts.rows - rejected })}</Radio>
              <Radio value="allOrNothing" data-testid="import-mode-all">{t('importWizard.modeAllOrNothing')}</Radio>
            </Space>
          </Radio.Group>
          {mode === 'allOrNothing' && rejected > 0 && <Alert type="warning" showIcon title={t('importWizard.allOrNothingRefused', { count: rejected })} />}
          {nothingValid && <Alert type="warning" showIcon data-testid="import-nothing-valid" title={t('importWizard.nothingValid')} />}
        </Flex>
      )}
      {committing.isError && <ApiErrorAlert error={committing.error} />}
      <Space>
        <Button onClick={props.onBack}>{t('importWizard.backToMapping')}</Button>
        <Button type="primary" disabled={data.status !== 'done' || nothingValid} loading={committing.isPending} onClick={() => commit()} data-testid="import-commit">
          {t('importWizard.import')}
        </Button>
      </Space>
    </Flex>
  );
}

/** Where a cancelled dry run stopped: the last line of the last batch it checked. */
function dryRunStoppedAt(job: ImportJob, t: (key: string, values: Record<string, unknown>) => string): string {
  return job.checkpoint > 0 ? t('importWizard.dryRunCancelledAfterLine', { line: job.checkpoint, file: job.file.name, count: job.counts.rows }) : t('importWizard.dryRunCancelledBeforeAny', { file: job.file.name });
}
