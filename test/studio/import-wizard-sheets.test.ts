// The import wizard on a workbook with a cover sheet, "Accounts" and "Contacts" (written here with
// exceljs), in chromium against a real server: the first step offers the sheets (the first with
// rows chosen), "Contacts" is picked by keyboard and its columns replace the Accounts ones; the dry
// run reads Contacts' rows. Its "Met at" cells are date-times without a zone: refused in the preview
// and the dry run until a time zone is chosen in the searchable Select, then read in it (14:30 in
// Shanghai is 06:30 UTC) and accepted. The job's mapping carries the sheet and the zone. A saved
// mapping naming a sheet preselects it. Axe, and screenshots at 1280 and 390 px in en and zh.

import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { loadSavedMapping, pickOption } from '../support/studio-fixture.ts';

const visitor = {
  kind: 'entity', name: 'visitor', label: { en: 'Visitor', zh: '访客' }, pluralLabel: { en: 'Visitors', zh: '访客' }, titleField: 'name',
  fields: {
    name: { type: 'text', label: { en: 'Name', zh: '姓名' }, required: true },
    email: { type: 'email', label: { en: 'E-mail', zh: '邮箱' } },
    metAt: { type: 'datetime', label: { en: 'Met at', zh: '会面时间' } },
  },
};
const accounts = [['Acme', 'Berlin'], ['Globex', 'Paris']];
// Wall-clock times without a zone (exceljs writes a Date as the time it shows, read back without one).
const contacts = [
  { name: 'Ada', email: 'ada@acme.test', met: [2025, 2, 1, 14, 30] },
  { name: 'Bob', email: 'bob@acme.test', met: [2025, 5, 15, 9, 0] },
  { name: 'Cy', email: 'cy@globex.test', met: [2025, 11, 31, 23, 45] },
] as const;
const wallClock = (m: readonly number[]) => new Date(Date.UTC(m[0]!, m[1]!, m[2]!, m[3]!, m[4]!));
/** The instant a wall-clock time in Shanghai (UTC+8, no daylight saving) is. */
const inShanghai = (m: readonly number[]) => new Date(wallClock(m).getTime() - 8 * 3600_000).toISOString();

/** The old CRM's workbook: a cover sheet, Accounts, then Contacts. */
async function writeWorkbook(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Read me').addRow(['Export of the old CRM, 2025']);
  book.addWorksheet('Accounts').addRows([['Company', 'City'], ...accounts]);
  const sheet = book.addWorksheet('Contacts');
  sheet.addRow(['Name', 'E-mail', 'Met at']);
  for (const c of contacts) sheet.addRow([c.name, c.email, wallClock(c.met)]);
  sheet.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm';
  await book.xlsx.writeFile(file);
}

describe('studio: import wizard on a workbook: sheet and time zone', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'sheets', metadata: [visitor], files: { 'old-crm.xlsx': writeWorkbook } });
  }, 300_000);
  afterAll(() => suite?.close());

  /** The first step, the entity chosen and the workbook uploaded: its sheets are offered there. */
  const open = (entity: string, options: { language?: 'en' | 'zh'; width?: number } = {}): Promise<Page> => suite.openWizard({ ...options, entity, file: 'old-crm.xlsx', next: false });
  const shown = (page: Page, testId: string) => page.getByTestId(testId).locator('.ant-select-content, .ant-select-selection-item').first().textContent();
  const count = (page: Page, key: string) => page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent();
  const lastJob = async () => (await suite.fx.server.get<any>('/api/import/jobs?limit=1')).body.items[0];
  /** The whole first step in view (at 1280 px it fits). */
  const toTop = (page: Page) => page.getByTestId('import-wizard').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  /** The dates-and-numbers card down to the time zone's help text. */
  const showReading = (page: Page) => page.getByTestId('import-reading').evaluate((el) => el.scrollIntoView({ block: 'end' }));
  /** Starts the dry run; the caller waits for its end ("Dry run finished"): Import stays off when it rejects every row. */
  const dryRun = (page: Page) => page.getByTestId('import-start-dry-run').click();


  it('reads the sheet picked by keyboard, and its date-times in the time zone chosen', async () => {
    const page = await open('Visitor');
    const uploaded = page.getByTestId('import-uploaded');
    // The cover sheet has no rows below a header: Accounts is read, and offered among the three.
    await uploaded.getByText('2 columns: Company, City').waitFor();
    expect(await shown(page, 'import-sheet')).toBe('Accounts');
    expect(await seriousViolations(page)).toEqual([]);

    const picker = page.getByLabel('Sheet', { exact: true });
    await picker.focus();
    await page.keyboard.press('ArrowDown');
    const dropdown = page.locator('.ant-select-dropdown:visible');
    await dropdown.waitFor();
    // The list inside the dropdown renders after the dropdown itself (a virtual list): waited for.
    await eventually(() => dropdown.locator('.ant-select-item-option').allTextContents()).toEqual(['Read me', 'Accounts', 'Contacts']);
    // The options in workbook order, Accounts (chosen) active: one down is Contacts.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await uploaded.getByText('3 columns: Name, E-mail, Met at').waitFor();
    await dropdown.waitFor({ state: 'detached' }).catch(() => dropdown.waitFor({ state: 'hidden' }));
    expect(await shown(page, 'import-sheet')).toBe('Contacts');
    await toTop(page);
    await screenshot(page, 'import-wizard-sheet', 'en');

    await page.getByTestId('import-next').click();
    await page.getByTestId('import-columns').waitFor();
    expect(await shown(page, 'import-time-zone')).toBe('None: refuse date-times without a zone');
    await page.getByTestId('import-next').click();
    const preview = page.getByTestId('import-preview');
    await preview.getByRole('row').filter({ hasText: 'Ada' }).getByText('"2025-03-01T14:30:00" has no time zone', { exact: false }).waitFor();
    await dryRun(page);
    await page.getByText(`Dry run finished: ${contacts.length} rows checked, nothing written.`).waitFor();
    expect(await count(page, 'rejected')).toBe(String(contacts.length));
    expect(await count(page, 'created')).toBe('0');
    // Nothing valid: nothing to import, said so, and Import stays off.
    await page.getByTestId('import-nothing-valid').waitFor();
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.getByTestId('import-rejected').getByText(/has no time zone/).first().waitFor();
    const refused = await lastJob();
    expect(refused.mapping.sheet).toBe('Contacts');
    expect(refused.mapping).not.toHaveProperty('timeZone');

    // Back to the mapping: the zone is searched for and chosen.
    await page.getByRole('button', { name: 'Back' }).click();
    await pickOption(page, 'Time zone of date-times', 'Asia/Shanghai', 'shanghai');
    expect(await shown(page, 'import-time-zone')).toBe('Asia/Shanghai');
    await showReading(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wizard-time-zone', 'en');
    await page.getByTestId('import-next').click();
    await preview.getByRole('row').filter({ hasText: 'Ada' }).getByRole('cell', { name: inShanghai(contacts[0].met), exact: true }).waitFor();
    await dryRun(page);
    await page.getByText(`Dry run finished: ${contacts.length} rows checked, nothing written.`).waitFor();
    expect(await count(page, 'created')).toBe(String(contacts.length));
    expect(await count(page, 'rejected')).toBe('0');
    const accepted = await lastJob();
    expect(accepted.mapping).toMatchObject({ sheet: 'Contacts', timeZone: 'Asia/Shanghai', targets: [{ entity: 'visitor', columns: { name: 'Name', email: 'E-mail', metAt: 'Met at' } }] });
    expect(accepted).toMatchObject({ mode: 'dryRun', status: 'done', source: { sheet: 'Contacts' } });

    await page.getByTestId('import-mode-valid').click();
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const stored = (await suite.fx.server.get<any>('/api/data/visitor?limit=100')).body.items;
    expect(stored.map((v: any) => [v.name, v.email, v.metAt]).sort()).toEqual(contacts.map((c) => [c.name, c.email, inShanghai(c.met)]).sort());
  });

  it('preselects the sheet and the time zone of a saved mapping', async () => {
    const saved = { name: 'visitors-from-contacts', sheet: 'Contacts', timeZone: 'Europe/Berlin', targets: [{ entity: 'visitor', columns: { name: 'Name', email: 'E-mail', metAt: 'Met at' } }] };
    expect((await suite.fx.server.put(`/api/import/mappings/${saved.name}`, saved)).status).toBe(200);
    const page = await open('Visitor');
    await page.getByTestId('import-uploaded').getByText('2 columns: Company, City').waitFor();
    await page.getByTestId('import-next').click();
    await loadSavedMapping(page, 'Load a mapping', saved.name);
    await eventually(() => shown(page, 'import-time-zone')).toBe('Europe/Berlin');
    await page.getByTestId('import-next').click();
    // Contacts' rows (not Accounts'), read in Berlin: 14:30 on 1 March is 13:30 UTC.
    await page.getByTestId('import-preview').getByRole('row').filter({ hasText: 'Ada' }).getByRole('cell', { name: '2025-03-01T13:30:00.000Z', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByTestId('import-uploaded').getByText('3 columns: Name, E-mail, Met at').waitFor();
    expect(await shown(page, 'import-sheet')).toBe('Contacts');
  });

  for (const [language, width] of [['zh', 1280], ['en', 390], ['zh', 390]] as const) {
    it(`offers the sheet and the time zone in ${language} at ${width} px`, async () => {
      const page = await open(language === 'zh' ? '访客' : 'Visitor', { language, width });
      await pickOption(page, language === 'zh' ? '工作表' : 'Sheet', 'Contacts');
      await page.getByTestId('import-uploaded').getByText(language === 'zh' ? '3 列：Name, E-mail, Met at' : '3 columns: Name, E-mail, Met at').waitFor();
      await page.getByText(language === 'zh' ? '工作簿有多个工作表' : 'The workbook has several sheets', { exact: false }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      if (width === 1280) await toTop(page);
      await screenshot(page, 'import-wizard-sheet', language);
      await page.getByTestId('import-next').click();
      await pickOption(page, language === 'zh' ? '日期时间的时区' : 'Time zone of date-times', 'Asia/Shanghai', 'shang');
      await showReading(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wizard-time-zone', language);
    });
  }
});
