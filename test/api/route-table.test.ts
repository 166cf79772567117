// The route table against the document: every route the express app serves (walked from its
// router stack, modules' routers included) must be an operation of /api/openapi.json, so that a
// new route cannot ship undocumented. Entity routes (`/:entity/...`) are matched by the entity
// paths the document generates for the metadata applied here (one entity with a workflow).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata } from './api-helpers.ts';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

interface ServedRoute {
  method: string;
  path: string;
}

/** Every (method, path) the app routes, with mount paths prefixed; fails on paths it cannot read. */
export function servedRoutes(stack: readonly Layer[], prefix = ''): ServedRoute[] {
  const out: ServedRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`a route path that is not a string: ${String(layer.route.path)}`);
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method, path: prefix + layer.route.path });
    } else if (layer.handle?.stack) {
      if (typeof layer.rawPath !== 'string') throw new Error('a router mounted on a path that is not a string');
      out.push(...servedRoutes(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath)));
    }
  }
  return out;
}

const segments = (path: string): string[] => path.split('/').filter(Boolean);
const isExpressParameter = (segment: string): boolean => segment.startsWith(':');
const isOpenApiParameter = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);

/** A served route is documented by a path where its fixed segments are equal and its parameters stand for anything. */
export function documents(documentPath: string, routePath: string): boolean {
  const doc = segments(documentPath);
  const route = segments(routePath);
  if (doc.length !== route.length) return false;
  return route.every((segment, i) => (isExpressParameter(segment) ? true : !isOpenApiParameter(doc[i]!) && doc[i] === segment));
}

describe('route table', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    // A many-to-many field, so the link routes have their documented paths too.
    const tagged = { kind: 'entity', name: 'tagged', label: 'Tagged', fields: { name: { type: 'text' }, accounts: { type: 'multiLookup', to: 'account' } } };
    await applyMetadata(server, [...roles, account, quote, quoteApproval, tagged]);
  });
  afterAll(() => server.close());

  it('the walk finds the routes of the core and of every module', () => {
    const routes = servedRoutes((server.server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toEqual(expect.arrayContaining(['get /api/health', 'post /api/auth/login', 'get /api/data/:entity', 'post /api/data/:entity/:id/transitions/:name', 'post /api/templates/:name/install']));
    expect(routes.length).toBeGreaterThanOrEqual(60);
  });

  it('every served route is an operation of the generated document', async () => {
    const doc = (await server.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = servedRoutes((server.server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    const missing = routes.filter((route) => !Object.entries(doc.paths).some(([path, item]) => route.method in item && documents(path, route.path)));
    expect(missing.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([]);
  });

  it('the matcher itself: fixed segments must agree, a document parameter does not cover a fixed route segment', () => {
    expect(documents('/api/data/quote/{id}', '/api/data/:entity/:id')).toBe(true);
    expect(documents('/api/meta/{kind}', '/api/meta/revisions')).toBe(false);
    expect(documents('/api/meta/revisions', '/api/meta/revisions')).toBe(true);
    expect(documents('/api/data/quote/{id}/history', '/api/data/:entity/:id')).toBe(false);
  });
});
