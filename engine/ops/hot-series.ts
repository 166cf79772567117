// ops/hot-series: a counter and a histogram for the hot path — every request, every store call —
// exposed through a prom-client registry in its own format. prom-client's observe() and inc() build
// a label object, validate it and hash it into a string key on every call; here the caller keeps the
// series it updates (one per label combination, made once), and an update is a few additions.

import type client from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** What a prom-client registry reads from a metric when scraped (registry.getMetricsAsString). */
abstract class HotMetric<S> {
  protected readonly series = new Map<string, { labels: Labels; data: S }>();

  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'histogram', private readonly labelNames: readonly string[], registry: client.Registry) {
    registry.registerMetric(this as unknown as client.Metric);
  }

  protected abstract fresh(): S;
  protected abstract values(labels: Labels, data: S): MetricValue[];

  /** The series for these label values (in labelNames order), made on first use. */
  protected seriesFor(values: readonly string[]): S {
    const key = values.join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      entry = { labels, data: this.fresh() };
      this.series.set(key, entry);
    }
    return entry.data;
  }

  get(): { name: string; help: string; type: string; values: MetricValue[]; aggregator: 'sum' } {
    return { name: this.name, help: this.help, type: this.type, values: [...this.series.values()].flatMap(({ labels, data }) => this.values(labels, data)), aggregator: 'sum' };
  }

  reset(): void {
    this.series.clear();
  }
}

export interface CounterSeries {
  value: number;
}

export class HotCounter extends HotMetric<CounterSeries> {
  constructor(options: { name: string; help: string; labelNames: readonly string[]; registry: client.Registry }) {
    super(options.name, options.help, 'counter', options.labelNames, options.registry);
  }

  labels(...values: string[]): CounterSeries {
    return this.seriesFor(values);
  }

  protected fresh(): CounterSeries {
    return { value: 0 };
  }

  protected values(labels: Labels, data: CounterSeries): MetricValue[] {
    return [{ labels, value: data.value }];
  }
}

export class HistogramSeries {
  sum = 0;
  count = 0;
  /** Per bucket (not cumulative); the last one is above the highest bound. */
  readonly counts: Float64Array;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i += 1;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram extends HotMetric<HistogramSeries> {
  private readonly bounds: readonly number[];

  constructor(options: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: client.Registry }) {
    super(options.name, options.help, 'histogram', options.labelNames, options.registry);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  labels(...values: string[]): HistogramSeries {
    return this.seriesFor(values);
  }

  protected fresh(): HistogramSeries {
    return new HistogramSeries(this.bounds);
  }

  protected values(labels: Labels, data: HistogramSeries): MetricValue[] {
    // A series made but never observed is not exposed (as with prom-client's own histograms).
    if (data.count === 0) return [];
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    const out: MetricValue[] = this.bounds.map((le, i) => {
      cumulative += data.counts[i]!;
      return { labels: { ...labels, le }, value: cumulative, metricName: bucket };
    });
    out.push(
      { labels: { ...labels, le: '+Inf' }, value: data.count, metricName: bucket },
      { labels, value: data.sum, metricName: `${this.name}_sum` },
      { labels, value: data.count, metricName: `${this.name}_count` },
    );
    return out;
  }
}
