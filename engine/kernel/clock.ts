// kernel/clock: where time comes from. Production uses the system clock; tests inject a manual one
// so that nothing ever sleeps to wait for time to pass. A clock also says whose calendar its days
// are: the engine's clock carries CRM_TIME_ZONE (withTimeZone, at start), so that "today" — an
// expression's $today(), a saved filter's $today — is the organisation's day everywhere; the day
// itself is made by localDate (time-zones.ts) alone.

export interface Clock {
  now(): Date;
  /** The IANA zone whose calendar days the clock's days are (CRM_TIME_ZONE); UTC when absent. */
  readonly timeZone?: string;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock reading another clock's time, its days those of a zone. */
class ZonedClock implements Clock {
  constructor(readonly source: Clock, readonly timeZone: string) {}
  now(): Date {
    return this.source.now();
  }
}

/** The same time as `clock`, its days read in `timeZone` (UTC: the source clock itself). */
export function withTimeZone(clock: Clock, timeZone: string): Clock {
  const source = timeSource(clock);
  return timeZone === 'UTC' ? source : new ZonedClock(source, timeZone);
}

/** Where the clock's time comes from, whatever zone it was given (systemClock in production). */
export function timeSource(clock: Clock): Clock {
  return clock instanceof ZonedClock ? clock.source : clock;
}

/** The zone of the clock's days: its own, else UTC. */
export function timeZoneOf(clock: Clock): string {
  return clock.timeZone ?? 'UTC';
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string | number = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
