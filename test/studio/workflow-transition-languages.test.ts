// A training school's admin, working the studio in Chinese, edits the transition that approves an
// enrolment: its guard's message and its approval step. Each check failed before its fix:
// - the guard's message could be written in English only, and applying the drawer dropped the
//   Chinese one the transition already had (saved as { en } alone);
// - an approval step's label had no Chinese input (approvers saw the English label in Chinese);
// - the approver role was typed by its stored name from memory, not picked from the roles.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const statuses = { applied: ['Applied', '已申请'], approved: ['Approved', '已批准'], cancelled: ['Cancelled', '已取消'] } as const;

describe('studio: a transition’s guard message and approval step in both languages', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', {
      documents: [
        {
          kind: 'entity',
          name: 'enrolment',
          label: { en: 'Enrolment', zh: '报名' },
          fields: {
            name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
            fee: { type: 'currency', label: { en: 'Fee', zh: '学费' }, currency: 'CNY' },
            status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: Object.fromEntries(Object.entries(statuses).map(([k, [en, zh]]) => [k, { label: { en, zh } }])) },
          },
        },
        { kind: 'role', name: 'director', label: { en: 'Director', zh: '校长' }, permissions: { enrolment: { read: 'all', update: 'all' } } },
        {
          kind: 'workflow',
          name: 'enrolmentFlow',
          entity: 'enrolment',
          field: 'status',
          label: { en: 'Enrolment process', zh: '报名流程' },
          states: { applied: { label: { en: 'Applied', zh: '已申请' }, order: 10, initial: true }, approved: { label: { en: 'Approved', zh: '已批准' }, order: 20, final: true }, cancelled: { label: { en: 'Cancelled', zh: '已取消' }, order: 30, final: true } },
          transitions: {
            approve: { label: { en: 'Approve', zh: '批准' }, from: 'applied', to: 'approved', order: 10, guard: 'fee > 0', guardMessage: { en: 'Enter the fee first', zh: '请先填写学费' } },
            cancel: { label: { en: 'Cancel', zh: '取消' }, from: 'applied', to: 'cancelled', order: 20 },
          },
        },
      ],
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
    page = await signedInPage({ browser, server, contexts, options: { language: 'zh', width: 390 } });
  }, 120_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('keeps the Chinese guard message, takes a Chinese step label and picks the approver role by its label', async () => {
    await page.goto('/admin/workflows/enrolmentFlow');
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('tab', { name: '流转' }).click();
    await page.getByRole('button', { name: '编辑流转 批准', exact: true }).first().click();
    const drawer = page.getByRole('dialog', { name: '编辑流转 批准' });
    // The message the transition has in Chinese is shown, and can be changed, beside the English one.
    const zhMessage = drawer.getByLabel('条件不满足时的提示（中文）');
    expect(await zhMessage.inputValue()).toBe('请先填写学费');
    await drawer.getByLabel('条件不满足时的提示（英文）').fill('Enter the fee before approving');

    await drawer.getByLabel('审批', { exact: true }).click();
    await drawer.getByRole('button', { name: '新增审批步骤' }).click();
    const step = drawer.locator('.ant-card').filter({ hasText: '第 1 步' });
    await step.getByLabel('步骤名').fill('director');
    await step.getByLabel('显示名（英文）').fill('Director signs off');
    await step.getByLabel('显示名（中文）').fill('校长审批');
    // The approver role is chosen among the roles, by their labels.
    await step.getByLabel('审批人', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '校长 (director)' }).click();
    await eventually(async () => (await step.innerText()).includes('校长 (director)')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await drawer.getByRole('button', { name: '应用' }).click();
    await drawer.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '保存…' }).click();
    await page.getByTestId('dry-run').getByText('修改有效。').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '应用修改' }).click();
    await eventually(async () => (await server.get('/api/meta/workflows/enrolmentFlow')).body.transitions.approve.approval !== undefined).toBe(true);
    const approve = (await server.get('/api/meta/workflows/enrolmentFlow')).body.transitions.approve;
    expect(approve.guardMessage).toEqual({ en: 'Enter the fee before approving', zh: '请先填写学费' });
    expect(approve.approval.steps.director).toMatchObject({ label: { en: 'Director signs off', zh: '校长审批' }, approver: { role: 'director' } });

    // A user working in Chinese is told why in Chinese.
    const record = await server.post('/api/data/enrolment', { name: '张三' });
    expect(record.status).toBe(201);
    const director = await server.createUser({ name: '张校长', roles: ['director'] });
    const transitions = await director.client.get(`/api/data/enrolment/${record.body.id}/transitions`, { 'accept-language': 'zh' });
    const shown = (transitions.body.transitions as { name: string; reasons: { message: string }[] }[]).find((t) => t.name === 'approve');
    expect(shown?.reasons.map((r) => r.message)).toContain('请先填写学费');
  });
});
