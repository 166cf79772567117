// The `multiLookup` field type: many-to-many links to records of one entity (a deal's contacts),
// stored on this side as an array of record ids. Filters match an element (`contacts: id` finds the
// records linking that id), which is how the other side lists its links; deleting a linked record
// unlinks it everywhere (or is refused: onDelete restrict). Writes check every new id like a lookup.

import { type FieldType, elementOperators } from '../field-type.ts';
import { recordIdSchema } from './reference-types.ts';

export const defaultMaxLinks = 100;

export const multiLookupType: FieldType<'multiLookup'> = {
  type: 'multiLookup',
  widgets: ['lookup', 'tags', 'select'],
  compute: 'none',
  valueSchema: (field) => ({ type: 'array', items: { ...recordIdSchema }, uniqueItems: true, minItems: field.required ? 1 : 0, maxItems: field.maxItems ?? defaultMaxLinks }),
  filterables: (_field, name) => [{ path: [name], valueType: 'string', array: true, operators: elementOperators, sortable: false }],
  checkDefinition(field, { path, findEntity }) {
    return findEntity(field.to) ? [] : [{ path: `${path}/to`, message: `refers to entity "${field.to}", which does not exist` }];
  },
};
