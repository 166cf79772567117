// Undo an import: its dry run first (what would be deleted, restored, and records changed since,
// which are left alone), then the undo itself.

import { UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importJobKey, importJobsKey, undoImportJob, type ImportJob } from '../api/imports.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { PageLoading } from '../app/PageStates.tsx';

export function UndoButton({ job, size }: { job: ImportJob; size?: 'small' }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const report = useQuery({ queryKey: ['import', 'undoDryRun', job.id], queryFn: () => undoImportJob(job.id, true), enabled: open, gcTime: 0, staleTime: 0, retry: false });
  const undoing = useMutation({
    mutationFn: () => undoImportJob(job.id, false),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: importJobKey(job.id) });
      void client.invalidateQueries({ queryKey: importJobsKey });
    },
  });
  if (job.mode === 'dryRun' || job.status !== 'done' || (job.counts.created === 0 && job.counts.updated === 0)) return null;
  return (
    <>
      <Button size={size} icon={<UndoOutlined />} onClick={() => setOpen(true)} data-testid={`import-undo-${job.id}`}>
        {t('importWizard.undo')}
      </Button>
      <Modal
        open={open}
        title={t('importWizard.undoTitle', { file: job.file.name })}
        okText={t('importWizard.undoConfirm')}
        okButtonProps={{ danger: true, disabled: !report.data, loading: undoing.isPending, 'data-testid': 'import-undo-confirm' } as never}
        cancelText={t('importWizard.cancel')}
        onOk={() => undoing.mutate()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {report.isPending && <PageLoading />}
        {report.isError && <ApiErrorAlert error={report.error} />}
        {report.data && (
          <div data-testid="import-undo-report">
            <Typography.Paragraph>{t('importWizard.undoWould', { deleted: report.data.deleted, restored: report.data.restored })}</Typography.Paragraph>
            {report.data.changedSince.length > 0 && <Alert type="warning" showIcon title={t('importWizard.undoChangedSince', { count: report.data.changedSince.length })} />}
          </div>
        )}
        {undoing.isError && <ApiErrorAlert error={undoing.error} />}
      </Modal>
    </>
  );
}
