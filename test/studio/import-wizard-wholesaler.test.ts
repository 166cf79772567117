// A small Chinese wholesaler leaves its desktop ERP for the wholesale template, through the studio's
// import wizard in chromium against a real server, with files written here (wholesaler-files.ts):
// a customer list saved as GBK CSV with a title line above its Chinese headers, dates written 2023/3/5, 2023年3月5日 and
// 2022-06-18 00:00:00, credit limits grouped by thousands, in full-width digits and in 元, one address
// line built into the address by a transform (zh, 1280 px); a workbook whose 客户 and 联系人 sheets
// have a merged title above the header, dates in Chinese Excel's built-in long-date format and a
// customer merged down over its contacts, who name it (zh, 390 px; the contacts by keyboard alone);
// a European supplier's semicolon CSV with decimal commas (en and zh). The ERP's words (批发商, 一级,
// 月结30天, 老板) are mapped to the template's options. Every expected value is computed here from the
// files' rows.

import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { startImportSuite, type ImportSuite } from '../support/import-suite.ts';
import { pickOption } from '../support/studio-fixture.ts';
import { bookContacts, bookCustomers, gbkCustomers, gbkCustomersCsv, gbkHeader, supplierCsv, supplierProducts, writeWorkbook } from '../support/wholesaler-files.ts';

/** The ERP's words for the template's options (option labels in Chinese). */
const accountTypes: Record<string, [string, string]> = { 批发商: ['distributor', '经销商'], 零售店: ['retailer', '零售商'] };
const tiers: Record<string, [string, string]> = { 一级: ['tier1', '一级（核心经销商）'], 二级: ['tier2', '二级（经销商、连锁）'], 三级: ['tier3', '三级（独立零售）'] };
const roles: Record<string, [string, string]> = { 老板: ['decisionMaker', '决策人'], 采购员: ['purchasing', '采购'], 会计: ['finance', '财务'] };
const terms: Record<string, [string, string]> = { 月结30天: ['net30', '月结 30 天'], 预付: ['prepaid', '预付款'] };
/** A number as the ERP wrote it: full-width digits and separators, thousands grouped, 元 after it. */
const amount = (text: string) => Number(text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/,|元$/g, ''));
/** A date as the ERP wrote it (2023/3/5, 2023年3月5日, 2022-06-18 00:00:00) as YYYY-MM-DD. */
const isoDate = (text: string) => text.split(' ')[0]!.replace(/[年月/]/g, '-').replace('日', '').split('-').map((p, i) => (i === 0 ? p : p.padStart(2, '0'))).join('-');

/** The name the focused element is read by (its accessibility snapshot's first line). */
async function focusedName(page: Page): Promise<string> {
  const read = ((await page.locator(':focus').ariaSnapshot({ timeout: 5_000 })).split('\n')[0] ?? '').trim();
  return /^- [\w-]+ "((?:[^"\\]|\\.)*)"/.exec(read)?.[1] ?? '';
}

/** Tabs from the step's heading to the control read as `name` (it must be reached) and presses `key` on it. */
async function tabTo(page: Page, name: string, key = 'Enter'): Promise<void> {
  await page.getByTestId('import-step-of').focus();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (!(await page.evaluate(() => document.activeElement?.closest('[data-testid="import-wizard"]') !== null))) break;
    if ((await focusedName(page)) === name) {
      await page.keyboard.press(key);
      return;
    }
  }
  throw new Error(`Tab did not reach ${name}`);
}

/** In an open select's list, the arrow down to the option reading `option`, then Enter. */
async function walkTo(page: Page, option: string): Promise<void> {
  const active = page.locator('.ant-select-dropdown:visible .ant-select-item-option-active');
  await active.waitFor();
  for (let i = 0; i < 12 && (await active.textContent()) !== option; i++) await page.keyboard.press('ArrowDown');
  expect(await active.textContent()).toBe(option);
  await page.keyboard.press('Enter');
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' }).catch(() => page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' }));
}

describe('studio: a Chinese wholesaler migrates from its desktop ERP', { timeout: 600_000 }, () => {
  let suite: ImportSuite;

  beforeAll(async () => {
    suite = await startImportSuite({ name: 'wholesaler', files: { '客户资料.xlsx': writeWorkbook, 'lieferant-preise.csv': supplierCsv() } });
    const installed = await suite.fx.server.post('/api/templates/wholesale/install', { sampleData: false, modules: ['customers'] });
    expect(installed.status, JSON.stringify(installed.body).slice(0, 500)).toBe(201);
    await writeFile(path.join(suite.dir, '客户资料.csv'), gbkCustomersCsv());
  }, 300_000);
  afterAll(() => suite?.close());

  const count = async (page: Page, kind: string) => Number(await page.getByTestId(`import-count-${kind}`).locator('.ant-statistic-content-value').textContent());
  const accounts = async (names: string[]) => (await suite.fx.server.get(`/api/data/account?limit=100&filter=${encodeURIComponent(JSON.stringify({ name: { $in: names } }))}`)).body.items as Record<string, unknown>[];
  const dryRun = async (page: Page) => {
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-counts').waitFor();
    await page.getByText(/试运行完成|Dry run finished/).waitFor();
  };

  it('the GBK customer list: Chinese headers, both date forms, full-width and grouped numbers, the ERP’s words mapped (zh, 1280 px)', async () => {
    const page = await suite.openWizard({ language: 'zh', width: 1280, entity: '客户', file: path.join(suite.dir, '客户资料.csv') });
    expect(await page.getByTestId('import-columns').locator('strong').allInnerTexts()).toEqual(gbkHeader);
    // The ERP's headers: 客户名称 suggested (the entity's label and the field's); the rest picked by hand.
    expect(await page.getByLabel('客户名称 列对应的字段', { exact: true }).evaluate((el) => el.closest('.ant-select')?.textContent)).toBe('名称 *');
    await pickOption(page, '联系电话 列对应的字段', '电话', '电话');
    await pickOption(page, '建档日期 列对应的字段', '合作起始日', '合作');
    await pickOption(page, '付款方式 列对应的字段', '付款条件', '付款');
    // One address line: left out, the reason naming the transform that builds the address's parts — taken.
    const address = page.getByTestId('import-columns').getByRole('row').filter({ hasText: '地址' });
    await address.getByText('「地址」由多个部分组成（street, city, region, postalCode, country），单个单元格无法区分：如需导入，请选择此字段并添加构建各部分的转换，例如 {"street": `地址`}').waitFor();
    await pickOption(page, '地址 列对应的字段', '地址', '地址');
    await page.getByRole('button', { name: '为列 地址 添加转换' }).click();
    await page.getByLabel('列 地址 的转换（JSONata）').fill('{"street": `地址`}');
    for (const [word, [, option]] of Object.entries({ ...accountTypes, ...tiers, ...terms })) {
      if (!gbkCustomers.some((c) => [c.type, c.tier, c.terms].includes(word))) continue;
      const field = word in accountTypes ? '客户类型' : word in tiers ? '价格等级' : '付款条件';
      await pickOption(page, `「${word}」对应的选项（${field}）`, option);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wholesaler-customers-mapping', 'zh');

    await dryRun(page);
    expect(await count(page, 'rejected')).toBe(0);
    expect(await count(page, 'created')).toBe(gbkCustomers.length);
    await page.getByText('按 GB18030 (GBK) 编码读取（非 UTF-8）').waitFor();
    await page.getByText('表头在第 2 行，其上 1 行已跳过').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wholesaler-customers-dry-run', 'zh');
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const stored = await accounts(gbkCustomers.map((c) => c.name));
    expect(stored.map((a) => [a['name'], a['phone'], a['address'], a['creditLimit'], a['customerSince'], a['accountType'], a['priceTier'], a['paymentTerms'], a['region']]).sort()).toEqual(
      gbkCustomers.map((c) => [c.name, c.phone, { street: c.address }, amount(c.credit), isoDate(c.since), accountTypes[c.type]![0], tiers[c.tier]![0], terms[c.terms]![0], c.region === '华东' ? 'east' : 'south']).sort(),
    );
    await screenshot(page, 'import-wholesaler-customers-imported', 'zh');
  });

  it('the workbook: 客户 under a merged title with Chinese Excel dates, then 联系人 naming their customer (zh, 390 px)', async () => {
    const page = await suite.openWizard({ language: 'zh', width: 390, entity: '客户', file: '客户资料.xlsx', next: false });
    await page.getByTestId('import-uploaded').getByText(/6 列/).waitFor();
    await screenshot(page, 'import-wholesaler-workbook', 'zh');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-columns').waitFor();
    await pickOption(page, '建档日期 列对应的字段', '合作起始日', '合作');
    for (const word of new Set(bookCustomers.flatMap((c) => [c.type, c.tier]))) {
      const [, option] = accountTypes[word] ?? tiers[word]!;
      await pickOption(page, `「${word}」对应的选项（${word in accountTypes ? '客户类型' : '价格等级'}）`, option);
    }
    // The time zone found by its Chinese name (the list is of IANA ids, which a Chinese-only reader cannot search).
    const zone = page.getByLabel('日期时间的时区', { exact: true });
    await zone.click();
    await zone.fill('中国');
    const china = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '中国标准时间' });
    expect(await china.innerText()).toBe('Asia/Shanghai 中国标准时间');
    await screenshot(page, 'import-wholesaler-time-zone', 'zh');
    await china.click();
    await eventually(() => page.getByTestId('import-time-zone').locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toBe('Asia/Shanghai');
    // The sheet has no payment terms, which the template's rule asks of a customer with credit: a default.
    await pickOption(page, '为其他字段添加默认值', '付款条件', '付款');
    await pickOption(page, '付款条件的默认值', '月结 60 天');
    await page.getByTestId('import-next').click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    // The dates Chinese Excel saved in its long-date format, and the credit stored as text, read as written.
    for (const c of bookCustomers) {
      const row = tableRows(preview).filter({ hasText: c.name });
      await row.getByText(c.since, { exact: true }).waitFor();
      await row.getByText(String(amount(c.credit)), { exact: true }).waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wholesaler-workbook-preview', 'zh');
    await page.getByTestId('import-start-dry-run').click();
    await page.getByText(/试运行完成/).waitFor();
    expect(await count(page, 'rejected')).toBe(0);
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const stored = await accounts(bookCustomers.map((c) => c.name));
    expect(stored.map((a) => [a['name'], a['creditLimit'], a['customerSince'], a['paymentTerms']]).sort()).toEqual(bookCustomers.map((c) => [c.name, amount(c.credit), c.since, 'net60']).sort());

    // The contacts by keyboard alone from the sheet on: each control reached by Tab from the step's heading.
    const contacts = await suite.openWizard({ language: 'zh', width: 390, entity: '联系人', file: '客户资料.xlsx', next: false });
    await contacts.getByTestId('import-uploaded').getByText(/6 列/).waitFor();
    await tabTo(contacts, '工作表', 'ArrowDown');
    await walkTo(contacts, '联系人');
    await contacts.getByTestId('import-uploaded').getByText(/5 列/).waitFor();
    await tabTo(contacts, '下一步');
    await contacts.getByTestId('import-columns').waitFor();
    // The old roles: each select opened and walked with the arrows.
    for (const c of bookContacts) {
      await tabTo(contacts, `「${c.role}」对应的选项（角色）`, 'ArrowDown');
      await walkTo(contacts, roles[c.role]![1]);
      await eventually(() => contacts.getByLabel(`「${c.role}」对应的选项（角色）`, { exact: true }).evaluate((el) => el.closest('.ant-select')?.textContent)).toBe(roles[c.role]![1]);
    }
    expect(await seriousViolations(contacts)).toEqual([]);
    await screenshot(contacts, 'import-wholesaler-contacts-mapping', 'zh');
    await tabTo(contacts, '下一步');
    await contacts.getByTestId('import-preview').waitFor();
    await tabTo(contacts, '开始试运行');
    await contacts.getByText(/试运行完成/).waitFor();
    // 吴丽's customer is the merged cell above hers: read as Excel shows it, not refused as missing.
    expect(await count(contacts, 'rejected')).toBe(0);
    expect(await count(contacts, 'created')).toBe(bookContacts.length);
    await contacts.getByText('工作表「联系人」：合并单元格 B3:B4 的值按其首个单元格读入所跨的每一行').waitFor();
    expect(await seriousViolations(contacts)).toEqual([]);
    await screenshot(contacts, 'import-wholesaler-contacts-dry-run', 'zh');
    await tabTo(contacts, '导入');
    await contacts.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const ids = new Map(stored.map((a) => [a['name'], a['id']]));
    const people = (await suite.fx.server.get(`/api/data/contact?limit=100&filter=${encodeURIComponent(JSON.stringify({ name: { $in: bookContacts.map((c) => c.name) } }))}`)).body.items as Record<string, unknown>[];
    expect(people.map((p) => [p['name'], p['account'], p['role'], p['jobTitle']]).sort()).toEqual(bookContacts.map((c) => [c.name, ids.get(c.customer), roles[c.role]![0], c.title]).sort());
  });

  it('the ERP’s .xls export: refused at the file step, saying to save it as .xlsx or CSV (zh, 390 px)', async () => {
    const legacy = path.join(suite.dir, '客户资料.xls');
    await writeFile(legacy, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]));
    const page = await suite.page({ language: 'zh', width: 390 });
    await page.goto('/import');
    await page.locator('#import-entity').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('客户', { exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(legacy);
    // Named as the file, in the reader's words: not "/name" as code.
    await eventually(() => page.getByRole('alert').locator('li').innerText()).toBe('文件: 是 .xls 格式的电子表格，无法直接导入：请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 CSV UTF-8 后上传');
    expect(await page.getByTestId('import-next').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-wholesaler-xls', 'zh');
  });

  for (const [language, width] of [['en', 1280], ['en', 390], ['zh', 390]] as const) {
    it(`the supplier’s semicolon CSV with decimal commas (${language}, ${width} px)`, async () => {
      const zh = language === 'zh';
      const page = await suite.openWizard({ language, width, entity: zh ? '产品' : 'Product', file: 'lieferant-preise.csv' });
      const fields: Record<string, [string, string]> = zh ? { Artikelnr: ['产品编码', '编码'], Bezeichnung: ['品名', '品名'], Warengruppe: ['品类', '品类'], Preis: ['出厂价', '出厂'], VE: ['每单位件数', '每单位'] } : { Artikelnr: ['SKU', 'sku'], Bezeichnung: ['Name', 'name'], Warengruppe: ['Category', 'categ'], Preis: ['List price', 'list'], VE: ['Pieces per unit', 'pieces'] };
      for (const [column, [field, search]] of Object.entries(fields)) await pickOption(page, zh ? `${column} 列对应的字段` : `Field for column ${column}`, field, search);
      await pickOption(page, zh ? '小数点符号' : 'Decimal separator', zh ? '逗号' : 'Decimal comma');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wholesaler-supplier-mapping', language);
      await dryRun(page);
      expect(await count(page, 'rejected')).toBe(0);
      expect(await count(page, 'created')).toBe(supplierProducts.length);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'import-wholesaler-supplier-dry-run', language);
      if (!zh) return;
      // Imported from the last run alone: the SKU is unique, and the dry runs before it wrote nothing.
      await page.getByTestId('import-commit').click();
      await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
      const stored = (await suite.fx.server.get(`/api/data/product?limit=100&filter=${encodeURIComponent(JSON.stringify({ sku: { $in: supplierProducts.map((p) => p.sku) } }))}`)).body.items as Record<string, unknown>[];
      const categories: Record<string, string> = { 粮油: 'grainOil', 调味品: 'condiments' };
      expect(stored.map((p) => [p['sku'], p['name'], p['category'], p['listPrice'], p['unitsPerCase'], p['unit']]).sort()).toEqual(
        supplierProducts.map((p) => [p.sku, p.name, categories[p.category], Number(p.price.replace(/\./g, '').replace(',', '.')), Number(p.perCase), 'case']).sort(),
      );
    });
  }
});
