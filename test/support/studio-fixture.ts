// What the studio's browser tests share: a server with the services template and its sample data,
// an agent (a non-admin role) in a team, and a way to sign a browser context in through the API
// (the sign-in page has its own test; the session cookie lands in the context's cookie jar).

import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contextLanguage, newContext, type ContextOptions } from './browser.ts';
import { expect } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from './test-server.ts';

export interface StudioFixture {
  server: TestServer;
  agent: TestUser;
  manager: TestUser;
  /** An account created for the test, found by its name in type-ahead search. */
  account: { id: string; name: string };
}

export async function startStudioFixture(options: { modules?: string[]; sampleData?: boolean } = {}): Promise<StudioFixture> {
  const server = await startTestServer();
  const installed = await server.post('/api/templates/services/install', { sampleData: options.sampleData ?? false, modules: options.modules ?? ['clients', 'serviceDesk'] });
  if (installed.status !== 201) throw new Error(`install failed: ${installed.status} ${JSON.stringify(installed.body).slice(0, 500)}`);
  await server.createTeam('desk');
  const agent = await server.createUser({ name: 'Ada Agent', roles: ['agent', 'agentServiceDesk'], teams: ['desk'] });
  const manager = await server.createUser({ name: 'Mia Manager', roles: ['serviceManager', 'serviceManagerServiceDesk'], teams: ['desk'] });
  const account = await server.post('/api/data/account', { name: 'Acme Test Client', clientType: 'business', region: 'east' });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  return { server, agent, manager, account: { id: account.body.id, name: 'Acme Test Client' } };
}

export async function signInContext(context: BrowserContext, user: { email: string; password: string }, language: 'en' | 'zh' = contextLanguage(context)): Promise<void> {
  const res = await context.request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
  if (res.status() !== 200) throw new Error(`browser sign-in failed: ${res.status()}`);
  // Signed in, the studio opens in the user's saved language, which a switch in an earlier test (or
  // another file's context) may have changed: the context's own language (or `language`, for a context
  // not made by newContext) is saved first, as if the user had picked it, so a page opens in the
  // language its context was made in. A page kept across tests sees the last sign-in's language.
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const saved = await context.request.patch('/api/auth/me', { data: { locale: language }, headers: { 'x-csrf-token': csrfToken } });
  if (saved.status() !== 200) throw new Error(`saving the context's language for ${user.email} failed: ${saved.status()}`);
}

/**
 * Saves `language` as the user's own (PATCH /api/auth/me, as the studio's switch does). Signed in,
 * the studio shows the user's saved language over the browser's: a suite whose user switched
 * languages in an earlier test sets the one a later test opens the studio in.
 */
export async function setUserLanguage(user: TestUser, language: 'en' | 'zh'): Promise<void> {
  const res = await user.client.patch('/api/auth/me', { locale: language });
  if (res.status !== 200) throw new Error(`saving the language of ${user.email} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A page signed in as `user` in a fresh context (kept in `contexts`, for the suite to close). */
export async function signedInPage(args: { browser: Browser; server: TestServer; user?: { email: string; password: string }; contexts: BrowserContext[]; options?: ContextOptions }): Promise<Page> {
  const context = await newContext(args.browser, args.server.url, args.options ?? {});
  args.contexts.push(context);
  await signInContext(context, args.user ?? args.server.admin!);
  return context.newPage();
}

/** The import wizard's first step on the page as it is: the entity by its label, the file uploaded; then (`next`) the mapping step. */
export async function chooseImportFile(page: Page, entityLabel: string, file: string, options: { next?: boolean } = {}): Promise<void> {
  await page.locator('#import-entity').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(entityLabel, { exact: true }).click();
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('import-uploaded').waitFor();
  if (options.next === false) return;
  await page.getByTestId('import-next').click();
  await page.getByTestId('import-columns').waitFor();
}

/**
 * Loads a saved mapping in the import wizard and waits until the wizard holds it. The pick closes the
 * list at once and the mapping arrives after; the select shows a mapping's name only once it is the
 * wizard's (its value is the loaded mapping's), so a test reading the page before that read the old one.
 */
export async function loadSavedMapping(page: Page, label: string, mapping: string): Promise<void> {
  await pickOption(page, label, mapping);
  await page.getByTestId('import-load-mapping').filter({ hasText: mapping }).waitFor();
}

/**
 * Picks an option of an antd select found by its label. A click that lands while the dropdown is
 * still animating open can be lost on a slow machine, so the pick is repeated until it shows: a
 * single select closes its dropdown (waited for to the end of its animation), a multiple select
 * marks the option selected. A dropdown that closes before the click lands is opened again.
 */
export async function pickOption(page: Page, label: string | RegExp, option: string, search?: string): Promise<void> {
  const input = page.getByLabel(label, { exact: typeof label === 'string' }).first();
  const openDropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    if (attempt === 1 || (await openDropdown.count()) === 0) await input.click();
    if (search) await input.fill(search);
    const item = openDropdown.locator('.ant-select-item-option').filter({ hasText: option }).first();
    try {
      // Short: a dropdown that closed under the click (a re-render took the focus) is opened again below.
      await item.click({ timeout: 5_000 });
    } catch (e) {
      if (attempt >= 3) throw e;
      continue;
    }
    const multiple = await input.evaluate((el) => el.closest('.ant-select-multiple') !== null);
    const taken = page.waitForFunction(
      ([text, multiple]) => {
        const shown = [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown')].filter((d) => d.offsetParent !== null && getComputedStyle(d).visibility !== 'hidden');
        if (shown.length === 0) return true;
        // A single select has its pick once its dropdown has closed (its closing animation over:
        // until then it lies over whatever the test clicks next, and axe would see its list).
        if (!multiple) return false;
        return shown.some((d) => [...d.querySelectorAll('.ant-select-item-option-selected')].some((o) => o.textContent?.includes(text)));
      },
      [option, multiple] as const,
      { timeout: 5_000 },
    );
    try {
      await taken;
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/** A metadata label as the studio shows it in `language` (a plain string in every language; the name when there is none). */
export function labelIn(label: unknown, language: 'en' | 'zh', fallback: string): string {
  if (typeof label === 'string') return label;
  if (label && typeof label === 'object') {
    const byLanguage = label as Record<string, string | undefined>;
    return byLanguage[language] ?? byLanguage['en'] ?? fallback;
  }
  return fallback;
}

/**
 * Clicks a designer's "Apply the change" and waits until the server holds a newer metadata revision
 * — the state the "Saved as revision" toast reports, which lasts three seconds and can be missed
 * by a test running on a busy machine.
 */
export async function applyAndWaitForRevision(page: Page, server: TestServer, apply = page.getByRole('button', { name: 'Apply the change' })): Promise<void> {
  const newest = async () => ((await server.get('/api/meta/revisions?limit=1')).body.items as { revision: number }[])[0]?.revision ?? 0;
  const before = await newest();
  await apply.click();
  await expect.poll(newest, { timeout: 60_000, interval: 200 }).toBeGreaterThan(before);
}

/** Tears down what a browser suite started: its contexts, the browser, its servers and a work folder. */
export async function closeBrowserSuite(args: { contexts: BrowserContext[]; browser: Browser | undefined; servers: ({ close(): Promise<void> } | undefined)[]; dir?: string }): Promise<void> {
  for (const context of args.contexts) await context.close().catch(() => undefined);
  await args.browser?.close();
  for (const server of args.servers) await server?.close();
  if (args.dir) await rm(args.dir, { recursive: true, force: true });
}
