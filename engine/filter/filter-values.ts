// filter/filter-values: checks one comparison value against a field's value type and brings it to
// the one form stores compare with (dates `YYYY-MM-DD`, datetimes `Date#toISOString()`).

import type { ScalarValue, ValueType } from './filter-tree.ts';

export type ValueCheck = { ok: true; value: ScalarValue } | { ok: false; message: string };

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
// A zone is required when a time is given: a zoneless time would depend on the server's time zone.
const dateTimePattern = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Checks a value for a field of `valueType`; `null` passes only when `allowNull`. Never throws. */
export function checkFilterValue(valueType: ValueType, value: unknown, allowNull: boolean): ValueCheck {
  if (value === null) {
    return allowNull ? { ok: true, value: null } : { ok: false, message: 'null is only allowed with $eq, $ne, $in and $nin' };
  }
  switch (valueType) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, message: `expected a number, got ${describe(value)}` };
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, message: `expected a string, got ${describe(value)}` };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: `expected true or false, got ${describe(value)}` };
    case 'date':
      return typeof value === 'string' && isCalendarDate(value)
        ? { ok: true, value }
        : { ok: false, message: `expected a date like 2024-12-31, got ${describe(value)}` };
    case 'datetime': {
      const normalized = typeof value === 'string' ? normalizeDateTime(value) : undefined;
      return normalized === undefined
        ? { ok: false, message: `expected an ISO date-time with a zone like 2024-12-31T23:59:00Z, got ${describe(value)}` }
        : { ok: true, value: normalized };
    }
  }
}

function isCalendarDate(text: string): boolean {
  if (!datePattern.test(text)) return false;
  // Date accepts 2024-02-30 and rolls it over; a round trip catches that.
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

function normalizeDateTime(text: string): string | undefined {
  if (!dateTimePattern.test(text)) return undefined;
  if (!isCalendarDate(text.slice(0, 10))) return undefined;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}
