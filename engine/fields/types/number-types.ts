// Numeric field types: integer, number, currency, percent.

import { type FieldType, type JsonSchema, checkRange, scalarFilterable } from '../field-type.ts';

function bounds(field: { min?: number; max?: number }, defaults: { min?: number; max?: number } = {}): JsonSchema {
  const min = field.min ?? defaults.min;
  const max = field.max ?? defaults.max;
  return { ...(min !== undefined ? { minimum: min } : {}), ...(max !== undefined ? { maximum: max } : {}) };
}

function roundTo(scale: number): (value: unknown) => unknown {
  const factor = 10 ** scale;
  return (value) => (typeof value === 'number' ? Math.round(value * factor) / factor : value);
}

export const integerType: FieldType<'integer'> = {
  type: 'integer',
  compute: 'none',
  valueSchema: (field) => ({ type: 'integer', ...bounds(field, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
};

export const numberType: FieldType<'number'> = {
  type: 'number',
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  normalize: (value, field) => (field.scale === undefined ? value : roundTo(field.scale)(value)),
};

export const currencyType: FieldType<'currency'> = {
  type: 'currency',
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  // Money is kept in cents precision; binary fractions beyond that are noise.
  normalize: roundTo(2),
};

export const percentType: FieldType<'percent'> = {
  type: 'percent',
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field, { min: 0, max: 100 }) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
};
