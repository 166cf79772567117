// The form designer (/admin/forms/:name): sections and fields placed by drag and drop (dnd-kit;
// mouse, touch and keyboard), each section's columns and condition, each field's widget, span and
// conditions (visible / required / read-only when) built with the condition editor; beside it the
// live preview — the record page's own @rjsf form — on a chosen real record, in English or Chinese.
// Saved through the dry run like every change.

import { closestCorners, DndContext, type DragEndEvent, type DragOverEvent, type DragStartEvent, KeyboardSensor, PointerSensor, useDroppable, useSensor, useSensors } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined, SettingOutlined } from '../../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Drawer, Form, Row, Segmented, Space, Switch, Tag, Typography } from 'antd';
import { InputNumber, Select } from '../../app/localized-controls.tsx';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getMetaItem, type MetaDocument } from '../../api/designer.ts';
import type { EntityDef, FormDef, FormFieldDef, FormSectionDef } from '../../api/meta.ts';
import { listRecords } from '../../api/records.ts';
import { ErrorState, PageLoading } from '../../app/PageStates.tsx';
import { useDndAccessibility } from '../../app/dnd-accessibility.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { Label, Language } from '../../i18n/i18n.ts';
import { useReviewedSave } from '../impact/DryRunReport.tsx';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { ConditionEditor } from './ConditionEditor.tsx';
import { FormPreview } from './FormPreview.tsx';
import { widgetsFor, widgetsOfType } from '../../../../engine/fields/form-widgets.ts';

const palette = 'palette';
const fieldId = (name: string) => `field:${name}`;
const fieldOf = (id: string) => id.slice('field:'.length);
const containerId = (section: string) => `section:${section}`;
type Layout = Record<string, string[]>;

type FieldSettings = FormFieldDef & { readOnlyWhen?: string; label?: Label; requiredWhenMessage?: Label; readOnlyWhenMessage?: Label };

/**
 * The control a record form draws for a type when the form names no widget (records/form-model.ts):
 * the type's first widget, except a multi-select picklist, which rjsf draws as a drop-down.
 */
const defaultWidget = (type: string | undefined): string | undefined => widgetsOfType(type ?? '')[0];

/** Sections in order, then each section's fields in order; fields on no section are in the palette. */
function layoutOf(form: FormDef, entity: EntityDef): Layout {
  const layout: Layout = {};
  const placed = new Set<string>();
  for (const [key, s] of sortedSections(form)) {
    if (s.related) continue;
    const names = Object.entries(s.fields ?? {}).sort(([an, a], [bn, b]) => (a.order ?? 0) - (b.order ?? 0) || an.localeCompare(bn)).map(([n]) => n);
    names.forEach((n) => placed.add(n));
    layout[containerId(key)] = names.map(fieldId);
  }
  layout[palette] = Object.keys(entity.fields).filter((n) => !placed.has(n)).map(fieldId);
  return layout;
}

function sortedSections(form: FormDef): [string, FormSectionDef][] {
  return Object.entries(form.sections).sort(([an, a], [bn, b]) => (a.order ?? 0) - (b.order ?? 0) || an.localeCompare(bn));
}

/** The form with its sections' fields as the layout has them, orders 10, 20, 30… */
function applyLayout(form: FormDef, layout: Layout): FormDef {
  const settings = new Map<string, FormFieldDef>();
  for (const s of Object.values(form.sections)) for (const [n, f] of Object.entries(s.fields ?? {})) settings.set(n, f);
  const sections: Record<string, FormSectionDef> = {};
  for (const [key, s] of Object.entries(form.sections)) {
    const ids = layout[containerId(key)];
    if (!ids) {
      sections[key] = s;
      continue;
    }
    sections[key] = { ...s, fields: Object.fromEntries(ids.map((id, i) => [fieldOf(id), { ...(settings.get(fieldOf(id)) ?? {}), order: (i + 1) * 10 }])) };
  }
  return { ...form, sections };
}

export default function FormDesignerPage() {
  const { name = '' } = useParams();
  const form = useQuery({ queryKey: ['designer', 'form', name], queryFn: () => getMetaItem<FormDef>('form', name) });
  const entityName = form.data?.entity;
  const entity = useQuery({ queryKey: ['designer', 'entity', entityName], queryFn: () => getMetaItem<EntityDef>('entity', entityName!), enabled: Boolean(entityName) });
  if (form.isPending || (entityName && entity.isPending)) return <PageLoading />;
  if (form.error || entity.error) return <ErrorState error={form.error ?? entity.error} retry={() => void form.refetch()} />;
  return <FormDesigner key={JSON.stringify(form.data)} saved={form.data} entity={entity.data!} />;
}

function FormDesigner({ saved, entity }: { saved: FormDef; entity: EntityDef }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const [draft, setDraft] = useState<FormDef>(saved);
  const [dragLayout, setDragLayout] = useState<Layout>();
  const [activeId, setActiveId] = useState<string>();
  const [settingsOf, setSettingsOf] = useState<{ section: string; field: string }>();
  const [previewLanguage, setPreviewLanguage] = useState<Language>(language);
  const [recordId, setRecordId] = useState<string>();
  const { review, modal } = useReviewedSave();
  const samples = useQuery({ queryKey: ['designer', 'samples', entity.name], queryFn: () => listRecords(entity.name, { limit: 20 }) });
  const record = samples.data?.items.find((r) => r.id === recordId) ?? samples.data?.items[0];
  const layout = useMemo(() => dragLayout ?? layoutOf(draft, entity), [dragLayout, draft, entity]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));

  const containerOf = (id: string, l: Layout): string | undefined => (id in l ? id : Object.keys(l).find((c) => l[c]!.includes(id)));
  const onDragStart = (e: DragStartEvent) => {
    setActiveId(String(e.active.id));
    setDragLayout(layoutOf(draft, entity));
  };
  const onDragOver = (e: DragOverEvent) => {
    const { active, over } = e;
    if (!over || !dragLayout) return;
    const from = containerOf(String(active.id), dragLayout);
    const to = containerOf(String(over.id), dragLayout);
    if (!from || !to || from === to) return;
    setDragLayout((l) => {
      if (!l) return l;
      const source = l[from]!.filter((id) => id !== active.id);
      const target = [...l[to]!];
      const overIndex = target.indexOf(String(over.id));
      target.splice(overIndex < 0 ? target.length : overIndex, 0, String(active.id));
      return { ...l, [from]: source, [to]: target };
    });
  };
  const onDragEnd = (e: DragEndEvent) => {
    const { active, over } = e;
    let l = dragLayout;
    if (l && over) {
      const c = containerOf(String(active.id), l);
      if (c && c === containerOf(String(over.id), l)) {
        const items = l[c]!;
        const a = items.indexOf(String(active.id));
        const b = items.indexOf(String(over.id));
        if (a >= 0 && b >= 0 && a !== b) l = { ...l, [c]: arrayMove(items, a, b) };
      }
      setDraft((d) => applyLayout(d, l!));
    }
    setDragLayout(undefined);
    setActiveId(undefined);
  };

  const setSection = (key: string, patch: Partial<FormSectionDef>) =>
    setDraft((d) => {
      const next: Record<string, unknown> = { ...d.sections[key], ...patch };
      for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
      return { ...d, sections: { ...d.sections, [key]: next as unknown as FormSectionDef } };
    });
  const setField = (section: string, field: string, patch: Partial<FieldSettings>) =>
    setDraft((d) => {
      const s = d.sections[section]!;
      const next: Record<string, unknown> = { ...s.fields?.[field], ...patch };
      for (const [k, v] of Object.entries(next)) if (v === undefined || v === false) delete next[k];
      return { ...d, sections: { ...d.sections, [section]: { ...s, fields: { ...s.fields, [field]: next as unknown as FormFieldDef } } } };
    });
  const removeField = (section: string, field: string) =>
    setDraft((d) => {
      const s = d.sections[section]!;
      const { [field]: _gone, ...fields } = s.fields ?? {};
      return { ...d, sections: { ...d.sections, [section]: { ...s, fields } } };
    });
  const ordered = sortedSections(draft);
  const moveSection = (index: number, by: number) => {
    const keys = ordered.map(([k]) => k);
    const moved = arrayMove(keys, index, index + by);
    setDraft((d) => ({ ...d, sections: Object.fromEntries(moved.map((k, i) => [k, { ...d.sections[k]!, order: (i + 1) * 10 }])) }));
  };
  const addSection = () => {
    let n = 1;
    while (draft.sections[`section${n}`]) n++;
    const last = ordered[ordered.length - 1]?.[1].order ?? 0;
    setDraft((d) => ({ ...d, sections: { ...d.sections, [`section${n}`]: { order: last + 10, label: { en: `Section ${n}`, zh: `分区 ${n}` }, columns: 2, fields: {} } } }));
  };
  const removeSection = (key: string) =>
    setDraft((d) => {
      const { [key]: _gone, ...sections } = d.sections;
      return { ...d, sections };
    });

  const fieldLabel = (n: string) => label(entity.fields[n]?.label, n);
  // A field, a section or the palette as the admin sees it, for the screen reader's drag announcements.
  const dndAccessibility = useDndAccessibility((id) => {
    const target = String(id);
    if (target === palette) return t('formDesigner.palette');
    if (target.startsWith('field:')) return fieldLabel(fieldOf(target));
    const section = Object.keys(draft.sections).find((k) => containerId(k) === target);
    return section ? label(draft.sections[section]!.label, section) : target;
  });
  const settings = settingsOf ? (draft.sections[settingsOf.section]?.fields?.[settingsOf.field] as FieldSettings | undefined) : undefined;
  const settingsType = settingsOf ? entity.fields[settingsOf.field]?.type : undefined;

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }} align="start">
        <div>
          <Typography.Text type="secondary">
            <Link to={`/admin/entities/${entity.name}`}>{label(entity.label, entity.name)}</Link>
          </Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('formDesigner.title', { form: label(draft.label, draft.name) })}
          </Typography.Title>
        </div>
        <Space wrap>
          {dirty && <Button onClick={() => setDraft(saved)}>{t('formDesigner.discard')}</Button>}
          <Badge dot={dirty}>
            <Button type="primary" disabled={!dirty} onClick={() => review([{ ...draft, kind: 'form' } as unknown as MetaDocument])}>
              {t('formDesigner.reviewAndSave')}
            </Button>
          </Badge>
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <DndContext accessibility={dndAccessibility} sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragOver={onDragOver} onDragEnd={onDragEnd} onDragCancel={() => { setDragLayout(undefined); setActiveId(undefined); }}>
          <Col xs={24} lg={5}>
            <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('formDesigner.palette')}</h2>}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('formDesigner.paletteHelp')}
              </Typography.Paragraph>
              <Container id={palette} items={layout[palette] ?? []} label={t('formDesigner.palette')}>
                {(layout[palette] ?? []).map((id) => (
                  <FieldItem key={id} id={id} label={fieldLabel(fieldOf(id))} name={fieldOf(id)} dragging={activeId === id} />
                ))}
              </Container>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {ordered.map(([key, s], index) => (
                <Card
                  key={key}
                  size="small"
                  data-testid={`section-${key}`}
                  title={<h2 style={{ fontSize: 15, margin: 0 }}>{label(s.label, key)}</h2>}
                  extra={
                    <Space size={2}>
                      <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t('formDesigner.sectionUp', { section: label(s.label, key) })} onClick={() => moveSection(index, -1)} />
                      <Button size="small" icon={<ArrowDownOutlined />} disabled={index === ordered.length - 1} aria-label={t('formDesigner.sectionDown', { section: label(s.label, key) })} onClick={() => moveSection(index, 1)} />
                      <Button size="small" danger icon={<DeleteOutlined />} disabled={Object.keys(s.fields ?? {}).length > 0} aria-label={t('formDesigner.removeSection', { section: label(s.label, key) })} onClick={() => removeSection(key)} />
                    </Space>
                  }
                >
                  {s.related ? (
                    <Typography.Text type="secondary">{t('formDesigner.relatedList', { entity: s.related.entity })}</Typography.Text>
                  ) : (
                    <>
                      <SectionSettings sectionKey={key} section={s} entity={entity} onChange={(patch) => setSection(key, patch)} />
                      <Container id={containerId(key)} items={layout[containerId(key)] ?? []} label={label(s.label, key)}>
                        {(layout[containerId(key)] ?? []).map((id) => {
                          const f = s.fields?.[fieldOf(id)];
                          return (
                            <FieldItem key={id} id={id} name={fieldOf(id)} label={fieldLabel(fieldOf(id))} dragging={activeId === id} conditional={Boolean(f?.visibleWhen || f?.requiredWhen || (f as FieldSettings | undefined)?.readOnlyWhen)} onSettings={f ? () => setSettingsOf({ section: key, field: fieldOf(id) }) : undefined} onRemove={f ? () => removeField(key, fieldOf(id)) : undefined} />
                          );
                        })}
                      </Container>
                    </>
                  )}
                </Card>
              ))}
              <Button onClick={addSection}>{t('formDesigner.addSection')}</Button>
            </Space>
          </Col>
        </DndContext>
        <Col xs={24} lg={9}>
          <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('formDesigner.preview')}</h2>}>
            <Space wrap style={{ marginBottom: 8 }}>
              <Select aria-label={t('formDesigner.previewRecord')} value={record?.id} onChange={setRecordId} options={(samples.data?.items ?? []).map((r) => ({ value: r.id, label: String((entity.titleField && r[entity.titleField]) || r.id) }))} style={{ minWidth: 200 }} placeholder={t('formDesigner.noRecord')} />
              <Segmented aria-label={t('formDesigner.previewLanguage')} value={previewLanguage} onChange={(v) => setPreviewLanguage(v as Language)} options={[{ value: 'en', label: 'English' }, { value: 'zh', label: '中文' }]} />
            </Space>
            <div data-testid="form-preview">
              <FormPreview entity={entity} form={draft} record={record} language={previewLanguage} emptyText={t('formDesigner.previewEmpty')} />
            </div>
          </Card>
        </Col>
      </Row>
      <Drawer open={settingsOf !== undefined && settings !== undefined} onClose={() => setSettingsOf(undefined)} size={560} title={settingsOf ? t('formDesigner.fieldSettings', { field: fieldLabel(settingsOf.field) }) : ''}>
        {settingsOf && settings && (
          <Form layout="vertical" component="div">
            <Form.Item label={t('formDesigner.widget')} htmlFor="field-widget">
              <Select id="field-widget" allowClear value={settings.widget} onChange={(w?: string) => setField(settingsOf.section, settingsOf.field, { widget: w })} options={widgetsFor(entity.fields[settingsOf.field] ?? { type: '' }).map((w) => ({ value: w, label: t(`formDesigner.widgets.${w}`, w) }))} labelRender={({ value }) => t(`formDesigner.widgets.${String(value)}`, String(value))} placeholder={defaultWidget(settingsType) ? t('formDesigner.widgetDefault', { widget: t(`formDesigner.defaultWidgets.${defaultWidget(settingsType)}`) }) : t('formDesigner.widgetDefaultPlain')} style={{ width: '100%', maxWidth: 280 }} />
            </Form.Item>
            <Form.Item label={t('formDesigner.span')} htmlFor="field-span">
              <InputNumber id="field-span" min={1} max={4} value={settings.span ?? 1} onChange={(v) => setField(settingsOf.section, settingsOf.field, { span: v && v > 1 ? v : undefined })} />
            </Form.Item>
            <Form.Item label={t('formDesigner.readOnly')} htmlFor="field-readonly">
              <Switch id="field-readonly" checked={Boolean(settings.readOnly)} onChange={(on) => setField(settingsOf.section, settingsOf.field, { readOnly: on })} />
            </Form.Item>
            <Form.Item label={t('formDesigner.placeholder')}>
              <LocalizedInput id="field-placeholder" label={t('formDesigner.placeholder')} value={settings.placeholder} onChange={(v) => setField(settingsOf.section, settingsOf.field, { placeholder: v })} />
            </Form.Item>
            <Form.Item label={t('formDesigner.help')}>
              <LocalizedInput id="field-help" label={t('formDesigner.help')} value={settings.help} onChange={(v) => setField(settingsOf.section, settingsOf.field, { help: v })} />
            </Form.Item>
            <Space orientation="vertical" style={{ width: '100%' }} size="middle">
              <ConditionEditor id="visibleWhen" label={t('formDesigner.visibleWhen')} value={settings.visibleWhen} entity={entity} onChange={(v) => setField(settingsOf.section, settingsOf.field, { visibleWhen: v })} />
              {/* A condition's message goes with it: the schema takes none without its condition. */}
              <ConditionEditor id="requiredWhen" label={t('formDesigner.requiredWhen')} value={settings.requiredWhen} entity={entity} onChange={(v) => setField(settingsOf.section, settingsOf.field, { requiredWhen: v, ...(v ? {} : { requiredWhenMessage: undefined }) })} />
              {settings.requiredWhen && (
                <Form.Item label={t('formDesigner.requiredWhenMessage')}>
                  <LocalizedInput id="field-required-message" label={t('formDesigner.requiredWhenMessage')} value={settings.requiredWhenMessage} onChange={(v) => setField(settingsOf.section, settingsOf.field, { requiredWhenMessage: v })} />
                </Form.Item>
              )}
              <ConditionEditor id="readOnlyWhen" label={t('formDesigner.readOnlyWhen')} value={settings.readOnlyWhen} entity={entity} onChange={(v) => setField(settingsOf.section, settingsOf.field, { readOnlyWhen: v, ...(v ? {} : { readOnlyWhenMessage: undefined }) })} />
              {settings.readOnlyWhen && (
                <Form.Item label={t('formDesigner.readOnlyWhenMessage')}>
                  <LocalizedInput id="field-read-only-message" label={t('formDesigner.readOnlyWhenMessage')} value={settings.readOnlyWhenMessage} onChange={(v) => setField(settingsOf.section, settingsOf.field, { readOnlyWhenMessage: v })} />
                </Form.Item>
              )}
            </Space>
          </Form>
        )}
      </Drawer>
      {modal}
    </div>
  );
}

function SectionSettings({ sectionKey, section, entity, onChange }: { sectionKey: string; section: FormSectionDef; entity: EntityDef; onChange: (patch: Partial<FormSectionDef>) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div style={{ marginBottom: 8 }}>
      <Button size="small" type="link" style={{ padding: 0 }} aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('formDesigner.hideSectionSettings') : t('formDesigner.sectionSettings')}
      </Button>
      {section.visibleWhen && !open && <Tag style={{ marginInlineStart: 8 }}>{t('formDesigner.conditional')}</Tag>}
      {open && (
        <Form layout="vertical" component="div" style={{ marginTop: 8 }}>
          <Form.Item label={t('formDesigner.sectionLabel')}>
            <LocalizedInput id={`section-${sectionKey}-label`} label={t('formDesigner.sectionLabel')} value={section.label} onChange={(l) => onChange({ label: l })} />
          </Form.Item>
          <Space wrap>
            <Form.Item label={t('formDesigner.columns')} htmlFor={`section-${sectionKey}-columns`}>
              <InputNumber id={`section-${sectionKey}-columns`} min={1} max={4} value={section.columns ?? 2} onChange={(v) => onChange({ columns: v ?? undefined })} />
            </Form.Item>
            <Form.Item label={t('formDesigner.collapsed')} htmlFor={`section-${sectionKey}-collapsed`}>
              <Switch id={`section-${sectionKey}-collapsed`} checked={Boolean(section.collapsed)} onChange={(on) => onChange({ collapsed: on || undefined })} />
            </Form.Item>
          </Space>
          <ConditionEditor id={`section-${sectionKey}-visible`} label={t('formDesigner.sectionVisibleWhen')} value={section.visibleWhen} entity={entity} onChange={(v) => onChange({ visibleWhen: v })} />
        </Form>
      )}
    </div>
  );
}

function Container({ id, items, label, children }: { id: string; items: string[]; label: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <SortableContext id={id} items={items} strategy={verticalListSortingStrategy}>
      <ul ref={setNodeRef} aria-label={t('formDesigner.dropArea', { label })} data-testid={`drop-${id}`} style={{ listStyle: 'none', margin: 0, padding: 6, minHeight: 48, borderRadius: 6, border: `1px dashed ${isOver ? '#0b57d0' : '#bfbfbf'}`, background: isOver ? '#eef4ff' : undefined }}>
        {children}
        {items.length === 0 && <li style={{ color: '#595959', fontSize: 12, padding: 8 }}>{t('formDesigner.dropHere')}</li>}
      </ul>
    </SortableContext>
  );
}

function FieldItem({ id, name, label, dragging, conditional, onSettings, onRemove }: { id: string; name: string; label: string; dragging: boolean; conditional?: boolean; onSettings?: () => void; onRemove?: () => void }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition } = useSortable({ id });
  return (
    <li ref={setNodeRef} data-testid={`item-${name}`} style={{ transform: CSS.Transform.toString(transform), transition, opacity: dragging ? 0.5 : 1, display: 'flex', alignItems: 'center', gap: 6, padding: '4px 6px', marginBottom: 4, background: '#fff', border: '1px solid #d9d9d9', borderRadius: 6 }}>
      <Button ref={setActivatorNodeRef} size="small" type="text" icon={<HolderOutlined />} aria-label={t('formDesigner.drag', { field: label })} {...attributes} {...listeners} style={{ cursor: 'grab', touchAction: 'none' }} />
      <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {label} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{name}</Typography.Text>
      </span>
      {conditional && <Tag color="blue">{t('formDesigner.conditional')}</Tag>}
      {onSettings && <Button size="small" icon={<SettingOutlined />} aria-label={t('formDesigner.settingsOf', { field: label })} onClick={onSettings} />}
      {onRemove && <Button size="small" icon={<DeleteOutlined />} aria-label={t('formDesigner.removeFromForm', { field: label })} onClick={onRemove} />}
    </li>
  );
}
