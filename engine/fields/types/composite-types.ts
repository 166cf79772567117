// Composite field types: address and consent (one object value with fixed parts).

import type { FilterableField } from '../../filter/filter-tree.ts';
import { type FieldType, textOperators, scalarOperators } from '../field-type.ts';
import { typeWidgets } from '../form-widgets.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const addressParts = ['street', 'city', 'region', 'postalCode', 'country'] as const;

export const addressType: FieldType<'address'> = {
  type: 'address',
  widgets: typeWidgets.address,
  compute: 'none',
  valueSchema: () => ({
    type: 'object',
    properties: Object.fromEntries(addressParts.map((part) => [part, { type: 'string', maxLength: part === 'street' ? 500 : 120 }])),
    additionalProperties: false,
  }),
  filterables: (_field, name) =>
    addressParts.map((part): FilterableField => ({ path: [name, part], valueType: 'string', array: false, operators: textOperators, sortable: true })),
};

export const consentType: FieldType<'consent'> = {
  type: 'consent',
  widgets: typeWidgets.consent,
  compute: 'none',
  valueSchema: () => ({
    type: 'object',
    required: ['givenAt'],
    properties: {
      givenAt: { type: 'string', format: 'date-time' },
      source: { type: 'string', maxLength: 200 },
      withdrawnAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  }),
  stampFormValue: (value, previous, now) => {
    if (!isObject(value)) return value;
    const before = isObject(previous) ? previous : {};
    const stamped: Record<string, unknown> = { ...value };
    // A consent given (or given anew) and a withdrawal made in this write: when is the server's word.
    if (value['givenAt'] !== undefined && value['givenAt'] !== before['givenAt']) stamped['givenAt'] = now;
    if (value['withdrawnAt'] !== undefined && value['withdrawnAt'] !== before['withdrawnAt']) stamped['withdrawnAt'] = now;
    return stamped;
  },
  filterables: (_field, name) =>
    ['givenAt', 'withdrawnAt'].map((part): FilterableField => ({ path: [name, part], valueType: 'datetime', array: false, operators: scalarOperators, sortable: true })),
};
