// Exports nobody here wrote, brought into the services template through the studio as a migrating
// admin would, in chromium against a real server. A contacts CSV saved with a byte-order mark and
// Chinese headers (en, 1280 px): the columns suggested from the fields' Chinese labels, the company
// column matched to the client by name, the old system's role words mapped to options, the mapping
// saved; the dry run names each rejected row's line, column, value (a refused e-mail showed no value)
// and reason; the valid rows imported; the rejected rows downloaded (with a byte-order mark: without
// one Excel garbled their Chinese), fixed and imported again with the saved mapping; that import
// undone. Every count is computed here from the rows. Axe and screenshots at each step.

import { parse } from 'csv-parse/sync';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { pickOption } from '../support/studio-fixture.ts';

const existingClient = '杭州湖畔科技';
const contacts = [
  { company: existingClient, name: '王芳', mobile: '+86 138 0013 8000', email: 'wang.fang@hupan.example', title: '采购经理', role: '采购员' },
  { company: existingClient, name: '李雷', mobile: '+86 139 0013 9000', email: 'li.lei@hupan', title: '总经理', role: '老板' },
  { company: '苏州园林设计', name: '韩梅梅', mobile: '+86 137 0013 7000', email: 'han@yuanlin.example', title: '财务主管', role: '财务' },
  { company: existingClient, name: '张伟', mobile: '+86 136 0013 6000', email: 'zhang.wei@hupan.example', title: '工程师', role: '技术' },
];
const header = ['公司', '姓名', '手机', '邮箱', '职务', '角色'];
const contactsCsv = '\ufeff' + [header.join(','), ...contacts.map((c) => [c.company, c.name, c.mobile, c.email, c.title, c.role].join(','))].join('\r\n') + '\r\n';
/** The old system's role words no option is called, and the option each means. */
const roleMap = { 采购员: 'purchasing', 老板: 'decisionMaker' } as const;
const roleOf = (word: string) => roleMap[word as keyof typeof roleMap] ?? ({ 财务: 'finance', 技术: 'technical' } as Record<string, string>)[word];
const badEmail = (c: (typeof contacts)[number]) => !/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(c.email);
const unknownClient = (c: (typeof contacts)[number]) => c.company !== existingClient;
const line = (c: (typeof contacts)[number]) => contacts.indexOf(c) + 2;

describe('studio: a migrating admin imports exports nobody here wrote', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'stranger', files: { '客户联系人.csv': contactsCsv } });
    expect((await suite.fx.server.post('/api/data/account', { name: existingClient, clientType: 'business', region: 'east' })).status).toBe(201);
  }, 300_000);
  afterAll(() => suite?.close());

  const storedContacts = async () => (await suite.fx.server.get(`/api/data/contact?limit=100&filter=${encodeURIComponent(JSON.stringify({ name: { $in: contacts.map((c) => c.name) } }))}`)).body.items as Record<string, unknown>[];
  const dryRun = async (page: Page) => {
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
  };
  const count = async (page: Page, kind: string) => Number(await page.getByTestId(`import-count-${kind}`).locator('.ant-statistic-content-value').textContent());

  it('contacts CSV with a BOM and Chinese headers: dry run, valid rows, rejected rows fixed and imported again, undo (en, 1280 px)', async () => {
    const page = await suite.openWizard({ language: 'en', width: 1280, entity: 'Contact', file: '客户联系人.csv' });
    await pickOption(page, 'Field for column 公司', 'Account *');
    for (const [word, option] of Object.entries(roleMap)) await pickOption(page, `Option for “${word}” (Role)`, option === 'purchasing' ? 'Purchasing' : 'Decision maker');
    await page.getByLabel('Save this mapping as').fill('old-crm-contacts');
    await page.getByTestId('import-save-mapping').click();
    await page.getByText('Mapping “old-crm-contacts” saved.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-contacts-mapping', 'en');

    await dryRun(page);
    const job = (await suite.fx.server.get('/api/import/jobs?limit=1')).body.items[0];
    // The columns the server suggested from the Chinese labels, and the one picked by hand.
    expect(job.mapping.targets[0].columns).toEqual({ account: '公司', name: '姓名', mobile: '手机', email: '邮箱', jobTitle: '职务', role: '角色' });
    const rejected = contacts.filter((c) => badEmail(c) || unknownClient(c));
    const valid = contacts.filter((c) => !rejected.includes(c));
    expect(await count(page, 'created')).toBe(valid.length);
    expect(await count(page, 'rejected')).toBe(rejected.length);
    const shown = await Promise.all((await tableRows(page.getByTestId('import-rejected')).all()).map(async (row) => (await row.locator('td').allInnerTexts()).map((t) => t.trim())));
    expect(shown).toEqual(rejected.map((c) => (badEmail(c)
      ? [String(line(c)), '邮箱', c.email, 'must be an e-mail address such as name@example.com']
      : [String(line(c)), '公司', c.company, `no account with name "${c.company}"`])));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-contacts-dry-run', 'en');

    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const stored = await storedContacts();
    expect(stored.map((c) => [c['name'], c['role']]).sort()).toEqual(valid.map((c) => [c.name, roleOf(c.role)]).sort());

    // The rejected rows as a file: opened in Excel, its Chinese must read as Chinese.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download-rejected').click()]);
    const downloaded = path.join(suite.dir, 'rejected.csv');
    await download.saveAs(downloaded);
    const bytes = await readFile(downloaded);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['姓名'], r['_line']])).toEqual(rejected.map((c) => [c.name, String(line(c))]));
    await screenshot(page, 'import-stranger-contacts-imported', 'en');

    // Fixed as the admin would: the e-mail corrected, the missing client added first.
    expect((await suite.fx.server.post('/api/data/account', { name: '苏州园林设计', clientType: 'business', region: 'east' })).status).toBe(201);
    const fixedEmail = 'li.lei@hupan.example';
    const fixed = path.join(suite.dir, 'rejected-fixed.csv');
    await writeFile(fixed, bytes.toString('utf8').replace('li.lei@hupan,', `${fixedEmail},`));

    const again = await suite.openWizard({ language: 'en', width: 1280, entity: 'Contact', file: fixed });
    await pickOption(again, 'Load a mapping', 'old-crm-contacts');
    await dryRun(again);
    expect(await count(again, 'created')).toBe(rejected.length);
    expect(await count(again, 'rejected')).toBe(0);
    await again.getByTestId('import-commit').click();
    await again.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const all = await storedContacts();
    expect(all.map((c) => [c['name'], c['role'], c['email']]).sort()).toEqual(contacts.map((c) => [c.name, roleOf(c.role), badEmail(c) ? fixedEmail : c.email]).sort());

    // Undo the second import: what it created goes, the first import's rows stay.
    await again.getByTestId('import-result').getByRole('button', { name: 'Undo import' }).click();
    await again.getByTestId('import-undo-report').waitFor();
    expect(await seriousViolations(again)).toEqual([]);
    await screenshot(again, 'import-stranger-contacts-undo', 'en');
    await again.getByTestId('import-undo-confirm').click();
    await again.getByTestId('import-undone').waitFor();
    expect((await storedContacts()).map((c) => c['name']).sort()).toEqual(valid.map((c) => c.name).sort());
  });
});
