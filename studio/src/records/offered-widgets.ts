// The widgets the form designer offers for each field type: exactly those the record form draws
// as a control of their own (form-model.ts's widgetFor, widgets.tsx). A widget the engine accepts
// but the record form would draw as another (a rich text drawn as a plain text area) is not offered.

/** Field type → the widgets offered for it, the type's default first. */
export const offeredWidgets: Readonly<Record<string, readonly string[]>> = {
  text: ['input'], textarea: ['textarea'], email: ['input'], phone: ['input'], url: ['input'],
  integer: ['input', 'stepper', 'slider'], number: ['input', 'stepper', 'slider'], currency: ['input', 'stepper'], percent: ['input', 'stepper', 'slider'],
  boolean: ['checkbox', 'toggle'], date: ['date'], datetime: ['datetime'], picklist: ['select', 'radio'], multipicklist: ['checkboxes', 'tags', 'select'],
  lookup: ['lookup'], address: ['address'], consent: ['consent'],
};
