// parseGroupSpec: every problem in an aggregation spec is reported with a JSON pointer into it.

import { describe, expect, it } from 'vitest';
import { parseGroupSpec } from '../../engine/filter/parse-group.ts';
import { CrmError } from '../../engine/kernel/errors.ts';
import { resolveTestField } from './test-fields.ts';

const parse = (spec: unknown) => parseGroupSpec(spec, { resolve: resolveTestField, defaultTimeZone: 'UTC' });

function issuesOf(spec: unknown): [string, string | undefined][] {
  try {
    parse(spec);
  } catch (error) {
    if (error instanceof CrmError && error.code === 'INVALID_QUERY') return error.details.map((d) => [d.path, d.code]);
    throw error;
  }
  throw new Error('expected the spec to be refused');
}

describe('parseGroupSpec', () => {
  it('defaults to one count measure and keys named after their field', () => {
    const query = parse({ groupBy: ['address.city', { field: 'createdAt', bucket: 'month' }] });
    expect(query.keys.map((k) => [k.name, k.bucket, k.timeZone])).toEqual([['address.city', undefined, undefined], ['createdAt', 'month', 'UTC']]);
    expect(query.measures).toEqual([{ name: 'count', op: 'count' }]);
  });

  it.each([
    ['not an object', [], [['', 'WRONG_TYPE']]],
    ['unknown property', { groupby: ['stage'] }, [['/groupby', 'UNKNOWN_PROPERTY']]],
    ['unknown field', { groupBy: ['nope'] }, [['/groupBy/0', 'UNKNOWN_FIELD']]],
    ['multi-valued field', { groupBy: ['tags'] }, [['/groupBy/0', 'WRONG_TYPE']]],
    ['bucket on text', { groupBy: [{ field: 'stage', bucket: 'month' }] }, [['/groupBy/0/bucket', 'WRONG_TYPE']]],
    ['unknown bucket', { groupBy: [{ field: 'closeDate', bucket: 'decade' }] }, [['/groupBy/0/bucket', 'WRONG_TYPE']]],
    ['too many keys', { groupBy: ['stage', 'rating', 'active', 'name'] }, [['/groupBy', 'TOO_MANY_KEYS']]],
    ['same name twice', { groupBy: ['stage', 'stage'] }, [['/groupBy/1', 'DUPLICATE_KEY']]],
    ['sum of text', { measures: { s: { op: 'sum', field: 'stage' } } }, [['/measures/s/field', 'WRONG_TYPE']]],
    ['unknown op', { measures: { s: 'median' } }, [['/measures/s', 'WRONG_TYPE']]],
    ['measure without field', { measures: { s: { op: 'max' } } }, [['/measures/s/field', 'WRONG_TYPE']]],
    ['bad filter inside', { filter: { amount: { $gt: 'x' } } }, [['/filter/amount/$gt', 'WRONG_TYPE']]],
    ['having on an unknown output', { groupBy: ['stage'], having: { total: { $gt: 1 } } }, [['/having/total', 'UNKNOWN_FIELD']]],
    ['sort by an unknown output', { groupBy: ['stage'], sort: '-amount' }, [['/sort', 'UNKNOWN_FIELD']]],
    ['limit out of range', { limit: 0 }, [['/limit', 'WRONG_TYPE']]],
    ['unknown time zone', { timeZone: 'Mars/Olympus' }, [['/timeZone', 'WRONG_TYPE']]],
  ])('refuses %s', (_title, spec, expected) => {
    expect(issuesOf(spec)).toEqual(expected);
  });

  it('reports every problem at once', () => {
    expect(issuesOf({ groupBy: ['nope'], measures: { s: { op: 'sum', field: 'name' } }, limit: -1 }).map(([path]) => path)).toEqual(['/groupBy/0', '/measures/s/field', '/limit']);
  });
});
