// A mapping of two targets, each with a transform on its `name` (the client's trimmed, the
// contact's read as a number — it fails on a text name): the dry run's "the transform failed"
// alert is the edited target's only. A rejected row's issue said only the field, and the wizard
// took it for the edited target's — editing Client, it blamed Client's good transform for the
// contacts' failures (and "Fix it" marked it). Each issue now names its target. en at 1280 px
// editing Client: no alert; zh at 390 px editing Contact: the alert, with the rows counted from the
// file; axe-clean.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { loadSavedMapping } from '../support/studio-fixture.ts';

const rows = [
  ['Marsh Lane Joinery', 'east', '1001', 'one@marsh.example'],
  ['Marsh Lane Joinery', 'east', 'Jo Tan', 'jo@marsh.example'],
  ['Kiln Street Bakery', 'south', '1002', 'two@kiln.example'],
  ['Kiln Street Bakery', 'south', 'Lu Yip', 'lu@kiln.example'],
  ['Kiln Street Bakery', 'south', 'Mo Ng', 'mo@kiln.example'],
];
const csv = ['Account,Region,Contact,Contact e-mail', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
const savedName = 'clients-contacts-transforms';
const mapping = {
  name: savedName,
  targets: [
    { entity: 'account', key: ['name'], columns: { region: 'Region' }, transforms: { name: '$trim(Account)' } },
    { entity: 'contact', key: ['email'], columns: { account: 'Account', email: 'Contact e-mail' }, lookups: { account: { by: 'name' } }, transforms: { name: '$string($number(Contact))' } },
  ],
};
// From the file: the contact's transform fails on every name that is no number.
const failing = rows.filter((r) => Number.isNaN(Number(r[2]))).length;

describe('studio: a transform failing on another target than the one edited', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'transform-target', files: { 'joinery.csv': csv } });
    const saved = await suite.fx.server.put(`/api/import/mappings/${savedName}`, mapping);
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  }, 300_000);
  afterAll(() => suite?.close());

  const dryRun = async (page: Page) => {
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-rejected').waitFor();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
  };

  it('en at 1280 px, editing Client: the contacts\' failures are not blamed on Client\'s transform', async () => {
    const page = await suite.openWizard({ entity: 'Client', file: 'joinery.csv', language: 'en', width: 1280 });
    await loadSavedMapping(page, 'Load a mapping', savedName);
    await dryRun(page);
    const job = (await suite.fx.server.get('/api/import/jobs?limit=1')).body.items[0];
    expect(job.counts.rejected).toBe(failing);
    expect(await page.getByTestId('import-transform-failed-name').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('zh at 390 px, editing Contact: its transform\'s failures are said, with their rows', async () => {
    const page = await suite.openWizard({ entity: '联系人', file: 'joinery.csv', language: 'zh', width: 390 });
    await loadSavedMapping(page, '载入映射', savedName);
    await dryRun(page);
    const alert = page.getByTestId('import-transform-failed-name');
    await alert.waitFor();
    expect(await alert.locator('.ant-alert-title').innerText()).toContain(`${failing} 行失败`);
    await alert.scrollIntoViewIfNeeded();
    await screenshot(page, 'import-transform-failed-target', 'zh');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
