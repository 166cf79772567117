// From entity + form metadata to what the record page renders: ordered sections, each with its
// fields, a JSON Schema and a uiSchema for rjsf, and the visibleWhen / requiredWhen expressions
// (JSONata, the same text the server evaluates).

import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { EntityDef, FieldDef, FormDef, FormFieldDef, FormSectionDef } from '../api/meta.ts';
import i18next from 'i18next';
import '../i18n/features.ts';
import { localize, type Language } from '../i18n/i18n.ts';
import { integerChoices } from '../../../engine/fields/form-widgets.ts';

export interface SectionModel {
  key: string;
  label: string;
  columns: number;
  collapsed: boolean;
  visibleWhen?: string;
  fields: { name: string; def: FieldDef; form: FormFieldDef }[];
  related?: FormSectionDef['related'];
}

const computed = new Set(['autonumber', 'formula', 'rollup']);
const addressParts = ['street', 'city', 'region', 'postalCode', 'country'];

export function isComputed(field: FieldDef): boolean {
  return computed.has(field.type);
}

/**
 * The form's sections in order; without a form, one section with every field. `richText`: fields
 * another form of the entity lays out as rich text (rich-text-fields.ts) — their values are Markdown,
 * so a form that chose no widget for them draws them as rich text too, not as their marks.
 */
export function sectionsOf(entity: EntityDef, form: FormDef | undefined, language: Language, richText?: ReadonlySet<string>): SectionModel[] {
  const byOrder = <T extends { order?: number }>(entries: [string, T][]) => entries.sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
  const laidOut = (name: string, f: FormFieldDef): FormFieldDef => (f.widget === undefined && richText?.has(name) ? { ...f, widget: 'richText' } : f);
  if (!form) {
    return [{ key: 'main', label: localize(entity.label, language, entity.name), columns: 2, collapsed: false, fields: Object.entries(entity.fields).map(([name, def]) => ({ name, def, form: laidOut(name, {}) })) }];
  }
  return byOrder(Object.entries(form.sections)).map(([key, s]) => ({
    key,
    label: localize(s.label, language, key),
    columns: s.columns ?? 1,
    collapsed: Boolean(s.collapsed),
    ...(s.visibleWhen ? { visibleWhen: s.visibleWhen } : {}),
    ...(s.related ? { related: s.related } : {}),
    // Fields the caller may not read are absent from the entity (the API narrowed it): skip them.
    fields: byOrder(Object.entries(s.fields ?? {})).flatMap(([name, f]) => (entity.fields[name] ? [{ name, def: entity.fields[name]!, form: laidOut(name, f) }] : [])),
  }));
}

/** An address part's label in the form's language (records.i18n.json). */
const addressPartTitle = (part: string, language: Language): string => i18next.t(`addressPart.${part}`, { lng: language, defaultValue: part });

function fieldSchema(def: FieldDef, title: string, language: Language): RJSFSchema {
  const base: RJSFSchema = { title, ...(def.default !== undefined && !isComputed(def) ? { default: def.default as RJSFSchema['default'] } : {}) };
  switch (def.type) {
    case 'integer':
      return { ...base, type: 'integer' };
    case 'number':
    case 'currency':
    case 'percent':
      return { ...base, type: 'number' };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'picklist':
      return { ...base, type: 'string', enum: Object.keys(def.options ?? {}) };
    case 'multipicklist':
      return { ...base, type: 'array', uniqueItems: true, items: { type: 'string', enum: Object.keys(def.options ?? {}) } };
    case 'address':
      return { ...base, type: 'object', properties: Object.fromEntries(addressParts.map((p) => [p, { type: 'string', title: addressPartTitle(p, language) }])) };
    case 'multiLookup':
      // Links are ids, or { id, …attributes } with link fields: the widget keeps each as it is.
      return { ...base, type: 'array', uniqueItems: true, items: {} };
    case 'file':
    case 'polymorphicLookup':
    case 'consent':
      // Drawn whole by their own fields (FileField.tsx, PolymorphicField.tsx, ConsentField.tsx): no type, so rjsf computes no default for them.
      return { ...base };
    case 'formula':
    case 'rollup':
    case 'autonumber':
      // Shown by the "computed" widget whatever the value's type.
      return { ...base, type: 'string', readOnly: true };
    default:
      return { ...base, type: 'string' };
  }
}

const numeric = new Set(['integer', 'number', 'currency', 'percent']);
/** Widgets that draw their own label for the group they are (choice-widgets.tsx). */
const groupWidgets = new Set(['radio', 'checkboxes', 'tags']);

/**
 * The rjsf widget that draws a field as the form lays it out: every widget the engine accepts for
 * the field's type (engine/fields/form-widgets.ts) is drawn as a control of its own.
 */
const widgetFor = (def: FieldDef, form: FormFieldDef): string | undefined => {
  if (isComputed(def)) return 'computed';
  if (def.type === 'lookup') return 'lookup';
  if (def.type === 'multiLookup') return 'multiLookup';
  if (def.type === 'user') return 'user';
  if (def.type === 'picklist') return form.widget === 'radio' ? 'radio' : 'picklist';
  // Ticked in place, as the form designer offers (a phone's user sees every option at once).
  if (def.type === 'multipicklist' && (form.widget === 'checkboxes' || form.widget === 'tags')) return form.widget;
  // A boolean's Yes / No, or an integer's small range (a 1–5 rating, as a template lays it out), to choose from.
  if ((def.type === 'boolean' || integerChoices(def)) && (form.widget === 'radio' || form.widget === 'select')) return form.widget === 'radio' ? 'radio' : 'choiceSelect';
  if (def.type === 'boolean' && form.widget === 'toggle') return 'toggle';
  if (numeric.has(def.type) && form.widget === 'stepper') return 'stepper';
  if (numeric.has(def.type) && def.type !== 'currency' && form.widget === 'slider') return 'slider';
  if (def.type === 'currency') return 'currency';
  if (def.type === 'percent') return 'percent';
  // A text area laid out as an input is one line (rjsf's text input).
  if (def.type === 'textarea' && form.widget === 'input') return undefined;
  if (form.widget === 'richText') return 'richText';
  if (def.type === 'textarea' || form.widget === 'textarea') return 'textarea';
  return undefined;
};

export interface SectionSchemas {
  schema: RJSFSchema;
  uiSchema: UiSchema;
}

/**
 * The section's schema; `required` holds the fields required now (static or by requiredWhen).
 * `creating`: a new record's form — a read-only field left empty says it is set when the record is
 * created (an autonumber, a formula, a field the role may not set) rather than showing nothing.
 */
export function sectionSchemas(section: SectionModel, args: { language: Language; required: ReadonlySet<string>; hidden: ReadonlySet<string>; readOnly: boolean; readOnlyFields?: ReadonlySet<string>; creating?: boolean }): SectionSchemas {
  const properties: Record<string, RJSFSchema> = {};
  const uiSchema: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const shown = section.fields.filter((f) => !args.hidden.has(f.name));
  for (const f of shown) {
    const title = localize(f.def.label, args.language, f.name);
    properties[f.name] = fieldSchema(f.def, title, args.language);
    const ui: Record<string, unknown> = {};
    const widget = widgetFor(f.def, f.form);
    if (widget) ui['ui:widget'] = widget;
    const readOnly = f.form.readOnly || f.def.readOnly || args.readOnly || args.readOnlyFields?.has(f.name) || isComputed(f.def);
    if (readOnly) ui['ui:readonly'] = true;
    const placeholder = readOnly && args.creating ? i18next.t('record.setWhenCreated', { lng: args.language }) : localize(f.form.placeholder, args.language);
    if (placeholder) ui['ui:placeholder'] = placeholder;
    const help = localize(f.form.help ?? f.def.help, args.language);
    // ui:help hides a field's error in @rjsf/antd; a description does not.
    if (help) ui['ui:description'] = help;
    ui['ui:options'] = { field: f.def, span: f.form.span ?? 1, ...(readOnly && args.creating ? { setWhenCreated: true } : {}), ...(widget && groupWidgets.has(widget) ? { label: false } : {}) };
    // After ui:options: rjsf merges both into one options object, and its `field` (our definition) would hide this one.
    if (f.def.type === 'file') ui['ui:field'] = 'file';
    if (f.def.type === 'polymorphicLookup') ui['ui:field'] = 'polymorphic';
    if (f.def.type === 'consent') ui['ui:field'] = 'consent';
    if (f.def.type === 'picklist' || f.def.type === 'multipicklist') ui['ui:enumNames'] = Object.entries(f.def.options ?? {}).map(([v, o]) => localize(o.label, args.language, v));
    uiSchema[f.name] = ui;
  }
  const required = shown.filter((f) => args.required.has(f.name) && !isComputed(f.def)).map((f) => f.name);
  return { schema: { type: 'object', properties, required }, uiSchema };
}
