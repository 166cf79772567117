// Saved filters' moment variables in a zone with daylight saving time, and the zone offsets they
// rest on (kernel/time-zones.ts). The HTTP side — Shanghai's day against UTC's — is
// test/api/today-time-zone.test.ts; here are the calendar cases a server test cannot reach cheaply.

import { describe, expect, it } from 'vitest';
import { bindFilterVariables } from '../../engine/filter/filter-variables.ts';
import type { FilterableField } from '../../engine/filter/filter-tree.ts';
import { localDate, offsetMinutes, startOfLocalDay } from '../../engine/kernel/time-zones.ts';

const bound = (value: string, valueType: 'date' | 'datetime', now: string, timeZone: string): unknown => {
  const out = bindFilterVariables({ x: value }, { me: 'u', myTeams: [], now: new Date(now), timeZone }, () => ({ valueType }) as FilterableField);
  expect(out.issues).toEqual([]);
  return (out.filter as { x: unknown }).x;
};

describe('moment variables in a zone', () => {
  it('$today on a datetime field is the local midnight, before and after a clock change (New York, 8 March 2026)', () => {
    expect(bound('$today', 'datetime', '2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(bound('$today', 'datetime', '2026-03-09T12:00:00Z', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    // A day back on the calendar is the previous midnight, 23 hours earlier across the change.
    expect(bound('$today - 1 day', 'datetime', '2026-03-09T12:00:00Z', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
  });

  it('$now moves by elapsed time for hours, by the calendar for days', () => {
    // 08:00 EDT on 9 March: 24 hours earlier is 07:00 EST on the 8th, a calendar day earlier 08:00 on the 8th.
    expect(bound('$now - 24 hours', 'datetime', '2026-03-09T12:00:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z');
    expect(bound('$now - 1 day', 'datetime', '2026-03-09T12:00:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z');
    expect(bound('$now - 24 hours', 'datetime', '2026-03-09T04:30:00Z', 'America/New_York')).toBe('2026-03-08T04:30:00.000Z');
    expect(bound('$now - 1 day', 'datetime', '2026-03-09T04:30:00Z', 'America/New_York')).toBe('2026-03-08T05:30:00.000Z');
  });

  it('on a date field, $today, $now and month offsets are the local day', () => {
    expect(bound('$today', 'date', '2026-03-01T20:30:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(bound('$now', 'date', '2026-03-01T20:30:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(bound('$today - 1 month', 'date', '2026-03-31T20:00:00Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(bound('$today - 1 month', 'date', '2026-03-31T20:00:00Z', 'UTC')).toBe('2026-03-03');
  });

  it('a day whose midnight the zone skips begins at the first instant after the gap, west and east of UTC', () => {
    // Santiago, 6 September 2026: 00:00 (UTC−4) jumps to 01:00 (UTC−3); Beirut, 29 March 2026: 00:00 (UTC+2) to 01:00 (UTC+3).
    expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'Asia/Beirut')).toBe('2026-03-28T22:00:00.000Z');
    expect(bound('$today', 'datetime', '2026-09-06T15:00:00Z', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    // On a date field the day is the calendar's, whatever the gap: the same day $today() names in an expression.
    expect(bound('$today', 'date', '2026-09-06T15:00:00Z', 'America/Santiago')).toBe(localDate(new Date('2026-09-06T15:00:00Z'), 'America/Santiago'));
    expect(bound('$today', 'date', '2026-09-06T15:00:00Z', 'America/Santiago')).toBe('2026-09-06');
    expect(bound('$today + 1 day', 'date', '2026-09-05T15:00:00Z', 'America/Santiago')).toBe('2026-09-06');
  });

  it('UTC keeps the instant arithmetic it always had', () => {
    expect(bound('$now - 1 day', 'datetime', '2026-03-01T20:30:00.123Z', 'UTC')).toBe('2026-02-28T20:30:00.123Z');
    expect(bound('$today + 2 weeks', 'datetime', '2026-03-01T20:30:00Z', 'UTC')).toBe('2026-03-15T00:00:00.000Z');
    expect(bound('$now + 3 hours', 'date', '2026-03-01T20:30:00Z', 'UTC')).toBe('2026-03-01');
  });
});

describe('zone offsets', () => {
  it('local day and midnight', () => {
    expect(localDate(new Date('2026-03-01T20:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T20:30:00Z'), 'Asia/Shanghai', -7)).toBe('2026-02-23');
    expect(localDate(new Date('2026-03-01T20:30:00Z'), 'UTC', 1)).toBe('2026-03-02');
    expect(startOfLocalDay('2026-03-02', 'Asia/Shanghai')).toBe('2026-03-01T16:00:00.000Z');
  });

  it('years 1–99 and before year 1 are read as themselves, not as 1900–1999 (the local mean time of the zone)', () => {
    expect(offsetMinutes('Asia/Shanghai', Date.parse('0050-06-01T00:00:00Z'))).toBe(486);
    expect(offsetMinutes('Asia/Shanghai', Date.parse('-000100-06-01T00:00:00Z'))).toBe(486);
    expect(offsetMinutes('America/New_York', Date.parse('0050-06-01T00:00:00Z'))).toBe(-296);
  });
});
