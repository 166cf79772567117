// The record page's workflow buttons and the form's save before a transition (TransitionBar's
// `prepare`): a transition asking for a comment saves the form first, so a refused save shows its
// error at the field before any comment is typed; a transition clicked while a Save is on its way
// waits for it and carries the version it wrote (no 412); a transition taken by keyboard leaves the
// focus in the workflow buttons, not on the page's body; a Save clicked while a transition is on its way
// waits for it and carries the version it wrote. Axe and screenshots at 1280 px (en) and
// 390 px (zh).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, holdFirst, launchBrowser, screenshot, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const words = {
  en: { workflow: 'Workflow', cancel: 'Cancel', takeUp: 'Take it up', askClient: 'Ask the client', low: 'Low', high: 'High', notLow: 'A complaint is never low priority', comment: 'Comment (required)', confirm: 'Confirm', back: 'Back', model: 'Product model', save: 'Save', conflict: 'Someone else changed this record', subject: 'Subject' },
  zh: { workflow: '流程', cancel: '取消', takeUp: '受理', askClient: '询问客户', low: '低', high: '高', notLow: '投诉不能设为低优先级', comment: '备注（必填）', confirm: '确认', back: '返回', model: '产品型号', save: '保存', conflict: '此记录已被他人修改', subject: '主题' },
} as const;

describe('studio: the record page\'s transitions and the save before them', { timeout: 240_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [fx?.server] }));

  /** A new service case of the agent's, through the API. */
  const newCase = async (values: Record<string, unknown>): Promise<string> => {
    const res = await fx.agent.client.post('/api/data/serviceCase', { subject: 'Printer jams', account: fx.account.id, channel: 'phone', priority: 'normal', ...values });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const stored = async (id: string) => (await fx.server.get(`/api/data/serviceCase/${id}`)).body as Record<string, unknown>;
  const openCase = async (page: Page, id: string, w: (typeof words)['en' | 'zh']) => {
    await page.goto(`/e/serviceCase/${id}`);
    await page.getByRole('group', { name: w.workflow }).getByRole('button').first().waitFor();
  };

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`a transition asking for a comment saves the form first: a refused save shows its error before the comment is asked for (${language}, ${width} px)`, async () => {
      const w = words[language];
      const id = await newCase({ category: 'complaint' });
      const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts, options: { language, width } });
      await openCase(page, id, w);
      const bar = page.getByRole('group', { name: w.workflow });
      // A complaint is never low priority: the save before the transition is refused at /priority.
      await page.getByRole('radio', { name: w.low, exact: true }).check();
      await bar.getByRole('button', { name: w.cancel, exact: true }).click();
      const priorityItem = page.locator('.ant-form-item').filter({ has: page.getByRole('radio', { name: w.low, exact: true }) });
      await priorityItem.getByText(w.notLow).waitFor();
      // The focus is taken to the field to fix (its chosen radio), as after a refused Save.
      await eventually(() => page.getByRole('radio', { name: w.low, exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
      // …and no comment was asked for, to be typed and lost with the refused save.
      expect(await page.getByRole('dialog').count()).toBe(0);
      expect((await stored(id))['status']).toBe('new');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-transition-refused-save', language);
      // Fixed, the form is saved, then the comment asked for and the transition taken with it.
      await page.getByRole('radio', { name: w.high, exact: true }).check();
      await bar.getByRole('button', { name: w.cancel, exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(w.comment).fill('Duplicate of an earlier request');
      // Typed into, the box still says what it is for: its label is in sight, not a placeholder gone with the first letter.
      await dialog.locator('label').filter({ hasText: w.comment }).waitFor({ state: 'visible' });
      // The way out of the dialog is not named as the "Cancel" transition it would take.
      expect(await dialog.getByRole('button', { name: w.cancel, exact: true }).count()).toBe(0);
      expect(await dialog.getByRole('button', { name: w.back, exact: true }).count()).toBe(1);
      expect((await stored(id))['priority']).toBe('high');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-transition-comment', language);
      await dialog.getByRole('button', { name: w.confirm }).click();
      await eventually(async () => (await stored(id))['status']).toBe('cancelled');
      const history = (await fx.server.get(`/api/data/serviceCase/${id}/history`)).body.items as { comment?: string }[];
      expect(history.map((e) => e.comment).filter(Boolean)).toEqual(['Duplicate of an earlier request']);
    });
  }

  it('a transition clicked while a Save is on its way waits for it and takes the version it wrote', async () => {
    const w = words.en;
    const id = await newCase({ category: 'malfunction' });
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts });
    await openCase(page, id, w);
    // The Save's answer is held back in the browser (the server has written it) until the transition is clicked.
    const { applied, release } = await holdFirstSave(page, id);
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await eventually(applied).toBe(true);
    const takeUp = page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.takeUp });
    await takeUp.click();
    // The transition waits (its button busy) for the Save in flight; before, it wrote the form again
    // on the version the page had shown, which the Save had just replaced: a 412, "someone else changed it".
    const conflict = page.getByRole('alert').filter({ hasText: w.conflict });
    await eventually(async () => (await conflict.count()) > 0 || (await takeUp.evaluate((el) => el.classList.contains('ant-btn-loading')))).toBe(true);
    release();
    await eventually(async () => (await conflict.count()) > 0 || (await stored(id))['status'] === 'inProgress').toBe(true);
    expect(await conflict.count()).toBe(0);
    expect(await stored(id)).toMatchObject({ status: 'inProgress', assetModel: 'LJ-4000' });
    await page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.askClient }).waitFor();
    expect(await conflict.count()).toBe(0);
    const actions = ((await fx.server.get(`/api/data/serviceCase/${id}/history`)).body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(['create', 'update', 'transition']);
  });

  it('what is typed while a Save is on its way stays in the form, and the transition queued behind it saves it', async () => {
    const w = words.en;
    const id = await newCase({ category: 'malfunction' });
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts });
    await openCase(page, id, w);
    const { applied, release } = await holdFirstSave(page, id);
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await eventually(applied).toBe(true);
    // Typed after the Save was sent: not in it, and not to be replaced by what it wrote.
    await page.getByLabel(w.subject).fill('Printer jams twice a day');
    await page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.takeUp }).click();
    release();
    await eventually(async () => (await stored(id))['status']).toBe('inProgress');
    expect(await stored(id)).toMatchObject({ assetModel: 'LJ-4000', subject: 'Printer jams twice a day' });
    await page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.askClient }).waitFor();
    expect(await page.getByLabel(w.subject).inputValue()).toBe('Printer jams twice a day');
  });

  it('a Save clicked while a transition is on its way waits for it and carries the version it wrote, with what was typed meanwhile', async () => {
    const w = words.en;
    // Handled by: in progress, the form wants it before it saves.
    const id = await newCase({ category: 'malfunction', resolutionPath: 'remote' });
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts });
    await openCase(page, id, w);
    // The transition's answer is held back in the browser (the server has moved the record) while the user types and saves.
    const { applied, release } = await holdFirst(page, 'POST', `/api/data/serviceCase/${id}/transitions/`);
    await page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.takeUp }).click();
    await eventually(applied).toBe(true);
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    // Before, the Save went out at once on the version the page showed, which the transition had
    // just replaced: a 412, "someone else changed it".
    release();
    const conflict = page.getByRole('alert').filter({ hasText: w.conflict });
    await eventually(async () => (await conflict.count()) > 0 || (await stored(id))['assetModel'] === 'LJ-4000').toBe(true);
    expect(await conflict.count()).toBe(0);
    expect(await stored(id)).toMatchObject({ status: 'inProgress', assetModel: 'LJ-4000' });
    await page.getByRole('group', { name: w.workflow }).getByRole('button', { name: w.askClient }).waitFor();
    expect(await page.getByLabel(w.model).inputValue()).toBe('LJ-4000');
    expect(await conflict.count()).toBe(0);
    const actions = ((await fx.server.get(`/api/data/serviceCase/${id}/history`)).body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(['create', 'transition', 'update']);
  });

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`a transition taken by keyboard after the form is saved leaves the focus in the workflow buttons (${language}, ${width} px)`, async () => {
      const w = words[language];
      const id = await newCase({ category: 'malfunction' });
      const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts, options: { language, width } });
      await openCase(page, id, w);
      await page.getByLabel(w.model).fill('LJ-5000');
      const bar = page.getByRole('group', { name: w.workflow });
      await bar.getByRole('button', { name: w.takeUp }).focus();
      await page.keyboard.press('Enter');
      await eventually(async () => (await stored(id))['status']).toBe('inProgress');
      expect((await stored(id))['assetModel']).toBe('LJ-5000');
      await bar.getByRole('button', { name: w.askClient }).waitFor();
      await page.locator('[data-testid="timeline-entry"][data-action="transition"]').first().waitFor();
      // The button taken is gone with the state it led out of: the focus stays in the bar, on the next one.
      await eventually(() => bar.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'record-transition-keyboard', language);
    });
  }
});

/**
 * Holds back the browser's copy of the first Save's answer (the server has written it) until
 * `release()`: a Save still on its way, as a slow network makes it. `applied()` once the server wrote it.
 */
function holdFirstSave(page: Page, id: string): Promise<{ applied: () => boolean; release: () => void }> {
  return holdFirst(page, 'PATCH', `/api/data/serviceCase/${id}`);
}
