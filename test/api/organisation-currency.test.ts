// The organisation's currency (CRM_CURRENCY), over HTTP: the studio reads it from the navigation
// answer (absent when unset); a readable export writes the amounts of fields that name no currency
// — a currency field, a formula returning currency, a rollup summing one — in it (CSV text as the
// language writes money, XLSX numbers shown with its sign), a field naming its own keeps its own;
// and such a file imports back unchanged, negative amounts and signs with letters (CN¥) included.
// The expected texts are Intl's, in the locales the studio writes with (en-GB, zh-CN).

import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob } from '../import/support.ts';
import { ocDeal, ocLine } from '../support/organisation-currency-model.ts';

let server: TestServer;
let plain: TestServer;

// A field naming its own currency beside them: it keeps its own.
const deal = { ...ocDeal, fields: { ...ocDeal.fields, local: { type: 'currency', currency: 'CNY', label: { en: 'Local', zh: '本币' } } } };
const line = ocLine;
const deals = [
  { title: 'Big one', amount: 1200.5, local: 8800 },
  { title: 'Refund', amount: -40, local: -12.25 },
];

const money = (locale: string, currency: string, value: number) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
const get = (s: TestServer, url: string) => fetch(`${s.url}${url}`, { headers: { authorization: `Bearer ${s.admin!.token}` } });
const csvRows = async (res: Response) => parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];

async function seed(s: TestServer) {
  const applied = await s.post('/api/meta/apply', [deal, line]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const d of deals) {
    const res = await s.post('/api/data/ocDeal', d);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (d.title === 'Big one') for (const price of [100, 250.25]) expect((await s.post('/api/data/ocLine', { name: `Line ${price}`, deal: res.body.id, price })).status).toBe(201);
  }
}

beforeAll(async () => {
  [server, plain] = await Promise.all([startTestServer({ env: { CRM_CURRENCY: 'EUR' } }), startTestServer()]);
  await Promise.all([seed(server), seed(plain)]);
}, 120_000);
afterAll(async () => Promise.all([server?.close(), plain?.close()]));

describe('the organisation currency', () => {
  it('the navigation answer carries it where the studio reads it, and leaves it out when unset', async () => {
    const navigation = await server.get('/api/studio/navigation');
    expect(navigation.status).toBe(200);
    expect(navigation.body.currency).toBe('EUR');
    const none = await plain.get('/api/studio/navigation');
    expect(none.status).toBe(200);
    expect(none.body).not.toHaveProperty('currency');
  });

  it('a readable CSV writes amounts of fields naming no currency in it, in the caller language; a field naming its own keeps its own', async () => {
    for (const [lang, locale] of [['en', 'en-GB'], ['zh', 'zh-CN']] as const) {
      const rows = await csvRows(await get(server, `/api/export/ocDeal?lang=${lang}&sort=title&headers=keys&fields=title,amount,doubled,local,linesTotal`));
      expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
        { title: 'Big one', amount: money(locale, 'EUR', 1200.5), doubled: money(locale, 'EUR', 2401), local: money(locale, 'CNY', 8800), linesTotal: money(locale, 'EUR', 350.25) },
        { title: 'Refund', amount: money(locale, 'EUR', -40), doubled: money(locale, 'EUR', -80), local: money(locale, 'CNY', -12.25), linesTotal: money(locale, 'EUR', 0) },
      ]);
    }
    // Without the setting, such amounts stay the numbers they are.
    const bare = await csvRows(await get(plain, '/api/export/ocDeal?sort=title&headers=keys&fields=title,amount,doubled'));
    expect(bare.map((r) => [r['amount'], r['doubled']])).toEqual([['1200.5', '2401'], ['-40', '-80']]);
  });

  it('XLSX: the amount stays a number, shown with the currency sign', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await get(server, '/api/export/ocDeal?format=xlsx&sort=title&fields=title,amount,local')).arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name) + 1);
    const sign = (currency: string) => new Intl.NumberFormat('en-GB', { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency')!.value;
    expect(cell(2, 'Amount').value).toBe(1200.5);
    expect(cell(3, 'Amount').value).toBe(-40);
    expect(cell(2, 'Amount').numFmt).toContain(`"${sign('EUR')}"`);
    expect(cell(2, 'Local').numFmt).toContain(`"${sign('CNY')}"`);
    const bare = new ExcelJS.Workbook();
    await bare.xlsx.load(Buffer.from(await (await get(plain, '/api/export/ocDeal?format=xlsx&sort=title&fields=title,amount')).arrayBuffer()) as never);
    expect(bare.worksheets[0]!.getRow(2).getCell(3).value).toBe(1200.5);
    expect(bare.worksheets[0]!.getRow(2).getCell(3).numFmt ?? '').not.toMatch(/€/);
  });

  it('the readable CSV imports back unchanged with the suggested mapping (-€40.00 and CN¥ read as the amounts they are)', async () => {
    const text = await (await get(server, '/api/export/ocDeal?fields=title,amount,local')).text();
    expect(text).toContain(money('en-GB', 'EUR', -40));
    const uploaded = await fetch(`${server.url}/api/import/uploads?name=deals.csv`, { method: 'POST', body: text, headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'text/plain' } });
    expect(uploaded.status).toBe(201);
    const upload = ((await uploaded.json()) as { upload: string }).upload;
    const suggestion = await server.post('/api/import/suggest', { upload, entity: 'ocDeal' });
    expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
    const job = await runJob(server, { upload, mode: 'dryRun', mapping: { name: 'back', ...suggestion.body.mapping } });
    expect(job.counts, JSON.stringify((await server.get(`/api/import/jobs/${job.id}/rows`)).body)).toMatchObject({ rows: 2, unchanged: 2, rejected: 0 });
  });

  it('an amount written in another currency than its field\'s is refused at its column', async () => {
    // "local" names CNY; "amount" names none (any sign, as before).
    const text = 'Title,Amount,Local\nIn yuan,€10.00,CN¥10.00\nIn dollars,€10.00,$10.00\n';
    const uploaded = await fetch(`${server.url}/api/import/uploads?name=mixed.csv`, { method: 'POST', body: text, headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'text/plain' } });
    const upload = ((await uploaded.json()) as { upload: string }).upload;
    const suggestion = await server.post('/api/import/suggest', { upload, entity: 'ocDeal' });
    const job = await runJob(server, { upload, mode: 'dryRun', mapping: { name: 'mixed', ...suggestion.body.mapping } });
    expect(job.counts).toMatchObject({ rows: 2, created: 1, rejected: 1 });
    const rows = (await server.get(`/api/import/jobs/${job.id}/rows`)).body.items as { line: number; issues: { column?: string; value?: string; reason: string }[] }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.line).toBe(3);
    expect(rows[0]!.issues).toEqual([{ column: 'Local', field: 'local', value: '$10.00', reason: '"$10.00" is written in another currency than this field\'s (CNY)' }]);
  });
});
