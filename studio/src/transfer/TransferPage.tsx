// Move configuration between instances (/admin/transfer): export the whole metadata — every kind,
// roles and workflows, with the template layers — as one bundle file; import a bundle into this
// instance through its dry run (every item's diff, the templates, the impact on the records here).

import { DownloadOutlined, UploadOutlined } from '../app/icons.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Typography } from 'antd';
import { useRef, useState } from 'react';
import i18next, { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/i18n.ts';
import { navigationKey } from '../api/meta.ts';
import { templatesKey } from '../api/templates.ts';
import { revisionsKey } from '../api/history.ts';
import { exportConfiguration, importApply, importDryRun, type ConfigurationBundle, type ImportReport } from '../api/transfer.ts';
import { ApiErrorAlert, DryRunDialog } from '../admin/DryRunDialog.tsx';
import type { DryRunModel } from '../admin/dry-run-model.ts';
import { useLanguage } from '../app/use-language.ts';
import { useSubmitOnce } from '../app/use-submit-once.ts';
import { formatDateTime } from '../i18n/format.ts';

function importModel(report: ImportReport): DryRunModel {
  return { items: report.items, issues: report.issues, impact: report.impact, uniqueIndexes: report.uniqueIndexes, templates: report.templates };
}

/** Saves text as a file the browser downloads. */
function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What a bundle holds, in the UI's words: "12 entities, 30 forms" — a Chinese page said "12 entity, 30 form". */
function summary(bundle: ConfigurationBundle, t: TFunction, language: Language) {
  const items = new Set(bundle.layers.map((l) => `${l.kind}/${l.name}`));
  const kinds = new Map<string, number>();
  for (const key of items) kinds.set(key.split('/')[0]!, (kinds.get(key.split('/')[0]!) ?? 0) + 1);
  const counted = [...kinds].map(([kind, count]) => (i18next.exists(`transfer.kinds.${kind}_other`) ? t(`transfer.kinds.${kind}`, { count }) : `${count} ${kind}`));
  return { items: items.size, kinds: new Intl.ListFormat(language, { type: 'unit' }).format(counted), templates: bundle.templates.map((t) => `${t.name} ${t.version}`).join(', ') };
}

export default function TransferPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [exported, setExported] = useState<ConfigurationBundle>();
  const [bundle, setBundle] = useState<{ file: string; value: ConfigurationBundle }>();
  const [readError, setReadError] = useState<string>();
  const [dialog, setDialog] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);

  const exporting = useMutation({
    mutationFn: exportConfiguration,
    onSuccess: ({ text, fileName }) => {
      setExported(JSON.parse(text) as ConfigurationBundle);
      download(text, fileName);
    },
  });

  const exportOnce = useSubmitOnce(exporting);

  const readFile = async (file: File | undefined) => {
    setReadError(undefined);
    setBundle(undefined);
    if (!file) return;
    try {
      const value = JSON.parse(await file.text()) as ConfigurationBundle;
      if (value?.format !== 'crm-configuration' || !Array.isArray(value.layers)) throw new Error(t('transfer.notABundle'));
      setBundle({ file: file.name, value });
    } catch (error) {
      setReadError(error instanceof SyntaxError ? t('transfer.notJson') : (error as Error).message);
    }
  };

  const exportedSummary = exported && summary(exported, t, language);
  const bundleSummary = bundle && summary(bundle.value, t, language);

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('transfer.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('transfer.intro')}</Typography.Paragraph>
      <Flex vertical gap={16}>
        <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('transfer.exportTitle')}</Typography.Title>}>
          <Typography.Paragraph>{t('transfer.exportIntro')}</Typography.Paragraph>
          <Button type="primary" icon={<DownloadOutlined />} loading={exporting.isPending} onClick={() => exportOnce()} data-testid="export-bundle">
            {t('transfer.export')}
          </Button>
          {exporting.isError && <div style={{ marginTop: 12 }}><ApiErrorAlert error={exporting.error} /></div>}
          {exportedSummary && (
            <Alert
              style={{ marginTop: 12 }}
              type="success"
              showIcon
              data-testid="export-summary"
              title={t('transfer.exported', { revision: exported!.revision, items: exportedSummary.items })}
              description={`${exportedSummary.kinds}${exportedSummary.templates ? ` · ${t('transfer.templates', { templates: exportedSummary.templates })}` : ''}`}
            />
          )}
        </Card>
        <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('transfer.importTitle')}</Typography.Title>}>
          <Typography.Paragraph>{t('transfer.importIntro')}</Typography.Paragraph>
          <input
            ref={fileInput}
            id="bundle-file"
            type="file"
            accept=".json,application/json"
            aria-label={t('transfer.chooseFile')}
            style={{ display: 'none' }}
            data-testid="bundle-file"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
          <Button icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
            {t('transfer.chooseFile')}
          </Button>
          {readError && <Alert style={{ marginTop: 12 }} type="error" showIcon role="alert" title={readError} />}
          {bundle && bundleSummary && (
            <div style={{ marginTop: 12 }} data-testid="bundle-summary">
              <Descriptions
                size="small"
                bordered
                column={1}
                items={[
                  { key: 'file', label: t('transfer.file'), children: bundle.file },
                  { key: 'at', label: t('transfer.exportedAt'), children: formatDateTime(bundle.value.exportedAt, language) },
                  { key: 'rev', label: t('transfer.sourceRevision'), children: bundle.value.revision },
                  { key: 'items', label: t('transfer.items'), children: `${bundleSummary.items} (${bundleSummary.kinds})` },
                  { key: 'tpl', label: t('transfer.templatesLabel'), children: bundleSummary.templates || '—' },
                ]}
              />
              <Button type="primary" style={{ marginTop: 12 }} onClick={() => setDialog((n) => n + 1)} data-testid="import-dry-run">
                {t('transfer.showDryRun')}
              </Button>
            </div>
          )}
        </Card>
      </Flex>
      <DryRunDialog<ImportReport, ImportReport>
        step={dialog > 0 && bundle ? { key: `import/${bundle.file}/${dialog}`, title: t('transfer.dryRunTitle', { file: bundle.file }), confirmLabel: t('transfer.import') } : undefined}
        dryRun={() => importDryRun(bundle!.value)}
        toModel={importModel}
        apply={(dry) => importApply(bundle!.value, dry.baseRevision)}
        onApplied={(answer) => {
          setDialog(0);
          void message.success(t('transfer.imported', { revision: answer.revision ?? '—' }));
          for (const key of [navigationKey, templatesKey, revisionsKey, ['meta'], ['overlays']]) void client.invalidateQueries({ queryKey: key });
        }}
        onClose={() => setDialog(0)}
      />
    </div>
  );
}
