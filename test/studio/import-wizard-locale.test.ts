// The import wizard on a file written in a European locale, in chromium against a real server: the
// mapping step suggests day/month/year dates and a decimal comma from the sample rows, the user takes
// the suggestion (by keyboard) or sets the options in labelled controls, the preview shows the values
// as the server will read them (31/12/2025 → 2025-12-31, 1.234,56 → 1234.56) and an impossible date
// with its reason, the dry run rejects exactly that row, and the saved mapping keeps the options.
// Axe on the mapping step in en and zh (390 px), with screenshots.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { pickOption } from '../support/studio-fixture.ts';

const shipment = {
  kind: 'entity', name: 'shipment', label: { en: 'Shipment', zh: '发货' }, pluralLabel: { en: 'Shipments', zh: '发货' }, titleField: 'code',
  fields: {
    code: { type: 'text', label: { en: 'Code', zh: '编号' }, required: true, unique: true },
    shippedOn: { type: 'date', label: { en: 'Shipped on', zh: '发货日期' } },
    weight: { type: 'number', scale: 1, label: { en: 'Weight', zh: '重量' } },
    price: { type: 'currency', currency: 'EUR', label: { en: 'Price', zh: '价格' } },
  },
};
// Semicolon-separated, as a spreadsheet in a decimal-comma locale saves it. S3's date does not exist.
const csv = ['Code;Shipped on;Weight;Price', 'S1;31/12/2025;1.234,5;1.234,56', 'S2;05/01/2026;0,5;12,50', 'S3;31/02/2025;2;3'].join('\r\n') + '\r\n';
const mappingName = 'european-shipments';

describe('studio: import wizard with locale-written dates and numbers', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'locale', metadata: [shipment], files: { 'shipments.csv': csv } });
  }, 300_000);
  afterAll(() => suite?.close());

  const open = (entity: string, options: { language?: 'en' | 'zh'; width?: number } = {}): Promise<Page> => suite.openWizard({ ...options, entity, file: 'shipments.csv' });
  const shown = (page: Page, testId: string) => page.getByTestId(testId).locator('.ant-select-content, .ant-select-selection-item').first().textContent();

  it('suggests the date order and decimal comma from the sample; the preview and the dry run read the file with them', async () => {
    const page = await open('Shipment');
    const reading = page.getByTestId('import-reading');
    expect(await shown(page, 'import-date-order')).toBe('Year first only (2025-12-31)');
    expect(await shown(page, 'import-decimal-separator')).toBe('Decimal point (1,234.56)');
    // Proposed from the sample (31 can only be a day; 1.234,5 reads only with a decimal comma), not applied unasked.
    await reading.getByTestId('import-reading-suggestion').getByText('The sample rows suggest: Day/month/year (31/12/2025); Decimal comma (1.234,56 or 1 234,56).').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Taken with the keyboard.
    await page.getByTestId('import-reading-apply').focus();
    await page.keyboard.press('Enter');
    await reading.getByTestId('import-reading-suggestion').waitFor({ state: 'detached' });
    expect(await shown(page, 'import-date-order')).toBe('Day/month/year (31/12/2025)');
    expect(await shown(page, 'import-decimal-separator')).toBe('Decimal comma (1.234,56 or 1 234,56)');
    await page.getByLabel('Save this mapping as').fill(mappingName);
    await page.getByTestId('import-save-mapping').click();
    await eventually(async () => (await suite.fx.server.get(`/api/import/mappings/${mappingName}`)).status).toBe(200);
    expect((await suite.fx.server.get(`/api/import/mappings/${mappingName}`)).body).toMatchObject({ dateOrder: 'DMY', decimalSeparator: ',' });

    await page.getByTestId('import-next').click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    const row = (code: string) => preview.getByRole('row').filter({ hasText: code });
    for (const text of ['2025-12-31', '1234.5', '1234.56']) await row('S1').getByRole('cell', { name: text, exact: true }).waitFor();
    for (const text of ['2026-01-05', '0.5', '12.5']) await row('S2').getByRole('cell', { name: text, exact: true }).waitFor();
    await row('S3').getByText('"31/02/2025" is not a calendar date read as day/month/year').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    const counts = page.getByTestId('import-counts');
    expect(await counts.getByTestId('import-count-created').locator('.ant-statistic-content-value').textContent()).toBe('2');
    expect(await counts.getByTestId('import-count-rejected').locator('.ant-statistic-content-value').textContent()).toBe('1');
    const rejected = page.getByTestId('import-rejected').getByRole('row').filter({ has: page.getByRole('cell', { name: '4', exact: true }) });
    await rejected.getByText('"31/02/2025" is not a calendar date read as day/month/year').waitFor();
    expect(await rejected.getByRole('cell').nth(1).textContent()).toBe('Shipped on');
  });

  it('reads the file the way the controls are set: month first, then back to day first, by keyboard', async () => {
    const page = await open('Shipment');
    await pickOption(page, 'Decimal separator', 'Decimal comma');
    // Month first: 31/12/2025 is no date then, which the preview says before any dry run.
    const order = page.getByLabel('Date order', { exact: true });
    await order.focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('.ant-select-dropdown:visible').waitFor();
    // The options in order: year first (chosen), day first, month first.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => shown(page, 'import-date-order')).toBe('Month/day/year (12/31/2025)');
    await page.getByTestId('import-next').click();
    const preview = page.getByTestId('import-preview');
    await preview.getByRole('row').filter({ hasText: 'S1' }).getByText('"31/12/2025" is not a calendar date read as month/day/year').waitFor();
    await preview.getByRole('row').filter({ hasText: 'S2' }).getByRole('cell', { name: '2026-05-01', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await pickOption(page, 'Date order', 'Day/month/year');
    await page.getByTestId('import-next').click();
    await preview.getByRole('row').filter({ hasText: 'S1' }).getByRole('cell', { name: '2025-12-31', exact: true }).waitFor();
  });

  for (const language of ['en', 'zh'] as const) {
    it(`labels the options in ${language} at 390 px`, async () => {
      const page = await open(language === 'zh' ? '发货' : 'Shipment', { language, width: 390 });
      const reading = page.getByTestId('import-reading');
      await reading.getByText(language === 'zh' ? '文件中的日期和数字' : 'Dates and numbers in the file').waitFor();
      await page.getByLabel(language === 'zh' ? '日期顺序' : 'Date order', { exact: true }).waitFor();
      await page.getByLabel(language === 'zh' ? '小数点符号' : 'Decimal separator', { exact: true }).waitFor();
      await reading.getByTestId('import-reading-suggestion').getByText(language === 'zh' ? /根据示例行建议：日\/月\/年/ : /The sample rows suggest: Day\/month\/year/).waitFor();
      await reading.scrollIntoViewIfNeeded();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wizard-reading', language);
    });
  }
});
