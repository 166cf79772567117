// Issue 12, acceptance 2 and 6, in a real browser against a real server with the services template
// and its sample data: in the entity designer the admin adds a picklist field and a rule, the live
// check counts the records the rule would refuse (equal to the API's dry run), saving applies; in the
// form designer the field is dragged into a section, made visible only when another field has a
// value, and the live preview (the record page's @rjsf form) shows it appear and disappear, in both
// languages. Then a text field's type change to a picklist shows its preview counts and, applied,
// converts the records. axe on every designer page; screenshots at 1280 and 390 px, en and zh.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clicksReachThePage, eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { labelIn, pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const ruleWhen = "clientType = 'business' and $not($exists(website))";

/** Drags an item by its handle onto a drop area with small mouse moves (what dnd-kit's pointer sensor follows). */
async function dragInto(page: Page, handleName: string, dropTestId: string): Promise<void> {
  const handle = page.getByRole('button', { name: handleName });
  await handle.scrollIntoViewIfNeeded();
  const from = await handle.boundingBox();
  const target = page.getByTestId(dropTestId);
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('nothing to drag');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 3 });
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 12, { steps: 15 });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 8, { steps: 3 });
  await page.mouse.up();
  await clicksReachThePage(page);
}

describe('studio: entity and form designers', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const admin = () => ({ email: fx.server.admin!.email, password: fx.server.admin!.password });

  beforeAll(async () => {
    fx = await startStudioFixture({ sampleData: true });
    browser = await launchBrowser();
    context = await newContext(browser, fx.server.url);
    await signInContext(context, admin());
    page = await context.newPage();
  }, 300_000);
  // A sign-in saves its context's language as the admin's (studio-fixture.ts): a test's Chinese
  // contexts would otherwise open the suite's English page in Chinese.
  beforeEach(async () => expect((await fx.server.patch('/api/auth/me', { locale: 'en' })).status).toBe(200));
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('acceptance 2: adds a picklist field and a rule; the live check equals the API dry run; saving applies', async () => {
    await page.goto('/admin/entities/account');
    await page.getByRole('heading', { name: /Client/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Name', { exact: true }).fill('tier');
    await pickOption(page, 'Type', 'Picklist', 'pick');
    await page.getByLabel('Label (English)', { exact: true }).fill('Tier');
    await page.getByLabel('Label (Chinese)', { exact: true }).fill('等级');
    for (const option of ['gold', 'silver']) {
      await page.getByLabel('New option value').fill(option);
      await page.getByRole('button', { name: 'Add option' }).click();
    }
    // Nothing to add, or a value taken: the button says no and the reason is shown, not a silent no-op.
    expect(await page.getByRole('button', { name: 'Add option' }).isDisabled()).toBe(true);
    await page.getByLabel('New option value').fill(' gold ');
    await page.getByRole('alert').filter({ hasText: 'The option gold exists already' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add option' }).isDisabled()).toBe(true);
    await page.getByLabel('New option value').fill('');
    await page.getByLabel('Label of gold in Chinese').fill('金牌');
    await page.getByRole('button', { name: 'Move silver up' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Keep in draft' }).click();
    await page.getByRole('cell', { name: 'tier new' }).waitFor();

    await page.locator('label.ant-radio-button-wrapper').filter({ hasText: /^Rules/ }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('businessNeedsWebsite');
    await page.getByLabel('Refuse when').fill(ruleWhen);
    await page.getByLabel('Message (English)').fill('A business client needs a website');
    await page.getByLabel('Message (Chinese)').fill('企业客户需要网站');

    // What the API's dry run says about the same entity, computed here through the API.
    const current = (await fx.server.get('/api/meta/entities/account')).body;
    const candidate = {
      ...current,
      fields: { ...current.fields, tier: { type: 'picklist', label: { en: 'Tier', zh: '等级' }, options: { silver: { label: { en: 'silver' } }, gold: { label: { en: 'gold', zh: '金牌' } } } } },
      rules: { ...current.rules, businessNeedsWebsite: { when: ruleWhen, message: { en: 'A business client needs a website', zh: '企业客户需要网站' } } },
    };
    const dry = await fx.server.post('/api/meta/validate', { documents: [candidate] });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const impact = dry.body.impact.find((i: { entity: string }) => i.entity === 'account');
    expect(impact.invalid).toBeGreaterThan(50);
    const accountLabel = labelIn(current.label, 'en', 'account');
    const expected = `This change would refuse ${impact.invalid.toLocaleString('en-US')} of ${impact.records.toLocaleString('en-US')} existing ${accountLabel} records`;
    await page.getByTestId('rule-check').getByText(expected).waitFor();
    // With examples that open the refused records.
    // (Waited for: the check runs again as the message is typed, and the text can show before its examples.)
    await page.getByTestId('rule-check').getByRole('link').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-entity-rule', 'en');

    await page.getByRole('button', { name: 'Keep in draft' }).click();
    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByText(expected).waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/entities/account')).body.fields.tier?.type).toBe('picklist');
    const saved = (await fx.server.get('/api/meta/entities/account')).body;
    expect(Object.keys(saved.fields.tier.options)).toEqual(['silver', 'gold']);
    expect(saved.rules.businessNeedsWebsite.when).toBe(ruleWhen);
  });

  it('acceptance 2: the field is dragged into a section, made visible when another field has a value, and the live preview follows', async () => {
    await page.goto('/admin/forms/accountMain');
    await page.getByRole('heading', { name: 'Form: Client' }).waitFor();
    await page.getByTestId('drop-palette').getByTestId('item-tier').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await dragInto(page, 'Drag Tier', 'drop-section:profile');
    await page.getByTestId('drop-section:profile').getByTestId('item-tier').waitFor();
    expect(await page.getByTestId('drop-palette').getByTestId('item-tier').count()).toBe(0);

    await page.getByRole('button', { name: 'Settings of Tier' }).click();
    const visible = page.getByTestId('condition-visibleWhen');
    await visible.getByRole('button', { name: 'Add condition' }).click();
    await pickOption(page, 'Field of condition 1', 'Website');
    await visible.getByText('$exists(website)').waitFor();
    // axe looks at the page at rest: the picked option's drop-down (and its unnamed listbox) closed.
    await eventually(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    const preview = page.getByTestId('form-preview');
    const website = preview.getByLabel('Website');
    await website.fill('');
    await eventually(() => preview.getByLabel('Tier').count()).toBe(0);
    await website.fill('https://acme.example');
    await preview.getByLabel('Tier').waitFor();
    await website.fill('');
    await eventually(() => preview.getByLabel('Tier').count()).toBe(0);
    // The same preview in Chinese.
    await page.getByText('中文', { exact: true }).last().click();
    await preview.getByLabel('网站').fill('https://acme.example');
    await preview.getByLabel('等级').waitFor();
    await preview.getByLabel('网站').fill('');
    await eventually(() => preview.getByLabel('等级').count()).toBe(0);
    await preview.getByLabel('网站').fill('https://acme.example');
    await preview.getByLabel('等级').waitFor();
    await screenshot(page, 'designer-form', 'en');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/forms/accountMain')).body.sections.profile.fields.tier?.visibleWhen).toBe('$exists(website)');
  });

  it('acceptance 6: a text → picklist type change shows the preview counts and, applied, converts the records', async () => {
    // A text field with values as people type them.
    const entity = (await fx.server.get('/api/meta/entities/account')).body;
    const put = await fx.server.put('/api/meta/entities/account', { ...entity, fields: { ...entity.fields, segment: { type: 'text', label: { en: 'Segment', zh: '细分' } } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const rows = (await fx.server.get('/api/data/account?limit=6&sort=name')).body.items as { id: string; version: number }[];
    const typed = ['Retail', 'retail', 'Wholesale', 'RETAIL', 'wholesale ', 'other'];
    for (const [i, row] of rows.entries()) {
      const patched = await fx.server.patch(`/api/data/account/${row.id}`, { segment: typed[i], website: 'https://x.example' }, { 'if-match': `"${row.version}"` });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    }
    const definition = { type: 'picklist', label: { en: 'Segment', zh: '细分' }, options: { retail: { label: { en: 'retail' } }, wholesale: { label: { en: 'wholesale' } } } };
    const api = (await fx.server.post('/api/meta/refactor/change-type', { entity: 'account', field: 'segment', definition })).body.preview;
    expect(api).toMatchObject({ withValue: 6, converting: 5, failing: 1 });

    await page.goto('/admin/entities/account');
    await page.getByRole('button', { name: 'Change the type of segment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the type of segment' });
    await pickOption(page, 'New type', 'Picklist', 'pick');
    for (const option of ['retail', 'wholesale']) {
      await dialog.getByLabel('New option value').fill(option);
      await dialog.getByRole('button', { name: 'Add option' }).click();
    }
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByTestId('type-change-preview').waitFor();
    expect(await dialog.getByTestId('p-converting').textContent()).toBe(String(api.converting));
    expect(await dialog.getByTestId('p-failing').textContent()).toBe(String(api.failing));
    expect(await dialog.getByTestId('p-lost').textContent()).toBe(String(api.lost));
    await dialog.getByText('other (1)').waitFor();
    // The "Record" column: each example by its title, a link to it; its id only in the tooltip.
    const names = new Map(((await fx.server.get('/api/data/account?limit=6&sort=name&fields=id,name')).body.items as { id: string; name: string }[]).map((r) => [r.id, r.name]));
    const examples = api.examples as { id: string }[];
    expect(examples.length).toBeGreaterThan(0);
    const preview = dialog.getByTestId('type-change-preview');
    for (const { id } of examples) {
      const link = preview.locator(`tbody a[title="${id}"]`);
      await eventually(async () => link.innerText()).toBe(names.get(id));
      expect(await link.getAttribute('href')).toBe(`/e/account/${id}`);
    }
    const previewText = await preview.innerText();
    for (const { id } of examples) expect(previewText).not.toContain(id);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-type-change', 'en');

    await dialog.getByRole('button', { name: 'Apply and convert' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/entities/account')).body.fields.segment.type).toBe('picklist');
    const after = await Promise.all(rows.map(async (r) => (await fx.server.get(`/api/data/account/${r.id}`)).body.segment ?? null));
    expect(after).toEqual(['retail', 'retail', 'wholesale', 'retail', 'wholesale', null]);
  });

  // Each table of the designers (fields, rules, indexes; the lists of entities, forms and views) is
  // read without scrolling sideways: on a phone a card per row (ResponsiveTable), every cell in sight.
  for (const [language, width] of [['en', 1280], ['en', 390], ['zh', 1280], ['zh', 390]] as const) {
    it(`the designers in ${language} at ${width} px: axe-clean, every table's rows in sight, screenshots`, async () => {
      const ctx = await newContext(browser, fx.server.url, { language, width });
      await signInContext(ctx, admin());
      const p = await ctx.newPage();
      const cards = width < 600;
      const fieldRows = tableRows(p);
      await p.goto('/admin/entities/account');
      await p.locator('.ant-radio-button-wrapper').first().waitFor();
      await fieldRows.filter({ hasText: 'accountNo' }).first().waitFor();
      await expectTablesFit(p);
      expect(await p.locator('table').count()).toBe(cards ? 0 : 1);
      // On a card, each column is a labelled line and the buttons are reachable by name.
      const firstField = fieldRows.filter({ hasText: 'accountNo' }).first();
      if (cards) expect(await firstField.locator('dt').allTextContents()).toEqual(language === 'en' ? ['Label', 'Type'] : ['标签', '类型']);
      await firstField.getByRole('button', { name: language === 'en' ? 'Remove field accountNo' : '移除字段 accountNo' }).waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'designer-entity', language);
      const tabs = [[/^(Rules|规则)/, 'designer-entity-rule-list'], [/^(Duplicate rules|查重规则)$/, 'designer-entity-duplicate-list'], [/^(Indexes|索引)$/, 'designer-entity-index-list']] as const;
      for (const [tab, shot] of tabs) {
        await p.locator('.ant-radio-button-wrapper').filter({ hasText: tab }).click();
        await expectTablesFit(p);
        expect(await seriousViolations(p)).toEqual([]);
        await screenshot(p, shot, language);
      }
      for (const [path, shot] of [['/admin/entities', 'designer-entity-list'], ['/admin/forms', 'designer-form-list'], ['/admin/views', 'designer-view-list']] as const) {
        await p.goto(path);
        await expectTablesFit(p);
        expect(await seriousViolations(p)).toEqual([]);
        await screenshot(p, shot, language);
      }
      await p.goto('/admin/forms/accountMain');
      await p.getByTestId('form-preview').locator('input').first().waitFor();
      expect(await seriousViolations(p)).toEqual([]);
      await screenshot(p, 'designer-form', language);
      await ctx.close();
    });
  }

  it('a new entity\'s name says what is wrong with it, and a field type is found by the name shown, in both languages', async () => {
    await page.goto('/admin/entities');
    await page.getByRole('button', { name: 'New entity' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entity' });
    const name = dialog.getByLabel('Name', { exact: true });
    await name.fill('Repair Job!');
    await expect.poll(() => dialog.getByText('camelCase: a lower-case letter, then letters and digits').isVisible()).toBe(true);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    await name.fill('account');
    await expect.poll(() => dialog.getByText('This name is taken').isVisible()).toBe(true);
    await name.fill('repairJob');
    await expect.poll(() => dialog.getByRole('button', { name: 'Review and save' }).isEnabled()).toBe(true);
    expect(await name.getAttribute('aria-invalid')).toBe('false');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The type list is searched by what it shows ("Yes/no", "是/否"), not by the stored type name.
    for (const [language, addField, typeLabel, search, shown] of [['en', 'Add field', 'Type', 'Yes', 'Yes/no'], ['zh', '添加字段', '类型', '是', '是/否']] as const) {
      const ctx = await newContext(browser, fx.server.url, { language });
      await signInContext(ctx, admin());
      const p = await ctx.newPage();
      await p.goto('/admin/entities/account');
      await p.getByRole('button', { name: addField }).click();
      await pickOption(p, typeLabel, shown, search);
      expect(await p.getByTitle(shown, { exact: true }).count()).toBeGreaterThan(0);
      await ctx.close();
    }
  });

  it('a new form is made in the studio for an entity of the admin\'s own: every field in one section, the entity\'s default', async () => {
    const gadget = { kind: 'entity', name: 'gadget', label: { en: 'Gadget', zh: '小工具' }, titleField: 'name', fields: { name: { type: 'text', required: true }, price: { type: 'currency' }, due: { type: 'date' } } };
    expect((await fx.server.put('/api/meta/entities/gadget', gadget)).status).toBe(201);
    await page.goto('/admin/forms');
    await page.getByRole('button', { name: 'New form' }).click();
    const dialog = page.getByRole('dialog', { name: 'New form' });
    await dialog.getByLabel('Name', { exact: true }).fill('accountMain');
    await expect.poll(() => dialog.getByText('This name is taken').isVisible()).toBe(true);
    await dialog.getByLabel('Name', { exact: true }).fill('gadgetMain');
    await pickOption(page, 'Entity', 'Gadget', 'Gadg');
    await dialog.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review the change before applying' });
    await review.getByText('The change is valid').waitFor();
    await review.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/admin/forms/gadgetMain');
    await page.getByTestId('form-preview').locator('input').first().waitFor();
    const form = (await fx.server.get('/api/meta/forms/gadgetMain')).body;
    expect(form).toMatchObject({ entity: 'gadget', default: true, label: { en: 'gadgetMain' } });
    expect(Object.keys(form.sections.main.fields)).toEqual(['name', 'price', 'due']);

    // The form at work: a currency with no currency code is a whole input, its right edge drawn.
    await page.goto('/e/gadget/new');
    const price = page.locator('.ant-input-number').filter({ has: page.getByLabel('price', { exact: true }) });
    await price.waitFor();
    expect(await price.evaluate((e) => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderTopRightRadius])).toEqual([expect.not.stringMatching(/^0px$/), expect.not.stringMatching(/^0px$/)]);
  });

  it('the entity list is axe-clean', async () => {
    await page.goto('/admin/entities/account');
    await page.locator('.ant-radio-button-wrapper').first().waitFor();
    await screenshot(page, 'designer-entity', 'en');
    await page.goto('/admin/entities');
    await page.getByRole('link', { name: 'Client' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
