// One field's definition: its name and type (when new), then every option its type takes (from
// the schema, see field-options.ts). Formulas and rollups show their value on a sample record as
// they are typed, computed by the server with the entity as edited. Nothing is saved here: the
// field goes into the entity's draft, which is saved through the dry run.

import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Input, Space, Switch, Tag, Typography } from 'antd';
import { InputNumber, Select } from '../../app/localized-controls.tsx';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { previewField, type FieldPreview, type IssueItem, type MetaDocument } from '../../api/designer.ts';
import { findOrganisationCurrency, type EntityDef, type FieldDef } from '../../api/meta.ts';
import { listRecords } from '../../api/records.ts';
import { useLanguage } from '../../app/use-language.ts';
import type { Label } from '../../i18n/i18n.ts';
import { LocalizedInput } from '../impact/LocalizedInput.tsx';
import { applies, fieldTypes, keepOptions, optionsOf, typeDescription, withoutInapplicable, type FieldOption } from './field-options.ts';
import { OptionsEditor } from './OptionsEditor.tsx';
import { LookupFilterEditor } from './LookupFilterEditor.tsx';
import { filterRows } from './lookup-filter-rows.ts';
import { metadataName } from '../metadata-name.ts';


function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export interface FieldEditorProps {
  entity: EntityDef;
  entities: Map<string, EntityDef>;
  /** The field edited; undefined for a new one. */
  name: string | undefined;
  open: boolean;
  onClose: () => void;
  onKeep: (name: string, definition: FieldDef) => void;
  onChangeType: (name: string) => void;
  /** Saved fields removed in this draft: their names come back only through "Restore" (a new field of that name would be a type change that skips its conversion). */
  removed?: readonly string[];
}

export function FieldEditor(props: FieldEditorProps) {
  const { entity, name, open } = props;
  const { t, i18n } = useTranslation();
  const [fieldName, setFieldName] = useState(name ?? '');
  const [def, setDef] = useState<FieldDef>(() => (name ? entity.fields[name]! : { type: 'text' }));
  useEffect(() => {
    if (!open) return;
    setFieldName(name ?? '');
    setDef(name ? { ...entity.fields[name]! } : { type: 'text', label: { en: '' } });
  }, [open, name, entity]);
  const isNew = name === undefined;
  const { label } = useLanguage();
  // The field as the admin knows it — its label — with the name that formulas and the API use.
  const fieldTitle = (field: string) => {
    const shown = label(entity.fields[field]?.label, field);
    return shown === field ? t('entityDesigner.editField', { name: field }) : t('entityDesigner.editFieldLabelled', { name: field, label: shown });
  };
  const nameProblem = isNew && fieldName !== '' && (!metadataName.test(fieldName) ? t('entityDesigner.nameRule') : entity.fields[fieldName] ? t('entityDesigner.nameTaken') : props.removed?.includes(fieldName) ? t('entityDesigner.nameRemoved') : undefined);
  const set = (key: string, value: unknown) =>
    setDef((d) => {
      const next: Record<string, unknown> = { ...d, [key]: value };
      if (value === undefined || value === '' || value === null) delete next[key];
      // An option that applied only beside the value just changed goes with it (a formula's currency when it stops returning currency).
      return withoutInapplicable(next as FieldDef);
    });
  const computed = def.type === 'formula' || def.type === 'rollup';
  // A formula or rollup is checked by the server as it is typed (the engine's own preparation of
  // the entity as edited), record or not: its problems show at the option they are about.
  const checkedName = computed && fieldName && !nameProblem ? fieldName : undefined;
  const check = useComputedCheck(entity, checkedName, def);
  // A definition the engine refuses (a formula without an expression, one that does not parse) is not kept: the review would only refuse it later.
  const refused = optionsOf(def.type).some((o) => check.at(o.key).length > 0);
  return (
    <Drawer
      open={open}
      onClose={props.onClose}
      size={640}
      destroyOnHidden
      title={isNew ? t('entityDesigner.newField') : fieldTitle(name)}
      extra={
        <Space>
          <Button onClick={props.onClose}>{t('impact.cancel')}</Button>
          <Button type="primary" disabled={!fieldName || Boolean(nameProblem) || refused} onClick={() => props.onKeep(fieldName, def)}>
            {t('entityDesigner.keepField')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component="div">
        {isNew ? (
          <Form.Item label={t('entityDesigner.fieldName')} htmlFor="field-name" validateStatus={nameProblem ? 'error' : undefined} help={nameProblem || t('entityDesigner.nameHelp')}>
            <Input id="field-name" value={fieldName} onChange={(e) => setFieldName(e.target.value.trim())} autoComplete="off" />
          </Form.Item>
        ) : null}
        <Form.Item label={t('entityDesigner.fieldType')} htmlFor="field-type" help={t(`entityDesigner.typeHelp.${def.type}`, { defaultValue: i18n.language === 'zh' ? '' : typeDescription(def.type) })}>
          {isNew ? (
            <Select id="field-type" value={def.type} onChange={(type: string) => setDef((d) => keepOptions(d, type) as FieldDef)} options={fieldTypes.map((ft) => ({ value: ft, label: t(`entityDesigner.types.${ft}`, ft) }))} showSearch optionFilterProp="label" />
          ) : (
            <Space>
              <Tag id="field-type">{t(`entityDesigner.types.${def.type}`, def.type)}</Tag>
              <Button size="small" onClick={() => props.onChangeType(name)}>
                {t('entityDesigner.changeType')}
              </Button>
            </Space>
          )}
        </Form.Item>
        {optionsOf(def.type)
          .filter((option) => applies(option, def))
          .map((option) => (
            <OptionInput key={option.key} option={option} def={def} entity={entity} entities={props.entities} onChange={(v) => set(option.key, v)} problems={check.at(option.key)} />
          ))}
        {computed && checkedName && <ComputedPreview entity={entity} check={check} />}
      </Form>
    </Drawer>
  );
}

function OptionInput({ option, def, entity, entities, onChange, problems = [] }: { option: FieldOption; def: FieldDef; entity: EntityDef; entities: Map<string, EntityDef>; onChange: (v: unknown) => void; problems?: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const { label } = useLanguage();
  const id = `field-opt-${option.key}`;
  const title = t(`entityDesigner.opt.${option.key}`, option.key);
  // The schema's descriptions are English; Chinese help comes from the i18n file, for the type's own option first.
  const help = i18n.language === 'zh' ? t(`entityDesigner.optHelp.${def.type}.${option.key}`, { defaultValue: t(`entityDesigner.optHelp.${option.key}`, { defaultValue: '' }) }) || undefined : option.description;
  const value = def[option.key];
  const entityOptions = [...entities.values()].map((e) => ({ value: e.name, label: `${label(e.label, e.name)} (${e.name})` }));
  let control: React.ReactNode;
  // The server's objection to this option, said at it (and read out with it), before its help.
  const problem = problems.length > 0 ? problems.join(' · ') : undefined;
  switch (option.control) {
    case 'localized':
      return (
        <Form.Item label={title} help={problem ?? help} validateStatus={problem ? 'error' : undefined}>
          <LocalizedInput id={id} label={title} value={value as Label} onChange={onChange} multiline={option.key === 'description'} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item label={title} help={help} htmlFor={id}>
          <Switch id={id} checked={Boolean(value)} onChange={(on) => onChange(on || undefined)} />
        </Form.Item>
      );
    case 'options':
      return (
        <Form.Item label={title} help={help}>
          <OptionsEditor value={value as never} onChange={onChange} />
        </Form.Item>
      );
    case 'lookupFilter':
      if (filterRows(value) === undefined) control = <JsonInput id={id} value={value} onChange={onChange} />;
      else {
        return (
          <Form.Item label={<span id={`${id}-label`}>{title}</span>} help={t('entityDesigner.lookupFilter.help')}>
            <LookupFilterEditor id={id} value={value} entity={entity} target={entities.get(String(def['to'] ?? ''))} onChange={onChange} />
          </Form.Item>
        );
      }
      break;
    case 'expression':
      control = <Input.TextArea id={id} value={(value as string) ?? ''} autoSize={{ minRows: 2 }} style={{ fontFamily: 'monospace' }} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'integer':
    case 'number':
      control = <InputNumber id={id} value={value as number | undefined} min={option.minimum} max={option.maximum} precision={option.control === 'integer' ? 0 : undefined} onChange={(v) => onChange(v ?? undefined)} style={{ width: 200 }} />;
      break;
    case 'enum':
      control = <Select id={id} allowClear value={value as string | undefined} onChange={onChange} options={(option.enum ?? []).map((v) => ({ value: v, label: option.key === 'returns' ? t(`entityDesigner.types.${v}`, v) : t(`entityDesigner.enum.${v}`, v) }))} style={{ width: 240 }} />;
      break;
    case 'entity':
      control = <Select id={id} allowClear showSearch value={value as string | undefined} onChange={onChange} options={entityOptions} optionFilterProp="label" />;
      break;
    case 'entities':
      control = <Select id={id} mode="multiple" value={(value as string[] | undefined) ?? []} onChange={(v: string[]) => onChange(v.length ? v : undefined)} options={entityOptions} optionFilterProp="label" />;
      break;
    case 'childField': {
      const child = entities.get(String(def['from'] ?? ''));
      const fields = Object.entries(child?.fields ?? {}).filter(([, f]) => (option.key === 'via' ? f.type === 'lookup' && f.to === entity.name : true));
      control = <Select id={id} allowClear value={value as string | undefined} onChange={onChange} options={fields.map(([n, f]) => ({ value: n, label: `${label(f.label, n)} (${n})` }))} />;
      break;
    }
    case 'default':
      if (def.type === 'picklist') control = <Select id={id} allowClear value={value as string | undefined} onChange={onChange} options={Object.entries(def.options ?? {}).map(([k, o]) => ({ value: k, label: label(o.label, k) }))} style={{ width: 240 }} />;
      else if (def.type === 'boolean') control = <Switch id={id} checked={Boolean(value)} onChange={(on) => onChange(on)} />;
      else if (['integer', 'number', 'currency', 'percent'].includes(def.type)) control = <InputNumber id={id} value={value as number | undefined} onChange={(v) => onChange(v ?? undefined)} style={{ width: 200 }} />;
      else control = <Input id={id} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'color':
    case 'string': {
      // Left empty, an amount is in the organisation's currency (CRM_CURRENCY): the placeholder says
      // which, and only says it — the designer saves no currency the admin did not type, and an
      // emptied one is no currency (not "", which the schema refuses).
      const currency = option.key === 'currency';
      const organisation = currency ? findOrganisationCurrency() : undefined;
      control = <Input id={id} value={(value as string) ?? ''} placeholder={organisation ? t('entityDesigner.currencyDefault', { currency: organisation }) : undefined} onChange={(e) => onChange(currency ? e.target.value || undefined : e.target.value)} />;
      break;
    }
    default:
      control = <JsonInput id={id} value={value} onChange={onChange} />;
  }
  return (
    <Form.Item label={title} help={problem ?? help} validateStatus={problem ? 'error' : undefined} htmlFor={id}>
      {control}
    </Form.Item>
  );
}

function JsonInput({ id, value, onChange }: { id: string; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  return (
    <Input.TextArea
      id={id}
      value={text}
      style={{ fontFamily: 'monospace' }}
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(e.target.value ? JSON.parse(e.target.value) : undefined);
        } catch {
          /* kept as typed until it parses */
        }
      }}
    />
  );
}

function withoutEmptyLabel(def: FieldDef): FieldDef {
  const label = def.label;
  if (!label || typeof label !== 'object' || Object.values(label).some((v) => v)) return def;
  const { label: _empty, ...rest } = def;
  return rest as FieldDef;
}

interface ComputedCheck {
  samples: { id: string; title: string }[] | undefined;
  chosen: string | undefined;
  choose: (id: string) => void;
  preview: FieldPreview | undefined;
  /** The problems with one option of the field (`expression`, `returns`, …), in the UI language. */
  at: (option: string) => string[];
  /** Problems that belong to no option of the field shown (another field, the entity). */
  elsewhere: IssueItem[];
}

/**
 * The field as edited, prepared by the server (POST /api/meta/preview/field) a moment after each
 * change, with a sample record's value when the entity has one.
 */
function useComputedCheck(entity: EntityDef, name: string | undefined, def: FieldDef): ComputedCheck {
  const samples = useQuery({ queryKey: ['designer', 'samples', entity.name], queryFn: () => listRecords(entity.name, { limit: 20 }), enabled: Boolean(name) });
  const [recordId, setRecordId] = useState<string>();
  const chosen = recordId ?? samples.data?.items[0]?.id;
  // A new field's label starts as an empty English one (the inputs' value): not yet a problem to report.
  const document = useMemo(() => (name ? ({ ...entity, kind: 'entity', fields: { ...entity.fields, [name]: withoutEmptyLabel(def) } } as unknown as MetaDocument) : undefined), [entity, name, def]);
  const debounced = useDebounced(document, 400);
  const ready = Boolean(name && debounced && debounced['fields'] && (debounced['fields'] as Record<string, unknown>)[name]) && (samples.isSuccess || samples.isError);
  const preview = useQuery({ queryKey: ['designer', 'preview', JSON.stringify(debounced), name, chosen], queryFn: () => previewField(debounced!, name!, chosen), enabled: ready });
  const own = (path: string) => {
    // The preview's pointers start at the document (/entity/<name>/…); the field's own part after it.
    const local = path.replace(/^\/entity\/[^/]+/, '');
    const prefix = `/fields/${name}/`;
    return local.startsWith(prefix) ? local.slice(prefix.length).split('/')[0] : undefined;
  };
  const issues = preview.data?.issues ?? [];
  const titleOf = (r: Record<string, unknown>) => String((entity.titleField && r[entity.titleField]) || r['id']);
  return {
    samples: samples.data?.items.map((r) => ({ id: r.id, title: titleOf(r) })),
    chosen,
    choose: setRecordId,
    preview: preview.data,
    at: (option) => issues.filter((i) => own(i.path) === option).map((i) => i.message),
    elsewhere: issues.filter((i) => own(i.path) === undefined || !optionsOf(String(def.type)).some((o) => o.key === own(i.path))),
  };
}

/** The formula's or rollup's value on a sample record, from the server, as the definition is edited. */
function ComputedPreview({ entity, check }: { entity: EntityDef; check: ComputedCheck }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { chosen, preview } = check;
  const fieldLabel = (path: string) => {
    const field = /^(?:\/entity\/[^/]+)?\/fields\/([^/]+)/.exec(path)?.[1];
    return field ? label(entity.fields[field]?.label, field) : path;
  };
  return (
    <div aria-live="polite" style={{ background: '#f6f8fa', padding: 12, borderRadius: 6 }}>
      <Typography.Text strong>{t('entityDesigner.liveResult')}</Typography.Text>
      <div style={{ margin: '8px 0' }}>
        <Select aria-label={t('entityDesigner.sampleRecord')} value={chosen} onChange={check.choose} options={(check.samples ?? []).map((r) => ({ value: r.id, label: r.title }))} style={{ minWidth: 240, maxWidth: '100%' }} />
      </div>
      {!chosen && <Typography.Text type="secondary">{t('entityDesigner.noSample')}</Typography.Text>}
      {preview && preview.valid && chosen && (
        <div data-testid="computed-value">
          {t('entityDesigner.valueIs')} <Typography.Text code>{preview.value === null ? '∅' : JSON.stringify(preview.value)}</Typography.Text>
        </div>
      )}
      {preview && !preview.valid && (
        <Alert type="error" showIcon title={check.elsewhere.length > 0 ? check.elsewhere.map((i) => `${fieldLabel(i.path)}: ${i.message}`).join(' · ') : t('entityDesigner.fixAbove')} />
      )}
    </div>
  );
}
