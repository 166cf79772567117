// A job's counts: what was (or would be) created, updated, left unchanged and refused (and the totals rows left out).

import { Flex, Progress, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../api/imports.ts';
import { TargetCounts } from './TargetCounts.tsx';

export function JobCounts({ job, dryRun }: { job: ImportJob; dryRun: boolean }) {
  const { t } = useTranslation();
  const suffix = dryRun ? 'Would' : '';
  const items = [
    { key: 'created', value: job.counts.created },
    { key: 'updated', value: job.counts.updated },
    { key: 'unchanged', value: job.counts.unchanged },
    { key: 'rejected', value: job.counts.rejected },
    // A workbook's totals rows, left out (not rows, not rejected): shown when there were some.
    ...(job.counts.totals ? [{ key: 'totals', value: job.counts.totals }] : []),
  ] as const;
  return (
    <Flex vertical gap={16}>
      <Flex gap={32} wrap data-testid="import-counts">
        {items.map((i) => (
          <Statistic key={i.key} title={t(`importWizard.count_${i.key}${suffix}`)} value={i.value} data-testid={`import-count-${i.key}`} styles={{ content: i.key === 'rejected' && i.value > 0 ? { color: '#cf1322' } : undefined }} />
        ))}
      </Flex>
      <TargetCounts job={job} dryRun={dryRun} />
    </Flex>
  );
}

/** Rows read so far, against the rows the dry run read (when known); a live region of its own unless it sits in one (`live` false). */
export function JobProgress({ job, total, live = true }: { job: ImportJob; total?: number; live?: boolean }) {
  const { t } = useTranslation();
  const percent = total ? Math.min(99, Math.floor((job.counts.rows / total) * 100)) : undefined;
  return (
    <div {...(live ? { role: 'status', 'aria-live': 'polite' } : {})} data-testid="import-progress">
      {percent !== undefined && <Progress percent={job.status === 'running' ? percent : 100} status={job.status === 'running' ? 'active' : 'normal'} aria-label={t('importWizard.progressOfFile')} />}
      <span>{t(job.phase === 'check' && job.mode === 'allOrNothing' ? 'importWizard.checking' : 'importWizard.rowsRead', { count: job.counts.rows })}</span>
    </div>
  );
}
