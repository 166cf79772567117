// The approvals inbox: every approval waiting for me, with its record, the transition it would
// take and who asked; approve or reject, each with a comment. My notifications below.

import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { Approval } from '../api/inbox.ts';
import { useEntities, useMetaKind } from '../api/meta.ts';
import { getRecord } from '../api/records.ts';
import { PageLoading } from '../app/PageStates.tsx';
import { RecentTime, useRecency } from '../app/RecentTime.tsx';
import { useLanguage } from '../app/use-language.ts';
import { useApprovals, useDecide, useMarkRead, useNotifications } from './inbox-queries.ts';

function RecordTitle({ entity, id }: { entity: string; id: string }) {
  const entities = useEntities();
  const def = entities.data?.get(entity);
  const record = useQuery({ queryKey: ['records', 'inbox', entity, id], queryFn: () => getRecord(entity, id), enabled: Boolean(def) });
  const title = def?.titleField ? record.data?.[def.titleField] : undefined;
  return <Link to={`/e/${entity}/${id}`}>{title ? String(title) : id}</Link>;
}

function ApprovalItem({ approval, onDecide }: { approval: Approval; onDecide: (a: Approval, d: 'approve' | 'reject') => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const requested = useRecency()(approval.requestedAt);
  const entities = useEntities();
  const workflows = useMetaKind('workflows');
  const workflow = workflows.data?.get(approval.workflow);
  const transition = label(workflow?.transitions?.[approval.transition]?.label, approval.transition);
  const to = label(workflow?.states?.[approval.to]?.label, approval.to);
  const step = approval.steps.find((s) => s.status === 'pending');
  const entityLabel = label(entities.data?.get(approval.entity)?.label, approval.entity);
  return (
    <List.Item
      data-approval={approval.id}
      actions={[
        <Button key="approve" type="primary" onClick={() => onDecide(approval, 'approve')}>{t('inbox.approve')}</Button>,
        <Button key="reject" danger onClick={() => onDecide(approval, 'reject')}>{t('inbox.reject')}</Button>,
      ]}
    >
      <List.Item.Meta
        title={
          <Space wrap size={6}>
            <Typography.Text type="secondary">{entityLabel}</Typography.Text>
            <RecordTitle entity={approval.entity} id={approval.recordId} />
          </Space>
        }
        description={
          <Space orientation="vertical" size={2}>
            <span>{t('inbox.wants', { transition, to })}</span>
            {step && <Tag>{t('inbox.step', { step: label(step.label, step.name) })}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <time dateTime={approval.requestedAt} title={requested.title}>{t('inbox.requestedAt', { at: requested.text })}</time>
            </Typography.Text>
            {approval.comment && <Typography.Text italic>“{approval.comment}”</Typography.Text>}
          </Space>
        }
      />
    </List.Item>
  );
}

export default function InboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const approvals = useApprovals();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const decide = useDecide();
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' }>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();

  const confirm = async () => {
    if (!deciding) return;
    setError(undefined);
    try {
      await decide.mutateAsync({ id: deciding.approval.id, decision: deciding.decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      void message.success(deciding.decision === 'approve' ? t('inbox.approved') : t('inbox.rejected'));
      setDeciding(undefined);
      setComment('');
    } catch (e) {
      setError(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));
    }
  };

  if (approvals.isPending) return <PageLoading />;
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 22 }}>{t('inbox.title')}</Typography.Title>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('inbox.waiting', { count: approvals.data?.length ?? 0 })}</h2>} size="small">
          {(approvals.data ?? []).length === 0 ? <Empty description={t('inbox.nothingWaiting')} /> : <List dataSource={approvals.data} renderItem={(a) => <ApprovalItem approval={a} onDecide={(approval, decision) => setDeciding({ approval, decision })} />} />}
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('nav.notifications')}</h2>} size="small">
          <List
            size="small"
            locale={{ emptyText: t('inbox.noNotifications') }}
            dataSource={notifications.data ?? []}
            renderItem={(n) => (
              <List.Item actions={n.readAt ? [] : [<Button key="read" size="small" onClick={() => markRead.mutate(n.id)} aria-label={t('inbox.markReadOf', { subject: n.subject })}>{t('inbox.markRead')}</Button>]}>
                <List.Item.Meta
                  title={n.entity && n.recordId ? <Link to={`/e/${n.entity}/${n.recordId}`} style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.subject}</Link> : <span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.subject}</span>}
                  description={<RecentTime at={n.at} />}
                />
              </List.Item>
            )}
          />
        </Card>
      </Space>
      <Modal
        open={deciding !== undefined}
        title={deciding?.decision === 'reject' ? t('inbox.rejectTitle') : t('inbox.approveTitle')}
        okText={deciding?.decision === 'reject' ? t('inbox.reject') : t('inbox.approve')}
        okButtonProps={{ danger: deciding?.decision === 'reject', loading: decide.isPending }}
        cancelText={t('common.cancel')}
        onOk={() => void confirm()}
        onCancel={() => {
          setDeciding(undefined);
          setError(undefined);
        }}
        destroyOnHidden
      >
        <label htmlFor="decision-comment" style={{ display: 'block', marginBottom: 6 }}>{t('record.comment')}</label>
        <Input.TextArea id="decision-comment" rows={3} value={comment} maxLength={4000} onChange={(e) => setComment(e.target.value)} autoFocus />
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} />}
      </Modal>
    </div>
  );
}
