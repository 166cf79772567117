// `$record.<field>` in lookup filters (filter-variables.ts): bound to the edited record's value, or —
// empty — dropping exactly the condition it stands in (an operator, an element of a list, a field's
// whole condition), never the rest. Unknown, multi-valued or differently typed fields are issues at
// their pointers; filters without a record (views) do not know the variable.

import { describe, expect, it } from 'vitest';
import { bindFilterVariables, type RecordVariable } from '../../engine/filter/filter-variables.ts';
import { resolveTestField } from './test-fields.ts';

const vars = { me: 'u', myTeams: [], now: new Date('2026-03-01T09:00:00Z'), timeZone: 'UTC' };
const record = (values: Record<string, unknown>): RecordVariable => ({ values, field: (name) => resolveTestField(name) });
const bind = (filter: unknown, values: Record<string, unknown>) => bindFilterVariables(filter, { ...vars, record: record(values) }, resolveTestField);

describe('$record in lookup filters', () => {
  it.each([
    ['equality, filled', { stage: '$record.stage' }, { stage: 'won' }, { stage: 'won' }],
    ['equality, empty: the condition goes', { stage: '$record.stage', name: 'x' }, {}, { name: 'x' }],
    ['an empty string counts as empty', { stage: '$record.stage' }, { stage: '' }, {}],
    ['one operator of two goes', { amount: { $gte: '$record.amount', $lt: 100 } }, {}, { amount: { $lt: 100 } }],
    ['both operators empty: the field goes', { amount: { $gte: '$record.amount', $lte: '$record.rating' } }, { rating: 3 }, { amount: { $lte: 3 } }],
    ['$in keeps the filled elements', { stage: { $in: ['$record.stage', 'lost'] } }, {}, { stage: { $in: ['lost'] } }],
    ['$in of empty variables only narrows nothing', { stage: { $in: ['$record.stage'] } }, {}, {}],
    ['$not of an empty variable goes', { stage: { $not: { $eq: '$record.stage' } } }, {}, {}],
    ['inside $or', { $or: [{ stage: '$record.stage' }, { name: 'x' }] }, { stage: 'won' }, { $or: [{ stage: 'won' }, { name: 'x' }] }],
    // A branch left with no condition is no branch: `{}` there would match every record.
    ['an emptied $or branch goes, the others stay', { $or: [{ stage: '$record.stage' }, { name: 'x' }] }, {}, { $or: [{ name: 'x' }] }],
    ['an $or of emptied branches only goes', { $or: [{ stage: '$record.stage' }], name: 'x' }, {}, { name: 'x' }],
    ['an emptied $nor branch goes (not: nothing matches)', { $nor: [{ stage: '$record.stage' }, { name: 'x' }] }, {}, { $nor: [{ name: 'x' }] }],
    ['a $nor of emptied branches only goes', { $nor: [{ stage: '$record.stage' }] }, {}, {}],
    ['nested: an $and whose only branch emptied goes from the $or', { $or: [{ $and: [{ stage: '$record.stage' }] }, { name: 'x' }] }, {}, { $or: [{ name: 'x' }] }],
    ['a branch keeping a condition stays', { $or: [{ stage: '$record.stage', amount: 5 }, { name: 'x' }] }, {}, { $or: [{ amount: 5 }, { name: 'x' }] }],
  ])('%s', (_name, filter, values, expected) => {
    const out = bind(filter, values);
    expect(out.issues).toEqual([]);
    expect(out.filter).toEqual(expected);
  });

  it('refuses a field the record lacks, a multi-valued one and one of another type, at their pointers', () => {
    const out = bind({ stage: '$record.nowhere', name: '$record.tags', $and: [{ amount: '$record.stage' }] }, {});
    expect(out.issues.map((i) => [i.path, i.code])).toEqual([
      ['/stage', 'META_UNKNOWN_FIELD'],
      ['/name', 'META_UNKNOWN_FIELD'],
      ['/$and/0/amount', 'WRONG_TYPE'],
    ]);
  });

  it('is an unknown variable where no record is given (views, dashboards)', () => {
    const out = bindFilterVariables({ stage: '$record.stage' }, vars, resolveTestField);
    expect(out.issues).toEqual([expect.objectContaining({ path: '/stage', code: 'UNKNOWN_VARIABLE' })]);
  });
});
