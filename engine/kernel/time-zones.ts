// kernel/time-zones: calendar arithmetic in an IANA time zone without a library — the local
// wall-clock time and day of an instant, and the instant a local time (a midnight) falls on.
// Offsets come from Intl (the zone database Node ships) and are cached per zone and 15-minute
// slot, since every offset change in the database happens on a quarter hour.

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const maxCachedOffsets = 200_000;
const slotMs = 15 * 60_000;

/** True when Intl knows the zone (`Asia/Shanghai`, `UTC`, `America/Argentina/Buenos_Aires`). */
export function isTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Minutes the zone is ahead of UTC at this instant (Asia/Shanghai: 480). */
export function offsetMinutes(zone: string, epochMs: number): number {
  if (zone === 'UTC') return 0;
  const slot = Math.floor(epochMs / slotMs);
  const key = `${zone} ${slot}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = slot * slotMs;
    const parts: Record<string, string> = {};
    for (const part of formatterOf(zone).formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = part.value;
    // setUTCFullYear, not Date.UTC (which reads years 0–99 as 1900–1999); a year before 1 is written as its era's.
    const year = Number(parts['year']);
    const wall = new Date(0);
    wall.setUTCFullYear(parts['era'] === 'BC' ? 1 - year : year, Number(parts['month']) - 1, Number(parts['day']));
    wall.setUTCHours(Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
    offset = Math.round((wall.getTime() - at) / 60_000);
    if (offsets.size >= maxCachedOffsets) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The local wall-clock time of an ISO instant, as `YYYY-MM-DDTHH:MM:SS` (null when unparsable). */
export function localDateTime(iso: string, zone: string): string | null {
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) return null;
  return new Date(epochMs + offsetMinutes(zone, epochMs) * 60_000).toISOString().slice(0, 19);
}

/** The zone's wall-clock time at an instant, as a Date whose UTC fields read it (milliseconds kept). */
export function wallClockOf(at: Date, zone: string): Date {
  const epochMs = at.getTime();
  return new Date(epochMs + offsetMinutes(zone, epochMs) * 60_000);
}

/**
 * The instant a wall-clock time in the zone (a Date whose UTC fields read it) happens: the offset
 * at the wall time read as UTC gives a first guess, the offset at that guess the answer. A time the
 * zone skips (a spring-forward gap: Santiago's or Beirut's midnight on the day clocks go forward)
 * has no instant: it is the first instant after the gap — of the two candidates, the later one (the
 * earlier one, west of UTC, would be the evening before).
 */
export function instantOfWallClock(wall: Date, zone: string): Date {
  const asUtc = wall.getTime();
  const guess = asUtc - offsetMinutes(zone, asUtc) * 60_000;
  const answer = asUtc - offsetMinutes(zone, guess) * 60_000;
  if (wallClockOf(new Date(answer), zone).getTime() === asUtc) return new Date(answer);
  return new Date(Math.max(answer, guess));
}

/**
 * The calendar day (`YYYY-MM-DD`) an instant falls on in the zone, moved `days` days on the
 * calendar (negative: earlier): what "today" is, for expressions, saved filters and exports alike.
 */
export function localDate(at: Date, zone: string, days = 0): string {
  const wall = wallClockOf(at, zone);
  if (days !== 0) wall.setUTCDate(wall.getUTCDate() + days);
  return wall.toISOString().slice(0, 10);
}

/** A calendar date (`YYYY-MM-DD`) `days` days later (negative: earlier). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant at which local date `YYYY-MM-DD` begins in the zone, as an ISO string (exact unless the zone skips midnight itself that day). */
export function startOfLocalDay(date: string, zone: string): string {
  return instantOfWallClock(new Date(`${date}T00:00:00.000Z`), zone).toISOString();
}
