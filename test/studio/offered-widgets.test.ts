// Every widget the engine accepts for a field type (engine/fields/form-widgets.ts, the one table the
// form check reads) is drawn by the record form as a control of its own and offered by the form
// designer: for each (type, widget) the form places a field with that widget; on a new record the
// field shows the control the widget names (by role and label), no two widgets of one type draw the
// same controls (a "rich text" was offered for a text area and drawn as the plain text area: the
// admin's choice did nothing, until the rich-text editor came), and the designer's widget list for the
// type is the engine's. The pairs come from the engine's table: a widget added to it without a drawing
// fails here.

import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetsFor, typeWidgets } from '../../engine/fields/form-widgets.ts';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const options = { one: { label: { en: 'One', zh: '一' } }, two: { label: { en: 'Two', zh: '二' } } };
/** What each field type needs besides its type. */
const extras: Record<string, Record<string, unknown>> = {
  picklist: { options }, multipicklist: { options }, lookup: { to: 'owBuddy' }, multiLookup: { to: 'owBuddy' }, polymorphicLookup: { to: ['owBuddy'] },
  integer: { min: 0, max: 10 }, number: { min: 0, max: 10 }, formula: { returns: 'text', expression: "'x'" }, rollup: { from: 'owBuddy', via: 'thing', op: 'count' },
};
const fieldName = (type: string, widget: string) => `${type}${widget[0]!.toUpperCase()}${widget.slice(1)}`;
const pairs = Object.entries(typeWidgets).flatMap(([type, widgets]) => widgets.map((widget) => ({ type, widget, name: fieldName(type, widget) })));
const labelOf = (name: string, language: 'en' | 'zh') => (language === 'en' ? `W ${name}` : `控件 ${name}`);
/** The designer's words for each widget, as its i18n file has them. */
const widgetWords = (language: 'en' | 'zh'): Record<string, string> =>
  (JSON.parse(readFileSync(new URL('../../studio/src/admin/forms/forms.i18n.json', import.meta.url), 'utf8')) as Record<string, { formDesigner: { widgets: Record<string, string> } }>)[language]!.formDesigner.widgets;

const fields = Object.fromEntries(pairs.map(({ type, name }) => [name, { type, label: { en: labelOf(name, 'en'), zh: labelOf(name, 'zh') }, ...extras[type] }]));
const metadata = [
  { kind: 'entity', name: 'owBuddy', label: { en: 'Buddy', zh: '伙伴' }, titleField: 'name', fields: { name: { type: 'text', label: { en: 'Name', zh: '名称' } }, thing: { type: 'lookup', to: 'owThing' } } },
  { kind: 'entity', name: 'owThing', label: { en: 'Thing', zh: '物件' }, titleField: 'textInput', fields },
  {
    kind: 'entity', name: 'owSurvey', label: { en: 'Survey', zh: '调查' }, titleField: 'name',
    fields: {
      name: { type: 'text', label: { en: 'Name', zh: '名称' } },
      score: { type: 'integer', label: { en: 'Satisfaction (1–5)', zh: '满意度（1–5）' }, min: 1, max: 5 },
      share: { type: 'integer', label: { en: 'Share', zh: '占比' }, min: 0, max: 100 },
      again: { type: 'boolean', label: { en: 'Would come again', zh: '会再来' } },
      told: { type: 'boolean', label: { en: 'Told a friend', zh: '推荐给朋友' } },
      effort: { type: 'integer', label: { en: 'Effort (0–10)', zh: '费力程度（0–10）' }, min: 0, max: 10 },
      summary: { type: 'textarea', label: { en: 'Summary', zh: '摘要' } },
    },
  },
  {
    kind: 'form', name: 'owSurveyForm', entity: 'owSurvey', label: { en: 'Survey', zh: '调查' }, default: true,
    sections: {
      main: {
        label: { en: 'Survey', zh: '调查' }, order: 1,
        fields: { name: { order: 1 }, score: { order: 2, widget: 'radio' }, share: { order: 3 }, again: { order: 4, widget: 'radio' }, told: { order: 5, widget: 'select' }, effort: { order: 6, widget: 'select' }, summary: { order: 7, widget: 'input' } },
      },
    },
  },
  {
    kind: 'entity', name: 'owNote', label: { en: 'Note', zh: '笔记' }, titleField: 'title',
    fields: { title: { type: 'text', label: { en: 'Title', zh: '标题' } }, body: { type: 'textarea', label: { en: 'Body', zh: '正文' }, maxLength: 2000 }, recap: { type: 'textarea', label: { en: 'Recap', zh: '回顾' } } },
  },
  {
    kind: 'form', name: 'owNoteForm', entity: 'owNote', label: { en: 'Note', zh: '笔记' },
    sections: { main: { label: { en: 'Note', zh: '笔记' }, order: 1, fields: { title: { order: 1 }, body: { order: 2, widget: 'richText' }, recap: { order: 3, widget: 'richText', readOnly: true } } } },
  },
  { kind: 'view', name: 'owNotes', entity: 'owNote', label: { en: 'Notes', zh: '笔记' }, type: 'list', default: true, columns: { title: { order: 10 }, body: { order: 20 } } },
  {
    kind: 'form', name: 'owThingForm', entity: 'owThing', label: { en: 'Thing', zh: '物件' }, default: true,
    sections: { main: { label: { en: 'All widgets', zh: '全部控件' }, order: 1, columns: 2, fields: Object.fromEntries(pairs.map(({ name, widget }, i) => [name, { order: i + 1, widget }])) } },
  },
];

const computedTypes = new Set(['autonumber', 'formula', 'rollup']);

/** The control a widget names, found by role and the field's label. */
function expectedControl(form: Locator, type: string, widget: string, label: string, language: 'en' | 'zh'): Locator {
  const named = { name: label, exact: true };
  // A computed field's value, read-only: an <output> its label names.
  if (computedTypes.has(type)) return form.getByRole('status', named);
  switch (widget) {
    // A number's input is a light text input; a currency's and a percent's, antd's number input with its unit beside it.
    case 'input': return type === 'currency' || type === 'percent' ? form.getByRole('spinbutton', named) : form.locator('input').and(form.getByRole('textbox', named));
    case 'textarea': return form.locator('textarea').and(form.getByRole('textbox', named));
    // The rich-text editor: an editable box its label names, under a toolbar of its formatting.
    case 'richText': return form.locator('[contenteditable="true"]').and(form.getByRole('textbox', named));
    case 'stepper': return form.getByRole('spinbutton', named).locator('xpath=ancestor::*[contains(@class,"ant-input-number-mode-spinner")][1]');
    case 'slider': return form.getByRole('slider', named);
    case 'checkbox': case 'consent': return form.getByRole('checkbox', named);
    case 'toggle': return form.getByRole('switch', named);
    case 'date': case 'datetime': return form.getByRole('textbox', named);
    // A record of one of several entities: its type first, then the record.
    case 'lookup': return type === 'polymorphicLookup' ? form.getByRole('combobox', { name: language === 'en' ? `${label}: record type` : `${label}：记录类型`, exact: true }) : form.getByRole('combobox', named);
    case 'select': return form.getByRole('combobox', named);
    case 'radio': return form.getByRole('radiogroup', named);
    case 'checkboxes': case 'tags': return form.getByRole('group', named).getByRole('checkbox').first();
    case 'address': return form.getByRole('group', named);
    case 'file': return form.getByRole('button', named);
    // A widget with no control of its own: reported missing.
    default: return form.locator('[data-no-such-control]');
  }
}

/** The controls a field draws: each element's role (explicit or by tag), in order, skipping what is hidden from assistive technology. */
function drawnControls(page: Page, label: string): Promise<string> {
  return page.evaluate((text) => {
    const labelled = [...document.querySelectorAll('label, legend')].find((l) => l.textContent?.trim() === text);
    if (!labelled) return 'no label';
    const field = labelled.closest('.ant-form-item, fieldset');
    if (!field) return 'no field';
    const kinds: string[] = [];
    for (const el of field.querySelectorAll('*')) {
      if (el.closest('[aria-hidden="true"]')) continue;
      const role = el.getAttribute('role') ?? (el.tagName === 'INPUT' ? `input:${(el as HTMLInputElement).type}` : ['TEXTAREA', 'SELECT', 'BUTTON', 'FIELDSET'].includes(el.tagName) ? el.tagName.toLowerCase() : undefined);
      const mode = [...el.classList].find((c) => /^ant-[a-z-]+-mode-/.test(c));
      if (role) kinds.push(role);
      if (mode) kinds.push(mode);
    }
    return kinds.join(' ');
  }, label);
}

describe('studio: every widget the form designer offers is drawn by the record form', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`each widget the engine accepts shows its own control on a new record (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      await page.goto('/e/owThing/new');
      const form = page.locator('form').first();
      await expectedControl(form, 'text', 'input', labelOf('textInput', language), language).waitFor();
      const missing: string[] = [];
      const drawn: Record<string, Record<string, string>> = {};
      for (const { type, widget, name } of pairs) {
        const label = labelOf(name, language);
        (drawn[type] ??= {})[widget] = await drawnControls(page, label);
        // A select is a stand-in text input until it is focused (LazyControl.tsx): focused, the real one.
        if (widget === 'select' && type === 'picklist') await form.getByRole('textbox', { name: label, exact: true }).focus();
        if ((await expectedControl(form, type, widget, label, language).count()) === 0) missing.push(`${type}/${widget}`);
      }
      expect(missing).toEqual([]);
      // No two widgets of one type draw the same controls.
      const alike = Object.entries(drawn).flatMap(([type, byWidget]) => {
        const entries = Object.entries(byWidget);
        return entries.flatMap(([a, da], i) => entries.slice(i + 1).filter(([, db]) => db === da).map(([b]) => `${type}: ${a} = ${b} (${da})`));
      });
      expect(alike).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'offered-widgets', language);
    });
  }

  // The engine accepts a radio widget on an integer and the services template lays its survey's 1–5
  // score out so; the record form drew a text box. A boolean's radio and select, an integer's select
  // and a text area's input were accepted and drawn as the default checkbox, text box and text area.
  const survey = {
    en: { name: 'Name', score: 'Satisfaction (1–5)', share: 'Share', again: 'Would come again', told: 'Told a friend', effort: 'Effort (0–10)', summary: 'Summary', yes: 'Yes', no: 'No', create: 'Create', save: 'Save' },
    zh: { name: '名称', score: '满意度（1–5）', share: '占比', again: '会再来', told: '推荐给朋友', effort: '费力程度（0–10）', summary: '摘要', yes: '是', no: '否', create: '创建', save: '保存' },
  };
  for (const [width, language] of [[390, 'en'], [1280, 'zh']] as const) {
    it(`radios and selects of a 1–5 integer, a boolean's Yes / No and a 0–10 integer, a text area's one line, by keyboard (${language}, ${width} px)`, async () => {
      const w = survey[language];
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      await page.goto('/e/owSurvey/new');
      const score = page.getByRole('radiogroup', { name: w.score, exact: true });
      await score.waitFor();
      expect(await score.getByRole('radio').count()).toBe(5);
      expect(await score.locator('label').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
      await page.getByLabel(w.name, { exact: true }).fill(`Survey ${language}`);
      await score.getByRole('radio', { name: '4', exact: true }).focus();
      await page.keyboard.press('Space');
      // A range too wide for radios is typed.
      await page.getByRole('textbox', { name: w.share, exact: true }).fill('40');
      // A boolean's radios: Yes and No, none chosen while it is empty.
      const again = page.getByRole('radiogroup', { name: w.again, exact: true });
      expect(await again.locator('label').allTextContents()).toEqual([w.yes, w.no]);
      expect(await again.getByRole('radio', { checked: true }).count()).toBe(0);
      await again.getByRole('radio', { name: w.no, exact: true }).focus();
      await page.keyboard.press('Space');
      // A boolean's select and an integer's: opened with the arrow keys, chosen with Enter.
      const told = page.getByRole('combobox', { name: w.told, exact: true });
      await told.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const effort = page.getByRole('combobox', { name: w.effort, exact: true });
      await effort.focus();
      await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const selectText = (control: typeof told) => control.locator('xpath=ancestor::div[contains(@class,"ant-select ")][1]').locator('.ant-select-content, .ant-select-selection-item').first().textContent();
      await eventually(() => selectText(told)).toBe(w.yes);
      await eventually(() => selectText(effort)).toBe('7');
      // A text area laid out as an input: one line.
      const summary = page.locator('input').and(page.getByRole('textbox', { name: w.summary, exact: true }));
      await summary.fill('Quick and kind');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'choice-widgets', language);
      await page.getByRole('button', { name: w.create, exact: true }).click();
      await page.waitForURL(/\/e\/owSurvey\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      expect((await server.get(`/api/data/owSurvey/${id}`)).body).toMatchObject({ name: `Survey ${language}`, score: 4, share: 40, again: false, told: true, effort: 7, summary: 'Quick and kind' });

      // The boolean's select cleared is empty again (not No); its radios show the stored No.
      await eventually(() => again.getByRole('radio', { checked: true }).getAttribute('value')).toBe('false');
      await told.locator('xpath=ancestor::div[contains(@class,"ant-select ")][1]').hover();
      await page.locator('.ant-select-clear').first().click();
      await page.getByRole('button', { name: w.save, exact: true }).click();
      await eventually(async () => (await server.get(`/api/data/owSurvey/${id}`)).body.told).toBeUndefined();
    });
  }

  // The designer offers, for each type, the engine's widgets that fit the field: an integer's radio
  // and select only over a small range.
  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`the form designer offers each type's widgets as the engine has them (${language}, ${width} px)`, async () => {
      const words = widgetWords(language);
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      const offered = async (label: string): Promise<string[]> => {
        await page.getByRole('button', { name: language === 'en' ? `Settings of ${label}` : `${label} 的设置`, exact: true }).click();
        await page.locator('#field-widget').click();
        const items = page.locator('.ant-select-dropdown:visible .ant-select-item-option-content');
        // A type offered nothing shows an empty list (reported below as such, not as a wait that timed out).
        await items.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
        const texts = await items.allTextContents();
        await page.keyboard.press('Escape');
        await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
        await page.locator('.ant-drawer-open .ant-drawer-close').click();
        await page.locator('#field-widget').waitFor({ state: 'hidden' });
        return texts;
      };
      await page.goto('/admin/forms/owThingForm');
      const differ: string[] = [];
      for (const [type, widgets] of Object.entries(typeWidgets)) {
        const name = fieldName(type, widgets[0]);
        const expected = widgetsFor(fields[name] as { type: string }).map((w) => words[w] ?? `(no words for ${w})`);
        const got = await offered(labelOf(name, language));
        if (JSON.stringify(got) !== JSON.stringify(expected)) differ.push(`${type}: offered ${got.join(', ')}; the engine's ${expected.join(', ')}`);
      }
      expect(differ).toEqual([]);
      await page.goto('/admin/forms/owSurveyForm');
      expect(await offered(survey[language].share)).toEqual(['input', 'stepper', 'slider'].map((w) => words[w]));
      expect(await offered(survey[language].effort)).toEqual(['input', 'stepper', 'slider', 'radio', 'select'].map((w) => words[w]));
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  // A rich text: formatted by keyboard and toolbar, kept as Markdown (a text the server checks as any
  // other, that lists, search and exports read as words), drawn formatted again; what the text holds
  // that a browser would run (HTML, a javascript: link) is neither drawn nor run, edited or read-only.
  const notes = {
    en: { title: 'Title', body: 'Body', recap: 'Recap', toolbar: 'Formatting of Body', bold: 'Bold', bullets: 'Bulleted list', link: 'Link', address: 'Link address', apply: 'Set link', invalid: 'Enter a web address', create: 'Create', settings: 'Settings of Body', richText: 'Rich text' },
    zh: { title: '标题', body: '正文', recap: '回顾', toolbar: '正文的格式', bold: '加粗', bullets: '项目符号列表', link: '链接', address: '链接地址', apply: '设置链接', invalid: '请输入以 http://', create: '创建', settings: '正文 的设置', richText: '富文本' },
  };
  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`a rich text is written by keyboard and toolbar, kept as Markdown and drawn formatted, never running what it holds (${language}, ${width} px)`, async () => {
      const w = notes[language];
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      // The designer offers it, and shows the one saved.
      await page.goto('/admin/forms/owNoteForm');
      await page.getByRole('button', { name: w.settings, exact: true }).click();
      const select = page.locator('#field-widget').locator('xpath=ancestor::div[contains(@class,"ant-select ")][1]');
      await eventually(() => select.locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toBe(w.richText);
      await page.locator('#field-widget').click();
      await page.getByRole('option', { name: w.richText, exact: true }).waitFor({ state: 'attached' });
      await page.keyboard.press('Escape');

      await page.goto('/e/owNote/new');
      await page.getByRole('textbox', { name: w.title, exact: true }).fill(`Visit ${language}`);
      const body = page.getByRole('textbox', { name: w.body, exact: true });
      const toolbar = page.getByRole('toolbar', { name: w.toolbar, exact: true });
      await body.click();
      await page.keyboard.type('Plan for ');
      await page.keyboard.press('Control+b');
      await page.keyboard.type('Monday');
      expect(await toolbar.getByRole('button', { name: w.bold, exact: true }).getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('Control+b');
      await page.keyboard.type(' at acme');
      await page.keyboard.press('Enter');
      // The toolbar by keyboard: one tab stop before the text (the button last used), the arrows along it.
      expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1);
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(w.bold);
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(w.bullets);
      await page.keyboard.press('Enter');
      await page.keyboard.type('call first');
      await page.keyboard.press('Enter');
      await page.keyboard.type('bring samples');
      // "acme" selected, linked: an address a click would run is refused, a web address taken.
      await body.evaluate((el) => {
        const text = [...el.querySelectorAll('p')].find((p) => p.textContent?.includes('acme'))!;
        const node = [...text.childNodes].find((n) => n.textContent?.includes('acme'))!;
        const range = document.createRange();
        const at = node.textContent!.indexOf('acme');
        range.setStart(node, at);
        range.setEnd(node, at + 4);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
      });
      await toolbar.getByRole('button', { name: w.link, exact: true }).click();
      const address = page.getByRole('textbox', { name: w.address, exact: true });
      await address.fill('javascript:alert(1)');
      await page.keyboard.press('Enter');
      await eventually(() => page.getByRole('alert').filter({ hasText: w.invalid }).count()).toBe(1);
      await address.fill('acme.example.com');
      await page.keyboard.press('Enter');
      await body.locator('a').waitFor();
      expect(await body.locator('a').textContent()).toBe('acme');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'rich-text', language);
      await page.getByRole('button', { name: w.create, exact: true }).click();
      await page.waitForURL(/\/e\/owNote\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      const stored = (await server.get<any>(`/api/data/owNote/${id}`)).body.body as string;
      expect(stored.split('\n').filter((line) => line !== '')).toEqual(['Plan for **Monday** at [acme](https://acme.example.com/)', '- call first', '- bring samples']);
      // A list (a table; cards on a phone) reads it as its words on one line.
      await page.goto('/e/owNote');
      await page.getByText(`Visit ${language}`, { exact: true }).first().waitFor();
      await eventually(() => page.getByText('Plan for Monday at acme call first bring samples', { exact: true }).count()).toBeGreaterThan(0);
      expect(await page.getByText(/\*\*Monday\*\*/).count()).toBe(0);

      // Stored text that holds HTML and a javascript: link: drawn as neither, in the editor and read-only.
      const planted = '**Keep** <img src="x" onerror="window.__ran = 1"> and [click](javascript:window.__ran=2)\nas typed in a text area';
      const note = await server.post<any>('/api/data/owNote', { title: `Planted ${language}`, body: planted, recap: planted });
      expect(note.status, JSON.stringify(note.body)).toBe(201);
      await page.goto(`/e/owNote/${note.body.id}`);
      await eventually(() => body.locator('strong').textContent()).toBe('Keep');
      const recap = page.getByRole('group', { name: w.recap, exact: true });
      await eventually(() => recap.locator('strong').textContent()).toBe('Keep');
      for (const shown of [body, recap]) {
        // A text area's line break stays one.
        expect(await shown.locator('p').first().locator('br').count()).toBe(1);
        expect(await shown.locator('img').count()).toBe(0);
        expect(await shown.locator('a[href^="javascript"]').count()).toBe(0);
      }
      expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined();
      // Left unedited, the stored text is not rewritten.
      expect((await server.get<any>(`/api/data/owNote/${note.body.id}`)).body.body).toBe(planted);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
