// http/segment-dispatch: the modules' routers, mounted one after another, are ~25 layers of the
// app's router, and express matches every request against each of them in turn (a path match, and
// for the ones mounted at a broad path such as `/api`, entering them). A request can only be served
// by the layers whose paths share its first two segments (`/api/data/...` → `api/data`): this
// handler holds the layers in one router, in their order, and sends each request through a router
// holding only the layers that may match it — the same layers in the same order, so the answer is
// the one the full chain would give. A router that would let the request through untouched
// (http/skip-router.ts) is left out of that router rather than entered: for a router mounted at a
// path, express rewrites the request's URL on the way in and back on the way out.

import { Router, type Request, type RequestHandler } from 'express';
import { passesByOf } from './skip-router.ts';

interface Layer {
  rawPath?: unknown;
  route?: { path?: unknown };
  handle?: { stack?: Layer[] };
}

/** A layer that may serve any request, whatever its first segments. */
const anyKey = Symbol('any');

const staticSegment = /^[A-Za-z0-9_~.-]+$/;

/** Splits `/a/b/c` into its segments; undefined when a segment is not plain text (a parameter, a pattern). */
function segmentsOf(path: string): (string | typeof anyKey)[] {
  return path.split('/').filter((s) => s !== '').map((s) => (staticSegment.test(s) ? s.toLowerCase() : anyKey));
}

/** The key of the first two segments, or `anyKey` when either is not fixed. */
function keyOf(segments: readonly (string | typeof anyKey)[]): string | typeof anyKey {
  const [first = '', second = ''] = segments;
  return first === anyKey || second === anyKey ? anyKey : `${first}/${second}`;
}

/** The request keys a layer may serve: from its mount path, or (mounted at `/` or one segment) from its routes' paths. */
function reachOf(layer: Layer): Set<string> | typeof anyKey {
  if (typeof layer.rawPath !== 'string') return anyKey;
  const mount = segmentsOf(layer.rawPath);
  if (mount.includes(anyKey)) return anyKey;
  if (mount.length >= 2) return new Set([keyOf(mount) as string]);
  const inner = layer.route ? [layer] : layer.handle?.stack;
  if (!inner) return anyKey;
  const keys = new Set<string>();
  for (const child of inner) {
    if (!child.route || typeof child.route.path !== 'string') return anyKey;
    const key = keyOf([...mount, ...segmentsOf(child.route.path)]);
    if (key === anyKey) return anyKey;
    keys.add(key);
  }
  return keys;
}

/** The key of a request path: its first two segments, lower-cased (the router matches without case). */
function requestKey(path: string): string {
  const second = path.indexOf('/', 1);
  if (second < 0) return `${path.slice(1).toLowerCase()}/`;
  const third = path.indexOf('/', second + 1);
  return `${path.slice(1, second).toLowerCase()}/${path.slice(second + 1, third < 0 ? undefined : third).toLowerCase()}`;
}

/** A layer the dispatcher may leave out of a request's way: a skipUnlessRouted handler mounted at fixed segments. */
interface Skippable {
  /** Its position among the candidates. */
  index: number;
  /** The length of its mount path: what the router takes off the request's path before entering it. */
  mountLength: number;
  passes: (req: Request, path: string) => boolean;
}

/** The layers a request key may reach, and the routers made of them, one per set of layers left out. */
interface Candidates {
  layers: Layer[];
  skippable: Skippable[];
  routers: Map<number, Router | null>;
}

/** Bits of the mask that names the layers left out. */
const maxSkippable = 30;

function candidatesOf(layers: Layer[]): Candidates {
  const skippable: Skippable[] = [];
  layers.forEach((layer, index) => {
    const passes = passesByOf(layer.handle);
    if (!passes || layer.route || typeof layer.rawPath !== 'string' || skippable.length >= maxSkippable) return;
    // Only a mount path of fixed segments without a trailing slash, so that what the router takes off is known.
    if (layer.rawPath !== '/' && (layer.rawPath.endsWith('/') || segmentsOf(layer.rawPath).includes(anyKey))) return;
    skippable.push({ index, mountLength: layer.rawPath === '/' ? 0 : layer.rawPath.length, passes });
  });
  return { layers, skippable, routers: new Map() };
}

/**
 * The router for `req` among `candidates`: without the skippable layers that would let it through
 * untouched. Leaving one out answers as entering it would: a layer whose mount path the request's
 * path does not start with is not entered either, whatever it would have said.
 */
function routerFor(candidates: Candidates, req: Request): Router | null {
  let mask = 0;
  const { skippable } = candidates;
  if (skippable.length > 0) {
    const path = req.path;
    for (let i = 0; i < skippable.length; i += 1) {
      const { mountLength, passes } = skippable[i]!;
      const below = path.slice(mountLength);
      if (passes(req, below.startsWith('/') ? below : `/${below}`)) mask |= 1 << i;
    }
  }
  let router = candidates.routers.get(mask);
  if (router === undefined) {
    if (candidates.routers.size >= 64) candidates.routers.clear();
    const left = new Set(skippable.filter((_, i) => (mask & (1 << i)) !== 0).map((s) => s.index));
    router = routerOf(candidates.layers.filter((_, i) => !left.has(i)));
    candidates.routers.set(mask, router);
  }
  return router;
}

function routerOf(layers: Layer[]): Router | null {
  if (layers.length === 0) return null;
  const router = Router();
  (router as unknown as { stack: Layer[] }).stack.push(...layers);
  return router;
}

/**
 * One handler over the layers of `build`'s router (in order). Its `stack` is that router's, so walks
 * of the app's routes see every layer. Layers added later are taken into account on the next request.
 */
export function dispatchBySegment(build: (router: Router) => void): RequestHandler {
  const all = Router();
  build(all);
  const stack = (all as unknown as { stack: Layer[] }).stack;
  let byKey = new Map<string, Candidates>();
  let wildcard = candidatesOf([]);
  let seen = -1;
  // Layers whose reach was read from their routes: a route added to them changes it.
  let readFromRoutes: Layer[] = [];
  const sizeOf = (): number => {
    let n = stack.length;
    for (const layer of readFromRoutes) n += layer.handle?.stack?.length ?? 0;
    return n;
  };
  const rebuild = (): void => {
    const reaches = stack.map(reachOf);
    readFromRoutes = stack.filter((layer, i) => reaches[i] !== anyKey && !layer.route && typeof layer.rawPath === 'string' && segmentsOf(layer.rawPath).length < 2);
    const keys = new Set<string>();
    for (const reach of reaches) if (reach !== anyKey) for (const key of reach) keys.add(key);
    byKey = new Map([...keys].map((key) => [key, candidatesOf(stack.filter((_, i) => reaches[i] === anyKey || (reaches[i] as Set<string>).has(key)))]));
    wildcard = candidatesOf(stack.filter((_, i) => reaches[i] === anyKey));
  };
  const handler: RequestHandler = (req, res, next) => {
    if (sizeOf() !== seen) {
      rebuild();
      seen = sizeOf();
    }
    const router = routerFor(byKey.get(requestKey(req.path)) ?? wildcard, req);
    if (router === null) next();
    else router(req, res, next);
  };
  Object.defineProperty(handler, 'stack', { get: () => stack });
  return handler;
}
