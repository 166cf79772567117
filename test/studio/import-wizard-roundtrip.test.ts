// The round trip in the studio: a list exported as people read it (CSV, labels, option labels, the
// organisation's wall-clock times; English or Chinese), a few cells changed as in a spreadsheet, the
// file dropped into the import wizard. The wizard starts from the server's suggestion: the ID column
// as "the record to update" and as the upsert key, the other columns by their labels, the columns
// it leaves out with why (computed, an address shown as one line). The dry run counts the edited rows
// as updated, none created or rejected; the import changes those cells and nothing else (read
// through the records API) — an emptied cell clears its field once "empty cells clear" is ticked. Axe and screenshots at 1280 px (en) and 390 px (zh).

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';

const words = {
  en: { entity: 'Client', id: 'ID (the record to update)', region: 'Region', north: 'North China', email: 'E-mail', since: 'Client since', care: 'Care last planned', address: 'Address', accountNo: 'Account no.', computed: 'computed by the CRM', notReadBack: 'not read back', clearBlanks: /^Empty cells clear the field/ },
  zh: { entity: '客户', id: 'ID（要更新的记录）', region: '大区', north: '华北', email: '邮箱', since: '服务起始日', care: '最近安排关怀时间', address: '地址', accountNo: '客户编号', computed: '由 CRM 计算', notReadBack: '不读回', clearBlanks: /^空单元格清空/ },
} as const;

describe('studio: export, edit, import back through the wizard', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'roundtrip' });
  }, 300_000);
  afterAll(() => suite?.close());

  const accounts = async (names: string[]) => {
    const filter = encodeURIComponent(JSON.stringify({ name: { $in: names } }));
    const res = await suite.fx.server.get<{ items: Record<string, unknown>[] }>(`/api/data/account?limit=100&filter=${filter}`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.items.map(({ version: _v, updatedAt: _u, updatedBy: _b, ...item }) => [item['name'] as string, item]));
  };
  const fieldShown = (page: Page, column: string) => tableRows(page.getByTestId('import-columns')).filter({ has: page.getByText(column, { exact: true }) }).locator('.ant-select-content, .ant-select-selection-item').first().textContent();
  const columnRow = (page: Page, column: string) => tableRows(page.getByTestId('import-columns')).filter({ has: page.getByText(column, { exact: true }) });

  for (const { language, width } of [{ language: 'en', width: 1280 }, { language: 'zh', width: 390 }] as const) {
    it(`${language} at ${width} px: the edited rows are updated by their ID, nothing created, nothing else changed`, async () => {
      const w = words[language];
      const names = ['A', 'B', 'C'].map((l) => `Roundtrip ${language} ${l}`);
      for (const name of names) {
        const res = await suite.fx.server.post('/api/data/account', { name, clientType: 'business', region: 'east', email: `${name.replace(/ /g, '.')}@example.com`.toLowerCase(), clientSince: '2025-01-31', careScheduledAt: '2026-02-01T01:30:00.000Z', address: { street: '1 Main St', city: 'Shanghai' } });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const before = await accounts(names);
      // The export as a download link makes it: the studio's language, the list's records.
      const filter = encodeURIComponent(JSON.stringify({ name: { $in: names } }));
      const exported = await fetch(`${suite.fx.server.url}/api/export/account?lang=${language}&filter=${filter}`, { headers: { authorization: `Bearer ${suite.fx.server.admin!.token}` } });
      expect(exported.status).toBe(200);
      const table = parse(await exported.text(), { bom: true }) as string[][];
      const header = table[0]!;
      expect(header[0]).toBe('ID');
      const cell = (name: string, column: string) => {
        const row = table.find((r) => r.includes(name))!;
        return { get: () => row[header.indexOf(column)], set: (v: string) => (row[header.indexOf(column)] = v) };
      };
      cell(names[0]!, w.region).set(w.north);
      cell(names[1]!, w.email).set('changed@example.com');
      cell(names[1]!, w.since).set('2025-02-28');
      // A cell emptied: cleared only because the user ticks "empty cells clear the field".
      cell(names[2]!, w.email).set('');
      // The organisation's wall clock (UTC here): read back in the zone the suggestion names.
      expect(cell(names[2]!, w.care).get()).toBe('2026-02-01 01:30:00');
      const file = path.join(suite.dir, `clients-${language}.csv`);
      await writeFile(file, stringify(table, { bom: true }));

      const page = await suite.openWizard({ language, width, entity: w.entity, file });
      // The ID column names the record each row updates, and is the upsert key.
      expect(await fieldShown(page, 'ID')).toBe(w.id);
      await columnRow(page, 'ID').getByTestId('import-id-help').waitFor();
      expect(await page.getByTestId('import-key').textContent()).toContain(w.id);
      expect(await fieldShown(page, w.region)).toBe(w.region);
      const clearBlanks = page.getByRole('checkbox', { name: w.clearBlanks });
      expect(await clearBlanks.isChecked()).toBe(false);
      await clearBlanks.check();
      await clearBlanks.scrollIntoViewIfNeeded();
      await screenshot(page, 'import-wizard-roundtrip-key', language);
      // Left out, with why.
      await columnRow(page, w.accountNo).getByTestId('import-unmapped-reason').getByText(w.computed, { exact: false }).waitFor();
      await columnRow(page, w.address).getByTestId('import-unmapped-reason').getByText(w.notReadBack, { exact: false }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await columnRow(page, 'ID').scrollIntoViewIfNeeded();
      await screenshot(page, 'import-wizard-roundtrip-mapping', language);

      await page.getByTestId('import-next').click();
      await page.getByTestId('import-preview').waitFor();
      await page.getByTestId('import-start-dry-run').click();
      await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
      const counts = page.getByTestId('import-counts');
      const count = (key: string) => counts.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent();
      expect({ updated: await count('updated'), created: await count('created'), rejected: await count('rejected'), unchanged: await count('unchanged') }).toEqual({ updated: '3', created: '0', rejected: '0', unchanged: '0' });
      expect(await accounts(names)).toEqual(before);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wizard-roundtrip-dry-run', language);

      await page.getByTestId('import-commit').click();
      await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
      const after = await accounts(names);
      expect(after).toEqual({
        ...before,
        [names[0]!]: { ...before[names[0]!], region: 'north' },
        [names[1]!]: { ...before[names[1]!], email: 'changed@example.com', clientSince: '2025-02-28' },
        [names[2]!]: { ...before[names[2]!], email: undefined },
      });
      await screenshot(page, 'import-wizard-roundtrip-result', language);
    });
  }
});
