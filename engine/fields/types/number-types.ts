// Numeric field types: integer, number, currency, percent.

import { type FieldType, type JsonSchema, checkRange, scalarFilterable } from '../field-type.ts';
import type { LocalizedText } from '../../kernel/i18n.ts';
import { decimalsOf, parseDecimal, parseInteger } from '../parse-text.ts';
import { typeWidgets } from '../form-widgets.ts';

/** Money has cents; a value with more decimals is refused, never rounded (0.001 is not 0.00). */
const currencyScale = 2;

function scaleIssue(value: unknown, scale: number | undefined): LocalizedText | undefined {
  if (scale === undefined || typeof value !== 'number') return undefined;
  const decimals = decimalsOf(value);
  return decimals > scale ? { en: `has ${decimals} decimals; at most ${scale} allowed (values are never rounded)`, zh: `有 ${decimals} 位小数，最多允许 ${scale} 位（不会自动舍入）` } : undefined;
}

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
  widgets: typeWidgets.integer,
  compute: 'none',
  valueSchema: (field) => ({ type: 'integer', ...bounds(field, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  parseText: (text, _field, options) => parseInteger(text, options),
};

export const numberType: FieldType<'number'> = {
  type: 'number',
  widgets: typeWidgets.number,
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  normalize: (value, field) => (field.scale === undefined ? value : roundTo(field.scale)(value)),
  parseText: (text, field, options) => parseDecimal(text, field.scale, options),
  valueIssue: (value, field) => scaleIssue(value, field.scale),
};

export const currencyType: FieldType<'currency'> = {
  type: 'currency',
  widgets: typeWidgets.currency,
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  // Money is kept in cents precision; binary fractions beyond that are noise.
  normalize: roundTo(currencyScale),
  parseText: (text, field, options) => parseDecimal(text, currencyScale, options, field.currency),
  valueIssue: (value) => scaleIssue(value, currencyScale),
};

export const percentType: FieldType<'percent'> = {
  type: 'percent',
  widgets: typeWidgets.percent,
  compute: 'none',
  valueSchema: (field) => ({ type: 'number', ...bounds(field, { min: 0, max: 100 }) }),
  filterables: (_field, name) => scalarFilterable(name, 'number'),
  checkDefinition: (field, { path }) => checkRange(field, path),
  parseText: (text, _field, options) => parseDecimal(text.trim().replace(/\s*%$/u, ''), undefined, options),
};
