// Filters and sorts saved in metadata (views, dashboard widgets) are checked on save the way the
// records API will parse them at run time — with sample values for their variables — so that a
// saved filter that would be refused later is refused now, at its own pointer.

import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { bindFilterVariables, type FilterVariables } from '../filter/filter-variables.ts';
import { parseFilter, parseSort } from '../filter/parse-filter.ts';
import type { EntityDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { resolveEntityPath } from './entity-paths.ts';

export const sampleVariables: FilterVariables = { me: '01ARZ3NDEKTSV4RRFFQ69G5FAV', myTeams: ['sample'], now: new Date(Date.UTC(2000, 0, 1)), timeZone: 'UTC' };

export function checkSavedFilter(set: MetadataSet, entity: EntityDefinition, filter: unknown, at: string): IssueDetail[] {
  if (filter === undefined) return [];
  const resolve = (path: string) => resolveEntityPath(set, entity, path);
  const bound = bindFilterVariables(filter, sampleVariables, resolve);
  const issues = bound.issues.map((i) => ({ ...i, path: at + i.path }));
  try {
    parseFilter(bound.filter, resolve);
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    issues.push(...error.details.map((d) => ({ ...d, path: at + d.path })));
  }
  return issues;
}

export function checkSavedSort(set: MetadataSet, entity: EntityDefinition, sort: string | undefined, at: string): IssueDetail[] {
  if (sort === undefined) return [];
  try {
    parseSort(sort, (path) => resolveEntityPath(set, entity, path));
    return [];
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    return error.details.map((d) => ({ ...d, path: at }));
  }
}
