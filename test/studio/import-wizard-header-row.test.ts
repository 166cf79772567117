// The import wizard on a report whose title is as wide as its table (its name, who exported it and
// when, one per column): the server takes the title for the header, so the file's columns are the
// title's words and nothing maps. The first step offers the file's first rows as the header row;
// the user picks the row with the column names, the columns follow, the mapping is suggested from
// them, and the dry run counts every row. In chromium against a real server, en at 1280 px and zh
// at 390 px; axe; a screenshot of the choice.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const customer = {
  kind: 'entity', name: 'ledgerAccount', label: { en: 'Ledger account', zh: '台账客户' }, pluralLabel: { en: 'Ledger accounts', zh: '台账客户' }, titleField: 'name',
  fields: {
    code: { type: 'text', label: { en: 'Code', zh: '编号' }, unique: true },
    name: { type: 'text', label: { en: 'Account name', zh: '账户名称' }, required: true },
    credit: { type: 'number', label: { en: 'Credit limit', zh: '信用额度' } },
  },
};
const title = ['Account list', 'exported by Wang Fang', '2025-05-01'];
const header = ['Code', 'Account name', 'Credit limit'];
const accounts = [['A1', 'Hangzhou Foods', '5000'], ['A2', 'Suzhou Trading', '800'], ['A3', 'Guangzhou Grain', '0']];
const csv = [title, header, ...accounts].map((row) => row.join(',')).join('\r\n') + '\r\n';

const words = {
  en: { entity: 'Ledger account', label: 'Header row', columns: (c: string[]) => `${c.length} columns: ${c.join(', ')}`, option: (line: number, cells: string[]) => `Row ${line}: ${cells.join(' · ')}` },
  zh: { entity: '台账客户', label: '表头行', columns: (c: string[]) => `${c.length} 列：${c.join(', ')}`, option: (line: number, cells: string[]) => `第 ${line} 行：${cells.join(' · ')}` },
};

describe('studio: import wizard, the header row chosen below a wide title', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'header-row', metadata: [customer], files: { 'accounts.csv': csv } });
  }, 300_000);
  afterAll(() => suite?.close());

  for (const [language, width] of [['en', 1280], ['zh', 390]] as const) {
    it(`offers the first rows as the header; the one chosen names the columns and the dry run reads every row (${language}, ${width} px)`, async () => {
      const w = words[language];
      const page = await suite.openWizard({ language, width, entity: w.entity, file: 'accounts.csv', next: false });
      const uploaded = page.getByTestId('import-uploaded');
      // Left to itself, the server reads the title as the header.
      await expect.poll(() => uploaded.textContent()).toContain(w.columns(title));
      const choice = page.getByLabel(w.label);
      await choice.click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await expect.poll(() => options.allTextContents()).toEqual([title, header, ...accounts].map((cells, i) => w.option(i + 1, cells)));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await eventually(() => uploaded.textContent()).toContain(w.columns(header));
      expect(await page.getByTestId('import-header-row').textContent()).toBe(w.option(2, header));
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wizard-header-row', language);

      await page.getByTestId('import-next').click();
      // Every column is suggested for its field by its label: none is left unmapped.
      await page.getByTestId('import-columns').waitFor();
      expect(await page.getByTestId('import-unmapped-reason').count()).toBe(0);
      await page.getByTestId('import-next').click();
      await page.getByTestId('import-preview').getByText(accounts[0]![1]!).first().waitFor();
      await page.getByTestId('import-start-dry-run').click();
      const count = (key: string) => page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent();
      await eventually(() => count('created')).toBe(String(accounts.length));
      expect(await count('rejected')).toBe('0');
    });
  }
});
