// A record a retention rule anonymized is marked so (`_erasedAt`) and is not anonymized again every
// run. But it may take personal values again — the person comes back and is typed in anew, or a
// new duplicate is merged into it with their name and address — and those must go in their turn
// once the record has not changed for the rule's days: the mark stayed on every later write, so
// the rule never reached the record again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../engine/privacy/run-retention.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const day = 24 * 60 * 60 * 1000;
const visitor = {
  kind: 'entity', name: 'visitor', label: 'Visitor', titleField: 'pages',
  privacy: { subjectField: 'email', retentionDays: 30, retentionAction: 'anonymize' },
  fields: { email: { type: 'email', personal: true }, name: { type: 'text', required: true, personal: true }, pages: { type: 'integer' } },
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', { documents: [visitor] })).status).toBe(200);
}, 60_000);
afterAll(async () => server?.close());

const read = async (id: string) => (await server.get<any>(`/api/data/visitor/${id}`)).body;
const retain = async () => (await runRetention(server.server.services, server.clock.now())).filter((d) => d.entity === 'visitor').map((d) => d.id);

describe('a record anonymized by retention that takes personal values again', () => {
  it('written anew (PATCH): anonymized again once unchanged for the rule\'s days, not before', async () => {
    const made = await server.post<any>('/api/data/visitor', { email: 'rosa.first@example.org', name: 'Rosa First', pages: 2 });
    server.clock.advance(31 * day);
    expect(await retain()).toEqual([made.body.id]);

    expect((await server.patch(`/api/data/visitor/${made.body.id}`, { email: 'rosa.back@example.org', name: 'Rosa Back' })).status).toBe(200);
    server.clock.advance(10 * day);
    expect(await retain()).toEqual([]);
    expect((await read(made.body.id)).email).toBe('rosa.back@example.org');
    server.clock.advance(21 * day);
    expect(await retain()).toEqual([made.body.id]);
    const after = await read(made.body.id);
    expect(after).not.toHaveProperty('email');
    expect(after.name).toBe('erased');
    expect(after.pages).toBe(2);
    // Left as it is (a placeholder in its required name), it is not anonymized again.
    server.clock.advance(400 * day);
    expect(await retain()).toEqual([]);
    expect(JSON.stringify((await server.get(`/api/data/visitor/${made.body.id}/history`)).body.items)).not.toMatch(/rosa/i);
  });

  it('given a merged duplicate\'s values: anonymized again, the merge closed', async () => {
    const kept = await server.post<any>('/api/data/visitor', { email: 'sami.first@example.org', name: 'Sami First', pages: 5 });
    server.clock.advance(31 * day);
    expect(await retain()).toEqual([kept.body.id]);
    // Written since without a personal value: nothing to anonymize.
    expect((await server.patch(`/api/data/visitor/${kept.body.id}`, { pages: 6 })).status).toBe(200);
    server.clock.advance(31 * day);
    expect(await retain()).toEqual([]);

    const twin = await server.post<any>('/api/data/visitor', { email: 'sami.back@example.org', name: 'Sami Back', pages: 1 });
    const merged = await server.post<any>('/api/quality/visitor/merge', { survivor: kept.body.id, merged: [twin.body.id], values: { email: twin.body.id, name: twin.body.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await read(kept.body.id)).email).toBe('sami.back@example.org');
    server.clock.advance(31 * day);
    expect(await retain()).toEqual([kept.body.id]);
    expect(await read(kept.body.id)).not.toHaveProperty('email');
    expect(JSON.stringify((await server.server.store.get('_merges', merged.body.merge))?.data)).not.toMatch(/sami/i);
    expect((await server.post(`/api/quality/merges/${merged.body.merge}/undo`)).status).toBe(409);
  });
});
