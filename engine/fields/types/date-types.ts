// Calendar field types: date (YYYY-MM-DD) and datetime (an instant, stored as UTC ISO 8601).

import { type FieldType, checkRange, scalarFilterable } from '../field-type.ts';
import { parseDate, parseDatetime } from '../parse-text.ts';
import { typeWidgets } from '../form-widgets.ts';

export const dateType: FieldType<'date'> = {
  type: 'date',
  widgets: typeWidgets.date,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'string',
    format: 'date',
    ...(field.min ? { formatMinimum: field.min } : {}),
    ...(field.max ? { formatMaximum: field.max } : {}),
  }),
  valueMessages: { format: { en: 'must be a date written YYYY-MM-DD, such as 2026-12-31', zh: '必须是 YYYY-MM-DD 格式的日期，例如 2026-12-31' } },
  filterables: (_field, name) => scalarFilterable(name, 'date'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  parseText: (text, _field, options) => parseDate(text, options),
};

export const datetimeType: FieldType<'datetime'> = {
  type: 'datetime',
  widgets: typeWidgets.datetime,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'string',
    format: 'date-time',
    ...(field.min ? { formatMinimum: field.min } : {}),
    ...(field.max ? { formatMaximum: field.max } : {}),
  }),
  valueMessages: { format: { en: 'must be a date and time in ISO 8601, such as 2026-12-31T09:30:00Z', zh: '必须是 ISO 8601 格式的日期时间，例如 2026-12-31T09:30:00Z' } },
  filterables: (_field, name) => scalarFilterable(name, 'datetime'),
  checkDefinition: (field, { path }) =>
    field.min && field.max && Date.parse(field.min) > Date.parse(field.max) ? [{ path: `${path}/min`, message: 'must not be later than max' }] : [],
  // Stored in one canonical form so that string order is time order.
  normalize: (value) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : value),
  parseText: (text, _field, options) => parseDatetime(text, options),
};
