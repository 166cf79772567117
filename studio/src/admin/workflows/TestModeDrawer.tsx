// Test mode: the workflow as edited (unsaved) run by the server against a stored record or a draft
// one, as the admin or as a chosen role. Shows which transitions are open and why the others are
// not (guard, roles, required fields), what each open one would set, which actions and
// notifications would fire and which SLA escalations would be scheduled. Nothing is written.

import { CheckCircleOutlined, MinusCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, List, Radio, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { listRecords } from '../../api/records.ts';
import { testWorkflow, type ActionPreview, type EscalationPreview, type WorkflowTestReport } from '../../api/workflow-test.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { WorkflowDoc } from './workflow-model.ts';

export interface TestModeProps {
  open: boolean;
  onClose: () => void;
  doc: WorkflowDoc;
  documents: MetaDocument[];
  titleField?: string;
  roles: { name: string; label: string }[];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function ActionList({ actions }: { actions: ActionPreview[] }) {
  const { t } = useTranslation();
  if (actions.length === 0) return <Typography.Text type="secondary">{t('wfTest.noActions')}</Typography.Text>;
  return (
    <List size="small" dataSource={actions} renderItem={(a) => (
      <List.Item>
        <Space wrap>
          <Tag icon={a.fires ? <CheckCircleOutlined aria-hidden /> : <MinusCircleOutlined aria-hidden />}>{a.fires ? t('wfTest.fires') : t('wfTest.skipped')}</Tag>
          <strong>{a.label ?? a.name}</strong>
          <Tag>{t(`wfDesigner.actions_${a.type}`, { defaultValue: a.type })}</Tag>
          <span>{Object.entries(a.detail).map(([k, v]) => `${k}: ${value(v)}`).join(' · ')}</span>
        </Space>
      </List.Item>
    )} />
  );
}

function Escalations({ items }: { items: EscalationPreview[] }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (items.length === 0) return <Typography.Text type="secondary">{t('wfTest.noEscalations')}</Typography.Text>;
  return (
    <List size="small" dataSource={items} renderItem={(e) => (
      <List.Item>
        {t('wfTest.escalation', { trigger: e.label ?? e.trigger, at: new Date(e.dueAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'UTC' }) + ' UTC', actions: e.actions.join(', ') })}
        {e.repeatEvery && ` · ${t('wfTest.repeat', { every: e.repeatEvery })}`}
        {!e.holds && ` · ${t('wfTest.conditionFalseNow')}`}
      </List.Item>
    )} />
  );
}

export function Report({ report }: { report: WorkflowTestReport }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="test-report">
      <Alert type="info" showIcon message={t('wfTest.nothingApplied')} />
      <Descriptions size="small" column={1} items={[
        { key: 'state', label: t('wfTest.state'), children: report.record?.state ?? '—' },
        { key: 'open', label: t('wfTest.openCount'), children: report.transitions.filter((x) => x.open).map((x) => x.label).join(', ') || t('wfTest.none') },
      ]} />
      {report.transitions.map((tr) => (
        <Card key={tr.name} size="small" title={<Space><span>{tr.label} → {tr.to}</span><Tag icon={tr.open ? <CheckCircleOutlined aria-hidden /> : <StopOutlined aria-hidden />}>{tr.open ? t('wfTest.open') : t('wfTest.closed')}</Tag></Space>} data-transition={tr.name}>
          {tr.reasons.length > 0 && <ul aria-label={t('wfTest.why')}>{tr.reasons.map((r) => <li key={r.code}>{r.message}</li>)}</ul>}
          <Descriptions size="small" column={1} items={[
            ...(tr.guard ? [{ key: 'g', label: t('wfDesigner.guard'), children: `${tr.guard.expression} = ${tr.guard.error ?? String(tr.guard.value)}` }] : []),
            ...(tr.roles.length ? [{ key: 'r', label: t('wfDesigner.roles'), children: tr.roles.join(', ') }] : []),
            ...(tr.requiredFields.length ? [{ key: 'f', label: t('wfDesigner.requiredFields'), children: tr.requiredFields.join(', ') }] : []),
            ...(Object.keys(tr.setFields).length ? [{ key: 's', label: t('wfTest.wouldSet'), children: Object.entries(tr.setFields).map(([k, v]) => `${k} = ${value(v)}`).join(', ') }] : []),
          ]} />
          {tr.open && (
            <>
              <Typography.Title level={5}>{t('wfTest.actionsThatFire')}</Typography.Title>
              <ActionList actions={tr.actions} />
              <Typography.Title level={5}>{t('wfTest.escalations')}</Typography.Title>
              <Escalations items={tr.escalations} />
            </>
          )}
        </Card>
      ))}
      {report.onCreate && (
        <Card size="small" title={t('wfTest.onCreate')}>
          <ActionList actions={report.onCreate.actions} />
          <Escalations items={report.onCreate.escalations} />
          {report.onCreate.dates.map((d) => <div key={d.trigger}>{t('wfTest.dateJob', { trigger: d.trigger, at: d.dueAt })}</div>)}
        </Card>
      )}
    </Space>
  );
}

export function TestModeDrawer({ open, onClose, doc, documents, titleField, roles }: TestModeProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'record' | 'draft'>('record');
  const [recordId, setRecordId] = useState<string>();
  const [draft, setDraft] = useState('{\n  \n}');
  const [asRole, setAsRole] = useState<string>();
  const [search, setSearch] = useState('');
  const [report, setReport] = useState<WorkflowTestReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const records = useQuery({
    queryKey: ['admin', 'wf-test-records', doc.entity, search],
    enabled: open && mode === 'record',
    queryFn: () => listRecords(doc.entity, { limit: 30, sort: '-createdAt', ...(search && titleField ? { filter: { [titleField]: { $regex: escapeRegex(search.slice(0, 60)), $options: 'i' } } } : {}) }),
  });
  const run = async () => {
    setError(undefined);
    let record: { id: string } | { values: Record<string, unknown> };
    if (mode === 'record') {
      if (!recordId) return setError(t('wfTest.pickRecord'));
      record = { id: recordId };
    } else {
      try {
        record = { values: JSON.parse(draft) as Record<string, unknown> };
      } catch (e) {
        return setError(t('wfDesigner.badJson', { message: (e as Error).message }));
      }
    }
    setBusy(true);
    try {
      setReport(await testWorkflow({ workflow: doc, documents, record, ...(asRole ? { as: { roles: [asRole] } } : {}) }));
    } catch (e) {
      setReport(undefined);
      setError(e instanceof ApiError ? [e.message, ...e.details.map((d) => `${d.path}: ${d.message}`)].join('\n') : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open={open} onClose={onClose} title={t('wfTest.title')} size={640}>
      <Form layout="vertical" onFinish={() => void run()}>
        <Form.Item label={t('wfTest.against')}>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'record' | 'draft')} options={[{ value: 'record', label: t('wfTest.realRecord') }, { value: 'draft', label: t('wfTest.draftRecord') }]} />
        </Form.Item>
        {mode === 'record' ? (
          <Form.Item label={t('wfTest.record')} htmlFor="wf-test-record">
            <Select id="wf-test-record" showSearch value={recordId} onChange={setRecordId} onSearch={setSearch} filterOption={false} loading={records.isFetching}
              options={(records.data?.items ?? []).map((r) => ({ value: r.id, label: `${titleField ? String(r[titleField] ?? r.id) : r.id}${doc.field ? ` · ${String(r[doc.field] ?? '')}` : ''}` }))} />
          </Form.Item>
        ) : (
          <Form.Item label={t('wfTest.draftValues')} htmlFor="wf-test-draft">
            <Input.TextArea id="wf-test-draft" value={draft} onChange={(e) => setDraft(e.target.value)} autoSize={{ minRows: 4, maxRows: 12 }} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        )}
        <Form.Item label={t('wfTest.asRole')} htmlFor="wf-test-role">
          <Select id="wf-test-role" allowClear value={asRole} onChange={setAsRole} placeholder={t('wfTest.asAdmin')} options={roles.map((r) => ({ value: r.name, label: r.label }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('wfTest.run')}</Button>
      </Form>
      {error && <Alert style={{ marginTop: 16, whiteSpace: 'pre-wrap' }} type="error" showIcon message={error} />}
      {report && <div style={{ marginTop: 16 }}><Report report={report} /></div>}
    </Drawer>
  );
}
