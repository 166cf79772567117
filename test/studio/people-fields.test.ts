// People in the record form, as end users see them: a `user` field is chosen from the people
// directory by name, a polymorphic lookup by kind and then record; the owner and who changed what
// read as names (not ids) in the header, the timeline and list columns; reassigning goes through the server's
// reassign grant — offered only to roles granting it, refused with its reason for a clerk whose grant's
// scope (own) leaves a colleague's ticket out, done by a team lead; a reader is offered no action its
// role lacks (new, select, inline edit, reassign). Checked through the API; axe-clean; screenshots
// en/zh at 1280 and 390 px.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext, closeBrowserSuite } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const metadata = [
  { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { ticket: { create: true, read: 'all', update: 'all', reassign: 'own' }, account: { read: 'all' }, contact: { read: 'all', update: 'all' } } },
  { kind: 'role', name: 'reader', label: 'Reader', permissions: { ticket: { read: 'all' }, account: { read: 'all' }, contact: { read: 'all' } } },
  { kind: 'role', name: 'lead', label: 'Lead', permissions: { ticket: { create: true, read: 'all', update: 'all', reassign: 'all' }, account: { read: 'all' }, contact: { read: 'all' } } },
  { kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } } },
  { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } }, city: { type: 'text', label: { en: 'City', zh: '城市' } } } },
  {
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'title',
    fields: {
      title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
      assignee: { type: 'user', label: { en: 'Assignee', zh: '处理人' } },
      regarding: { type: 'polymorphicLookup', to: ['account', 'contact'], label: { en: 'Regarding', zh: '关于' } },
    },
  },
];

describe('studio: people and polymorphic references in the record form', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let carl: TestUser;
  let ana: TestUser;
  let lena: TestUser;
  let accountId: string;
  const contexts: BrowserContext[] = [];

  const pageFor = async (user: TestUser, options: { language?: 'en' | 'zh'; width?: number } = {}): Promise<Page> => {
    const context = await newContext(browser, server.url, options);
    contexts.push(context);
    await signInContext(context, user);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    carl = await server.createUser({ roles: ['clerk'], name: 'Carl Clerk', email: 'carl@desk.test' });
    ana = await server.createUser({ roles: ['lead'], name: 'Ana Lima', email: 'ana@desk.test' });
    lena = await server.createUser({ roles: ['clerk'], name: 'Lena Berg', email: 'lena@desk.test' });
    accountId = (await server.post('/api/data/account', { name: 'Harbour Ltd' })).body.id;
    await server.post('/api/data/contact', { name: 'Harbour Contact', city: 'Bergen' });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('a clerk picks a user and a polymorphic parent by name; owner and history read as names; reassign refused with the reason', async () => {
    const page = await pageFor(carl);
    await page.goto('/e/ticket/new');
    await page.getByLabel('Title').fill('Broken pump');
    await pickOption(page, 'Assignee', 'Ana Lima', 'ana');
    await pickOption(page, 'Regarding: record type', 'Account');
    await pickOption(page, 'Regarding: record', 'Harbour Ltd', 'Harb');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/ticket\/[0-9A-Z]{26}$/);
    const id = page.url().split('/').pop()!;
    const stored = (await server.get(`/api/data/ticket/${id}`)).body;
    expect(stored).toMatchObject({ title: 'Broken pump', assignee: ana.id, regarding: { entity: 'account', id: accountId }, owner: carl.id });

    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Carl Clerk');
    await page.getByTestId('timeline-entry').filter({ hasText: 'by Carl Clerk' }).first().waitFor();
    expect(await page.getByTestId('timeline-entry').first().textContent()).not.toContain(carl.id);
    // A polymorphic reference reads as its kind and title, not as JSON.
    await page.getByTestId('timeline-entry').filter({ hasText: 'Regarding: — → Account: Harbour Ltd' }).waitFor();

    // The clerk may reassign his own tickets only: a colleague's is offered (the role grants reassigning
    // tickets), and the server's refusal for this one shows in the dialog; nothing changes.
    const lenas = (await lena.client.post('/api/data/ticket', { title: 'Lena\'s ticket' })).body;
    await page.goto(`/e/ticket/${lenas.id}`);
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Lena Berg');
    await page.getByRole('button', { name: 'Reassign' }).click();
    await pickOption(page, 'New owner', 'Ana Lima', 'ana');
    await page.getByRole('dialog').getByRole('button', { name: 'Reassign' }).click();
    await page.getByRole('dialog').getByRole('alert').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await server.get(`/api/data/ticket/${lenas.id}`)).body.owner).toBe(lena.id);
  });

  it('a reader is offered no action its role does not grant: no new, no selection, no inline edit, no reassign', async () => {
    const reader = await server.createUser({ roles: ['reader'], name: 'Rita Reader', email: 'rita@desk.test' });
    const navigation = (await reader.client.get('/api/studio/navigation')).body;
    expect(navigation.access).toEqual({ ticket: ['read'], account: ['read'], contact: ['read'] });
    expect((await carl.client.get('/api/studio/navigation')).body.access).toEqual({ ticket: ['read', 'create', 'update', 'reassign'], account: ['read'], contact: ['read', 'update'] });
    const ticket = (await carl.client.post('/api/data/ticket', { title: 'Read only here' })).body;
    const page = await pageFor(reader);
    await page.goto('/e/ticket');
    await page.locator('tr.ant-table-row').filter({ hasText: 'Read only here' }).waitFor();
    expect(await page.getByRole('button', { name: 'New' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await page.goto('/e/contact');
    await page.locator('tr.ant-table-row').filter({ hasText: 'Bergen' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit City' }).count()).toBe(0);
    await page.goto(`/e/ticket/${ticket.id}`);
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Carl Clerk');
    expect(await page.getByRole('button', { name: 'Reassign' }).count()).toBe(0);
    // The same list for the clerk offers them (the test would pass vacuously if the labels were wrong).
    const clerkPage = await pageFor(carl);
    await clerkPage.goto('/e/ticket');
    await clerkPage.locator('tr.ant-table-row').filter({ hasText: 'Read only here' }).waitFor();
    await clerkPage.getByRole('button', { name: 'New' }).waitFor();
    expect(await clerkPage.getByRole('checkbox').count()).toBeGreaterThan(0);
    await clerkPage.goto('/e/contact');
    await clerkPage.getByRole('button', { name: 'Edit City' }).first().waitFor();
    expect(await clerkPage.getByRole('button', { name: 'New' }).count()).toBe(0);
  });

  it('a lead reassigns the ticket; the header and the timeline name the old and new owner', async () => {
    const ticket = (await carl.client.post('/api/data/ticket', { title: 'Leaking valve', assignee: lena.id, regarding: { entity: 'account', id: accountId } })).body;
    const page = await pageFor(ana);
    await page.goto(`/e/ticket/${ticket.id}`);
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Carl Clerk');
    // Saved references show by name and title.
    await page.locator('.ant-select').filter({ hasText: 'Lena Berg' }).waitFor();
    await page.locator('.ant-select').filter({ hasText: 'Harbour Ltd' }).waitFor();
    await page.getByRole('button', { name: 'Reassign' }).click();
    await pickOption(page, 'New owner', 'Lena Berg', 'berg');
    await page.getByRole('dialog').getByRole('button', { name: 'Reassign' }).click();
    await eventually(async () => (await server.get(`/api/data/ticket/${ticket.id}`)).body.owner).toBe(lena.id);
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Lena Berg');
    await page.getByTestId('timeline-entry').filter({ hasText: 'Owner: Carl Clerk → Lena Berg' }).filter({ hasText: 'by Ana Lima' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'record-people', 'en');
    // In the list, the user field's column reads as names too.
    await page.goto('/e/ticket');
    const row = page.locator('tr.ant-table-row').filter({ hasText: 'Leaking valve' });
    await eventually(() => row.textContent()).toContain('Lena Berg');
    expect(await page.locator('table').textContent()).not.toContain(lena.id);
  });

  for (const [language, width] of [['zh', 1280], ['en', 390], ['zh', 390]] as const) {
    it(`reads in ${language} at ${width} px`, async () => {
      const ticket = (await carl.client.post('/api/data/ticket', { title: `Noisy fan ${language} ${width}`, assignee: ana.id, regarding: { entity: 'account', id: accountId } })).body;
      const page = await pageFor(carl, { language, width });
      await page.goto(`/e/ticket/${ticket.id}`);
      await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Carl Clerk');
      await page.locator('.ant-select').filter({ hasText: 'Ana Lima' }).waitFor();
      if (language === 'zh') await page.getByText('负责人', { exact: false }).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-people', language);
    });
  }
});
