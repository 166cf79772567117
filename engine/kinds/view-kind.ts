// The view kind: columns, card fields, filter and sort name paths of the entity (or through its
// lookups); the filter parses as the records API will parse it; a kanban groups by a field with a
// fixed set of values and sums a numeric one; an entity has at most one default view.

import { pointerSegment as escape, type IssueDetail } from '../kernel/errors.ts';
import { getFieldType } from '../fields/registry.ts';
import type { ViewDefinition } from '../metadata/generated/metadata.ts';
import { isEntityPath, resolveEntityPath } from './entity-paths.ts';
import type { MetadataKind } from './metadata-kind.ts';
import { checkSavedFilter, checkSavedSort } from './saved-filters.ts';

export const viewKind: MetadataKind = {
  kind: 'view',
  plural: 'views',
  check(document, set) {
    const view = document as unknown as ViewDefinition;
    const entity = set.entity(view.entity);
    if (!entity) return [{ path: '/entity', message: `refers to entity "${view.entity}", which does not exist` }];
    const issues: IssueDetail[] = [];
    const unknownPath = (path: string, at: string): void => {
      if (!isEntityPath(set, entity, path)) issues.push({ path: at, code: 'META_UNKNOWN_FIELD', message: `refers to "${path}", which is not a field of ${entity.name} (nor a field reached through its lookups)` });
    };
    for (const column of Object.keys(view.columns ?? {})) unknownPath(column, `/columns/${escape(column)}`);
    issues.push(...checkSavedFilter(set, entity, view.filter, '/filter'), ...checkSavedSort(set, entity, view.sort, '/sort'));
    if (view.kanban) {
      const groupBy = entity.fields[view.kanban.groupBy];
      if (!groupBy) issues.push({ path: '/kanban/groupBy', code: 'META_UNKNOWN_FIELD', message: `refers to "${view.kanban.groupBy}", which is not a field of ${entity.name}` });
      else if (!('enum' in getFieldType(groupBy.type).valueSchema(groupBy as never))) issues.push({ path: '/kanban/groupBy', message: `"${view.kanban.groupBy}" has no fixed set of values to make columns of: use a picklist or a workflow's state field` });
      (view.kanban.cardFields ?? []).forEach((path, i) => unknownPath(path, `/kanban/cardFields/${i}`));
      const sum = view.kanban.sumField;
      if (sum !== undefined && resolveEntityPath(set, entity, sum)?.valueType !== 'number') issues.push({ path: '/kanban/sumField', message: `"${sum}" must be a numeric field of ${entity.name}` });
    }
    if (view.segment !== undefined) {
      const segment = set.get('segment', view.segment);
      if (!segment || segment['entity'] !== view.entity) issues.push({ path: '/segment', message: `"${view.segment}" is not a segment of ${view.entity}` });
    }
    if (view.default === true) {
      const other = set.list('view').find((v) => v.name !== view.name && v['entity'] === view.entity && v['default'] === true);
      if (other) issues.push({ path: '/default', code: 'META_DUPLICATE', message: `view "${other.name}" is already the default view of ${view.entity}` });
    }
    return issues;
  },
};
