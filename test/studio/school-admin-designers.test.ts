// An admin modelling a training school in the studio (entity designer, form designer, the review,
// a record form), at 1280 px in English and at 390 px in Chinese:
// - a formula is checked by the server as it is typed, on an entity with no record yet: an empty or
//   unparsable expression is said at the Expression option, and such a field is not kept in the draft;
// - the review says where an issue is by labels (form, section, property), the pointer only after it;
// - the field table shows a picklist's choices by their labels;
// - a percent field's input shows its % sign, described in words to a screen reader;
// - a form field's widget select says which control the form draws when none is chosen.

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, pickOption, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const enrolment = {
  kind: 'entity', name: 'schEnrolment', label: { en: 'Enrolment', zh: '报名' }, titleField: 'student',
  fields: {
    student: { type: 'text', required: true, label: { en: 'Student name', zh: '学员姓名' } },
    fee: { type: 'currency', currency: 'CNY', label: { en: 'Fee', zh: '学费' } },
    discount: { type: 'percent', label: { en: 'Discount', zh: '折扣' } },
    level: {
      type: 'picklist', label: { en: 'Level', zh: '级别' },
      options: {
        beginner: { label: { en: 'Beginner', zh: '初级' } },
        intermediate: { label: { en: 'Intermediate', zh: '中级' } },
        advanced: { label: { en: 'Advanced', zh: '高级' } },
        masterclass: { label: { en: 'Masterclass for instructors', zh: '讲师大师班' } },
      },
    },
  },
};
const enrolmentForm = {
  kind: 'form', name: 'schEnrolmentMain', entity: 'schEnrolment', default: true, label: { en: 'Enrolment form', zh: '报名表' },
  sections: {
    section1: { order: 10, label: { en: 'Student', zh: '学员' }, fields: { student: { order: 10 } } },
    section2: { order: 20, label: { en: 'Course', zh: '课程' }, fields: { level: { order: 10 }, fee: { order: 20 }, discount: { order: 30 } } },
  },
};

const words = {
  en: {
    addField: 'Add field', name: 'Name', type: 'Type', formula: 'Formula', returns: 'Result type', number: 'Number', expression: 'Expression', keep: 'Keep in draft',
    required: 'is required', syntax: 'Unexpected end of expression', choices: 'Beginner, Intermediate, Advanced, Masterclass for instructors',
    removeStudent: 'Take Student name off the form', review: 'Review and save', reviewTitle: 'Review the change before applying',
    place: 'Form “Enrolment form” › section “Student” › Fields', settingsOf: 'Settings of Student name', widget: 'Widget', widgetDefault: 'Default (text box)',
    percent: 'percent',
  },
  zh: {
    addField: '添加字段', name: '名称', type: '类型', formula: '公式', returns: '结果类型', number: '数字', expression: '表达式', keep: '放入草稿',
    required: '必填', syntax: '表达式意外结束', choices: '初级, 中级, 高级, 讲师大师班',
    removeStudent: '将 学员姓名 移出表单', review: '检查并保存', reviewTitle: '应用前检查变更',
    place: '表单 「报名表」 › 分区 「学员」 › 字段', settingsOf: '学员姓名 的设置', widget: '控件', widgetDefault: '默认（文本框）',
    percent: '百分比',
  },
} as const;

/** The Form.Item around a control, by the control's id: its help or error line is in it. */
const itemOf = (page: Page, id: string): Locator => page.locator('.ant-form-item').filter({ has: page.locator(`[id="${id}"]`) });

describe('studio: a training school modelled by its admin', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [enrolment, enrolmentForm]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [server] }));

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    const w = words[language];

    it(`the entity designer checks a formula as it is typed, with no record to compute on, and lists a picklist's choices (${language}, ${width} px)`, async () => {
      expect((await server.get('/api/data/schEnrolment')).body.items).toEqual([]);
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/entities/schEnrolment');
      // The picklist's choices by their labels in the UI language, whole in the text (cut on screen only).
      await eventually(() => page.getByTestId('field-choices-level').textContent()).toBe(w.choices);
      // Cut on one line in the table (its whole text on hover and focus), whole on a phone's card: the table fits either way.
      await expectTablesFit(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'school-entity-fields', language);

      await page.getByRole('button', { name: w.addField }).click();
      await page.getByLabel(w.name, { exact: true }).fill('total');
      await pickOption(page, w.type, w.formula, language === 'en' ? 'form' : '公式');
      const expression = itemOf(page, 'field-opt-expression');
      const keep = page.getByRole('button', { name: w.keep });
      // Empty: said at the option, in the UI language, and the field is not kept.
      await eventually(() => expression.locator('.ant-form-item-explain-error').textContent()).toBe(w.required);
      expect(await keep.isDisabled()).toBe(true);
      await pickOption(page, w.returns, w.number);
      await page.locator('#field-opt-expression').fill('fee *');
      await eventually(async () => (await expression.locator('.ant-form-item-explain-error').allTextContents()).join(' ')).toContain(w.syntax);
      expect(await keep.isDisabled()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'school-formula-check', language);
      await page.locator('#field-opt-expression').fill('fee * 2');
      await eventually(() => expression.locator('.ant-form-item-explain-error').count()).toBe(0);
      await eventually(() => keep.isDisabled()).toBe(false);
    });

    it(`the review names a form's issue by labels; the widget select says its default (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/admin/forms/schEnrolmentMain');
      await page.getByTestId('form-preview').locator('input').first().waitFor();

      await page.getByRole('button', { name: w.settingsOf }).click();
      const widget = itemOf(page, 'field-widget');
      await eventually(() => widget.locator('.ant-select-placeholder').textContent()).toBe(w.widgetDefault);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'school-widget-default', language);
      await page.keyboard.press('Escape');
      await page.locator('.ant-drawer-open').waitFor({ state: 'detached' });

      await page.getByRole('button', { name: w.removeStudent }).click();
      await page.getByRole('button', { name: w.review }).click();
      const dialog = page.getByRole('dialog', { name: w.reviewTitle });
      const place = dialog.getByTestId('issue-place').first();
      await eventually(async () => (await place.locator('strong').textContent())?.replace(/\s+/g, ' ')).toBe(w.place.replace(/\s+/g, ' '));
      expect(await place.getByTestId('issue-pointer').textContent()).toBe('(/sections/section1/fields)');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'school-review-issue-place', language);
    });

    it(`a percent field's input shows its % sign, said in words to a screen reader (${language}, ${width} px)`, async () => {
      const page = await signedInPage({ browser, server, contexts, options: { language, width } });
      await page.goto('/e/schEnrolment/new');
      const input = page.locator('input[id$="discount"]');
      await input.waitFor();
      const item = page.locator('.ant-form-item').filter({ has: input });
      const sign = item.getByTestId('percent-sign').locator('[aria-hidden="true"]');
      expect(await sign.textContent()).toBe('%');
      expect(await sign.isVisible()).toBe(true);
      const described = await input.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
      expect(described).toContain(w.percent);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'school-percent-input', language);
    });
  }
});
