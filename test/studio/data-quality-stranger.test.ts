// The data quality page on entities nobody here wrote, in chromium: a long entity name with Chinese
// labels only, multi-value, file and address fields, values refused after the metadata was tightened
// (a removed option in a multi-picklist, a lowered scale), and an entity with no records (score 100,
// nothing invalid). Each figure the page shows is computed from the records the test made; axe and
// screenshots at 1280 and 390 px, in English and Chinese.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectTablesFit, launchBrowser, screenshot, seriousViolations, tableRows } from '../support/browser.ts';
import { closeBrowserSuite, signedInPage } from '../support/studio-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

const longName = 'gizmoWithAVeryLongNameThatAStrangerMightPickForNoGoodReason';
const fields = {
  name: { type: 'text', required: true, label: { zh: '名字' } },
  qty: { type: 'number', scale: 3, label: { zh: '数量' } },
  tags: { type: 'multipicklist', options: { x: { label: { zh: '标签一' } }, y: { label: { zh: '标签二' } }, z: { label: { zh: '标签三' } } }, label: { zh: '标签' } },
  docs: { type: 'file', multiple: true, label: { zh: '文件' } },
  addr: { type: 'address', label: { zh: '地址' } },
};
const gizmo = { kind: 'entity', name: longName, label: { zh: '小玩意' }, titleField: 'name', fields };
const nothing = { kind: 'entity', name: 'nothingHere', label: { zh: '空的实体' }, titleField: 'title', fields: { title: { type: 'text', label: { zh: '标题' } }, tags: { type: 'multipicklist', options: { a: {} }, label: { zh: '多选' } } } };

const rows = [
  { name: 'full, "quoted" 🦄', qty: 1.125, tags: ['x', 'z'], docs: 1, addr: { street: '1 Main St, Apt 2', city: '北京' } },
  { name: 'some', qty: 2.5, tags: ['y'] },
  { name: 'bare' },
];

describe('studio: data quality of a stranger\'s entities', { timeout: 600_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const ids = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', [gizmo, nothing])).status).toBe(200);
    for (const row of rows) {
      const docs = [];
      for (let i = 0; i < (row.docs ?? 0); i++) docs.push(await uploadFile(server, { entity: longName, field: 'docs', name: 'scan.txt', text: 'bytes' }));
      const { docs: _d, ...values } = row;
      const res = await server.post<any>(`/api/data/${longName}`, { ...values, ...(docs.length > 0 ? { docs } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.set(row.name, res.body.id);
    }
    const tightened = { ...gizmo, fields: { ...fields, qty: { ...fields.qty, scale: 2 }, tags: { ...fields.tags, options: { x: fields.tags.options.x, y: fields.tags.options.y } } } };
    expect((await server.put(`/api/meta/entities/${longName}`, tightened)).status).toBe(200);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(() => closeBrowserSuite({ contexts, browser, servers: [server] }));

  const adminPage = (options: { width?: number; language?: 'en' | 'zh' } = {}): Promise<Page> => signedInPage({ browser, server, contexts, options });
  const percent = (pred: (r: (typeof rows)[number]) => boolean) => String(Math.round((rows.filter(pred).length / rows.length) * 100));

  it('shows completeness of multi-value, file and address fields and the values refused after tightening, in both languages and widths', async () => {
    const invalidTags = rows.filter((r) => r.tags?.includes('z'));
    const invalidQty = rows.filter((r) => r.qty !== undefined && Math.round(r.qty * 100) !== r.qty * 100);
    for (const [language, width] of [['en', 1280], ['zh', 1280], ['zh', 390], ['en', 390]] as const) {
      const page = await adminPage({ language, width });
      await page.goto(`/data-quality/${longName}`);
      await page.getByRole('heading', { name: language === 'zh' ? '数据质量：小玩意' : 'Data quality: 小玩意' }).waitFor();
      await page.getByTestId('quality-score').waitFor();
      expect(await page.getByTestId('completeness-tags').getAttribute('data-percent')).toBe(percent((r) => (r.tags?.length ?? 0) > 0));
      expect(await page.getByTestId('completeness-docs').getAttribute('data-percent')).toBe(percent((r) => (r.docs ?? 0) > 0));
      expect(await page.getByTestId('completeness-addr').getAttribute('data-percent')).toBe(percent((r) => r.addr !== undefined));
      expect(await page.getByTestId('invalid-tags').textContent()).toBe(String(invalidTags.length));
      expect(await page.getByTestId('invalid-qty').textContent()).toBe(String(invalidQty.length));
      // A multi-picklist's example reads as its options' labels (the removed option by its key), a number as stored.
      const kept: Record<string, { label: { zh: string } }> = { x: fields.tags.options.x, y: fields.tags.options.y };
      const example = (label: string, name: string) => tableRows(page.getByTestId('quality-invalid')).filter({ has: page.getByText(label, { exact: true }) }).getByTestId(`invalid-example-${ids.get(name)}`);
      for (const r of invalidTags) expect(await example(fields.tags.label.zh, r.name).textContent()).toBe(r.tags!.map((k) => kept[k]?.label.zh ?? k).join(', '));
      for (const r of invalidQty) expect(await example(fields.qty.label.zh, r.name).textContent()).toBe(String(r.qty));
      const completeness = page.getByTestId('quality-completeness');
      for (const f of Object.values(fields)) await tableRows(completeness).filter({ has: page.getByText(f.label.zh, { exact: true }) }).first().waitFor();
      await expectTablesFit(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'data-quality-stranger', language);
      await page.getByTestId('quality-invalid').scrollIntoViewIfNeeded();
      await screenshot(page, 'data-quality-stranger-invalid', language);
      await page.context().close();
    }
  });

  it('an entity with no records scores 100 with nothing invalid', async () => {
    for (const [language, width] of [['zh', 1280], ['en', 390]] as const) {
      const page = await adminPage({ language, width });
      await page.goto('/data-quality/nothingHere');
      await page.getByRole('heading', { name: language === 'zh' ? '数据质量：空的实体' : 'Data quality: 空的实体' }).waitFor();
      await eventually(() => page.getByTestId('quality-score').getAttribute('data-score')).toBe('100');
      await page.getByTestId('quality-no-invalid').waitFor();
      expect(await page.getByTestId('completeness-tags').getAttribute('data-percent')).toBe('100');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'data-quality-empty-entity', language);
      await page.context().close();
    }
  });
});
