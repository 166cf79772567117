// Data for the store conformance suite: records with present, absent, array and nested values, and
// filters with the ids each must return under MongoDB's semantics.

export const operatorRecords: Record<string, Record<string, unknown>> = {
  r1: { name: 'Alpha', amount: 10, active: true, closeDate: '2024-01-10', createdAt: '2024-01-10T08:00:00.000Z', tags: ['a', 'b'], address: { city: 'Paris' } },
  r2: { name: 'beta', amount: 20.5, active: false, createdAt: '2024-01-09T23:00:00.000Z', tags: ['c'], address: { city: 'paris' } },
  r3: { name: 'Gamma\nline', amount: -5, tags: [], address: {} },
  r4: {},
  r5: { name: 'delta', amount: 0, active: true, closeDate: '2023-12-31', tags: ['b'] },
};

export const operatorCases: [string, unknown, string[]][] = [
  ['everything', {}, ['r1', 'r2', 'r3', 'r4', 'r5']],
  ['equality', { name: 'Alpha' }, ['r1']],
  ['null means absent', { name: null }, ['r4']],
  ['$ne matches absent', { amount: { $ne: 10 } }, ['r2', 'r3', 'r4', 'r5']],
  ['$ne null means present', { amount: { $ne: null } }, ['r1', 'r2', 'r3', 'r5']],
  ['$gt', { amount: { $gt: 0 } }, ['r1', 'r2']],
  ['$gte', { amount: { $gte: 0 } }, ['r1', 'r2', 'r5']],
  ['$lt', { amount: { $lt: 0 } }, ['r3']],
  ['$lte with a decimal', { amount: { $lte: 20.5 } }, ['r1', 'r2', 'r3', 'r5']],
  ['$in', { amount: { $in: [10, -5] } }, ['r1', 'r3']],
  ['$in with null', { amount: { $in: [null, 0] } }, ['r4', 'r5']],
  ['$nin matches absent', { amount: { $nin: [10, -5] } }, ['r2', 'r4', 'r5']],
  ['$nin with null', { amount: { $nin: [null] } }, ['r1', 'r2', 'r3', 'r5']],
  ['empty $in', { amount: { $in: [] } }, []],
  ['empty $nin', { amount: { $nin: [] } }, ['r1', 'r2', 'r3', 'r4', 'r5']],
  ['$exists false', { amount: { $exists: false } }, ['r4']],
  ['$exists true', { closeDate: { $exists: true } }, ['r1', 'r5']],
  ['boolean equality', { active: true }, ['r1', 'r5']],
  ['boolean $ne matches absent', { active: { $ne: true } }, ['r2', 'r3', 'r4']],
  ['boolean $gt (false < true)', { active: { $gt: false } }, ['r1', 'r5']],
  ['date before', { closeDate: { $lt: '2024-01-01' } }, ['r5']],
  ['datetime compared after normalizing the zone', { createdAt: { $gte: '2024-01-10T09:00:00+02:00' } }, ['r1']],
  ['datetime range', { createdAt: { $gt: '2024-01-09T22:00:00Z', $lt: '2024-01-10T00:00:00Z' } }, ['r2']],
  ['array: any element equals', { tags: 'b' }, ['r1', 'r5']],
  ['array: $ne means no element equals', { tags: { $ne: 'b' } }, ['r2', 'r3', 'r4']],
  ['array: $in', { tags: { $in: ['c', 'a'] } }, ['r1', 'r2']],
  ['array: $nin', { tags: { $nin: ['a', 'c'] } }, ['r3', 'r4', 'r5']],
  ['array: null is absent, an empty array is present', { tags: null }, ['r4']],
  ['array: $exists', { tags: { $exists: true } }, ['r1', 'r2', 'r3', 'r5']],
  ['array: $in with null', { tags: { $in: [null, 'c'] } }, ['r2', 'r4']],
  ['array: $not', { tags: { $not: { $eq: 'b' } } }, ['r2', 'r3', 'r4']],
  ['nested path', { 'address.city': 'Paris' }, ['r1']],
  ['nested path absent', { 'address.city': null }, ['r3', 'r4', 'r5']],
  ['regex is case-sensitive', { name: { $regex: 'A' } }, ['r1']],
  ['regex with i', { 'address.city': { $regex: '^paris$', $options: 'i' } }, ['r1', 'r2']],
  ['regex with m', { name: { $regex: '^line', $options: 'm' } }, ['r3']],
  ['regex without m', { name: { $regex: '^line' } }, []],
  ['regex with s', { name: { $regex: 'a.l', $options: 's' } }, ['r3']],
  ['regex without s', { name: { $regex: 'a.l' } }, []],
  ['$not regex matches absent', { name: { $not: { $regex: '^[ab]', $options: 'i' } } }, ['r3', 'r4', 'r5']],
  ['$not matches absent', { amount: { $not: { $gt: 5 } } }, ['r3', 'r4', 'r5']],
  ['$not of two operators', { amount: { $not: { $gt: -10, $lt: 5 } } }, ['r1', 'r2', 'r4']],
  ['$or', { $or: [{ amount: { $gt: 15 } }, { name: 'delta' }] }, ['r2', 'r5']],
  ['$and with a nested $or', { $and: [{ tags: 'b' }, { $or: [{ active: false }, { amount: { $lt: 5 } }] }] }, ['r5']],
  ['$nor', { $nor: [{ amount: { $gt: 0 } }, { tags: 'b' }] }, ['r3', 'r4']],
  ['$nor inside $or', { $or: [{ $nor: [{ active: { $exists: true } }] }, { amount: 10 }] }, ['r1', 'r3', 'r4']],
  ['id column', { id: { $in: ['r1', 'r2'] } }, ['r1', 'r2']],
  ['id range', { id: { $gt: 'r3' } }, ['r4', 'r5']],
];

/** Records for sorting on stage ascending and amount descending, with ties and absent values. */
export const sortRecords: Record<string, Record<string, unknown>> = {
  s1: { stage: 'b', amount: 5 },
  s2: { stage: 'a', amount: 1 },
  s3: { amount: 3 },
  s4: { stage: 'a' },
  s5: { stage: 'b', amount: 5 },
  s6: { stage: 'a', amount: 7 },
  s7: {},
};

export const sortCases: [string, string[]][] = [
  ['stage,-amount', ['s3', 's7', 's6', 's2', 's4', 's1', 's5']],
  ['-stage,amount', ['s1', 's5', 's4', 's2', 's6', 's7', 's3']],
  ['-amount', ['s6', 's1', 's5', 's3', 's2', 's4', 's7']],
];
