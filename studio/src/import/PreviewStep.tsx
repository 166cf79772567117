// Step 3: the first rows of the file as the mapping turns them into field values — options shown by
// their label, values that name no option marked, defaults shown as such — then the dry run.

import { useMutation } from '@tanstack/react-query';
import { Button, Flex, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { startImportJob, type Suggestion, type Upload } from '../api/imports.ts';
import type { EntityDef } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { useLanguage } from '../app/use-language.ts';
import { previewRow, toMapping, type Draft, type PreviewCell } from './mapping-model.ts';
import { ToneTag } from '../admin/ToneTag.tsx';
import { ScrollRegion } from './ScrollRegion.tsx';

export function PreviewStep(props: { entity: EntityDef; suggestion: Suggestion; draft: Draft; upload: Upload; onBack: () => void; onDryRun: (jobId: string) => void }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const { entity, draft } = props;
  const starting = useMutation({
    mutationFn: () => startImportJob({ upload: props.upload.upload, mapping: toMapping(draft), mode: 'dryRun' }),
    onSuccess: (job) => props.onDryRun(job.id),
  });
  const rows = props.suggestion.preview.map((r) => ({ line: r.line, error: r.error, cells: r.values ? previewRow(entity, draft, r.values, language) : {} }));
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.cells)))];
  const cell = (c: PreviewCell | undefined) => {
    if (!c) return null;
    if (c.problem) return <ToneTag tone="red">{t('importWizard.notAnOption', { value: c.text })}</ToneTag>;
    if (c.fromDefault) return <Typography.Text type="secondary" italic>{c.text}</Typography.Text>;
    return c.text;
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('importWizard.previewHelp', { count: rows.length })}</Typography.Paragraph>
      <ScrollRegion label={t('importWizard.stepPreview')}>
        <Table
          size="small"
          pagination={false}
          rowKey="line"
          data-testid="import-preview"
          dataSource={rows}
          columns={[
            { title: t('importWizard.row'), dataIndex: 'line', width: 64 },
            ...fields.map((field) => ({
              title: label(entity.fields[field]?.label, field),
              key: field,
              render: (_: unknown, r: (typeof rows)[number]) => (r.error ? null : cell(r.cells[field])),
            })),
            ...(rows.some((r) => r.error) ? [{ title: t('importWizard.reason'), key: 'error', render: (_: unknown, r: (typeof rows)[number]) => r.error }] : []),
          ]}
        />
      </ScrollRegion>
      {starting.isError && <ApiErrorAlert error={starting.error} />}
      <Space>
        <Button onClick={props.onBack}>{t('importWizard.back')}</Button>
        <Button type="primary" loading={starting.isPending} onClick={() => starting.mutate()} data-testid="import-start-dry-run">
          {t('importWizard.runDryRun')}
        </Button>
      </Space>
    </Flex>
  );
}
