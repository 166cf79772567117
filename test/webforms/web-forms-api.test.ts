// Public web forms over HTTP, without signing in: the form as a visitor sees it, a submission that
// creates a record through the entity's rules, the form's logic and its workflow, and what is
// refused — a filled honeypot, a field the form does not offer, a form that is not published, and
// the address past the form's rate limit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, type ApiClient, type TestServer } from '../support/test-server.ts';
import { leadMetadata } from '../support/web-form-fixture.ts';

describe('public web forms', () => {
  let server: TestServer;
  let visitor: ApiClient;
  const leads = async () => (await server.get('/api/data/lead?limit=100')).body.items as Record<string, unknown>[];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', leadMetadata({ rateLimit: { max: 6, windowMinutes: 60 } }));
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    visitor = apiClient(server.url);
  });
  afterAll(async () => server?.close());

  it('shows a visitor the writable fields of the form and its texts, nothing else', async () => {
    const res = await visitor.get('/api/public/forms/contactUs');
    expect(res.status).toBe(200);
    expect(res.body.title).toEqual({ en: 'Ask for a service contract', zh: '咨询服务合同' });
    expect(Object.keys(res.body.entity.fields).sort()).toEqual(['company', 'email', 'interest', 'message', 'name', 'phone', 'seats']);
    expect(res.body.form.sections.need.fields).not.toHaveProperty('status');
    expect(JSON.stringify(res.body)).not.toContain('rating');
    expect(JSON.stringify(res.body)).not.toContain('reachable');
    expect((await visitor.get('/api/public/forms/nope')).status).toBe(404);
  });

  it('creates a lead without sign-in, through the rule, the form logic and the workflow', async () => {
    const ruled = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Wang Fang', company: 'Hangzhou Cold Chain' } });
    expect(ruled.status).toBe(400);
    expect(ruled.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/values/email']);
    const needsSeats = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Wang Fang', email: 'wang@example.cn', interest: 'contract' } });
    expect(needsSeats.status).toBe(400);
    expect(needsSeats.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/values/seats']);
    expect(await leads()).toEqual([]);
    const ok = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Wang Fang', email: 'wang@example.cn', interest: 'contract', seats: 12 }, honeypot: '' });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ status: 'accepted' });
    const [lead] = await leads();
    expect(lead).toMatchObject({ name: 'Wang Fang', email: 'wang@example.cn', seats: 12, status: 'new', createdBy: 'system:webForm:contactUs' });
  });

  it('refuses a filled honeypot and a field the form does not offer, creating nothing', async () => {
    const before = (await leads()).length;
    const bot = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Buy now', email: 'bot@spam.test' }, honeypot: 'http://spam.test' });
    expect(bot.status).toBe(400);
    expect(bot.body.error.details).toEqual([{ path: '/honeypot', message: 'must be empty' }]);
    const sneaky = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Li Lei', email: 'li@example.cn', rating: 'hot', status: 'qualified' } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/values/rating', '/values/status']);
    expect((await leads()).length).toBe(before);
  });

  it('a form without publish is not public; past the rate limit an address gets 429', async () => {
    const internal: Record<string, unknown> = { ...(leadMetadata()[2] as Record<string, unknown>), name: 'leadInternal' };
    delete internal['publish'];
    expect((await server.post('/api/meta/apply', [internal])).status).toBe(200);
    expect((await visitor.get('/api/public/forms/leadInternal')).status).toBe(404);
    expect((await visitor.post('/api/public/forms/leadInternal/submissions', { values: { name: 'X', email: 'x@example.cn' } })).status).toBe(404);
    // Six submissions per hour from one address: the tests above made five.
    expect((await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Zhao Min', phone: '+86 138 0013 8000' } })).status).toBe(201);
    const limited = await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Zhao Min', phone: '+86 138 0013 8000' } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await leads()).length).toBe(2);
  });
});

describe('public web forms in Chinese', () => {
  it('every refusal detail is Chinese for a zh visitor', async () => {
    const server = await startTestServer();
    try {
      expect((await server.post('/api/meta/apply', leadMetadata())).status).toBe(200);
      const visitor = apiClient(server.url, { 'accept-language': 'zh-CN' });
      const answers = [
        await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'X' }, honeypot: 'x' }),
        await visitor.post('/api/public/forms/contactUs/submissions', { values: { rating: 'hot' }, extra: 1 }),
        await visitor.post('/api/public/forms/contactUs/submissions', { values: [] }),
        await visitor.post('/api/public/forms/contactUs/submissions', { values: { name: 'Wang' } }),
      ];
      const details = answers.flatMap((a) => a.body.error.details as { path: string; message: string }[]);
      expect(details.map((d) => d.path).sort()).toEqual(['/extra', '/honeypot', '/values', '/values/email', '/values/rating']);
      for (const d of details) expect(d.message, d.path).toMatch(/[\u3400-\u9fff]/);
    } finally {
      await server.close();
    }
  });
});

describe('embedding a public web form', () => {
  it('its page may be framed by any site; every other page only by the studio itself', async () => {
    const server = await startTestServer();
    try {
      const form = await fetch(`${server.url}/f/contactUs`);
      expect(form.status).toBe(200);
      expect(form.headers.get('content-security-policy')).toContain('frame-ancestors *');
      expect(form.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(form.headers.get('x-frame-options')).toBeNull();
      for (const other of ['/', '/e/lead', '/inbox']) {
        const page = await fetch(`${server.url}${other}`);
        expect(page.headers.get('content-security-policy'), other).toContain("frame-ancestors 'self'");
        expect(page.headers.get('x-frame-options'), other).toBe('SAMEORIGIN');
      }
    } finally {
      await server.close();
    }
  });
});
