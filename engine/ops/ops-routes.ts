// ops/ops-routes: what an operator's tools ask — `/api/ready` (store reachable, migrations done,
// scheduler running: 200, else 503 with the failing checks) and `/api/metrics` (Prometheus text,
// for administrators or a bearer CRM_METRICS_TOKEN). `/api/health` (alive) stays in the core.

import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import type { EngineMetrics } from './metrics.ts';

/** One readiness check: ok, or why not. */
export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface OpsDeps {
  metrics: EngineMetrics;
  metricsToken: string | undefined;
  /** Named checks; all must pass for 200. */
  checks: Record<string, ReadinessCheck>;
  contextDeps: () => ContextDeps;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function opsRoutes(deps: OpsDeps): Router {
  const router = Router();

  router.get('/api/ready', async (req, res) => {
    checkQueryParameters(req, []);
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of Object.entries(deps.checks)) {
      let outcome: true | string;
      try {
        outcome = await check();
      } catch (error) {
        outcome = (error as Error).message || 'failed';
      }
      checks[name] = outcome === true ? 'ok' : outcome;
      if (outcome !== true) ready = false;
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  router.get('/api/metrics', async (req, res) => {
    checkQueryParameters(req, []);
    const token = bearer(req.headers.authorization);
    const byToken = deps.metricsToken !== undefined && token !== undefined && sameSecret(token, deps.metricsToken);
    if (!byToken) {
      const ctx = await contextFor(req, res, deps.contextDeps());
      if (ctx.principal.kind === 'anonymous') throw new CrmError('UNAUTHENTICATED');
      if (!ctx.principal.admin) throw new CrmError('FORBIDDEN', { en: 'Metrics are for administrators or the metrics token (CRM_METRICS_TOKEN)', zh: '指标仅限管理员或指标令牌（CRM_METRICS_TOKEN）' });
    }
    res.type(deps.metrics.contentType).send(await deps.metrics.text());
  });

  return router;
}
