// bench/lib/load: one autocannon run (programmatic API), keeping every 2xx response time so that
// p50/p95 are exact rather than read off autocannon's fixed percentile list (which has no p95).

import autocannon, { type Request } from 'autocannon';
import { percentile } from './stats.ts';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  path?: string;
  /** A fresh path per request (e.g. a random record id). */
  pathFor?: () => string;
  body?: unknown;
  /** Sent with every request (credentials). */
  headers?: Record<string, string>;
  connections: number;
  /** Seconds; ignored when `amount` is given. */
  duration?: number;
  /** A fixed number of requests. */
  amount?: number;
  /** Requests per second per connection (constant load); as fast as possible when omitted. */
  rate?: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  /** 2xx responses per second. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Every 2xx response time in ms, ascending. */
  latencies: number[];
}

/** Statuses other than 2xx seen in the last run, for a useful error when a scenario is refused. */
export const lastNon2xx = new Map<number, number>();

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const request: Request = { method: spec.method ?? 'GET', path: spec.path ?? '/' };
  if (spec.pathFor) {
    const pathFor = spec.pathFor;
    request.setupRequest = (req) => ({ ...req, path: pathFor() });
  }
  lastNon2xx.clear();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
    timeout: 30,
    ...(spec.rate !== undefined ? { connectionRate: spec.rate } : {}),
    headers: { ...spec.headers, ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
    requests: [request],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else lastNon2xx.set(status, (lastNon2xx.get(status) ?? 0) + 1);
  });
  const result = await instance;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const failed = result.non2xx + result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    ok: result['2xx'],
    failed,
    seconds,
    rps: result['2xx'] / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    latencies,
  };
}
