// Boolean and list field types: boolean, picklist, multipicklist.

import { type FieldType, elementOperators, scalarFilterable } from '../field-type.ts';
import { parseBoolean, parseOption, parseOptions } from '../parse-text.ts';
import { typeWidgets } from '../form-widgets.ts';

export const booleanType: FieldType<'boolean'> = {
  type: 'boolean',
  widgets: typeWidgets.boolean,
  compute: 'none',
  valueSchema: () => ({ type: 'boolean' }),
  filterables: (_field, name) => [{ path: [name], valueType: 'boolean', array: false, operators: elementOperators, sortable: true }],
  parseText: (text) => parseBoolean(text),
};

export const picklistType: FieldType<'picklist'> = {
  type: 'picklist',
  widgets: typeWidgets.picklist,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', enum: Object.keys(field.options) }),
  filterables: (_field, name) => scalarFilterable(name, 'string'),
  parseText: (text, field) => parseOption(text, field.options),
};

export const multipicklistType: FieldType<'multipicklist'> = {
  type: 'multipicklist',
  widgets: typeWidgets.multipicklist,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'array',
    items: { type: 'string', enum: Object.keys(field.options) },
    uniqueItems: true,
    minItems: field.minItems ?? 0,
    maxItems: field.maxItems ?? Object.keys(field.options).length,
  }),
  filterables: (_field, name) => [{ path: [name], valueType: 'string', array: true, operators: elementOperators, sortable: false }],
  parseText: (text, field) => parseOptions(text, field.options),
  checkDefinition(field, { path }) {
    if (field.minItems !== undefined && field.maxItems !== undefined && field.minItems > field.maxItems) {
      return [{ path: `${path}/minItems`, message: 'must not be greater than maxItems' }];
    }
    return [];
  },
};
