// The `multiLookup` field type: many-to-many links to records of one entity (a deal's contacts),
// stored on this side as an array. Filters match an element (`contacts: id` finds the records
// linking that id), which is how the other side lists its links; deleting a linked record unlinks
// it everywhere (or is refused: onDelete restrict). Writes check every new id like a lookup.
//
// With `linkFields`, each link carries attributes (a contact's role in the deal): an element is
// `{ id, role }` instead of a plain id. The ids stay inside the one array — rather than in a
// sibling map keyed by id — so that one field keeps one value: read and edit access, forms,
// audit, renames and exports need nothing new, and filters, unlinking and the other side's list
// read the id of each element whichever shape it has (link-values.ts). A plain id is still
// accepted (a link without attributes) and stored as `{ id }`.

import { type FieldType, elementOperators } from '../field-type.ts';
import { checkLinkFields, linkElementSchema, linkIds } from '../link-values.ts';
import { recordIdSchema } from './reference-types.ts';
import { typeWidgets } from '../form-widgets.ts';

export const defaultMaxLinks = 100;

export const multiLookupType: FieldType<'multiLookup'> = {
  type: 'multiLookup',
  widgets: typeWidgets.multiLookup,
  compute: 'none',
  valueSchema: (field) => ({
    type: 'array',
    // if/then/else rather than anyOf: a bad attribute is reported at its own pointer only.
    items: field.linkFields ? { type: ['string', 'object'], if: { type: 'string' }, then: { ...recordIdSchema }, else: linkElementSchema(field) } : { ...recordIdSchema },
    uniqueItems: true,
    minItems: field.required ? 1 : 0,
    maxItems: field.maxItems ?? defaultMaxLinks,
  }),
  filterables: (field, name) => [{ path: [name], valueType: 'string', array: true, operators: elementOperators, sortable: false, ...(field.linkFields ? { elementKey: 'id' } : {}) }],
  normalize: (value, field) => (field.linkFields && Array.isArray(value) ? value.map((element) => (typeof element === 'string' ? { id: element } : element)) : value),
  valueIssue(value) {
    const ids = linkIds(value);
    return new Set(ids).size < ids.length ? { en: 'links the same record twice', zh: '重复关联了同一条记录' } : undefined;
  },
  checkDefinition(field, context) {
    const issues = context.findEntity(field.to) ? [] : [{ path: `${context.path}/to`, message: `refers to entity "${field.to}", which does not exist` }];
    return [...issues, ...checkLinkFields(field, context)];
  },
};
