// A request works on the metadata revision it started with: a newer revision swapped in meanwhile
// does not change how it validates, and the record remembers the revision it was validated against.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ticket = (fields: Record<string, unknown>) => ({ kind: 'entity', name: 'ticket', label: 'Ticket', fields });

describe('revision isolation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/ticket', ticket({ title: { type: 'text', required: true } }))).status).toBe(201);
  });
  afterAll(async () => server.close());

  function contextNow(): RequestContext {
    const { runtime, services } = server.server;
    return { principal: systemPrincipal('revision-isolation-test'), locale: 'en', clock: server.clock, model: runtime.model, policy: services.policy };
  }

  it('validates an in-flight request against the revision it took, not the one swapped in meanwhile', async () => {
    const { runtime, records } = server.server;
    const started = contextNow();
    const before = started.model.revision;

    // A new revision lands while the request is "in flight": severity becomes required.
    const prepared = runtime.prepare([{ kind: 'entity', name: 'ticket', document: ticket({ title: { type: 'text', required: true }, severity: { type: 'integer', required: true } }) as never }]);
    await runtime.apply(prepared, { by: 'test' });
    expect(runtime.model.revision).toBe(before + 1);
    expect(started.model.revision).toBe(before);

    const old = await records.create(started, 'ticket', { title: 'created on the old revision' });
    expect(old.record['revision']).toBe(before);

    await expect(records.create(contextNow(), 'ticket', { title: 'created on the new revision' })).rejects.toMatchObject({
      code: 'INVALID_RECORD',
      details: [expect.objectContaining({ path: '/severity' })],
    });
    const fresh = await records.create(contextNow(), 'ticket', { title: 'complete', severity: 2 });
    expect(fresh.record['revision']).toBe(before + 1);
  });
});
