// A clock read from a file, for tests that run several server processes on one data folder and
// must move their time together: the file holds one ISO timestamp; every now() reads it. Chosen by
// the environment variable CRM_CLOCK_FILE (see clockFromEnv); never used in production.

import { readFileSync, writeFileSync } from 'node:fs';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { readSettings, type Environment } from '../settings/settings.ts';

export class FileClock implements Clock {
  constructor(readonly file: string) {}

  now(): Date {
    const text = readFileSync(this.file, 'utf8').trim();
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new Error(`clock file ${this.file} does not hold an ISO time: ${text}`);
    return at;
  }

  /** Moves the shared time (what a test does between ticks). */
  static write(file: string, at: Date | string): void {
    writeFileSync(file, new Date(at).toISOString());
  }
}

/** The system clock, or a FileClock when CRM_CLOCK_FILE names a file (tests of several processes). */
export function clockFromEnv(env: Environment): Clock {
  const file = readSettings(env).clockFile;
  return file ? new FileClock(file) : systemClock;
}
