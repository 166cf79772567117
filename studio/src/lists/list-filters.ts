// Turns what the user picked in the filter bar into the API's filter (AND-ed with the view's own):
// picklists → $in, dates → a $gte/$lte range, lookups → $eq, text → a case-insensitive "contains"
// (escaped, so user input is never a pattern), numbers → a $gte/$lte range.

import type { FieldDef } from '../api/meta.ts';

export type FilterValue = string[] | [string | null, string | null] | string | [number | null, number | null] | undefined;
export type FilterState = Record<string, FilterValue>;

export type FilterControl = 'select' | 'dateRange' | 'lookup' | 'text' | 'numberRange' | 'boolean' | undefined;

export function filterControlFor(field: FieldDef | undefined): FilterControl {
  if (!field) return undefined;
  const type = field.type === 'formula' || field.type === 'rollup' ? String(field.returns) : field.type;
  if (type === 'picklist' || type === 'multipicklist') return 'select';
  if (type === 'date' || type === 'datetime') return 'dateRange';
  if (type === 'lookup') return 'lookup';
  if (['text', 'textarea', 'email', 'phone', 'url', 'autonumber'].includes(type)) return 'text';
  if (['integer', 'number', 'currency', 'percent'].includes(type)) return 'numberRange';
  if (type === 'boolean') return 'boolean';
  return undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function buildFilter(fields: Record<string, FieldDef>, state: FilterState, base?: Record<string, unknown>): Record<string, unknown> {
  const parts: Record<string, unknown>[] = base && Object.keys(base).length > 0 ? [base] : [];
  for (const [name, value] of Object.entries(state)) {
    const control = filterControlFor(fields[name]);
    if (value === undefined || value === '' || (Array.isArray(value) && value.every((v) => v === null || v === undefined))) continue;
    if (control === 'select' && Array.isArray(value) && value.length > 0) parts.push({ [name]: { $in: value } });
    else if ((control === 'dateRange' || control === 'numberRange') && Array.isArray(value)) {
      const [from, to] = value as [unknown, unknown];
      const range: Record<string, unknown> = {};
      if (from !== null && from !== undefined) range['$gte'] = from;
      if (to !== null && to !== undefined) range['$lte'] = to;
      if (Object.keys(range).length > 0) parts.push({ [name]: range });
    } else if (control === 'lookup' && typeof value === 'string') parts.push({ [name]: value });
    else if (control === 'boolean' && typeof value === 'string') parts.push({ [name]: value === 'true' });
    else if (control === 'text' && typeof value === 'string') parts.push({ [name]: { $regex: escapeRegex(value.slice(0, 60)), $options: 'i' } });
  }
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0]!;
  return { $and: parts };
}
