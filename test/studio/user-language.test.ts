// The language is a preference of the user, not of the browser: a user who switches the studio to
// 中文 has it saved with their user (PATCH /api/auth/me), so a notification made for them afterwards
// arrives in Chinese — in the inbox API, the studio's bell and the e-mail (a local SMTP sink) — and
// a fresh browser (English) opens the studio in Chinese once they sign in; signed out, the page
// keeps the browser's own language.

import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, seriousViolations, switchLanguage } from '../support/browser.ts';
import { closeBrowserSuite, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { startSmtpSink, type ReceivedMail } from '../workflow/support/local-receivers.ts';

const metadata = [
  { kind: 'role', name: 'agent', label: { en: 'Agent', zh: '坐席' }, permissions: { ticket: { create: true, read: 'all', update: 'all' } } },
  {
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'title',
    fields: {
      title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
      assignee: { type: 'user', label: { en: 'Assignee', zh: '处理人' } },
      status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: { open: { label: { en: 'Open', zh: '处理中' } }, done: { label: { en: 'Done', zh: '已完成' } } } },
    },
  },
  {
    kind: 'workflow', name: 'ticketFlow', entity: 'ticket', field: 'status', label: { en: 'Tickets', zh: '工单流程' },
    states: { open: { label: { en: 'Open', zh: '处理中' }, initial: true }, done: { label: { en: 'Done', zh: '已完成' } } },
    transitions: { finish: { label: { en: 'Finish', zh: '完成' }, from: 'open', to: 'done' } },
    triggers: { assigned: { on: 'create', actions: ['tellAssignee'] } },
    actions: {
      tellAssignee: {
        type: 'notify', to: { fields: ['assignee'] },
        subject: { en: 'Assigned to you: {{ title }}', zh: '分配给你的工单：{{ title }}' },
        body: { en: 'Please take it up today.', zh: '请今天处理。' },
      },
    },
  },
];

describe('studio: the language is saved with the user', { timeout: 240_000 }, () => {
  let server: TestServer;
  let smtp: { url: string; messages: ReceivedMail[]; close(): Promise<void> };
  let browser: Browser;
  let mei: TestUser;
  const contexts: BrowserContext[] = [];
  const savedLocale = async () => (await server.get(`/api/users/${mei.id}`)).body.locale as string | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'CRM <crm@crm.test>' } });
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    mei = await server.createUser({ name: 'Mei Lin', email: 'mei.lin@crm.test', roles: ['agent'] });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await closeBrowserSuite({ contexts, browser, servers: [server] });
    await smtp?.close();
  });

  it('switching to 中文 in the studio saves it with the user: a notification made for them then arrives in Chinese', async () => {
    expect(await savedLocale()).toBeUndefined();
    const context = await newContext(browser, server.url, { language: 'en' });
    contexts.push(context);
    await signInContext(context, mei);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await switchLanguage(page, 'zh');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await eventually(savedLocale).toBe('zh');

    // Someone else assigns her a ticket: the workflow's notify action runs as a job.
    const ticket = await server.post('/api/data/ticket', { title: 'Printer jam', assignee: mei.id });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const mailsBefore = smtp.messages.length;
    expect((await server.post('/api/scheduler/tick', {})).status).toBe(200);

    const inbox = (await mei.client.get('/api/notifications')).body.items as { subject: string; body?: string; recordId?: string }[];
    expect(inbox.filter((n) => n.recordId === ticket.body.id).map((n) => [n.subject, n.body])).toEqual([['分配给你的工单：Printer jam', '请今天处理。']]);
    const mails = await Promise.all(smtp.messages.slice(mailsBefore).map((m) => simpleParser(m.raw)));
    expect(mails.map((m) => [m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : undefined, m.subject, m.text?.trim()])).toEqual([['mei.lin@crm.test', '分配给你的工单：Printer jam', '请今天处理。']]);

    // The studio shows it so too, after a reload (the bell polls every 30 s); the page stays in Chinese.
    await page.reload();
    const bell = page.getByTestId('notification-bell');
    await eventually(() => bell.getAttribute('aria-label')).toBe('通知，1 条未读');
    await bell.click();
    await page.getByTestId('notifications').getByText('分配给你的工单：Printer jam').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a fresh English browser opens the studio in her saved Chinese once she signs in; signed out, it keeps its own English', async () => {
    expect(await savedLocale()).toBe('zh');
    const context = await newContext(browser, server.url, { language: 'en' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to the CRM' }).waitFor();
    await page.getByLabel('E-mail').fill(mei.email);
    await page.getByLabel('Password').fill(mei.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // The browser's own choice is not overwritten by hers.
    expect(await page.evaluate(() => localStorage.getItem('crm.language'))).toBe('en');

    await page.getByRole('button', { name: `用户菜单：Mei Lin（${mei.email}）`, exact: true }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: 'Sign in to the CRM' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
