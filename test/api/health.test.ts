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

  it('serves the placeholder page with links to the API documents', async () => {
    const res = await server.get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('/api/openapi.json');
    expect(res.body).toContain('/api/health');
    expect(res.body).toMatch(/Version \d+\.\d+\.\d+\./);
  });

  it('answers an unknown endpoint with the one error shape', async () => {
    const res = await server.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: [] });
  });
});
