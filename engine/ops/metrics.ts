// ops/metrics: what `GET /api/metrics` exposes in Prometheus text format (prom-client). One registry
// per running engine (tests start several in one process). Requests are labelled by route template
// (`/api/data/:entity/:id`), never the raw URL, so the number of series stays bounded. Store time is
// measured around every store call; queue depth and lag are read from the store when scraped, so
// every process on one data folder reports the same queue.

import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import client from 'prom-client';
import { queueStats } from '../scheduler/jobs.ts';
import { HotCounter, HotHistogram, type CounterSeries, type HistogramSeries } from './hot-series.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Store, StoreReader } from '../store/store-port.ts';

const storeOperations = ['get', 'find', 'count', 'aggregate', 'group', 'transaction'] as const;

export class EngineMetrics {
  readonly registry = new client.Registry();
  private readonly requests: HotCounter;
  private readonly duration: HotHistogram;
  private readonly storeSeconds: HotHistogram;
  private readonly deliveries: client.Counter<'kind' | 'outcome'>;
  private readonly qualityReports: client.Counter<'outcome'>;

  constructor(store: Store, clock: Clock) {
    // Updated on every request and store call: series kept by the caller (hot-series.ts).
    this.requests = new HotCounter({ name: 'crm_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registry: this.registry });
    this.duration = new HotHistogram({
      name: 'crm_http_request_duration_seconds', help: 'HTTP request latency, by method and route template', labelNames: ['method', 'route'], registry: this.registry,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.storeSeconds = new HotHistogram({
      name: 'crm_store_duration_seconds', help: 'Time spent in store calls (a transaction counts as a whole), by operation', labelNames: ['operation'], registry: this.registry,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    });
    this.deliveries = new client.Counter({ name: 'crm_deliveries_total', help: 'Outgoing webhook and subscription deliveries, by kind and outcome (delivered, failed)', labelNames: ['kind', 'outcome'], registers: [this.registry] });
    this.qualityReports = new client.Counter({ name: 'crm_quality_reports_total', help: 'Data quality reports served (the quality page, dashboards\' quality widgets), by outcome: built (every record read) or kept (served from the cache)', labelNames: ['outcome'], registers: [this.registry] });
    for (const kind of ['webhook', 'subscription']) for (const outcome of ['delivered', 'failed']) this.deliveries.labels(kind, outcome).inc(0);
    const queue = () => queueStats(store, clock.now());
    let pending: ReturnType<typeof queue> | undefined;
    // The three gauges of one scrape share one read of the queue.
    const stats = () => (pending ??= queue().finally(() => setImmediate(() => (pending = undefined))));
    new client.Gauge({ name: 'crm_jobs_due', help: 'Jobs due and not yet started (across every process on the store)', registers: [this.registry], async collect() { this.set((await stats()).due); } });
    new client.Gauge({ name: 'crm_jobs_running', help: 'Jobs running under a lease (across every process on the store)', registers: [this.registry], async collect() { this.set((await stats()).running); } });
    new client.Gauge({ name: 'crm_jobs_lag_seconds', help: 'How late the oldest due job is', registers: [this.registry], async collect() { this.set((await stats()).lagMs / 1000); } });
  }

  /** The series of each `method route status` answered so far. */
  private readonly answered = new Map<string, { count: CounterSeries; time: HistogramSeries }>();

  /** Counts and times the request by its route template, once answered: called as it arrives. */
  readonly start = (req: Request, res: Response): void => {
    captureRouteTemplates(Object.getPrototypeOf(req) as object);
    (req as unknown as Routed)[stateOf] = { metrics: this, startedAt: performance.now(), route: undefined, template: undefined };
    res.on('finish', countAnswer);
  };

  /** Called once per answered request (see countAnswer). */
  count(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.answered.get(key);
    if (!series) {
      if (this.answered.size >= 2000) this.answered.clear();
      series = { count: this.requests.labels(method, route, String(status)), time: this.duration.labels(method, route) };
      this.answered.set(key, series);
    }
    series.count.value += 1;
    series.time.observe(seconds);
  }

  /**
   * The store with its reads and transactions timed (the store itself stays unaware). A plain object
   * over the store, not a Proxy: every store access of every request goes through it.
   */
  instrument(store: Store): Store {
    const timed = Object.create(store) as Record<string, unknown>;
    for (const operation of storeOperations) {
      const original = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[operation]!.bind(store);
      const series = this.storeSeconds.labels(operation);
      timed[operation] = (...args: unknown[]) => {
        const started = performance.now();
        const done = () => series.observe((performance.now() - started) / 1000);
        const result = original(...args);
        result.then(done, done);
        return result;
      };
    }
    // The answers the store gives without a promise (StoreReader.getNow, findNow) are timed as they
    // return: no promise is added to a read that made none.
    for (const [operation, label] of [['getNow', 'get'], ['findNow', 'find']] as const) {
      const original = store[operation]?.bind(store) as ((...args: unknown[]) => unknown) | undefined;
      if (!original) continue;
      const series = this.storeSeconds.labels(label);
      timed[operation] = (...args: unknown[]) => {
        const started = performance.now();
        let result: unknown;
        try {
          result = original(...args);
        } catch (error) {
          series.observe((performance.now() - started) / 1000);
          throw error;
        }
        if (result instanceof Promise) {
          const done = () => series.observe((performance.now() - started) / 1000);
          result.then(done, done);
        } else series.observe((performance.now() - started) / 1000);
        return result;
      };
    }
    return timed as unknown as Store;
  }

  delivery(kind: 'webhook' | 'subscription', ok: boolean): void {
    this.deliveries.labels(kind, ok ? 'delivered' : 'failed').inc();
  }

  qualityReport(built: boolean): void {
    this.qualityReports.labels(built ? 'built' : 'kept').inc();
  }

  /** The process's own figures (CPU, memory, GC, event-loop delay) and the engine's. */
  async text(): Promise<string> {
    return `${await processRegistry().metrics()}\n${await this.registry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.registry.clear();
  }
}

let processMetrics: client.Registry | undefined;

/** Node's default metrics (event-loop delay among them), once per process however many engines run in it. */
function processRegistry(): client.Registry {
  if (!processMetrics) {
    processMetrics = new client.Registry();
    client.collectDefaultMetrics({ register: processMetrics, eventLoopMonitoringPrecision: 20 });
  }
  return processMetrics;
}

const stateOf = Symbol('crm.metrics.request');

/** What the metrics keep of a request while it is served: one object, added to the request once. */
interface RequestMetrics {
  metrics: EngineMetrics;
  startedAt: number;
  route: unknown;
  template: string | undefined;
}

interface Routed {
  [stateOf]?: RequestMetrics;
  baseUrl: string;
  path: string;
  method: string;
}

/** Where a request not seen by the middleware keeps its route (the accessor is shared by the app's requests). */
const routeOf = Symbol('crm.metrics.route');

const capturing = new WeakSet<object>();

/**
 * The route template as the router matched it (`/api/data/:entity/:id`), kept when the router sets
 * `req.route`: the router resets baseUrl when an error leaves it. An accessor on the app's request
 * prototype, defined once, rather than on each request (which would reshape every request object).
 */
function captureRouteTemplates(prototype: object): void {
  if (capturing.has(prototype)) return;
  capturing.add(prototype);
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: true,
    get(this: Routed & { [routeOf]?: unknown }) {
      const state = this[stateOf];
      return state ? state.route : this[routeOf];
    },
    set(this: Routed & { [routeOf]?: unknown }, value: { path?: unknown } | undefined) {
      const state = this[stateOf];
      if (!state) {
        this[routeOf] = value;
        return;
      }
      state.route = value;
      if (value && typeof value.path === 'string') state.template = `${this.baseUrl}${value.path === '/' && this.baseUrl ? '' : value.path}`;
    },
  });
}

/** The 'finish' listener of every response: one shared function, no closure per request. */
function countAnswer(this: ServerResponse): void {
  const req = this.req as unknown as Routed;
  const state = req[stateOf];
  if (!state) return;
  const route = state.template ?? (req.path.startsWith('/api/') ? 'unmatched' : 'studio');
  state.metrics.count(req.method, route, this.statusCode, (performance.now() - state.startedAt) / 1000);
}

const byStore = new WeakMap<StoreReader, EngineMetrics>();

export function registerMetrics(store: Store, metrics: EngineMetrics): void {
  byStore.set(store, metrics);
}

/** The metrics of the engine on `store` (a delivery reports through the store it logs to). */
export function metricsFor(store: StoreReader): EngineMetrics | undefined {
  return byStore.get(store);
}
