// When a date trigger is due: the record's date (at `at` in the trigger's time zone, else the
// organisation's) or datetime, plus the signed offset ("-3d" = three days before).

import type { CompiledTrigger } from './compile-workflow.ts';

/** The UTC offset of a time zone at an instant, in ms (positive east of Greenwich). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

/** A wall-clock date and time in a zone, as a UTC instant. */
export function zonedTime(date: string, time: string, timeZone: string | undefined): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  if (!timeZone) return new Date(wall);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone));
}

/** `organisationZone`: where a date's `at` is read when the trigger names no zone (CRM_TIME_ZONE, the clock's). */
export function dueTimeOf(trigger: CompiledTrigger, value: unknown, organisationZone: string): Date | undefined {
  const def = trigger.definition;
  if (def.on !== 'date' || typeof value !== 'string') return undefined;
  const base = /^\d{4}-\d{2}-\d{2}$/.test(value) ? zonedTime(value, def.at ?? '00:00', def.timezone ?? organisationZone) : new Date(value);
  if (Number.isNaN(base.getTime())) return undefined;
  return new Date(base.getTime() + (trigger.offsetMs ?? 0));
}
