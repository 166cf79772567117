// A many-to-many field in the studio's record form: its links are chosen by searching the target's
// records (several at once), shown by title; a link saved with an attribute (a member's role) keeps
// it when another link is added in the form, the new link gets its own attribute in the link's row, and the timeline counts the links; a new record is
// created with two links. Axe-clean.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

describe('studio: many-to-many links in the record form', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [
      { kind: 'entity', name: 'person', label: { en: 'Person', zh: '人员' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } } } },
      {
        kind: 'entity', name: 'venture', label: { en: 'Venture', zh: '项目' }, titleField: 'title',
        fields: {
          title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
          members: { type: 'multiLookup', to: 'person', label: { en: 'Members', zh: '成员' }, linkFields: { role: { type: 'picklist', options: { lead: { label: 'Lead' }, helper: { label: 'Helper' } } } } },
        },
      },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    for (const name of ['Alma Quist', 'Bruno Vale', 'Chiara Noor']) people[name] = (await server.post('/api/data/person', { name })).body.id;
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    await signInContext(context, testAdmin);
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const pick = async (name: string) => {
    const box = page.getByRole('combobox', { name: 'Members', exact: true });
    await box.click();
    await box.pressSequentially(name.slice(0, 4));
    await page.locator('.ant-select-dropdown:visible').getByText(name, { exact: true }).click();
  };

  it('adds a link beside one that carries a role, keeping the role, and creates a record with two links', async () => {
    const created = await server.post('/api/data/venture', { title: 'Harbour', members: [{ id: people['Alma Quist'], role: 'lead' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.goto(`/e/venture/${created.body.id}`);
    // The saved link is shown by its title, not its id.
    await page.locator('.ant-select-selection-item').filter({ hasText: 'Alma Quist' }).waitFor();
    await pick('Bruno Vale');
    await page.keyboard.press('Escape');
    // Each link's attributes in a row of its own: Alma's role shows, Bruno gets one.
    await eventually(() => page.getByLabel('role of Alma Quist', { exact: true }).locator('xpath=ancestor::*[contains(@class,"ant-select")][1]').textContent()).toContain('Lead');
    await pickOption(page, 'role of Bruno Vale', 'Helper');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'record-many-to-many', 'en');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await server.get(`/api/data/venture/${created.body.id}`)).body.members).toEqual([{ id: people['Alma Quist'], role: 'lead' }, { id: people['Bruno Vale'], role: 'helper' }]);
    // The timeline says how many records are linked, not their ids.
    await page.getByText('Members: 1 linked record → 2 linked records').waitFor();

    await page.goto('/e/venture/new');
    await page.getByLabel('Title').fill('Lighthouse');
    await pick('Chiara Noor');
    await pick('Alma Quist');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/e\/venture\/[0-9A-Z]{26}$/);
    const stored = (await server.get(`/api/data/venture/${page.url().split('/').pop()}`)).body;
    expect(stored.members.map((m: { id: string }) => m.id)).toEqual([people['Chiara Noor'], people['Alma Quist']]);
  });
});
