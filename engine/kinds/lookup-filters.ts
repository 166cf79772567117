// A lookup (or multiLookup) field's `filter` is checked on save as it will be bound and parsed on every write and
// every picker search: over the target's own fields, with `$record.x` naming a field of the entity
// being defined. What would be refused later is refused now, at its pointer.

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import type { EntityDefinition, LookupField, MultiLookupField } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { entityFilterables } from './entity-paths.ts';
import { sampleVariables } from './saved-filters.ts';
import { getFieldType } from '../fields/registry.ts';

export function checkLookupFilter(args: { set: MetadataSet; entity: EntityDefinition; field: LookupField | MultiLookupField; path: string }): IssueDetail[] {
  const { set, entity, field, path } = args;
  if (field.filter === undefined) return [];
  // The target's own fields only: the write check must see them whatever the writer may read.
  const target = field.to === entity.name ? entity : set.entity(field.to);
  if (!target) return [];
  const at = `${path}/filter`;
  const resolve = (name: string) => entityFilterables(target).get(name);
  const fields = entityFilterables(entity);
  // Checked as a record with no values (every $record condition dropped) and as one with all of
  // them filled — only then are the target field's operators and types checked against them.
  const filled = Object.fromEntries([...fields].filter(([, f]) => !f.array).map(([name, f]) => [name, sampleValues[f.valueType]]));
  const issues = new Map<string, IssueDetail>();
  for (const values of [{}, filled]) {
    const record = { values, field: (name: string) => fields.get(name), refused: (name: string) => computedRefusal(entity, name) };
    const bound = bindFilterVariables(field.filter, { ...sampleVariables, record }, resolve);
    const found = [...bound.issues];
    try {
      parseFilter(bound.filter, resolve);
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      found.push(...error.details);
    }
    for (const issue of found) issues.set(`${issue.path}\u0000${issue.message}`, { ...issue, path: at + issue.path });
  }
  return [...issues.values()];
}

const sampleValues: Record<FilterableField['valueType'], unknown> = { string: 'sample', number: 0, boolean: true, date: '2000-01-01', datetime: '2000-01-01T00:00:00.000Z' };

/**
 * A computed field (formula, rollup, autonumber) has no value of this write yet when the lookup is
 * checked — it is computed after — so the check would read an old value, or none (and drop the
 * condition): refused, with what to use instead.
 */
function computedRefusal(entity: EntityDefinition, name: string): string | undefined {
  const field = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
  if (!field || getFieldType(field.type).compute === 'none') return undefined;
  return `$record.${name} is a ${field.type} field, computed after the lookup is checked: compare a field it is computed from`;
}
