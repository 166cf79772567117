// The report kind: checked on save as it will run — its filter, groupings and measures parsed as
// GET /api/aggregate parses them, its columns and sort as the records API does, and its schedule's
// cron and role.

import { Cron } from 'croner';
import { parseSort } from '../filter/parse-filter.ts';
import { parseGroupSpec } from '../filter/parse-group.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import type { ReportDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { definitionResolver } from './dashboard-kind.ts';
import type { MetadataKind } from './metadata-kind.ts';
import { checkSavedFilter } from './saved-filters.ts';

export const reportKind: MetadataKind = {
  kind: 'report',
  plural: 'reports',
  check: (document, set) => checkReport(document as unknown as ReportDefinition, set),
};

/** The aggregation spec of a report's grouped rows, for its first `depth` levels. */
export function reportGroupSpec(report: ReportDefinition, depth: number, filter: unknown, timeZone: string): Record<string, unknown> {
  return {
    filter: filter ?? {},
    groupBy: (report.groupBy ?? []).slice(0, depth).map((key, i) => (typeof key === 'string' ? { field: key, as: `g${i}` } : { ...key, as: `g${i}` })),
    measures: report.measures ?? { count: { op: 'count' } },
    timeZone,
  };
}

function checkReport(report: ReportDefinition, set: MetadataSet): IssueDetail[] {
  const entity = set.entity(report.entity);
  if (!entity) return [{ path: '/entity', message: `refers to entity "${report.entity}", which does not exist` }];
  const resolve = definitionResolver(set, entity);
  const issues: IssueDetail[] = [...checkSavedFilter(set, entity, report.filter, '/filter')];
  const nested = (run: () => unknown, map: (path: string) => string): void => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      issues.push(...error.details.map((d) => ({ ...d, path: map(d.path) })));
    }
  };
  if (report.groupBy) {
    nested(() => parseGroupSpec(reportGroupSpec(report, report.groupBy!.length, {}, 'UTC'), { resolve, defaultTimeZone: 'UTC' }), (p) => p.replace(/^\/groupBy\/(\d+)\/field$/, '/groupBy/$1'));
    if (report.columns) issues.push({ path: '/columns', message: 'a grouped report shows its keys and measures: columns are for a list of records' });
  } else {
    if (report.measures) issues.push({ path: '/measures', message: 'measures need groupBy' });
    if (!report.columns) issues.push({ path: '/columns', message: 'a report without groupBy lists records: name its columns' });
    (report.columns ?? []).forEach((column, i) => {
      if (!resolve(column)) issues.push({ path: `/columns/${i}`, message: `refers to "${column}", which is not a field of ${report.entity}` });
    });
    if (report.sort) nested(() => parseSort(report.sort!, resolve), () => '/sort');
  }
  if (report.schedule) {
    try {
      new Cron(report.schedule.cron, { paused: true });
    } catch (error) {
      issues.push({ path: '/schedule/cron', code: 'META_CRON', message: `is not a valid cron expression: ${(error as Error).message}` });
    }
    if (!set.get('role', report.schedule.role)) issues.push({ path: '/schedule/role', message: `refers to role "${report.schedule.role}", which does not exist` });
  }
  return issues;
}
