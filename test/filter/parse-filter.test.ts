import { describe, expect, it } from 'vitest';
import { type FilterNode } from '../../engine/filter/filter-tree.ts';
import { decodeCursor, encodeCursor, parseFilter, parseSort } from '../../engine/filter/parse-filter.ts';
import { CrmError } from '../../engine/kernel/errors.ts';
import { resolveTestField, testFields } from './test-fields.ts';

const parse = (json: unknown): FilterNode => parseFilter(json, resolveTestField);

function refusal(run: () => unknown): CrmError {
  try {
    run();
  } catch (error) {
    if (error instanceof CrmError) return error;
    throw error;
  }
  throw new Error('expected a CrmError');
}

function nestedAnd(levels: number): unknown {
  let filter: unknown = { amount: 1 };
  for (let i = 0; i < levels; i += 1) filter = { $and: [filter] };
  return filter;
}

describe('parseFilter accepts the grammar', () => {
  it('turns shorthand equality, operators and logic into the tree', () => {
    expect(parse({})).toEqual({ kind: 'true' });
    expect(parse({ name: 'Ada' })).toEqual({ kind: 'compare', field: testFields.name, op: '$eq', value: 'Ada' });
    expect(parse({ name: null })).toEqual({ kind: 'compare', field: testFields.name, op: '$eq', value: null });
    expect(parse({ amount: { $gt: 1, $lte: 5 } })).toEqual({
      kind: 'and',
      children: [
        { kind: 'compare', field: testFields.amount, op: '$gt', value: 1 },
        { kind: 'compare', field: testFields.amount, op: '$lte', value: 5 },
      ],
    });
    expect(parse({ $nor: [{ active: true }] })).toEqual({
      kind: 'not',
      child: { kind: 'or', children: [{ kind: 'compare', field: testFields.active, op: '$eq', value: true }] },
    });
    expect(parse({ tags: { $not: { $in: ['a', null] } } })).toEqual({
      kind: 'not',
      child: { kind: 'in', field: testFields.tags, values: ['a', null], negate: false },
    });
    expect(parse({ 'address.city': { $regex: '^par', $options: 'im' } })).toEqual({
      kind: 'regex',
      field: testFields['address.city'],
      pattern: '^par',
      flags: 'im',
    });
  });

  it('normalizes datetimes to toISOString() and checks calendar dates', () => {
    expect(parse({ createdAt: { $gte: '2024-01-01T10:00:00+02:00' } })).toMatchObject({ value: '2024-01-01T08:00:00.000Z' });
    expect(parse({ createdAt: '2024-03-05' })).toMatchObject({ value: '2024-03-05T00:00:00.000Z' });
    expect(parse({ closeDate: { $lt: '2024-02-29' } })).toMatchObject({ value: '2024-02-29' });
  });

  it('accepts exactly the limits', () => {
    expect(() => parse(nestedAnd(7))).not.toThrow();
    expect(() => parse({ amount: { $in: Array.from({ length: 500 }, (_, i) => i) } })).not.toThrow();
    expect(() => parse({ $or: Array.from({ length: 199 }, () => ({ amount: 1 })) })).not.toThrow();
    expect(() => parse({ name: { $regex: 'a'.repeat(200) } })).not.toThrow();
  });
});

describe('parseFilter refuses with INVALID_FILTER and a JSON pointer', () => {
  const tooManyNodes = { $or: Array.from({ length: 200 }, () => ({ amount: 1 })) };
  const cases: [string, unknown, string, string][] = [
    ['an unknown field', { nope: 1 }, '/nope', 'UNKNOWN_FIELD'],
    ['an unknown composite part', { 'address.street': 'x' }, '/address.street', 'UNKNOWN_FIELD'],
    ['a pointer-escaped key', { 'a/b~c': 1 }, '/a~1b~0c', 'UNKNOWN_FIELD'],
    ['$where', { $where: 'this.a > 1' }, '/$where', 'UNKNOWN_OPERATOR'],
    ['$expr', { $expr: { $gt: ['$a', 1] } }, '/$expr', 'UNKNOWN_OPERATOR'],
    ['$text', { $text: { $search: 'x' } }, '/$text', 'UNKNOWN_OPERATOR'],
    ['an unknown field operator', { amount: { $size: 1 } }, '/amount/$size', 'UNKNOWN_OPERATOR'],
    ['$elemMatch', { tags: { $elemMatch: { $eq: 'a' } } }, '/tags/$elemMatch', 'UNKNOWN_OPERATOR'],
    ['a string for a number', { amount: '5' }, '/amount', 'WRONG_TYPE'],
    ['a wrong type deep inside $or', { $or: [{ amount: 1 }, { amount: { $gt: 'x' } }] }, '/$or/1/amount/$gt', 'WRONG_TYPE'],
    ['null with $gt', { amount: { $gt: null } }, '/amount/$gt', 'WRONG_TYPE'],
    ['a string boolean', { active: { $eq: 'true' } }, '/active/$eq', 'WRONG_TYPE'],
    ['an impossible date', { closeDate: '2024-02-30' }, '/closeDate', 'WRONG_TYPE'],
    ['a datetime without zone', { createdAt: '2024-01-01T10:00' }, '/createdAt', 'WRONG_TYPE'],
    ['a non-boolean $exists', { amount: { $exists: 1 } }, '/amount/$exists', 'WRONG_TYPE'],
    ['$in that is not a list', { amount: { $in: 5 } }, '/amount/$in', 'WRONG_TYPE'],
    ['a wrong type inside $in', { amount: { $in: [1, 'x'] } }, '/amount/$in/1', 'WRONG_TYPE'],
    ['$in longer than 500', { amount: { $in: Array.from({ length: 501 }, (_, i) => i) } }, '/amount/$in', 'LIST_TOO_LONG'],
    ['__proto__ as a key', JSON.parse('{"__proto__": {"amount": 1}}'), '/__proto__', 'FORBIDDEN_KEY'],
    ['constructor as a key', { constructor: 1 }, '/constructor', 'FORBIDDEN_KEY'],
    ['prototype inside a path', { 'address.prototype': 1 }, '/address.prototype', 'FORBIDDEN_KEY'],
    ['__proto__ as an operator', { amount: JSON.parse('{"__proto__": 1}') }, '/amount/__proto__', 'FORBIDDEN_KEY'],
    ['depth over 8', nestedAnd(8), '/$and/0/$and/0/$and/0/$and/0/$and/0/$and/0/$and/0/$and/0', 'TOO_DEEP'],
    ['more than 200 conditions', tooManyNodes, '/$or', 'TOO_MANY_NODES'],
    ['an empty $and', { $and: [] }, '/$and', 'WRONG_TYPE'],
    ['$or given an object', { $or: { amount: 1 } }, '/$or', 'WRONG_TYPE'],
    ['a non-object inside $nor', { $nor: [1] }, '/$nor/0', 'WRONG_TYPE'],
    ['a top-level array', [{ amount: 1 }], '', 'WRONG_TYPE'],
    ['a top-level null', null, '', 'WRONG_TYPE'],
    ['an empty operator object', { amount: {} }, '/amount', 'WRONG_TYPE'],
    ['an embedded document', { tags: { a: 1 } }, '/tags', 'WRONG_TYPE'],
    ['a whole-array match', { tags: ['a', 'b'] }, '/tags', 'WRONG_TYPE'],
    ['a range on a multi-valued field', { tags: { $gt: 'a' } }, '/tags/$gt', 'OPERATOR_NOT_ALLOWED'],
    ['$regex on a multi-valued field', { tags: { $regex: 'a' } }, '/tags/$regex', 'OPERATOR_NOT_ALLOWED'],
    ['an operator the field does not allow', { secret: { $ne: 'x' } }, '/secret/$ne', 'OPERATOR_NOT_ALLOWED'],
    ['$regex on a number field', { amount: { $regex: '1' } }, '/amount/$regex', 'OPERATOR_NOT_ALLOWED'],
    ['an unsafe regex', { name: { $regex: '(a+)+$' } }, '/name/$regex', 'UNSAFE_REGEX'],
    ['a regex that does not compile', { name: { $regex: '([a-' } }, '/name/$regex', 'INVALID_REGEX'],
    ['a regex over 200 characters', { name: { $regex: 'a'.repeat(201) } }, '/name/$regex', 'REGEX_TOO_LONG'],
    ['a regex flag other than i, m, s', { name: { $regex: 'a', $options: 'x' } }, '/name/$options', 'INVALID_REGEX'],
    ['a repeated regex flag', { name: { $regex: 'a', $options: 'ii' } }, '/name/$options', 'INVALID_REGEX'],
    ['$options without $regex', { name: { $options: 'i' } }, '/name/$options', 'UNKNOWN_OPERATOR'],
    ['$not with a value', { amount: { $not: 5 } }, '/amount/$not', 'WRONG_TYPE'],
    ['$not inside $not', { amount: { $not: { $not: { $gt: 1 } } } }, '/amount/$not/$not', 'UNKNOWN_OPERATOR'],
    ['a wrong type inside $not', { amount: { $not: { $lt: 'x' } } }, '/amount/$not/$lt', 'WRONG_TYPE'],
  ];

  it.each(cases)('%s', (_title, filter, path, code) => {
    const error = refusal(() => parse(filter));
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.details).toContainEqual(expect.objectContaining({ path, code }));
    for (const detail of error.details) expect(detail.message.length).toBeGreaterThan(5);
  });

  it('reports every problem, not only the first', () => {
    const error = refusal(() => parse({ nope: 1, amount: 'x', $or: [{ name: 2 }] }));
    expect(error.details.map((d) => d.path)).toEqual(['/nope', '/amount', '/$or/0/name']);
  });
});

describe('parseSort', () => {
  it('reads directions and keeps order', () => {
    expect(parseSort('-amount, name', resolveTestField)).toEqual([
      { field: testFields.amount, direction: -1 },
      { field: testFields.name, direction: 1 },
    ]);
    expect(parseSort('', resolveTestField)).toEqual([]);
  });

  it.each([
    ['nope', 'unknown field'],
    ['tags', 'cannot be sorted'],
    ['amount,-amount', 'appears twice'],
    ['amount,,name', 'is empty'],
  ])('refuses %s', (text, message) => {
    const error = refusal(() => parseSort(text, resolveTestField));
    expect(error.code).toBe('INVALID_QUERY');
    expect(error.details[0]).toMatchObject({ path: '/sort', message: expect.stringContaining(message) });
  });
});

describe('keyset cursors', () => {
  const sort = parseSort('-amount,closeDate', resolveTestField);

  it('round-trip', () => {
    const position = { values: [12.5, null], id: '01J' };
    expect(decodeCursor(encodeCursor(position), sort)).toEqual(position);
  });

  it('takes back a value of another type than the field now has (records kept from before a type change)', () => {
    const position = { values: ['x', null], id: '01J' };
    expect(decodeCursor(encodeCursor(position), sort)).toEqual(position);
  });

  it.each([
    ['not base64url', '***'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['the wrong number of values', encodeCursor({ values: [1], id: 'x' })],
    ['a value that is not a scalar', Buffer.from(JSON.stringify({ v: [{ $gt: 1 }, null], id: 'x' })).toString('base64url')],
    ['no id', Buffer.from(JSON.stringify({ v: [1, null] })).toString('base64url')],
  ])('refuses %s', (_title, text) => {
    const error = refusal(() => decodeCursor(text, sort));
    expect(error.code).toBe('INVALID_QUERY');
    expect(error.details[0]?.path).toBe('/cursor');
  });
});
