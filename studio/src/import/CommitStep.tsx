// Step 5: the import, followed until it ends (its progress asked every half second) — or cancelled
// here, as the recent imports cancel it — then its result, a link to the entity's list and the undo.

import { Alert, Button, Flex, Result, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useImportJob, type ImportJob } from '../api/imports.ts';
import { UndoProgress, UndoRefusals } from './UndoProgress.tsx';
import type { EntityDef } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { CancelJobButton, useCancelJob } from './CancelJob.tsx';
import { JobCounts, JobProgress } from './JobCounts.tsx';
import { RejectedRows } from './RejectedRows.tsx';
import { UndoButton } from './UndoButton.tsx';

export function CommitStep(props: { jobId: string; dryRunId?: string; entity: EntityDef; onRestart: () => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const job = useImportJob(props.jobId);
  const dryRun = useImportJob(props.dryRunId);
  const { cancelling, stoppedRef } = useCancelJob(props.jobId, job.data?.status);
  // The Undo button goes once the import is undone: the focus moves to what the undo did, not to the page's body.
  const [undoneHere, setUndoneHere] = useState(false);
  const undoneNotice = useRef<HTMLDivElement>(null);
  const undone = job.data?.status === 'undone';
  const undoing = job.data?.status === 'undoing';
  useEffect(() => {
    // While it is undone, the focus waits on the result (its progress); then on what the undo did.
    if (undoneHere && undoing) stoppedRef.current?.focus();
    if (undoneHere && undone) undoneNotice.current?.focus();
  }, [undoneHere, undone, undoing, stoppedRef]);
  if (job.isPending) return <PageLoading />;
  if (job.isError) return <ApiErrorAlert error={job.error} />;
  const data = job.data;
  const entityLabel = label(props.entity.pluralLabel ?? props.entity.label, props.entity.name);
  const status = { running: 'info', done: 'success', refused: 'warning', failed: 'error', cancelled: 'warning', undoing: 'info', undone: 'info' } as const;

  return (
    <Flex vertical gap={16} data-testid="import-result" data-status={data.status}>
      {/* One live region for the progress and the result: a screen reader hears the import end. */}
      <div role="status" aria-live="polite" data-testid="import-result-status">
      {data.status === 'running' ? (
        <JobProgress job={data} live={false} {...(dryRun.data ? { total: dryRun.data.counts.rows } : {})} />
      ) : (
        <div ref={stoppedRef} tabIndex={-1} style={{ outline: 'none' }}>
        <Result
          style={{ padding: 16 }}
          status={status[data.status]}
          title={t(`importWizard.result_${data.status}`, { count: data.counts.created + data.counts.updated })}
          subTitle={data.status === 'cancelled' ? <span data-testid="import-cancelled-at">{cancelledAt(data, t)}</span> : data.status === 'undoing' || (data.undo?.error && data.status !== 'undone') ? <UndoProgress job={data} /> : data.error}
          extra={
            <Space wrap>
              <Link to={`/e/${props.entity.name}`} data-testid="import-open-list">{t('importWizard.openList', { entity: entityLabel })}</Link>
              <UndoButton job={data} onUndone={() => setUndoneHere(true)} />
              <Button onClick={props.onRestart}>{t('importWizard.another')}</Button>
            </Space>
          }
        />
        </div>
      )}
      </div>
      <CancelJobButton job={data} cancelling={cancelling} dryRun={false} />
      {data.history && <Alert type="info" showIcon data-testid="import-as-history" title={t('importWizard.importedAsHistory')} />}
      <JobCounts job={data} dryRun={false} />
      {data.status === 'undone' && data.undo && (
        <div ref={undoneNotice} tabIndex={-1} style={{ outline: 'none' }}>
          <Alert type="info" showIcon data-testid="import-undone" title={t('importWizard.undone', { deleted: data.undo.deleted, restored: data.undo.restored, changedSince: data.undo.changedSince })} description={<UndoRefusals job={data} />} />
        </div>
      )}
      <RejectedRows job={data} />
    </Flex>
  );
}

/** Where a cancelled job stopped, by the last line it committed (each batch commits whole). */
function cancelledAt(job: ImportJob, t: (key: string, values: Record<string, unknown>) => string): string {
  return job.checkpoint > 0 ? t('importWizard.cancelledAfterLine', { line: job.checkpoint, file: job.file.name }) : t('importWizard.cancelledBeforeAny', { file: job.file.name });
}
