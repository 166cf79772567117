// The record's workflow transitions as buttons: unavailable ones disabled with the API's reason
// (shown on hover and focus, and read out), comments asked for when a transition wants one, and a
// transition's own question (`confirm`) asked before it is taken. One held back only by fields still
// to fill stays clickable: the form's unsaved edits are saved first (`prepare`) — a field just filled
// in counts, and nothing typed is lost — and a refusal is handed back (`onRefused`) to be shown at
// its fields.

import { useQuery } from '@tanstack/react-query';
import { App, Button, Space, Tooltip } from 'antd';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ErrorDetail } from '../api/client.ts';
import type { EntityDef } from '../api/meta.ts';
import type { RecordValues } from '../api/records.ts';
import { CommentPrompt } from './CommentPrompt.tsx';
import { fetchTransitions, reasonText, runTransition, type TransitionChoice } from './transitions.ts';
import { useLanguage } from '../app/use-language.ts';

/** Held back only by fields to fill (that the caller can see): worth trying once the form has them. */
export function onlyMissingFields(tr: TransitionChoice): boolean {
  return !tr.allowed && tr.reasons.length > 0 && tr.reasons.every((r) => r.code === 'WF_MISSING_FIELDS' && (r.fields?.length ?? 0) > 0);
}

export function TransitionBar(props: {
  entity: EntityDef;
  record: RecordValues;
  onDone: (updated: RecordValues | undefined) => void;
  /** Saves the form's pending edits before a transition: the record as saved, or undefined to stop (the save failed). */
  prepare?: () => Promise<RecordValues | undefined>;
  /** A refused transition's details (JSON pointers to the fields it wants). */
  onRefused?: (details: ErrorDetail[]) => void;
}) {
  const { entity, record } = props;
  const { t, i18n } = useTranslation();
  const { language } = useLanguage();
  const { message, modal } = App.useApp();
  // Labels and reasons come localized from the API: the language is part of the key.
  const list = useQuery({ queryKey: ['transitions', entity.name, record.id, record.version, i18n.language], queryFn: () => fetchTransitions(entity.name, record.id) });
  const [prompt, setPrompt] = useState<TransitionChoice>();
  const [busy, setBusy] = useState<string>();

  // A confirm dialog or the comment prompt calls back after the editor has saved and rendered
  // again: the callbacks read the bar's latest props, never those of the render that opened them.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  /** `saved`: the record as just saved (the form's edits already written). */
  const take = async (tr: TransitionChoice, comment?: string, saved?: RecordValues) => {
    setBusy(tr.name);
    try {
      const { prepare, record: now } = latest.current;
      const current = saved ?? (prepare ? await prepare() : now);
      if (!current) return;
      const result = await runTransition({ entity: entity.name, record: current, transition: tr, ...(comment ? { comment } : {}) });
      void message.success(result.outcome === 'moved' ? t('kanban.moved', { to: tr.label }) : t('record.approvalRequested'));
      latest.current.onDone(result.record);
      void list.refetch();
    } catch (e) {
      void message.error(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));
      if (e instanceof ApiError && e.details.some((d) => d.path !== '')) latest.current.onRefused?.(e.details);
    } finally {
      setBusy(undefined);
    }
  };

  /**
   * A transition held back by fields to fill: the form's edits are saved, and the transition asked
   * for again — still held back, its fields are pointed at (before any comment is typed); free now,
   * the saved record and the transition as the server lists it now.
   */
  const recheck = async (tr: TransitionChoice): Promise<{ saved: RecordValues; choice: TransitionChoice } | undefined> => {
    setBusy(tr.name);
    try {
      const { prepare, record: now, onRefused } = latest.current;
      const saved = prepare ? await prepare() : now;
      if (!saved) return undefined;
      const again = (await fetchTransitions(entity.name, saved.id)).transitions.find((x) => x.name === tr.name && x.workflow === tr.workflow);
      if (again?.allowed) return { saved, choice: again };
      const reasons = again?.reasons ?? tr.reasons;
      void message.error(reasons.map((r) => reasonText(r, entity, language, t)).join('; '));
      onRefused?.(reasons.flatMap((r) => (r.fields ?? []).map((f) => ({ path: `/${f}`, message: reasonText({ ...r, fields: [f] }, entity, language, t) }))));
      return undefined;
    } catch (e) {
      void message.error(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };

  // The transition's question first (a won deal opens a quote), then its comment.
  const start = async (tr: TransitionChoice) => {
    let choice = tr;
    let saved: RecordValues | undefined;
    if (!tr.allowed) {
      const checked = await recheck(tr);
      if (!checked) return;
      ({ choice, saved } = checked);
    }
    const go = () => (choice.comment === 'required' ? setPrompt(choice) : void take(choice, undefined, saved));
    if (!choice.confirm) return go();
    void modal.confirm({ title: choice.label, content: choice.confirm, okText: t('record.takeTransition'), cancelText: t('common.cancel'), onOk: go });
  };
  const items = list.data?.transitions ?? [];
  if (items.length === 0) return null;
  return (
    <Space wrap role="group" aria-label={t('record.transitions')}>
      {list.data?.pendingApproval && <span>{t('record.pendingApproval')}</span>}
      {items.map((tr) => {
        const reason = tr.reasons.map((r) => reasonText(r, entity, language, t)).join('; ');
        const enabled = tr.allowed || onlyMissingFields(tr);
        const button = (
          <Button key={tr.name} disabled={!enabled} loading={busy === tr.name} aria-description={tr.allowed ? undefined : reason} onClick={() => void start(tr)}>
            {tr.label}
          </Button>
        );
        if (enabled && !tr.allowed) {
          return (
            <Tooltip key={tr.name} title={reason}>
              {button}
            </Tooltip>
          );
        }
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
