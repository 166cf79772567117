// A published web form for visitors (no sign-in): its sections rendered by @rjsf like a record
// page, with the same live form logic; a honeypot input people never see; server errors next to
// their fields; a thank-you state once the record was created.

import type { ErrorSchema } from '@rjsf/utils';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Result, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, type ErrorDetail } from '../api/client.ts';
import type { EntityDef } from '../api/meta.ts';
import { getPublicForm, submitPublicForm } from '../api/public-forms.ts';
import { LanguageSwitch } from '../app/LanguageSwitch.tsx';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { pointerToPath } from '../records/field-errors.ts';
import { compileFormLogic, evaluateFormLogic, sameLogic, type LogicState } from '../records/form-logic.ts';
import { sectionsOf, type SectionModel } from '../records/form-model.ts';
import { useSectionSchemas } from '../records/use-section-schemas.ts';
import { SectionForm } from '../records/SectionForm.tsx';

export default function WebFormPage() {
  const { name = '' } = useParams();
  const { t, i18n } = useTranslation();
  const form = useQuery({ queryKey: ['publicForm', name, i18n.language], queryFn: () => getPublicForm(name), retry: false });
  // antd's <App> (fonts, message and modal hooks) wraps the pages that load after sign-in, not the root.
  return (
    <AntApp>
    <main style={{ maxWidth: 760, margin: '0 auto', padding: '24px 12px' }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        <LanguageSwitch />
      </div>
      {form.isPending ? <PageLoading /> : form.isError ? <ErrorState error={form.error instanceof ApiError && form.error.status === 404 ? t('webForm.missing') : form.error} /> : <WebForm key={name} definition={form.data} />}
    </main>
    </AntApp>
  );
}

function WebForm({ definition }: { definition: Awaited<ReturnType<typeof getPublicForm>> }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const entity = definition.entity as EntityDef;
  const sections = useMemo(() => sectionsOf(entity, definition.form, language), [entity, definition.form, language]);
  const logic = useMemo(() => compileFormLogic(sections), [sections]);
  const draft = useRef<Record<string, unknown>>({});
  const honeypot = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<LogicState>();
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState(false);

  const reevaluate = useCallback(async () => {
    const next = await evaluateFormLogic(logic, draft.current);
    setState((prev) => (sameLogic(prev, next) ? prev : next));
  }, [logic]);
  useEffect(() => {
    void reevaluate();
  }, [reevaluate]);
  const onFieldsChange = useCallback(
    (_section: string, values: Record<string, unknown>) => {
      draft.current = { ...draft.current, ...values };
      void reevaluate();
    },
    [reevaluate],
  );

  const submit = async () => {
    setSending(true);
    setErrors([]);
    const shown = new Set(sections.filter((s) => !state?.hiddenSections.has(s.key)).flatMap((s) => s.fields.filter((f) => !state?.hidden.has(f.name)).map((f) => f.name)));
    const values = Object.fromEntries(Object.entries(draft.current).filter(([k, v]) => shown.has(k) && v !== undefined && v !== ''));
    try {
      await submitPublicForm(definition.name, values, honeypot.current?.value ?? '');
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError) setErrors(e.details.length > 0 ? e.details : [{ path: '', message: e.message }]);
      else setErrors([{ path: '', message: String(e) }]);
    } finally {
      setSending(false);
    }
  };

  const { bySection, loose } = useMemo(() => {
    const map = new Map<string, ErrorSchema>();
    const rest: string[] = [];
    for (const d of errors) {
      const [head, field] = pointerToPath(d.path);
      const section = head === 'values' && field ? sections.find((s) => s.fields.some((f) => f.name === field)) : undefined;
      if (!section || !field) {
        rest.push(d.message);
        continue;
      }
      const schema = (map.get(section.key) ?? {}) as Record<string, { __errors?: string[] }>;
      (schema[field] ??= {}).__errors = [...(schema[field]?.__errors ?? []), d.message];
      map.set(section.key, schema as ErrorSchema);
    }
    return { bySection: map, loose: rest };
  }, [errors, sections]);

  const title = label(definition.title, definition.name);
  if (done) return <Result status="success" title={title} subTitle={label(definition.thankYou) || t('webForm.thanks')} data-testid="web-form-thanks" />;
  return (
    <section aria-label={title}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{title}</Typography.Title>
      {definition.intro && <Typography.Paragraph>{label(definition.intro)}</Typography.Paragraph>}
      {loose.length > 0 && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} title={loose.join(' · ')} />}
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {sections.filter((s) => !state?.hiddenSections.has(s.key)).map((s) => <WebFormSection key={s.key} section={s} state={state} errors={bySection.get(s.key)} initial={draft.current} onFieldsChange={onFieldsChange} onSubmit={() => void submit()} />)}
      </Space>
      {/* The honeypot: off-screen and hidden from assistive technology; people leave it empty, form-filling bots do not. */}
      <div aria-hidden="true" style={{ position: 'absolute', left: -10000, top: 'auto', width: 1, height: 1, overflow: 'hidden' }}>
        <label htmlFor="wf-website">{t('webForm.honeypot')}</label>
        <input id="wf-website" name="website" type="text" tabIndex={-1} autoComplete="off" ref={honeypot} defaultValue="" />
      </div>
      <Button type="primary" onClick={() => void submit()} loading={sending} style={{ marginTop: 16 }}>
        {t('webForm.submit')}
      </Button>
    </section>
  );
}

function WebFormSection(props: { section: SectionModel; state: LogicState | undefined; errors: ErrorSchema | undefined; initial: Record<string, unknown>; onFieldsChange: (s: string, v: Record<string, unknown>) => void; onSubmit: () => void }) {
  const { section, state } = props;
  const { language } = useLanguage();
  const schemas = useSectionSchemas(section, state, { language, readOnly: false });
  const initial = useMemo(() => Object.fromEntries(section.fields.filter((f) => props.initial[f.name] !== undefined).map((f) => [f.name, props.initial[f.name]])), [props.initial, section.fields]);
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{section.label}</h2>} size="small">
      <SectionForm sectionKey={section.key} schemas={schemas} columns={section.columns} initial={initial} errors={props.errors} onFieldsChange={props.onFieldsChange} onSubmit={props.onSubmit} />
    </Card>
  );
}
