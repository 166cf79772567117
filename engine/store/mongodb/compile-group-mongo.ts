// store/mongodb/compile-group-mongo: a grouping query as one aggregation pipeline — $match,
// $group, then a $project that puts keys and measures under `doc` so that the same filter
// compiler serves `having`, then $sort and $limit. Built from the typed tree only.
//
// Date buckets avoid $dateTrunc (its time-zone handling differs between servers and mingo): the
// local calendar day comes from $dateToString in the zone; a week's Monday is that day minus its
// ISO weekday (in milliseconds: $dateSubtract needs MongoDB 5.0); a quarter is read off the local month.

import type { Document } from 'mongodb';
import { outputColumnOf, renameOutputs, type GroupKey, type GroupQuery, type GroupRow, type Measure } from '../../filter/group-tree.ts';
import type { ScalarValue } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { compileFilterMongo, mongoFieldOf } from './compile-filter-mongo.ts';
import { lookupChainsOf, lookupStages } from './lookup-stages-mongo.ts';

/** Outputs are named by position (keys, then measures: `c0`, `c1`, …), whatever their names. */
const column = (index: number): string => `c${index}`;

export function compileGroupMongo(query: GroupQuery): Document[] {
  const columnOf = (name: string): string => column(outputColumnOf(query, name));
  const group: Document = {
    _id: query.keys.length === 0 ? null : Object.fromEntries(query.keys.map((key) => [columnOf(key.name), keyExpression(key)])),
  };
  const project: Document = {};
  for (const key of query.keys) project[columnOf(key.name)] = `$_id.${columnOf(key.name)}`;
  for (const measure of query.measures) {
    const name = columnOf(measure.name);
    group[name] = accumulator(measure);
    project[name] =
      measure.op === 'countDistinct'
        ? { $size: { $filter: { input: `$${name}`, cond: { $ne: ['$$this', null] } } } }
        : measure.op === 'sum'
          ? { $ifNull: [`$${name}`, 0] }
          : { $ifNull: [`$${name}`, null] };
  }
  // Keys and measures may read lookup paths too: their chains are joined like the filter's.
  const read = [...query.keys.map((key) => key.field), ...query.measures.flatMap((measure) => (measure.field ? [measure.field] : []))];
  const chains = lookupChainsOf(query.filter, read.map((field) => ({ field, direction: 1 as const })));
  const pipeline: Document[] = [...lookupStages(chains), { $match: compileFilterMongo(query.filter) }, { $group: group }, { $project: { _id: 0, doc: project } }];
  if (query.having !== undefined && query.having.kind !== 'true') pipeline.push({ $match: compileFilterMongo(renameOutputs(query.having, columnOf)) });
  const sort: Record<string, 1 | -1> = {};
  for (const term of query.sort) sort[`doc.${columnOf(term.name)}`] ??= term.direction;
  for (const key of query.keys) sort[`doc.${columnOf(key.name)}`] ??= 1;
  if (Object.keys(sort).length > 0) pipeline.push({ $sort: sort });
  if (query.limit !== undefined) pipeline.push({ $limit: query.limit });
  return pipeline;
}

/** Reads one output document of the pipeline. */
export function groupRowFromMongo(query: GroupQuery, document: { doc: Record<string, unknown> }): GroupRow {
  const read = (index: number): ScalarValue => (document.doc[column(index)] ?? null) as ScalarValue;
  return {
    key: Object.fromEntries(query.keys.map((key, index) => [key.name, read(index)])),
    values: Object.fromEntries(query.measures.map((measure, index) => [measure.name, read(query.keys.length + index)])),
  };
}

function accumulator(measure: Measure): Document {
  if (measure.op === 'count') return { $sum: 1 };
  if (measure.field === undefined) throw new CrmError('INTERNAL', `Measure ${measure.op} needs a field`);
  const value = `$${mongoFieldOf(measure.field)}`;
  // $addToSet keeps a null for an absent value on some implementations: the $filter above drops it.
  if (measure.op === 'countDistinct') return { $addToSet: value };
  return { [`$${measure.op}`]: value };
}

function keyExpression(key: GroupKey): Document | string {
  const value = `$${mongoFieldOf(key.field)}`;
  if (key.bucket === undefined) return { $ifNull: [value, null] };
  // An absent date is the null bucket (some date operators refuse null rather than pass it on).
  return { $cond: [{ $eq: [{ $ifNull: [value, null] }, null] }, null, bucketExpression(key, value)] };
}

function bucketExpression(key: GroupKey, value: string): Document {
  const date = { $dateFromString: { dateString: value } };
  // Dates are calendar days already; datetimes are read in the zone ("UTC" is the default).
  const zone = key.field.valueType === 'datetime' && key.timeZone !== undefined && key.timeZone !== 'UTC' ? { timezone: key.timeZone } : {};
  const format = (text: string): Document => ({ $dateToString: { format: text, date, ...zone } });
  switch (key.bucket) {
    case 'day':
      return format('%Y-%m-%d');
    case 'week': {
      const localDay = { $dateFromString: { dateString: format('%Y-%m-%d') } };
      // A date minus milliseconds, not $dateSubtract (MongoDB 5.0+; the driver supports 4.4): localDay is a UTC midnight, so whole days are exact.
      const monday = { $subtract: [localDay, { $multiply: [{ $subtract: [{ $isoDayOfWeek: localDay }, 1] }, 86_400_000] }] };
      return { $dateToString: { format: '%Y-%m-%d', date: monday } };
    }
    case 'month':
      return format('%Y-%m');
    case 'quarter': {
      const quarterOfMonth = ['1', '1', '1', '2', '2', '2', '3', '3', '3', '4', '4', '4'];
      return { $concat: [format('%Y'), '-Q', { $arrayElemAt: [quarterOfMonth, { $subtract: [{ $month: { date, ...zone } }, 1] }] }] };
    }
    default:
      return format('%Y');
  }
}
