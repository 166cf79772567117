// Exports nobody here wrote, brought into the services template through the studio as a migrating
// admin would, in chromium against a real server. A contacts CSV saved with a byte-order mark and
// Chinese headers (en, 1280 px): the columns suggested from the fields' Chinese labels, the company
// column matched to the client by name, the old system's role words mapped to options, the mapping
// saved; the dry run names each rejected row's line, column, value (a refused e-mail showed no value)
// and reason; the valid rows imported; the rejected rows downloaded (with a byte-order mark: without
// one Excel garbled their Chinese), fixed and imported again with the saved mapping; that import
// undone. Every count is computed here from the rows. Axe and screenshots at each step.

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { loadSavedMapping, pickOption } from '../support/studio-fixture.ts';

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
      : [String(line(c)), '公司', c.company, `no Client with Name "${c.company}"`])));
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
    await loadSavedMapping(again, 'Load a mapping', 'old-crm-contacts');
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

// A help desk's JSON Lines export with Chinese keys (zh, 390 px): the priority and status in the old
// system's words (P1, Pending) mapped to options, defaults for the two required fields it lacks, a
// date-time without a zone. The first dry run names each refusal in Chinese by the field's label —
// the status (a workflow's) 「status」 and a client matched by name "没有name为…的account" read as
// code; the second, as a history import with the zone chosen, keeps the old states and dates, and a
// resolved ticket without a resolution is refused by the template's rule. Then the valid rows, and
// the undo from the recent imports by keyboard alone.
describe('studio: a help desk’s JSON Lines export, in Chinese on a phone', { timeout: 600_000 }, () => {
  let suite: ImportSuite;
  const tickets = [
    { 工单号: 'ZD-1001', 主题: '打印机卡纸', 客户: existingClient, 状态: '已解决', 优先级: 'P1', 受理时间: '2024-03-01T09:15:00+08:00', 解决时间: '2024-03-02T10:00:00+08:00', 解决方案: '更换搓纸轮' },
    { 工单号: 'ZD-1002', 主题: 'VPN 断线', 客户: existingClient, 状态: 'Pending', 优先级: 'P3', 受理时间: '2024-03-05 08:30', 解决时间: null, 解决方案: null },
    { 工单号: 'ZD-1003', 主题: '发票抬头错误', 客户: '不存在的公司', 状态: 'open', 优先级: 'P2', 受理时间: '2024-03-06T11:00:00Z', 解决时间: null, 解决方案: null },
    { 工单号: 'ZD-1004', 主题: '网络故障', 客户: existingClient, 状态: '已解决', 优先级: 'P2', 受理时间: '2024-03-07T11:00:00+08:00', 解决时间: '2024-03-07T15:00:00+08:00', 解决方案: null },
  ];
  const priorities = { P1: ['urgent', '紧急'], P2: ['high', '高'], P3: ['normal', '普通'] } as const;
  const statuses = { 已解决: 'resolved', Pending: 'waitingCustomer', open: 'new' } as const;
  /** The instant a date-time of the file is: one without a zone read in Shanghai (UTC+8). */
  const instant = (text: string) => new Date(/Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}:00+08:00`).toISOString();
  const unknownClient = (t: (typeof tickets)[number]) => t.客户 !== existingClient;
  const noResolution = (t: (typeof tickets)[number]) => statuses[t.状态 as keyof typeof statuses] === 'resolved' && !t.解决方案;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'tickets', files: { '工单导出.jsonl': tickets.map((t) => JSON.stringify(t)).join('\n') + '\n' } });
    expect((await suite.fx.server.post('/api/data/account', { name: existingClient, clientType: 'business', region: 'east' })).status).toBe(201);
  }, 300_000);
  afterAll(() => suite?.close());

  const storedCases = async () => (await suite.fx.server.get('/api/data/serviceCase?limit=100&sort=openedAt')).body.items as Record<string, unknown>[];
  const rejectedShown = async (page: Page) => Promise.all((await tableRows(page.getByTestId('import-rejected')).all()).map(async (row) => (await row.innerText()).split('\n').map((t) => t.trim()).filter(Boolean)));

  it('value maps, defaults, a history import with the zone chosen, valid rows only; reasons in Chinese; undone by keyboard', async () => {
    const page = await suite.openWizard({ language: 'zh', width: 390, entity: '服务请求', file: '工单导出.jsonl' });
    // The status column is not suggested (the workflow moves it), and the wizard says when to map it.
    await page.getByText('由工作流流转改变：仅在历史导入（下一步）时手动映射，以保留旧系统的状态').waitFor();
    await pickOption(page, '状态 列对应的字段', '状态', '状态');
    for (const [word, [, option]] of Object.entries(priorities)) await pickOption(page, `「${word}」对应的选项（优先级）`, option);
    await pickOption(page, '「Pending」对应的选项（状态）', '等待客户');
    await pickOption(page, '「open」对应的选项（状态）', '新建');
    await pickOption(page, '渠道的默认值', '邮件');
    await pickOption(page, '类别的默认值', '故障');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-tickets-mapping', 'zh');

    // Not yet a history import: the status and the unknown client refused, each in Chinese words.
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-count-rejected').waitFor();
    await page.getByText(/试运行完成/).waitFor();
    const first = await rejectedShown(page);
    expect(first.find((r) => r.includes('不存在的公司'))).toContain('没有名称为「不存在的公司」的客户');
    expect(first.filter((r) => r.includes('「状态」由流程驱动，只能通过流转修改')).length).toBe(tickets.filter((t) => !unknownClient(t) && /[+-]\d\d:\d\d$|Z$/.test(t.受理时间)).length);
    expect(first.join(' ')).not.toMatch(/status|account|name为/);
    await screenshot(page, 'import-stranger-tickets-first-dry-run', 'zh');

    // As a history import, the zone chosen for the date-time written without one.
    await page.getByRole('button', { name: '返回映射' }).click();
    await pickOption(page, '日期时间的时区', 'Asia/Shanghai', 'shanghai');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-history-switch').click();
    await pickOption(page, '创建日期（列）', '受理时间');
    await pickOption(page, '关闭或解决日期（列）', '解决时间');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-tickets-history', 'zh');
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    const refused = tickets.filter((t) => unknownClient(t) || noResolution(t));
    const valid = tickets.filter((t) => !refused.includes(t));
    expect(Number(await page.getByTestId('import-count-created').locator('.ant-statistic-content-value').textContent())).toBe(valid.length);
    expect(Number(await page.getByTestId('import-count-rejected').locator('.ant-statistic-content-value').textContent())).toBe(refused.length);
    const second = await rejectedShown(page);
    // (On a phone each rejected row is a card headed by its line.)
    expect(second.map((r) => r[0])).toEqual(refused.map((t) => `第 ${tickets.indexOf(t) + 1} 行`));
    expect(second[refused.findIndex(noResolution)]).toContain('已解决的请求必须填写解决方案');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-tickets-dry-run', 'zh');

    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const stored = await storedCases();
    expect(stored.map((c) => [c['subject'], c['status'], c['priority'], c['channel'], c['category'], c['openedAt']])).toEqual(
      valid.map((t) => [t.主题, statuses[t.状态 as keyof typeof statuses], priorities[t.优先级 as keyof typeof priorities][0], 'email', 'malfunction', instant(t.受理时间)]),
    );

    // The undo from the recent imports, by keyboard alone.
    const job = (await suite.fx.server.get('/api/import/jobs?limit=1')).body.items[0];
    const list = await suite.page({ language: 'zh', width: 390 });
    await list.goto('/import');
    const tab = list.getByRole('tab', { name: '最近的导入' });
    await tab.focus();
    await list.keyboard.press('Enter');
    const undo = list.getByTestId(`import-undo-${job.id}`);
    await undo.waitFor();
    for (let i = 0; i < 60 && !(await undo.evaluate((el) => el === document.activeElement)); i++) await list.keyboard.press('Tab');
    expect(await undo.evaluate((el) => el === document.activeElement)).toBe(true);
    await list.keyboard.press('Enter');
    const confirm = list.getByTestId('import-undo-confirm').and(list.locator(':not([disabled])'));
    await confirm.waitFor();
    expect(await seriousViolations(list)).toEqual([]);
    await screenshot(list, 'import-stranger-tickets-undo', 'zh');
    for (let i = 0; i < 10 && !(await confirm.evaluate((el) => el === document.activeElement)); i++) await list.keyboard.press('Tab');
    await list.keyboard.press('Enter');
    await list.getByTestId(`import-job-status-${job.id}`).getByText('已撤销').waitFor();
    expect(await storedCases()).toEqual([]);
    await screenshot(list, 'import-stranger-tickets-undone', 'zh');
  });
});

// The file step, in Chinese on a phone: a shop's workbook saved under a .csv name is refused there,
// saying what it is and what to do, and Next stays disabled (it was read as one garbage column); a
// contacts CSV saved by Excel on Chinese Windows (GBK) reads as its Chinese columns.
describe('studio: the file step refuses a workbook named .csv, reads a GBK CSV', { timeout: 300_000 }, () => {
  let suite: ImportSuite;
  const header = ['公司', '姓名', '手机', '邮箱'];
  beforeAll(async () => {
    suite = await startImportSuite({ name: 'files' });
    await writeFile(path.join(suite.dir, 'contacts-gbk.csv'), iconv.encode([header.join(','), '杭州湖畔科技,王芳,13800138000,wang@hupan.example'].join('\r\n') + '\r\n', 'gbk'));
    const book = new ExcelJS.Workbook();
    book.addWorksheet('订单').addRow(['订单号', '客户']);
    await writeFile(path.join(suite.dir, '订单.csv'), Buffer.from(await book.xlsx.writeBuffer()));
  }, 300_000);
  afterAll(() => suite?.close());

  it('zh at 390 px', async () => {
    const page = await suite.openWizard({ language: 'zh', width: 390, entity: '联系人', file: path.join(suite.dir, '订单.csv'), next: false });
    await page.getByRole('alert').getByText('文件名为 .csv，但内容不是文本，而是 zip 压缩包（Excel 工作簿 .xlsx 即是）。未导入任何数据。工作簿请以 .xlsx 文件名上传，或另存为 CSV UTF-8。').waitFor();
    expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-stranger-workbook-named-csv', 'zh');

    const gbk = await suite.openWizard({ language: 'zh', width: 390, entity: '联系人', file: path.join(suite.dir, 'contacts-gbk.csv') });
    expect(await gbk.getByTestId('import-columns').locator('strong').allInnerTexts()).toEqual(header);
  });
});
