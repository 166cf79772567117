// Sign-in throttling: failed attempts counted per account and per address in a sliding window,
// with time from the injectable clock (tests move it instead of sleeping). Past the limit every
// attempt is refused with 429 — the right password too — until the window has moved on.

import type { Clock } from '../kernel/clock.ts';

export interface LimiterOptions {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

export const defaultLimits: LimiterOptions = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 30 };

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly options: LimiterOptions = defaultLimits) {}

  /** Milliseconds until another attempt is allowed, or 0 when one may be made now. */
  retryAfterMs(account: string, address: string): number {
    const now = this.clock.now().getTime();
    const wait = (key: string, limit: number): number => {
      const times = this.recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.options.windowMs - now : 0;
    };
    return Math.max(wait(`account:${account}`, this.options.perAccount), wait(`address:${address}`, this.options.perAddress));
  }

  recordFailure(account: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`account:${account}`, `address:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times.slice(-100));
    }
    if (this.failures.size > 100_000) this.prune(now);
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  recordSuccess(account: string): void {
    this.failures.delete(`account:${account}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (!times.some((t) => t > now - this.options.windowMs)) this.failures.delete(key);
  }
}
