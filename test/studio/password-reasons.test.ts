// Changing one's password in the studio: a refused new password shows, under the field, why it was
// refused and what to try instead, in the user's language (it showed only "is too easy to guess");
// the field's hint says the rules before the first try. A password clear of them is taken.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const words = {
  en: { current: 'Current password', next: 'New password', change: 'Change password', hint: 'not a common password, your e-mail or its name', refused: (name: string) => `is too easy to guess: it contains your e-mail name "${name}". Try three or four unrelated words, or a longer sentence only you would think of.` },
  zh: { current: '当前密码', next: '新密码', change: '修改密码', hint: '不能是常见密码、你的邮箱或邮箱用户名', refused: (name: string) => `过于容易猜测：它包含你的邮箱用户名“${name}”。可以试试三四个互不相关的词，或一句只有你会想到的较长的话。` },
};

describe('studio: a refused password says why and what to try', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [width, language] of [[1280, 'en'], [390, 'zh'], [390, 'en'], [1280, 'zh']] as const) {
    it(`the reason and a suggestion under the new password (${language}, ${width} px)`, async () => {
      const w = words[language];
      const name = `ada.${language}${width}`;
      const user = await server.createUser({ email: `${name}@shop.test` });
      const page = await signedInPage({ browser, server, user, contexts, options: { width, language } });
      await page.goto('/account/password');
      const next = page.getByLabel(w.next, { exact: true });
      await page.getByText(w.hint).waitFor();
      await page.getByLabel(w.current, { exact: true }).fill(user.password);
      await next.fill(`${name}-summer`);
      await page.getByRole('button', { name: w.change }).click();
      await page.getByText(w.refused(name), { exact: true }).waitFor();
      expect(await next.getAttribute('aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'password-refused', language);
      // Taken once clear of the reasons: the session ends and the new password signs in.
      await next.fill('kettle-orchard-violin');
      await page.getByRole('button', { name: w.change }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/account/password'));
      expect((await server.anonymous.post('/api/auth/login', { email: user.email, password: 'kettle-orchard-violin' })).status).toBe(200);
    });
  }
});
