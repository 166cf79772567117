// Acceptance 3 of "the studio, part 2": in the workflow designer the admin adds a state and a
// transition into it with a required field; test mode on an existing record lists the open
// transitions and the actions that would fire, and creates nothing (checked through the API);
// saved through the dry run, an agent takes the new transition on the record page.
// And "the process changed": a state, a field and a rule added in one studio session, no restart,
// then a record worked through the new state.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { applyAndWaitForRevision, pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

/** Picks an option of a long (virtual) multiple select by typing: the pick is checked on the tags it leaves. */
/** Where the drawn diagram is hard to read: two states on top of each other, or an arrow's label on a state or on another label. */
async function diagramClashes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = (selector: string) => [...document.querySelectorAll(selector)].map((e) => ({ text: (e.textContent ?? '').trim(), rect: e.getBoundingClientRect() }));
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const states = boxes('.react-flow__node');
    const labels = boxes('.react-flow__edge-text');
    const clashes: string[] = [];
    states.forEach((a, i) => states.slice(i + 1).forEach((b) => overlap(a.rect, b.rect) && clashes.push(`state ${a.text} on state ${b.text}`)));
    for (const label of labels) for (const state of states) if (overlap(label.rect, state.rect)) clashes.push(`label ${label.text} on state ${state.text}`);
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => overlap(a.rect, b.rect) && clashes.push(`label ${a.text} on label ${b.text}`)));
    return clashes;
  });
}

/** The drawn diagram (states, arrows, labels) within its box: the space left on each side, the box's height and the drawing's. */
async function drawingInBox(page: Page): Promise<{ top: number; bottom: number; left: number; right: number; height: number; drawn: number }> {
  const box = page.getByTestId('workflow-diagram');
  // The drawing is fitted once the box has its width: wait until the viewport's scale settles.
  await page.locator('.react-flow__node').first().waitFor();
  return box.evaluate((element) => {
    const frame = element.getBoundingClientRect();
    const rects = [...element.querySelectorAll('.react-flow__node, .react-flow__edge-path, .react-flow__edge-text')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 || r.height > 0);
    const top = Math.min(...rects.map((r) => r.top));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    const left = Math.min(...rects.map((r) => r.left));
    const right = Math.max(...rects.map((r) => r.right));
    const inner = { top: frame.top + element.clientTop, left: frame.left + element.clientLeft, bottom: frame.top + element.clientTop + element.clientHeight, right: frame.left + element.clientLeft + element.clientWidth };
    return { top: top - inner.top, bottom: inner.bottom - bottom, left: left - inner.left, right: inner.right - right, height: element.clientHeight, drawn: bottom - top };
  });
}

async function pickSearched(page: Page, label: string, option: string, search: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true }).first();
  await input.click();
  await input.fill(search);
  // Enter takes the first option the search leaves (a click may land on a dropdown still closing).
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').filter({ hasText: option }).first().waitFor();
  await page.keyboard.press('Enter');
  const field = page.locator('.ant-form-item').filter({ has: input });
  await eventually(async () => (await field.textContent()) ?? '').toContain(option);
}

describe('studio: workflow designer', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let caseId = '';

  const newCase = async (subject: string): Promise<string> => {
    const created = await fx.agent.client.post('/api/data/serviceCase', {
      subject, account: fx.account.id, channel: 'phone', category: 'malfunction', priority: 'high', slaLevel: 'standard', serialNo: 'SN-42', openedAt: '2026-03-01T08:00:00.000Z',
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const started = await fx.agent.client.post(`/api/data/serviceCase/${created.body.id}/transitions/start`, {});
    if (started.status !== 200) throw new Error(JSON.stringify(started.body));
    return created.body.id;
  };

  /** What a test run must not change: the record, jobs, notifications, metadata. */
  const sideEffects = async () => {
    const record = await fx.server.get(`/api/data/serviceCase/${caseId}`);
    const jobs = await fx.server.get('/api/scheduler/jobs?limit=1000');
    const revisions = await fx.server.get('/api/meta/revisions');
    const notified = await fx.manager.client.get('/api/notifications');
    const cases = await fx.server.get('/api/data/serviceCase?limit=100');
    return { version: record.body.version, status: record.body.status, jobs: jobs.body.items.length, revisions: revisions.body.items.length, notifications: notified.body.items.length, cases: cases.body.items.length };
  };

  beforeAll(async () => {
    fx = await startStudioFixture();
    caseId = await newCase('Printer jams on every page');
    browser = await launchBrowser();
    admin = await newContext(browser, fx.server.url);
    await signInContext(admin, { email: fx.server.admin!.email, password: fx.server.admin!.password });
    page = await admin.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('acceptance 3: add a state and a transition with a required field; test mode lists what would happen and creates nothing; saved, an agent takes it', async () => {
    await page.goto('/admin/workflows/caseHandling');
    await page.getByRole('heading', { name: 'Workflow designer · Service request handling' }).waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A new state…
    await page.getByLabel('State name').fill('onSite');
    await page.getByLabel('Label (English)').fill('On site');
    await page.getByLabel('Label (Chinese)').fill('上门中');
    await page.getByRole('button', { name: 'Add state' }).click();
    await page.locator('.react-flow__node').filter({ hasText: 'On site' }).waitFor();

    // …and a transition into it with a required field and two actions.
    await page.getByRole('tab', { name: 'Transitions' }).click();
    await page.getByRole('button', { name: 'Add transition' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Transition name').fill('sendOnSite');
    await drawer.getByLabel('Label (English)').fill('Send on site');
    await pickOption(page, 'From', 'In progress (inProgress)');
    await page.keyboard.press('Escape');
    // The From list (which lists On site too) must be closed, or the pick below finds its fading copy.
    await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
    await pickOption(page, 'To', 'On site (onSite)');
    await pickSearched(page, 'Required fields', 'Serial no. (serialNo)', 'serialNo');
    await page.keyboard.press('Escape');
    // New moves are the granted roles' only when named: the service desk agents may take this one.
    await pickSearched(page, 'Roles', '(agentServiceDesk)', 'agentServiceDesk');
    await page.keyboard.press('Escape');
    await pickOption(page, 'Actions it runs', 'countEscalation');
    await pickOption(page, 'Actions it runs', 'tellManagers');
    await page.keyboard.press('Escape');
    await drawer.getByRole('button', { name: 'Apply' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.locator('.react-flow__edge-text').filter({ hasText: 'Send on site' }).first().waitFor();
    await page.getByRole('cell', { name: 'sendOnSite', exact: true }).waitFor();
    await page.getByText('Unsaved changes').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.locator('.react-flow__edge-text').count()).toBeGreaterThan(5);
    expect(await diagramClashes(page)).toEqual([]);
    await screenshot(page, 'workflow-designer', 'en');

    // Test mode against the existing record, before saving.
    const before = await sideEffects();
    await page.getByRole('button', { name: 'Test mode' }).click();
    await pickOption(page, 'Record', 'Printer jams on every page', 'Printer');
    await page.getByRole('button', { name: 'Run test' }).click();
    const report = page.getByTestId('test-report');
    await report.waitFor();
    const sendOnSite = report.locator('[data-transition="sendOnSite"]');
    await sendOnSite.getByText('open', { exact: true }).waitFor();
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('nothing was saved, sent or scheduled');
    // Named as people read them: the state, roles, fields and values by their labels…
    expect(text).toMatch(/Current state\s*:?\s*In progress/);
    const card = (await sendOnSite.innerText()).replace(/\s+/g, ' ');
    expect(card).toContain('Send on site → On site');
    expect(card).toMatch(/Roles\s*:?\s*Service agent · service desk/);
    expect(card).toMatch(/Required fields\s*:?\s*Serial no\./);
    expect(card).toMatch(/Would set\s*:?\s*Escalations: 1/);
    expect(card).toMatch(/fires.*Tell the service managers/);
    // Every action by its label (the template labels each one), never by its key.
    expect(card).toMatch(/fires.*Count the escalation/);
    // …the notification's subject filled in for this record, its recipients and channels in words…
    const number = (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.number as string;
    expect(number).toMatch(/^CS-/);
    expect(card).toContain(`Subject: Service request ${number} needs attention`);
    expect(card).toContain('To: Service manager (role), Owner (field)');
    expect(card).toContain('Channels: inbox, e-mail');
    expect(card).toContain('Escalations: 1');
    // …and no internal key, raw JSON or unfilled placeholder.
    for (const raw of ['inProgress', 'onSite', 'agentServiceDesk', 'serialNo', 'escalationCount', 'countEscalation', 'tellManagers', '{{', '{"', '["']) expect(text, raw).not.toContain(raw);
    // The record picker names the record's state by its label too.
    expect(await page.locator('#wf-test-record').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain('Printer jams on every page · In progress');
    // The other open moves of the record are listed too, and why a closed one is closed.
    expect(await report.locator('[data-transition="askCustomer"]').textContent()).toContain('open');
    expect(await report.locator('[data-transition="resolve"]').textContent()).toMatch(/closed.*Fill in first/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'workflow-test-mode', 'en');
    // Nothing was created, sent, scheduled or saved.
    expect(await sideEffects()).toEqual(before);
    const saved = await fx.server.get('/api/meta/workflows/caseHandling');
    expect(Object.keys(saved.body.states)).not.toContain('onSite');

    // Save: the dry run first, with the records in each state; then apply.
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: 'Save…' }).click();
    const dryRun = page.getByTestId('dry-run');
    await dryRun.getByText('The change is valid.').waitFor();
    await dryRun.getByText('Records in each state now').waitFor();
    // The changed items by their kinds and labels in words (the stored names only in a tooltip).
    expect(await dryRun.textContent()).toMatch(/entity · Service request/);
    expect(await dryRun.textContent()).not.toMatch(/serviceCase|inProgress/);
    expect(await seriousViolations(page)).toEqual([]);
    await applyAndWaitForRevision(page, fx.server);
    const after = await fx.server.get('/api/meta/workflows/caseHandling');
    expect(after.body.transitions.sendOnSite).toMatchObject({ from: 'inProgress', to: 'onSite', requiredFields: ['serialNo'], actions: ['countEscalation', 'tellManagers'] });
    expect((await fx.server.get('/api/meta/entities/serviceCase')).body.fields.status.options.onSite).toBeDefined();

    // The agent takes the new transition on the record page.
    const agent = await newContext(browser, fx.server.url);
    try {
      await signInContext(agent, fx.agent);
      const agentPage = await agent.newPage();
      await agentPage.goto(`/e/serviceCase/${caseId}`);
      await agentPage.getByRole('button', { name: 'Send on site' }).click();
      await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.status).toBe('onSite');
      expect((await fx.server.get(`/api/data/serviceCase/${caseId}`)).body.escalationCount).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('the process changed: a state, a field and a rule, no restart; then a record is worked through the new state', async () => {
    const recordId = await newCase('Boiler needs a visit');
    await page.goto('/admin/workflows/caseHandling');
    await page.getByRole('heading', { name: 'Workflow designer · Service request handling' }).waitFor();
    // The field and the rule through the designer's raw entity JSON (the entity's own definition).
    await page.getByRole('tab', { name: 'Entity (JSON)' }).click();
    const json = page.getByRole('textbox', { name: 'Entity (JSON)' });
    const entity = JSON.parse(await json.inputValue());
    entity.fields.visitedAt = { type: 'datetime', label: { en: 'Visited at', zh: '上门时间' } };
    entity.rules.visitNeedsTime = { when: "status = 'visiting' and $not($exists(visitedAt))", message: { en: 'A visit needs the time of the visit', zh: '上门需记录上门时间' }, field: 'visitedAt' };
    await json.fill(JSON.stringify(entity, null, 2));
    await page.getByRole('button', { name: 'Use this entity definition' }).click();
    // The state.
    await page.getByRole('tab', { name: 'States' }).click();
    await page.getByLabel('State name').fill('visiting');
    await page.getByLabel('Label (English)').fill('Visiting');
    await page.getByRole('button', { name: 'Add state' }).click();
    // The action that stamps the new field, and the moves in and out of the state.
    await page.getByRole('tab', { name: 'Actions', exact: true }).click();
    await pickOption(page, 'Kind of action', 'Set fields');
    await page.getByRole('button', { name: 'Add action' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('stampVisit');
    // Built with the action's form: the new field (from the entity as edited above) and its value.
    await dialog.getByRole('button', { name: 'Add a value' }).click();
    await pickOption(page, 'Field of value 1', 'Visited at (visitedAt)', 'visitedAt');
    await dialog.getByLabel('Expression of value 1').fill('$now()');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('cell', { name: 'stampVisit', exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Transitions' }).click();
    for (const [name, label, from, to, actions] of [['startVisit', 'Start visit', 'In progress (inProgress)', 'Visiting (visiting)', ['stampVisit']], ['endVisit', 'Visit done', 'Visiting (visiting)', 'In progress (inProgress)', []]] as const) {
      await page.getByRole('button', { name: 'Add transition' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByLabel('Transition name').fill(name);
      await drawer.getByLabel('Label (English)').fill(label);
      await pickSearched(page, 'From', from, /\((\w+)\)/.exec(from)![1]!);
      await page.keyboard.press('Escape');
      await pickSearched(page, 'To', to, /\((\w+)\)/.exec(to)![1]!);
      await pickSearched(page, 'Roles', '(agentServiceDesk)', 'agentServiceDesk');
      await page.keyboard.press('Escape');
      // Escape closes the list a pick left open; with nothing to pick it would close the drawer itself.
      if (actions.length > 0) {
        for (const action of actions) await pickOption(page, 'Actions it runs', action);
        await page.keyboard.press('Escape');
      }
      await drawer.getByRole('button', { name: 'Apply' }).click();
      await drawer.waitFor({ state: 'hidden' });
    }
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.getByTestId('dry-run').getByText('The change is valid.').waitFor();
    await applyAndWaitForRevision(page, fx.server);

    // Live at once: the rule refuses a record in the new state without the new field…
    const refused = await fx.server.patch(`/api/data/serviceCase/${recordId}`, { status: 'visiting' }, { 'content-type': 'application/merge-patch+json' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // …and an agent works the record through the new state on its page.
    const agent = await newContext(browser, fx.server.url);
    try {
      await signInContext(agent, fx.agent);
      const agentPage = await agent.newPage();
      await agentPage.goto(`/e/serviceCase/${recordId}`);
      await agentPage.getByRole('button', { name: 'Start visit' }).click();
      await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${recordId}`)).body.status).toBe('visiting');
      expect((await fx.server.get(`/api/data/serviceCase/${recordId}`)).body.visitedAt).toBe(fx.server.clock.now().toISOString());
      await agentPage.getByRole('button', { name: 'Visit done' }).click();
      await eventually(async () => (await fx.server.get(`/api/data/serviceCase/${recordId}`)).body.status).toBe('inProgress');
      const history = await fx.server.get(`/api/data/serviceCase/${recordId}/state-history`);
      expect(history.body.items[0].stays.map((s: any) => s.state)).toEqual(['new', 'inProgress', 'visiting', 'inProgress']);
    } finally {
      await agent.close();
    }
  });

  it('a new workflow is made in the studio on a picklist field: its options become the states, each step to the next a transition', async () => {
    const bikeRepair = {
      kind: 'entity', name: 'bikeRepair', label: { en: 'Bike repair', zh: '单车维修' }, titleField: 'name',
      fields: {
        name: { type: 'text', required: true },
        bikeType: { type: 'picklist', label: { en: 'Bike type', zh: '车型' }, options: { road: { label: 'Road' }, city: { label: 'City' } } },
        stage: { type: 'picklist', label: { en: 'Stage', zh: '阶段' }, options: { received: { label: { en: 'Received', zh: '已接收' } }, inRepair: { label: { en: 'In repair', zh: '维修中' } }, ready: { label: { en: 'Ready', zh: '待取' } } } },
      },
    };
    const note = { kind: 'entity', name: 'bikeNote', label: { en: 'Bike note', zh: '单车备注' }, fields: { text: { type: 'text' } } };
    expect((await fx.server.post('/api/meta/apply', [bikeRepair, note])).status).toBe(200);
    const before = (await fx.server.post('/api/data/bikeRepair', { name: 'Squeaky brakes' })).body.id as string;
    await page.goto('/admin/workflows');
    await page.getByRole('button', { name: 'New workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.getByLabel('Name', { exact: true }).fill('bikeRepairFlow');
    // An entity without a picklist to hold the state says so, and cannot be chosen.
    await pickOption(page, 'Entity', 'Bike note', 'Bike note');
    await expect.poll(() => dialog.getByText('A workflow keeps its state in a picklist field with two options or more').isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    await pickOption(page, 'Entity', 'Bike repair', 'Bike repair');
    // Two picklists: which one holds the state is the admin's choice, not a guess.
    await dialog.getByLabel('Label (English)').fill('Bike repair process');
    expect(await dialog.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    await pickOption(page, 'State field', 'Stage');
    await dialog.getByLabel('Label (English)').fill('Bike repair process');
    await dialog.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByRole('dialog', { name: 'Review the change before applying' });
    await review.getByText('The change is valid').waitFor();
    // The review says what happens to the stored repair that has no stage yet (counted from the API).
    const withoutStage = ((await fx.server.get('/api/data/bikeRepair?limit=100')).body.items as { stage?: string }[]).filter((r) => r.stage === undefined).length;
    expect(withoutStage).toBeGreaterThan(0);
    expect(await review.getByTestId('state-moves-bikeRepair-').textContent()).toBe(`${withoutStage} Bike repair record${withoutStage === 1 ? ' has' : 's have'} no Stage: ${withoutStage === 1 ? 'it starts' : 'they start'} in the state “Received” (audited, ${withoutStage === 1 ? 'its' : 'their'} state history begins now)`);
    expect(await seriousViolations(page)).toEqual([]);
    await review.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/admin/workflows/bikeRepairFlow');
    await page.locator('.react-flow__node').first().waitFor();

    const saved = (await fx.server.get('/api/meta/workflows/bikeRepairFlow')).body;
    expect(saved).toMatchObject({ entity: 'bikeRepair', field: 'stage', label: { en: 'Bike repair process' } });
    expect(Object.keys(saved.states)).toEqual(['received', 'inRepair', 'ready']);
    expect(saved.states.received.initial).toBe(true);
    expect(saved.transitions).toMatchObject({ toInRepair: { from: 'received', to: 'inRepair' }, toReady: { from: 'inRepair', to: 'ready' } });
    // It runs at once: a new record starts in the first state and takes the first step.
    const created = await fx.server.post('/api/data/bikeRepair', { name: 'Flat tyre' });
    expect(created.body.stage).toBe('received');
    expect((await fx.server.post(`/api/data/bikeRepair/${created.body.id}/transitions/toInRepair`, {})).status).toBe(200);
    expect((await fx.server.get(`/api/data/bikeRepair/${created.body.id}`)).body.stage).toBe('inRepair');
    // A record made before the process was put in its first state; its timeline says so in words.
    await page.goto(`/e/bikeRepair/${before}`);
    const started = page.locator('[data-testid="timeline-entry"][data-action="workflow.initialState"]');
    await started.waitFor();
    expect(await started.innerText()).toContain("Started in the process's first state");
    // A move names its states as people see them, not by their stored values.
    await page.goto(`/e/bikeRepair/${created.body.id}`);
    const move = page.locator('[data-testid="timeline-entry"][data-action="transition"]');
    await move.waitFor();
    expect(await move.innerText()).not.toContain('received → inRepair');
    expect((await move.innerText()).split('\n').filter((l) => l === 'Received → In repair')).toHaveLength(1);
  });

  it('in Chinese and on a phone: the designer and test mode are axe-clean', async () => {
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['en', 390], ['zh', 390]] as const) {
      const context = await newContext(browser, fx.server.url, { language, width });
      try {
        await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
        const p = await context.newPage();
        await p.goto('/admin/workflows/caseHandling');
        await p.locator('.react-flow__node').first().waitFor();
        await p.getByRole('heading', { level: 1 }).waitFor();
        // States and transitions without a Chinese label are flagged (visiting and the moves made
        // above have English only); those with one are not.
        // (A table's row on a desktop, a card on a phone: the state's name heads it.)
        const stateRow = (name: string) => tableRows(p).filter({ has: p.locator(':scope > td:first-child, :scope > [data-column]:first-child').getByText(name, { exact: true }) });
        await stateRow('visiting').getByTestId('no-zh-label').waitFor();
        expect(await stateRow('inProgress').getByTestId('no-zh-label').count()).toBe(0);
        expect(await stateRow('visiting').innerText()).toContain(language === 'zh' ? '缺少中文标签' : 'no Chinese label');
        if (width === 390) {
          const outline = p.getByTestId('workflow-outline');
          const edit = (name: string) => outline.getByRole('button', { name: `${language === 'zh' ? '编辑流转' : 'Edit transition'} ${name}`, exact: true }).first();
          // Each button is named by its transition's label (its English one when it has no Chinese).
          await edit('Send on site').getByTestId('no-zh-label').waitFor({ timeout: 10_000 });
          expect(await edit(language === 'zh' ? '解决' : 'Resolve').getByTestId('no-zh-label').count()).toBe(0);
        }
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        expect(await diagramClashes(p)).toEqual([]);
        // The states and transitions tables are read without scrolling sideways, cards on a phone.
        await expectTablesFit(p);
        if (width < 600) expect(await p.locator('table').count()).toBe(0);
        // The diagram's box is as tall as the drawing fitted into it: the whole drawing inside, and
        // no empty band above and below it (only the fitting's padding), unless the box is at its
        // minimum height (160 px, room for the zoom controls).
        const fit = await drawingInBox(p);
        expect(Math.min(fit.top, fit.bottom, fit.left, fit.right), JSON.stringify(fit)).toBeGreaterThanOrEqual(-2);
        if (fit.height > 162) expect(fit.top + fit.bottom, JSON.stringify(fit)).toBeLessThanOrEqual(0.2 * fit.drawn + 12);
        await screenshot(p, 'workflow-designer', language);
        // An arrow is named by the transition and its states' labels in the UI language (not React
        // Flow's "Edge from inProgress to resolved"), and Enter on it opens it as a click does.
        const resolveArrow = p.locator('.react-flow__edge[data-id="resolve:inProgress"]');
        expect(await resolveArrow.getAttribute('aria-label')).toBe(language === 'zh' ? '解决：从处理中到已解决' : 'Resolve: from In progress to Resolved');
        expect(await p.locator('.react-flow__edge[aria-label^="Edge from"]').count()).toBe(0);
        expect(await p.locator('[id^="react-flow__edge-desc"]').first().textContent()).toBe(language === 'zh' ? '按回车键或空格键编辑此流转。' : 'Press Enter or Space to edit this transition.');
        await resolveArrow.focus();
        await p.keyboard.press('Enter');
        const transitionDrawer = p.getByRole('dialog', { name: language === 'zh' ? '编辑流转 解决' : 'Edit transition Resolve' });
        await transitionDrawer.waitFor();
        await p.keyboard.press('Escape');
        await transitionDrawer.waitFor({ state: 'hidden' });
        await p.getByRole('button', { name: language === 'zh' ? '测试模式' : 'Test mode' }).click();
        await pickOption(p, language === 'zh' ? '记录' : 'Record', 'Boiler needs a visit', 'Boiler');
        await p.getByRole('button', { name: language === 'zh' ? '运行测试' : 'Run test' }).click();
        const report = p.getByTestId('test-report');
        await report.waitFor();
        const text = (await report.innerText()).replace(/\s+/g, ' ');
        expect(text).toMatch(language === 'zh' ? /当前状态\s*[:：]?\s*处理中/ : /Current state\s*:?\s*In progress/);
        expect(text).toContain(language === 'zh' ? '渠道：站内收件箱、电子邮件' : 'Channels: inbox, e-mail');
        expect(text).toContain(language === 'zh' ? '升级次数：1' : 'Escalations: 1');
        for (const raw of ['inProgress', 'agentServiceDesk', 'serialNo', 'escalationCount', '{{', '{"', '["']) expect(text, raw).not.toContain(raw);
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        await screenshot(p, 'workflow-test-mode', language);
      } finally {
        await context.close();
      }
    }
  });

  it('a state no transition reaches from the initial state is marked unreachable (saved so, as after a history import); reachable states are not', async () => {
    const parcel = {
      kind: 'entity', name: 'parcel', label: { en: 'Parcel', zh: '包裹' }, titleField: 'name',
      fields: {
        name: { type: 'text', required: true },
        stage: { type: 'picklist', options: { received: { label: 'Received' }, packed: { label: 'Packed' }, shipped: { label: 'Shipped' }, legacyHold: { label: 'Legacy hold' } } },
      },
    };
    const flow = {
      kind: 'workflow', name: 'parcelFlow', entity: 'parcel', field: 'stage', label: { en: 'Parcel flow', zh: '包裹流程' },
      states: {
        received: { label: { en: 'Received', zh: '已接收' }, initial: true, order: 10 },
        packed: { label: { en: 'Packed', zh: '已打包' }, order: 20 },
        shipped: { label: { en: 'Shipped', zh: '已发货' }, final: true, order: 30 },
        legacyHold: { label: { en: 'Legacy hold', zh: '旧系统暂扣' }, order: 40 },
      },
      transitions: {
        pack: { label: { en: 'Pack', zh: '打包' }, from: 'received', to: 'packed' },
        ship: { label: { en: 'Ship', zh: '发货' }, from: 'packed', to: 'shipped' },
        // Out of the unreachable state only: it stays unreachable.
        release: { label: { en: 'Release', zh: '放行' }, from: 'legacyHold', to: 'packed' },
      },
    };
    // The API accepts it: records may sit in legacyHold after an import.
    const applied = await fx.server.post('/api/meta/apply', [parcel, flow]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);

    for (const language of ['en', 'zh'] as const) {
      const context = await newContext(browser, fx.server.url, { language, width: 1280 });
      try {
        await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
        const p = await context.newPage();
        await p.goto('/admin/workflows/parcelFlow');
        await p.locator('.react-flow__node').first().waitFor();
        const badge = language === 'zh' ? '不可达' : 'unreachable';
        const stateRow = (name: string) => tableRows(p).filter({ has: p.locator(':scope > td:first-child').getByText(name, { exact: true }) });
        await stateRow('legacyHold').getByTestId('unreachable-legacyHold').waitFor();
        expect(await stateRow('legacyHold').getByTestId('unreachable-legacyHold').innerText()).toBe(badge);
        for (const name of ['received', 'packed', 'shipped']) expect(await stateRow(name).locator('[data-testid^="unreachable-"]').count(), name).toBe(0);
        // The note above the states names it by its label; the diagram's state carries the badge's word too.
        const note = p.getByTestId('unreachable-note');
        expect(await note.innerText()).toContain(language === 'zh' ? '旧系统暂扣' : 'Legacy hold');
        expect(await p.locator('.react-flow__node[data-id="legacyHold"]').innerText()).toContain(badge);
        for (const name of ['received', 'packed', 'shipped']) expect(await p.locator(`.react-flow__node[data-id="${name}"]`).innerText(), name).not.toContain(badge);
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        // The marked state's box is given room for its second line: no label sits on it.
        expect(await diagramClashes(p)).toEqual([]);
        await p.evaluate(() => window.scrollTo(0, 0));
        await screenshot(p, 'workflow-unreachable-state', language);
        await stateRow('shipped').scrollIntoViewIfNeeded();
        await screenshot(p, 'workflow-unreachable-state-table', language);
        if (language === 'en') {
          // A transition into it (not saved) makes it reachable: the badge and the note go.
          await p.getByRole('tab', { name: 'Transitions' }).click();
          await p.getByRole('button', { name: 'Add transition' }).click();
          const drawer = p.getByRole('dialog');
          await drawer.getByLabel('Transition name').fill('hold');
          await drawer.getByLabel('Label (English)').fill('Hold');
          await pickOption(p, 'From', 'Received (received)');
          await p.keyboard.press('Escape');
          await p.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
          await pickOption(p, 'To', 'Legacy hold (legacyHold)');
          await drawer.getByRole('button', { name: 'Apply' }).click();
          await drawer.waitFor({ state: 'hidden' });
          await p.getByRole('tab', { name: 'States' }).click();
          await stateRow('legacyHold').waitFor();
          await eventually(() => p.locator('[data-testid^="unreachable-"]').count()).toBe(0);
          expect(await p.getByTestId('unreachable-note').count()).toBe(0);
          expect(await p.locator('.react-flow__node[data-id="legacyHold"]').innerText()).not.toContain(badge);
        }
      } finally {
        await context.close();
      }
    }
  });
  it('a state is edited after it was made — its labels, final and SLA — from its row or its box in the diagram, and saved', async () => {
    const desk = {
      kind: 'entity', name: 'deskTicket', label: { en: 'Desk ticket', zh: '前台工单' }, titleField: 'name',
      fields: { name: { type: 'text', required: true }, step: { type: 'picklist', options: { open: { label: 'Open' }, done: { label: 'Done' }, dropped: { label: 'Dropped' } } } },
    };
    const flow = {
      kind: 'workflow', name: 'deskFlow', entity: 'deskTicket', field: 'step', label: { en: 'Desk flow', zh: '前台流程' },
      states: { open: { label: 'Open', initial: true, order: 10, color: '#1677ff' }, done: { label: 'Done', order: 20 }, dropped: { label: 'Dropped', order: 30 } },
      transitions: { finish: { label: 'Finish', from: 'open', to: 'done' }, drop: { label: 'Drop', from: 'open', to: 'dropped' } },
    };
    const applied = await fx.server.post('/api/meta/apply', [desk, flow]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const context = await newContext(browser, fx.server.url, { language: 'en', width: 1280 });
    try {
      await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
      const p = await context.newPage();
      await p.goto('/admin/workflows/deskFlow');
      await p.locator('.react-flow__node').first().waitFor();
      // From the row: the Chinese label, final, an SLA.
      await p.getByRole('button', { name: 'Edit state Done' }).click();
      let drawer = p.getByRole('dialog', { name: 'Edit state Done' });
      await drawer.getByLabel('Label (Chinese)').fill('已完成');
      await drawer.getByLabel('SLA hours').fill('48');
      await drawer.getByRole('checkbox', { name: 'final' }).check();
      expect(await seriousViolations(p)).toEqual([]);
      await drawer.getByRole('button', { name: 'Apply' }).click();
      await drawer.waitFor({ state: 'hidden' });
      // From the diagram: the state's box opens the same drawer; the initial state cannot be made final.
      await p.locator('.react-flow__node[data-id="open"]').click();
      drawer = p.getByRole('dialog', { name: 'Edit state Open' });
      expect(await drawer.getByRole('checkbox', { name: 'final' }).isDisabled()).toBe(true);
      // Its label is a plain string, the label in every language: both fields show it (the Chinese one was empty before).
      expect(await drawer.getByLabel('Label (English)').inputValue()).toBe('Open');
      expect(await drawer.getByLabel('Label (Chinese)').inputValue()).toBe('Open');
      await drawer.getByLabel('Label (English)').fill('New');
      await drawer.getByRole('button', { name: 'Apply' }).click();
      await drawer.waitFor({ state: 'hidden' });
      await p.getByRole('button', { name: 'Save…' }).click();
      await p.getByTestId('dry-run').getByText('The change is valid.').waitFor();
      await applyAndWaitForRevision(p, fx.server);
      const saved = await fx.server.get('/api/meta/workflows/deskFlow');
      expect(saved.body.states.done).toEqual({ label: { en: 'Done', zh: '已完成' }, order: 20, final: true, slaHours: 48 });
      // What the drawer does not show is kept: the order, the colour, the initial mark.
      expect(saved.body.states.open).toEqual({ label: { en: 'New', zh: 'Open' }, initial: true, order: 10, color: '#1677ff' });
      expect(saved.body.states.dropped).toEqual(flow.states.dropped);
      expect(saved.body.transitions).toEqual(flow.transitions);
    } finally {
      await context.close();
    }
  });
});
