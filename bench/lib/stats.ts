// bench/lib/stats: percentiles over sorted samples (nearest-rank) and number formatting for tables.

/** Nearest-rank percentile of ascending `sorted` samples; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): { p50: number; p95: number; mean: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), n: sorted.length };
}

/** Milliseconds with sensible precision: 0.087, 1.42, 31.7, 412. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
