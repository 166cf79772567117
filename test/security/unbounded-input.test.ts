// Regression, the unbounded-input class (issue 9, defect 8): input whose size or shape the server
// did not bound. An expression nested 1,200 deep was accepted on save and could never be evaluated
// (every write then failed); a body with 50,000 unknown keys got 4.5 MB of error details back; a
// sign-in e-mail with a newline forged a line of the server's log. Each is now bounded where the
// engine handles that kind of input for everyone: expression depth at compile, error details in
// CrmError, control characters in the one log writer.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { maxIssueDetails } from '../../engine/kernel/errors.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { captureLog } from '../support/log-capture.ts';

let server: TestServer;
const deal = (expression: string) => ({ kind: 'entity', name: 'deal', label: 'Deal', fields: { title: { type: 'text' }, amount: { type: 'number' }, f: { type: 'formula', expression, returns: 'number' } } });

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/deal', deal('amount * 2'))).status).toBe(201);
});
afterAll(async () => server.close());
afterEach(() => vi.restoreAllMocks());

describe('unbounded-input: expression depth', () => {
  it.each([
    { shape: 'parentheses', make: (n: number) => '('.repeat(n) + 'amount' + ')'.repeat(n) },
    // Counted, so that the formula gives a number: a list alone is refused for a number formula.
    { shape: 'array constructors', make: (n: number) => '$count(' + '['.repeat(n) + 'amount' + ']'.repeat(n) + ')' },
    { shape: 'unary minus', make: (n: number) => '-'.repeat(n) + 'amount' },
    { shape: 'a chain of operators', make: (n: number) => 'amount' + '+1'.repeat(n) },
    { shape: 'nested calls', make: (n: number) => '$abs('.repeat(n) + 'amount' + ')'.repeat(n) },
  ])('$shape nested 1,200 deep (or as deep as 4,000 characters allow) is 400 with its pointer on PUT and on /validate', async ({ make }) => {
    let n = 1200;
    while (make(n).length > 4000) n -= 50;
    const put = await server.put('/api/meta/entities/deal', deal(make(n)));
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(400);
    expect(put.body.error.details).toContainEqual(expect.objectContaining({ path: '/fields/f/expression', code: 'EXPR_DEPTH' }));
    const validate = await server.post('/api/meta/validate', [deal(make(n))]);
    expect(validate.status).toBe(200);
    expect(validate.body.valid).toBe(false);
    expect(validate.body.issues).toContainEqual(expect.objectContaining({ path: '/fields/f/expression', code: 'EXPR_DEPTH' }));
    // A deep but sane expression still saves and evaluates.
    expect((await server.put('/api/meta/entities/deal', deal(make(30)))).status).toBe(200);
    const created = await server.post('/api/data/deal', { title: 'x', amount: 2 });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
  });
});

describe('unbounded-input: error details', () => {
  it('a body with 50,000 unknown keys gets at most the cap of details and a count of the rest', async () => {
    const body: Record<string, unknown> = { title: 'x' };
    for (let i = 0; i < 50_000; i++) body[`k${i}`] = 1;
    const res = await server.post('/api/data/deal', body);
    expect(res.status).toBe(400);
    const details = res.body.error.details as { path: string; code?: string; message: string }[];
    expect(details.length).toBe(maxIssueDetails + 1);
    expect(details[0]).toMatchObject({ path: '/k0' });
    expect(details.at(-1)).toMatchObject({ path: '', code: 'TOO_MANY_ISSUES', message: expect.stringContaining(String(50_000 - maxIssueDetails)) });
    expect(JSON.stringify(res.body).length).toBeLessThan(50_000);
  });
});

describe('unbounded-input: log lines', () => {
  it('a sign-in e-mail with a newline or an escape sequence cannot forge or repaint a log line', async () => {
    const log = captureLog();
    try {
      const forged = 'x@evil.test\n[security] admin@crm.test signed in from 10.0.0.1\u001b[2K\r\u0085\u2028';
      const res = await server.anonymous.post('/api/auth/login', { email: forged, password: 'wrong-password' });
      expect(res.status).toBe(401);
      const logged = log.lines().filter((line) => line.msg.includes('failed sign-in'));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.msg).toContain('\\n[security] admin'); // escaped: one line, visibly not the server's own
      expect(logged[0]!.requestId).toBe(res.headers.get('x-request-id'));
      const raw = log.raw();
      // Each event is exactly one line, ending in its one newline.
      for (const line of raw) expect(line.indexOf('\n')).toBe(line.length - 1);
      // eslint-disable-next-line no-control-regex -- the point: no control character reaches a log line
      for (const line of raw) expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    } finally {
      log.restore();
    }
  });
});
