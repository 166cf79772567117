// The entity designer's indexes, duplicate rules and "where is this used", over real HTTP: a unique
// index over values records already share is shown in the save review with the count and the
// records (the API's dry run's own figures) and cannot be applied; made a plain index it saves; a
// duplicate rule made blocking (and relabelled) in the designer refuses the next twin through the
// API, which names it by its new label; the usages
// drawer of a field lists what the API's usages answer lists.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { labelIn, pickOption, signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

describe('studio: indexes, duplicate rules and usages in the entity designer', { timeout: 300_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const twins: string[] = [];

  const part = (p: Page, name: RegExp) => p.locator('label.ant-radio-button-wrapper').filter({ hasText: name }).click();

  beforeAll(async () => {
    fx = await startStudioFixture();
    for (let i = 0; i < 2; i++) {
      const created = await fx.server.post('/api/data/account', { name: 'Twin Trading', clientType: 'business', region: 'east' });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      twins.push(created.body.id);
    }
    browser = await launchBrowser();
    context = await newContext(browser, fx.server.url);
    await signInContext(context, { email: fx.server.admin!.email, password: fx.server.admin!.password });
    page = await context.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('a unique index over shared values shows the API dry run\'s count and records and cannot be applied; a plain one saves', async () => {
    await page.goto('/admin/entities/account');
    await page.getByRole('heading', { name: /Client/ }).first().waitFor();
    await part(page, /^Indexes/);
    await page.getByLabel('New index name').fill('byName');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('switch', { name: 'Index byName is unique' }).click();

    // What the API's dry run says about the same change.
    const current = (await fx.server.get('/api/meta/entities/account')).body;
    const titleField = current.titleField as string;
    const dry = (await fx.server.post('/api/meta/validate', { documents: [{ ...current, indexes: { ...(current.indexes ?? {}), byName: { fields: [titleField], unique: true } } }] })).body;
    const clash = dry.uniqueIndexes.find((u: { entity: string }) => u.entity === 'account');
    expect(clash).toMatchObject({ fields: [titleField], duplicates: 2 });
    expect([...clash.examples].sort()).toEqual([...twins].sort());

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    const shown = dialog.getByTestId('unique-clash-account');
    await shown.getByText(`2 ${labelIn(current.label, 'en', 'account')} records share values of ${labelIn(current.fields[titleField].label, 'en', titleField)}: the unique index cannot be made until the values differ`).waitFor();
    // The records by their titles, links to them; their ids only in the tooltips, in the examples and in the issue.
    const links = shown.getByRole('link', { name: 'Twin Trading' });
    await eventually(async () => (await links.evaluateAll((as) => as.map((a) => a.getAttribute('title')))).sort()).toEqual([...twins].sort());
    expect((await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort()).toEqual(twins.map((id) => `/e/account/${id}`).sort());
    await dialog.getByText(`2 records share a value of ${labelIn(current.fields[titleField].label, 'en', titleField)}, which must become unique, e.g.`).waitFor();
    await eventually(async () => dialog.getByRole('listitem').filter({ hasText: 'must become unique' }).getByRole('link', { name: 'Twin Trading' }).count()).toBe(2);
    const text = await dialog.innerText();
    for (const id of twins) expect(text).not.toContain(id);
    expect(await dialog.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-entity-unique-clash', 'en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await fx.server.get('/api/meta/entities/account')).body.indexes?.byName).toBeUndefined();

    // Not unique: it saves.
    await page.getByRole('switch', { name: 'Index byName is unique' }).click();
    await page.getByRole('button', { name: 'Review and save' }).click();
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/entities/account')).body.indexes?.byName).toEqual({ fields: [titleField] });
  });

  it('the template\'s duplicate rule made blocking and relabelled in the designer refuses the next twin through the API', async () => {
    await page.goto('/admin/entities/account');
    await page.getByRole('heading', { name: /Client/ }).first().waitFor();
    await part(page, /^Duplicate rules/);
    // The template warns about a same-name client; the admin makes it refuse one.
    await pickOption(page, 'Action of sameName', 'Block');
    // The template's label, shown in both languages; the admin rewrites the English one.
    const template = (await fx.server.get('/api/meta/entities/account')).body.duplicateRules.sameName.label;
    expect(await page.getByLabel('Label of sameName (Chinese)').inputValue()).toBe(template.zh);
    await page.getByLabel('Label of sameName (English)').fill('Client already on file');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-entity-duplicate-rules', 'en');
    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the change before applying' });
    await dialog.getByText('The change is valid').waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (await fx.server.get('/api/meta/entities/account')).body.duplicateRules?.sameName?.action).toBe('block');
    expect((await fx.server.get('/api/meta/entities/account')).body.duplicateRules.sameName).toMatchObject({ match: ['name'], label: { en: 'Client already on file', zh: template.zh } });
    const third = await fx.server.post('/api/data/account', { name: 'Twin Trading', clientType: 'business', region: 'east' });
    expect(third.status).toBe(409);
    expect(JSON.stringify(third.body)).toContain('DUPLICATE:sameName');
    const scan = await fx.server.get('/api/quality/account/duplicates?rule=sameName');
    expect(scan.body.items.length).toBeGreaterThan(0);
    expect([...new Set(scan.body.items.map((c: { ruleLabel?: string }) => c.ruleLabel))]).toEqual(['Client already on file']);
  });

  it('"where is this used" on a field lists what the API lists', async () => {
    const api = (await fx.server.get('/api/meta/usages/entities/account/region')).body.usages as { kind: string; name: string; path: string }[];
    expect(api.length).toBeGreaterThan(0);
    await page.goto('/admin/entities/account');
    await page.getByRole('heading', { name: /Client/ }).first().waitFor();
    await page.getByRole('button', { name: 'Where account.region is used' }).click();
    const drawer = page.getByRole('dialog', { name: 'Where account.region is used' });
    await drawer.getByText(`${api.length} reference(s)`).waitFor();
    const rows = (await drawer.locator('.ant-list-item').allTextContents()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect(rows.sort()).toEqual(api.map((u) => `${u.kind}${u.name} ${u.path}`.replace(/\s+/g, ' ').trim()).sort());
    // Each opens its designer.
    await drawer.getByRole('link', { name: 'clientsByType', exact: true }).waitFor();
    expect(await drawer.getByRole('link', { name: 'clientsByType', exact: true }).getAttribute('href')).toBe('/admin/views/clientsByType');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'designer-usages', 'en');
  });

  it('indexes, duplicate rules and usages in Chinese and on a phone: axe-clean, screenshots', async () => {
    for (const [language, width] of [['en', 390], ['zh', 1280], ['zh', 390]] as const) {
      const other = await newContext(browser, fx.server.url, { language, width });
      try {
        await signInContext(other, { email: fx.server.admin!.email, password: fx.server.admin!.password });
        const p = await other.newPage();
        await p.goto('/admin/entities/account');
        await p.getByRole('heading', { level: 1 }).waitFor();
        await p.getByRole('button', { name: language === 'zh' ? 'account.region 的使用位置' : 'Where account.region is used' }).click();
        await p.locator('.ant-drawer .ant-list-item').first().waitFor();
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        await screenshot(p, 'designer-usages', language);
        await p.keyboard.press('Escape');
        await p.locator('.ant-drawer .ant-list-item').first().waitFor({ state: 'hidden' });
        await part(p, language === 'zh' ? /^索引/ : /^Indexes/);
        await p.getByRole('switch').first().waitFor();
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        await screenshot(p, 'designer-entity-indexes', language);
        await part(p, language === 'zh' ? /^查重规则/ : /^Duplicate rules/);
        await p.getByLabel(language === 'zh' ? 'sameName 的显示名称（中文）' : 'Label of sameName (Chinese)').waitFor();
        expect(JSON.stringify(await seriousViolations(p))).toBe('[]');
        await screenshot(p, 'designer-entity-duplicate-rules', language);
      } finally {
        await other.close();
      }
    }
  });
});
