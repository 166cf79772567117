// The widgets the form designer offers for each field type: exactly those the record form draws
// as a control of their own (form-model.ts's widgetFor, widgets.tsx). A widget the engine accepts
// but the record form would draw as another (a rich text drawn as a plain text area) is not offered.

import type { FieldDef } from '../api/meta.ts';

/** Field type → the widgets offered for it, the type's default first. */
export const offeredWidgets: Readonly<Record<string, readonly string[]>> = {
  text: ['input'], textarea: ['textarea'], email: ['input'], phone: ['input'], url: ['input'],
  integer: ['input', 'stepper', 'slider'], number: ['input', 'stepper', 'slider'], currency: ['input', 'stepper'], percent: ['input', 'stepper', 'slider'],
  boolean: ['checkbox', 'toggle'], date: ['date'], datetime: ['datetime'], picklist: ['select', 'radio'], multipicklist: ['checkboxes', 'tags', 'select'],
  lookup: ['lookup'], address: ['address'], consent: ['consent'],
};

/** Most whole numbers an integer's radio group offers (a 0–10 score); a wider or unbounded range is typed. */
export const mostRadioChoices = 11;

/**
 * An integer's choices as radio buttons — each whole number from its min to its max — when it has
 * both and they are few; else undefined. The engine accepts a radio widget on an integer (a template
 * lays a 1–5 rating out so); the designer does not offer it, as it fits only a small bounded range.
 */
export function integerChoices(field: FieldDef): number[] | undefined {
  if (field.type !== 'integer' || typeof field.min !== 'number' || typeof field.max !== 'number') return undefined;
  const from = Math.ceil(field.min);
  const to = Math.floor(field.max);
  if (to < from || to - from + 1 > mostRadioChoices) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
