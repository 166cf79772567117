// What an operator relies on, over real HTTP: a request id on the response, on every log line
// written while serving it and in every error body; /api/ready with its checks; /api/metrics in
// Prometheus text for administrators or the metrics token, counting requests by route template.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { captureLog } from '../support/log-capture.ts';
import { apiClient, startTestServer, type TestServer } from '../support/test-server.ts';
import { parsePrometheus, sampleValue } from './prometheus-text.ts';

const metricsToken = 'metrics-token-for-the-scraper-0123';
const contact = { kind: 'entity', name: 'contact', label: 'Contact', fields: { name: { type: 'text', required: true } } };

describe('operations', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { CRM_METRICS_TOKEN: metricsToken, CRM_SCHEDULER_INTERVAL_MS: '0' } });
    expect((await server.post('/api/meta/apply', [contact])).status).toBe(200);
  });
  afterAll(async () => server.close());

  describe('request ids', () => {
    it('a sane incoming X-Request-Id is echoed; a missing or unsafe one is replaced by a new id', async () => {
      const given = await server.anonymous.get('/api/health', { 'x-request-id': 'lb-7f3a.2026:01_x' });
      expect(given.headers.get('x-request-id')).toBe('lb-7f3a.2026:01_x');
      const none = await server.anonymous.get('/api/health');
      expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      for (const unsafe of ['has space', 'x'.repeat(129), 'semi;colon', 'quote"']) {
        const res = await server.anonymous.get('/api/health', { 'x-request-id': unsafe });
        expect(res.headers.get('x-request-id'), unsafe).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(none.headers.get('x-request-id')).not.toBe((await server.anonymous.get('/api/health')).headers.get('x-request-id'));
    });

    it('every error body carries the request id of its response', async () => {
      for (const [method, url, body] of [['GET', '/api/nothing'], ['GET', '/api/data/ghost'], ['POST', '/api/data/contact', { name: 7 }], ['POST', '/api/data/contact', '{"broken']] as const) {
        const res = await server.request(method, url, body, { 'x-request-id': `err-${url.length}` });
        expect(res.status, url).toBeGreaterThanOrEqual(400);
        expect(res.body.error.requestId, url).toBe(`err-${url.length}`);
      }
      const anonymous = await server.anonymous.get('/api/data/contact');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.requestId).toBe(anonymous.headers.get('x-request-id'));
    });

    it('every log line written while serving a request names it; lines of other requests do not', async () => {
      const log = captureLog();
      try {
        const [a, b] = await Promise.all([
          server.anonymous.post('/api/auth/login', { email: 'alice@crm.test', password: 'wrong-password' }, { 'x-request-id': 'req-a' }),
          server.anonymous.post('/api/auth/login', { email: 'bob@crm.test', password: 'wrong-password' }, { 'x-request-id': 'req-b' }),
        ]);
        expect([a.status, b.status]).toEqual([401, 401]);
        const failed = log.lines().filter((l) => l.msg.includes('failed sign-in'));
        expect(failed.map((l) => [l.requestId, l.msg.includes('a***@') ? 'a' : 'b']).sort()).toEqual([['req-a', 'a'], ['req-b', 'b']]);
        for (const line of log.lines()) {
          expect(line.level).toMatch(/^(debug|info|warn|error)$/);
          expect(typeof line.time).toBe('string');
          expect(line.pid).toBe(process.pid);
        }
      } finally {
        log.restore();
      }
    });
  });

  describe('/api/ready', () => {
    it('200 with every check ok: store reachable, migrations done, scheduler running (or off by setting)', async () => {
      const res = await server.anonymous.get('/api/ready');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'ready', checks: { accepting: 'ok', store: 'ok', migrations: 'ok', scheduler: 'ok' } });
    });

    it('503 naming the failing check once the scheduler has stopped', async () => {
      const other = await startTestServer({ env: { CRM_SCHEDULER_INTERVAL_MS: '0' } });
      try {
        await findWorkflowRuntime(other.server.services)!.scheduler.stop();
        const res = await other.anonymous.get('/api/ready');
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ status: 'not ready', checks: { store: 'ok', scheduler: 'the scheduler is stopped' } });
        expect((await other.anonymous.get('/api/health')).status).toBe(200);
      } finally {
        await other.close();
      }
    });
  });

  describe('/api/metrics', () => {
    it('refuses anonymous callers (401), other users (403) and a wrong token', async () => {
      expect((await server.anonymous.get('/api/metrics')).status).toBe(401);
      const user = await server.createUser();
      expect((await user.client.get('/api/metrics')).status).toBe(403);
      expect((await apiClient(server.url, { authorization: `Bearer ${metricsToken}x` }).get('/api/metrics')).status).toBe(401);
    });

    it('parses as Prometheus text and counts the requests made, by route template and status, never by raw URL', async () => {
      const created = await server.post('/api/data/contact', { name: 'Ada' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      for (let i = 0; i < 3; i++) expect((await server.get(`/api/data/contact/${id}`)).status).toBe(200);
      expect((await server.get('/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
      for (let i = 0; i < 2; i++) await server.anonymous.get('/api/no-such-thing-' + i);

      const scraper = apiClient(server.url, { authorization: `Bearer ${metricsToken}` });
      const res = await scraper.get('/api/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body as string;
      const families = parsePrometheus(text); // throws on a line that is not exposition format
      expect(text).not.toContain(id);
      expect(text).not.toContain('no-such-thing');

      expect(sampleValue(families, 'crm_http_requests_total', { method: 'GET', route: '/api/data/:entity/:id', status: '200' })).toBe(3);
      expect(sampleValue(families, 'crm_http_requests_total', { method: 'GET', route: '/api/data/:entity/:id', status: '404' })).toBe(1);
      expect(sampleValue(families, 'crm_http_requests_total', { method: 'POST', route: '/api/data/:entity', status: '201' })).toBe(1);
      expect(sampleValue(families, 'crm_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(2);
      expect(sampleValue(families, 'crm_http_request_duration_seconds_count', { method: 'GET', route: '/api/data/:entity/:id' })).toBe(4);
      expect(families.get('crm_http_request_duration_seconds')?.type).toBe('histogram');
      expect(sampleValue(families, 'crm_store_duration_seconds_count', { operation: 'transaction' })).toBeGreaterThan(0);
      for (const name of ['crm_jobs_due', 'crm_jobs_running', 'crm_jobs_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes']) expect(families.has(name), name).toBe(true);
      expect(sampleValue(families, 'crm_deliveries_total', { kind: 'webhook', outcome: 'failed' })).toBe(0);

      // An administrator may read them too.
      expect((await server.get('/api/metrics')).status).toBe(200);
    });

    it('counts failed webhook deliveries and the due jobs waiting', async () => {
      const applied = await server.post('/api/meta/apply', [
        { kind: 'role', name: 'integration', label: 'Integration' },
        { kind: 'workflow', name: 'notify', entity: 'contact', label: 'Notify', triggers: { created: { on: 'create', actions: ['hook'] } }, actions: { hook: { type: 'webhook', url: 'http://127.0.0.1:9/unreachable', secretRef: 'OPS_TEST_SECRET', role: 'integration' } } },
      ]);
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect((await server.post('/api/data/contact', { name: 'Grace' })).status).toBe(201);
      await findWorkflowRuntime(server.server.services)!.scheduler.runDue();
      const families = parsePrometheus((await server.get('/api/metrics')).body as string);
      expect(sampleValue(families, 'crm_deliveries_total', { kind: 'webhook', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
      server.clock.advance(3_600_000);
      const later = parsePrometheus((await server.get('/api/metrics')).body as string);
      expect(sampleValue(later, 'crm_jobs_due', {})).toBeGreaterThanOrEqual(1);
      expect(sampleValue(later, 'crm_jobs_lag_seconds', {})).toBeGreaterThan(0);
    });
  });
});
