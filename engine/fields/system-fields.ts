// The fields every record has, which the engine maintains. No entity may declare a field with
// these names, and no create or update may set them (mass assignment is closed by construction).

import type { FilterableField } from '../filter/filter-tree.ts';
import type { JsonSchema } from './field-type.ts';
import { elementOperators, scalarOperators } from './field-type.ts';

export interface SystemField {
  name: string;
  schema: JsonSchema;
  filterable: FilterableField;
}

function systemField(name: string, schema: JsonSchema, valueType: FilterableField['valueType']): SystemField {
  return { name, schema, filterable: { path: [name], valueType, array: false, operators: scalarOperators, sortable: true } };
}

export const systemFields: readonly SystemField[] = [
  systemField('id', { type: 'string', readOnly: true }, 'string'),
  systemField('version', { type: 'integer', readOnly: true }, 'number'),
  systemField('revision', { type: 'integer', readOnly: true }, 'number'),
  systemField('createdAt', { type: 'string', format: 'date-time', readOnly: true }, 'datetime'),
  systemField('updatedAt', { type: 'string', format: 'date-time', readOnly: true }, 'datetime'),
  systemField('createdBy', { type: 'string', readOnly: true }, 'string'),
  systemField('updatedBy', { type: 'string', readOnly: true }, 'string'),
  systemField('owner', { type: 'string', readOnly: true }, 'string'),
  // The teams a record belongs to besides its owner (entities with `recordTeams`): set only by a
  // reassign, filtered by element (`teams: "north"`, `teams: "$myTeams"`).
  {
    name: 'teams',
    schema: { type: 'array', items: { type: 'string' }, uniqueItems: true, readOnly: true },
    filterable: { path: ['teams'], valueType: 'string', array: true, operators: elementOperators, sortable: false },
  },
];

export const systemFieldNames: ReadonlySet<string> = new Set(systemFields.map((f) => f.name));
