// http/segment-dispatch: routers held by one layer and entered only by requests sharing their first
// two path segments answer exactly as the same routers mounted one after another — same winner when
// two could answer, middleware routers entered by every request, mount paths and case as express
// has them, routes added after the first request served. Real HTTP on an ephemeral port.

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { Router, type Express, type ErrorRequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchBySegment } from '../../engine/http/segment-dispatch.ts';
import { enteredOnlyBy, skipUnlessRouted } from '../../engine/http/skip-router.ts';

/** The routers of a small app: at `/`, at `/api` (routes and a middleware-only one), at `/api/data` three times. */
function routers(): { path: string; router: Router }[] {
  const root = Router();
  root.get('/api/ready', (_req, res) => void res.json({ from: 'root' }));
  const api = Router();
  api.get('/reports/:name', (req, res) => void res.json({ from: 'api', name: req.params.name, baseUrl: req.baseUrl }));
  api.get('/data/special', (_req, res) => void res.json({ from: 'api-data-special' }));
  const tagging = Router();
  tagging.use((req, res, next) => {
    res.setHeader('X-Seen-By', 'tagging');
    next();
  });
  const first = Router();
  first.get('/:entity/:id/extra', (req, res) => void res.json({ from: 'first', entity: req.params.entity, url: req.url, baseUrl: req.baseUrl }));
  const data = Router();
  data.get('/:entity', (req, res) => void res.json({ from: 'data', entity: req.params.entity, baseUrl: req.baseUrl, url: req.url }));
  data.get('/:entity/:id/extra', (_req, res) => void res.json({ from: 'data-extra' }));
  data.get('/:entity/fail', () => {
    throw new Error('boom');
  });
  // Middleware entered only by requests that carry a header (as the idempotency router is).
  const marking = enteredOnlyBy(Router(), (req) => req.headers['x-mark'] !== undefined);
  marking.use((_req, res, next) => {
    res.setHeader('X-Marked', 'yes');
    next();
  });
  return [
    { path: '/', router: root },
    { path: '/api', router: api },
    { path: '/api', router: tagging },
    { path: '/api/data', router: marking },
    { path: '/api/data', router: first },
    { path: '/api/data', router: data },
  ];
}

function app(dispatched: boolean): { app: Express; later: Router } {
  const app = express();
  const mounts = routers();
  if (dispatched) app.use(dispatchBySegment((r) => mounts.forEach((m) => r.use(m.path, skipUnlessRouted(m.router)))));
  else for (const m of mounts) app.use(m.path, skipUnlessRouted(m.router));
  app.use((_req, res) => void res.status(404).json({ from: 'not found' }));
  const errors: ErrorRequestHandler = (error, _req, res, _next) => void res.status(500).json({ error: (error as Error).message });
  app.use(errors);
  return { app, later: mounts[1]!.router };
}

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('segment dispatch', () => {
  const sides: { server: Server; url: string; later: Router }[] = [];
  beforeAll(async () => {
    for (const dispatched of [false, true]) {
      const built = app(dispatched);
      sides.push({ ...(await listen(built.app)), later: built.later });
    }
  });
  afterAll(async () => {
    for (const side of sides) await new Promise((resolve) => side.server.close(resolve));
  });

  const answer = async (url: string, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { headers });
    return { status: res.status, seenBy: res.headers.get('x-seen-by'), marked: res.headers.get('x-marked'), body: await res.json() };
  };

  const paths = [
    '/api/ready', '/API/Ready/', '/api/reports/q1', '/api/data/special', '/api/data/deal', '/Api/DATA/deal?x=1', '/api/data/deal/7/extra',
    '/api/data/deal/fail', '/api/other', '/api', '/', '/elsewhere/deep/path', '/api/data/', '/api/reports',
    // Routers left out of the way by the dispatcher: mount paths in another case, a trailing slash, an empty segment.
    '/API/Data/deal/7/Extra', '/api/data/deal/7/extra/', '/api/data//deal', '/api/DATA/Special/',
  ];

  it('answers every path as the routers mounted one after another do', async () => {
    const [plain, dispatched] = sides;
    for (const path of paths) {
      expect({ path, ...(await answer(dispatched!.url, path)) }).toEqual({ path, ...(await answer(plain!.url, path)) });
    }
    // The cases above do reach each kind of router.
    expect((await answer(dispatched!.url, '/api/data/deal/7/extra')).body).toEqual({ from: 'first', entity: 'deal', url: '/deal/7/extra', baseUrl: '/api/data' });
    expect((await answer(dispatched!.url, '/api/data/deal')).seenBy).toBe('tagging');
    expect((await answer(dispatched!.url, '/api/reports/q1')).body).toEqual({ from: 'api', name: 'q1', baseUrl: '/api' });
    expect((await answer(dispatched!.url, '/api/data/deal/fail')).status).toBe(500);
    // A router that acts only on requests with a header: entered by those, left out for the others.
    for (const path of ['/api/data/deal', '/api/data/deal/7/extra']) {
      expect(await answer(dispatched!.url, path, { 'x-mark': '1' })).toEqual(await answer(plain!.url, path, { 'x-mark': '1' }));
      expect((await answer(dispatched!.url, path, { 'x-mark': '1' })).marked).toBe('yes');
      expect((await answer(dispatched!.url, path)).marked).toBeNull();
    }
  });

  it('serves a route added to a router after requests were dispatched', async () => {
    const [plain, dispatched] = sides;
    expect((await answer(dispatched!.url, '/api/late/one')).status).toBe(404);
    for (const side of [plain!, dispatched!]) side.later.get('/late/:n', (req, res) => void res.json({ from: 'late', n: req.params.n }));
    expect(await answer(dispatched!.url, '/api/late/one')).toEqual(await answer(plain!.url, '/api/late/one'));
    expect((await answer(dispatched!.url, '/api/late/one')).body).toEqual({ from: 'late', n: 'one' });
  });

  it('keeps the routers visible to a walk of the app (its stack is the mounted layers)', () => {
    const built = app(true).app as unknown as { router: { stack: { handle: { stack?: unknown[] } }[] } };
    const holder = built.router.stack.find((layer) => Array.isArray(layer.handle.stack));
    expect(holder?.handle.stack).toHaveLength(6);
  });
});
