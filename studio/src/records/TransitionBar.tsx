// The record's workflow transitions as buttons: unavailable ones disabled with the API's reason
// (shown on hover and focus, and read out), comments asked for when a transition wants one.

import { useQuery } from '@tanstack/react-query';
import { App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import type { EntityDef } from '../api/meta.ts';
import type { RecordValues } from '../api/records.ts';
import { CommentPrompt } from './CommentPrompt.tsx';
import { fetchTransitions, reasonText, runTransition, type TransitionChoice } from './transitions.ts';
import { useLanguage } from '../app/use-language.ts';

export function TransitionBar({ entity, record, onDone }: { entity: EntityDef; record: RecordValues; onDone: (updated: RecordValues | undefined) => void }) {
  const { t, i18n } = useTranslation();
  const { language } = useLanguage();
  const { message } = App.useApp();
  // Labels and reasons come localized from the API: the language is part of the key.
  const list = useQuery({ queryKey: ['transitions', entity.name, record.id, record.version, i18n.language], queryFn: () => fetchTransitions(entity.name, record.id) });
  const [prompt, setPrompt] = useState<TransitionChoice>();
  const [busy, setBusy] = useState<string>();

  const take = async (tr: TransitionChoice, comment?: string) => {
    setBusy(tr.name);
    try {
      const result = await runTransition({ entity: entity.name, record, transition: tr, ...(comment ? { comment } : {}) });
      void message.success(result.outcome === 'moved' ? t('kanban.moved', { to: tr.label }) : t('record.approvalRequested'));
      onDone(result.record);
      void list.refetch();
    } catch (e) {
      void message.error(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));
    } finally {
      setBusy(undefined);
    }
  };
  const items = list.data?.transitions ?? [];
  if (items.length === 0) return null;
  return (
    <Space wrap role="group" aria-label={t('record.transitions')}>
      {list.data?.pendingApproval && <span>{t('record.pendingApproval')}</span>}
      {items.map((tr) => {
        const reason = tr.reasons.map((r) => reasonText(r, entity, language, t)).join('; ');
        const button = (
          <Button key={tr.name} disabled={!tr.allowed} loading={busy === tr.name} aria-description={tr.allowed ? undefined : reason} onClick={() => (tr.comment === 'required' ? setPrompt(tr) : void take(tr))}>
            {tr.label}
          </Button>
        );
        return tr.allowed ? (
          button
        ) : (
          <Tooltip key={tr.name} title={reason}>
            <span tabIndex={0} data-reason={reason}>
              {button}
            </span>
          </Tooltip>
        );
      })}
      <CommentPrompt
        open={prompt !== undefined}
        title={prompt?.label ?? ''}
        required
        onCancel={() => setPrompt(undefined)}
        onOk={(c) => {
          const tr = prompt!;
          setPrompt(undefined);
          void take(tr, c);
        }}
      />
    </Space>
  );
}
