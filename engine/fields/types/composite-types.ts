// Composite field types: address and consent (one object value with fixed parts).

import type { FilterableField } from '../../filter/filter-tree.ts';
import { type FieldType, textOperators, scalarOperators } from '../field-type.ts';

const addressParts = ['street', 'city', 'region', 'postalCode', 'country'] as const;

export const addressType: FieldType<'address'> = {
  type: 'address',
  widgets: ['address'],
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
  widgets: ['consent'],
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
  filterables: (_field, name) =>
    ['givenAt', 'withdrawnAt'].map((part): FilterableField => ({ path: [name, part], valueType: 'datetime', array: false, operators: scalarOperators, sortable: true })),
};
