// Calendar field types: date (YYYY-MM-DD) and datetime (an instant, stored as UTC ISO 8601).

import { type FieldType, checkRange, scalarFilterable } from '../field-type.ts';
import { parseDate, parseDatetime } from '../parse-text.ts';

export const dateType: FieldType<'date'> = {
  type: 'date',
  widgets: ['date', 'input'],
  compute: 'none',
  valueSchema: (field) => ({
    type: 'string',
    format: 'date',
    ...(field.min ? { formatMinimum: field.min } : {}),
    ...(field.max ? { formatMaximum: field.max } : {}),
  }),
  filterables: (_field, name) => scalarFilterable(name, 'date'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  parseText: (text) => parseDate(text),
};

export const datetimeType: FieldType<'datetime'> = {
  type: 'datetime',
  widgets: ['datetime', 'date', 'input'],
  compute: 'none',
  valueSchema: (field) => ({
    type: 'string',
    format: 'date-time',
    ...(field.min ? { formatMinimum: field.min } : {}),
    ...(field.max ? { formatMaximum: field.max } : {}),
  }),
  filterables: (_field, name) => scalarFilterable(name, 'datetime'),
  checkDefinition: (field, { path }) =>
    field.min && field.max && Date.parse(field.min) > Date.parse(field.max) ? [{ path: `${path}/min`, message: 'must not be later than max' }] : [],
  // Stored in one canonical form so that string order is time order.
  normalize: (value) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : value),
  parseText: (text, _field, options) => parseDatetime(text, options),
};
