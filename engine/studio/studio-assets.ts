// Serves the built studio (studio/dist) at `/`: hashed assets for a year (scripts and styles
// gzipped once, on their first request, and kept: ~1.7 MB uncompressed on the sign-in page), index.html for every
// other GET that is not an API call (the app routes in the browser). Without a build it says how
// to make one instead of failing. Public web forms (/f/{form}) may be embedded in any site (an
// iframe on the company's own web page): their page alone drops the same-origin framing rule.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { Router } from 'express';

const dist = new URL('../../studio/dist/', import.meta.url);

/** Lets any site frame this page: frame-ancestors * instead of 'self', no X-Frame-Options. */
function embeddable(res: express.Response): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp === 'string') res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  res.removeHeader('X-Frame-Options');
}

export function studioAssets(): Router {
  const router = Router();
  const indexFile = new URL('index.html', dist);
  if (!existsSync(indexFile)) {
    router.use((req, res, next) => {
      if (req.method !== 'GET' || req.path.startsWith('/api/')) return next();
      res.status(503).type('text/plain').send('The studio is not built yet: run `npm run build` (npm install does it).');
    });
    return router;
  }
  // Read again only when a new build replaced it (`npm run build` beside a running server).
  let index = { mtimeMs: -1, html: '' };
  const currentIndex = (): string => {
    const mtimeMs = statSync(indexFile).mtimeMs;
    if (mtimeMs !== index.mtimeMs) index = { mtimeMs, html: readFileSync(indexFile, 'utf8') };
    return index.html;
  };
  // Hashed files never change under one name: each is compressed once and kept.
  const assetsDir = new URL('assets/', dist).pathname;
  const gzipped = new Map<string, Buffer>();
  // A middleware, not a route (as below: the route table stays the API's).
  router.use('/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = req.path.slice(1);
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : undefined;
    if (!type || !/\bgzip\b/.test(req.get('accept-encoding') ?? '') || file.includes('/') || file.startsWith('.')) return next();
    let body = gzipped.get(file);
    if (!body) {
      const full = path.join(assetsDir, file);
      if (!existsSync(full)) return next();
      body = gzipSync(readFileSync(full), { level: 9 });
      gzipped.set(file, body);
    }
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    res.type(type).send(body);
  });
  router.use('/assets', express.static(new URL('assets/', dist).pathname, { immutable: true, maxAge: '365d', index: false }));
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  router.use(express.static(dist.pathname, { index: false, maxAge: 0 }));
  // A middleware, not a route: the app's pages are not API operations (the route table stays the API's).
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api') return next();
    res.setHeader('Cache-Control', 'no-cache');
    if (req.path.startsWith('/f/')) embeddable(res);
    res.type('html').send(currentIndex());
  });
  return router;
}
