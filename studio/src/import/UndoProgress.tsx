// An import's undo as its job shows it: while it runs, how many of its records are dealt with (a
// bar, asked again through the job's polling); once it ended, what it did — deleted, restored, left
// alone because changed since, refused (each by its title and entity, with why); and an undo that stopped, with why (Undo goes on).

import { Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../api/imports.ts';
import { EntityRecordList } from '../records/EntityRecordList.tsx';

export function UndoProgress({ job, compact }: { job: ImportJob; compact?: boolean }) {
  const { t } = useTranslation();
  const undo = job.undo;
  if (!undo) return null;
  const small = compact ? { fontSize: 12 } : undefined;
  if (job.status === 'undoing') {
    const done = undo.done ?? 0;
    const percent = undo.total ? Math.min(99, Math.floor((done / undo.total) * 100)) : 0;
    return (
      <div data-testid={`import-undo-progress-${job.id}`} data-done={done} data-total={undo.total ?? ''} style={{ minWidth: compact ? 140 : undefined }}>
        <Progress percent={percent} size="small" status="active" aria-label={t('importWizard.undoProgressOf', { file: job.file.name })} />
        <Typography.Text type="secondary" style={small}>
          {undo.total === undefined ? t('importWizard.undoCounting') : t('importWizard.undoProgress', { done, total: undo.total })}
        </Typography.Text>
      </div>
    );
  }
  if (job.status !== 'undone') {
    return undo.error ? (
      <Typography.Text type="danger" style={small} data-testid={`import-undo-error-${job.id}`}>
        {t('importWizard.undoStopped', { error: undo.error, done: undo.done ?? 0, total: undo.total ?? 0 })}
      </Typography.Text>
    ) : null;
  }
  return (
    <div data-testid={`import-undo-outcome-${job.id}`} data-refused={undo.refused ?? 0}>
      <Typography.Text type="secondary" style={small}>
        {t(compact ? 'importWizard.undoneShort' : 'importWizard.undone', { deleted: undo.deleted, restored: undo.restored, changedSince: undo.changedSince })}
      </Typography.Text>
      <UndoRefusals job={job} compact />
    </div>
  );
}

/** The records an ended undo could not undo, with why (the first of them: GET …/undo has every one). */
export function UndoRefusals({ job, compact }: { job: ImportJob; compact?: boolean }) {
  const { t } = useTranslation();
  const refused = job.undo?.refused ?? 0;
  if (refused === 0) return null;
  const small = compact ? { fontSize: 12 } : undefined;
  return (
    <div data-testid={`import-undo-refused-${job.id}`}>
      <Typography.Text type="warning" style={small}>{t('importWizard.undoRefused', { count: refused })}</Typography.Text>
      <EntityRecordList records={(job.undo?.refusedRecords ?? []).map((r) => ({ entity: r.entity, id: r.id, note: r.reason }))} style={small} />
    </div>
  );
}
