// The segment kind: checked on save against the whole set — its entity, its filter parsed as the
// records API will, the related entity of its RFM scores with a lookup back to it, a date field to
// measure recency from and a number field to sum, thresholds in order, the membership expression
// and the schedule.

import { Cron } from 'croner';
import { compileExpression } from '../expressions/compile-expression.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { SegmentDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { resolveEntityPath } from './entity-paths.ts';
import type { MetadataKind } from './metadata-kind.ts';
import { checkSavedFilter } from './saved-filters.ts';

export const segmentKind: MetadataKind = {
  kind: 'segment',
  plural: 'segments',
  check: (document, set) => checkSegment(document as unknown as SegmentDefinition, set),
};

function checkSegment(segment: SegmentDefinition, set: MetadataSet): IssueDetail[] {
  const entity = set.entity(segment.entity);
  if (!entity) return [{ path: '/entity', message: `refers to entity "${segment.entity}", which does not exist` }];
  const issues: IssueDetail[] = [...checkSavedFilter(set, entity, segment.filter, '/filter')];
  const rfm = segment.rfm;
  if (rfm) {
    const related = set.entity(rfm.from);
    if (!related) issues.push({ path: '/rfm/from', message: `refers to entity "${rfm.from}", which does not exist` });
    else {
      const via = related.fields[rfm.via];
      if (!via || via.type !== 'lookup' || via.to !== segment.entity) issues.push({ path: '/rfm/via', message: `is not a lookup of ${rfm.from} to ${segment.entity}` });
      const date = resolveEntityPath(set, related, rfm.date, 0);
      if (!date || (date.valueType !== 'date' && date.valueType !== 'datetime') || date.array) issues.push({ path: '/rfm/date', message: `"${rfm.date}" is not a date or datetime field of ${rfm.from}` });
      const amount = resolveEntityPath(set, related, rfm.amount, 0);
      if (!amount || amount.valueType !== 'number' || amount.array) issues.push({ path: '/rfm/amount', message: `"${rfm.amount}" is not a number field of ${rfm.from}` });
      issues.push(...checkSavedFilter(set, related, rfm.filter, '/rfm/filter'));
    }
    const ordered = (list: readonly number[], up: boolean) => list.every((v, i) => i === 0 || (up ? v > list[i - 1]! : v < list[i - 1]!));
    if (!ordered(rfm.recencyDays, true)) issues.push({ path: '/rfm/recencyDays', message: 'must be strictly ascending (limits for scores 5, 4, 3, 2)' });
    if (!ordered(rfm.frequency, false)) issues.push({ path: '/rfm/frequency', message: 'must be strictly descending (limits for scores 5, 4, 3, 2)' });
    if (!ordered(rfm.monetary, false)) issues.push({ path: '/rfm/monetary', message: 'must be strictly descending (limits for scores 5, 4, 3, 2)' });
  }
  if (segment.members !== undefined) issues.push(...compileExpression(segment.members, '/members').issues);
  if (segment.schedule !== undefined) {
    try {
      new Cron(segment.schedule, { paused: true });
    } catch (error) {
      issues.push({ path: '/schedule', code: 'META_CRON', message: `is not a valid cron expression: ${(error as Error).message}` });
    }
  }
  return issues;
}
