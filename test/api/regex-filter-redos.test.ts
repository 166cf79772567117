// Regression: a $regex filter with overlapping alternation under repetition, `(a|a)+$`, passed the
// nested-quantifier heuristic and held the event loop for 27 s on a 29-character value. Filters now
// run on the linear-time engine (or, case-insensitive, must have no repeated group): the request
// is answered and the server keeps serving.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const filter = (f: unknown) => `/api/data/probe?filter=${encodeURIComponent(JSON.stringify(f))}&total=1`;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/probe', { kind: 'entity', name: 'probe', label: 'Probe', fields: { name: { type: 'text' } } })).status).toBe(201);
  for (const name of [`${'a'.repeat(40)}!`, 'aaa', 'ACME Ltd']) expect((await server.post('/api/data/probe', { name })).status).toBe(201);
});
afterAll(async () => server.close());

describe('catastrophic $regex filters', () => {
  it('matches (a|a)+$ without backtracking: exactly the all-a name, and the server answers at once afterwards', async () => {
    const res = await server.get(filter({ name: { $regex: '(a|a)+$' } }));
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { name: string }) => r.name)).toEqual(['aaa']);
    expect((await server.get('/api/health')).status).toBe(200);
  });

  it('refuses a repeated group when case-insensitive (that runs on the backtracking engine), with its pointer', async () => {
    const res = await server.get(filter({ name: { $regex: '(a|a)+$', $options: 'i' } }));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: '/name/$regex', code: 'UNSAFE_REGEX' });
  });

  it('still serves ordinary case-insensitive searches', async () => {
    const res = await server.get(filter({ name: { $regex: '^acme', $options: 'i' } }));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
  });
});
