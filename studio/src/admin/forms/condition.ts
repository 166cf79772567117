// Conditions as rows (field, operator, value) joined by "and" or "or", written as the JSONata the
// engine and the record page evaluate — and read back from an expression this editor wrote. An
// expression it cannot read stays in raw mode.

export type Operator = 'exists' | 'empty' | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in';
export const operators: Operator[] = ['exists', 'empty', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in'];
export const needsValue = (op: Operator): boolean => op !== 'exists' && op !== 'empty';

export interface ConditionRow {
  field: string;
  op: Operator;
  /** As typed; for "in", values separated by commas. */
  value: string;
}
export interface Condition {
  join: 'and' | 'or';
  rows: ConditionRow[];
}

const symbols: Partial<Record<Operator, string>> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** A literal: a number or true/false stays bare for numeric and boolean fields, anything else is a string. */
export function literal(text: string, fieldType: string | undefined): string {
  const t = text.trim();
  if (['integer', 'number', 'currency', 'percent'].includes(fieldType ?? '') && t !== '' && Number.isFinite(Number(t))) return String(Number(t));
  if (fieldType === 'boolean' && (t === 'true' || t === 'false')) return t;
  return JSON.stringify(t);
}

export function writeCondition(c: Condition, typeOf: (field: string) => string | undefined): string {
  const parts = c.rows
    .filter((r) => r.field)
    .map((r) => {
      const f = r.field;
      switch (r.op) {
        case 'exists':
          return `$exists(${f})`;
        case 'empty':
          return `$not($exists(${f}))`;
        case 'contains':
          return `$contains(${f}, ${JSON.stringify(r.value)})`;
        case 'in':
          return `${f} in [${r.value.split(',').map((v) => literal(v, typeOf(f))).join(', ')}]`;
        default:
          return `${f} ${symbols[r.op]} ${literal(r.value, typeOf(f))}`;
      }
    });
  return parts.join(` ${c.join} `);
}

const unquote = (s: string): string => {
  const t = s.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) return JSON.parse(t) as string;
  if (/^'[^']*'$/.test(t)) return t.slice(1, -1);
  return t;
};

function readRow(part: string): ConditionRow | undefined {
  const p = part.trim();
  let m = /^\$exists\(([a-zA-Z][a-zA-Z0-9]*)\)$/.exec(p);
  if (m) return { field: m[1]!, op: 'exists', value: '' };
  m = /^\$not\(\$exists\(([a-zA-Z][a-zA-Z0-9]*)\)\)$/.exec(p);
  if (m) return { field: m[1]!, op: 'empty', value: '' };
  m = /^\$contains\(([a-zA-Z][a-zA-Z0-9]*),\s*("(?:[^"\\]|\\.)*"|'[^']*')\)$/.exec(p);
  if (m) return { field: m[1]!, op: 'contains', value: unquote(m[2]!) };
  m = /^([a-zA-Z][a-zA-Z0-9]*)\s+in\s+\[(.*)\]$/.exec(p);
  if (m) return { field: m[1]!, op: 'in', value: m[2]!.split(',').map(unquote).join(', ') };
  m = /^([a-zA-Z][a-zA-Z0-9]*)\s*(!=|>=|<=|=|>|<)\s*("(?:[^"\\]|\\.)*"|'[^']*'|-?[0-9.]+|true|false)$/.exec(p);
  if (m) {
    const op = (Object.entries(symbols).find(([, s]) => s === m![2])?.[0] ?? 'eq') as Operator;
    return { field: m[1]!, op, value: unquote(m[3]!) };
  }
  return undefined;
}

/** The rows of an expression, or undefined when it is more than rows joined by one of and/or. */
export function readCondition(expression: string | undefined): Condition | undefined {
  if (!expression || !expression.trim()) return { join: 'and', rows: [] };
  const hasAnd = / and /.test(expression);
  const hasOr = / or /.test(expression);
  if (hasAnd && hasOr) return undefined;
  const join = hasOr ? 'or' : 'and';
  const rows = expression.split(` ${join} `).map(readRow);
  if (rows.some((r) => r === undefined)) return undefined;
  return { join, rows: rows as ConditionRow[] };
}
