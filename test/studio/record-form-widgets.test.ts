// The record form draws what the form designer saved and what the record will get:
// - a toggle, a slider, a stepper and tags (the designer offers them; the form drew the default
//   input), each named by its label and worked by keyboard;
// - radio and checkbox groups named by their field's label (the group had no name);
// - a new record's read-only fields: the workflow's initial state, "Set when created" for an
//   autonumber (both showed empty);
// - a consent given through the form is stamped by the server's clock, not the browser's;
// - a list cell cut by an ellipsis shows its whole value on hover and on keyboard focus (it had no
//   title and could not be reached), the table still fitting;
// - Ctrl-K finds a record by the fields its list searches (it looked in titles only).
// The server's clock is a manual one in March 2026; the browser's is the real one.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const t = (en: string, zh: string) => ({ en, zh });
const metadata = [
  {
    kind: 'entity', name: 'member', label: t('Member', '会员'), titleField: 'name',
    fields: {
      name: { type: 'text', required: true, label: t('Name', '姓名') },
      number: { type: 'autonumber', label: t('Member no.', '会员编号'), prefix: 'M-', digits: 4 },
      stage: { type: 'picklist', label: t('Stage', '阶段'), options: { applied: { label: t('Applied', '已申请'), color: '#1677ff' }, active: { label: t('Active', '有效') } } },
      newsletter: { type: 'boolean', label: t('Newsletter', '订阅简报') },
      score: { type: 'integer', label: t('Satisfaction', '满意度'), min: 0, max: 10 },
      seats: { type: 'integer', label: t('Seats', '席位'), min: 0 },
      interests: { type: 'multipicklist', label: t('Interests', '兴趣'), options: { sports: { label: t('Sports', '运动') }, music: { label: t('Music', '音乐') }, travel: { label: t('Travel', '旅行') }, crafts: { label: t('Woodwork and pottery', '木工与陶艺') } } },
      channels: { type: 'multipicklist', label: t('Channels', '联系渠道'), options: { email: { label: t('Email', '邮件') }, phone: { label: t('Phone', '电话') } } },
      tier: { type: 'picklist', label: t('Tier', '等级'), options: { basic: { label: t('Basic', '基础') }, gold: { label: t('Gold', '黄金') } } },
      marketing: { type: 'consent', label: t('Marketing consent', '营销同意') },
      notes: { type: 'text', label: t('Notes', '备注'), maxLength: 500 },
    },
  },
  {
    kind: 'form', name: 'memberForm', entity: 'member', label: t('Member', '会员'), default: true,
    sections: {
      main: {
        label: t('Member', '会员'), order: 1, columns: 2,
        fields: {
          name: { order: 1 }, number: { order: 2 }, stage: { order: 3, readOnly: true }, newsletter: { order: 4, widget: 'toggle' },
          score: { order: 5, widget: 'slider' }, seats: { order: 6, widget: 'stepper' }, interests: { order: 7, widget: 'tags', span: 2 },
          channels: { order: 8, widget: 'checkboxes' }, tier: { order: 9, widget: 'radio' }, marketing: { order: 10, widget: 'consent' }, notes: { order: 11, span: 2 },
        },
      },
    },
  },
  {
    kind: 'workflow', name: 'membership', entity: 'member', field: 'stage', label: t('Membership', '会籍'),
    states: { applied: { label: t('Applied', '已申请'), initial: true }, active: { label: t('Active', '有效') } },
    transitions: { approve: { label: t('Approve', '批准'), from: 'applied', to: 'active' } },
  },
  { kind: 'view', name: 'members', entity: 'member', label: t('Members', '会员'), type: 'list', default: true, columns: { name: { order: 1 }, notes: { order: 2, width: 160 }, interests: { order: 3, width: 140 }, tier: { order: 4 } } },
];

const words = {
  en: { name: 'Name', number: 'Member no.', stage: 'Stage', applied: 'Applied', newsletter: 'Newsletter', score: 'Satisfaction', seats: 'Seats', interests: 'Interests', sports: 'Sports', travel: 'Travel', channels: 'Channels', email: 'Email', tier: 'Tier', gold: 'Gold', marketing: 'Marketing consent', setWhenCreated: 'Set when created', givenOnSave: 'Given when you save', given: 'Given', create: 'Create', increase: 'Increase value' },
  zh: { name: '姓名', number: '会员编号', stage: '阶段', applied: '已申请', newsletter: '订阅简报', score: '满意度', seats: '席位', interests: '兴趣', sports: '运动', travel: '旅行', channels: '联系渠道', email: '邮件', tier: '等级', gold: '黄金', marketing: '营销同意', setWhenCreated: '创建时设置', givenOnSave: '保存时同意', given: '同意', create: '创建', increase: '增大数值' },
};

describe('studio: the record form draws the designer\'s widgets, named groups, a new record\'s read-only values, the server\'s consent time and whole list values', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const open = (width: number, language: 'en' | 'zh'): Promise<Page> => signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [width, language] of [[1280, 'en'], [390, 'zh'], [390, 'en'], [1280, 'zh']] as const) {
    it(`a new member: toggle, slider, stepper, tags and named groups by keyboard; the initial stage shown; the consent stamped by the server (${language}, ${width} px)`, async () => {
      const w = words[language];
      const page = await open(width, language);
      await page.goto('/e/member/new');
      await page.getByLabel(w.name, { exact: true }).fill(`Lin ${language} ${width}`);

      // Read-only on a new record: the stage it will start in, and the number it will get.
      const stage = page.getByRole('combobox', { name: w.stage, exact: true }).locator('xpath=ancestor::div[contains(@class,"ant-select ")][1]');
      await eventually(() => stage.textContent()).toBe(w.applied);
      await eventually(() => page.locator('output#f_main_number').textContent()).toBe(w.setWhenCreated);

      // The groups are named by their fields' labels.
      const tier = page.getByRole('radiogroup', { name: w.tier, exact: true });
      const channels = page.getByRole('group', { name: w.channels, exact: true });
      const interests = page.getByRole('group', { name: w.interests, exact: true });
      await tier.getByRole('radio', { name: w.gold, exact: true }).focus();
      await page.keyboard.press('Space');
      await channels.getByRole('checkbox', { name: w.email, exact: true }).focus();
      await page.keyboard.press('Space');
      // Tags: each a checkbox (Space ticks it).
      await interests.getByRole('checkbox', { name: w.sports, exact: true }).focus();
      await page.keyboard.press('Space');
      await interests.getByRole('checkbox', { name: w.travel, exact: true }).focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Space');
      expect(await interests.getByRole('checkbox', { checked: true }).count()).toBe(1);

      // The toggle is a switch, the slider a slider, the stepper a spin button with − and +.
      const toggle = page.getByRole('switch', { name: w.newsletter, exact: true });
      await toggle.focus();
      await page.keyboard.press('Space');
      await eventually(() => toggle.getAttribute('aria-checked')).toBe('true');
      const slider = page.getByRole('slider', { name: w.score, exact: true });
      await slider.focus();
      for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
      await eventually(() => slider.getAttribute('aria-valuenow')).toBe('7');
      const seats = page.getByRole('spinbutton', { name: w.seats, exact: true });
      await seats.focus();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.locator('.ant-input-number-mode-spinner').getByRole('button', { name: w.increase }).click();
      await eventually(() => seats.inputValue()).toBe('3');

      // The consent, ticked: its time is the server's to stamp, said as pending until saved.
      const consent = page.getByRole('checkbox', { name: w.marketing });
      await consent.check();
      await page.getByText(w.givenOnSave).waitFor();

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-form-widgets', language);

      await page.getByRole('button', { name: w.create, exact: true }).click();
      await page.waitForURL(/\/e\/member\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      const stored = (await server.get(`/api/data/member/${id}`)).body;
      expect(stored).toMatchObject({ stage: 'applied', newsletter: true, score: 7, seats: 3, interests: ['sports'], channels: ['email'], tier: 'gold', number: expect.stringMatching(/^M-\d{4}$/) });
      // The server's clock (March 2026), never the browser's.
      expect(stored.marketing).toEqual({ givenAt: server.clock.now().toISOString() });
      await page.getByRole('checkbox', { name: w.marketing }).waitFor();
      const shownTime = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', { year: 'numeric' }).format(server.clock.now());
      // The stored time shown once the saved record is drawn (the zh pending text "保存时同意…" holds "同意" too).
      await eventually(() => page.locator('[id$="__state"]').textContent()).toContain(shownTime.replace(/\D/g, ''));
      expect(await page.locator('[id$="__state"]').textContent()).toContain(w.given);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('a consent given through the API keeps the time it was given; through a form, a new giving takes the server\'s time', async () => {
    const paper = await server.post('/api/data/member', { name: 'Paper form', marketing: { givenAt: '2025-12-24T08:00:00.000Z', source: 'paper' } });
    expect(paper.status).toBe(201);
    expect(paper.body.marketing).toEqual({ givenAt: '2025-12-24T08:00:00.000Z', source: 'paper' });
    const viaForm = await server.post('/api/data/member?form=memberForm', { name: 'Via form', marketing: { givenAt: '2030-01-01T00:00:00.000Z' } });
    expect(viaForm.status, JSON.stringify(viaForm.body)).toBe(201);
    expect(viaForm.body.marketing).toEqual({ givenAt: server.clock.now().toISOString() });
    // Withdrawn through the form: the time given stays, the withdrawal is the server's.
    const withdrawn = await server.patch(`/api/data/member/${paper.body.id}?form=memberForm`, { marketing: { withdrawnAt: '2031-01-01T00:00:00.000Z' } }, { 'if-match': `"${paper.body.version}"` });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.marketing).toEqual({ givenAt: '2025-12-24T08:00:00.000Z', source: 'paper', withdrawnAt: server.clock.now().toISOString() });
  });

  for (const language of ['en', 'zh'] as const) {
    it(`a list cell cut by its ellipsis shows its whole value on hover and on keyboard focus; the table fits (${language}, 1280 px)`, async () => {
      const long = `Prefers calls after six; renewal discussed at the spring fair, wants the family plan ${language}`;
      const created = await server.post('/api/data/member', { name: `Long note ${language}`, notes: long, tier: 'basic', interests: ['crafts', 'music', 'travel'] });
      expect(created.status).toBe(201);
      expect((await server.post('/api/data/member', { name: `Short interests ${language}`, interests: ['music'] })).status).toBe(201);
      const page = await open(1280, language);
      await page.goto('/e/member');
      const row = page.locator('tr.ant-table-row').filter({ hasText: `Long note ${language}` });
      await row.waitFor();
      const cut = row.locator('[data-full-value="cut"]');
      await eventually(() => cut.count()).toBe(2);
      // Tags, cut: the value itself is in the Tab order, and focused shows the whole of it.
      const tags = row.locator('td').nth(3).locator('[data-full-value="cut"]');
      expect(await tags.evaluate((el) => el.tabIndex)).toBe(0);
      // Cut tags end in a drawn "…" (the browser draws no ellipsis after a box), inside the cell, after the tags' clip.
      const mark = tags.locator('[data-cut-mark]');
      expect(await mark.textContent()).toBe('…');
      const placed = await tags.evaluate((el) => {
        const cell = el.closest('td')!.getBoundingClientRect();
        const clip = el.firstElementChild!.getBoundingClientRect();
        const drawn = el.querySelector('[data-cut-mark]')!.getBoundingClientRect();
        return { visible: drawn.width > 0, inCell: drawn.left >= cell.left && drawn.right <= cell.right, afterClip: drawn.left >= clip.right - 1 };
      });
      expect(placed).toEqual({ visible: true, inCell: true, afterClip: true });
      // Tags that fit have none.
      const fits = page.locator('tr.ant-table-row').filter({ hasText: `Short interests ${language}` });
      await fits.locator('.ant-tag').first().waitFor();
      expect(await fits.locator('[data-cut-mark]').count()).toBe(0);
      await tags.focus();
      const whole = language === 'en' ? 'Woodwork and pottery, Music, Travel' : '木工与陶艺, 音乐, 旅行';
      await page.getByRole('tooltip').filter({ hasText: whole }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // An editable note, cut: its edit button (already a tab stop) shows the whole note when focused.
      const note = row.getByRole('button', { name: language === 'en' ? 'Edit Notes' : /备注/ });
      await note.focus();
      const tooltip = page.getByRole('tooltip').filter({ hasText: long });
      await tooltip.waitFor();
      await screenshot(page, 'list-cell-full-value', language);
      await page.keyboard.press('Tab');
      await tooltip.waitFor({ state: 'hidden' });
      // By pointer.
      await note.hover();
      await tooltip.waitFor();
      // A value that fits is no tab stop and shows no tooltip.
      expect(await row.locator('[tabindex="0"]:not([role])').count()).toBe(1);
      await page.mouse.move(0, 0);
      await expectTablesFit(page);
    });
  }

  it('on a phone the list\'s cards show the whole value and the page does not scroll sideways (zh, 390 px)', async () => {
    const created = await server.post('/api/data/member', { name: 'Long note phone', notes: 'Prefers calls after six; renewal discussed at the spring fair, wants the family plan on a phone', interests: ['crafts', 'music'] });
    expect(created.status).toBe(201);
    const page = await open(390, 'zh');
    await page.goto('/e/member');
    await page.locator('li[data-record-id]').filter({ hasText: 'Long note phone' }).getByText(/family plan on a phone/).waitFor();
    // Every card whole (the record cards count: nothing cut or clipped, no control past its card).
    await expectTablesFit(page);
    // A field a record leaves empty draws no line on its card (no "Notes" over nothing), as the other tables' cards leave it out.
    const shown = (line: Element) => getComputedStyle(line).display !== 'none';
    const emptyShown = await page.locator('li[data-record-id] dl > div').evaluateAll((lines) => lines.filter((line) => getComputedStyle(line).display !== 'none' && line.querySelector('dd')!.childNodes.length === 0).map((line) => line.getAttribute('data-column')));
    expect(emptyShown).toEqual([]);
    expect(await page.locator('li[data-record-id]').filter({ hasText: 'Long note phone' }).locator('dl > div[data-column="notes"]').evaluate(shown)).toBe(true);
    await screenshot(page, 'list-cell-full-value', 'zh');
    expect(await seriousViolations(page)).toEqual([]);
  });

  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`Ctrl-K finds a member by the text of a field its list searches, and says where it was found (${language}, ${width} px)`, async () => {
      const created = await server.post('/api/data/member', { name: `Quiet one ${language}`, notes: `Met at the harbour regatta ${language}; call in May` });
      expect(created.status).toBe(201);
      const page = await open(width, language);
      await page.goto('/e/member');
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.keyboard.press('Control+k');
      const box = page.getByRole('combobox', { name: language === 'en' ? 'Search records' : '搜索记录' });
      await box.fill(`harbour regatta ${language}`);
      const hit = page.getByRole('option').filter({ hasText: `Quiet one ${language}` });
      await hit.waitFor();
      expect(await hit.textContent()).toContain(language === 'en' ? `Notes: Met at the harbour regatta ${language}` : `备注：Met at the harbour regatta ${language}`);
      // Still by title, without naming a field.
      await box.fill(`Quiet one ${language}`);
      await eventually(() => page.getByRole('option').filter({ hasText: `Quiet one ${language}` }).textContent()).not.toContain(language === 'en' ? 'Notes:' : '备注：');
      await box.fill(`harbour regatta ${language}`);
      await hit.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'search-by-list-fields', language);
      await box.press('Enter');
      await page.waitForURL(`**/e/member/${created.body.id}`);
    });
  }
});
