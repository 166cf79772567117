// The admin area's shell: the "Studio" section of the menu and /admin are for administrators only;
// its home lists every designer of admin-sections.ts, each card leading to its page.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { signInContext, closeBrowserSuite } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

describe('studio: the admin area', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let clerk: TestUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    clerk = await server.createUser({ name: 'Cleo Clerk', roles: [] });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const pageAs = async (user: { email: string; password: string }, options: { width?: number; language?: 'en' | 'zh' } = {}) => {
    const context = await newContext(browser, server.url, options);
    contexts.push(context);
    await signInContext(context, user);
    return context.newPage();
  };

  it('an administrator finds the studio in the menu, its home lists the designers, and each card opens its page', async () => {
    const page = await pageAs(server.admin!);
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('menuitem', { name: 'Designers' }).click();
    await page.getByRole('heading', { name: 'Studio', level: 1 }).waitFor();
    const cards = page.getByRole('list', { name: 'Designers' }).getByRole('listitem');
    expect(await cards.count()).toBeGreaterThanOrEqual(3);
    for (const title of ['Templates', 'Change history', 'Move configuration']) {
      await expect.poll(() => page.getByRole('link', { name: new RegExp(title) }).count()).toBeGreaterThan(0);
      await expect.poll(() => nav.getByRole('menuitem', { name: title }).count()).toBe(1);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-home', 'en');
    await page.getByTestId('admin-card-history').click();
    await page.getByRole('heading', { name: 'Change history', level: 1 }).waitFor();
    // The breadcrumb leads back to the studio's home.
    await page.getByRole('link', { name: 'Studio' }).click();
    await page.getByRole('heading', { name: 'Studio', level: 1 }).waitFor();
  });

  it('in Chinese the section is 建模, and on a phone the menu drawer holds it too', async () => {
    const page = await pageAs(server.admin!, { language: 'zh', width: 390 });
    await page.goto('/admin');
    await page.getByRole('heading', { name: '建模', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-home', 'zh');
    await page.getByRole('button', { name: '菜单', exact: true }).click();
    await page.getByRole('dialog').getByRole('menuitem', { name: '模板' }).waitFor();
  });

  it('where the system asks for less motion, the phone menu drawer opens at once and a click sends no wave; otherwise both move', async () => {
    const moved: Record<string, { drawer: number; wave: number }> = {};
    // Both kinds of motion start a frame or more after the click (antd sends the wave from an
    // animation frame and draws it in a later render; a drawer's transition runs once its entering
    // class lands): the moving page is watched until both have started, counting its frames, and
    // the still page is then watched for at least as many frames before it is read, so that its
    // zeros are not read before motion could have begun.
    let framesToMove = 0;
    for (const motion of [true, false]) {
      const context = await newContext(browser, server.url, { width: 390, motion });
      contexts.push(context);
      await signInContext(context, server.admin!);
      const page = await context.newPage();
      await page.goto('/admin');
      await page.getByRole('heading', { name: 'Studio', level: 1 }).waitFor();
      // Counts every animation or transition that starts in the drawer, and each click wave.
      await page.evaluate(() => {
        const seen = { drawer: 0, wave: 0 };
        (window as unknown as { moved: typeof seen }).moved = seen;
        const win = window as unknown as { frames: number };
        win.frames = 0;
        const tick = () => {
          win.frames++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const note = (event: Event) => {
          const target = event.target as Element;
          if (target.closest('.ant-wave')) seen.wave++;
          else if (target.closest('.ant-drawer')) seen.drawer++;
        };
        for (const type of ['animationstart', 'transitionrun']) document.addEventListener(type, note, true);
        new MutationObserver(() => {
          if (document.querySelector('.ant-wave')) seen.wave++;
        }).observe(document.body, { childList: true, subtree: true });
      });
      const read = () => page.evaluate(() => (window as unknown as { moved: { drawer: number; wave: number } }).moved);
      const frames = () => page.evaluate(() => (window as unknown as { frames: number }).frames);
      const framesBefore = await frames();
      await page.getByRole('button', { name: 'Menu', exact: true }).click();
      await page.getByRole('dialog').getByRole('menuitem', { name: 'Templates' }).waitFor();
      if (motion) {
        await eventually(async () => {
          const seen = await read();
          return Math.min(seen.drawer, seen.wave);
        }).toBeGreaterThan(0);
        framesToMove = (await frames()) - framesBefore;
      } else {
        await eventually(async () => (await frames()) - framesBefore).toBeGreaterThan(framesToMove + 2);
      }
      moved[String(motion)] = await read();
    }
    expect(framesToMove).toBeGreaterThan(0);
    expect(moved['true']!.drawer).toBeGreaterThan(0);
    expect(moved['true']!.wave).toBeGreaterThan(0);
    expect(moved['false']).toEqual({ drawer: 0, wave: 0 });
  });

  it('someone who is not an administrator sees no studio in the menu and is refused at /admin', async () => {
    const page = await pageAs(clerk);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.goto('/admin/templates');
    await page.getByText('Only administrators can open the studio.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Designers' }).count()).toBe(0);
    // And the API agrees: the gallery's own request is refused.
    expect((await clerk.client.get('/api/templates')).status).toBe(403);
  });
});
