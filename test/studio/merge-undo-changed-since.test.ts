// The merge dialog's Undo, in chromium against a real server, when someone re-pointed a child since
// the merge: the undo puts the rest back and says how many linked records it left as they are now,
// in English and Chinese (the server's `changedSince`, test/quality/merge-undo-references.test.ts),
// and which: each by its title, linked, and its entity's label.
// The child keeps the record it was pointed at. Axe-clean; screenshots at 1280 and 390 px.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const member = {
  kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, pluralLabel: { en: 'Members', zh: '会员' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } } },
  duplicateRules: { sameName: { match: ['name'], method: 'normalized', label: { en: 'Same name', zh: '姓名相同' } } },
};
const booking = {
  kind: 'entity', name: 'booking', label: { en: 'Booking', zh: '预订' }, pluralLabel: { en: 'Bookings', zh: '预订' }, titleField: 'code',
  fields: { code: { type: 'text', required: true }, member: { type: 'lookup', to: 'member' } },
};

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [member, booking]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  browser = await launchBrowser();
}, 120_000);
afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

async function create(entity: string, values: Record<string, unknown>): Promise<any> {
  const res = await server.post<any>(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function openPage(width: number, language: 'en' | 'zh'): Promise<Page> {
  const context = await newContext(browser, server.url, { width, language });
  contexts.push(context);
  await signInContext(context, server.admin!);
  return context.newPage();
}

describe('undoing a merge in the studio', () => {
  for (const [width, language, said] of [[1280, 'en', '1 linked record was changed since the merge'], [390, 'zh', '1 条关联记录在合并后已被修改']] as const) {
    it(`says which linked records it left as they are (${language}, ${width} px)`, { timeout: 120_000 }, async () => {
      const name = `Member ${language}`;
      const keep = await create('member', { name });
      const twin = await create('member', { name: name.toUpperCase() });
      const other = await create('member', { name: `Other ${language}` });
      const moved = await create('booking', { code: `B-${language}-1`, member: twin.id });
      const stays = await create('booking', { code: `B-${language}-2`, member: twin.id });

      const page = await openPage(width, language);
      await page.goto(`/data-quality/member/duplicates?record=${keep.id}`);
      await page.locator(`[data-testid="duplicate-cluster"][data-ids*="${twin.id}"]`).getByTestId('duplicate-merge').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('merge-confirm').click();
      await dialog.getByTestId('merge-undo').waitFor();
      // The dialog keeps the older record: the bookings now point at it.
      expect((await server.get<any>(`/api/data/booking/${moved.id}`)).body.member).toBe(keep.id);
      const current = await server.get<any>(`/api/data/booking/${moved.id}`);
      expect((await server.patch(`/api/data/booking/${moved.id}`, { member: other.id }, { 'if-match': current.headers.get('etag')! })).status).toBe(200);

      await dialog.getByTestId('merge-undo').click();
      const undone = dialog.getByTestId('merge-undone');
      await undone.waitFor();
      expect(await undone.textContent()).toContain(said);
      // Which one: the booking by its title, linked to it, and its entity's label — not its id.
      const listed = undone.getByRole('listitem');
      expect(await listed.getByRole('link').getAttribute('href')).toBe(`/e/booking/${moved.id}`);
      expect(await listed.textContent()).toBe(language === 'en' ? `B-en-1 (Booking)` : `B-zh-1（预订）`);
      expect((await server.get<any>(`/api/data/booking/${moved.id}`)).body.member).toBe(other.id);
      expect((await server.get<any>(`/api/data/booking/${stays.id}`)).body.member).toBe(twin.id);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'merge-undo-changed-since', language);
    });
  }
});
