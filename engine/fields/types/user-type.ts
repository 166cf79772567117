// The `user` field type: a user of this CRM (an assignee, an account manager), stored as the user's
// id. Unlike a lookup it points into the users the security module keeps, not at an entity; a
// write is checked against them (see records/check-user-fields).

import type { FieldType } from '../field-type.ts';
import { scalarOperators } from '../field-type.ts';
import { recordIdSchema } from './reference-types.ts';
import { typeWidgets } from '../form-widgets.ts';

export const userType: FieldType<'user'> = {
  type: 'user',
  widgets: typeWidgets.user,
  compute: 'none',
  valueSchema: () => ({ ...recordIdSchema }),
  filterables: (_field, name) => [{ path: [name], valueType: 'string', array: false, operators: scalarOperators, sortable: true }],
};
