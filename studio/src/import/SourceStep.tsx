// Step 1: which entity the records become, and the file (CSV, Excel or JSON Lines), uploaded to the
// server as soon as it is dropped; its columns come back with the suggested mapping. A workbook with
// several sheets offers them: another sheet chosen is read instead (its columns, its rows). The row
// holding the column names can be chosen among the first rows: a report's title as wide as its
// table looks like a header to the server, and every column would be named by it.

import { InboxOutlined } from '../app/icons.tsx';
import { useMutation, type UseQueryResult } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Typography, Upload as AntUpload } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useTranslation } from 'react-i18next';
import { importFileTypes, uploadImportFile, useImportTargets, type Suggestion, type Upload } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { useLanguage } from '../app/use-language.ts';

export function SourceStep(props: {
  entity: string | undefined;
  onEntity: (entity: string) => void;
  upload: Upload | undefined;
  onUpload: (upload: Upload) => void;
  /** The workbook sheet chosen (undefined: the one the server reads by default). */
  sheet: string | undefined;
  onSheet: (sheet: string) => void;
  /** The header's line chosen (undefined: the one the server found). */
  headerRow: number | undefined;
  onHeaderRow: (line: number) => void;
  suggestion: UseQueryResult<Suggestion>;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const targets = useImportTargets();
  const entities = useEntities();
  const uploading = useMutation({ mutationFn: uploadImportFile, onSuccess: props.onUpload });
  const options = (targets.data ?? [])
    .filter((name) => entities.data?.has(name))
    .map((name) => ({ value: name, label: label(entities.data?.get(name)?.label, name) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const columns = props.suggestion.data?.columns ?? [];
  const sheets = props.suggestion.data?.sheets ?? [];
  const top = props.suggestion.data?.top ?? [];
  // No header and no rows (a 0-byte upload, blank lines only, a workbook without rows): nothing to map.
  const empty = props.suggestion.data !== undefined && columns.length === 0;

  return (
    <Flex vertical gap={16} style={{ maxWidth: 720 }}>
      <Form layout="vertical" requiredMark={false}>
        <Form.Item label={t('importWizard.entity')} htmlFor="import-entity" extra={t('importWizard.entityHelp')} style={{ marginBottom: 0 }}>
          <Select
            id="import-entity"
            showSearch
            optionFilterProp="label"
            value={props.entity}
            onChange={props.onEntity}
            options={options}
            loading={targets.isPending}
            placeholder={t('importWizard.entityPlaceholder')}
            data-testid="import-entity"
          />
        </Form.Item>
      </Form>
      <AntUpload.Dragger
        accept={importFileTypes}
        multiple={false}
        showUploadList={false}
        beforeUpload={(file) => {
          uploading.mutate(file);
          return AntUpload.LIST_IGNORE;
        }}
        data-testid="import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{t('importWizard.dropFile')}</p>
        <p className="ant-upload-hint">{t('importWizard.fileTypes')}</p>
      </AntUpload.Dragger>
      {uploading.isPending && <Alert type="info" showIcon title={t('importWizard.uploading')} />}
      {/* The file's name is the only thing an upload is told: its pointer (/name) named as the file, not shown as code. */}
      {uploading.isError && <ApiErrorAlert error={uploading.error} nameOf={(path) => (path === '/name' ? t('importWizard.file') : undefined)} />}
      {props.upload && (
        <Alert
          type="success"
          showIcon
          data-testid="import-uploaded"
          title={t('importWizard.uploaded', { name: props.upload.name, size: formatBytes(props.upload.bytes) })}
          description={columns.length > 0 ? t('importWizard.columnsFound', { count: columns.length, columns: columns.join(', ') }) : undefined}
        />
      )}
      {props.upload && sheets.length > 1 && (
        <Form layout="vertical" requiredMark={false} style={{ maxWidth: 480, width: '100%' }}>
          <Form.Item label={t('importWizard.sheet')} htmlFor="import-sheet" extra={t('importWizard.sheetHelp')} style={{ marginBottom: 0 }}>
            <Select
              id="import-sheet"
              showSearch
              optionFilterProp="label"
              value={props.sheet ?? props.suggestion.data?.sheet}
              onChange={props.onSheet}
              options={sheets.map((name) => ({ value: name, label: name }))}
              loading={props.suggestion.isFetching}
              data-testid="import-sheet"
            />
          </Form.Item>
        </Form>
      )}
      {props.upload && top.length > 1 && (
        <Form layout="vertical" requiredMark={false} style={{ maxWidth: 720, width: '100%' }}>
          <Form.Item label={t('importWizard.headerRow')} htmlFor="import-header-row" extra={t('importWizard.headerRowHelp')} style={{ marginBottom: 0 }}>
            <Select
              id="import-header-row"
              value={props.headerRow ?? props.suggestion.data?.headerLine}
              onChange={props.onHeaderRow}
              options={top.map((row) => ({ value: row.line, label: t('importWizard.headerRowOption', { line: row.line, cells: rowText(row.cells) }) }))}
              loading={props.suggestion.isFetching}
              data-testid="import-header-row"
            />
          </Form.Item>
        </Form>
      )}
      {empty && <Alert type="warning" showIcon role="alert" data-testid="import-empty-file" title={t('importWizard.emptyFile')} />}
      {props.suggestion.isError && <ApiErrorAlert error={props.suggestion.error} />}
      {props.upload && !props.entity && <Typography.Text type="secondary">{t('importWizard.chooseEntityFirst')}</Typography.Text>}
      <div>
        <Button type="primary" disabled={!props.suggestion.data || empty} loading={props.suggestion.isFetching} onClick={props.onNext} data-testid="import-next">
          {t('importWizard.next')}
        </Button>
      </div>
    </Flex>
  );
}

/** A row as one line of text to recognise it by: its filled cells, cut short. */
function rowText(cells: readonly string[]): string {
  const text = cells.filter((cell) => cell !== '').join(' · ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
