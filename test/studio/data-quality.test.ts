// The studio's data quality page in chromium against a real server with an entity of the test's own
// (not a template's): records planted in two batches 40 days apart on the server's manual clock,
// then rules that some stored values break (a code longer than the new maxLength), a duplicate rule
// (same e-mail) and cleansing rules (trim, full-width, synonyms) added. Every number the page shows
// — score, completeness per field, invalid values with links to their records, duplicate clusters,
// stale records for two staleDays — is computed here from the planted records. Then cleansing: the
// dry run's before → after changes nothing (checked through the API), the run writes, a record is
// edited after it, and the undo's dry run names that record, which the undo leaves alone while the
// others are put back. Axe and screenshots at 1280 and 390 px, en and zh.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, newContext, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { pickOption, signInContext, closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const fields = {
  name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } },
  code: { type: 'text', label: { en: 'Supplier code', zh: '供应商代码' } },
  email: { type: 'email', label: { en: 'E-mail', zh: '电子邮件' } },
  sector: { type: 'text', label: { en: 'Sector', zh: '行业' } },
};
const entity = { kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, pluralLabel: { en: 'Suppliers', zh: '供应商' }, titleField: 'name', fields };
const maxCode = 5;
const synonyms: Record<string, string> = { technolgy: 'technology', 'soft ware': 'software' };
const later = {
  ...entity,
  fields: { ...fields, code: { ...fields.code, maxLength: maxCode } },
  duplicateRules: { sameEmail: { match: ['email'], method: 'exact' } },
  cleansing: { name: { trim: true, halfWidth: true }, sector: { synonyms } },
};

interface Planted { name: string; code?: string; email?: string; sector?: string }
// The old batch is stored 40 days before the new one.
const oldBatch: Planted[] = [
  { name: '  Alpha   Ltd ', code: 'AL1', email: 'alpha@example.test', sector: 'technolgy' },
  { name: 'Ｂｅｔａ', code: 'B2', email: 'beta@example.test' },
  { name: 'Gamma', code: 'GAMMA-LONG', email: 'alpha@example.test', sector: 'retail' },
];
const newBatch: Planted[] = [
  { name: 'Delta', code: 'DLT', sector: 'technology' },
  { name: 'Epsilon', email: 'eps@example.test', sector: 'Soft Ware' },
  { name: 'Zeta', code: 'ZETA-LONG-CODE', email: 'eps@example.test' },
  { name: 'Eta' },
];
const planted = [...oldBatch, ...newBatch];
const cleansedName = (n: string) => n.normalize('NFKC').trim().replace(/\s+/g, ' ');
const cleansedSector = (s: string | undefined) => (s === undefined ? s : (synonyms[s.toLowerCase()] ?? s));

/** What the report should say, computed from the planted records. */
function expected(staleDays: number) {
  const n = planted.length;
  const completeness = Object.fromEntries(Object.keys(fields).map((f) => [f, planted.filter((p) => p[f as keyof Planted] !== undefined).length / n]));
  const invalid = planted.filter((p) => (p.code?.length ?? 0) > maxCode);
  const byEmail = new Map<string, number>();
  for (const p of planted) if (p.email) byEmail.set(p.email, (byEmail.get(p.email) ?? 0) + 1);
  const clusters = [...byEmail.values()].filter((c) => c > 1);
  const duplicated = clusters.reduce((a, b) => a + b, 0);
  const stale = staleDays < 40 ? oldBatch.length : 0;
  const mean = Object.values(completeness).reduce((a, b) => a + Math.round(b * 1000) / 1000, 0) / Object.keys(fields).length;
  const score = Math.round(((mean + (1 - invalid.length / n) + (1 - duplicated / n) + (1 - stale / n)) / 4) * 100);
  return { records: n, completeness, invalid, clusters: clusters.length, stale, score };
}

describe('studio: data quality page', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const ids = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/supplier', entity)).status).toBe(201);
    const plant = async (batch: Planted[]) => {
      for (const p of batch) {
        const res = await server.post<any>('/api/data/supplier', p);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        ids.set(p.name, res.body.id);
      }
    };
    await plant(oldBatch);
    server.clock.advance(40 * 86_400_000);
    await plant(newBatch);
    const changed = await server.put<any>('/api/meta/entities/supplier', later);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const adminPage = (options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => signedInPage({ browser, server, contexts, options });
  const statistic = async (page: Page, id: string) => (await page.getByTestId(id).locator('.ant-statistic-content-value').textContent())?.replace(/,/g, '');
  const stored = async () => {
    const res = await server.get<any>('/api/data/supplier?limit=100');
    expect(res.status).toBe(200);
    return new Map<string, { name: string; sector?: string }>(res.body.items.map((r: any) => [r.id, { name: r.name, ...(r.sector !== undefined ? { sector: r.sector } : {}) }]));
  };

  it('shows the report computed from the stored records, with links to invalid records and the duplicates page', async () => {
    const page = await adminPage();
    await page.goto('/');
    await page.getByRole('navigation').getByText('Data quality', { exact: true }).click();
    await page.waitForURL('**/data-quality');
    await pickOption(page, 'Entity', 'Supplier');
    await page.waitForURL('**/data-quality/supplier');
    await page.getByRole('heading', { name: 'Data quality: Supplier' }).waitFor();

    const at180 = expected(180);
    await eventually(() => page.getByTestId('quality-score').getAttribute('data-score')).toBe(String(at180.score));
    expect(await statistic(page, 'quality-records')).toBe(String(at180.records));
    expect(await statistic(page, 'quality-invalid-records')).toBe(String(at180.invalid.length));
    expect(await statistic(page, 'quality-duplicates')).toBe(String(at180.clusters));
    expect(await statistic(page, 'quality-stale')).toBe(String(at180.stale));
    for (const [field, share] of Object.entries(at180.completeness)) {
      expect(await page.getByTestId(`completeness-${field}`).getAttribute('data-percent')).toBe(String(Math.round(share * 100)));
    }
    // Field labels in the UI language; invalid values per field, each example opening its record.
    const completeness = page.getByTestId('quality-completeness');
    for (const f of Object.values(fields)) await completeness.getByRole('cell', { name: f.label.en, exact: true }).waitFor();
    const invalid = page.getByTestId('quality-invalid');
    await invalid.getByRole('cell', { name: 'Supplier code', exact: true }).waitFor();
    expect(await page.getByTestId('invalid-code').textContent()).toBe(String(at180.invalid.length));
    for (const p of at180.invalid) {
      const link = page.getByTestId(`invalid-example-${ids.get(p.name)}`);
      expect(await link.textContent()).toBe(p.code);
      expect(await link.getAttribute('href')).toBe(`/e/supplier/${ids.get(p.name)}`);
    }
    expect(await page.getByTestId('quality-duplicates-link').getAttribute('href')).toBe('/data-quality/supplier/duplicates');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'data-quality', 'en');

    // Fewer days than lie between the batches: the old batch is stale, and the score follows.
    const at30 = expected(30);
    expect(at30.stale).toBeGreaterThan(0);
    await page.getByLabel('Stale after (days)').fill('30');
    await eventually(() => statistic(page, 'quality-stale')).toBe(String(at30.stale));
    await eventually(() => page.getByTestId('quality-score').getAttribute('data-score')).toBe(String(at30.score));

    // The clusters are reviewed on the duplicates page.
    await page.getByTestId('quality-duplicates-link').click();
    await page.waitForURL('**/data-quality/supplier/duplicates');
    await page.getByRole('heading', { name: 'Duplicates of Supplier' }).waitFor();
    await page.goBack();
    // An example opens its record.
    const first = at180.invalid[0]!;
    await page.getByTestId(`invalid-example-${ids.get(first.name)}`).click();
    await page.waitForURL(`**/e/supplier/${ids.get(first.name)}`);
  });

  it('cleanses: dry run changes nothing, the run writes, the undo leaves a record changed since', async () => {
    const page = await adminPage();
    await page.goto('/data-quality/supplier');
    const before = await stored();
    const nameChanges = planted.filter((p) => cleansedName(p.name) !== p.name);
    const sectorChanges = planted.filter((p) => cleansedSector(p.sector) !== p.sector);
    const changing = new Set([...nameChanges, ...sectorChanges].map((p) => p.name));
    expect(nameChanges.length).toBeGreaterThan(0);
    expect(sectorChanges.length).toBeGreaterThan(0);

    await page.getByTestId('cleanse-dry-run').click();
    const job = page.getByTestId('cleanse-job');
    await page.locator('[data-testid=cleanse-job][data-status=done][data-dry-run=true]').waitFor();
    expect(await page.getByTestId('cleanse-rule-name').getAttribute('data-changed')).toBe(String(nameChanges.length));
    expect(await page.getByTestId('cleanse-rule-sector').getAttribute('data-changed')).toBe(String(sectorChanges.length));
    const examples = page.getByTestId('cleanse-examples');
    for (const p of nameChanges) await examples.getByRole('row').filter({ hasText: cleansedName(p.name) }).first().waitFor();
    expect(await stored()).toEqual(before);
    expect(await seriousViolations(page)).toEqual([]);
    await job.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-quality-cleanse-dry-run', 'en');

    await page.getByTestId('cleanse-run').click();
    await page.locator('[data-testid=cleanse-job][data-status=done][data-dry-run=false]').waitFor();
    await job.getByTestId('cleanse-counts').getByText(`${changing.size} changed, 0 refused`).waitFor();
    const after = await stored();
    for (const p of planted) {
      expect(after.get(ids.get(p.name)!)).toEqual({ name: cleansedName(p.name), ...(p.sector !== undefined ? { sector: cleansedSector(p.sector) } : {}) });
    }

    // Someone edits a cleansed record: the undo leaves it and says so.
    const edited = [...changing][0]!;
    expect((await server.patch(`/api/data/supplier/${ids.get(edited)}`, { sector: 'edited after the cleanse' })).status).toBe(200);
    // The job stays in the address: a reload shows it again, with its undo.
    expect(new URL(page.url()).searchParams.get('job')).toBeTruthy();
    await page.reload();
    await page.locator('[data-testid=cleanse-job][data-status=done][data-dry-run=false]').waitFor();
    await page.getByTestId('cleanse-undo').click();
    const undoReport = page.getByTestId('cleanse-undo-report');
    await undoReport.waitFor();
    expect(await undoReport.getAttribute('data-restored')).toBe(String(changing.size - 1));
    expect(await undoReport.getAttribute('data-changed-since')).toBe('1');
    // Named by its title (its id only in the tooltip), linked to it, with its entity's label.
    const editedLink = undoReport.getByRole('link', { name: cleansedName(edited), exact: true });
    expect(await editedLink.getAttribute('href')).toBe(`/e/supplier/${ids.get(edited)}`);
    expect(await undoReport.getByRole('listitem').textContent()).toBe(`${cleansedName(edited)} (Supplier)`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('cleanse-undo-confirm').click();
    await page.getByTestId('cleanse-undone').waitFor();
    const undone = await stored();
    for (const p of planted) {
      const id = ids.get(p.name)!;
      if (p.name === edited) expect(undone.get(id)).toEqual({ name: cleansedName(p.name), sector: 'edited after the cleanse' });
      else expect(undone.get(id)).toEqual(before.get(id));
    }
  });

  it('speaks Chinese and fits a phone: labels in the UI language, axe clean', async () => {
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['zh', 390], ['en', 390]] as const) {
      const page = await adminPage({ language, width });
      await page.goto('/data-quality/supplier');
      const title = language === 'zh' ? '数据质量：供应商' : 'Data quality: Supplier';
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByTestId('quality-score').waitFor();
      const completeness = page.getByTestId('quality-completeness');
      // (A row of the completeness table on a desktop, a card on a phone: the field's label heads it.)
      for (const f of Object.values(fields)) await tableRows(completeness).filter({ has: page.getByText(f.label[language], { exact: true }) }).first().waitFor();
      // Every table of the report is read without scrolling sideways, a card per row on a phone.
      await expectTablesFit(page);
      if (width < 600) expect(await page.locator('table').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'data-quality', language);
      await page.context().close();
    }
  });

  it('a reader of their own records: the report counts only those, cleansing is not offered without the right to change them', async () => {
    // The code is hidden from the role: the report names neither its completeness nor its invalid values.
    const role = { kind: 'role', name: 'supplierClerk', label: 'Supplier clerk', permissions: { supplier: { create: true, read: 'own', fields: { code: 'hidden' } } } };
    const applied = await server.post('/api/meta/apply', [role]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const clerk = await server.createUser({ name: 'Cleo Clerk', roles: ['supplierClerk'] });
    const own: Planted[] = [{ name: 'Clerk One', email: 'one@example.test' }, { name: 'Clerk Two' }];
    for (const p of own) expect((await clerk.client.post('/api/data/supplier', p)).status).toBe(201);
    const context = await newContext(browser, server.url);
    contexts.push(context);
    await signInContext(context, clerk);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('navigation').getByText('Data quality', { exact: true }).click();
    await pickOption(page, 'Entity', 'Supplier');
    await page.waitForURL('**/data-quality/supplier');
    await eventually(() => statistic(page, 'quality-records')).toBe(String(own.length));
    const withEmail = own.filter((p) => p.email !== undefined).length;
    expect(await page.getByTestId('completeness-email').getAttribute('data-percent')).toBe(String(Math.round((withEmail / own.length) * 100)));
    await page.getByTestId('quality-no-invalid').waitFor();
    expect(await page.getByTestId('completeness-code').count()).toBe(0);
    expect(await page.getByTestId('completeness-name').count()).toBe(1);
    await page.getByTestId('cleanse-not-allowed').waitFor();
    expect(await page.getByTestId('cleanse-dry-run').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // Someone who reads every record but not the code: the invalid codes (and their values) are not
    // in the report they get, though the administrator's names them.
    const auditorRole = { kind: 'role', name: 'supplierAuditor', label: 'Supplier auditor', permissions: { supplier: { read: 'all', fields: { code: 'hidden' } } } };
    expect((await server.post('/api/meta/apply', [auditorRole])).status).toBe(200);
    const auditor = await server.createUser({ name: 'Aldo Auditor', roles: ['supplierAuditor'] });
    const invalidCodes = planted.filter((p) => (p.code?.length ?? 0) > maxCode);
    const full = (await server.get<any>('/api/quality/supplier/report')).body;
    expect(full.invalidExamples.code.map((e: { value: string }) => e.value).sort()).toEqual(invalidCodes.map((p) => p.code).sort());
    const narrowed = await auditor.client.get<any>('/api/quality/supplier/report');
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.records).toBe(full.records);
    expect(narrowed.body.completeness.code).toBeUndefined();
    expect(narrowed.body.invalid.code).toBeUndefined();
    expect(narrowed.body.invalidExamples.code).toBeUndefined();
    for (const p of invalidCodes) expect(JSON.stringify(narrowed.body)).not.toContain(p.code);
  });
});
