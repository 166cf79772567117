// An enrolment sent for the director's approval: the record's timeline said "applied → approved", the
// states' stored names, to a user working in Chinese — the entry changes no field yet, and the states
// were put into words only through a field the entry changed. They are the labels of the picklist
// holding both states (已申请 → 已批准).

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext } from '../support/browser.ts';
import { signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

describe('studio: an approval request on the timeline names its states by their labels', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let rep: TestUser;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer();
    const state = (en: string, zh: string, order: number, more: Record<string, unknown> = {}) => ({ label: { en, zh }, order, ...more });
    const applied = await server.post('/api/meta/apply', {
      documents: [
        {
          kind: 'entity',
          name: 'enrolment',
          label: { en: 'Enrolment', zh: '报名' },
          fields: {
            name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
            status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: { applied: { label: { en: 'Applied', zh: '已申请' } }, approved: { label: { en: 'Approved', zh: '已批准' } } } },
          },
        },
        { kind: 'role', name: 'salesRep', label: { en: 'Sales rep', zh: '课程顾问' }, permissions: { enrolment: { create: true, read: 'own', update: 'own' } } },
        { kind: 'role', name: 'director', label: { en: 'Director', zh: '校长' }, permissions: { enrolment: { read: 'all', update: 'all' } } },
        {
          kind: 'workflow',
          name: 'enrolmentFlow',
          entity: 'enrolment',
          field: 'status',
          label: { en: 'Enrolment process', zh: '报名流程' },
          states: { applied: state('Applied', '已申请', 10, { initial: true }), approved: state('Approved', '已批准', 20, { final: true }) },
          transitions: { approve: { label: { en: 'Approve', zh: '批准' }, from: 'applied', to: 'approved', order: 10, approval: { steps: { director: { order: 10, label: { en: 'Director', zh: '校长审批' }, approver: { role: 'director' } } } } } },
        },
      ],
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await server.createUser({ name: '张校长', roles: ['director'] });
    rep = await server.createUser({ name: '李顾问', roles: ['salesRep'] });
    const created = await rep.client.post('/api/data/enrolment', { name: '张三 Python' });
    expect(created.status).toBe(201);
    id = created.body.id;
    const asked = await rep.client.post(`/api/data/enrolment/${id}/transitions/approve`, {});
    expect(asked.status, JSON.stringify(asked.body)).toBeLessThan(300);
    const history = (await server.get(`/api/data/enrolment/${id}/history`)).body.items as { action: string }[];
    expect(history.map((h) => h.action)).toContain('approval.request');
    browser = await launchBrowser();
    context = await newContext(browser, server.url, { language: 'zh', width: 390 });
    await signInContext(context, rep);
  }, 120_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('shows 已申请 → 已批准 on the request, not the stored names', async () => {
    const page = await context.newPage();
    await page.goto(`/e/enrolment/${id}`);
    const request = page.locator('[data-testid="timeline-entry"][data-action="approval.request"]');
    await eventually(() => request.innerText()).toContain('已申请 → 已批准');
    expect(await request.innerText()).not.toMatch(/applied|approved/);
  });
});
