// group() cases for the store conformance suite, computed by hand. The datetimes sit on month,
// quarter and year boundaries as seen from Asia/Shanghai (UTC+8), so UTC and Shanghai disagree.

import type { ScalarValue } from '../../engine/filter/filter-tree.ts';

export const groupRecords: Record<string, Record<string, unknown>> = {
  // Shanghai: Mon 2024-04-01 00:30 (Q2); UTC: Sun 2024-03-31 16:30 (Q1).
  g1: { stage: 'won', amount: 10, closeDate: '2024-03-31', createdAt: '2024-03-31T16:30:00.000Z' },
  // Shanghai: Wed 2025-01-01 00:00; UTC: Tue 2024-12-31 16:00.
  g2: { stage: 'won', amount: 5, closeDate: '2024-04-01', createdAt: '2024-12-31T16:00:00.000Z' },
  // Shanghai: Sun 2024-06-30 23:59:59.999 — still Q2 in both.
  g3: { stage: 'lost', amount: 7.5, closeDate: '2023-12-31', createdAt: '2024-06-30T15:59:59.999Z' },
  // Shanghai: Tue 2024-10-01 00:00 (Q4); UTC: Mon 2024-09-30 16:00 (Q3).
  g4: { stage: 'lost', closeDate: '2024-01-01', createdAt: '2024-09-30T16:00:00.000Z' },
  g5: { amount: 2, active: true },
  g6: { stage: 'open', amount: 20, active: false, closeDate: '2024-03-30' },
};

type Row = [Record<string, ScalarValue>, Record<string, ScalarValue>];
const counts = (name: string, pairs: [ScalarValue, number][]): Row[] => pairs.map(([key, n]) => [{ [name]: key }, { count: n }]);

export const groupCases: [string, unknown, Row[]][] = [
  [
    'every measure by stage (absent groups as null, first)',
    {
      groupBy: ['stage'],
      measures: {
        n: 'count', total: { op: 'sum', field: 'amount' }, mean: { op: 'avg', field: 'amount' }, low: { op: 'min', field: 'amount' },
        high: { op: 'max', field: 'amount' }, days: { op: 'countDistinct', field: 'closeDate' }, first: { op: 'min', field: 'closeDate' },
      },
    },
    [
      [{ stage: null }, { n: 1, total: 2, mean: 2, low: 2, high: 2, days: 0, first: null }],
      [{ stage: 'lost' }, { n: 2, total: 7.5, mean: 7.5, low: 7.5, high: 7.5, days: 2, first: '2023-12-31' }],
      [{ stage: 'open' }, { n: 1, total: 20, mean: 20, low: 20, high: 20, days: 1, first: '2024-03-30' }],
      [{ stage: 'won' }, { n: 2, total: 15, mean: 7.5, low: 5, high: 10, days: 2, first: '2024-03-31' }],
    ],
  ],
  ['month in UTC', { groupBy: [{ field: 'createdAt', bucket: 'month', as: 'm' }], timeZone: 'UTC' }, counts('m', [[null, 2], ['2024-03', 1], ['2024-06', 1], ['2024-09', 1], ['2024-12', 1]])],
  ['month in Asia/Shanghai', { groupBy: [{ field: 'createdAt', bucket: 'month', as: 'm' }], timeZone: 'Asia/Shanghai' }, counts('m', [[null, 2], ['2024-04', 1], ['2024-06', 1], ['2024-10', 1], ['2025-01', 1]])],
  ['quarter in UTC', { groupBy: [{ field: 'createdAt', bucket: 'quarter', as: 'q' }], timeZone: 'UTC' }, counts('q', [[null, 2], ['2024-Q1', 1], ['2024-Q2', 1], ['2024-Q3', 1], ['2024-Q4', 1]])],
  ['quarter in Asia/Shanghai', { groupBy: [{ field: 'createdAt', bucket: 'quarter', as: 'q' }], timeZone: 'Asia/Shanghai' }, counts('q', [[null, 2], ['2024-Q2', 2], ['2024-Q4', 1], ['2025-Q1', 1]])],
  ['year in UTC', { groupBy: [{ field: 'createdAt', bucket: 'year', as: 'y' }], timeZone: 'UTC' }, counts('y', [[null, 2], ['2024', 4]])],
  ['year in Asia/Shanghai', { groupBy: [{ field: 'createdAt', bucket: 'year', as: 'y' }], timeZone: 'Asia/Shanghai' }, counts('y', [[null, 2], ['2024', 3], ['2025', 1]])],
  ['week (Monday) in UTC', { groupBy: [{ field: 'createdAt', bucket: 'week', as: 'w' }] }, counts('w', [[null, 2], ['2024-03-25', 1], ['2024-06-24', 1], ['2024-09-30', 1], ['2024-12-30', 1]])],
  ['week (Monday) in Asia/Shanghai', { groupBy: [{ field: 'createdAt', bucket: 'week', as: 'w' }], timeZone: 'Asia/Shanghai' }, counts('w', [[null, 2], ['2024-04-01', 1], ['2024-06-24', 1], ['2024-09-30', 1], ['2024-12-30', 1]])],
  ['day in Asia/Shanghai', { groupBy: [{ field: 'createdAt', bucket: 'day', as: 'd' }], timeZone: 'Asia/Shanghai' }, counts('d', [[null, 2], ['2024-04-01', 1], ['2024-06-30', 1], ['2024-10-01', 1], ['2025-01-01', 1]])],
  ['a date field ignores the zone', { groupBy: [{ field: 'closeDate', bucket: 'quarter', as: 'q' }], timeZone: 'Asia/Shanghai' }, counts('q', [[null, 1], ['2023-Q4', 1], ['2024-Q1', 3], ['2024-Q2', 1]])],
  ['a boolean key (false before true)', { groupBy: ['active'] }, counts('active', [[null, 4], [false, 1], [true, 1]])],
  [
    'having, sort by a measure, top 1',
    { groupBy: ['stage'], measures: { n: 'count', total: { op: 'sum', field: 'amount' } }, having: { n: { $gte: 2 } }, sort: '-total', limit: 1 },
    [[{ stage: 'won' }, { n: 2, total: 15 }]],
  ],
  [
    'two keys, filtered, sorted by the second key descending, ties by the keys',
    { filter: { stage: { $in: ['won', 'lost'] } }, groupBy: ['stage', { field: 'closeDate', bucket: 'year', as: 'y' }], sort: '-y' },
    [
      [{ stage: 'lost', y: '2024' }, { count: 1 }],
      [{ stage: 'won', y: '2024' }, { count: 2 }],
      [{ stage: 'lost', y: '2023' }, { count: 1 }],
    ],
  ],
  ['no keys: one row over everything', { measures: { n: 'count', total: { op: 'sum', field: 'amount' } } }, [[{}, { n: 6, total: 44.5 }]]],
  ['no keys over no records: no row', { filter: { stage: 'none' }, measures: { n: 'count' } }, []],
  ['having on a key', { groupBy: ['stage'], having: { stage: { $ne: null } }, sort: '-count' }, counts('stage', [['lost', 2], ['won', 2], ['open', 1]])],
];
