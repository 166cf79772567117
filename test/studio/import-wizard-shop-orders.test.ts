// An online shop's order export (an .xlsx the test writes: Chinese headers, order times with and
// without a zone, one a real date cell) brought into the retail template through the studio with a
// mapping of two targets — each row's buyer as a member (upserted by mobile) and the order as a
// purchase looking that member up by mobile and its store by name — as a template would ship it.
// Loaded while the wizard imports into Purchase, the mapping's targets were put in another order
// (the edited one first): every new member's purchase was refused as "no member with mobile …",
// and a second target of one entity dropped; and the wizard never said that the rows also went
// into Member; a transform refused at that target was looked for at the first one's pointer. Now
// the order stays, the wizard lists both targets (the edited one marked) and shows the refused transform at its column,
// the dry run rejects only the order whose store does not exist, and the import writes each member
// once and every order. A default typed as text ("2024/1/15") is read as the field reads a cell; a
// wrong one is shown at its input when the dry run is refused. zh at 1280 px, en at 390 px; axe-clean.

import ExcelJS from 'exceljs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { chooseImportFile, closeBrowserSuite, loadSavedMapping, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const store = '静安旗舰店';
const orders: { no: string; at: string | Date; name: string; mobile: string; email: string; store: string; channel: string; status: string }[] = [
  { no: 'TM-1', at: '2024-03-01 14:30', name: '陈静', mobile: '13800001111', email: 'chen@shop.example', store, channel: '天猫', status: '已发货' },
  { no: 'TM-2', at: '2024-03-02T09:00:00+08:00', name: 'Lucy Li', mobile: '13800002222', email: 'lucy@shop.example', store, channel: '抖音直播', status: 'Shipped' },
  { no: 'TM-3', at: new Date(Date.UTC(2024, 2, 3, 10, 0)), name: '陈静', mobile: '13800001111', email: 'chen@shop.example', store, channel: '天猫', status: '已发货' },
  { no: 'TM-4', at: '2024-03-04 11:00', name: '王强', mobile: '13800003333', email: 'wq@shop.example', store: '不存在的店', channel: '天猫', status: '待付款' },
];
const channels = { 天猫: 'online', 抖音直播: 'livestream' } as const;
const dayOf = (at: string | Date) => (typeof at === 'string' ? at.slice(0, 10) : at.toISOString().slice(0, 10));
const mapping = {
  name: 'shop-orders', label: { en: 'Shop orders', zh: '网店订单' }, sheet: '订单',
  targets: [
    { entity: 'member', key: ['mobile'], columns: { name: '姓名', mobile: '手机号', email: '邮箱' }, defaults: { joinedOn: '2024-01-01' } },
    { entity: 'purchase', columns: { member: '手机号', store: '门店名称', salesChannel: '渠道' }, transforms: { purchaseDate: '$substring($string(下单时间), 0, 10)' }, lookups: { member: { by: 'mobile' }, store: { by: 'name' } }, values: { salesChannel: channels } },
  ],
};

describe('studio: an online shop’s orders into members and purchases, one mapping of two targets', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  let file: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const installed = await server.post('/api/templates/retail/install', { sampleData: false, modules: ['members'] });
    expect(installed.status, JSON.stringify(installed.body).slice(0, 400)).toBe(201);
    expect((await server.post('/api/data/store', { code: 'SH-001', name: store, format: 'flagship', region: 'east' })).status).toBe(201);
    expect((await server.put('/api/import/mappings/shop-orders', mapping)).status).toBe(200);
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-shop-orders-'));
    file = path.join(dir, '网店订单导出.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('订单');
    sheet.addRow(['订单号', '下单时间', '姓名', '手机号', '邮箱', '门店名称', '渠道', '订单状态']);
    for (const o of orders) sheet.addRow([o.no, o.at, o.name, o.mobile, o.email, o.store, o.channel, o.status]);
    await book.xlsx.writeFile(file);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server], dir }));

  const wizard = async (language: 'en' | 'zh', width: number, entity: string): Promise<Page> => {
    const page = await signedInPage({ browser, server, contexts, options: { language, width } });
    await page.goto('/import');
    await chooseImportFile(page, entity, file);
    return page;
  };
  const targets = async (page: Page) => (await page.getByTestId('import-target').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const items = async (entity: string) => (await server.get(`/api/data/${entity}?limit=100&sort=createdAt`)).body.items as Record<string, unknown>[];

  it('zh at 1280 px: loaded while importing into Purchase, the rows become members first, then their purchases', async () => {
    const page = await wizard('zh', 1280, '消费记录');
    await loadSavedMapping(page, '载入映射', '网店订单');
    // Both targets listed in their order, the one edited marked.
    expect(await targets(page)).toEqual(['会员', '消费记录 正在编辑']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-shop-orders-mapping', 'zh');

    // A transform the server cannot read, on the edited target (the mapping's second): shown at its
    // column when the dry run is refused (the wizard looked for it at the first target's pointer).
    await page.getByTestId('import-add-transform-salesChannel').click();
    await page.getByLabel('列 渠道 的转换（JSONata）').fill('渠道 &');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-transform-error-salesChannel').waitFor();
    expect(await page.getByLabel('列 渠道 的转换（JSONata）').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: '移除列 渠道 的转换' }).click();

    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).waitFor();
    const refused = orders.filter((o) => o.store !== store);
    const valid = orders.filter((o) => !refused.includes(o));
    const job = (await server.get('/api/import/jobs?limit=1')).body.items[0];
    expect(job.mapping.targets.map((t: { entity: string }) => t.entity)).toEqual(mapping.targets.map((t) => t.entity));
    const rejected = await Promise.all((await tableRows(page.getByTestId('import-rejected')).all()).map(async (row) => (await row.locator('td').allInnerTexts()).map((t) => t.trim())));
    expect(rejected).toEqual(refused.map((o) => [String(orders.indexOf(o) + 2), '门店名称', o.store, `没有门店名称为「${o.store}」的门店`]));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-shop-orders-dry-run', 'zh');

    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const members = await items('member');
    const mobiles = [...new Set(valid.map((o) => o.mobile))];
    expect(members.map((m) => m['mobile'])).toEqual(mobiles);
    const memberId = new Map(members.map((m) => [m['mobile'], m['id']]));
    const purchases = await items('purchase');
    expect(purchases.map((p) => [p['member'], p['purchaseDate'], p['salesChannel']])).toEqual(valid.map((o) => [memberId.get(o.mobile), dayOf(o.at), channels[o.channel as keyof typeof channels]]));

    await page.getByTestId('import-result').getByRole('button', { name: '撤销导入' }).click();
    await page.getByTestId('import-undo-report').waitFor();
    await page.getByTestId('import-undo-confirm').click();
    await page.getByTestId('import-undone').waitFor();
    expect(await items('purchase')).toEqual([]);
    expect(await items('member')).toEqual([]);
  });

  it('en at 390 px: importing into Member, the same mapping names Purchase; a default typed as the admin writes dates is read, a wrong one shown at its input', async () => {
    const page = await wizard('en', 390, 'Member');
    await loadSavedMapping(page, 'Load a mapping', 'Shop orders');
    expect(await targets(page)).toEqual(['Member editing', 'Purchase']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-shop-orders-mapping', 'en');

    // A day February never has: refused when the dry run starts, shown at the default, by its field's name.
    const joined = page.getByRole('textbox', { name: 'Default for Joined on' });
    await joined.fill('2024-02-30');
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start-dry-run').click();
    const error = page.getByTestId('import-default-error-joinedOn');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/^Default for Joined on: .*2024-02-30/);
    expect(await joined.getAttribute('aria-invalid')).toBe('true');
    // Back on the mapping at the default refused, not at the top of the long page.
    expect(await joined.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await error.isVisible()).toBe(true);
    expect(await error.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-shop-orders-default-refused', 'en');
    // Written as the admin writes dates: read as a cell of the field is.
    await joined.fill('2024/1/15');
    await error.waitFor({ state: 'detached' });
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-start-dry-run').click();
    await page.getByTestId('import-commit').and(page.locator(':not([disabled])')).click();
    await page.locator('[data-testid="import-result"][data-status="done"]').waitFor();
    const members = await items('member');
    expect(members.map((m) => [m['mobile'], m['joinedOn']])).toEqual([...new Set(orders.filter((o) => o.store === store).map((o) => o.mobile))].map((mobile) => [mobile, '2024-01-15']));
  });
});
