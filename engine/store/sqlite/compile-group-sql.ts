// store/sqlite/compile-group-sql: a grouping query as one SELECT … GROUP BY over the JSON
// documents, wrapped so that HAVING, ORDER BY and LIMIT read the result columns by name. Results
// follow MongoDB's $group: absent values group as null, sum and avg count numbers only, and no
// keys over no records give no row (SQLite would give one).
//
// Datetime buckets in a time zone go through crm_local_time, a deterministic function the
// adapter registers (SQLite knows no zones); date fields and UTC buckets are plain SQL.

import type { ScalarValue } from '../../filter/filter-tree.ts';
import { outputColumnOf, type DateBucket, type GroupKey, type GroupQuery, type GroupRow, type Measure } from '../../filter/group-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { compileFilterSql, fieldValueExpression, type ColumnReader } from './compile-filter-sql.ts';
import { jsonTypeExpression, sql, type Sql, type SqlValue } from './sql-fragments.ts';

/** `crm_local_time(iso, zone)`: the local `YYYY-MM-DDTHH:MM:SS` of an instant. */
export const localTimeFunctionName = 'crm_local_time';

/** Result columns are named by position: keys, then measures (`c0`, `c1`, …). */
function column(index: number): string {
  return `c${index}`;
}

export function compileGroupSql(table: string, query: GroupQuery): Sql {
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) throw new CrmError('INTERNAL', `Invalid limit ${query.limit}`);
  const params: SqlValue[] = [];
  const columns: string[] = [];
  const resultColumn = (name: string): string => column(outputColumnOf(query, name));
  for (const key of query.keys) {
    const expression = keyExpression(key);
    params.push(...expression.params);
    columns.push(`${expression.text} AS ${resultColumn(key.name)}`);
  }
  for (const measure of query.measures) columns.push(`${measureExpression(measure)} AS ${resultColumn(measure.name)}`);
  const readResult: ColumnReader = (path) => {
    const name = resultColumn(path.join('.'));
    return { value: name, type: `(CASE WHEN ${name} IS NULL THEN NULL ELSE typeof(${name}) END)` };
  };
  const where = compileFilterSql(query.filter);
  params.push(...where.params);
  const grouping =
    query.keys.length > 0 ? ` GROUP BY ${query.keys.map((key) => resultColumn(key.name)).join(', ')}` : ' HAVING count(*) > 0';
  const inner = `SELECT ${columns.join(', ') || '1'} FROM ${table} WHERE ${where.text}${grouping}`;
  let text = `SELECT * FROM (${inner})`;
  if (query.having !== undefined && query.having.kind !== 'true') {
    const having = compileFilterSql(query.having, readResult);
    text += ` WHERE ${having.text}`;
    params.push(...having.params);
  }
  const order = [
    ...query.sort.map((term) => `${resultColumn(term.name)} ${term.direction === 1 ? 'ASC' : 'DESC'}`),
    ...query.keys.map((key) => `${resultColumn(key.name)} ASC`),
  ];
  if (order.length > 0) text += ` ORDER BY ${order.join(', ')}`;
  if (query.limit !== undefined) {
    text += ' LIMIT ?';
    params.push(query.limit);
  }
  return sql(text, params);
}

function keyExpression(key: GroupKey): Sql {
  const value = fieldValueExpression(key.field);
  if (key.bucket === undefined) return sql(value);
  if (key.field.valueType !== 'date' && key.field.valueType !== 'datetime') throw new CrmError('INTERNAL', `Cannot bucket a ${key.field.valueType} field`);
  // Stored dates are `YYYY-MM-DD` and datetimes UTC ISO strings: the local text is the value
  // itself unless a datetime is seen from another zone.
  const zoned = key.field.valueType === 'datetime' && key.timeZone !== undefined && key.timeZone !== 'UTC';
  const local = zoned ? `${localTimeFunctionName}(${value}, ?)` : value;
  const params = zoned ? [key.timeZone!] : [];
  return sql(bucketExpression(local, key.bucket), key.bucket === 'quarter' ? [...params, ...params] : params);
}

/** The bucket label of a local `YYYY-MM-DD…` text (also the term of a bucketed index key). */
export function bucketExpression(local: string, bucket: DateBucket): string {
  switch (bucket) {
    case 'day':
      return `substr(${local}, 1, 10)`;
    case 'week':
      return `date(substr(${local}, 1, 10), '-6 days', 'weekday 1')`;
    case 'month':
      return `substr(${local}, 1, 7)`;
    case 'quarter':
      return `substr(${local}, 1, 4) || '-Q' || ((CAST(substr(${local}, 6, 2) AS INTEGER) + 2) / 3)`;
    case 'year':
      return `substr(${local}, 1, 4)`;
  }
}

function measureExpression(measure: Measure): string {
  if (measure.op === 'count') return 'count(*)';
  if (measure.field === undefined) throw new CrmError('INTERNAL', `Measure ${measure.op} needs a field`);
  const value = fieldValueExpression(measure.field);
  switch (measure.op) {
    case 'countDistinct':
      return `count(DISTINCT ${value})`;
    case 'min':
    case 'max':
      return `${measure.op}(${value})`;
    case 'sum':
    case 'avg': {
      // Like MongoDB, only numbers count; a number field holds nothing else once validated, so
      // its values are summed without asking json_type first.
      const numeric = measure.field.valueType === 'number' || measure.field.via?.length ? value : `CASE WHEN ${jsonTypeExpression(measure.field.path)} IN ('integer', 'real') THEN ${value} END`;
      return `${measure.op === 'sum' ? 'total' : 'avg'}(${numeric})`;
    }
  }
}

/** Turns a result row into key and values; SQLite reads JSON booleans back as 1 and 0. */
export function groupRowFromSql(query: GroupQuery, row: Record<string, SqlValue>): GroupRow {
  const key: GroupRow['key'] = {};
  const values: GroupRow['values'] = {};
  query.keys.forEach((k, index) => {
    key[k.name] = k.bucket === undefined ? fromSql(row[column(index)], k.field.valueType) : (row[column(index)] ?? null);
  });
  query.measures.forEach((m, index) => {
    const raw = row[column(query.keys.length + index)] ?? null;
    values[m.name] = (m.op === 'min' || m.op === 'max') && m.field !== undefined ? fromSql(raw, m.field.valueType) : raw;
  });
  return { key, values };
}

function fromSql(value: SqlValue | undefined, valueType: string): ScalarValue {
  if (value === undefined || value === null) return null;
  return valueType === 'boolean' ? value === 1 : value;
}
