// bench/lib/machine-load: how busy the whole machine was while something ran — the benchmarks share
// their machine with other work, and a round disturbed by it should be visible in the results.

import { readFileSync } from 'node:fs';

/** Busy and total CPU time of the machine so far, in seconds (from /proc/stat, all cores). */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / 100, total: (busy + idle + iowait) / 100 };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
