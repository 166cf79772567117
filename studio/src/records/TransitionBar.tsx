// The record's workflow transitions as buttons: unavailable ones disabled with the API's reason
// (shown on hover and focus, and read out), comments asked for when a transition wants one, and a
// transition's own question (`confirm`) asked before it is taken. A click first saves the form's
// unsaved edits (`prepare`, after any Save on its way) — before the question and the comment, so a
// refused save shows its errors at the fields and nothing typed is lost; the transition's request
// then goes in turn with the saves (`inTurn`), so a Save clicked meanwhile waits for its version. One held back only by
// fields still to fill stays clickable: a field just filled in counts, and a refusal is handed back
// (`onRefused`) to be shown at its fields.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Space, Tooltip } from 'antd';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
  /**
   * Runs the transition's request in turn with the form's saves, on the record as stored when its
   * turn comes (a Save clicked meanwhile waits for it and then carries the version it wrote).
   */
  inTurn?: <T extends { record?: RecordValues | undefined }>(take: (stored: RecordValues) => Promise<T>) => Promise<T>;
  /** Saves the form's pending edits before a transition (after any save in flight): the record as saved, or undefined to stop (the save failed). */
  prepare?: () => Promise<RecordValues | undefined>;
  /** A refused transition's details (JSON pointers to the fields it wants). */
  onRefused?: (details: ErrorDetail[]) => void;
}) {
  const { entity, record } = props;
  const { t, i18n } = useTranslation();
  const { language } = useLanguage();
  const { message, modal } = App.useApp();
  // Labels and reasons come localized from the API: the language is part of the key. The buttons
  // stay while the list of a new version loads: a bar that vanished would drop the keyboard focus.
  const list = useQuery({ queryKey: ['transitions', entity.name, record.id, record.version, i18n.language], queryFn: () => fetchTransitions(entity.name, record.id), placeholderData: keepPreviousData });
  const [prompt, setPrompt] = useState<{ choice: TransitionChoice }>();
  const [busy, setBusy] = useState<string>();
  const group = useRef<HTMLDivElement>(null);
  // Set by a transition taken from the bar: once the next list is drawn, a focus lost with the
  // button it was on comes back to the bar.
  const refocus = useRef<string>(undefined);

  // A confirm dialog or the comment prompt calls back after the editor has saved and rendered
  // again: the callbacks read the bar's latest props, never those of the render that opened them.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const taken = refocus.current;
    const bar = group.current;
    if (taken === undefined || !bar || list.isPlaceholderData) return;
    refocus.current = undefined;
    if (document.activeElement && document.activeElement !== document.body) return;
    const buttons = [...bar.querySelectorAll<HTMLButtonElement>('button:not([disabled])')];
    (buttons.find((b) => b.dataset['transition'] === taken) ?? buttons[0] ?? bar).focus();
  }, [list.data, list.isPlaceholderData]);

  const showError = (e: unknown) => void message.error(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e));

  /** The form's edits saved (after a save in flight): the record as stored, or undefined (refused, shown at the fields). */
  const saveForm = async (): Promise<RecordValues | undefined> => {
    const { prepare, record: now } = latest.current;
    return prepare ? await prepare() : now;
  };

  /** Taken on the record as stored (the form's edits already written), in turn with any Save. */
  const take = async (tr: TransitionChoice, comment?: string) => {
    const { inTurn, record: shown } = latest.current;
    const request = (current: RecordValues) => runTransition({ entity: entity.name, record: current, transition: tr, ...(comment ? { comment } : {}) });
    try {
      const result = await (inTurn ? inTurn(request) : request(shown));
      void message.success(result.outcome === 'moved' ? t('kanban.moved', { to: tr.label }) : t('record.approvalRequested'));
      refocus.current = tr.name;
      latest.current.onDone(result.record);
      void list.refetch();
    } catch (e) {
      showError(e);
      if (e instanceof ApiError && e.details.some((d) => d.path !== '')) latest.current.onRefused?.(e.details);
    }
  };

  /**
   * A transition held back by fields to fill, asked for again with the form saved: still held back,
   * its fields are pointed at (before any comment is typed); free now, the transition as the server
   * lists it now.
   */
  const recheck = async (tr: TransitionChoice, saved: RecordValues): Promise<TransitionChoice | undefined> => {
    const again = (await fetchTransitions(entity.name, saved.id)).transitions.find((x) => x.name === tr.name && x.workflow === tr.workflow);
    if (again?.allowed) return again;
    const reasons = again?.reasons ?? tr.reasons;
    void message.error(reasons.map((r) => reasonText(r, entity, language, t)).join('; '));
    latest.current.onRefused?.(reasons.flatMap((r) => (r.fields ?? []).map((f) => ({ path: `/${f}`, message: reasonText({ ...r, fields: [f] }, entity, language, t) }))));
    return undefined;
  };

  /** The transition's question (a won deal opens a quote): whether the user went on. */
  const confirmed = (tr: TransitionChoice) =>
    new Promise<boolean>((resolve) => {
      void modal.confirm({ title: tr.label, content: tr.confirm, okText: t('record.takeTransition'), cancelText: t('record.leaveTransition'), onOk: () => resolve(true), onCancel: () => resolve(false) });
    });

  // The form is saved first — before the transition's question and its comment, so that a refused
  // save shows its errors at the fields and no comment is typed in vain — then the question, the
  // comment, and the transition taken on the record as saved.
  const start = async (tr: TransitionChoice) => {
    if (busy !== undefined) return;
    setBusy(tr.name);
    let saved: RecordValues | undefined;
    let choice: TransitionChoice | undefined;
    try {
      saved = await saveForm();
      if (saved) choice = tr.allowed ? tr : await recheck(tr, saved);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(undefined);
    }
    if (!saved || !choice) return;
    if (choice.confirm && !(await confirmed(choice))) return;
    if (choice.comment === 'required') return setPrompt({ choice });
    setBusy(choice.name);
    await take(choice);
    setBusy(undefined);
  };
  const items = list.data?.transitions ?? [];
  if (items.length === 0) return null;
  return (
    <Space ref={group} wrap role="group" aria-label={t('record.transitions')} tabIndex={-1}>
      {list.data?.pendingApproval && <span>{t('record.pendingApproval')}</span>}
      {items.map((tr) => {
        const reason = tr.reasons.map((r) => reasonText(r, entity, language, t)).join('; ');
        const enabled = tr.allowed || onlyMissingFields(tr);
        const button = (
          <Button key={tr.name} data-transition={tr.name} disabled={!enabled} loading={busy === tr.name} aria-description={tr.allowed ? undefined : reason} onClick={() => void start(tr)}>
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
        title={prompt?.choice.label ?? ''}
        required
        onCancel={() => setPrompt(undefined)}
        onOk={(c) => {
          const { choice } = prompt!;
          setPrompt(undefined);
          setBusy(choice.name);
          void take(choice, c).finally(() => setBusy(undefined));
        }}
      />
    </Space>
  );
}
