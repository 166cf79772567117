// http/skip-router: a router mounted at a broad path (`/api`, `/api/data`) is entered by every
// request under that path, and entering one allocates (its own next, the baseUrl it restores) and
// matches each of its layers — for every request, most of which none of its routes serve. When each
// layer of the router is a route whose path is fixed segments and `:params`, the paths it can serve
// are known: a request no route of it could match passes it by, as if the router had let it through.

import type { Request, RequestHandler, Router } from 'express';

interface Layer {
  route?: { path?: unknown };
}

const simplePath = /^(?:\/(?::[A-Za-z_$][\w$]*|[A-Za-z0-9_~-]+(?:\.[A-Za-z0-9_~-]+)*))+$|^\/$/;

/**
 * A test for the request paths (relative to the mount point) that some route of `stack` may match
 * — as the router does: case-insensitive, an optional trailing slash — or undefined when the stack
 * holds anything else (middleware, wildcards, patterns): then every request enters.
 */
export function routePathTest(stack: readonly Layer[]): ((path: string) => boolean) | undefined {
  const sources: string[] = [];
  for (const layer of stack) {
    if (!layer.route) return undefined;
    for (const path of [layer.route.path].flat()) {
      if (typeof path !== 'string' || !simplePath.test(path)) return undefined;
      if (path === '/') sources.push('');
      else sources.push(path.split('/').slice(1).map((segment) => (segment.startsWith(':') ? '/[^/]+' : `/${segment.replaceAll('.', '\\.')}`)).join(''));
    }
  }
  if (sources.length === 0) return () => false;
  const pattern = new RegExp(`^(?:${sources.join('|')})/?$`, 'i');
  return (path) => pattern.test(path);
}

const entryTest = Symbol('crm.router.entryTest');

/**
 * Marks a router whose layers are middleware (which every request under its mount point would enter)
 * with the requests that middleware can act on at all: skipUnlessRouted lets the others pass it by.
 */
export function enteredOnlyBy<R extends Router>(router: R, test: (req: Request) => boolean): R {
  (router as unknown as Record<typeof entryTest, (req: Request) => boolean>)[entryTest] = test;
  return router;
}

/** `router`, entered only by requests one of its routes may serve (see above). The router's stack stays visible as `stack`. */
export function skipUnlessRouted(router: Router): RequestHandler {
  const stack = (router as unknown as { stack: Layer[] }).stack;
  const mayAct = (router as unknown as Partial<Record<typeof entryTest, (req: Request) => boolean>>)[entryTest];
  let seen = -1;
  let test: ((path: string) => boolean) | undefined;
  /** True when the router would let `req` through untouched; `path` is the request's path below the mount point. */
  const passes = (req: Request, path: string): boolean => {
    // Routes added after mounting are taken into account.
    if (stack.length !== seen) {
      seen = stack.length;
      test = routePathTest(stack);
    }
    return (mayAct !== undefined && !mayAct(req)) || (test !== undefined && !test(path));
  };
  const handler: RequestHandler = (req, res, next) => {
    if (passes(req, req.path)) next();
    else router(req, res, next);
  };
  Object.defineProperty(handler, 'stack', { get: () => stack });
  (handler as unknown as Record<typeof passesBy, typeof passes>)[passesBy] = passes;
  return handler;
}

const passesBy = Symbol('crm.router.passesBy');

/**
 * For a handler made by skipUnlessRouted: whether it lets `req` through untouched, given the
 * request's path below its mount point — so that a dispatcher can leave it out of the request's way
 * rather than enter it (for a mounted handler, the router rewrites the URL in and back out).
 */
export function passesByOf(handler: unknown): ((req: Request, path: string) => boolean) | undefined {
  return typeof handler === 'function' ? (handler as unknown as Partial<Record<typeof passesBy, (req: Request, path: string) => boolean>>)[passesBy] : undefined;
}
