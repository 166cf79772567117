// The form as end users get it, from the draft: the record page's own pieces — sectionsOf,
// sectionSchemas, the form logic (JSONata visibleWhen/requiredWhen/readOnlyWhen) and the @rjsf SectionForm —
// against a chosen real record, in a chosen language. Typing here changes nothing stored. A lookup
// filtered by other fields of the form (`$record.account`) is narrowed by the preview's values, as
// on the record page (the entity's stored filter: the form designer does not edit it).

import { Card, Empty, Space } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EntityDef, FormDef } from '../../api/meta.ts';
import type { Language } from '../../i18n/i18n.ts';
import { compileFormLogic, evaluateFormLogic, sameLogic, type LogicState } from '../../records/form-logic.ts';
import { sectionsOf, type SectionModel } from '../../records/form-model.ts';
import { useSectionSchemas } from '../../records/use-section-schemas.ts';
import { SectionForm } from '../../records/SectionForm.tsx';
import { createDraftValues, type DraftValues } from '../../records/draft-values.ts';

export function FormPreview({ entity, form, record, language, emptyText }: { entity: EntityDef; form: FormDef; record: Record<string, unknown> | undefined; language: Language; emptyText: string }) {
  const sections = useMemo(() => sectionsOf(entity, form, language).filter((s) => !s.related), [entity, form, language]);
  const logic = useMemo(() => compileFormLogic(sections), [sections]);
  const values = useRef<Record<string, unknown>>({ ...(record ?? {}) });
  const draft = useMemo(() => createDraftValues(() => values.current), []);
  const [state, setState] = useState<LogicState>();
  const reevaluate = useCallback(async () => {
    const next = await evaluateFormLogic(logic, values.current, record);
    setState((prev) => (sameLogic(prev, next) ? prev : next));
  }, [logic, record]);
  useEffect(() => {
    values.current = { ...(record ?? {}) };
    draft.notify();
    void reevaluate();
  }, [record, reevaluate, draft]);
  const onFieldsChange = useCallback(
    (_s: string, v: Record<string, unknown>) => {
      values.current = { ...values.current, ...v };
      draft.notify();
      void reevaluate();
    },
    [reevaluate, draft],
  );
  const visible = sections.filter((s) => !state?.hiddenSections.has(s.key));
  if (visible.length === 0) return <Empty description={emptyText} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small" lang={language === 'zh' ? 'zh-CN' : 'en'}>
      {visible.map((s) => (
        <PreviewSection key={`${s.key}/${language}/${String(record?.['id'] ?? '')}`} section={s} state={state} language={language} initial={values.current} onFieldsChange={onFieldsChange} draft={draft} entity={entity.name} />
      ))}
    </Space>
  );
}

function PreviewSection({ section, state, language, initial, onFieldsChange, draft, entity }: { section: SectionModel; state: LogicState | undefined; language: Language; initial: Record<string, unknown>; onFieldsChange: (s: string, v: Record<string, unknown>) => void; draft: DraftValues; entity: string }) {
  const schemas = useSectionSchemas(section, state, { language, readOnly: false });
  const mine = useMemo(() => Object.fromEntries(section.fields.filter((f) => initial[f.name] !== undefined).map((f) => [f.name, initial[f.name]])), [initial, section.fields]);
  return (
    <Card size="small" title={<h3 style={{ fontSize: 15, margin: 0 }}>{section.label}</h3>} data-testid={`preview-section-${section.key}`}>
      <SectionForm sectionKey={`preview_${section.key}`} schemas={schemas} columns={section.columns} initial={mine} errors={undefined} onFieldsChange={onFieldsChange} onSubmit={() => undefined} draft={draft} entity={entity} />
    </Card>
  );
}
