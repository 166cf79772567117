// api/: the HTTP edge. Assembles the express app: hardening (helmet, body limits, content types),
// the generic data router, metadata routes, generated API docs and types, health, the built
// studio at `/`, and the one error handler. Route handlers stay thin; all meaning lives in the layers below.

import express, { type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { CrmError } from '../kernel/errors.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { dataRoutes } from './data-routes.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { checkQueryParameters, limitBodyDepth, verifyUtf8 } from '../http/http-helpers.ts';
import { metaRoutes } from './meta-routes.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { entityNamesTakenBy, reserveEntityNames } from '../kinds/entity-kind.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { type ApiContribution, viewFor } from '../http/openapi-fragment.ts';
import type { TrustProxy } from '../settings/trust-proxy.ts';
import { studioAssets } from '../studio/studio-assets.ts';
import { buildTypeDeclarations } from './typescript-types.ts';
import { defaultRequestBudgetMs } from '../kernel/request-budget.ts';
import { requestScopeMaker, reenterRequest } from '../http/request-id.ts';
import { runInScope } from '../kernel/request-scope.ts';
import { opsRoutes, type OpsDeps } from '../ops/ops-routes.ts';
import { skipUnlessRouted } from '../http/skip-router.ts';
import { inSequence } from '../http/middleware-sequence.ts';
import { dispatchBySegment } from '../http/segment-dispatch.ts';
import { allowedMethodsOf } from '../http/allowed-methods.ts';

export interface AppDeps extends ContextDeps {
  runtime: ModelRuntime;
  records: RecordService;
  storeKind: string;
  version: string;
  /** express's `trust proxy` (CRM_TRUST_PROXY): whose X-Forwarded-For gives the client address. */
  trustProxy?: TrustProxy;
  /** Extra routers mounted before the generic ones (auth, workflows, templates…). */
  extraRoutes?: { path: string; router: express.Router }[];
  /** The OpenAPI operations of those routers (every served route is documented). */
  apiContributions?: readonly ApiContribution[];
  /** CRM_REQUEST_BUDGET_MS: how long a request's off-loop reads may take, from its arrival, before they are cancelled (503 QUERY_TIMEOUT). */
  requestBudgetMs?: number;
  /** Readiness and metrics (/api/ready, /api/metrics). */
  ops: Omit<OpsDeps, 'contextDeps'>;
}

export const bodyLimit = '1mb';
/** A configuration bundle (every template's package and every layer of every item) is larger. */
export const bundleBodyLimit = '64mb';
const largeJsonBodies = new Set(['/api/meta/bundle']);

/** The headers helmet sets with `options`, recorded once: they depend on nothing in the request. */
function recordHelmet(options: Parameters<typeof helmet>[0]): [string, string][] {
  const recorded: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void recorded.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let called = false;
  helmet(options)({} as Parameters<RequestHandler>[0], recorder as unknown as Parameters<RequestHandler>[1], () => {
    called = true;
  });
  if (!called || recorded.length === 0) throw new Error('helmet did not set its headers synchronously');
  return recorded;
}

/**
 * helmet's headers, computed once at start. Pages (the studio, its assets) get the document policy;
 * API answers (`/api/...`: JSON, exports, files) get what OWASP's REST cheat sheet asks of an API —
 * a policy that allows nothing (`default-src 'none'`: an uploaded HTML or SVG file opened from its
 * URL runs nothing) and may not be framed, nosniff, HSTS, no referrer, same-origin resources — and
 * not the headers that only mean something for a document (opener policy, origin-agent cluster, DNS
 * prefetch, IE's download and XSS switches, Flash's cross-domain policy): half the header bytes of every answer.
 */
function securityHeaders(): (req: Request, res: Response) => void {
  const page = recordHelmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } } });
  const api = recordHelmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return (req, res) => {
    for (const [name, value] of req.path.startsWith('/api/') ? api : page) res.setHeader(name, value);
  };
}

/** Uploads are streamed to disk by their routers: whatever type they say they are, they pass the JSON-only check. */
const isUpload = (req: Request): boolean => req.method === 'POST' && (req.path === '/api/import/uploads' || req.path === '/api/templates/uploads' || req.path === '/api/files');

/** Writes must say they send JSON: anything else is 415, before any parsing. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0' || req.headers['transfer-encoding'] !== undefined;
  // The first-run setup page posts a plain HTML form (its router parses it, size-limited).
  const setupForm = req.path.startsWith('/api/setup/') && req.is('application/x-www-form-urlencoded');
  // Import files are streamed to disk by their router, never parsed here.
  const upload = isUpload(req);
  // A form (curl -F, an HTML form) would be kept with its boundaries and part headers as the file.
  if (upload && req.is('multipart/form-data')) {
    throw new CrmError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send the file itself as the request body, not a form', zh: '请把文件本身作为请求体发送，而不是表单' }, [
      { path: '/headers/content-type', message: 'is multipart/form-data: send the raw bytes (curl --data-binary @file) with the file\'s own type' },
    ]);
  }
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && !setupForm && !upload && !req.is(['application/json', 'application/merge-patch+json', 'application/*+json'])) {
    const type = req.headers['content-type'];
    const text = type === undefined || type === ''
      ? { en: 'is missing: send application/json', zh: '缺失：请使用 application/json' }
      : { en: `is ${type}: send application/json`, zh: `为 ${type}：请使用 application/json` };
    throw new CrmError('UNSUPPORTED_MEDIA_TYPE', undefined, [{ path: '/headers/content-type', message: text.en, text }]);
  }
  next();
};

function readableFor(ctx: RequestContext) {
  return (entity: CompiledEntity): ReadonlySet<string> | undefined => {
    try {
      ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
      return ctx.policy.readableFields(ctx.principal, entity);
    } catch {
      return undefined;
    }
  };
}

const entityActions = ['create', 'update', 'delete', 'reassign'] as const;

/** Cache key: the revision and exactly what the caller may read and do. */
function accessKey(ctx: RequestContext): string {
  const view = viewFor(ctx);
  const entities = view.entities.map(({ entity, readable }) => [entity.name, [...readable].sort(), entityActions.filter((a) => view.can(entity, a))]);
  return `${ctx.model.revision}:${view.admin}:${JSON.stringify(entities)}`;
}

/**
 * Generated documents, built once per revision and per distinct field access, not per request. A
 * failed build is not kept: the next request tries again.
 */
function perAccessCache<T>(build: (ctx: RequestContext) => Promise<T>): (ctx: RequestContext) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (ctx) => {
    const key = accessKey(ctx);
    let entry = cache.get(key);
    if (!entry) {
      if (cache.size > 100) cache.clear();
      entry = build(ctx);
      entry.catch(() => cache.delete(key));
      cache.set(key, entry);
    }
    return entry;
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Records carry their version as ETag; hashing every JSON body for another one is wasted work.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  const jsonTypes = ['application/json', 'application/merge-patch+json', 'application/*+json'];
  const json = express.json({ limit: bodyLimit, strict: false, type: jsonTypes, verify: verifyUtf8 });
  const largeJson = express.json({ limit: bundleBodyLimit, strict: false, type: jsonTypes, verify: verifyUtf8 });
  // What every request passes through, in one router layer, with no function made for it per request.
  const scopeOf = requestScopeMaker(deps.requestBudgetMs ?? defaultRequestBudgetMs);
  const startMetrics = deps.ops.metrics.start;
  const setSecurityHeaders = securityHeaders();
  // A request without a body (no Content-Length, no Transfer-Encoding — type-is's hasBody, the body
  // parser's own test: most reads) would pass each of these untouched, so it skips them.
  const bodySteps = inSequence([
    requireJson,
    // A file upload is never parsed, whatever its type (a file may well be JSON).
    (req, res, next) => (isUpload(req) ? next() : (largeJsonBodies.has(req.path) ? largeJson : json)(req, res, next)),
    limitBodyDepth,
    // The body parsers' stream callbacks do not carry the request's scope on: enter it again
    // (AsyncLocalStorage follows the request's own async chain from here).
    reenterRequest,
  ]);
  app.use((req, res, next) => {
    // The request's id and its time budget (CRM_REQUEST_BUDGET_MS), which runs from arrival.
    const scope = scopeOf(req, res);
    startMetrics(req, res);
    setSecurityHeaders(req, res);
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) runInScope(scope, next);
    else runInScope(scope, bodySteps, req, res, next);
  });

  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', version: deps.version, store: deps.storeKind, revision: deps.runtime.model.revision });
  });

  // Entity names whose operations the routes served here already have are refused on save.
  const fixed = buildOpenApiDocument({ view: { model: deps.runtime.model, entities: [], admin: true, can: () => true }, version: deps.version, contributions: deps.apiContributions ?? [] });
  const operationIds = Object.values(fixed['paths'] as Record<string, Record<string, unknown>>).flatMap((item) => Object.values(item).flatMap((op) => {
    const id = op && typeof op === 'object' ? (op as { operationId?: unknown }).operationId : undefined;
    return typeof id === 'string' ? [id] : [];
  }));
  reserveEntityNames(entityNamesTakenBy(operationIds));

  const openApiDocuments = perAccessCache((ctx) => Promise.resolve(buildOpenApiDocument({ view: viewFor(ctx), version: deps.version, contributions: deps.apiContributions ?? [] })));
  app.get('/api/openapi.json', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    res.json(await openApiDocuments(ctx));
  });

  const typeDeclarations = perAccessCache((ctx) => buildTypeDeclarations(ctx.model, readableFor(ctx)));
  app.get('/api/types.ts', async (req, res) => {
    const ctx = await contextFor(req, res, deps);
    checkQueryParameters(req, []);
    res.type('text/plain; charset=utf-8').send(await typeDeclarations(ctx));
  });

  // Modules' routers mounted at broad paths (`/api`, `/api/data`) are entered only by requests one
  // of their routes may serve (http/skip-router.ts).
  // All of them are held by one layer that sends a request only through those whose paths share
  // its first two segments (http/segment-dispatch.ts).
  app.use(
    dispatchBySegment((routers) => {
      routers.use(skipUnlessRouted(opsRoutes({ ...deps.ops, contextDeps: () => deps })));
      for (const extra of deps.extraRoutes ?? []) routers.use(extra.path, skipUnlessRouted(extra.router));
      routers.use('/api/meta', metaRoutes(deps.runtime, deps.records, deps));
      routers.use('/api/data', dataRoutes(deps.records, deps));
    }),
  );
  app.use(studioAssets());
  app.use(notFoundHandler(allowedMethodsOf(() => (app as unknown as { router: { stack: [] } }).router.stack)));
  app.use(errorHandler);
  return app;
}
