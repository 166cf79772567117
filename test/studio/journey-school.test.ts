// A new customer's journey, in a real browser on a server with no template: a training school
// (培训学校) modelled by its admin in the studio alone — students, courses, enrollments, a form, a
// workflow, a role and the user who holds it — then worked by that front-desk user. Half of it in
// Chinese on a phone, half in English on a desktop. Each check below failed before its fix:
// - a field type's help in the field drawer was the schema's English in Chinese;
// - a keyboard move in the form designer was announced in English with internal ids
//   ("Draggable item field:paidAmount was dropped over droppable area field:paidAmount");
// - the workflow's save dialog named the entity, the workflow and its states by their stored names;
// - no user could be added in the studio (only through the API);
// - a record titled by a lookup (an enrollment by its student) showed the student's id as its title,
//   and its timeline showed the ids the lookups were set to.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { signInContext } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const zh = { addField: '添加字段', keep: '放入草稿', review: '检查并保存', valid: '变更有效', apply: /^应\s*用$/ };
const desk = { email: 'wangfang@school.test', password: 'Lantern-river-2026-qz' };

/** Opens the select `#id` and picks the option showing `text` (typed first, to filter a long list). */
async function pick(page: Page, id: string, text: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator(`#${id}`).fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

/** Adds a field in the entity designer's drawer (name, type, labels, then `more`), kept in the draft. */
async function addField(page: Page, name: string, type: string, labels: [string, string], more?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: zh.addField }).click();
  await page.locator('#field-name').fill(name);
  await pick(page, 'field-type', type);
  await page.locator('#field-opt-label-en').fill(labels[0]);
  await page.locator('#field-opt-label-zh').fill(labels[1]);
  await more?.();
  await page.getByRole('button', { name: zh.keep }).click();
  await page.getByRole('cell', { name, exact: true }).or(page.getByText(name, { exact: true })).first().waitFor();
}

/** "Review and save", then "Apply" in the dry run's dialog (Chinese). */
async function reviewAndApply(page: Page): Promise<void> {
  await page.getByRole('button', { name: zh.review }).click();
  const dialog = page.getByRole('dialog', { name: '应用前检查变更' });
  await dialog.getByText(zh.valid).waitFor();
  await dialog.getByRole('button', { name: zh.apply }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A new entity from the entity list (Chinese), its designer then open. */
async function newEntity(page: Page, name: string, labels: [string, string]): Promise<void> {
  await page.goto('/admin/entities');
  await page.getByRole('button', { name: '新建实体' }).click();
  await page.locator('#entity-name').fill(name);
  await page.locator('#new-entity-label-en').fill(labels[0]);
  await page.locator('#new-entity-label-zh').fill(labels[1]);
  await page.getByRole('button', { name: zh.review }).click();
  const dialog = page.getByRole('dialog', { name: '应用前检查变更' });
  await dialog.getByText(zh.valid).waitFor();
  await dialog.getByRole('button', { name: zh.apply }).click();
  await page.waitForURL(`**/admin/entities/${name}`);
  await page.getByRole('button', { name: zh.addField }).waitFor();
}

describe('studio: a training school modelled from nothing and worked by its front desk', { timeout: 420_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let phone: Page;
  let desktop: Page;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const admin = { email: server.admin!.email, password: server.admin!.password };
    const zhContext = await newContext(browser, server.url, { language: 'zh', width: 390 });
    const enContext = await newContext(browser, server.url, { language: 'en', width: 1280 });
    contexts.push(zhContext, enContext);
    // The admin's language is saved at each sign-in (studio-fixture.ts): the desktop context signs in
    // when the English part begins.
    await signInContext(zhContext, admin);
    phone = await zhContext.newPage();
    desktop = await enContext.newPage();
  }, 120_000);
  // A failed step leaves what each page showed (docs/screenshots/journey-failed-*.png).
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    for (const [page, language] of [[phone, 'zh'], [desktop, 'en']] as const) await screenshot(page, 'journey-failed', language).catch(() => undefined);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('the admin creates Student, Course and Enrollment in Chinese on a phone; each type is explained in Chinese', async () => {
    await newEntity(phone, 'student', ['Student', '学员']);
    await addField(phone, 'phone', '电话', ['Phone', '电话']);
    await addField(phone, 'level', '选项列表', ['Level', '级别'], async () => {
      // The type's help is Chinese (it was the schema's "One value from a list.").
      const help = phone.locator('.ant-drawer:visible').getByText('从选项列表中选一个值。');
      await help.waitFor();
      expect(await phone.locator('.ant-drawer:visible').innerText()).not.toMatch(/One value from a list/);
      for (const [value, en, chinese] of [['beginner', 'Beginner', '初级'], ['advanced', 'Advanced', '高级']]) {
        await phone.getByLabel('新选项值').fill(value!);
        await phone.getByRole('button', { name: '添加选项' }).click();
        await phone.getByLabel(`${value} 的英文标签`).fill(en!);
        await phone.getByLabel(`${value} 的中文标签`).fill(chinese!);
      }
      await screenshot(phone, 'journey-picklist-field', 'zh');
    });
    await reviewAndApply(phone);
    await eventually(async () => Object.keys((await server.get('/api/meta/entities/student')).body.fields ?? {})).toEqual(['name', 'phone', 'level']);
    // Each field's edit button says what it does (it was named "字段 phone", like the drawer it opens).
    await phone.getByRole('button', { name: '编辑字段 phone', exact: true }).waitFor();

    await newEntity(phone, 'course', ['Course', '课程']);
    await addField(phone, 'price', '金额', ['Price', '价格'], async () => {
      expect(await phone.locator('.ant-drawer:visible').getByText('某一币种的金额。').count()).toBe(1);
      await phone.locator('#field-opt-currency').fill('CNY');
    });
    await reviewAndApply(phone);

    await newEntity(phone, 'enrollment', ['Enrollment', '报名']);
    await addField(phone, 'student', '查找', ['Student', '学员'], async () => {
      expect(await phone.locator('.ant-drawer:visible').getByText('指向另一个（或同一个）实体的一条记录，按其标题选择。').count()).toBe(1);
      await pick(phone, 'field-opt-to', '学员');
      await phone.locator('#field-opt-required').click();
    });
    await addField(phone, 'course', '查找', ['Course', '课程'], async () => pick(phone, 'field-opt-to', '课程'));
    await addField(phone, 'status', '选项列表', ['Status', '状态'], async () => {
      for (const [value, en, chinese] of [['applied', 'Applied', '已申请'], ['confirmed', 'Confirmed', '已确认'], ['completed', 'Completed', '已结课'], ['cancelled', 'Cancelled', '已取消']]) {
        await phone.getByLabel('新选项值').fill(value!);
        await phone.getByRole('button', { name: '添加选项' }).click();
        await phone.getByLabel(`${value} 的英文标签`).fill(en!);
        await phone.getByLabel(`${value} 的中文标签`).fill(chinese!);
      }
    });
    await addField(phone, 'paidAmount', '金额', ['Paid amount', '已付金额'], async () => phone.locator('#field-opt-currency').fill('CNY'));
    // An enrollment needs no name of its own: the student is its title.
    await phone.getByRole('button', { name: '移除字段 name' }).click();
    await phone.locator('label.ant-radio-button-wrapper').filter({ hasText: /^标签与标题/ }).click();
    await phone.locator('#entity-title-field').click();
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '学员 (student)' }).click();
    await reviewAndApply(phone);
    const enrollment = (await server.get('/api/meta/entities/enrollment')).body;
    expect(enrollment.titleField).toBe('student');
    expect(Object.keys(enrollment.fields)).toEqual(['student', 'course', 'status', 'paidAmount']);
  });

  it('arranges the Enrollment form with the keyboard, announced in Chinese by the fields’ labels', async () => {
    await phone.goto('/admin/forms');
    await phone.getByRole('button', { name: '新建表单' }).click();
    await phone.locator('#new-form-name').fill('enrollmentMain');
    await pick(phone, 'new-form-entity', '报名');
    await phone.locator('#new-form-label-en').fill('Enrollment');
    await phone.locator('#new-form-label-zh').fill('报名表');
    await phone.getByRole('dialog', { name: '新建表单' }).getByRole('button', { name: zh.review }).click();
    const review = phone.getByRole('dialog', { name: '应用前检查变更' });
    await review.getByText(zh.valid).waitFor();
    await review.getByRole('button', { name: zh.apply }).click();
    await phone.waitForURL('**/admin/forms/enrollmentMain');
    await phone.getByTestId('form-preview').waitFor();

    await phone.getByRole('button', { name: '添加分区' }).click();
    await phone.getByRole('button', { name: '分区设置' }).last().click();
    await phone.locator('#section-section1-label-en').fill('Payment');
    await phone.locator('#section-section1-label-zh').fill('付款');
    // The handle's instructions are Chinese, and so is what a screen reader hears while moving.
    const handle = phone.getByRole('button', { name: '拖动 已付金额' });
    const describedBy = await handle.getAttribute('aria-describedby');
    expect(await phone.locator(`[id="${describedBy}"]`).textContent()).toContain('按空格键拿起');
    await handle.focus();
    await phone.keyboard.press('Space');
    const liveRegion = phone.locator('[id^="DndLiveRegion"]');
    // (Picked up, then over its own place: dnd-kit announces both at once, the second replacing the first.)
    await eventually(() => liveRegion.textContent()).toMatch(/^(已拿起 已付金额|已付金额 位于 已付金额 上)。$/);
    // Down past the last field of the first section and into the new one.
    const inPayment = phone.getByTestId('drop-section:section1').getByTestId('item-paidAmount');
    for (let press = 0; press < 4 && (await inPayment.count()) === 0; press++) {
      const before = await liveRegion.textContent();
      await phone.keyboard.press('ArrowDown');
      // The move is announced (a new place) or shown (the field in the new section).
      await expect.poll(async () => (await inPayment.count()) > 0 || (await liveRegion.textContent()) !== before, { timeout: 5_000, interval: 100 }).toBe(true).catch(() => undefined);
    }
    await phone.keyboard.press('Space');
    await eventually(() => liveRegion.textContent()).toMatch(/^已付金额 已放到 (付款|已付金额)。$/);
    expect(await liveRegion.textContent()).not.toMatch(/field:|Draggable|droppable/);
    await phone.getByTestId('drop-section:section1').getByTestId('item-paidAmount').waitFor();
    await screenshot(phone, 'journey-form-designer', 'zh');
    await reviewAndApply(phone);
    const form = (await server.get('/api/meta/forms/enrollmentMain')).body;
    expect(Object.keys(form.sections.section1.fields)).toEqual(['paidAmount']);
  });

  it('adds the workflow; its save dialog names the entity, the workflow and the states by their labels', async () => {
    await phone.goto('/admin/workflows');
    await phone.getByRole('button', { name: '新建流程' }).click();
    const dialog = phone.getByRole('dialog', { name: '新建流程' });
    await dialog.getByLabel('名称', { exact: true }).fill('enrollmentFlow');
    await dialog.getByLabel('实体', { exact: true }).click();
    await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '报名' }).first().click();
    await dialog.locator('[id$=-label-en]').fill('Enrollment process');
    await dialog.locator('[id$=-label-zh]').fill('报名流程');
    await dialog.getByRole('button', { name: zh.review }).click();
    const review = phone.getByRole('dialog', { name: '应用前检查变更' });
    await review.getByText(zh.valid).waitFor();
    await review.getByRole('button', { name: zh.apply }).click();
    await phone.waitForURL('**/admin/workflows/enrollmentFlow');
    await phone.locator('.react-flow__node').first().waitFor();

    // "Cancel" from applied or confirmed, with a label in both languages.
    await phone.getByRole('tab', { name: '流转' }).click();
    // Named by its label (the target state's), not by its stored name toCancelled.
    await phone.getByRole('button', { name: '编辑流转 已取消', exact: true }).first().click();
    const drawer = phone.getByRole('dialog', { name: '编辑流转 已取消' });
    await drawer.getByLabel('显示名（英文）').fill('Cancel');
    await drawer.getByLabel('显示名（中文）').fill('取消报名');
    await drawer.locator('.ant-select-selection-item-remove').first().click();
    for (const state of ['已申请', '已确认']) {
      await drawer.getByLabel('起始状态', { exact: true }).click();
      await phone.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: state }).first().click();
    }
    await phone.keyboard.press('Escape');
    await drawer.getByRole('button', { name: zh.apply }).click();
    await drawer.waitFor({ state: 'hidden' });
    await phone.getByRole('button', { name: '保存…' }).click();
    const save = phone.getByTestId('dry-run');
    await save.getByText('修改有效。').waitFor();
    await save.getByText('当前各状态的记录数').waitFor();
    const text = await save.innerText();
    expect(text).toContain('工作流 · 报名流程');
    for (const state of ['已申请', '已确认', '已结课', '已取消']) expect(text).toContain(state);
    expect(text).not.toMatch(/enrollmentFlow|enrollment：|\bapplied\b|\bconfirmed\b|workflow ·/);
    await screenshot(phone, 'journey-workflow-save', 'zh');
    await phone.getByRole('dialog').getByRole('button', { name: '应用修改' }).click();
    await eventually(async () => (await server.get('/api/meta/workflows/enrollmentFlow')).body.transitions.toCancelled.from).toEqual(['applied', 'confirmed']);
  });

  it('in English on a desktop: a front-desk role, and its user added in the studio', async () => {
    await signInContext(desktop.context(), { email: server.admin!.email, password: server.admin!.password });
    await desktop.goto('/admin/roles');
    await desktop.getByRole('button', { name: 'New role' }).click();
    const dialog = desktop.getByRole('dialog', { name: 'New role' });
    await dialog.getByLabel('Name', { exact: true }).fill('frontDesk');
    await dialog.getByLabel('Label (English)').fill('Front desk');
    await dialog.getByLabel('Label (Chinese)').fill('前台');
    await dialog.getByRole('button', { name: 'Review and save' }).click();
    await desktop.getByRole('dialog', { name: 'Review the change before applying' }).getByText('The change is valid').waitFor();
    await desktop.getByRole('dialog', { name: 'Review the change before applying' }).getByRole('button', { name: 'Apply' }).click();
    await desktop.getByLabel('Create on Student').waitFor();
    const scope = async (action: string, entity: string, to: string) => {
      await desktop.getByLabel(`${action} on ${entity}`).click();
      await desktop.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${to}$`) }).first().click();
    };
    for (const entity of ['Student', 'Enrollment']) {
      await desktop.getByLabel(`Create on ${entity}`).check();
      await scope('Read', entity, 'all');
      await scope('Update', entity, 'all');
    }
    await scope('Read', 'Course', 'all');
    await scope('Update', 'Course', 'all');
    // …but not the course's price.
    await desktop.getByRole('button', { name: 'Field access on Course' }).click();
    await desktop.getByLabel('Access to Price').click();
    await desktop.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^read$/ }).first().click();
    const fieldAccess = desktop.getByRole('dialog', { name: 'Field access · Course' });
    await fieldAccess.getByRole('button', { name: 'Close' }).click();
    await fieldAccess.waitFor({ state: 'hidden' });
    await desktop.getByRole('button', { name: 'Save…' }).click();
    await desktop.getByRole('dialog').getByText('The change is valid.').waitFor();
    await desktop.getByRole('dialog').getByRole('button', { name: 'Apply the change' }).click();
    await eventually(async () => (await server.get('/api/meta/roles/frontDesk')).body.permissions?.course?.fields).toEqual({ price: 'read' });

    // The user who works the front desk, added here: a refused password is said beside its field.
    await desktop.getByRole('tab', { name: 'Users and teams' }).click();
    const form = desktop.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('E-mail').fill(desk.email);
    await form.getByLabel('Name').fill('王芳');
    await form.getByLabel('First password').fill('short');
    await form.getByLabel('Roles').click();
    await desktop.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Front desk' }).click();
    await desktop.keyboard.press('Escape');
    await form.getByRole('button', { name: 'Add a user' }).click();
    await form.getByText('must have at least 10 characters').waitFor();
    const users = async () => ((await server.get('/api/users?limit=100')).body.items as { email: string }[]).filter((u) => u.email === desk.email);
    expect(await users()).toEqual([]);
    await form.getByLabel('First password').fill(desk.password);
    await form.getByRole('button', { name: 'Add a user' }).click();
    await desktop.getByRole('cell', { name: /王芳/ }).first().waitFor();
    const [user] = await users();
    expect(user).toMatchObject({ email: desk.email, name: '王芳', roles: ['frontDesk'] });
    expect(await seriousViolations(desktop)).toEqual([]);
    await screenshot(desktop, 'journey-add-user', 'en');
  });

  it('the front desk signs in on a phone in Chinese, records a student and an enrollment, and moves it on', async () => {
    const course = await server.post('/api/data/course', { name: '少儿编程入门', price: 2980 });
    expect(course.status).toBe(201);
    const context = await newContext(browser, server.url, { language: 'zh', width: 390 });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('邮箱').fill(desk.email);
    await page.getByLabel('密码').fill(desk.password);
    await page.getByRole('button', { name: /^登\s*录$/ }).click();
    await page.getByRole('heading', { name: '欢迎，王芳' }).waitFor();

    await page.goto('/e/student/new');
    await page.getByLabel('名称').fill('李小明');
    await page.getByLabel('电话').fill('138 0013 8000');
    await page.getByLabel('级别').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '初级' }).click();
    await page.getByRole('button', { name: /^创\s*建$/ }).click();
    await page.getByRole('heading', { name: '李小明' }).waitFor();
    const [student] = (await server.get('/api/data/student')).body.items;
    expect(student).toMatchObject({ name: '李小明', phone: '138 0013 8000', level: 'beginner' });

    await page.goto('/e/enrollment/new');
    for (const [field, typed, title] of [['学员', '小明', '李小明'], ['课程', '编程', '少儿编程入门']] as const) {
      await page.getByLabel(field).click();
      await page.keyboard.type(typed);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: title }).waitFor();
      await page.keyboard.press('Enter');
    }
    await page.getByLabel('已付金额').fill('1000');
    await page.getByRole('button', { name: /^创\s*建$/ }).click();
    // Its title is its student's name (it was the student's id), and so is its timeline's.
    await page.getByRole('heading', { name: '李小明', level: 1 }).waitFor();
    const timeline = page.locator('[data-testid="timeline-entry"][data-action="create"]');
    await eventually(() => timeline.innerText()).toContain('学员: — → 李小明');
    expect(await timeline.innerText()).toContain('课程: — → 少儿编程入门');
    expect(await page.locator('main').innerText()).not.toContain(student.id);
    await screenshot(page, 'journey-enrollment', 'zh');

    await page.getByRole('button', { name: '取消报名' }).waitFor();
    await page.getByRole('button', { name: '已确认', exact: true }).click();
    const [enrollment] = (await server.get('/api/data/enrollment')).body.items;
    await eventually(async () => (await server.get(`/api/data/enrollment/${enrollment.id}`)).body.status).toBe('confirmed');
  });
});
