// The record page's reassignment (OwnerBar) goes in turn with the form's saves, as a transition does:
// a reassignment confirmed while a Save is on its way waits for it and takes the version it wrote,
// and a Save clicked while a reassignment is on its way (its dialog closed) waits for it and carries
// its version — no 412, "someone else changed this record", against the page's own write; what the
// form holds unsaved stays in it. A reassignment cancelled while it still waits for a Save is withdrawn:
// never sent. Checked through the API; axe at 1280 px (en) and 390 px (zh).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, holdFirst, launchBrowser, seriousViolations } from '../support/browser.ts';
import { closeBrowserSuite, pickOption, signedInPage, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

const words = {
  en: { workflow: 'Workflow', reassign: 'Reassign', newOwner: 'New owner', cancel: 'Cancel', model: 'Product model', subject: 'Subject', save: 'Save', conflict: 'Someone else changed this record', withdrawn: 'Reassignment withdrawn: it was still waiting for the save before it, and was not sent' },
  zh: { workflow: '流程', reassign: '转交', newOwner: '新负责人', cancel: '取消', model: '产品型号', subject: '主题', save: '保存', conflict: '此记录已被他人修改', withdrawn: '已撤回转交：它仍在等待之前的保存完成，尚未发送' },
} as const;

describe('studio: the record page\'s reassignment in turn with its saves', { timeout: 240_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fx = await startStudioFixture();
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => closeBrowserSuite({ contexts, browser, servers: [fx?.server] }));

  /** A new service case of the agent's (who may reassign the team's), through the API. */
  const newCase = async (): Promise<string> => {
    const res = await fx.agent.client.post('/api/data/serviceCase', { subject: 'Printer jams', account: fx.account.id, channel: 'phone', priority: 'normal', category: 'malfunction' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const stored = async (id: string) => (await fx.server.get(`/api/data/serviceCase/${id}`)).body as Record<string, unknown>;
  const actions = async (id: string) => ((await fx.server.get(`/api/data/serviceCase/${id}/history`)).body.items as { action: string }[]).map((e) => e.action);
  const openCase = async (page: Page, id: string, w: (typeof words)['en' | 'zh']) => {
    await page.goto(`/e/serviceCase/${id}`);
    await page.getByRole('group', { name: w.workflow }).getByRole('button').first().waitFor();
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Ada Agent');
  };
  /** Opens the reassign dialog, picks the manager and confirms. */
  const reassignToManager = async (page: Page, w: (typeof words)['en' | 'zh']) => {
    await page.getByRole('button', { name: w.reassign, exact: true }).click();
    await pickOption(page, w.newOwner, 'Mia Manager', 'mia');
    await page.getByRole('dialog').getByRole('button', { name: w.reassign, exact: true }).click();
  };

  it('a reassignment confirmed while a Save is on its way waits for it and takes the version it wrote (en, 1280 px)', async () => {
    const w = words.en;
    const id = await newCase();
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts, options: { language: 'en', width: 1280 } });
    await openCase(page, id, w);
    const { applied, release } = await holdFirst(page, 'PATCH', `/api/data/serviceCase/${id}`);
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await eventually(applied).toBe(true);
    // Typed after the Save was sent, not saved: the reassignment does not write it, and must not drop it.
    await page.getByLabel(w.subject).fill('Printer jams twice a day');
    await reassignToManager(page, w);
    // Before, the reassignment went out at once on the version the page showed, which the Save had
    // just replaced: refused in the dialog as a stale version.
    release();
    const refusal = page.getByRole('dialog').getByRole('alert');
    await eventually(async () => (await refusal.count()) > 0 || (await page.getByRole('dialog').count()) === 0).toBe(true);
    expect(await refusal.count()).toBe(0);
    expect(await stored(id)).toMatchObject({ owner: fx.manager.id, assetModel: 'LJ-4000', subject: 'Printer jams' });
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Mia Manager');
    expect(await page.getByLabel(w.subject).inputValue()).toBe('Printer jams twice a day');
    expect(await seriousViolations(page)).toEqual([]);
    // The next Save carries the reassignment's version and what stayed in the form.
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await eventually(async () => (await stored(id))['subject']).toBe('Printer jams twice a day');
    expect(await page.getByRole('alert').filter({ hasText: w.conflict }).count()).toBe(0);
    expect(await actions(id)).toEqual(['create', 'update', 'reassign', 'update']);
  });

  it.each(['en', 'zh'] as const)('a reassignment cancelled while it waits for a Save is withdrawn, never sent (%s)', async (language) => {
    const w = words[language];
    const id = await newCase();
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts, options: { language, width: language === 'en' ? 1280 : 390 } });
    await openCase(page, id, w);
    const { applied, release } = await holdFirst(page, 'PATCH', `/api/data/serviceCase/${id}`);
    let reassignsSent = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/api/data/serviceCase/${id}/reassign`) reassignsSent++;
    });
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await eventually(applied).toBe(true);
    await reassignToManager(page, w);
    // Waiting its turn behind the Save: cancelled, it must not go out once the Save is back.
    await page.getByRole('dialog').getByRole('button', { name: w.cancel, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    release();
    await page.getByText(w.withdrawn, { exact: true }).waitFor();
    expect(await stored(id)).toMatchObject({ owner: fx.agent.id, assetModel: 'LJ-4000' });
    expect(await actions(id)).toEqual(['create', 'update']);
    expect(reassignsSent).toBe(0);
    expect(await page.getByTestId('record-owner').textContent()).toBe('Ada Agent');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a Save clicked while a reassignment is on its way waits for it and carries the version it wrote (zh, 390 px)', async () => {
    const w = words.zh;
    const id = await newCase();
    const page = await signedInPage({ browser, server: fx.server, user: fx.agent, contexts, options: { language: 'zh', width: 390 } });
    await openCase(page, id, w);
    // Typed before the reassignment and not saved: it stays in the form for the Save.
    await page.getByLabel(w.subject).fill('Printer jams twice a day');
    // The reassignment's answer is held back in the browser (the server has written it); the dialog
    // is closed meanwhile and the form saved.
    const { applied, release } = await holdFirst(page, 'POST', `/api/data/serviceCase/${id}/reassign`);
    await reassignToManager(page, w);
    await eventually(applied).toBe(true);
    await page.getByRole('dialog').getByRole('button', { name: w.cancel, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByLabel(w.model).fill('LJ-4000');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    // Before, the Save went out at once on the version the page showed, which the reassignment had
    // just replaced: a 412, "someone else changed it".
    release();
    const conflict = page.getByRole('alert').filter({ hasText: w.conflict });
    await eventually(async () => (await conflict.count()) > 0 || (await stored(id))['assetModel'] === 'LJ-4000').toBe(true);
    expect(await conflict.count()).toBe(0);
    expect(await stored(id)).toMatchObject({ owner: fx.manager.id, assetModel: 'LJ-4000', subject: 'Printer jams twice a day' });
    await eventually(() => page.getByTestId('record-owner').textContent()).toBe('Mia Manager');
    expect(await page.getByLabel(w.model).inputValue()).toBe('LJ-4000');
    expect(await actions(id)).toEqual(['create', 'reassign', 'update']);
    expect(await conflict.count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
