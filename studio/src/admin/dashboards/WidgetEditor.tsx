// One widget's settings: its title, kind (the analytics module's widget kinds, schemas/
// dashboard.schema.json), entity, measure (count, sum… of a field), group-by key (a field or lookup
// path; a date field in calendar buckets), series, workflow, table columns, limits — and its filter,
// built with the same condition editor as views and forms.

import { Drawer, Form, Space, Switch } from 'antd';
import { InputNumber, Select } from '../../app/localized-controls.tsx';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityDef, WorkflowDef } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { WidgetDef } from '../../dashboards/widget-model.ts';
import { ConditionEditor, filterLanguage } from '../forms/ConditionEditor.tsx';
import type { FilterJson } from '../forms/filter-condition.ts';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { defOfPath, pathChoices, valueTypeOf } from '../views/field-paths.ts';
import { buckets, changeType, measureOps, retitle, widgetTypes, type WidgetType } from './dashboard-model.ts';

type GroupKey = WidgetDef['groupBy'];
const keyField = (k: GroupKey): string | undefined => (typeof k === 'string' ? k : k?.field);
const keyBucket = (k: GroupKey): string | undefined => (typeof k === 'string' ? undefined : k?.bucket);
const makeKey = (field: string, bucket?: string): GroupKey => (bucket ? { field, bucket } : field);
const dated = (type: string | undefined) => type === 'date' || type === 'datetime';
const numeric = new Set(['integer', 'number', 'currency', 'percent']);

export interface WidgetEditorProps {
  name: string | undefined;
  widget: WidgetDef | undefined;
  entities: ReadonlyMap<string, EntityDef>;
  workflows: WorkflowDef[];
  onChange: (widget: WidgetDef) => void;
  onClose: () => void;
}

/** What a widget over this entity is filled with when it needs a key, a workflow or a column. */
export function fillFor(entity: EntityDef | undefined, workflows: WorkflowDef[]) {
  const groupBy = Object.entries(entity?.fields ?? {}).find(([, f]) => f.type === 'picklist')?.[0] ?? entity?.titleField ?? 'id';
  return { groupBy, workflow: workflows.find((w) => w.entity === entity?.name)?.name ?? '', titleField: entity?.titleField ?? 'id' };
}

export function WidgetEditor({ name, widget, entities, workflows, onChange, onClose }: WidgetEditorProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entity = widget ? entities.get(widget.entity) : undefined;
  const choices = useMemo(() => (entity ? pathChoices(entity, entities, label) : []), [entity, entities, label]);
  if (!widget || !name) return <Drawer open={false} onClose={onClose} />;
  const type = widget.type as WidgetType;
  const set = (patch: Record<string, unknown>) => {
    const next: Record<string, unknown> = { ...widget, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
    onChange(next as WidgetDef);
  };
  const fieldOptions = (filter: (type: string | undefined) => boolean = () => true) => choices.filter((c) => filter(valueTypeOf(c.def, entities))).map((c) => ({ value: c.value, label: c.label }));
  const ownWorkflows = workflows.filter((w) => w.entity === widget.entity);
  const measure = widget.measure ?? { op: 'count' };
  const n = name.replace(/^widget/, '');
  const placeholder = { en: t('dashDesigner.newWidgetTitle', { lng: 'en', n }), zh: t('dashDesigner.newWidgetTitle', { lng: 'zh', n }) };
  const keyEditor = (id: string, title: string, key: GroupKey, onKey: (k: GroupKey | undefined) => void, optional = false) => {
    const field = keyField(key);
    const def = field && entity ? defOfPath(entity, entities, field) : undefined;
    return (
      <Space wrap align="end">
        <Form.Item label={title} htmlFor={id}>
          <Select id={id} showSearch optionFilterProp="label" allowClear={optional} style={{ minWidth: 200 }} value={field} onChange={(f?: string) => onKey(f ? makeKey(f, defOfPath(entity!, entities, f)?.type && dated(defOfPath(entity!, entities, f)?.type) ? 'month' : undefined) : undefined)} options={fieldOptions((ty) => ty !== 'multipicklist' && ty !== 'textarea')} />
        </Form.Item>
        {field && dated(def?.type) && (
          <Form.Item label={t('dashDesigner.bucket')} htmlFor={`${id}-bucket`}>
            <Select id={`${id}-bucket`} style={{ minWidth: 120 }} value={keyBucket(key) ?? ''} onChange={(b: string) => onKey(makeKey(field, b || undefined))} options={[{ value: '', label: t('dashDesigner.noBucket') }, ...buckets.map((b) => ({ value: b, label: t(`dashDesigner.buckets.${b}`) }))]} />
          </Form.Item>
        )}
      </Space>
    );
  };
  return (
    <Drawer open onClose={onClose} title={t('dashDesigner.widgetSettings', { widget: label(widget.title, name) })} size={520} destroyOnHidden>
      <Form layout="vertical" component="div">
        <Form.Item label={t('dashDesigner.widgetTitle')}>
          <LocalizedInput id="widget-title" label={t('dashDesigner.widgetTitle')} value={widget.title} onChange={(l) => set({ title: retitle(widget.title, l, placeholder) ?? name })} />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t('dashDesigner.widgetType')} htmlFor="widget-type">
            <Select id="widget-type" style={{ minWidth: 160 }} value={type} onChange={(ty: WidgetType) => onChange(changeType(widget, ty, fillFor(entity, workflows)))} options={widgetTypes.map((ty) => ({ value: ty, label: t(`dashDesigner.types.${ty}`) }))} />
          </Form.Item>
          <Form.Item label={t('dashDesigner.entity')} htmlFor="widget-entity">
            <Select
              id="widget-entity"
              showSearch
              optionFilterProp="label"
              style={{ minWidth: 180 }}
              value={widget.entity}
              onChange={(e: string) => {
                const fresh = { type: widget.type, title: widget.title, entity: e, layout: widget.layout } as WidgetDef;
                onChange(changeType(fresh, type, fillFor(entities.get(e), workflows)));
              }}
              options={[...entities.values()].map((e) => ({ value: e.name, label: label(e.label, e.name) }))}
            />
          </Form.Item>
        </Space>
        {['metric', 'bar', 'line', 'pie', 'pivot', 'funnel'].includes(type) && (
          <Space wrap>
            <Form.Item label={t('dashDesigner.measure')} htmlFor="widget-measure">
              <Select id="widget-measure" style={{ minWidth: 160 }} value={measure.op} onChange={(op: string) => set({ measure: op === 'count' ? { op } : { op, field: measure.field ?? choices.find((c) => numeric.has(valueTypeOf(c.def, entities) ?? ''))?.value ?? choices[0]?.value } })} options={measureOps.map((op) => ({ value: op, label: t(`dashDesigner.ops.${op}`) }))} />
            </Form.Item>
            {measure.op !== 'count' && (
              <Form.Item label={t('dashDesigner.measureField')} htmlFor="widget-measure-field">
                <Select id="widget-measure-field" showSearch optionFilterProp="label" style={{ minWidth: 180 }} value={measure.field} onChange={(f: string) => set({ measure: { op: measure.op, field: f } })} options={fieldOptions((ty) => (measure.op === 'sum' || measure.op === 'avg' ? numeric.has(ty ?? '') : measure.op === 'countDistinct' ? true : numeric.has(ty ?? '') || dated(ty) || ty === 'text'))} />
              </Form.Item>
            )}
          </Space>
        )}
        {['bar', 'line', 'pie'].includes(type) && keyEditor('widget-group-by', t('dashDesigner.groupBy'), widget.groupBy, (k) => set({ groupBy: k }))}
        {['bar', 'line'].includes(type) && keyEditor('widget-series', t('dashDesigner.series'), widget.series, (k) => set({ series: k }), true)}
        {type === 'pivot' && keyEditor('widget-rows', t('dashDesigner.rows'), widget.rows, (k) => set({ rows: k }))}
        {type === 'pivot' && keyEditor('widget-columns', t('dashDesigner.pivotColumns'), widget.columns as GroupKey, (k) => set({ columns: k }))}
        {(type === 'funnel' || type === 'sla') && (
          <Form.Item label={t('dashDesigner.workflow')} htmlFor="widget-workflow">
            <Select id="widget-workflow" style={{ minWidth: 200 }} value={widget.workflow || undefined} onChange={(w: string) => set({ workflow: w })} options={ownWorkflows.map((w) => ({ value: w.name, label: label(w['label'] as never, w.name) }))} />
          </Form.Item>
        )}
        {type === 'table' && (
          <Form.Item label={t('dashDesigner.tableColumns')} htmlFor="widget-table-columns">
            <Select id="widget-table-columns" mode="multiple" showSearch optionFilterProp="label" value={(widget.columns as string[] | undefined) ?? []} onChange={(c: string[]) => set({ columns: c.length > 0 ? c : undefined })} options={fieldOptions()} />
          </Form.Item>
        )}
        <Space wrap>
          {['bar', 'pie', 'table'].includes(type) && (
            <Form.Item label={t('dashDesigner.limit')} htmlFor="widget-limit">
              <InputNumber id="widget-limit" min={1} max={type === 'pie' ? 20 : 100} value={widget['limit'] as number | undefined} onChange={(v) => set({ limit: v ?? undefined })} />
            </Form.Item>
          )}
          {type === 'bar' && widget.series !== undefined && (
            <Form.Item label={t('dashDesigner.stacked')} htmlFor="widget-stacked">
              <Switch id="widget-stacked" checked={Boolean(widget.stacked)} onChange={(on) => set({ stacked: on || undefined })} />
            </Form.Item>
          )}
          {type === 'quality' && (
            <Form.Item label={t('dashDesigner.staleDays')} htmlFor="widget-stale-days">
              <InputNumber id="widget-stale-days" min={1} max={36_500} placeholder="180" value={widget['staleDays'] as number | undefined} onChange={(v) => set({ staleDays: v ?? undefined })} />
            </Form.Item>
          )}
          {type === 'pie' && (
            <Form.Item label={t('dashDesigner.donut')} htmlFor="widget-donut">
              <Switch id="widget-donut" checked={Boolean(widget.donut)} onChange={(on) => set({ donut: on || undefined })} />
            </Form.Item>
          )}
        </Space>
        {entity && <ConditionEditor<FilterJson> key={`${name}-${widget.entity}`} id="widget-filter" label={t('dashDesigner.filter')} value={widget['filter'] as FilterJson | undefined} entity={entity} fields={choices} language={filterLanguage} onChange={(f) => set({ filter: f })} />}
      </Form>
    </Drawer>
  );
}
