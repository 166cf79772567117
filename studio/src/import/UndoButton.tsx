// Undo an import: its dry run first (what would be deleted, restored, and records changed since,
// which are left alone), then the undo itself — started on the server, which answers at once with
// the job undoing: its progress shows where the job does (the job is polled until it is undone).
// An undo that stopped part-way gives the job its status back: Undo then goes on from there.

import { useQueryClient } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { importJobKey, importJobsKey, startImportUndo, undoImportDryRun, type ImportJob } from '../api/imports.ts';
import { UndoWithDryRun } from '../app/UndoWithDryRun.tsx';

export function UndoButton({ job, size, onUndone }: { job: ImportJob; size?: 'small'; onUndone?: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // A cancelled job keeps the batches it committed: those are undone like a finished job's.
  if (job.mode === 'dryRun' || (job.status !== 'done' && job.status !== 'cancelled') || (job.counts.created === 0 && job.counts.updated === 0)) return null;
  return (
    <UndoWithDryRun
      dryRunKey={['import', 'undoDryRun', job.id]}
      dryRun={() => undoImportDryRun(job.id)}
      undo={async () => {
        const undoing = await startImportUndo(job.id);
        // The job as the server answered (undoing): shown at once, then polled while it is undone.
        client.setQueryData(importJobKey(job.id), undoing);
        return undoing;
      }}
      onUndone={() => {
        void client.invalidateQueries({ queryKey: importJobKey(job.id) });
        void client.invalidateQueries({ queryKey: importJobsKey });
        onUndone?.();
      }}
      labels={{ button: t('importWizard.undo'), title: t('importWizard.undoTitle', { file: job.file.name }), confirm: t('importWizard.undoConfirm'), cancel: t('importWizard.cancel'), changedSince: (count) => t('importWizard.undoChangedSince', { count }) }}
      describe={(report) => <Typography.Paragraph>{t('importWizard.undoWould', { deleted: report.deleted, restored: report.restored })}</Typography.Paragraph>}
      testId={`import-undo-${job.id}`}
      testIdPrefix="import-undo"
      {...(size ? { size } : {})}
    />
  );
}
