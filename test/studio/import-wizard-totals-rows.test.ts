// The import wizard on a customer list kept by hand in Excel (written here with exceljs): a title and
// a blank row above the header, a 小计 (subtotal, =SUBTOTAL(9,…)) under each region, a 合计 (=SUM(…))
// and a note at the bottom. The preview says the header is on row 3 and lists the totals rows and the
// note as rows that are not imported, each with its formula; the dry run counts them apart from the
// rejected rows (none) and lists them again; the import creates the customers alone. In chromium
// against a real server, en at 1280 px and zh at 390 px; axe; screenshots of the preview and the dry run.

import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const customer = {
  kind: 'entity', name: 'buyer', label: { en: 'Buyer', zh: '买家' }, pluralLabel: { en: 'Buyers', zh: '买家' }, titleField: 'name',
  fields: {
    name: { type: 'text', label: { en: 'Customer name', zh: '客户名称' }, required: true },
    region: { type: 'text', label: { en: 'Region', zh: '区域' }, required: true },
    sales: { type: 'number', label: { en: 'Annual sales', zh: '年销售额' } },
  },
};
const groups: [string, [string, number][]][] = [
  ['华东', [['杭州西湖食品批发部', 1200], ['苏州平江副食品商行', 800]]],
  ['华南', [['广州越秀粮油店', 300], ['海口龙华批发', 150]]],
];
const customers = groups.flatMap(([region, rows]) => rows.map(([name, sales]) => ({ name, region, sales })));
/** The rows left out, as the sheet below is written: the two subtotals, the grand total, the note. */
const skipped: { line: number; formula?: string; note?: string }[] = [];

async function writeWorkbook(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('客户清单');
  sheet.addRow(['2025年客户清单']);
  sheet.mergeCells('A1:C1');
  sheet.addRow([]);
  sheet.addRow(['客户名称', '区域', '年销售额']);
  const first = sheet.rowCount + 1;
  for (const [region, rows] of groups) {
    const from = sheet.rowCount + 1;
    for (const [name, sales] of rows) sheet.addRow([name, region, sales]);
    const formula = `SUBTOTAL(9,C${from}:C${sheet.rowCount})`;
    skipped.push({ line: sheet.addRow([`${region} 小计`, '', { formula, result: rows.reduce((s, [, n]) => s + n, 0) }]).number, formula });
  }
  const formula = `SUM(C${first}:C${sheet.rowCount})`;
  skipped.push({ line: sheet.addRow(['合计', '', { formula, result: customers.reduce((s, c) => s + c.sales, 0) }]).number, formula });
  skipped.push({ line: sheet.addRow(['数据截至 2025-06-30']).number, note: '数据截至 2025-06-30' });
  await book.xlsx.writeFile(file);
}

const reasons = {
  en: (s: (typeof skipped)[number]) => `Row ${s.line}: ${s.formula ? `a totals row (formula =${s.formula} in column C)` : `a note below the totals row ("${s.note}")`}`,
  zh: (s: (typeof skipped)[number]) => `第 ${s.line} 行：${s.formula ? `合计行（C 列的公式 =${s.formula}）` : `合计行下方的备注（「${s.note}」）`}`,
};

describe('studio: import wizard on a workbook with a title, totals rows and a note', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'totals', metadata: [customer], files: { '客户清单.xlsx': writeWorkbook } });
  }, 300_000);
  afterAll(() => suite?.close());

  const count = (page: Page, key: string) => page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent();
  const items = (page: Page, testId: string) => page.getByTestId(testId).locator('li').allTextContents();

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`shows the header's row and the rows left out in the preview and the dry run (${language}, ${width} px)`, async () => {
      const page = await suite.openWizard({ language, width, entity: language === 'en' ? 'Buyer' : '买家', file: '客户清单.xlsx' });
      await page.getByTestId('import-next').click();
      const preview = page.getByTestId('import-preview');
      await preview.getByText(customers[0]!.name).first().waitFor();
      expect(await page.getByTestId('import-preview-header-line').textContent()).toBe(language === 'en' ? 'The header is on row 3: the rows above it (a title) are not imported.' : '表头在第 3 行：其上的行（标题）不会导入。');
      expect(await items(page, 'import-preview-skipped')).toEqual(skipped.map(reasons[language]));
      // The preview's rows are the customers alone.
      for (const label of ['小计', '合计']) expect(await preview.getByText(label).count()).toBe(0);
      // On a phone each row is a card headed by its row, said as the dry run says it (not a bare "4").
      if (width === 390) expect(await preview.locator('li').first().locator('[data-column="line"]').textContent()).toMatch(/^第 \d+ 行$/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('import-preview-skipped').scrollIntoViewIfNeeded();
      await screenshot(page, 'import-wizard-totals-preview', language);

      await page.getByTestId('import-start-dry-run').click();
      await page.getByTestId('import-skipped-rows').waitFor();
      expect(await count(page, 'totals')).toBe(String(skipped.length));
      expect(await count(page, 'created')).toBe(String(customers.length));
      expect(await count(page, 'rejected')).toBe('0');
      expect(await items(page, 'import-skipped-rows')).toEqual(skipped.map(reasons[language]));
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('import-counts').scrollIntoViewIfNeeded();
      await screenshot(page, 'import-wizard-totals-dry-run', language);

      if (language === 'en') {
        await page.getByTestId('import-mode-valid').click();
        await page.getByTestId('import-commit').click();
        await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
        expect(await count(page, 'totals')).toBe(String(skipped.length));
        const stored = (await suite.fx.server.get<any>('/api/data/buyer?limit=100')).body.items;
        expect(stored.map((c: any) => [c.name, c.region, c.sales]).sort()).toEqual(customers.map((c) => [c.name, c.region, c.sales]).sort());
      }
    });
  }
});
