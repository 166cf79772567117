// A menuGroup of white space alone, stored before the server refused it: the studio's menu has no
// group without a name (the entity sits under "Other"), and the entity's designer shows it as no
// group and saves the entity without it — the save is not refused for a group the admin cannot see.
// Axe and screenshots at 1280 px (en) and 390 px (zh).

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { overwriteStoredEntities } from '../support/stored-metadata.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const course = { kind: 'entity', name: 'mbCourse', label: { en: 'Course', zh: '课程' }, titleField: 'title', menuGroup: 'Placeholder', fields: { title: { type: 'text', label: { en: 'Title', zh: '标题' } } } };

const words = {
  en: { settings: /^Labels and title/, picker: 'Menu group', none: 'Other (no group)', save: 'Review and save', review: 'Review the change before applying', valid: 'The change is valid', apply: /^Apply$/, other: 'Other' },
  zh: { settings: /^标签与标题/, picker: '菜单分组', none: '其他（不分组）', save: '检查并保存', review: '应用前检查变更', valid: '变更有效', apply: /^应\s*用$/, other: '其他' },
} as const;

describe('studio: a blank menu group from older data', { timeout: 240_000 }, () => {
  let dataDir = '';
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-menu-group-blank-'));
    const first = await startTestServer({ dataDir });
    const applied = await first.post('/api/meta/apply', [course]);
    if (applied.status !== 200) throw new Error(`apply: ${applied.status} ${JSON.stringify(applied.body)}`);
    await overwriteStoredEntities(first, { mbCourse: { menuGroup: { en: '  ', zh: '\u3000' } } });
    await first.close();
    server = await startTestServer({ dataDir });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await closeBrowserSuite({ contexts, browser, servers: [server] });
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const [language, width] of [['zh', 390], ['en', 1280]] as const) {
    it(`the menu has no nameless group and the designer reads the blank one as none (${language}, ${width} px)`, async () => {
      const w = words[language];
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/entities/mbCourse');
      await page.locator('label.ant-radio-button-wrapper').filter({ hasText: w.settings }).click();
      const picker = page.locator('.ant-form-item').filter({ has: page.locator('#entity-menu-group') });
      // It read "New group…" with two blank inputs under it.
      await eventually(() => picker.locator('.ant-select-content, .ant-select-selection-item').first().innerText()).toBe(w.none);
      expect(await page.locator('#entity-menu-group-new-en').count()).toBe(0);
      // The menu's groups all have a name; the course is under "Other".
      const groups = (await server.get('/api/studio/navigation')).body.groups as { key: string; label: unknown; entities: string[] }[];
      expect(groups.find((g) => g.entities.includes('mbCourse'))?.key).toBe('other');
      if (width >= 600) {
        const nav = page.getByRole('navigation', { name: 'Main navigation' });
        await nav.getByRole('menuitem', { name: 'Course' }).waitFor();
        const titles = await nav.locator('.ant-menu-item-group-title').allInnerTexts();
        expect(titles.filter((title) => title.trim() === '')).toEqual([]);
        expect(titles).toContain(w.other);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'entity-menu-group-blank', language);
      if (language !== 'en') return;
      // Saved with another change, the entity goes without the blank group (the server would refuse it).
      await page.locator('#entity-label-en').fill('Courses');
      await page.getByRole('button', { name: w.save }).click();
      const review = page.getByRole('dialog', { name: w.review });
      await review.getByText(w.valid).waitFor();
      await review.getByRole('button', { name: w.apply }).click();
      await review.waitFor({ state: 'hidden' });
      const saved = (await server.get('/api/meta/entities/mbCourse')).body;
      expect(saved.label).toEqual({ en: 'Courses', zh: '课程' });
      expect(saved).not.toHaveProperty('menuGroup');
    });
  }
});
