// Saving goes through the dry run first: the changes, every issue (by document and JSON pointer),
// the records the new definitions would refuse, and the workflow's states with the records in each
// (those the change removes marked) — applied only when the admin confirms.

import { useQuery } from '@tanstack/react-query';
import { Alert, List, Modal, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { dryRun, type MetaDocument } from '../../api/admin-meta.ts';
import { testWorkflow } from '../../api/workflow-test.ts';
import type { WorkflowDoc } from './workflow-model.ts';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';
import { useLanguage } from '../../app/use-language.ts';
import { kindLabel } from '../dry-run-model.ts';
import { useEntityLabels } from '../impact/use-entity-labels.ts';

export interface SaveDialogProps {
  open: boolean;
  doc: WorkflowDoc;
  documents: MetaDocument[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

export function SaveDialog({ open, doc, documents, busy, onCancel, onConfirm }: SaveDialogProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const labels = useEntityLabels();
  // What the admin reads: kinds in words, the entity and the states by their labels (the names in a tooltip).
  const itemName = (kind: string, name: string) => (kind === 'entity' ? labels.entity(name) : kind === 'workflow' && name === doc.name ? label(doc.label, name) : name);
  const stateLabel = (state: string) => label(doc.states?.[state]?.label, state);
  const all = [...documents, doc];
  const report = useQuery({ queryKey: ['admin', 'wf-dry-run', JSON.stringify(all)], enabled: open, gcTime: 0, queryFn: () => dryRun(all) });
  const usage = useQuery({ queryKey: ['admin', 'wf-usage', JSON.stringify(all)], enabled: open && report.data?.valid === true, gcTime: 0, queryFn: () => testWorkflow({ workflow: doc, documents }) });
  const valid = report.data?.valid === true;
  return (
    <Modal open={open} title={t('wfSave.title')} onCancel={onCancel} onOk={onConfirm} okText={t('wfSave.apply')} cancelText={t('wfDesigner.cancel')} okButtonProps={{ disabled: !valid, loading: busy }} width={640} destroyOnHidden>
      {report.isPending && <Spin />}
      {report.error && <Alert type="error" showIcon message={String((report.error as Error).message)} />}
      {report.data && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="dry-run">
          <Alert type={valid ? 'success' : 'error'} showIcon message={valid ? t('wfSave.valid') : t('wfSave.invalid', { count: report.data.issues.length })} />
          <Typography.Title level={5}>{t('wfSave.changes')}</Typography.Title>
          <List size="small" dataSource={report.data.changes} renderItem={(c) => <List.Item><Tag>{t(`wfSave.action_${c.action}`)}</Tag> <span title={c.name}>{kindLabel(t, c.kind)} · {itemName(c.kind, c.name)}</span></List.Item>} />
          {report.data.issues.length > 0 && (
            <List size="small" header={<strong>{t('wfSave.issues')}</strong>} dataSource={report.data.issues} renderItem={(i) => <List.Item><code>/{i.kind}/{i.name}{i.path}</code>&nbsp;{i.message}</List.Item>} />
          )}
          {report.data.impact.length > 0 && (
            <List size="small" header={<strong>{t('wfSave.impact')}</strong>} dataSource={report.data.impact} renderItem={(i) => <List.Item>{t('wfSave.refused', { entity: labels.entity(i.entity), invalid: i.invalid, records: i.records })}</List.Item>} />
          )}
          {usage.data && usage.data.usage.length > 0 && (
            <>
              <Typography.Title level={5}>{t('wfSave.statesInUse')}</Typography.Title>
              <ResponsiveTable size="small" pagination={false} rowKey="state" dataSource={usage.data.usage}
                columns={[
                  { title: t('wfDesigner.name'), dataIndex: 'state', render: (s: string, r) => <><span title={s}>{stateLabel(s)}</span> {r.removed && <Tag color="error">{t('wfSave.removed')}</Tag>}</> },
                  { title: t('wfDesigner.recordsInState'), dataIndex: 'records' },
                ]} />
            </>
          )}
        </Space>
      )}
    </Modal>
  );
}
