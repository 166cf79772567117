// The rows an import leaves out as no data — a workbook's totals rows (by their formulas) and the
// notes below the last — each with why, in the preview (among the rows scanned) and the dry run.

import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function SkippedRows({ rows, testId }: { rows: { line: number; reason: string }[] | undefined; testId: string }) {
  const { t } = useTranslation();
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby={`${testId}-title`} data-testid={testId}>
      <Typography.Title level={3} id={`${testId}-title`} style={{ fontSize: 14, margin: '0 0 4px' }}>{t('importWizard.skippedRowsTitle')}</Typography.Title>
      <ul style={{ margin: 0, paddingInlineStart: 20 }}>
        {rows.map((r) => <li key={r.line}>{t('importWizard.skippedRow', { line: r.line, reason: r.reason })}</li>)}
      </ul>
    </section>
  );
}
