import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('server start', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('answers health on the embedded store at revision 0', async () => {
    const res = await server.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'sqlite', revision: 0 });
  });

  it('serves the built studio at / and at every app route, its scripts from /assets under the strict policy', async () => {
    const res = await server.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const script = String(res.body).match(/<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/)?.[1];
    expect(script).toBeDefined();
    expect(String(res.body)).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    const asset = await server.get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // Scripts and styles travel gzipped (fetch asks for it and decompresses): the same bytes as the file.
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(String(asset.body)).toBe(readFileSync(new URL(`../../studio/dist${script!}`, import.meta.url), 'utf8'));
    const deep = await server.get('/e/serviceCase/01HZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(deep.status).toBe(200);
    expect(deep.body).toBe(res.body);
    expect((await server.get('/assets/nothing-here.js')).status).toBe(404);
  });

  it('answers an unknown endpoint with the one error shape', async () => {
    const res = await server.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: [] });
  });
});
