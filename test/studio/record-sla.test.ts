// A workflow state's SLA on the record page: beside the state, a badge saying how long is left
// ("due in 3 h", "3 小时后到期") or how far past it is ("overdue by 2 h", "已逾期 2 小时"), colour and
// words both. The time is the server's (its injectable clock, moved by the test; the browser's own
// clock plays no part): the record entered its state at 09:00 by the server, the state allows 4 h.
// In chromium against a real server; en at 1280 px and zh at 390 px, axe-clean.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const ticket = {
  kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, pluralLabel: { en: 'Tickets', zh: '工单' }, titleField: 'subject',
  fields: {
    subject: { type: 'text', required: true, label: { en: 'Subject', zh: '主题' } },
    status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: { open: { label: { en: 'Open', zh: '待处理' } }, done: { label: { en: 'Done', zh: '已完成' } } } },
  },
};
const flow = {
  kind: 'workflow', name: 'ticketFlow', entity: 'ticket', label: { en: 'Ticket flow', zh: '工单流程' }, field: 'status',
  states: { open: { label: { en: 'Open', zh: '待处理' }, initial: true, slaHours: 4 }, done: { label: { en: 'Done', zh: '已完成' }, final: true } },
  transitions: { finish: { label: { en: 'Finish', zh: '完成' }, from: 'open', to: 'done' } },
};

const words = {
  en: { state: 'Status:Open', due: 'due in 3 h', overdue: 'overdue by 2 h' },
  zh: { state: '状态：待处理', due: '3 小时后到期', overdue: '已逾期 2 小时' },
} as const;

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [ticket, flow]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  browser = await launchBrowser();
}, 120_000);
afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

async function openPage(width: number, language: 'en' | 'zh'): Promise<Page> {
  const context = await newContext(browser, server.url, { width, language });
  contexts.push(context);
  await signInContext(context, server.admin!);
  return context.newPage();
}

describe('a workflow SLA on the record page', () => {
  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`says when the state is due, then how far past it is, by the server's clock (${language}, ${width} px)`, { timeout: 120_000 }, async () => {
      const w = words[language];
      server.clock.set('2026-03-02T09:00:00.000Z');
      const created = await server.post<any>('/api/data/ticket', { subject: `Printer jam ${language}` });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.status).toBe('open');
      server.clock.set('2026-03-02T10:00:00.000Z');

      const page = await openPage(width, language);
      await page.goto(`/e/ticket/${created.body.id}`);
      const badge = page.getByTestId('record-sla');
      await badge.waitFor();
      expect((await badge.textContent())!.replace(/\s+/g, '')).toBe(`${w.state}${w.due}`.replace(/\s+/g, ''));
      expect(await badge.locator('.ant-tag').textContent()).toBe(w.due);
      expect(await badge.getAttribute('data-overdue')).toBe('false');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-sla-due', language);

      // Two hours past its four: overdue, in red.
      server.clock.set('2026-03-02T15:00:00.000Z');
      await page.reload();
      await page.getByTestId('record-sla').locator('.ant-tag').filter({ hasText: w.overdue }).waitFor();
      expect(await page.getByTestId('record-sla').getAttribute('data-overdue')).toBe('true');
      const border = await page.getByTestId('record-sla').locator('.ant-tag').evaluate((el) => getComputedStyle(el).borderColor);
      expect(border).toBe('rgb(198, 40, 40)');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-sla-overdue', language);

      // A final state has no SLA: no badge.
      const current = await server.get<any>(`/api/data/ticket/${created.body.id}`);
      const moved = await server.post(`/api/data/ticket/${created.body.id}/transitions/finish`, {}, { 'if-match': current.headers.get('etag')! });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await page.reload();
      await page.getByRole('heading', { name: `Printer jam ${language}` }).waitFor();
      await page.getByText(language === 'en' ? 'Owner' : '负责人').first().waitFor();
      expect(await page.getByTestId('record-sla').count()).toBe(0);
    });
  }
});
