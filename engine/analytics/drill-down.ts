// Drill-down: the records-API filter that lists exactly the records behind one figure — the
// widget's filter (with the dashboard's) AND each key's value; a date bucket becomes the range of
// its label (`2024-Q1` → [2024-01-01, 2024-04-01)), as instants in the zone for datetime fields.

import type { ScalarValue } from '../filter/filter-tree.ts';
import type { DateBucket } from '../filter/group-tree.ts';
import { addDays } from '../kernel/time-zones.ts';
import { rangeCondition } from './dashboard-filters.ts';

export interface DrillKey {
  name: string;
  field: string;
  bucket?: DateBucket;
  datetime: boolean;
}

export function drillFilter(args: { base: Record<string, unknown>; keys: readonly DrillKey[]; key: Record<string, ScalarValue>; timeZone: string }): Record<string, unknown> {
  const parts: Record<string, unknown>[] = Object.keys(args.base).length > 0 ? [args.base] : [];
  for (const key of args.keys) {
    const value = args.key[key.name] ?? null;
    if (key.bucket === undefined || value === null) parts.push({ [key.field]: value });
    else parts.push(rangeCondition(key.field, bucketDays(key.bucket, String(value)), key.datetime, args.timeZone));
  }
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
}

/** The first and last local day of a bucket label. */
export function bucketDays(bucket: DateBucket, label: string): { from: string; to: string } {
  switch (bucket) {
    case 'day':
      return { from: label, to: label };
    case 'week':
      return { from: label, to: addDays(label, 6) };
    case 'month':
      return { from: `${label}-01`, to: addDays(nextMonth(`${label}-01`, 1), -1) };
    case 'quarter': {
      const [year, quarter] = label.split('-Q');
      const from = `${year}-${String((Number(quarter) - 1) * 3 + 1).padStart(2, '0')}-01`;
      return { from, to: addDays(nextMonth(from, 3), -1) };
    }
    case 'year':
      return { from: `${label}-01-01`, to: `${label}-12-31` };
  }
}

function nextMonth(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const index = y! * 12 + (m! - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}
