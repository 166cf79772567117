// Cancel for the job a wizard step follows (the dry run, the import), as the recent imports cancel
// it: no confirm, for what committed stays (an import's, undoable) or nothing was written (a dry run).

import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { Button, Flex, Typography } from 'antd';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cancelImportJob, importJobKey, importJobsKey, type ImportJob } from '../api/imports.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { StopOutlined } from '../app/icons.tsx';
import { useSubmitOnce } from '../app/use-submit-once.ts';

export type Cancelling = UseMutationResult<ImportJob, Error, void>;

/**
 * The cancel of job `jobId` and where the focus goes once it has stopped: the Cancel button goes
 * with the running state, so the focus moves to the element given `stoppedRef` (what the cancel did),
 * not to the page's body.
 */
export function useCancelJob(jobId: string, status: ImportJob['status'] | undefined) {
  const client = useQueryClient();
  // The answer comes once the job has stopped (after the batch it was on): it is the job's state.
  const cancelling: Cancelling = useMutation({
    mutationFn: () => cancelImportJob(jobId),
    onSuccess: (stopped) => {
      client.setQueryData(importJobKey(stopped.id), stopped);
      void client.invalidateQueries({ queryKey: importJobsKey });
    },
  });
  const stoppedRef = useRef<HTMLDivElement>(null);
  const stopped = cancelling.isSuccess && status === 'cancelled';
  useEffect(() => {
    if (stopped) stoppedRef.current?.focus();
  }, [stopped]);
  return { cancelling, stoppedRef };
}

/** The Cancel button of a running job, named after its file, with what cancelling does beside it. */
export function CancelJobButton(props: { job: ImportJob; cancelling: Cancelling; dryRun: boolean }) {
  const { t } = useTranslation();
  const help = useId();
  const { job, cancelling } = props;
  const cancel = useSubmitOnce(cancelling);
  return (
    <>
      {job.status === 'running' && (
        <Flex gap={8} wrap align="center">
          <Button
            danger
            icon={<StopOutlined />}
            loading={cancelling.isPending}
            onClick={() => cancel()}
            aria-label={t(props.dryRun ? 'importWizard.cancelDryRunOf' : 'importWizard.cancelOf', { file: job.file.name })}
            aria-describedby={help}
            data-testid={props.dryRun ? 'import-dry-run-cancel' : 'import-cancel'}
          >
            {t('importWizard.cancel')}
          </Button>
          <Typography.Text type="secondary" id={help}>{t(props.dryRun ? 'importWizard.cancelDryRunHelp' : 'importWizard.cancelHelp')}</Typography.Text>
        </Flex>
      )}
      {cancelling.isError && <ApiErrorAlert error={cancelling.error} />}
    </>
  );
}
