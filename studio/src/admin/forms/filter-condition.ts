// The same condition rows (field, operator, value) written as the records API's filter JSON — what
// views and dashboard widgets save — and read back from a filter this editor could have written.
// Values may be the filter variables the server binds per caller and moment: `$me`, `$myTeams`,
// `$today`, `$now`, with an offset (`$today - 30 days`). A filter it cannot read stays in raw mode.

import type { Condition, ConditionRow, Operator } from './condition.ts';

export type FilterJson = Record<string, unknown>;

const numeric = new Set(['integer', 'number', 'currency', 'percent', 'autonumber']);
const opKeys: Partial<Record<Operator, string>> = { ne: '$ne', gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' };

/** Variables a value of this field type may take (the server checks the fit again). */
export function filterVariables(fieldType: string | undefined): string[] {
  if (fieldType === 'date') return ['$today', '$today - 7 days', '$today - 30 days', '$today + 7 days', '$today - 1 year'];
  if (fieldType === 'datetime') return ['$now', '$today', '$now - 24 hours', '$today - 7 days', '$today - 30 days'];
  if (fieldType === 'lookup' || fieldType === 'owner' || fieldType === 'user') return ['$me'];
  return [];
}

/** A typed value: numbers and booleans bare for their fields, variables and anything else as text. */
function typed(text: string, fieldType: string | undefined): unknown {
  const t = text.trim();
  if (t.startsWith('$')) return t;
  if (numeric.has(fieldType ?? '') && t !== '' && Number.isFinite(Number(t))) return Number(t);
  if (fieldType === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  return t;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unescapeRegex = (s: string): string | undefined => (/(?<!\\)[.*+?^${}()|[\]]/.test(s) ? undefined : s.replace(/\\(.)/g, '$1'));

function rowFilter(r: ConditionRow, fieldType: string | undefined): unknown {
  switch (r.op) {
    case 'exists':
      return { $exists: true };
    case 'empty':
      return { $exists: false };
    case 'eq':
      return typed(r.value, fieldType);
    case 'contains':
      return { $regex: escapeRegex(r.value), $options: 'i' };
    case 'in':
      return { $in: r.value.split(',').map((v) => typed(v, fieldType)).filter((v) => v !== '') };
    default:
      return { [opKeys[r.op]!]: typed(r.value, fieldType) };
  }
}

export function writeFilter(c: Condition, typeOf: (field: string) => string | undefined): FilterJson | undefined {
  const rows = c.rows.filter((r) => r.field);
  if (rows.length === 0) return undefined;
  const parts = rows.map((r) => ({ [r.field]: rowFilter(r, typeOf(r.field)) }));
  const distinct = new Set(rows.map((r) => r.field)).size === rows.length;
  if (parts.length === 1 || (c.join === 'and' && distinct)) return Object.assign({}, ...parts) as FilterJson;
  return { [c.join === 'and' ? '$and' : '$or']: parts };
}

const text = (v: unknown): string | undefined => (v === null ? undefined : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** One field's condition as rows (an object of several operators is several rows joined by and). */
function readField(field: string, condition: unknown): ConditionRow[] | undefined {
  const scalar = text(condition);
  if (scalar !== undefined) return [{ field, op: 'eq', value: scalar }];
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  const ops = condition as Record<string, unknown>;
  if ('$regex' in ops) {
    const value = typeof ops['$regex'] === 'string' ? unescapeRegex(ops['$regex']) : undefined;
    if (value === undefined || Object.keys(ops).some((k) => k !== '$regex' && k !== '$options') || (ops['$options'] ?? 'i') !== 'i') return undefined;
    return [{ field, op: 'contains', value }];
  }
  const rows: ConditionRow[] = [];
  for (const [op, value] of Object.entries(ops)) {
    if (op === '$exists' && typeof value === 'boolean') rows.push({ field, op: value ? 'exists' : 'empty', value: '' });
    else if (op === '$eq' && text(value) !== undefined) rows.push({ field, op: 'eq', value: text(value)! });
    else if (op === '$in' && Array.isArray(value) && value.every((v) => text(v) !== undefined)) rows.push({ field, op: 'in', value: value.map(text).join(', ') });
    else {
      const found = (Object.entries(opKeys) as [Operator, string][]).find(([, k]) => k === op);
      if (!found || text(value) === undefined) return undefined;
      rows.push({ field, op: found[0], value: text(value)! });
    }
  }
  return rows.length > 0 ? rows : undefined;
}

function readAll(node: FilterJson): ConditionRow[] | undefined {
  const rows: ConditionRow[] = [];
  for (const [key, condition] of Object.entries(node)) {
    if (key.startsWith('$')) return undefined;
    const found = readField(key, condition);
    if (!found) return undefined;
    rows.push(...found);
  }
  return rows;
}

/** The rows of a filter, or undefined when it says more than rows joined by one of and/or. */
export function readFilter(filter: FilterJson | undefined): Condition | undefined {
  if (!filter || Object.keys(filter).length === 0) return { join: 'and', rows: [] };
  const keys = Object.keys(filter);
  if (keys.length === 1 && (keys[0] === '$and' || keys[0] === '$or')) {
    const list = filter[keys[0]];
    if (!Array.isArray(list)) return undefined;
    const rows: ConditionRow[] = [];
    for (const part of list) {
      if (!part || typeof part !== 'object' || Array.isArray(part)) return undefined;
      const found = readAll(part as FilterJson);
      // Under "or", a part of two rows would read as two alternatives: not this editor's.
      if (!found || (keys[0] === '$or' && found.length !== 1)) return undefined;
      rows.push(...found);
    }
    return { join: keys[0] === '$and' ? 'and' : 'or', rows };
  }
  const rows = readAll(filter);
  return rows ? { join: 'and', rows } : undefined;
}
