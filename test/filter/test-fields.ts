// The fields tests filter and sort on: one of each value type, a multi-valued field, a part of a
// composite field, the id column and one field with a restricted operator list.

import { filterOperators, type FilterableField, type ValueType } from '../../engine/filter/filter-tree.ts';
import type { FieldResolver } from '../../engine/filter/parse-filter.ts';

function field(dotted: string, valueType: ValueType, options: { array?: boolean; operators?: FilterableField['operators']; elementKey?: string } = {}): FilterableField {
  const array = options.array ?? false;
  return { path: dotted.split('.'), valueType, array, operators: options.operators ?? filterOperators, sortable: !array, ...(options.elementKey ? { elementKey: options.elementKey } : {}) };
}

export const testFields = {
  id: field('id', 'string'),
  name: field('name', 'string'),
  stage: field('stage', 'string'),
  amount: field('amount', 'number'),
  rating: field('rating', 'number'),
  active: field('active', 'boolean'),
  closeDate: field('closeDate', 'date'),
  createdAt: field('createdAt', 'datetime'),
  tags: field('tags', 'string', { array: true }),
  // A multiLookup with link attributes: elements are `{ id, … }` or (older) plain ids.
  links: field('links', 'string', { array: true, elementKey: 'id', operators: ['$eq', '$ne', '$in', '$nin', '$exists', '$not'] }),
  'address.city': field('address.city', 'string'),
  secret: field('secret', 'string', { operators: ['$eq', '$in'] }),
} satisfies Record<string, FilterableField>;

export type TestFieldName = keyof typeof testFields;

export const resolveTestField: FieldResolver = (dotted) => (Object.hasOwn(testFields, dotted) ? testFields[dotted as TestFieldName] : undefined);
