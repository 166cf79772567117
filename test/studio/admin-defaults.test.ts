// What an admin should not have to fix by hand after making something new in the studio, checked on
// an entity of the test's own (no template): a new list view starts with the columns a user wants
// first — the title field, then the fields in the form's order, long text and files left out, at
// most five — where it used to start with the title alone; a new board starts with card fields the
// same way. A dashboard's metric over a currency field reads as money in that field's currency, and
// over a percent field as a percentage, in the UI language (Intl.NumberFormat), where both used to
// read as bare numbers. A new entity goes into a menu group the admin types (in en and zh), and
// another entity is put into it from its designer by picking it, where every new entity sat under
// "Other". A workflow generated from a picklist has the final states the admin ticks (the last
// option at first) — the other options in a line into the first final one, each later final one
// reachable from every open state — and its transitions labelled with their targets' labels in en
// and zh, where it chained every option with no end. The designer names a transition, and the
// dry run a changed item, by label rather than stored name, and so does the import wizard's dry run
// a problem with a field no column feeds (it read "title"). Screenshots at 1280 px (en) and 390 px (zh).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseImportFile, pickOption, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import type { BrowserContext } from 'playwright-core';

const project = {
  kind: 'entity', name: 'adProject', label: { en: 'Project', zh: '项目' }, titleField: 'title',
  fields: {
    notes: { type: 'textarea', label: { en: 'Notes', zh: '备注' } },
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    client: { type: 'text', label: { en: 'Client', zh: '客户' } },
    budget: { type: 'currency', currency: 'CNY', label: { en: 'Budget', zh: '预算' } },
    progress: { type: 'percent', label: { en: 'Progress', zh: '进度' } },
    brief: { type: 'text', label: { en: 'Brief', zh: '简介' } },
    attachment: { type: 'file', label: { en: 'Attachment', zh: '附件' } },
    startOn: { type: 'date', label: { en: 'Start', zh: '开始日期' } },
    stage: { type: 'picklist', label: { en: 'Stage', zh: '阶段' }, options: { open: { label: { en: 'Open', zh: '进行中' } }, done: { label: { en: 'Done', zh: '完成' } } } },
  },
};
// The form's order differs from the declaration's; `brief` is shown as long text, `client` not at all.
const projectForm = {
  kind: 'form', name: 'adProjectForm', entity: 'adProject', label: { en: 'Project' }, default: true,
  sections: {
    main: { order: 10, fields: { title: { order: 10 }, brief: { order: 20, widget: 'textarea' }, stage: { order: 30 }, budget: { order: 40 }, notes: { order: 50 } } },
    more: { order: 20, fields: { attachment: { order: 10 }, progress: { order: 20 }, startOn: { order: 30 } } },
  },
};
const order = {
  kind: 'entity', name: 'adOrder', label: { en: 'Order', zh: '订单' }, titleField: 'title',
  fields: {
    title: { type: 'text', label: { en: 'Title', zh: '标题' } },
    status: {
      type: 'picklist', label: { en: 'Status', zh: '状态' },
      options: { draft: { label: { en: 'Draft', zh: '草稿' } }, sent: { label: { en: 'Sent', zh: '已发送' } }, paid: { label: { en: 'Paid', zh: '已付款' } }, closed: { label: { en: 'Closed', zh: '已完成' } }, cancelled: { label: { en: 'Cancelled', zh: '已取消' } } },
    },
  },
};
const dashboard = {
  kind: 'dashboard', name: 'adFigures', title: { en: 'Project figures', zh: '项目数据' },
  widgets: {
    budgetTotal: { type: 'metric', title: { en: 'Total budget', zh: '预算合计' }, entity: 'adProject', measure: { op: 'sum', field: 'budget' }, layout: { x: 0, y: 0, w: 4, h: 2 } },
    progressAvg: { type: 'metric', title: { en: 'Average progress', zh: '平均进度' }, entity: 'adProject', measure: { op: 'avg', field: 'progress' }, layout: { x: 4, y: 0, w: 4, h: 2 } },
    projectCount: { type: 'metric', title: { en: 'Projects', zh: '项目数' }, entity: 'adProject', measure: { op: 'count' }, layout: { x: 8, y: 0, w: 4, h: 2 } },
  },
};

const entryIds = (page: Page, list: string) => page.getByTestId(list).locator('[data-testid^="entry-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('entry-'.length)));
const metricText = (page: Page, widget: string) => page.locator(`[data-widget="${widget}"] .ant-statistic-content`).innerText();

describe('studio: sensible starting points for new views and money on dashboards', { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [project, projectForm, order, dashboard]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    for (const p of [{ title: 'Roof', budget: 12500.5, progress: 40 }, { title: 'Garden', budget: 2000, progress: 12.5 }]) {
      expect((await server.post('/api/data/adProject', p)).status).toBe(201);
    }
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a new list view starts with the title and the next fields in form order, long text and files left out; the columns stay editable', async () => {
    const page = await signedInPage({ browser, server, contexts });
    await page.goto('/admin/views');
    await page.getByRole('button', { name: 'New view' }).click();
    const create = page.getByRole('dialog', { name: 'New view' });
    await create.getByLabel('Name').fill('projectList');
    await pickOption(page, 'Entity', 'Project', 'Proj');
    await create.getByRole('button', { name: 'Design it' }).click();
    await page.getByRole('heading', { name: 'List view: projectList' }).waitFor();
    await eventually(() => entryIds(page, 'columns')).toEqual(['title', 'stage', 'budget', 'progress', 'startOn']);
    // Editable after: one removed, another added.
    await page.getByRole('button', { name: 'Remove Progress' }).click();
    await pickOption(page, 'Add a column', 'Client', 'Clie');
    await eventually(() => entryIds(page, 'columns')).toEqual(['title', 'stage', 'budget', 'startOn', 'client']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'new-view-starter-columns', 'en');
  });

  it('a new board starts with card fields in form order (not its grouping field, not the title)', async () => {
    const page = await signedInPage({ browser, server, contexts, options: { width: 390, language: 'zh' } });
    await page.goto('/admin/views');
    await page.getByRole('button', { name: '新建视图' }).click();
    const create = page.getByRole('dialog', { name: '新建视图' });
    await create.getByLabel('名称').fill('projectBoard');
    await pickOption(page, '实体', '项目', '项目');
    await create.getByText('看板', { exact: true }).click();
    await create.getByRole('button', { name: '开始设计' }).click();
    await page.waitForURL('**/admin/views/projectBoard');
    await eventually(() => entryIds(page, 'card-fields')).toEqual(['budget', 'progress', 'startOn']);
    await screenshot(page, 'new-board-starter-cards', 'zh');
  });

  it('a metric over a currency field reads as money in its currency, over a percent field as a percentage — in en and zh', async () => {
    const en = await signedInPage({ browser, server, contexts });
    await en.goto('/d/adFigures');
    await eventually(() => metricText(en, 'budgetTotal')).toBe('CN¥14,500.50');
    await eventually(() => metricText(en, 'progressAvg')).toBe('26.25%');
    await eventually(() => metricText(en, 'projectCount')).toBe('2');
    expect(await seriousViolations(en)).toEqual([]);
    await screenshot(en, 'dashboard-metric-units', 'en');

    const zh = await signedInPage({ browser, server, contexts, options: { width: 390, language: 'zh' } });
    await zh.goto('/d/adFigures');
    await eventually(() => metricText(zh, 'budgetTotal')).toBe('¥14,500.50');
    await eventually(() => metricText(zh, 'progressAvg')).toBe('26.25%');
    await screenshot(zh, 'dashboard-metric-units', 'zh');
  });

  it('a new entity goes into a menu group typed in en and zh; another entity joins it from its designer in zh; the menu shows both there', async () => {
    const page = await signedInPage({ browser, server, contexts });
    await page.goto('/admin/entities');
    await page.getByRole('button', { name: 'New entity' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entity' });
    await dialog.getByLabel('Name', { exact: true }).fill('adLesson');
    await page.locator('#new-entity-label-en').fill('Lesson');
    await page.locator('#new-entity-label-zh').fill('课时');
    await pickOption(page, 'Menu group', 'New group…');
    await page.locator('#new-entity-menu-group-new-en').fill('Teaching');
    await page.locator('#new-entity-menu-group-new-zh').fill('教学');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'new-entity-menu-group', 'en');
    await dialog.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review the change before applying' });
    await review.getByText('The change is valid').waitFor();
    await review.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/admin/entities/adLesson');
    expect((await server.get('/api/meta/entities/adLesson')).body.menuGroup).toEqual({ en: 'Teaching', zh: '教学' });
    // The menu has the group, and the entity under it (the item right after the group's title).
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByText('Teaching', { exact: true }).waitFor();
    await eventually(() => nav.locator('.ant-menu-item-group', { hasText: 'Teaching' }).getByRole('menuitem').allInnerTexts()).toEqual(['Lesson']);

    const phone = await signedInPage({ browser, server, contexts, options: { width: 390, language: 'zh' } });
    await phone.goto('/admin/entities/adProject');
    await phone.locator('label.ant-radio-button-wrapper').filter({ hasText: /^标签与标题/ }).click();
    await pickOption(phone, '菜单分组', '教学');
    await phone.getByRole('button', { name: '检查并保存' }).click();
    const check = phone.getByRole('dialog', { name: '应用前检查变更' });
    await check.getByText('变更有效').waitFor();
    // The change is named by the entity's label, its stored name after it (it read "修改 实体 adProject").
    expect((await check.locator('.ant-tag').filter({ hasText: 'adProject' }).innerText()).replace(/\s+/g, ' ')).toBe('修改 实体 项目 adProject');
    await check.getByRole('button', { name: /^应\s*用$/ }).click();
    await check.waitFor({ state: 'hidden' });
    expect((await server.get('/api/meta/entities/adProject')).body.menuGroup).toEqual({ en: 'Teaching', zh: '教学' });
    const groups = (await server.get('/api/studio/navigation')).body.groups as { key: string; entities: string[]; views: string[] }[];
    expect(groups.find((g) => g.key === 'group/teaching')?.entities.toSorted()).toEqual(['adLesson', 'adProject']);
    expect(groups.find((g) => g.key === 'other')?.entities ?? []).not.toContain('adProject');
    // Saved, the designer opens again: its settings show the group picked.
    await phone.locator('label.ant-radio-button-wrapper').filter({ hasText: /^标签与标题/ }).click();
    const picker = phone.locator('.ant-form-item').filter({ has: phone.locator('#entity-menu-group') });
    await eventually(() => picker.locator('.ant-select-content, .ant-select-selection-item').first().innerText()).toBe('教学');
    await picker.scrollIntoViewIfNeeded();
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'entity-menu-group', 'zh');
  });

  it('a workflow generated from a picklist ends in the final states ticked in its dialog; its transitions carry the targets\' labels in en and zh', async () => {
    const phone = await signedInPage({ browser, server, contexts, options: { width: 390, language: 'zh' } });
    await phone.goto('/admin/workflows');
    await phone.getByRole('button', { name: '新建流程' }).click();
    const dialog = phone.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('名称', { exact: true }).fill('adOrderFlow');
    await pickOption(phone, '实体', '订单', '订单');
    const finals = dialog.getByRole('group', { name: '终止状态' });
    // The last option is ticked at first; the first (the initial state) cannot be.
    await eventually(() => finals.getByRole('checkbox', { checked: true }).evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual(['cancelled']);
    expect(await finals.getByRole('checkbox', { name: '草稿' }).isDisabled()).toBe(true);
    await finals.getByText('已完成', { exact: true }).click();
    await eventually(() => finals.getByRole('checkbox', { checked: true }).count()).toBe(2);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'new-workflow-final-states', 'zh');
    await dialog.getByRole('button', { name: '检查并保存' }).click();
    const check = phone.getByRole('dialog', { name: '应用前检查变更' });
    await check.getByText('变更有效').waitFor();
    await check.getByRole('button', { name: /^应\s*用$/ }).click();
    await phone.waitForURL('**/admin/workflows/adOrderFlow');
    // A transition is named by its label in the designer, not by its stored name (toCancelled).
    await phone.getByRole('tab', { name: '流转' }).click();
    await phone.getByRole('button', { name: '编辑流转 已取消', exact: true }).first().click();
    const drawer = phone.getByRole('dialog', { name: '编辑流转 已取消' });
    await drawer.waitFor();
    expect(await drawer.getByLabel('流转名', { exact: true }).inputValue()).toBe('toCancelled');
    await phone.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    const saved = (await server.get('/api/meta/workflows/adOrderFlow')).body;
    expect(Object.entries(saved.states).filter(([, s]) => (s as { final?: boolean }).final).map(([n]) => n)).toEqual(['closed', 'cancelled']);
    expect(saved.states.draft.initial).toBe(true);
    expect(saved.transitions).toEqual({
      toSent: { label: { en: 'Sent', zh: '已发送' }, from: 'draft', to: 'sent', order: 10 },
      toPaid: { label: { en: 'Paid', zh: '已付款' }, from: 'sent', to: 'paid', order: 20 },
      toClosed: { label: { en: 'Closed', zh: '已完成' }, from: 'paid', to: 'closed', order: 30 },
      toCancelled: { label: { en: 'Cancelled', zh: '已取消' }, from: ['draft', 'sent', 'paid'], to: 'cancelled', order: 40 },
    });
    // It runs at once: a new order starts in the initial state.
    const created = await server.post('/api/data/adOrder', { title: 'Chairs' });
    expect(created.body.status).toBe('draft');
  });

  it('the import dry run names a required field the file lacks by its label, its stored name after it', async () => {
    const file = path.join(os.tmpdir(), `ad-projects-${process.pid}.csv`);
    await writeFile(file, 'Client,Budget\nAcme,100\n');
    const phone = await signedInPage({ browser, server, contexts, options: { width: 390, language: 'zh' } });
    await phone.goto('/import');
    await chooseImportFile(phone, '项目', file);
    await phone.getByTestId('import-next').click();
    await phone.getByTestId('import-preview').waitFor();
    await phone.getByTestId('import-start-dry-run').click();
    const rejected = phone.getByTestId('import-rejected');
    await rejected.waitFor();
    // On a phone a row is a card: its fields are the column's label, the value, the reason.
    const card = tableRows(rejected).first();
    await eventually(async () => (await card.innerText()).replace(/\s+/g, ' ')).toContain('标题 title');
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'import-dry-run-field-label', 'zh');
  });
});
