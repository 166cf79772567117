// filter/parse-group: turns a user's aggregation JSON into the typed grouping query, checking every
// key, field, bucket, measure, having condition and sort term against the fields the caller may
// read. Every problem becomes one issue with a JSON pointer into the spec; nothing is dropped.
//
//   { "filter": {…}, "groupBy": ["stage", { "field": "closeDate", "bucket": "month", "as": "month" }],
//     "measures": { "deals": "count", "amount": { "op": "sum", "field": "amount" } },
//     "having": { "deals": { "$gte": 3 } }, "sort": "-amount", "limit": 10, "timeZone": "Asia/Shanghai" }

import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { isTimeZone } from '../kernel/time-zones.ts';
import type { FilterableField, FilterNode } from './filter-tree.ts';
import { matchAll } from './filter-tree.ts';
import {
  dateBuckets, groupLimits, keyValueType, measureOps, measureValueType, outputField,
  type DateBucket, type GroupKey, type GroupOrder, type GroupQuery, type Measure, type MeasureOp,
} from './group-tree.ts';
import { forbiddenKeys, isPlainObject, parseFilter, type FieldResolver } from './parse-filter.ts';

export interface GroupSpecOptions {
  resolve: FieldResolver;
  /** The zone datetime buckets use when the spec names none. */
  defaultTimeZone: string;
}

const specKeys = ['filter', 'groupBy', 'measures', 'having', 'sort', 'limit', 'timeZone'] as const;
const summable: ReadonlySet<string> = new Set(['number']);
const ordered: ReadonlySet<string> = new Set(['number', 'date', 'datetime', 'string']);

/** Parses and checks a grouping spec; throws CrmError INVALID_QUERY listing every problem. */
export function parseGroupSpec(json: unknown, options: GroupSpecOptions): GroupQuery {
  const issues: IssueDetail[] = [];
  const issue = (path: string, message: string, code: string): void => void issues.push({ path, message, code });
  if (!isPlainObject(json)) throw new CrmError('INVALID_QUERY', { en: 'The aggregation is not valid', zh: '聚合参数无效' }, [{ path: '', message: 'expected an object', code: 'WRONG_TYPE' }]);
  for (const key of Object.keys(json)) if (!(specKeys as readonly string[]).includes(key)) issue(pointer(key), `unknown property (known: ${specKeys.join(', ')})`, 'UNKNOWN_PROPERTY');

  const timeZone = json['timeZone'] ?? options.defaultTimeZone;
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) issue('/timeZone', 'must be an IANA time zone such as "Asia/Shanghai" or "UTC"', 'WRONG_TYPE');

  const filter = nested(() => (json['filter'] === undefined ? matchAll : parseFilter(json['filter'], options.resolve)), '/filter', issues);
  const keys = parseKeys(json['groupBy'], options.resolve, typeof timeZone === 'string' ? timeZone : 'UTC', issue);
  const measures = parseMeasures(json['measures'], options.resolve, issue);

  const outputs = new Map<string, FilterableField['valueType']>();
  for (const [index, key] of keys.entries()) {
    if (outputs.has(key.name)) issue(`/groupBy/${index}`, `the name "${key.name}" is used twice; name one with "as"`, 'DUPLICATE_KEY');
    outputs.set(key.name, keyValueType(key));
  }
  for (const measure of measures) {
    if (outputs.has(measure.name)) issue(pointer('measures', measure.name), `the name "${measure.name}" is also a group key`, 'DUPLICATE_KEY');
    outputs.set(measure.name, measureValueType(measure));
  }
  const resolveOutput: FieldResolver = (name) => {
    const type = outputs.get(name);
    return type === undefined ? undefined : outputField(name, type);
  };
  const having = json['having'] === undefined ? undefined : nested(() => parseFilter(json['having'], resolveOutput), '/having', issues);
  const sort = parseOrder(json['sort'], outputs, issue);
  const limit = json['limit'];
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > groupLimits.maxRows)) {
    issue('/limit', `must be a whole number from 1 to ${groupLimits.maxRows}`, 'WRONG_TYPE');
  }
  if (issues.length > 0) throw new CrmError('INVALID_QUERY', { en: 'The aggregation is not valid', zh: '聚合参数无效' }, issues);
  return { filter: filter ?? matchAll, keys, measures, ...(having ? { having } : {}), sort, ...(typeof limit === 'number' ? { limit } : {}) };
}

/** Runs a nested parser, re-rooting its issues under `at`. */
function nested(parse: () => FilterNode, at: string, issues: IssueDetail[]): FilterNode | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    issues.push(...error.details.map((detail) => ({ ...detail, path: `${at}${detail.path}` })));
    return undefined;
  }
}

type Issue = (path: string, message: string, code: string) => void;

function parseKeys(json: unknown, resolve: FieldResolver, timeZone: string, issue: Issue): GroupKey[] {
  if (json === undefined) return [];
  if (!Array.isArray(json)) return (issue('/groupBy', 'expected an array of fields', 'WRONG_TYPE'), []);
  if (json.length > groupLimits.maxKeys) issue('/groupBy', `group by at most ${groupLimits.maxKeys} keys`, 'TOO_MANY_KEYS');
  const keys: GroupKey[] = [];
  for (const [index, item] of json.entries()) {
    const at = `/groupBy/${index}`;
    const spec = typeof item === 'string' ? { field: item } : item;
    if (!isPlainObject(spec) || typeof spec['field'] !== 'string') {
      issue(at, 'expected a field name or { "field", "bucket"?, "as"? }', 'WRONG_TYPE');
      continue;
    }
    for (const key of Object.keys(spec)) if (!['field', 'bucket', 'as'].includes(key)) issue(`${at}/${key}`, 'unknown property (known: field, bucket, as)', 'UNKNOWN_PROPERTY');
    const name = spec['as'] ?? spec['field'];
    if (typeof name !== 'string' || name === '' || name.length > 80) issue(`${at}/as`, 'must be a name of 1 to 80 characters', 'WRONG_TYPE');
    // An output name becomes a key of each group's object: `__proto__` would be dropped from it (or change its prototype).
    else if (forbiddenKeys.has(name)) issue(`${at}/as`, `"${name}" is not allowed as a key`, 'FORBIDDEN_KEY');
    const field = checkedField(spec['field'], resolve, typeof item === 'string' ? at : `${at}/field`, issue);
    const bucket = spec['bucket'];
    if (bucket !== undefined && !(dateBuckets as readonly unknown[]).includes(bucket)) issue(`${at}/bucket`, `must be one of ${dateBuckets.join(', ')}`, 'WRONG_TYPE');
    if (field === undefined) continue;
    if (bucket !== undefined && field.valueType !== 'date' && field.valueType !== 'datetime') issue(`${at}/bucket`, `"${spec['field']}" is not a date or datetime field`, 'WRONG_TYPE');
    keys.push({ name: String(name), field, ...(typeof bucket === 'string' ? { bucket: bucket as DateBucket, timeZone } : {}) });
  }
  return keys;
}

function parseMeasures(json: unknown, resolve: FieldResolver, issue: Issue): Measure[] {
  if (json === undefined) return [{ name: 'count', op: 'count' }];
  if (!isPlainObject(json) || Object.keys(json).length === 0) return (issue('/measures', 'expected an object of named measures', 'WRONG_TYPE'), []);
  if (Object.keys(json).length > groupLimits.maxMeasures) issue('/measures', `at most ${groupLimits.maxMeasures} measures`, 'TOO_MANY_KEYS');
  const measures: Measure[] = [];
  for (const [name, item] of Object.entries(json)) {
    const at = pointer('measures', name);
    if (name.length > 80) issue(at, 'a measure name has at most 80 characters', 'WRONG_TYPE');
    if (forbiddenKeys.has(name)) {
      issue(at, `"${name}" is not allowed as a key`, 'FORBIDDEN_KEY');
      continue;
    }
    const spec = typeof item === 'string' ? { op: item } : item;
    if (!isPlainObject(spec) || !(measureOps as readonly unknown[]).includes(spec['op'])) {
      issue(typeof item === 'string' ? at : `${at}/op`, `expected one of ${measureOps.join(', ')}`, 'WRONG_TYPE');
      continue;
    }
    for (const key of Object.keys(spec)) if (key !== 'op' && key !== 'field') issue(`${at}/${key}`, 'unknown property (known: op, field)', 'UNKNOWN_PROPERTY');
    const op = spec['op'] as MeasureOp;
    if (op === 'count') {
      if (spec['field'] !== undefined) issue(`${at}/field`, 'count counts records; use countDistinct to count values of a field', 'WRONG_TYPE');
      measures.push({ name, op });
      continue;
    }
    const field = checkedField(spec['field'], resolve, `${at}/field`, issue);
    if (field === undefined) continue;
    if ((op === 'sum' || op === 'avg') && !summable.has(field.valueType)) issue(`${at}/field`, `${op} needs a number field; "${String(spec['field'])}" holds ${field.valueType} values`, 'WRONG_TYPE');
    else if ((op === 'min' || op === 'max') && !ordered.has(field.valueType)) issue(`${at}/field`, `${op} needs a number, date or text field`, 'WRONG_TYPE');
    else measures.push({ name, op, field });
  }
  return measures;
}

/** A readable, single-valued field, or an issue. Hidden fields are unknown, as in filters. */
function checkedField(json: unknown, resolve: FieldResolver, at: string, issue: Issue): FilterableField | undefined {
  if (typeof json !== 'string' || json === '') return (issue(at, 'expected a field name', 'WRONG_TYPE'), undefined);
  const field = resolve(json);
  if (field === undefined) return (issue(at, `unknown field "${json}"`, 'UNKNOWN_FIELD'), undefined);
  if (field.array) return (issue(at, `"${json}" holds several values and cannot be grouped or measured`, 'WRONG_TYPE'), undefined);
  return field;
}

function parseOrder(json: unknown, outputs: ReadonlyMap<string, unknown>, issue: Issue): GroupOrder[] {
  if (json === undefined) return [];
  if (typeof json !== 'string') return (issue('/sort', 'expected names separated by commas, such as "-amount,stage"', 'WRONG_TYPE'), []);
  const order: GroupOrder[] = [];
  for (const part of json.split(',').map((p) => p.trim()).filter(Boolean)) {
    const direction = part.startsWith('-') ? -1 : 1;
    const name = part.replace(/^[-+]/, '');
    if (!outputs.has(name)) issue('/sort', `"${name}" is neither a group key nor a measure`, 'UNKNOWN_FIELD');
    else order.push({ name, direction });
  }
  if (order.length > groupLimits.maxKeys + groupLimits.maxMeasures) issue('/sort', 'too many sort terms', 'TOO_MANY_KEYS');
  return order;
}
