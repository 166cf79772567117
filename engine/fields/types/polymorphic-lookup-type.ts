// The `polymorphicLookup` field type: a reference to a record of one of several entities (an
// activity's parent: an account, a deal or a case), stored as `{ entity, id }`. Filters address
// `<field>.entity` and `<field>.id`; record ids are unique across entities, so `<field>.id` alone
// finds what points at a record (deletes and timelines use that).

import type { FieldType } from '../field-type.ts';
import { scalarOperators } from '../field-type.ts';
import { recordIdSchema } from './reference-types.ts';
import { typeWidgets } from '../form-widgets.ts';

export const polymorphicLookupType: FieldType<'polymorphicLookup'> = {
  type: 'polymorphicLookup',
  widgets: typeWidgets.polymorphicLookup,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'object',
    properties: { entity: { type: 'string', enum: [...field.to] }, id: { ...recordIdSchema } },
    required: ['entity', 'id'],
    additionalProperties: false,
  }),
  filterables: (_field, name) => [
    { path: [name, 'entity'], valueType: 'string', array: false, operators: scalarOperators, sortable: true },
    { path: [name, 'id'], valueType: 'string', array: false, operators: scalarOperators, sortable: true },
  ],
  checkDefinition(field, { path, findEntity }) {
    const issues = field.to.flatMap((name, index) => (findEntity(name) ? [] : [{ path: `${path}/to/${index}`, message: `refers to entity "${name}", which does not exist` }]));
    if (field.required && field.onDelete === 'setNull') issues.push({ path: `${path}/onDelete`, message: 'setNull cannot clear a required lookup: use restrict or cascade' });
    return issues;
  },
};
