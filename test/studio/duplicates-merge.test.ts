// The duplicates page and the merge dialog in chromium against a real server: an entity of our own
// with duplicate rules (names folded for case, spacing and full-width characters; mobiles folded
// for phone formats) and a child entity pointing at it. The clusters the page shows are the API's;
// a merge with a field-by-field choice leaves the survivor with the chosen values and the child
// pointing at it (read back through the API), and Undo puts it all back; two confirmed clusters
// merged in bulk, then the batch undone; the record page leads to its clusters. A cluster is named
// by its rule's label in the reader's language, or by the rule's name when it has none. Axe and
// screenshots at 1280 and 390 px, in English and Chinese.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations } from '../support/browser.ts';
import { pickOption, signInContext, closeBrowserSuite } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const prospect = {
  kind: 'entity', name: 'prospect', label: { en: 'Prospect', zh: '潜在客户' }, pluralLabel: { en: 'Prospects', zh: '潜在客户' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } },
    email: { type: 'email', label: { en: 'Email', zh: '邮箱' } },
    mobile: { type: 'phone', label: { en: 'Mobile', zh: '手机' } },
    city: { type: 'text', label: { en: 'City', zh: '城市' } },
    company: { type: 'lookup', to: 'company', label: { en: 'Company', zh: '公司' } },
  },
  duplicateRules: {
    sameName: { match: ['name'], method: 'normalized' },
    sameMobile: { label: { en: 'Same mobile number', zh: '手机号相同' }, match: ['mobile'], method: 'normalized', region: 'GB' },
  },
};
const company = {
  kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } },
};
const visit = {
  kind: 'entity', name: 'visit', label: { en: 'Visit', zh: '拜访' }, pluralLabel: { en: 'Visits', zh: '拜访' }, titleField: 'subject',
  fields: { subject: { type: 'text', required: true, label: { en: 'Subject', zh: '主题' } }, prospect: { type: 'lookup', to: 'prospect', label: { en: 'Prospect', zh: '潜在客户' } } },
};

// Planted: [name, email, mobile, city]; the duplicates differ by case and spacing, full-width
// characters, or only share a mobile written another way.
const planted: [string, string, string, string][] = [
  ['Alice Martin', 'alice@old.test', '+44 20 7946 0001', 'London'],
  ['ALICE   MARTIN', 'alice@new.test', '+44 20 7946 0002', ''],
  ['Carl House', 'carl@a.test', '+44 20 7946 0003', 'Leeds'],
  ['Ｃａｒｌ　Ｈｏｕｓｅ', '', '+44 20 7946 0004', 'York'],
  ['Dana Lee', 'dana@a.test', '+44 20 7946 0005', 'Bath'],
  ['D. Lee', '', '020-7946-0005', ''],
  ['Eva Novak', 'eva@a.test', '+44 20 7946 0007', 'Hull'],
  ['Farid Haddad', 'farid@a.test', '+44 20 7946 0008', ''],
];

describe('studio: duplicates and merging', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids = new Map<string, string>();
  let visitId: string;
  let acmeId: string;

  const clustersOfApi = async () => {
    const res = await server.get<any>('/api/quality/prospect/duplicates');
    expect(res.status).toBe(200);
    return (res.body.items as { rule: string; ids: string[] }[]).map((c) => `${c.rule}:${c.ids.join(',')}`).sort();
  };
  const clustersShown = async (page: Page) => (await page.getByTestId('duplicate-cluster').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-rule')}:${e.getAttribute('data-ids')}`))).sort();
  const openPage = async (options: { width?: number; language?: 'en' | 'zh' } = {}) => {
    const context = await newContext(browser, server.url, options);
    contexts.push(context);
    await signInContext(context, server.admin!);
    return context.newPage();
  };
  const clusterOf = (page: Page, name: string) => page.locator(`[data-testid="duplicate-cluster"][data-ids*="${ids.get(name)}"]`);

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', [company, prospect, visit]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const acme = await server.post<any>('/api/data/company', { name: 'Acme Ltd' });
    expect(acme.status, JSON.stringify(acme.body)).toBe(201);
    acmeId = acme.body.id;
    for (const [name, email, mobile, city] of planted) {
      // Alice Martin works at Acme: a lookup the merge dialog shows by its title.
      const res = await server.post<any>('/api/data/prospect', { name, ...(email ? { email } : {}), mobile, ...(city ? { city } : {}), ...(name === 'Alice Martin' ? { company: acmeId } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.set(name, res.body.id);
    }
    const child = await server.post<any>('/api/data/visit', { subject: 'First call', prospect: ids.get('ALICE   MARTIN') });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    visitId = child.body.id;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  it('shows the clusters the API finds, with rule and score', async () => {
    const api = await clustersOfApi();
    // The planted ones and nothing else: names by case/spacing and full width, a mobile by format.
    expect(api).toHaveLength(3);
    const page = await openPage();
    await page.goto('/data-quality/prospect/duplicates');
    await page.getByTestId('duplicate-cluster').first().waitFor();
    expect(await clustersShown(page)).toEqual(api);
    expect(await clusterOf(page, 'D. Lee').getAttribute('data-rule')).toBe('sameMobile');
    expect(await clusterOf(page, 'D. Lee').textContent()).toContain('Rule “Same mobile number”: same Mobile');
    await clusterOf(page, 'D. Lee').getByRole('region', { name: 'Records of a cluster found by rule “Same mobile number”' }).waitFor();
    // A rule without a label is named by its name.
    expect(await clusterOf(page, 'Alice Martin').textContent()).toContain('Rule “sameName”: same Name');
    // The rule filter offers the label too.
    await pickOption(page, 'Duplicate rule', 'Same mobile number');
    await eventually(() => clustersShown(page)).toEqual(api.filter((c) => c.startsWith('sameMobile:')));
    expect(new URL(page.url()).searchParams.get('rule')).toBe('sameMobile');
    await page.goto('/data-quality/prospect/duplicates');
    await page.getByTestId('duplicate-cluster').first().waitFor();
    expect(await clusterOf(page, 'D. Lee').getByTestId('duplicate-score').textContent()).toBe('Score 100');
    expect(await clusterOf(page, 'Ｃａｒｌ　Ｈｏｕｓｅ').getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Carl House', 'Ｃａｒｌ　Ｈｏｕｓｅ']));
    expect(await seriousViolations(page)).toEqual([]);
    // Keyboard: the merge dialog opened with Enter and closed with Escape hands the focus back to its
    // button (the dialog is unmounted on close; the focus used to fall to the page's body).
    const merge = clusterOf(page, 'D. Lee').getByTestId('duplicate-merge');
    await merge.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByTestId('merge-confirm').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await eventually(() => merge.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('merges one cluster field by field (keyboard), re-points the child, and Undo restores all', async () => {
    const survivor = ids.get('Alice Martin')!;
    const other = ids.get('ALICE   MARTIN')!;
    const page = await openPage();
    await page.goto('/data-quality/prospect/duplicates');
    await clusterOf(page, 'Alice Martin').getByTestId('duplicate-merge').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('merge-field-email').waitFor();
    // The older record stays by default; only differing fields are offered; the child is counted.
    expect(await dialog.getByRole('radio', { name: 'Alice Martin', exact: true }).isChecked()).toBe(true);
    await eventually(() => dialog.getByTestId('merge-repointed').textContent()).toContain('1 Visits record');
    // The server's dry run of this merge counts the history that moves: the other record's own.
    const otherHistory = (await server.get<any>(`/api/data/prospect/${other}/history`)).body.items.length;
    expect(otherHistory).toBeGreaterThan(0);
    await eventually(() => dialog.getByTestId('merge-history-moves').textContent()).toBe(`${otherHistory} ${otherHistory === 1 ? 'entry' : 'entries'} of their audit trail and state history`);
    const emailRadios = dialog.getByTestId('merge-field-email').getByRole('radio');
    const survivorIndex = [survivor, other].sort().indexOf(survivor);
    await emailRadios.nth(survivorIndex).focus();
    expect(await emailRadios.nth(survivorIndex).isChecked()).toBe(true);
    await page.keyboard.press(survivorIndex === 0 ? 'ArrowRight' : 'ArrowLeft');
    expect(await emailRadios.nth(1 - survivorIndex).isChecked()).toBe(true);
    expect(await dialog.getByTestId('merge-field-email').getByText('Email', { exact: true }).isVisible()).toBe(true);
    // A lookup shows the linked record's title, not its id.
    await eventually(() => dialog.getByTestId('merge-field-company').textContent()).toContain('Acme Ltd');
    expect(await dialog.getByTestId('merge-field-company').textContent()).not.toContain(acmeId);
    // City: the survivor's London is kept (the other is empty).
    expect(await dialog.getByTestId('merge-field-city').getByRole('radio').nth(survivorIndex).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByTestId('merge-confirm').click();
    await dialog.getByTestId('merge-result').waitFor();

    const kept = (await server.get<any>(`/api/data/prospect/${survivor}`)).body;
    expect({ email: kept.email, city: kept.city, name: kept.name }).toEqual({ email: 'alice@new.test', city: 'London', name: 'Alice Martin' });
    expect((await server.get(`/api/data/prospect/${other}`)).status).toBe(404);
    expect((await server.get<any>(`/api/data/visit/${visitId}`)).body.prospect).toBe(survivor);

    await dialog.getByTestId('merge-undo').click();
    await dialog.getByTestId('merge-undone').waitFor();
    expect((await server.get<any>(`/api/data/prospect/${survivor}`)).body.email).toBe('alice@old.test');
    expect((await server.get<any>(`/api/data/prospect/${other}`)).body.email).toBe('alice@new.test');
    expect((await server.get<any>(`/api/data/visit/${visitId}`)).body.prospect).toBe(other);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await eventually(async () => (await clustersShown(page)).length).toBe(3);
    expect(await clustersShown(page)).toEqual(await clustersOfApi());
  });

  it('merges two confirmed clusters in bulk, and undoes the batch', async () => {
    const before = await clustersOfApi();
    const page = await openPage();
    await page.goto('/data-quality/prospect/duplicates');
    for (const name of ['Carl House', 'Dana Lee']) await clusterOf(page, name).getByTestId('duplicate-select').click();
    await page.getByTestId('duplicates-bulk').click();
    const list = page.getByTestId('duplicates-bulk-list');
    await eventually(() => list.locator('li').count()).toBe(2);
    await page.getByTestId('duplicates-bulk-confirm').click();
    const batch = page.getByTestId('duplicates-batch');
    await eventually(() => batch.textContent()).toContain('2 merged, 0 failed');
    for (const gone of ['Ｃａｒｌ　Ｈｏｕｓｅ', 'D. Lee']) expect((await server.get(`/api/data/prospect/${ids.get(gone)}`)).status).toBe(404);
    // The oldest stays and fills its empty fields from the other: Carl House keeps Leeds.
    expect((await server.get<any>(`/api/data/prospect/${ids.get('Carl House')}`)).body.city).toBe('Leeds');
    expect(await clustersOfApi()).toEqual(before.filter((c) => c.startsWith('sameName') && c.includes(ids.get('Alice Martin')!)));
    await eventually(() => clustersShown(page)).toEqual(await clustersOfApi());
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('duplicates-batch-undo').click();
    await eventually(() => batch.textContent()).toContain('2 merges reversed');
    expect(await clustersOfApi()).toEqual(before);
    await eventually(() => clustersShown(page)).toEqual(before);
  });

  it('leads from a record page to the clusters holding that record', async () => {
    const page = await openPage();
    await page.goto(`/e/prospect/${ids.get('D. Lee')}`);
    await page.getByTestId('record-find-duplicates').click();
    await page.getByTestId('duplicates-record-filter').waitFor();
    await eventually(() => clustersShown(page)).toEqual((await clustersOfApi()).filter((c) => c.includes(ids.get('D. Lee')!)));
  });

  it('is accessible and screenshotted at 1280 and 390 px in English and Chinese', async () => {
    for (const language of ['en', 'zh'] as const) {
      for (const width of [1280, 390]) {
        const page = await openPage({ language, width });
        await page.goto('/data-quality/prospect/duplicates');
        await page.getByTestId('duplicate-cluster').first().waitFor();
        expect(await clusterOf(page, 'D. Lee').textContent()).toContain(language === 'zh' ? '规则“手机号相同”：手机 相同' : 'Rule “Same mobile number”: same Mobile');
        // Each cluster's records are read without scrolling sideways (a card per record on a phone).
        await expectTablesFit(page);
        if (width < 600) expect(await page.locator('table').count()).toBe(0);
        expect(await seriousViolations(page), `${language} ${width}`).toEqual([]);
        await screenshot(page, 'duplicates', language);
        await clusterOf(page, 'Alice Martin').getByTestId('duplicate-merge').click();
        await page.getByRole('dialog').getByTestId('merge-field-email').waitFor();
        await eventually(() => page.getByTestId('merge-repointed').locator('li').count()).toBe(3);
        expect(await seriousViolations(page), `dialog ${language} ${width}`).toEqual([]);
        // Every record's value of every field is whole and inside the dialog, its radio too: on a phone
        // the values stack under the field (a second column used to run off the dialog's edge, its
        // value cut to "alice@" while its radio could still be picked).
        const dialog = page.getByRole('dialog');
        expect(await dialog.locator('[role="region"][data-layout="stacked"]').count(), `${language} ${width}`).toBe(width < 768 ? 1 : 0);
        const pair = [ids.get('Alice Martin')!, ids.get('ALICE   MARTIN')!];
        const fieldsShown = ['name', 'email', 'mobile', 'city', 'company'];
        for (const field of fieldsShown) {
          for (const id of pair) {
            const value = dialog.getByTestId(`merge-value-${field}-${id}`);
            const radio = dialog.getByTestId(`merge-pick-${field}-${id}`); // antd puts the test id on the input itself
            const placement = await value.evaluate((el, input) => {
              const inside = (box: DOMRect, frame: DOMRect) => box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && box.width > 0;
              const frames = [(el.closest('.ant-modal-container') ?? el.closest('[role="dialog"]')!).getBoundingClientRect(), el.closest('[role="region"]')!.getBoundingClientRect()];
              const box = el.getBoundingClientRect();
              const radioBox = (input as Element).getBoundingClientRect();
              // (scrollWidth/clientWidth bite on the block value of the stacked layout; on the inline value of the desktop grid both are 0 and the boxes decide.)
              return { text: el.textContent, unclipped: el.scrollWidth <= el.clientWidth, inside: frames.every((f) => inside(box, f)), radioInside: frames.every((f) => inside(radioBox, f)) };
            }, await radio.elementHandle());
            expect(placement, `${field} of ${id}, ${language} ${width}`).toMatchObject({ unclipped: true, inside: true, radioInside: true });
          }
        }
        expect(await dialog.getByTestId(`merge-value-mobile-${pair[1]}`).textContent()).toBe('+44 20 7946 0002');
        expect(await dialog.getByTestId(`merge-value-email-${pair[1]}`).textContent()).toBe('alice@new.test');
        if (width < 768) {
          // Still one radio group per field, named, and moved through with the arrow keys.
          const email = dialog.getByRole('radiogroup', { name: language === 'en' ? 'Email' : '邮箱' });
          const [first, second] = [...pair].sort().map((id) => email.getByTestId(`merge-pick-email-${id}`));
          await first!.check();
          await first!.focus();
          await page.keyboard.press('ArrowDown');
          expect(await second!.isChecked()).toBe(true);
          await page.keyboard.press('ArrowUp');
          expect(await first!.isChecked()).toBe(true);
        }
        await screenshot(page, 'duplicates-merge', language);
      }
    }
  });
});
