// A field one form lays out as rich text holds Markdown wherever it is shown: the record page's form
// that chose no widget for it draws it as rich text too (before: its marks, "**Monday**", in a plain
// box), and a list shows its words and does not edit it in place (before: an inline edit of the raw
// Markdown) — the record is where its formatting is edited; its history reads as words. A field no form
// makes rich stays as it was.

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const documents = [
  {
    kind: 'entity', name: 'visitNote', label: { en: 'Visit note', zh: '拜访记录' }, titleField: 'title',
    fields: {
      title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
      body: { type: 'text', label: { en: 'Body', zh: '正文' } },
      summary: { type: 'text', label: { en: 'Summary', zh: '摘要' } },
    },
  },
  // The default form chose no widget for the body; another form lays it out as rich text.
  { kind: 'form', name: 'visitNoteMain', entity: 'visitNote', label: { en: 'Visit note', zh: '拜访记录' }, default: true, sections: { main: { label: { en: 'Note', zh: '记录' }, order: 1, fields: { title: { order: 1 }, body: { order: 2 }, summary: { order: 3 } } } } },
  { kind: 'form', name: 'visitNoteDesk', entity: 'visitNote', label: { en: 'Desk note', zh: '前台记录' }, sections: { main: { label: { en: 'Note', zh: '记录' }, order: 1, fields: { title: { order: 1 }, body: { order: 2, widget: 'richText' } } } } },
  { kind: 'view', name: 'visitNotes', entity: 'visitNote', label: { en: 'Visit notes', zh: '拜访记录' }, type: 'list', columns: { title: { order: 10 }, body: { order: 20 }, summary: { order: 30 } } },
];

describe('studio: a rich text is rich text on every form and list', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let id: string;
  const body = '**Monday** call about _pumps_ and valves';

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', { documents });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const created = await server.post('/api/data/visitNote', { title: 'Acme visit', body, summary: 'pumps' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    id = created.body.id;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [language, width, w] of [
    ['en', 1280, { body: 'Body', summary: 'Summary', editBody: 'Edit Body', editSummary: 'Edit Summary' }],
    ['zh', 390, { body: '正文', summary: '摘要', editBody: '编辑正文', editSummary: '编辑摘要' }],
  ] as const) {
    it(`the default form draws it formatted, and the list shows its words without an inline edit (${language}, ${width} px)`, async () => {
      expect((await server.patch(`/api/data/visitNote/${id}`, { body })).status).toBe(200);
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto(`/e/visitNote/${id}`);
      const editor = page.locator('[contenteditable="true"]').and(page.getByRole('textbox', { name: w.body, exact: true }));
      await editor.waitFor();
      await expect(editor.locator('strong').textContent()).resolves.toBe('Monday');
      await expect(editor.locator('em').textContent()).resolves.toBe('pumps');
      expect(await editor.textContent()).not.toContain('**');
      // The summary, rich on no form, is the plain input it was.
      await expect(page.getByRole('textbox', { name: w.summary, exact: true }).inputValue()).resolves.toBe('pumps');
      // Its history reads as words too.
      const created = page.getByTestId('timeline-entry').and(page.locator('[data-action="create"]'));
      await eventually(() => created.textContent()).toContain('Monday call about pumps and valves');
      expect(await created.textContent()).not.toContain('**');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'rich-text-default-form', language);

      // An edit there is kept as Markdown.
      await editor.click();
      await page.keyboard.press('End');
      await page.keyboard.type(' today');
      await page.getByRole('button', { name: language === 'en' ? 'Save' : '保存' }).click();
      await eventually(async () => (await server.get(`/api/data/visitNote/${id}`)).body.body).toMatch(/^\*\*Monday\*\* call about [_*]pumps[_*] and valves today$/);

      await page.goto('/v/visitNotes');
      const row = page.locator('tr.ant-table-row, .crm-table-cards > li, ul > li[data-record-id]').first();
      await row.waitFor();
      await eventually(() => row.textContent()).toContain('Monday call about pumps and valves today');
      expect(await row.textContent()).not.toContain('**');
      // A desktop table edits cells in place (a phone's cards do not): the summary's cell does, the body's not.
      if (width >= 600) expect(await row.getByRole('button', { name: w.editSummary }).count()).toBe(1);
      expect(await row.getByRole('button', { name: w.editBody }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
