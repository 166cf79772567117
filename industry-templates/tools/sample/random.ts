// Deterministic randomness for sample data: a seeded PRNG (mulberry32), ULID-shaped record ids
// derived from it, and the small helpers every generator uses. Same seed, same files.

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `{ a: 3, b: 1 }` gives a three times as often as b. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }

  /** `count` distinct items in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, Math.min(count, copy.length));
  }

  /** A record id shaped like a ULID (the engine's id format): the time part from `at`, the rest random. */
  ulid(at: Date): string {
    let time = '';
    let ms = at.getTime();
    for (let i = 0; i < 10; i++) {
      time = crockford[ms % 32]! + time;
      ms = Math.floor(ms / 32);
    }
    let rest = '';
    for (let i = 0; i < 16; i++) rest += crockford[Math.floor(this.next() * 32)]!;
    return time + rest;
  }

  /** Random upper-case letters and digits (codes, tracking numbers). */
  code(length: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]!;
    return out;
  }
}

const dayMs = 86_400_000;

/** Calendar helpers on UTC dates written as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** An instant on a date at a local time in China (UTC+8), as the engine stores datetimes. */
export function chinaTime(date: string, hour: number, minute = 0): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((hour - 8) * 60 + minute) * 60_000).toISOString();
}

export function addHours(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * 3_600_000).toISOString();
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Money as the engine keeps it: rounded to cents. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
