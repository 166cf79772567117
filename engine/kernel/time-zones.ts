// kernel/time-zones: calendar arithmetic in an IANA time zone without a library — the local
// wall-clock time of an instant, and the instant a local midnight falls on. Offsets come from
// Intl (the zone database Node ships) and are cached per zone and 15-minute slot, since every
// offset change in the database happens on a quarter hour.

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
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
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
    const parts: Record<string, number> = {};
    for (const part of formatterOf(zone).formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
    offset = Math.round((wall - at) / 60_000);
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

/**
 * The instant at which local date `YYYY-MM-DD` begins in the zone, as an ISO string: the offset
 * at UTC midnight gives a first guess, the offset at that guess the answer (exact unless the zone
 * skips midnight itself that day).
 */
export function startOfLocalDay(date: string, zone: string): string {
  const utcMidnight = Date.parse(`${date}T00:00:00.000Z`);
  const guess = utcMidnight - offsetMinutes(zone, utcMidnight) * 60_000;
  return new Date(utcMidnight - offsetMinutes(zone, guess) * 60_000).toISOString();
}
