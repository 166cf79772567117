// Undo a cleansing run: its dry run first (records it would put back, and records changed since —
// listed, left alone), then the undo itself.

import { useQueryClient } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { cleanseJobKey, qualityReportKey, undoCleanse, type CleanseJob } from '../api/quality.ts';
import { UndoWithDryRun } from '../app/UndoWithDryRun.tsx';

export function CleanseUndo({ job, entity, onUndone }: { job: CleanseJob; entity: string; onUndone?: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <UndoWithDryRun
      dryRunKey={['quality', 'undoDryRun', job.id]}
      dryRun={() => undoCleanse(job.id, true)}
      undo={() => undoCleanse(job.id, false)}
      onUndone={() => {
        void client.invalidateQueries({ queryKey: cleanseJobKey(job.id) });
        void client.invalidateQueries({ queryKey: qualityReportKey(entity) });
        onUndone?.();
      }}
      entity={entity}
      labels={{ button: t('dataQuality.undo'), title: t('dataQuality.undoTitle'), confirm: t('dataQuality.undoConfirm'), cancel: t('dataQuality.cancel'), changedSince: (count) => t('dataQuality.undoChangedSince', { count }) }}
      describe={(report) => <Typography.Paragraph>{t('dataQuality.undoWould', { restored: report.restored })}</Typography.Paragraph>}
      reportData={(report) => ({ 'data-restored': report.restored })}
      testId="cleanse-undo"
      testIdPrefix="cleanse-undo"
      style={{ marginTop: 12 }}
    />
  );
}
