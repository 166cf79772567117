// A lookup field's `filter` is checked on save as it will be bound and parsed on every write and
// every picker search: over the target's own fields, with `$record.x` naming a field of the entity
// being defined. What would be refused later is refused now, at its pointer.

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import type { EntityDefinition, LookupField } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { entityFilterables } from './entity-paths.ts';
import { sampleVariables } from './saved-filters.ts';

export function checkLookupFilter(args: { set: MetadataSet; entity: EntityDefinition; field: LookupField; path: string }): IssueDetail[] {
  const { set, entity, field, path } = args;
  if (field.filter === undefined) return [];
  // The target's own fields only: the write check must see them whatever the writer may read.
  const target = field.to === entity.name ? entity : set.entity(field.to);
  if (!target) return [];
  const at = `${path}/filter`;
  const resolve = (name: string) => entityFilterables(target).get(name);
  const record = { values: {}, field: (name: string) => entityFilterables(entity).get(name) };
  const bound = bindFilterVariables(field.filter, { ...sampleVariables, record }, resolve);
  const issues = bound.issues.map((i) => ({ ...i, path: at + i.path }));
  try {
    parseFilter(bound.filter, resolve);
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    issues.push(...error.details.map((d) => ({ ...d, path: at + d.path })));
  }
  return issues;
}
