// The import wizard on a contacts export of another CRM, as a migrating customer would bring it: a
// header with spaces and punctuation, a repeated column, empty trailing columns, a note spanning
// lines, and "Last Modified Date" on a 12-hour clock (12/31/2025 5:04 PM). The sample suggests
// month first, the user takes it and picks the zone by keyboard, and the preview shows each time as
// the server will read it — 5:04 PM in Los Angeles is 01:04 the next day in UTC — before the dry run
// creates the rows. en at 1280 px and zh at 390 px, axe-clean.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const prospect = {
  kind: 'entity', name: 'prospect', label: { en: 'Prospect', zh: '潜在客户' }, pluralLabel: { en: 'Prospects', zh: '潜在客户' }, titleField: 'lastName',
  fields: {
    extId: { type: 'text', unique: true, label: { en: 'Contact ID', zh: '联系人编号' } },
    lastName: { type: 'text', required: true, label: { en: 'Last Name', zh: '姓' } },
    notes: { type: 'textarea', label: { en: 'Description', zh: '备注' } },
    modifiedAt: { type: 'datetime', label: { en: 'Last Modified Date', zh: '最后修改' } },
  },
};
const csv = '"Contact ID","Last Name","Description","Last Modified Date","Description",,\r\n'
  + '"003A1","O\'Neil","Line one\r\nline two","12/31/2025 5:04 PM","x",,\r\n'
  + '"003A2","Lee","","1/2/2026 12:00 AM","",,\r\n';
// The wall-clock times in Los Angeles (eight hours behind UTC in winter), as instants.
const instant = (wall: string) => new Date(Date.parse(`${wall}Z`) + 8 * 3600_000).toISOString();

describe('studio: import wizard with another CRM\u2019s contacts export', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'crm-export', metadata: [prospect], files: { 'contacts-export.csv': csv, 'empty.csv': '' } });
  }, 300_000);
  afterAll(() => suite?.close());

  const open = (language: 'en' | 'zh', width: number, file = 'contacts-export.csv', next = true): Promise<Page> => suite.openWizard({ language, width, entity: language === 'zh' ? '潜在客户' : 'Prospect', file, next });

  it('reads the 12-hour times in the preview as the dry run does, with the order and zone chosen by keyboard', async () => {
    const page = await open('en', 1280);
    // Every column offered has a name (the export's trailing empty columns are none), so every field
    // control is told apart by it.
    const labels = await page.getByTestId('import-columns').locator('[aria-label^="Field for column"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels).toEqual(['Contact ID', 'Last Name', 'Description', 'Last Modified Date', 'Description (2)'].map((c) => `Field for column ${c}`));
    const reading = page.getByTestId('import-reading');
    await reading.getByTestId('import-reading-suggestion').getByText(/The sample rows suggest: Month\/day\/year/).waitFor();
    await page.getByTestId('import-reading-apply').focus();
    await page.keyboard.press('Enter');
    await reading.getByTestId('import-reading-suggestion').waitFor({ state: 'detached' });
    const zone = page.getByLabel('Time zone of date-times', { exact: true });
    await zone.focus();
    await page.keyboard.type('America/Los_Angeles');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('import-time-zone').textContent()).toContain('America/Los_Angeles');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('import-next').click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    const row = (id: string) => preview.getByRole('row').filter({ hasText: id });
    await row('003A1').getByRole('cell', { name: instant('2025-12-31T17:04:00'), exact: true }).waitFor();
    await row('003A2').getByRole('cell', { name: instant('2026-01-02T00:00:00'), exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    const counts = page.getByTestId('import-counts');
    expect(await counts.getByTestId('import-count-created').locator('.ant-statistic-content-value').textContent()).toBe('2');
    expect(await counts.getByTestId('import-count-rejected').locator('.ant-statistic-content-value').textContent()).toBe('0');
    await screenshot(page, 'import-wizard-crm-export', 'en');
  });

  it('says in the first step that an empty file has nothing to import, and goes no further', async () => {
    for (const [language, text] of [['en', 'The file has nothing to import: no header and no rows.'], ['zh', '该文件没有可导入的内容：既没有表头也没有数据行。']] as const) {
      const page = await open(language, language === 'zh' ? 390 : 1280, 'empty.csv', false);
      await page.getByTestId('import-empty-file').getByText(text, { exact: false }).waitFor();
      expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
    }
  });

  it('says the same in Chinese at 390 px', async () => {
    const page = await open('zh', 390);
    await page.getByTestId('import-reading').getByTestId('import-reading-suggestion').getByText(/根据示例行建议：月\/日\/年/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wizard-crm-export', 'zh');
  });
});
