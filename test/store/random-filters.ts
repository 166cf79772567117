// Seeded random records, filters and sorts for the differential test. Values come from small pools
// so that equality, ranges and regexes hit often; every field is sometimes absent.

import { parseFilter } from '../../engine/filter/parse-filter.ts';
import { resolveTestField, type TestFieldName } from '../filter/test-fields.ts';
import { seededRandom } from '../support/seeded-random.ts';

export { seededRandom };


export class RandomPicker {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = this.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return shuffled.slice(0, this.int(min, Math.min(max, items.length)));
  }
}

const pools = {
  name: ['Alpha', 'alpha', 'ALPHA', 'Beta', 'beta gamma', 'Gamma\nDelta', 'delta', 'Zürich', 'zeta', '東京', ''],
  stage: ['new', 'open', 'won', 'lost'],
  amount: [-5, -0.5, 0, 1, 2.5, 3, 7, 10, 10.25, 20, 100],
  rating: [1, 2, 3, 4, 5],
  active: [true, false],
  closeDate: ['2023-12-25', '2023-12-31', '2024-01-01', '2024-01-02', '2024-02-29'],
  createdAt: ['2023-12-31T23:59:59.999Z', '2024-01-01T00:00:00.000Z', '2024-01-01T08:30:00.000Z', '2024-06-15T12:00:00.000Z'],
  tags: ['a', 'b', 'c', 'd'],
  'address.city': ['Oslo', 'oslo', 'Paris', 'Rome', 'São Paulo'],
  id: [] as string[],
} satisfies Partial<Record<TestFieldName, readonly unknown[]>>;

type PooledField = keyof typeof pools;
const scalarFields: PooledField[] = ['name', 'stage', 'amount', 'rating', 'active', 'closeDate', 'createdAt', 'address.city'];
const textFields: ReadonlySet<PooledField> = new Set(['name', 'stage', 'closeDate', 'createdAt', 'address.city', 'id']);
export const sortableFields: PooledField[] = [...scalarFields, 'id'];
const regexPatterns = ['^a', 'a', 'ta$', '^[a-c]', 'l.h', 'a.D', 'e\\s?d', '^$', 'ü', 'A', '^g.*a$', 'o{1,2}', '(al|et)', '\\bgamma\\b', '^delta$', '.', '^2024-01', 'T0\\d:', 'S'];

export function randomRecords(random: RandomPicker, count: number): { id: string; data: Record<string, unknown> }[] {
  const records = [];
  for (let i = 0; i < count; i += 1) {
    const data: Record<string, unknown> = {};
    for (const field of ['name', 'stage', 'amount', 'rating', 'active', 'closeDate', 'createdAt'] as const) {
      if (random.chance(0.75)) data[field] = random.pick<unknown>(pools[field]);
    }
    if (random.chance(0.7)) data.tags = random.some(pools.tags, 0, 3);
    const address = random.next();
    if (address < 0.6) data.address = { city: random.pick(pools['address.city']) };
    else if (address < 0.75) data.address = {};
    records.push({ id: `r${String(i).padStart(4, '0')}${random.pick(['', 'x', 'Y'])}`, data });
  }
  pools.id.splice(0, pools.id.length, ...records.map((r) => r.id));
  return records;
}

function value(random: RandomPicker, field: PooledField): unknown {
  return random.pick(pools[field] as readonly unknown[]);
}

function operatorsFor(field: PooledField): string[] {
  if (field === 'tags') return ['$eq', '$ne', '$in', '$nin', '$exists', '$not'];
  const ops = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not'];
  return textFields.has(field) ? [...ops, '$regex'] : ops;
}

function operatorObject(random: RandomPicker, field: PooledField, insideNot: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const candidates = operatorsFor(field).filter((op) => !(insideNot && op === '$not'));
  for (const op of random.some(candidates, 1, 2)) {
    const nullable = ['$eq', '$ne'].includes(op) && random.chance(0.15);
    if (op === '$exists') object.$exists = random.chance(0.5);
    else if (op === '$in' || op === '$nin') object[op] = Array.from({ length: random.int(0, 3) }, () => (random.chance(0.15) ? null : value(random, field)));
    else if (op === '$regex') {
      object.$regex = random.pick(regexPatterns);
      const flags = random.some(['i', 'm', 's'], 0, 3).join('');
      if (flags !== '' || random.chance(0.2)) object.$options = flags;
    } else if (op === '$not') object.$not = operatorObject(random, field, true);
    else object[op] = nullable ? null : value(random, field);
  }
  return object;
}

/** A filter in the grammar parseFilter accepts, as raw JSON for both parseFilter and mingo. */
export function randomFilter(random: RandomPicker, depth = 1): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const parts = random.int(depth === 1 ? 0 : 1, 3);
  for (let i = 0; i < parts; i += 1) {
    const logical = random.pick(['$and', '$or', '$nor']);
    if (depth < 4 && random.chance(0.25) && !(logical in filter)) {
      filter[logical] = Array.from({ length: random.int(1, 3) }, () => randomFilter(random, depth + 1));
      continue;
    }
    const field = random.pick([...scalarFields, 'tags', 'tags', 'id'] as PooledField[]);
    if (field in filter) continue;
    filter[field] = random.chance(0.3) ? (random.chance(0.15) ? null : value(random, field)) : operatorObject(random, field, false);
  }
  return filter;
}

/**
 * A random filter no larger than a filter may be: randomFilter now and then nests past the parser's
 * 200 conditions (TOO_MANY_NODES, refused as test/filter/parse-filter.test.ts shows), and such a
 * filter is drawn again. Any other refusal is a generator bug and is thrown.
 */
export function acceptedRandomFilter(random: RandomPicker): Record<string, unknown> {
  for (;;) {
    const filter = randomFilter(random);
    try {
      parseFilter(filter, resolveTestField);
      return filter;
    } catch (error) {
      const details = (error as { details?: { code?: string }[] }).details ?? [];
      if (details.length === 0 || details.some((d) => d.code !== 'TOO_MANY_NODES')) throw error;
    }
  }
}

export function randomSort(random: RandomPicker): string {
  return random
    .some(sortableFields, 1, 2)
    .map((field) => `${random.chance(0.5) ? '-' : ''}${field}`)
    .join(',');
}
