// Acceptance 1: first start — the setup page creates the administrator, sign-out and sign-in, the
// services template installed from the API shows its modules in the navigation in English and,
// after the switch, in Chinese; change password; axe on the pages before and after sign-in.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations, switchLanguage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { captureLog } from '../support/log-capture.ts';

describe('studio: first start', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let setupPath = '';
  const admin = { email: 'owner@studio.test', password: 'first-admin-pw-2026' };

  beforeAll(async () => {
    // The setup link is logged through kernel/log.ts (a JSON line at info level).
    const log = captureLog();
    try {
      server = await startTestServer({ withAdmin: false, env: {} });
      setupPath = new URL(log.text('info').match(/(http:\/\/\S+\/setup\/\S+) /)![1]!).pathname;
    } finally {
      log.restore();
    }
    browser = await launchBrowser();
    // With the studio's animations on, as most users see it (the other suites ask for less motion).
    context = await newContext(browser, server.url, { motion: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the setup page creates the administrator, who is then signed in', async () => {
    expect(setupPath).toMatch(/^\/setup\/\S+$/);
    await page.goto(setupPath);
    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Name').fill('Olga Owner');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    // The server's reason appears next to the password field; nothing was created.
    await eventually(() => page.locator('#password_help, .ant-form-item-explain-error').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/10/)]));
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Welcome, Olga Owner' }).waitFor();
    // The link is dead now.
    expect((await server.anonymous.get(`/api${setupPath}`)).status).toBe(404);
  });

  it('signs out, refuses a wrong password, and signs in again', async () => {
    // The user menu is named for the person (in a CRM, "Account" reads as the customer entity).
    await page.getByRole('button', { name: `User menu: Olga Owner (${admin.email})`, exact: true }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the CRM' }).waitFor();
    await screenshot(page, 'sign-in', 'en');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password' }).waitFor();
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Olga Owner' }).waitFor();
  });

  it('after the services template is installed, the navigation shows its modules in English, then in Chinese', async () => {
    const owner = await server.userClient(admin.email, admin.password);
    const installed = await owner.post('/api/templates/services/install', { sampleData: true, modules: ['clients', 'serviceDesk'] });
    expect(installed.status).toBe(201);
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByText('Service desk', { exact: true }).first().waitFor();
    expect(await nav.getByText('Clients', { exact: true }).count()).toBeGreaterThan(0);
    await eventually(() => nav.getByRole('menuitem').allTextContents()).toEqual(expect.arrayContaining(['Service requests', 'Open requests by deadline']));
    // An entity's entry opens its default list: that view is not listed again under the same label.
    const entries = await nav.getByRole('menuitem').allTextContents();
    expect(entries.filter((e, i) => entries.indexOf(e) !== i)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await switchLanguage(page, 'zh');
    const navZh = page.getByRole('navigation', { name: '主导航' });
    await navZh.getByText('服务台', { exact: true }).first().waitFor();
    await eventually(() => navZh.getByRole('menuitem').allTextContents()).toEqual(expect.arrayContaining(['服务请求', '未结请求（按截止时间）']));
    expect(await navZh.getByText('Service desk', { exact: true }).count()).toBe(0);
    const entriesZh = await navZh.getByRole('menuitem').allTextContents();
    expect(entriesZh.filter((e, i) => entriesZh.indexOf(e) !== i)).toEqual([]);
    await screenshot(page, 'home', 'zh');
    await switchLanguage(page, 'en');
    await nav.getByText('Service desk', { exact: true }).first().waitFor();
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    await page.goto('/account/password');
    await page.getByLabel('Current password').fill(admin.password);
    await page.getByLabel('New password').fill('second-admin-pw-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Sign in to the CRM' }).waitFor();
    expect((await server.anonymous.post('/api/auth/login', admin)).status).toBe(401);
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Password').fill('second-admin-pw-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Olga Owner' }).waitFor();
  });
});
