// Acceptance: retention rules (anonymize or delete after N days without change) run when the
// scheduler calls runRetention(services, now) — here under the test server's manual clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../engine/privacy/run-retention.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const day = 24 * 60 * 60 * 1000;
const documents = [
  {
    kind: 'entity', name: 'visitor', label: 'Visitor',
    privacy: { subjectField: 'email', retentionDays: 30, retentionAction: 'anonymize' },
    fields: { email: { type: 'email', personal: true }, name: { type: 'text', personal: true }, pages: { type: 'integer' } },
  },
  {
    kind: 'entity', name: 'webLog', label: 'Web log',
    privacy: { retentionDays: 7, retentionAction: 'delete' },
    fields: { ip: { type: 'text', personal: true }, path: { type: 'text' } },
  },
  { kind: 'entity', name: 'note', label: 'Note', fields: { text: { type: 'text', personal: true } } },
];

describe('retention rules under a controllable clock', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
    ids['oldVisitor'] = (await server.post('/api/data/visitor', { email: 'old.visitor@example.net', name: 'Olga Oldham', pages: 3 })).body.id;
    ids['oldLog'] = (await server.post('/api/data/webLog', { ip: '203.0.113.9', path: '/pricing' })).body.id;
    ids['note'] = (await server.post('/api/data/note', { text: 'kept forever' })).body.id;
  });
  afterAll(async () => server.close());

  it('nothing is due before its time', async () => {
    server.clock.advance(6 * day);
    expect(await runRetention(server.server.services, server.clock.now())).toEqual([]);
  });

  it('deletes web logs unchanged for 7 days; a recently changed one stays', async () => {
    ids['newLog'] = (await server.post('/api/data/webLog', { ip: '198.51.100.7', path: '/' })).body.id;
    server.clock.advance(2 * day);
    const done = await runRetention(server.server.services, server.clock.now());
    expect(done).toEqual([{ entity: 'webLog', id: ids['oldLog'], action: 'deleted', fields: ['ip'] }]);
    expect((await server.get(`/api/data/webLog/${ids['oldLog']}`)).status).toBe(404);
    expect((await server.get(`/api/data/webLog/${ids['newLog']}`)).status).toBe(200);
    const history = (await server.get(`/api/data/webLog/${ids['newLog']}/history`)).body.items;
    expect(history).toHaveLength(1);
  });

  it('anonymizes visitors after 30 days, once, and logs who did it as the retention job', async () => {
    server.clock.advance(23 * day);
    const done = await runRetention(server.server.services, server.clock.now());
    expect(done.map((d) => `${d.entity}:${d.action}`).sort()).toEqual(['visitor:anonymized', 'webLog:deleted']);
    const visitor = (await server.get(`/api/data/visitor/${ids['oldVisitor']}`)).body;
    expect(visitor).not.toHaveProperty('email');
    expect(visitor).not.toHaveProperty('name');
    expect(visitor.pages).toBe(3);
    const history = (await server.get(`/api/data/visitor/${ids['oldVisitor']}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'retention', by: 'system:retention', details: { mode: 'anonymize', fields: ['email', 'name'] } });
    expect(JSON.stringify(history)).not.toMatch(/olga|oldham|old\.visitor/i);
    // Entities without a retention rule are never touched.
    expect((await server.get(`/api/data/note/${ids['note']}`)).body.text).toBe('kept forever');
    // Run again at the same moment, and much later: an anonymized record is not anonymized again.
    expect(await runRetention(server.server.services, server.clock.now())).toEqual([]);
    server.clock.advance(400 * day);
    expect(await runRetention(server.server.services, server.clock.now())).toEqual([]);
  });
});

describe('retention on the in-server scheduler', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('a daily job runs the rules: nothing before the time, the record anonymized after it, once', async () => {
    const { findWorkflowRuntime } = await import('../../engine/workflow/workflow-module.ts');
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    const id = (await server.post('/api/data/visitor', { email: 'sched.visitor@example.net', name: 'Sven Scheduled' })).body.id as string;
    await scheduler.runDue();
    expect((await server.get(`/api/data/visitor/${id}`)).body.email).toBe('sched.visitor@example.net');
    for (let dayNumber = 1; dayNumber <= 31; dayNumber++) {
      server.clock.advance(day);
      await scheduler.runDue();
    }
    const visitor = (await server.get(`/api/data/visitor/${id}`)).body;
    expect(visitor).not.toHaveProperty('email');
    const history = (await server.get(`/api/data/visitor/${id}/history`)).body.items;
    expect(history.filter((h: { action: string }) => h.action === 'retention')).toHaveLength(1);
  });
});
