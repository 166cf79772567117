// What a metadata change would do, from the API's one dry run: its verdict and issues, the items it
// changes, the stored records its new rules would refuse (with examples to open), and unique
// indexes that existing duplicates would break. Shown before every save; applying needs a click.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, List, Modal, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { applyDocuments, dryRun, type DryRun, type MetaDocument } from '../../api/designer.ts';
import { navigationKey } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useLookupTitles } from '../../records/lookup-titles.ts';
import { RecordTitle } from '../../records/RecordTitle.tsx';
import { kindLabel } from '../dry-run-model.ts';
import { ToneTag } from '../ToneTag.tsx';
import { IssueMessage } from './IssueMessage.tsx';
import { IssuePlace, usePlaceLookup } from './IssuePlace.tsx';
import { recordPlace } from './issue-place.ts';
import { RemovedFieldValues } from './RemovedFieldValues.tsx';
import { StateMoves } from './StateMoves.tsx';
import { useEntityLabels } from './use-entity-labels.ts';

export function ImpactSummary({ report }: { report: DryRun }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const labels = useEntityLabels();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      <RemovedFieldValues impact={report.impact} />
      <StateMoves impact={report.impact} />
      {report.impact.map((i) => (
        <div key={i.entity} data-testid={`impact-${i.entity}`}>
          <Alert
            type={i.invalid > 0 ? 'warning' : 'success'}
            showIcon
            title={i.invalid > 0 ? t('impact.wouldRefuse', { invalid: formatNumber(i.invalid, language), records: formatNumber(i.records, language), entity: labels.entity(i.entity) }) : t('impact.noneRefused', { records: formatNumber(i.records, language), entity: labels.entity(i.entity) })}
          />
          {i.examples.length > 0 && <Examples entity={i.entity} examples={i.examples} />}
        </div>
      ))}
      {(report.uniqueIndexes ?? []).map((u, n) => {
        const examples = (u.examples ?? []).filter((x): x is string => typeof x === 'string');
        return (
          <div key={n} data-testid={`unique-clash-${u.entity}`}>
            <Alert type="error" showIcon title={t('impact.uniqueClash', { entity: labels.entity(u.entity), fields: (u.fields ?? []).map((f) => labels.field(u.entity, f)).join(', '), count: u.duplicates ?? examples.length })} />
            {examples.length > 0 && <Examples entity={u.entity} examples={examples.map((id) => ({ id, issues: [] }))} />}
          </div>
        );
      })}
    </Space>
  );
}

/** Example records by their titles (links; ids in tooltips), with what is wrong with each: one titles call. */
function Examples({ entity, examples }: { entity: string; examples: { id: string; issues: { path: string; message: string }[] }[] }) {
  const { t } = useTranslation();
  const titles = useLookupTitles(entity, examples.map((e) => e.id));
  const labels = useEntityLabels();
  return (
    <List
      size="small"
      header={<Typography.Text strong>{t('impact.examples')}</Typography.Text>}
      dataSource={examples}
      renderItem={(ex) => (
        <List.Item>
          <RecordTitle entity={entity} id={ex.id} titles={titles} />
          {ex.issues.length > 0 && <span style={{ marginInlineStart: 8 }}>{ex.issues.map((x) => `${recordPlace(labels, entity, x.path)}${x.message}`).join(' · ')}</span>}
        </List.Item>
      )}
    />
  );
}

/** A document's own label (a dashboard's title), for the change list: people read labels, not names. */
function documentLabel(document: MetaDocument | undefined): unknown {
  return document?.['label'] ?? document?.['title'];
}

export function DryRunDetails({ report, documents = [] }: { report: DryRun; documents?: readonly MetaDocument[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const lookup = usePlaceLookup(documents);
  // The item's label in the UI language; its name after it, quieter, for the admin who needs it.
  const changeTitle = (c: DryRun['changes'][number]) => {
    const shown = label(documentLabel(documents.find((d) => d.kind === c.kind && d.name === c.name)) as never, c.name);
    return shown === c.name ? c.name : <>{shown} <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>{c.name}</Typography.Text></>;
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {report.valid ? <Alert type="success" showIcon title={t('impact.valid')} /> : <Alert type="error" showIcon role="alert" title={t('impact.invalid', { count: report.issues.length })} />}
      {report.issues.length > 0 && (
        <List
          size="small"
          bordered
          dataSource={report.issues}
          renderItem={(i) => (
            <List.Item>
              <span>
                <IssuePlace issue={i} lookup={lookup} />: <IssueMessage issue={i} clashes={report.uniqueIndexes ?? []} />
              </span>
            </List.Item>
          )}
        />
      )}
      {report.changes.length > 0 && (
        <div>
          <Typography.Text strong>{t('impact.changes')}</Typography.Text>{' '}
          {report.changes.map((c) => (
            <ToneTag key={`${c.kind}/${c.name}`} tone={c.action === 'create' ? 'green' : c.action === 'delete' ? 'red' : 'blue'}>
              {t(`impact.action.${c.action}`)} {kindLabel(t, c.kind)} {changeTitle(c)}
            </ToneTag>
          ))}
        </div>
      )}
      <ImpactSummary report={report} />
    </Space>
  );
}

/**
 * Save through the dry run: `review(documents)` opens a dialog with the dry run's report; "Apply"
 * (only when valid) applies the same documents as one revision.
 */
export function useReviewedSave(onApplied?: (revision: number) => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [documents, setDocuments] = useState<MetaDocument[]>();
  const check = useMutation({ mutationFn: dryRun });
  const apply = useMutation({
    mutationFn: applyDocuments,
    onSuccess: async (answer) => {
      setDocuments(undefined);
      void message.success(t('impact.applied', { revision: answer.revision }));
      await client.invalidateQueries({ queryKey: navigationKey });
      await client.invalidateQueries({ queryKey: ['designer'] });
      onApplied?.(answer.revision);
    },
  });
  const review = (docs: MetaDocument[]) => {
    setDocuments(docs);
    apply.reset();
    check.mutate(docs);
  };
  const report = check.data;
  const modal = (
    <Modal
      open={documents !== undefined}
      title={t('impact.reviewTitle')}
      okText={t('impact.apply')}
      cancelText={t('impact.cancel')}
      okButtonProps={{ disabled: !report?.valid || check.isPending, loading: apply.isPending }}
      onOk={() => documents && apply.mutate(documents)}
      onCancel={() => setDocuments(undefined)}
      width={720}
      destroyOnHidden
    >
      {check.isPending && <Spin />}
      {check.error && <Alert type="error" showIcon title={(check.error as Error).message} />}
      {report && !check.isPending && <DryRunDetails report={report} documents={documents} />}
      {apply.error && <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} title={(apply.error as Error).message} description={apply.error instanceof ApiError ? apply.error.details.map((d) => `${d.path}: ${d.message}`).join(' · ') : undefined} />}
    </Modal>
  );
  return { review, modal };
}
