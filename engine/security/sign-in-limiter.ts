// Sign-in throttling: attempts counted per account and per address in a sliding window (counted
// when they start, so a burst cannot slip past while passwords are being hashed),
// with time from the injectable clock (tests move it instead of sleeping). Past the limit every
// attempt is refused with 429 — the right password too — until the window has moved on.

import type { Clock } from '../kernel/clock.ts';

export interface LimiterOptions {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

/** One counted sign-in attempt, settled by `succeeded` when its password was right. */
export interface SignInAttempt {
  account: string;
  address: string;
  at: number;
}

export const defaultLimits: LimiterOptions = { windowMs: 15 * 60 * 1000, perAccount: 5, perAddress: 30 };

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly options: LimiterOptions = defaultLimits) {}

  /**
   * Counts an attempt before its password is verified, in one synchronous step: no number of
   * concurrent requests gets more guesses than the limit. Returns how long to wait (and counts
   * nothing) when the limit is reached, else the attempt to settle once the password is checked.
   */
  beginAttempt(account: string, address: string): { retryAfterMs: number } | { retryAfterMs: 0; attempt: SignInAttempt } {
    const now = this.clock.now().getTime();
    const wait = this.retryAfterMs(account, address, now);
    if (wait > 0) return { retryAfterMs: wait };
    for (const key of [`account:${account}`, `address:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times.slice(-100));
    }
    if (this.failures.size > 100_000) this.prune(now);
    return { retryAfterMs: 0, attempt: { account, address, at: now } };
  }

  /**
   * A successful sign-in clears the account's failures and takes its own attempt back from the
   * address's count (a failed one simply stays counted).
   */
  succeeded(attempt: SignInAttempt): void {
    this.failures.delete(`account:${attempt.account}`);
    const key = `address:${attempt.address}`;
    const times = this.failures.get(key);
    const index = times?.indexOf(attempt.at) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  private retryAfterMs(account: string, address: string, now: number): number {
    const wait = (key: string, limit: number): number => {
      const times = this.recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.options.windowMs - now : 0;
    };
    return Math.max(wait(`account:${account}`, this.options.perAccount), wait(`address:${address}`, this.options.perAddress));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (!times.some((t) => t > now - this.options.windowMs)) this.failures.delete(key);
  }
}
