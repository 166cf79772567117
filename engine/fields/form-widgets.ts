// fields/form-widgets: which form widgets fit each field type — the one table the engine's form
// check, the studio's form designer (what it offers) and the record form (what it draws) all read,
// so that a form that is accepted is a form that runs. Pure: no server imports (the studio bundles it).

import type { LocalizedText } from '../kernel/i18n.ts';
import type { FieldDefinition } from '../metadata/generated/metadata.ts';

/** The input controls a form may choose (schemas/form.schema.json). */
export type FormWidget = 'input' | 'textarea' | 'richText' | 'select' | 'radio' | 'checkboxes' | 'tags' | 'checkbox' | 'toggle' | 'stepper' | 'slider' | 'date' | 'datetime' | 'lookup' | 'address' | 'consent' | 'file';

/**
 * Field type → the widgets a form may choose for it; the first is the type's default (what the
 * record form draws when the form names none). Computed types (autonumber, formula, rollup) are
 * shown as their value, read-only, whatever the form says: their one widget is that.
 */
export const typeWidgets = {
  text: ['input', 'textarea', 'richText'],
  textarea: ['textarea', 'richText', 'input'],
  email: ['input'],
  phone: ['input'],
  url: ['input'],
  integer: ['input', 'stepper', 'slider', 'radio', 'select'],
  number: ['input', 'stepper', 'slider'],
  currency: ['input', 'stepper'],
  percent: ['input', 'stepper', 'slider'],
  boolean: ['checkbox', 'toggle', 'radio', 'select'],
  date: ['date'],
  datetime: ['datetime'],
  picklist: ['select', 'radio'],
  multipicklist: ['select', 'checkboxes', 'tags'],
  lookup: ['lookup'],
  multiLookup: ['lookup'],
  polymorphicLookup: ['lookup'],
  user: ['lookup'],
  address: ['address'],
  consent: ['consent'],
  file: ['file'],
  autonumber: ['input'],
  formula: ['input'],
  rollup: ['input'],
} as const satisfies Record<FieldDefinition['type'], readonly FormWidget[]>;

/** Most whole numbers an integer's radio group or select offers (a 0–10 score); a wider or unbounded range is typed. */
export const mostRadioChoices = 11;

/** Widgets that choose among an integer's whole numbers: they need a small range (integerChoices). */
const choosingWidgets: readonly FormWidget[] = ['radio', 'select'];

/** What of a field definition the widgets depend on. */
export interface WidgetField {
  type: string;
  min?: unknown;
  max?: unknown;
}

/**
 * An integer's choices — each whole number from its min to its max — when it has both and they are
 * at most mostRadioChoices; else undefined.
 */
export function integerChoices(field: WidgetField): number[] | undefined {
  if (field.type !== 'integer' || typeof field.min !== 'number' || typeof field.max !== 'number') return undefined;
  const from = Math.ceil(field.min);
  const to = Math.floor(field.max);
  if (to < from || to - from + 1 > mostRadioChoices) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The widgets of a field's type (empty for a type this table does not know). */
export function widgetsOfType(type: string): readonly FormWidget[] {
  return (typeWidgets as Record<string, readonly FormWidget[]>)[type] ?? [];
}

/** The widgets that fit this field as it is defined — what the form designer offers: its type's, less an integer's radio and select without a small range. */
export function widgetsFor(field: WidgetField): readonly FormWidget[] {
  const all = widgetsOfType(field.type);
  if (field.type !== 'integer' || integerChoices(field)) return all;
  return all.filter((w) => !choosingWidgets.includes(w));
}

/**
 * Why a widget does not fit a field, in English and Chinese; undefined when it fits. The text names
 * what to do: the widgets that fit, a picklist for a text's "select", a range for an integer's choices.
 */
export function widgetMisfit(field: WidgetField, widget: string): LocalizedText | undefined {
  const ofType = widgetsOfType(field.type);
  if (ofType.length === 0 || widgetsFor(field).includes(widget as FormWidget)) return undefined;
  if (ofType.includes(widget as FormWidget)) {
    return {
      en: `"${widget}" on an integer field offers each whole number from min to max: set both min and max, at most ${mostRadioChoices} numbers apart (e.g. 1 to 5), or use one of ${widgetsFor(field).join(', ')}`,
      zh: `整数字段的 "${widget}" 控件列出从最小值到最大值的每个整数：请同时设置最小值和最大值，最多 ${mostRadioChoices} 个数（例如 1 到 5），或使用以下之一：${widgetsFor(field).join(', ')}`,
    };
  }
  const list = ofType.join(', ');
  if (widget === 'select' && (field.type === 'text' || field.type === 'textarea')) {
    return {
      en: `"select" does not fit a ${field.type} field: a text has no options to choose from; use a picklist field for a choice, or one of ${list}`,
      zh: `"select" 不适用于 ${field.type} 字段：文本没有可选的选项；要让用户选择请使用下拉字段，或使用以下之一：${list}`,
    };
  }
  return { en: `"${widget}" does not fit a ${field.type} field; use one of ${list}`, zh: `"${widget}" 不适用于 ${field.type} 字段；请使用以下之一：${list}` };
}
