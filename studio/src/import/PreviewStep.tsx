// Step 3: the first rows of the file as the mapping turns them into field values — options shown by
// their label, dates and numbers as read with the mapping's date order and decimal separator, values
// that name no option or cannot be read marked, defaults shown as such — then the dry run.

import { useMutation } from '@tanstack/react-query';
import { Button, Flex, Space, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { startImportJob, type Suggestion, type Upload } from '../api/imports.ts';
import { useEntities, type EntityDef } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { useLanguage } from '../app/use-language.ts';
import { useSession } from '../app/session.tsx';
import { useSubmitOnce } from '../app/use-submit-once.ts';
import { HistoryMode } from './HistoryMode.tsx';
import { editedTargetIndex, previewRow, toMapping, type Draft, type PreviewCell } from './mapping-model.ts';
import { switchTarget } from './mapping-targets.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { ScrollRegion } from './ScrollRegion.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';
import { usePhoneWidth } from '../app/use-phone-width.ts';
import { SkippedRows } from './SkippedRows.tsx';

/** A refused start's issues at the edited target's transforms or defaults (`/mapping/targets/<index>/<part>/<field>`: the mapping is in the job's body), by field. */
export function targetIssues(error: unknown, index: number, part: 'transforms' | 'defaults'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  const prefix = `/mapping/targets/${index}/${part}/`;
  for (const d of error.details) {
    const field = d.path.startsWith(prefix) ? d.path.slice(prefix.length).split('/')[0] : undefined;
    if (field && out[field] === undefined) out[field] = d.message;
  }
  return out;
}

export function PreviewStep(props: {
  entity: EntityDef; suggestion: Suggestion; draft: Draft; onDraft: (d: Draft) => void; upload: Upload; history: boolean; onHistory: (on: boolean) => void;
  onBack: () => void; onDryRun: (jobId: string) => void; onTransformErrors: (errors: Record<string, string>) => void; onDefaultErrors: (errors: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const admin = Boolean(useSession().me?.admin);
  const phone = usePhoneWidth();
  const { entity, draft } = props;
  const entities = useEntities();
  const starting = useMutation({
    mutationFn: () => startImportJob({ upload: props.upload.upload, mapping: toMapping(draft), mode: 'dryRun', ...(props.history ? { history: true } : {}) }),
    onSuccess: (job) => props.onDryRun(job.id),
    // A transform or a default the server cannot read is shown where it was written, on the mapping,
    // at its target's pointer (`/mapping/targets/<index>`: the targets of a mapping come in its order).
    onError: (error) => {
      // Refused at another target than the one edited (a mapping of several): that one is taken up.
      const count = toMapping(draft).targets.length;
      const refused = Array.from({ length: count }, (_, i) => i).find((i) => Object.keys(targetIssues(error, i, 'transforms')).length + Object.keys(targetIssues(error, i, 'defaults')).length > 0);
      const index = refused ?? editedTargetIndex(draft);
      if (index !== editedTargetIndex(draft)) props.onDraft(switchTarget(draft, index, entities.data ?? new Map()));
      const transforms = targetIssues(error, index, 'transforms');
      const defaults = targetIssues(error, index, 'defaults');
      if (Object.keys(defaults).length > 0) props.onDefaultErrors(defaults);
      if (Object.keys(transforms).length > 0) props.onTransformErrors(transforms);
    },
  });
  const startDryRun = useSubmitOnce(starting);
  // The preview is of the target edited; the others are the dry run's to check.
  const others = toMapping(draft).targets.filter((_, i) => i !== editedTargetIndex(draft)).map((target) => label(entities.data?.get(target.entity)?.label, target.entity));
  const rows = props.suggestion.preview.map((r) => ({ line: r.line, error: r.error, cells: r.values ? previewRow(entity, draft, r.values, language) : {} }));
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.cells)))];
  const cell = (c: PreviewCell | undefined) => {
    if (!c) return null;
    // The engine's reason names the value and what is wrong with it, in the UI language.
    if (c.problem === 'unreadable') return <ToneTag tone="red">{c.reason}</ToneTag>;
    if (c.problem) return <ToneTag tone="red">{t('importWizard.notAnOption', { value: c.text })}</ToneTag>;
    if (c.transform) return <Typography.Text code title={t('importWizard.transformPreview')}>{c.text}</Typography.Text>;
    if (c.fromDefault) return <Typography.Text type="secondary" italic>{c.text}</Typography.Text>;
    return c.text;
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('importWizard.previewHelp', { count: rows.length })}</Typography.Paragraph>
      {/* The header found below a title: said, for the rows above it are not imported. */}
      {props.suggestion.headerLine !== undefined && props.suggestion.headerLine > 1 && (
        <Typography.Paragraph style={{ margin: 0 }} data-testid="import-preview-header-line">{t('importWizard.headerOnRow', { line: props.suggestion.headerLine })}</Typography.Paragraph>
      )}
      {others.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="import-preview-other-targets">
          {t('importWizard.previewOtherTargets', { entity: label(entity.label, entity.name), others: new Intl.ListFormat(language, { type: 'conjunction' }).format(others) })}
        </Typography.Paragraph>
      )}
      <ScrollRegion label={t('importWizard.stepPreview')}>
        <ResponsiveTable
          size="small"
          pagination={false}
          rowKey="line"
          data-testid="import-preview"
          dataSource={rows}
          columns={[
            // On a phone the line heads its card: it says "Line 4" / "第 4 行" itself, as the dry run's rejected rows do.
            { title: t('importWizard.row'), dataIndex: 'line', width: 64, ...(phone ? { render: (line: number) => <Trans i18nKey="importWizard.lineTitle" values={{ line }} components={{ n: <span /> }} /> } : {}) },
            ...fields.map((field) => ({
              title: label(entity.fields[field]?.label, field),
              key: field,
              render: (_: unknown, r: (typeof rows)[number]) => (r.error ? null : cell(r.cells[field])),
            })),
            ...(rows.some((r) => r.error) ? [{ title: t('importWizard.reason'), key: 'error', render: (_: unknown, r: (typeof rows)[number]) => r.error }] : []),
          ]}
        />
      </ScrollRegion>
      <SkippedRows rows={props.suggestion.skippedRows} testId="import-preview-skipped" />
      {rows.length > 0 && fields.some((f) => draft.transforms[f]?.trim()) && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('importWizard.transformPreview')}</Typography.Paragraph>}
      {admin && <HistoryMode suggestion={props.suggestion} draft={draft} onDraft={props.onDraft} on={props.history} onChange={props.onHistory} />}
      {starting.isError && <ApiErrorAlert error={starting.error} />}
      <Space>
        <Button onClick={props.onBack}>{t('importWizard.back')}</Button>
        <Button type="primary" loading={starting.isPending} onClick={() => startDryRun()} data-testid="import-start-dry-run">
          {t('importWizard.runDryRun')}
        </Button>
      </Space>
    </Flex>
  );
}
