// Test mode: the workflow as edited (unsaved) run by the server against a stored record or a draft
// one, as the admin or as a chosen role. Shows which transitions are open and why the others are
// not (guard, roles, required fields), what each open one would set, which actions and
// notifications would fire and which SLA escalations would be scheduled. Nothing is written.

import { CheckCircleOutlined, MinusCircleOutlined, StopOutlined } from '../../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { Select } from '../../app/localized-controls.tsx';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetaDocument } from '../../api/admin-meta.ts';
import { ApiError } from '../../api/client.ts';
import { useMetaKind, type FieldDef } from '../../api/meta.ts';
import { listRecords } from '../../api/records.ts';
import { testWorkflow, type ActionPreview, type EscalationPreview, type WorkflowTestReport } from '../../api/workflow-test.ts';
import { useLanguage } from '../../app/use-language.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { Label } from '../../i18n/i18n.ts';
import { valueText } from '../../records/format-value.tsx';
import type { WorkflowDoc } from './workflow-model.ts';

export interface TestModeProps {
  open: boolean;
  onClose: () => void;
  doc: WorkflowDoc;
  documents: MetaDocument[];
  titleField?: string;
  /** The driven entity as edited: its fields' labels and types name what the report shows. */
  entity: MetaDocument;
  roles: { name: string; label: string }[];
  /** Each role's label alone (the report names roles as people read them). */
  roleLabels: Record<string, string>;
}

/** How the report names what the server reports by key: states, roles, fields, actions, triggers. */
export interface ReportNames {
  state: (name: string) => string;
  role: (name: string) => string;
  transition: (name: string) => string;
  action: (name: string) => string;
  trigger: (name: string) => string;
  /** A field of the driven entity (or of `entity`) by its label, and a value of it formatted. */
  field: (name: string, entity?: string) => string;
  entityLabel: (name: string) => string;
  /** Punctuation in the user's language: after a label, between items of a list. */
  colon: string;
  listSep: string;
  value: (name: string, value: unknown, entity?: string) => string;
}

/** The names the report uses, from the workflow and entity as edited and the other entities' metadata. */
export function useReportNames(doc: WorkflowDoc, entity: MetaDocument, roleLabels: Record<string, string>): ReportNames {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const entities = useMetaKind('entities');
  const fieldsOf = (name?: string): Record<string, FieldDef> => (name === undefined || name === entity.name ? (entity['fields'] ?? {}) as Record<string, FieldDef> : entities.data?.get(name)?.fields ?? {});
  const named = (items: Record<string, unknown> | undefined, name: string) => label((items?.[name] as { label?: Label } | undefined)?.label, name);
  return {
    state: (name) => named(doc.states, name),
    role: (name) => roleLabels[name] ?? name,
    transition: (name) => named(doc.transitions, name),
    action: (name) => named(doc.actions, name),
    trigger: (name) => named(doc.triggers, name),
    // The record's owner is a field every entity has without declaring it.
    field: (name, of) => (fieldsOf(of)[name] === undefined && name === 'owner' ? t('owner.label') : label(fieldsOf(of)[name]?.label, name)),
    entityLabel: (name) => (name === entity.name ? label(entity['label'] as Label, name) : label(entities.data?.get(name)?.label, name)),
    colon: t('wfTest.colon'),
    listSep: t('wfTest.listSep'),
    value: (name, v, of) => (v === null || v === undefined || v === '' ? '—' : valueText(fieldsOf(of)[name], v, language)),
  };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** "Label: value" for each field a set of values names. */
function fieldValues(values: unknown, names: ReportNames, entity?: string): string {
  if (values === null || typeof values !== 'object') return value(values);
  return Object.entries(values as Record<string, unknown>).map(([k, v]) => `${names.field(k, entity)}${names.colon}${names.value(k, v, entity)}`).join(names.listSep);
}

/** What an action would do, in words: recipients, the subject as sent, channels, values by field label. */
function ActionDetail({ action, names }: { action: ActionPreview; names: ReportNames }) {
  const { t } = useTranslation();
  const d = action.detail;
  const { colon, listSep } = names;
  const parts: ReactNode[] = [];
  const add = (key: string, content: ReactNode) => parts.push(<span key={key} data-detail={key}>{content}</span>);
  if (typeof d['error'] === 'string') add('error', t('wfTest.detailError', { message: d['error'] }));
  if (typeof d['when'] === 'string') add('when', <>{t('wfTest.detailWhen')}{colon}<code>{d['when']}</code></>);
  if (action.type === 'notify') {
    const to = (d['to'] ?? {}) as { roles?: string[]; users?: string[]; fields?: string[] };
    const recipients = [...(to.roles ?? []).map((r) => t('wfTest.toRole', { name: names.role(r) })), ...(to.fields ?? []).map((f) => t('wfTest.toField', { name: names.field(f) })), ...(to.users ?? [])];
    add('to', `${t('wfTest.detailTo')}${colon}${recipients.join(listSep) || t('wfTest.none')}`);
    const rendered = d['rendered'] as { subject?: string; body?: string } | undefined;
    if (rendered?.subject !== undefined) {
      add('subject', `${t('wfTest.detailSubject')}${colon}${rendered.subject}`);
      if (rendered.body !== undefined) add('body', `${t('wfTest.detailBody')}${colon}${rendered.body}`);
    } else {
      // Not filled in (no record to fill it with): shown as the template it is.
      if (typeof d['subject'] === 'string') add('subject', <>{t('wfTest.detailSubjectTemplate')}{colon}<code>{d['subject']}</code></>);
      if (typeof d['body'] === 'string') add('body', <>{t('wfTest.detailBodyTemplate')}{colon}<code>{d['body']}</code></>);
    }
    const channels = Array.isArray(d['channels']) ? (d['channels'] as string[]) : [];
    add('channels', `${t('wfTest.detailChannels')}${colon}${channels.map((c) => t(`wfTest.channel_${c}`, { defaultValue: c })).join(listSep)}`);
  } else {
    const target = typeof d['entity'] === 'string' ? d['entity'] : undefined;
    if (target) add('entity', `${t('wfTest.detailEntity')}${colon}${names.entityLabel(target)}`);
    if (typeof d['via'] === 'string') add('via', `${t('wfTest.detailVia')}${colon}${names.field(d['via'])}${typeof d['related'] === 'string' ? ` (${d['related']})` : ''}`);
    if (d['values'] !== undefined) add('values', fieldValues(d['values'], names, target));
    // updateRelated names a transition of the related record's workflow; the others one of this workflow.
    if (typeof d['transition'] === 'string') add('transition', `${t('wfTest.detailTransition')}${colon}${action.type === 'updateRelated' ? d['transition'] : names.transition(d['transition'])}`);
    if (typeof d['url'] === 'string') add('url', `${t('wfTest.detailUrl')}${colon}${d['url']}`);
    if (typeof d['step'] === 'string') add('step', `${t('wfTest.detailStep')}${colon}${d['step']}`);
  }
  return <span className="wf-test-detail">{parts.flatMap((p, i) => (i === 0 ? [p] : [' · ', p]))}</span>;
}

function ActionList({ actions, names }: { actions: ActionPreview[]; names: ReportNames }) {
  const { t } = useTranslation();
  if (actions.length === 0) return <Typography.Text type="secondary">{t('wfTest.noActions')}</Typography.Text>;
  return (
    <List size="small" dataSource={actions} renderItem={(a) => (
      <List.Item>
        <Space wrap>
          <Tag icon={a.fires ? <CheckCircleOutlined aria-hidden /> : <MinusCircleOutlined aria-hidden />}>{a.fires ? t('wfTest.fires') : t('wfTest.skipped')}</Tag>
          <strong>{a.label ?? a.name}</strong>
          <Tag>{t(`wfDesigner.actions_${a.type}`, { defaultValue: a.type })}</Tag>
          <ActionDetail action={a} names={names} />
        </Space>
      </List.Item>
    )} />
  );
}

function Escalations({ items, names }: { items: EscalationPreview[]; names: ReportNames }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  if (items.length === 0) return <Typography.Text type="secondary">{t('wfTest.noEscalations')}</Typography.Text>;
  return (
    <List size="small" dataSource={items} renderItem={(e) => (
      <List.Item>
        {t('wfTest.escalation', { trigger: e.label ?? e.trigger, at: formatDateTime(e.dueAt, language), actions: e.actions.map(names.action).join(names.listSep) })}
        {e.repeatEvery && ` · ${t('wfTest.repeat', { every: e.repeatEvery })}`}
        {!e.holds && ` · ${t('wfTest.conditionFalseNow')}`}
      </List.Item>
    )} />
  );
}

export function Report({ report, names }: { report: WorkflowTestReport; names: ReportNames }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="test-report">
      <Alert type="info" showIcon message={t('wfTest.nothingApplied')} />
      <Descriptions size="small" column={1} items={[
        { key: 'state', label: t('wfTest.state'), children: report.record?.state ? names.state(report.record.state) : '—' },
        { key: 'open', label: t('wfTest.openCount'), children: report.transitions.filter((x) => x.open).map((x) => x.label).join(', ') || t('wfTest.none') },
      ]} />
      {report.transitions.map((tr) => (
        <Card key={tr.name} size="small" title={<Space><span>{tr.label} → {names.state(tr.to)}</span><Tag icon={tr.open ? <CheckCircleOutlined aria-hidden /> : <StopOutlined aria-hidden />}>{tr.open ? t('wfTest.open') : t('wfTest.closed')}</Tag></Space>} data-transition={tr.name}>
          {tr.reasons.length > 0 && <ul aria-label={t('wfTest.why')}>{tr.reasons.map((r) => <li key={r.code}>{r.message}</li>)}</ul>}
          <Descriptions size="small" column={1} items={[
            ...(tr.guard ? [{ key: 'g', label: t('wfDesigner.guard'), children: `${tr.guard.expression} = ${tr.guard.error ?? String(tr.guard.value)}` }] : []),
            ...(tr.roles.length ? [{ key: 'r', label: t('wfDesigner.roles'), children: tr.roles.map(names.role).join(names.listSep) }] : []),
            ...(tr.requiredFields.length ? [{ key: 'f', label: t('wfDesigner.requiredFields'), children: tr.requiredFields.map((f) => names.field(f)).join(names.listSep) }] : []),
            ...(Object.keys(tr.setFields).length ? [{ key: 's', label: t('wfTest.wouldSet'), children: fieldValues(tr.setFields, names) }] : []),
          ]} />
          {tr.open && (
            <>
              <Typography.Title level={5}>{t('wfTest.actionsThatFire')}</Typography.Title>
              <ActionList actions={tr.actions} names={names} />
              <Typography.Title level={5}>{t('wfTest.escalations')}</Typography.Title>
              <Escalations items={tr.escalations} names={names} />
            </>
          )}
        </Card>
      ))}
      {report.onCreate && (
        <Card size="small" title={t('wfTest.onCreate')}>
          <ActionList actions={report.onCreate.actions} names={names} />
          <Escalations items={report.onCreate.escalations} names={names} />
          {report.onCreate.dates.map((d) => <div key={d.trigger}>{t('wfTest.dateJob', { trigger: names.trigger(d.trigger), at: d.dueAt })}</div>)}
        </Card>
      )}
    </Space>
  );
}

export function TestModeDrawer({ open, onClose, doc, documents, titleField, entity, roles, roleLabels }: TestModeProps) {
  const { t } = useTranslation();
  const names = useReportNames(doc, entity, roleLabels);
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
              options={(records.data?.items ?? []).map((r) => ({ value: r.id, label: `${titleField ? String(r[titleField] ?? r.id) : r.id}${doc.field && typeof r[doc.field] === 'string' ? ` · ${names.state(r[doc.field] as string)}` : ''}` }))} />
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
      {report && <div style={{ marginTop: 16 }}><Report report={report} names={names} /></div>}
    </Drawer>
  );
}
