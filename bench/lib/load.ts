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
  connections: number;
  /** Seconds; ignored when `amount` is given. */
  duration?: number;
  /** A fixed number of requests. */
  amount?: number;
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

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const request: Request = { method: spec.method ?? 'GET', path: spec.path ?? '/' };
  if (spec.pathFor) {
    const pathFor = spec.pathFor;
    request.setupRequest = (req) => ({ ...req, path: pathFor() });
  }
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
    timeout: 30,
    ...(spec.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec.body) } : {}),
    requests: [request],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
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
