// A mapping of several targets whose second has a `when` (a contact only from a row that gives an
// e-mail): the job counts each target's skipped rows (engine/import/run-import.ts), and the wizard's
// per-entity table must show them — it showed created, updated and unchanged only, so a target's
// numbers did not add up to the rows and the rows its condition left out were nowhere. The mapping
// is saved over the API (the wizard edits no `when`) and loaded in the wizard; en at 1280 px, zh at
// 390 px; counts from the file; axe-clean.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rowCells, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { loadSavedMapping } from '../support/studio-fixture.ts';

const rows = [
  ['Marsh Lane Joinery', 'east', 'Ivo Park', 'ivo@marsh.example'],
  ['Marsh Lane Joinery', 'east', 'Jo Tan', ''],
  ['Kiln Street Bakery', 'south', 'Kit Lam', ''],
  ['Kiln Street Bakery', 'south', 'Lu Yip', 'lu@kiln.example'],
];
const csv = ['Account,Region,Contact,Contact e-mail', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
const savedName = 'clients-contacts-when';
const mapping = {
  name: savedName,
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Account', region: 'Region' } },
    { entity: 'contact', key: ['email'], columns: { account: 'Account', name: 'Contact', email: 'Contact e-mail' }, lookups: { account: { by: 'name' } }, when: '$exists(`Contact e-mail`) and `Contact e-mail` != ""' },
  ],
};

describe('studio: per-entity counts of a target with a condition', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'target-skipped', files: { 'joinery.csv': csv } });
    const saved = await suite.fx.server.put(`/api/import/mappings/${savedName}`, mapping);
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  }, 300_000);
  afterAll(() => suite?.close());

  const perEntity = async (page: Page) => Promise.all((await tableRows(page.getByTestId('import-target-counts')).all()).map(async (row) => (await rowCells(row).allInnerTexts()).map((t) => t.trim())));
  /** The column headings: a table's, or each card's (a phone). */
  const headers = async (page: Page) => (await page.getByTestId('import-target-counts').locator('thead th, dl > div > dt').allInnerTexts()).map((t) => t.trim());
  // From the file: a client per distinct name, a contact per row with an e-mail, the others skipped.
  const clients = new Set(rows.map((r) => r[0])).size;
  const withEmail = rows.filter((r) => r[3] !== '').length;

  for (const { language, width, entity, load, names, skippedTitle } of [
    { language: 'en', width: 1280, entity: 'Client', load: 'Load a mapping', names: ['Client', 'Contact'], skippedTitle: 'Skipped by its condition' },
    { language: 'zh', width: 390, entity: '客户', load: '载入映射', names: ['客户', '联系人'], skippedTitle: '因条件跳过' },
  ] as const) {
    it(`${language} at ${width} px: the dry run's and the import's tables show the rows each target's condition skipped`, async () => {
      const page = await suite.openWizard({ entity, file: 'joinery.csv', language, width });
      await loadSavedMapping(page, load, savedName);
      await page.getByTestId('import-next').click();
      await page.getByTestId('import-start-dry-run').click();
      await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
      const first = language === 'en';
      // The first run creates; the second finds every record again.
      const account = first ? [clients, 0, rows.length - clients, 0] : [0, 0, rows.length, 0];
      const contact = first ? [withEmail, 0, 0, rows.length - withEmail] : [0, 0, withEmail, rows.length - withEmail];
      const want = [[names[0], ...account.map(String)], [names[1], ...contact.map(String)]];
      expect(await headers(page)).toContain(skippedTitle);
      expect(await perEntity(page)).toEqual(want);
      await page.getByTestId('import-target-counts').scrollIntoViewIfNeeded();
      await screenshot(page, 'import-target-skipped-dry-run', language);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('import-commit').click();
      await page.getByTestId('import-target-counts').waitFor();
      await eventually(() => perEntity(page)).toEqual(want);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
