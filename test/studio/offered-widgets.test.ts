// Every widget the form designer offers for a field type is drawn by the record form as a control of
// its own: for each (type, widget) the form places a field with that widget; on a new record the
// field shows the control the widget names (by role and label), and no two widgets offered for one
// type draw the same controls (a "rich text" was offered for a text area and drawn as the plain
// text area: the admin's choice did nothing).

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offeredWidgets } from '../../studio/src/records/offered-widgets.ts';
import { eventually, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, testAdmin, type TestServer } from '../support/test-server.ts';

const options = { one: { label: { en: 'One', zh: '一' } }, two: { label: { en: 'Two', zh: '二' } } };
/** What each field type needs besides its type. */
const extras: Record<string, Record<string, unknown>> = {
  picklist: { options }, multipicklist: { options }, lookup: { to: 'owBuddy' }, integer: { min: 0, max: 10 }, number: { min: 0, max: 10 },
};
const fieldName = (type: string, widget: string) => `${type}${widget[0]!.toUpperCase()}${widget.slice(1)}`;
const pairs = Object.entries(offeredWidgets).flatMap(([type, widgets]) => widgets.map((widget) => ({ type, widget, name: fieldName(type, widget) })));
const labelOf = (name: string, language: 'en' | 'zh') => (language === 'en' ? `W ${name}` : `控件 ${name}`);

const fields = Object.fromEntries(pairs.map(({ type, name }) => [name, { type, label: { en: labelOf(name, 'en'), zh: labelOf(name, 'zh') }, ...extras[type] }]));
const metadata = [
  { kind: 'entity', name: 'owBuddy', label: { en: 'Buddy', zh: '伙伴' }, titleField: 'name', fields: { name: { type: 'text', label: { en: 'Name', zh: '名称' } } } },
  { kind: 'entity', name: 'owThing', label: { en: 'Thing', zh: '物件' }, titleField: 'textInput', fields },
  {
    kind: 'entity', name: 'owSurvey', label: { en: 'Survey', zh: '调查' }, titleField: 'name',
    fields: {
      name: { type: 'text', label: { en: 'Name', zh: '名称' } },
      score: { type: 'integer', label: { en: 'Satisfaction (1–5)', zh: '满意度（1–5）' }, min: 1, max: 5 },
      share: { type: 'integer', label: { en: 'Share', zh: '占比' }, min: 0, max: 100 },
    },
  },
  {
    kind: 'form', name: 'owSurveyForm', entity: 'owSurvey', label: { en: 'Survey', zh: '调查' }, default: true,
    sections: { main: { label: { en: 'Survey', zh: '调查' }, order: 1, fields: { name: { order: 1 }, score: { order: 2, widget: 'radio' }, share: { order: 3, widget: 'radio' } } } },
  },
  { kind: 'entity', name: 'owNote', label: { en: 'Note', zh: '笔记' }, titleField: 'body', fields: { body: { type: 'textarea', label: { en: 'Body', zh: '正文' } } } },
  // Saved before the designer stopped offering it (two templates lay a description out so).
  { kind: 'form', name: 'owNoteForm', entity: 'owNote', label: { en: 'Note', zh: '笔记' }, sections: { main: { label: { en: 'Note', zh: '笔记' }, order: 1, fields: { body: { order: 1, widget: 'richText' } } } } },
  {
    kind: 'form', name: 'owThingForm', entity: 'owThing', label: { en: 'Thing', zh: '物件' }, default: true,
    sections: { main: { label: { en: 'All widgets', zh: '全部控件' }, order: 1, columns: 2, fields: Object.fromEntries(pairs.map(({ name, widget }, i) => [name, { order: i + 1, widget }])) } },
  },
];

/** The control a widget names, found by role and the field's label. */
function expectedControl(form: Locator, type: string, widget: string, label: string): Locator {
  const named = { name: label, exact: true };
  switch (widget) {
    // A number's input is a light text input; a currency's and a percent's, antd's number input with its unit beside it.
    case 'input': return form.getByRole(type === 'currency' || type === 'percent' ? 'spinbutton' : 'textbox', named);
    case 'textarea': return form.locator('textarea').and(form.getByRole('textbox', named));
    case 'stepper': return form.getByRole('spinbutton', named).locator('xpath=ancestor::*[contains(@class,"ant-input-number-mode-spinner")][1]');
    case 'slider': return form.getByRole('slider', named);
    case 'checkbox': case 'consent': return form.getByRole('checkbox', named);
    case 'toggle': return form.getByRole('switch', named);
    case 'date': case 'datetime': return form.getByRole('textbox', named);
    case 'select': case 'lookup': return form.getByRole('combobox', named);
    case 'radio': return form.getByRole('radiogroup', named);
    case 'checkboxes': case 'tags': return form.getByRole('group', named).getByRole('checkbox').first();
    case 'address': return form.getByRole('group', named);
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
    it(`each offered widget shows its own control on a new record (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      await page.goto('/e/owThing/new');
      const form = page.locator('form').first();
      await expectedControl(form, 'text', 'input', labelOf('textInput', language)).waitFor();
      const missing: string[] = [];
      const drawn: Record<string, Record<string, string>> = {};
      for (const { type, widget, name } of pairs) {
        const label = labelOf(name, language);
        (drawn[type] ??= {})[widget] = await drawnControls(page, label);
        // A select is a stand-in text input until it is focused (LazyControl.tsx): focused, the real one.
        if (widget === 'select' && type === 'picklist') await form.getByRole('textbox', { name: label, exact: true }).focus();
        if ((await expectedControl(form, type, widget, label).count()) === 0) missing.push(`${type}/${widget}`);
      }
      expect(missing).toEqual([]);
      // No two widgets offered for one type draw the same controls.
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
  // score out so; the record form drew a text box. A range too wide for radios is still typed.
  for (const [width, language] of [[390, 'en'], [1280, 'zh']] as const) {
    it(`an integer from 1 to 5 laid out as radios is a radio group of its numbers; 0–100 is typed (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      await page.goto('/e/owSurvey/new');
      const score = page.getByRole('radiogroup', { name: language === 'en' ? 'Satisfaction (1–5)' : '满意度（1–5）', exact: true });
      await score.waitFor();
      expect(await score.getByRole('radio').count()).toBe(5);
      expect(await score.locator('label').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
      await page.getByLabel(language === 'en' ? 'Name' : '名称', { exact: true }).fill(`Survey ${language}`);
      await score.getByRole('radio', { name: '4', exact: true }).focus();
      await page.keyboard.press('Space');
      await page.getByRole('textbox', { name: language === 'en' ? 'Share' : '占比', exact: true }).fill('40');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'integer-radio', language);
      await page.getByRole('button', { name: language === 'en' ? 'Create' : '创建', exact: true }).click();
      await page.waitForURL(/\/e\/owSurvey\/[0-9A-Z]{26}$/);
      const stored = (await server.get(`/api/data/owSurvey/${page.url().split('/').pop()!}`)).body;
      expect(stored).toMatchObject({ name: `Survey ${language}`, score: 4, share: 40 });
    });
  }

  for (const [width, language] of [[1280, 'en'], [390, 'zh']] as const) {
    it(`the designer shows a saved widget it no longer offers, by its name, and does not offer it again (${language}, ${width} px)`, async () => {
      const w = language === 'en' ? { settings: 'Settings of Body', textarea: 'Text area', richText: 'Rich text' } : { settings: '正文 的设置', textarea: '多行文本', richText: '富文本' };
      const page = await signedInPage({ browser, server, user: testAdmin, contexts, options: { width, language } });
      await page.goto('/admin/forms/owNoteForm');
      await page.getByRole('button', { name: w.settings, exact: true }).click();
      const select = page.locator('#field-widget').locator('xpath=ancestor::div[contains(@class,"ant-select ")][1]');
      await eventually(() => select.locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toBe(w.richText);
      await page.locator('#field-widget').click();
      const option = (name: string) => page.getByRole('option', { name, exact: true });
      await option(w.textarea).waitFor({ state: 'attached' });
      expect(await option(w.richText).count()).toBe(0);
      // antd greys an open select's value while its list is open: axe checks the page with the list closed.
      await page.keyboard.press('Escape');
      await option(w.textarea).waitFor({ state: 'hidden' });
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'designer-saved-widget', language);
    });
  }
});
