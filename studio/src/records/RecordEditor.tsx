// The record form and its save. The draft lives outside React state (a ref) so that typing in one
// section never re-renders the others; only a change of form logic (a field shown, hidden or
// required) or of server errors re-renders the sections it concerns.

import { useQueryClient } from '@tanstack/react-query';
import type { ErrorSchema } from '@rjsf/utils';
import { Alert, App, Button, Card, Collapse, Space, Typography } from 'antd';
import { memo, startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, type ErrorDetail } from '../api/client.ts';
import { useRevision, type EntityDef, type FormDef } from '../api/meta.ts';
import { createRecord, getRecord, updateRecord, type RecordValues } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { formatDateTime } from '../i18n/format.ts';
import { pointerToPath } from './field-errors.ts';
import { recordQuery } from './record-query.ts';
import { useRecordTitle } from './lookup-titles.ts';
import { compileFormLogic, evaluateFormLogic, sameLogic, type LogicState } from './form-logic.ts';
import { isComputed, sectionsOf, type SectionModel } from './form-model.ts';
import { useSectionSchemas } from './use-section-schemas.ts';
import { RelatedList } from './RelatedList.tsx';
import { SectionForm } from './SectionForm.tsx';
import { createDraftValues, type DraftValues } from './draft-values.ts';
import type { FileTarget } from './FileField.tsx';
import { OwnerBar } from './OwnerBar.tsx';
import { usePeopleNames } from './people.ts';
import { Timeline } from './Timeline.tsx';
import { TransitionBar } from './TransitionBar.tsx';
import { SlaBadges } from './SlaBadge.tsx';
import { MergedAwayOnSave, mergedIntoOf, type MergedInto } from './MergedAway.tsx';

/** Fields rendered with the page; the sections after them follow in a transition. */
const eagerFields = 24;

const systemKeys = new Set(['id', 'version', 'revision', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'owner']);

function pick(values: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => values[n] !== undefined).map((n) => [n, values[n]]));
}

interface Conflict {
  current: RecordValues;
}

// Not rendered again by a render of the page with the same record (the router's state changing,
// the page being left — measured: the page left rendered its editor again in the navigation's
// render); the sections inside are memoized, the editor around them is not small.
export const RecordEditor = memo(RecordEditorBody);

/** `startsIn`: for a new record, the state each workflow-driven field will get (shown read-only, never sent: the server sets it). */
/** `richText`: the entity's fields some form lays out as rich text (rich-text-fields.ts). */
function RecordEditorBody({ entity, form, record, prefill, startsIn, richText }: { entity: EntityDef; form: FormDef | undefined; record: RecordValues | undefined; prefill: Record<string, unknown>; startsIn?: Record<string, unknown>; richText?: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const revision = useRevision();
  const sections = useMemo(() => sectionsOf(entity, form, language, richText), [entity, form, language, richText]);
  const logic = useMemo(() => compileFormLogic(sections), [sections]);
  const writable = useMemo(() => Object.entries(entity.fields).filter(([, f]) => !isComputed(f) && !f.readOnly).map(([n]) => n), [entity]);

  const [base, setBase] = useState<RecordValues | undefined>(record);
  // The stored record for the form logic (readOnlyWhen reads it), current before the re-render.
  const baseRef = useRef(record);
  const adoptBase = (next: RecordValues | undefined) => {
    baseRef.current = next;
    setBase(next);
  };
  const baseId = base?.id;
  const target = useMemo<FileTarget>(() => ({ entity: entity.name, ...(baseId ? { recordId: baseId } : {}) }), [entity.name, baseId]);
  const [generation, setGeneration] = useState(0);
  const draft = useRef<Record<string, unknown>>({ ...(record ?? {}), ...(record ? {} : startsIn), ...prefill });
  // Fields that depend on others (a lookup filtered by the account) follow the draft through this.
  const draftValues = useMemo(() => createDraftValues(() => draft.current), []);
  const [state, setState] = useState<LogicState>();
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [conflict, setConflict] = useState<Conflict>();
  const [mergedAway, setMergedAway] = useState<MergedInto>();
  const [saving, setSaving] = useState(false);

  const reevaluate = useCallback(async () => {
    const next = await evaluateFormLogic(logic, draft.current, baseRef.current);
    setState((prev) => (sameLogic(prev, next) ? prev : next));
  }, [logic]);
  useEffect(() => {
    void reevaluate();
  }, [reevaluate]);

  const onFieldsChange = useCallback(
    (_section: string, values: Record<string, unknown>) => {
      draft.current = { ...draft.current, ...values };
      draftValues.notify();
      void reevaluate();
    },
    [reevaluate, draftValues],
  );

  /** What this save sends: for a new record its filled fields, for an existing one what changed. */
  const changes = (against: RecordValues | undefined): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const name of writable) {
      const now = draft.current[name];
      const before = against?.[name];
      if (against === undefined) {
        // A workflow's initial state is the server's to set (and a workflow-driven field is refused).
        if (startsIn && name in startsIn) continue;
        // Defaults are the server's to fill; sending them would write fields the role may only read.
        const def = entity.fields[name]?.default;
        if (now !== undefined && now !== '' && (def === undefined || JSON.stringify(def) !== JSON.stringify(now) || name in prefill)) out[name] = now;
      } else if (JSON.stringify(now ?? null) !== JSON.stringify(before ?? null)) out[name] = now === undefined || now === '' ? null : now;
    }
    return out;
  };

  // After a refused save the focus goes to the first field the server named (its control, the
  // chosen radio of a group): a keyboard or screen reader user lands on what to fix, not on Save.
  const editor = useRef<HTMLDivElement>(null);
  const focusFirstError = useRef(false);
  useEffect(() => {
    if (!focusFirstError.current || errors.length === 0) return;
    focusFirstError.current = false;
    // A section's form draws the errors it is given in a later commit of its own: looked for over a few frames.
    let frame = 0;
    let tries = 0;
    const look = () => {
      const item = editor.current?.querySelector('.ant-form-item-explain-error')?.closest('.ant-form-item');
      const control = item?.querySelector<HTMLElement>('input:checked') ?? item?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea:not([disabled]), [role=combobox], [tabindex]:not([tabindex="-1"])');
      if (control) control.focus();
      else if (++tries < 30) frame = requestAnimationFrame(look);
    };
    look();
    return () => cancelAnimationFrame(frame);
  }, [errors]);

  // Saves one after another: a save (or a transition's save) started while one is on its way waits
  // for it and then compares with the record it wrote, so it carries that version (no 412 against
  // our own write).
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  const inTurn = <T,>(write: () => Promise<T>): Promise<T> => {
    const run = writes.current.then(write);
    writes.current = run.catch(() => undefined);
    return run;
  };

  const save = () => inTurn(saveNow);
  const saveNow = async () => {
    setSaving(true);
    setErrors([]);
    setMergedAway(undefined);
    const base = baseRef.current;
    try {
      if (!base) {
        const created = await createRecord(entity.name, changes(undefined), form?.name);
        void message.success(t('record.created'));
        await client.invalidateQueries({ queryKey: ['records', revision, entity.name] });
        void navigate(`/e/${entity.name}/${created.id}`, { replace: true });
        return;
      }
      const patch = changes(base);
      if (Object.keys(patch).length === 0) {
        void message.info(t('record.noChanges'));
        return;
      }
      await saveChanges(base, patch);
      void message.success(t('record.saved'));
    } catch (e) {
      await showSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  /**
   * Writes `patch` onto the stored record and makes the result the form's record — but for what was
   * typed while the write was on its way: those edits stay in the form, for the next save (a save
   * queued behind this one, as a transition's, then sends them).
   */
  const saveChanges = async (stored: RecordValues, patch: Record<string, unknown>): Promise<RecordValues> => {
    const sent = draft.current;
    const updated = await updateRecord(entity.name, stored.id, patch, stored.version, form?.name);
    adoptWritten(updated, sent);
    client.setQueryData(recordQuery(revision, entity.name, stored.id).queryKey, updated);
    void client.invalidateQueries({ queryKey: ['records', revision, entity.name], predicate: (q) => q.queryKey[3] !== 'one' });
    void client.invalidateQueries({ queryKey: ['history', entity.name, stored.id] });
    return updated;
  };

  /** `updated` becomes the form's record; what the form holds other than `sent` (what the write started from) stays on top of it. */
  const adoptWritten = (updated: RecordValues, sent: Record<string, unknown>) => {
    const typedSince = Object.entries(draft.current).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(sent[name]));
    draft.current = { ...updated, ...Object.fromEntries(typedSince) };
    adoptBase(updated);
    setGeneration((g) => g + 1);
  };

  const showErrors = (details: ErrorDetail[]) => {
    focusFirstError.current = true;
    setErrors(details);
  };

  const showSaveError = async (e: unknown) => {
    const base = baseRef.current;
    const into = mergedIntoOf(e);
    if (into && base) {
      // Merged away while open: where it went, so the edits can be made there.
      setMergedAway(into);
    } else if (e instanceof ApiError && e.status === 412 && base) {
      setConflict({ current: await getRecord(entity.name, base.id) });
    } else if (e instanceof ApiError && e.status === 404 && base) {
      // The server's "No patient record 01M…" is for API callers; a person needs what became of it.
      showErrors([{ path: '', message: t('record.gone', { entity: label(entity.label, entity.name) }) }]);
    } else if (e instanceof ApiError) showErrors(e.details.length > 0 ? e.details : [{ path: '', message: e.message }]);
    else setErrors([{ path: '', message: String(e) }]);
  };

  /**
   * Before a transition: what the user typed is saved first (a transition takes the stored record,
   * and its result replaces the form) — the record as stored then, or undefined when the save failed
   * (its errors shown at their fields).
   */
  const saveBeforeTransition = (): Promise<RecordValues | undefined> =>
    inTurn(async () => {
      const base = baseRef.current;
      if (!base) return undefined;
      const patch = changes(base);
      if (Object.keys(patch).length === 0) return base;
      setErrors([]);
      try {
        return await saveChanges(base, patch);
      } catch (e) {
        await showSaveError(e);
        return undefined;
      }
    });

  /**
   * A write of the record other than the form's save (a transition, a reassignment), taken in turn
   * with the saves on the record as stored when its turn comes: the record it wrote is the form's
   * before the next save is sent (which then carries its version, no 412). It does not carry the
   * form's edits, so what the form holds that is not stored stays in it, for that save.
   */
  const writeInTurn = <T extends { record?: RecordValues | undefined }>(take: (stored: RecordValues) => Promise<T>): Promise<T> =>
    inTurn(async () => {
      const stored = baseRef.current!;
      const result = await take(stored);
      if (result.record) {
        setErrors([]);
        adoptWritten(result.record, stored);
        void reevaluate();
      }
      return result;
    });

  // The sections' submit (Enter in a field) is one function for the editor's life: a new one on each
  // render would re-render every section's form (memo) on each render of the editor.
  const saveRef = useRef(save);
  useLayoutEffect(() => {
    saveRef.current = save;
  });
  const submit = useCallback(() => void saveRef.current(), []);

  /** 412: take the record as it is now and put this user's edits back on top. */
  const reapply = () => {
    if (!conflict || !base) return;
    const mine = changes(base);
    draft.current = { ...conflict.current, ...mine };
    adoptBase(conflict.current);
    setConflict(undefined);
    setGeneration((g) => g + 1);
    void reevaluate();
  };

  /** After a transition or a reassignment taken in turn (its record already the form's): the lists and history that show it. */
  const afterWrite = () => {
    void client.invalidateQueries({ queryKey: ['history', entity.name] });
    void client.invalidateQueries({ queryKey: ['records', revision, entity.name] });
  };

  const conflictBy = usePeopleNames([conflict ? String(conflict.current['updatedBy'] ?? '') : undefined]);

  const errorsBySection = useMemo(() => {
    const map = new Map<string, ErrorSchema>();
    const loose: string[] = [];
    for (const d of errors) {
      const [field, ...rest] = pointerToPath(d.path);
      const section = field ? sections.find((s) => s.fields.some((f) => f.name === field) && !state?.hiddenSections.has(s.key) && !state?.hidden.has(field)) : undefined;
      if (!field || !section) {
        loose.push(field ? `${label(entity.fields[field]?.label, field)}: ${d.message}` : d.message);
        continue;
      }
      const schema = (map.get(section.key) ?? {}) as Record<string, unknown>;
      let node = (schema[field] ??= {}) as Record<string, unknown>;
      for (const part of rest) node = (node[part] ??= {}) as Record<string, unknown>;
      ((node['__errors'] ??= []) as string[]).push(d.message);
      map.set(section.key, schema as ErrorSchema);
    }
    return { map, loose };
  }, [errors, sections, state, entity.fields, label]);

  const recordTitle = useRecordTitle(entity, base);
  const title = recordTitle ?? t('record.newTitle', { entity: label(entity.label, entity.name) });
  const visibleSections = sections.filter((s) => !state?.hiddenSections.has(s.key));
  // A long form shows its first sections at once and mounts the rest one section at a time, each in
  // a transition of its own (render interruptible, commit ~20 fields): no step holds the main thread
  // for long, so the page answers input as soon as its first sections are drawn.
  const firstBatch = useMemo(() => {
    let fields = 0;
    const index = sections.findIndex((s) => (fields += s.fields.length) > eagerFields);
    return index < 0 ? sections.length : Math.max(1, index);
  }, [sections]);
  const [mounted, setMounted] = useState(firstBatch);
  useEffect(() => {
    if (mounted >= sections.length) return;
    const next = () => startTransition(() => setMounted((m) => Math.min(sections.length, m + 1)));
    // The first step waits for the first sections' paint (a frame, then a task); the next ones
    // follow each commit in a task of their own.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = mounted === firstBatch ? requestAnimationFrame(() => (timer = setTimeout(next))) : undefined;
    if (frame === undefined) timer = setTimeout(next);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [mounted, firstBatch, sections.length]);
  const mountedKeys = new Set(sections.slice(0, mounted).map((s) => s.key));

  return (
    <div ref={editor}>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }} align="start">
        <div>
          <Typography.Text type="secondary">{label(entity.label, entity.name)}</Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {title}
          </Typography.Title>
          {base && <OwnerBar entity={entity.name} record={base} title={title} inTurn={writeInTurn} onDone={afterWrite} />}
          {base && <SlaBadges entity={entity} record={base} />}
        </div>
        <Space wrap>
          {base && <TransitionBar entity={entity} record={base} onDone={afterWrite} prepare={saveBeforeTransition} inTurn={writeInTurn} onRefused={showErrors} />}
          <Button type="primary" onClick={() => void save()} loading={saving}>
            {base ? t('record.save') : t('record.create')}
          </Button>
        </Space>
      </Space>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={t('record.conflict', { by: conflictBy.data?.get(String(conflict.current['updatedBy'])) ?? String(conflict.current['updatedBy'] ?? '?'), at: formatDateTime(String(conflict.current['updatedAt']), language) })}
          description={t('record.conflictHelp')}
          action={<Button onClick={reapply}>{t('record.reapply')}</Button>}
        />
      )}
      {mergedAway && <MergedAwayOnSave into={mergedAway} entityLabel={entity.label} entityName={entity.name} />}
      {errorsBySection.loose.length > 0 && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={errorsBySection.loose.join(' · ')} />}
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {visibleSections.filter((s) => mountedKeys.has(s.key)).map((s, i) => (s.related ? base && <RelatedSection key={s.key} section={s} parent={base} /> : <SectionCard key={`${s.key}/${generation}`} section={s} state={state} readOnly={false} creating={!base} initial={draft.current} errors={errorsBySection.map.get(s.key)} onFieldsChange={onFieldsChange} onSubmit={submit} target={target} draft={draftValues} offscreen={i >= firstBatch} />))}
        {base && mounted >= sections.length && <Timeline entity={entity} id={base.id} richText={richText} />}
      </Space>
    </div>
  );
}

/**
 * Sections after the first screen: laid out and painted only when near the viewport (CSS
 * content-visibility; still in the document, the accessibility tree and find-in-page), sized by
 * their last known height meanwhile.
 */
const offscreenStyle = { contentVisibility: 'auto', containIntrinsicSize: 'auto 600px' } as const;

const SectionCard = memo(function SectionCard(props: { section: SectionModel; state: LogicState | undefined; readOnly: boolean; creating?: boolean; initial: Record<string, unknown>; errors: ErrorSchema | undefined; onFieldsChange: (s: string, v: Record<string, unknown>) => void; onSubmit: () => void; target?: FileTarget; draft?: DraftValues; offscreen?: boolean }) {
  const { section, state } = props;
  const { language } = useLanguage();
  const schemas = useSectionSchemas(section, state, { language, readOnly: props.readOnly, creating: props.creating ?? false });
  const initial = useMemo(() => pick(props.initial, section.fields.map((f) => f.name)), [props.initial, section.fields]);
  const body = <SectionForm sectionKey={section.key} schemas={schemas} columns={section.columns} initial={initial} errors={props.errors} onFieldsChange={props.onFieldsChange} onSubmit={props.onSubmit} {...(props.target ? { target: props.target } : {})} {...(props.draft ? { draft: props.draft } : {})} />;
  if (section.collapsed) return <Collapse items={[{ key: section.key, label: section.label, children: body }]} />;
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{section.label}</h2>} size="small" {...(props.offscreen ? { style: offscreenStyle } : {})}>
      {body}
    </Card>
  );
});

function RelatedSection({ section, parent }: { section: SectionModel; parent: RecordValues }) {
  return <RelatedList title={section.label} related={section.related!} parent={parent} collapsed={section.collapsed} />;
}

export { systemKeys };
