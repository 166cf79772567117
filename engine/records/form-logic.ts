// Form logic on the server: a write that names a form (`?form=name`) meets the form's conditions —
// a field whose `requiredWhen` holds (and that is shown) must have a value, a field read-only in
// the form (`readOnly`, or `readOnlyWhen` true of the record as it was) cannot change, and a field
// hidden by its `visibleWhen` (or its section's) keeps its value or is cleared, as the form's
// `hiddenFields` says. The studio evaluates the same expressions (formLogic, served by the meta API).

import { hasValue } from '../kernel/has-value.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { compileExpression } from '../expressions/compile-expression.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { CrmError, pointer, type IssueDetail, localizedDetail } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import type { FormDefinition } from '../metadata/generated/metadata.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

type Condition = 'visibleWhen' | 'requiredWhen' | 'readOnlyWhen';

/** One condition of a form, as the studio evaluates it: JSONata over the record being edited. */
export interface FormCondition {
  /** Where it is in the form document: `/sections/main/fields/amount/visibleWhen`. */
  pointer: string;
  section: string;
  /** Absent for a section's own visibleWhen. */
  field?: string;
  condition: Condition;
  expression: string;
  /** The record fields it reads. */
  reads: string[];
}

export interface FormLogic {
  form: string;
  entity: string;
  /** What a write does with a field its condition hides: keep the value (default) or clear it. */
  hiddenFields: 'keep' | 'clear';
  conditions: FormCondition[];
  /** Fields the form always shows read-only. */
  readOnly: string[];
}

const logicCache = new WeakMap<object, FormLogic>();

export function formLogic(form: FormDefinition): FormLogic {
  const cached = logicCache.get(form);
  if (cached) return cached;
  const conditions: FormCondition[] = [];
  const readOnly: string[] = [];
  const add = (at: string, section: string, field: string | undefined, condition: Condition, source: string | undefined) => {
    if (source === undefined) return;
    const reads = [...(compileExpression(source, at).expression?.rootReferences ?? [])];
    conditions.push({ pointer: `${at}/${condition}`, section, ...(field !== undefined ? { field } : {}), condition, expression: source, reads });
  };
  for (const [sectionName, section] of Object.entries(form.sections)) {
    const at = `/sections/${sectionName}`;
    add(at, sectionName, undefined, 'visibleWhen', section.visibleWhen);
    for (const [fieldName, field] of Object.entries(section.fields ?? {})) {
      for (const condition of ['visibleWhen', 'requiredWhen', 'readOnlyWhen'] as const) add(`${at}/fields/${fieldName}`, sectionName, fieldName, condition, field[condition]);
      if (field.readOnly) readOnly.push(fieldName);
    }
  }
  const logic: FormLogic = Object.freeze({ form: form.name, entity: form.entity, hiddenFields: form.hiddenFields ?? 'keep', conditions, readOnly });
  logicCache.set(form, logic);
  return logic;
}

export function getFormOrThrow(ctx: RequestContext, entity: CompiledEntity, name: string): FormDefinition {
  const form = ctx.model.set.get('form', name);
  if (!form || form['entity'] !== entity.name) {
    // The form is named as asked (there is none to take a label from); the entity as people know it.
    const label = (locale: 'en' | 'zh') => localize(entity.definition.label, locale) || entity.name;
    throw new CrmError('INVALID_QUERY', undefined, [localizedDetail({ path: '/query/form', text: { en: `${label('en')} has no form "${name}"`, zh: `${label('zh')} 没有表单「${name}」` } }, ctx.locale)]);
  }
  return form as unknown as FormDefinition;
}

const empty = (value: unknown): boolean => !hasValue(value);

/**
 * The values to write after the form's logic: hidden fields cleared when the form says so. Throws
 * INVALID_RECORD with a pointer per field that is required and empty, or read-only and changed.
 */
export async function applyFormLogic(args: { ctx: RequestContext; entity: CompiledEntity; form: FormDefinition; values: RecordValues; previous?: RecordValues }): Promise<RecordValues> {
  const { ctx, entity, form, values, previous } = args;
  const logic = formLogic(form);
  const record = { ...(previous ?? {}), ...values };
  const truth = async (c: FormCondition, input: RecordValues) => {
    const { expression } = compileExpression(c.expression, c.pointer);
    return expression ? (await evaluateExpression(expression, input, { clock: ctx.clock, origin: `/form/${form.name}${c.pointer}` })) === true : false;
  };
  const hiddenSections = new Set<string>();
  const hidden = new Set<string>();
  for (const c of logic.conditions) if (c.condition === 'visibleWhen' && c.field === undefined && !(await truth(c, record))) hiddenSections.add(c.section);
  for (const [sectionName, section] of Object.entries(form.sections)) if (hiddenSections.has(sectionName)) for (const field of Object.keys(section.fields ?? {})) hidden.add(field);
  for (const c of logic.conditions) if (c.condition === 'visibleWhen' && c.field !== undefined && !(await truth(c, record))) hidden.add(c.field);
  const issues: IssueDetail[] = [];
  // Only a field a write can set can change: computed ones (an autonumber) are absent from `values`
  // and must not count as "changed" against the stored record.
  const changed = (field: string) => entity.valueFields.has(field) && JSON.stringify(values[field]) !== JSON.stringify(previous?.[field]);
  for (const field of logic.readOnly) {
    if (previous && changed(field)) issues.push(localizedDetail({ path: pointer(field), code: 'FORM_READ_ONLY', text: readOnlyText({ form, entity, field }) }, ctx.locale));
  }
  for (const c of logic.conditions) {
    if (c.field === undefined) continue;
    if (c.condition === 'readOnlyWhen' && previous && changed(c.field) && (await truth(c, previous))) {
      issues.push(localizedDetail({ path: pointer(c.field), code: 'FORM_READ_ONLY', text: conditionText({ form, entity, section: c.section, field: c.field, condition: c.condition }) }, ctx.locale));
    }
    if (c.condition === 'requiredWhen' && !hidden.has(c.field) && empty(record[c.field]) && (await truth(c, record))) {
      issues.push(localizedDetail({ path: pointer(c.field), code: 'FORM_REQUIRED', text: conditionText({ form, entity, section: c.section, field: c.field, condition: c.condition }) }, ctx.locale));
    }
  }
  if (issues.length > 0) throw new CrmError('INVALID_RECORD', undefined, issues);
  if (logic.hiddenFields !== 'clear') return values;
  return Object.fromEntries(Object.entries(values).filter(([field]) => !hidden.has(field)));
}

/** A field's label as the form shows it (its own, else the entity's), in each language; its name when it has none. */
function fieldLabels(args: { form: FormDefinition; entity: CompiledEntity; section: string | undefined; field: string }): { en: string; zh: string } {
  const placed = args.section === undefined ? undefined : args.form.sections[args.section]?.fields?.[args.field];
  const label = placed?.label ?? args.entity.fields.get(args.field)?.definition.label;
  return { en: localize(label, 'en') || args.field, zh: localize(label, 'zh') || args.field };
}

/**
 * A change to a field the form always shows read-only: the field and the form as the person filling
 * it sees them — by their labels, not by internal names (a form labelled only in another language
 * is named by its name).
 */
function readOnlyText(args: { form: FormDefinition; entity: CompiledEntity; field: string }): { en: string; zh: string } {
  const section = Object.keys(args.form.sections).find((name) => args.form.sections[name]?.fields?.[args.field] !== undefined);
  const field = fieldLabels({ ...args, section });
  const form = (locale: 'en' | 'zh') => localize(args.form.label, locale) || args.form.name;
  return { en: `${field.en} is read-only in the form “${form('en')}”`, zh: `在表单「${form('zh')}」中只读：${field.zh}` };
}

/**
 * What the person filling the form reads when a condition refuses a write: the form's own message
 * for it, else a plain sentence naming the field by its label. Never the expression: an end user
 * cannot read JSONata, and it may name fields their role does not show.
 */
function conditionText(args: { form: FormDefinition; entity: CompiledEntity; section: string; field: string; condition: 'requiredWhen' | 'readOnlyWhen' }): { en: string; zh: string } {
  const placed = args.form.sections[args.section]?.fields?.[args.field];
  const own = args.condition === 'requiredWhen' ? placed?.requiredWhenMessage : placed?.readOnlyWhenMessage;
  if (own !== undefined) return { en: localize(own, 'en'), zh: localize(own, 'zh') };
  const { en, zh } = fieldLabels(args);
  return args.condition === 'requiredWhen'
    ? { en: `${en} is required here`, zh: `此处必填：${zh}` }
    : { en: `${en} cannot be changed here`, zh: `此处不可修改：${zh}` };
}
