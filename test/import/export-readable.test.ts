// Exports people read: headers as field labels in the caller's language, options by their label,
// linked records by their title (only titles the caller may read), users by their name, typed
// XLSX cells (numbers, dates, instants at the organisation's wall clock, yes/no) — and keys and
// raw values still there for round trips (headers=keys, values=raw). Formula-like text is still
// neutralized; a field the caller may not read is absent; the file is named after the entity and
// the organisation's date, with an RFC 5987 name for Chinese labels.

import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob } from './support.ts';

let server: TestServer;
let clerkCookie: string;
const ids: Record<string, string> = {};

const company = {
  kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, pluralLabel: { en: 'Companies', zh: '公司' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } },
};
const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '商机' }, pluralLabel: { en: 'Deals', zh: '商机' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    stage: { type: 'picklist', label: { en: 'Stage', zh: '阶段' }, options: { won: { label: { en: 'Closed won', zh: '赢单' } }, lost: { label: { en: 'Closed lost', zh: '输单' } } } },
    tags: { type: 'multipicklist', label: { en: 'Tags', zh: '标签' }, options: { hot: { label: { en: 'Hot', zh: '热门' } }, new: { label: { en: 'New', zh: '新' } } } },
    company: { type: 'lookup', to: 'company', label: { en: 'Company', zh: '公司' } },
    partners: { type: 'multiLookup', to: 'company', label: { en: 'Partners', zh: '伙伴' } },
    about: { type: 'polymorphicLookup', to: ['company'], label: { en: 'About', zh: '关于' } },
    amount: { type: 'currency', label: { en: 'Amount', zh: '金额' } },
    margin: { type: 'formula', returns: 'number', expression: 'amount / 10', label: { en: 'Margin', zh: '利润' } },
    closeDate: { type: 'date', label: { en: 'Close date', zh: '结束日期' } },
    closedAt: { type: 'datetime', label: { en: 'Closed at', zh: '结束时间' } },
    active: { type: 'boolean', label: { en: 'Active', zh: '有效' } },
    rep: { type: 'user', label: { en: 'Sales rep', zh: '销售' } },
    files: { type: 'file', multiple: true, label: { en: 'Files', zh: '文件' } },
    note: { type: 'text', label: { en: 'Note', zh: '备注' } },
    secretNote: { type: 'text', label: { en: 'Secret note', zh: '机密备注' } },
  },
};

const get = (url: string, headers: Record<string, string> = {}) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${server.admin!.token}`, ...headers } });
const asClerk = (url: string, headers: Record<string, string> = {}) => fetch(`${server.url}${url}`, { headers: { cookie: clerkCookie, ...headers } });
const csvRows = async (res: Response) => parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
const onlyWon = encodeURIComponent(JSON.stringify({ stage: 'won' }));

async function workbookOf(res: Response): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return book.worksheets[0]!;
}

beforeAll(async () => {
  server = await startTestServer({ env: { CRM_TIME_ZONE: 'Asia/Shanghai' } });
  // 20:00 UTC on 31 March is 1 April in Shanghai: the file's date is the organisation's.
  server.clock.set('2026-03-31T20:00:00.000Z');
  for (const doc of [company, deal]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
  const role = await server.put('/api/meta/roles/clerk', { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { deal: { read: 'all', fields: { secretNote: 'hidden' } }, company: { read: 'own' } } });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const rep = await server.createUser({ email: 'rep@crm.test', name: 'Wang Fang', roles: ['clerk'] });
  const clerk = await server.createUser({ email: 'clerk2@crm.test', roles: ['clerk'] });
  clerkCookie = (await server.userClient(clerk.email, clerk.password)).cookie;
  for (const name of ['Acme', 'Globex']) ids[name] = (await server.post('/api/data/company', { name })).body.id;
  const uploaded = await fetch(`${server.url}/api/files?entity=deal&field=files`, {
    method: 'POST', body: Buffer.from('%PDF-1.4 quote'),
    headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('报价 Q1.pdf') },
  });
  expect(uploaded.status).toBe(201);
  const fileId = ((await uploaded.json()) as { id: string }).id;
  const deals = [
    { files: [fileId], title: 'Big one', stage: 'won', tags: ['hot', 'new'], company: ids['Acme'], partners: [ids['Acme'], ids['Globex']], about: { entity: 'company', id: ids['Globex'] }, amount: 1200.5, closeDate: '2026-03-15', closedAt: '2026-03-15T02:30:00.000Z', active: true, rep: rep.id, note: '=HYPERLINK("http://x")', secretNote: 's1' },
    { title: 'Small one', stage: 'won', company: ids['Globex'], amount: -40, active: false, note: 'plain', secretNote: 's2' },
    { title: 'Lost one', stage: 'lost', amount: 10 },
  ];
  for (const d of deals) {
    const res = await server.post('/api/data/deal', d);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[d.title] = res.body.id;
  }
}, 120_000);
afterAll(async () => server?.close());

describe('human-readable export', () => {
  it('CSV: labels as headers, option labels, titles, names, local times; the filter applies; formula text neutralized, negative numbers not', async () => {
    const res = await get(`/api/export/deal?filter=${onlyWon}&sort=title`);
    expect(res.status).toBe(200);
    const rows = await csvRows(res);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!)).toEqual(['ID', 'Title', 'Stage', 'Tags', 'Company', 'Partners', 'About', 'Amount', 'Margin', 'Close date', 'Closed at', 'Active', 'Sales rep', 'Files', 'Note', 'Secret note']);
    expect(rows[0]).toEqual({
      ID: ids['Big one'], Title: 'Big one', Stage: 'Closed won', Tags: 'Hot; New', Company: 'Acme', Partners: 'Acme; Globex', About: 'Company: Globex', Amount: '1200.5', Margin: '120.05',
      'Close date': '2026-03-15', 'Closed at': '2026-03-15 10:30:00', Active: 'Yes', 'Sales rep': 'Wang Fang', Files: '报价 Q1.pdf', Note: `'=HYPERLINK("http://x")`, 'Secret note': 's1',
    });
    expect(rows[1]).toMatchObject({ Title: 'Small one', Company: 'Globex', Amount: '-40', Active: 'No', Note: 'plain', Partners: '', 'Sales rep': '' });
  });

  it('the file is named after the entity and the organisation date, in the caller language (RFC 5987 for Chinese)', async () => {
    const en = await get('/api/export/deal?format=xlsx');
    expect(en.headers.get('content-disposition')).toBe(`attachment; filename="Deals 2026-04-01.xlsx"; filename*=UTF-8''Deals%202026-04-01.xlsx`);
    const zh = await get('/api/export/deal', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.headers.get('content-disposition')).toBe(`attachment; filename="deal-2026-04-01.csv"; filename*=UTF-8''${encodeURIComponent('商机 2026-04-01.csv')}`);
    const rows = await csvRows(zh);
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['ID', '标题', '阶段', '标签']);
    expect(rows.find((r) => r['标题'] === 'Big one')).toMatchObject({ 阶段: '赢单', 标签: '热门; 新', 有效: '是', 关于: '公司: Globex' });
    // lang= overrides Accept-Language: a download link carries the studio's language.
    const viaParam = await csvRows(await get('/api/export/deal?lang=zh&fields=stage'));
    expect(Object.keys(viaParam[0]!)).toEqual(['ID', '阶段']);
    // A language tag, as a browser or the studio names its language, in any case.
    for (const tag of ['zh-CN', 'zh-Hans-CN', 'ZH-tw']) expect(Object.keys((await csvRows(await get(`/api/export/deal?lang=${tag}&fields=stage`)))[0]!)).toEqual(['ID', '阶段']);
    expect(Object.keys((await csvRows(await get('/api/export/deal?lang=en-GB&fields=stage', { 'accept-language': 'zh' })))[0]!)).toEqual(['ID', 'Stage']);
  });

  it('XLSX: typed cells — numbers, dates, instants at the wall clock, booleans — and labels', async () => {
    const sheet = await workbookOf(await get(`/api/export/deal?format=xlsx&filter=${onlyWon}&sort=title`));
    expect(sheet.name).toBe('Deals');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['ID', 'Title', 'Stage']);
    const cell = (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name) + 1);
    expect(sheet.rowCount).toBe(3);
    expect(cell(2, 'Amount').value).toBe(1200.5);
    expect(cell(3, 'Amount').value).toBe(-40);
    expect(cell(2, 'Margin').value).toBe(120.05);
    expect(cell(2, 'Close date').value).toEqual(new Date('2026-03-15T00:00:00.000Z'));
    expect(cell(2, 'Close date').numFmt).toBe('yyyy-mm-dd');
    expect(cell(2, 'Closed at').value).toEqual(new Date('2026-03-15T10:30:00.000Z'));
    expect(cell(2, 'Closed at').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(cell(2, 'Active').value).toBe(true);
    expect(cell(3, 'Active').value).toBe(false);
    expect(cell(2, 'Stage').value).toBe('Closed won');
    expect(cell(2, 'Company').value).toBe('Acme');
    expect(cell(2, 'Note').value).toBe(`'=HYPERLINK("http://x")`);
  });

  it('headers=keys&values=raw keeps keys and stored values for round trips; JSON Lines does by default', async () => {
    const rows = await csvRows(await get(`/api/export/deal?headers=keys&values=raw&filter=${onlyWon}&sort=title&fields=stage,tags,company,closedAt,active,note`));
    expect(rows[0]).toEqual({ id: ids['Big one'], stage: 'won', tags: 'hot; new', company: ids['Acme'], closedAt: '2026-03-15T02:30:00.000Z', active: 'true', note: `'=HYPERLINK("http://x")` });
    const lines = (await (await get(`/api/export/deal?format=jsonl&filter=${onlyWon}&sort=title&fields=stage,about`)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: ids['Big one'], stage: 'won', about: { entity: 'company', id: ids['Globex'] } });
    const shown = (await (await get(`/api/export/deal?format=jsonl&headers=labels&values=display&filter=${onlyWon}&sort=title&fields=stage,tags,company`)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(shown[0]).toEqual({ ID: ids['Big one'], Stage: 'Closed won', Tags: ['Hot', 'New'], Company: 'Acme' });
  });

  it('lookup paths and view columns with their labels', async () => {
    const rows = await csvRows(await get(`/api/export/deal?filter=${onlyWon}&sort=title&fields=title,company.name`));
    expect(rows.map((r) => [r['Title'], r['Company › Name']])).toEqual([['Big one', 'Acme'], ['Small one', 'Globex']]);
    const view = await server.put('/api/meta/views/wonDeals', { kind: 'view', name: 'wonDeals', entity: 'deal', type: 'list', label: 'Won', filter: { stage: 'won' }, sort: 'title', columns: { title: { order: 10, label: { en: 'Deal name', zh: '商机名称' } }, amount: { order: 20 } } });
    expect(view.status, JSON.stringify(view.body)).toBe(201);
    const fromView = await csvRows(await get('/api/export/deal?view=wonDeals'));
    expect(fromView.map((r) => Object.keys(r))).toEqual([['ID', 'Deal name', 'Amount'], ['ID', 'Deal name', 'Amount']]);
  });

  it('a clerk: fields they may not read absent, titles of records they may not read shown as ids', async () => {
    const res = await asClerk(`/api/export/deal?filter=${onlyWon}&sort=title`);
    expect(res.status).toBe(200);
    const rows = await csvRows(res);
    expect(Object.keys(rows[0]!)).not.toContain('Secret note');
    expect(rows.map((r) => r['Company'])).toEqual([ids['Acme'], ids['Globex']]);
    const asked = await asClerk('/api/export/deal?fields=title,secretNote', { 'accept-language': 'zh' });
    expect(asked.status).toBe(400);
    expect((await asked.json()).error.details).toEqual([{ path: '/query/fields', message: '「secretNote」不是可读字段' }]);
  });

  it('round trips: the readable CSV imports back by its labels and titles, JSON Lines by its keys, and nothing changes', async () => {
    const uploadText = async (name: string, text: string) => {
      const res = await fetch(`${server.url}/api/import/uploads?name=${name}`, { method: 'POST', body: text, headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'text/plain' } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { upload: string }).upload;
    };
    const fields = 'title,stage,tags,company,amount,closeDate,closedAt,active';
    const readable = await uploadText('deals.csv', await (await get(`/api/export/deal?fields=${fields}`)).text());
    const suggestion = await server.post('/api/import/suggest', { upload: readable, entity: 'deal' });
    expect(suggestion.body.suggested).toMatchObject({ title: 'Title', stage: 'Stage', tags: 'Tags', company: 'Company', amount: 'Amount', closeDate: 'Close date', closedAt: 'Closed at', active: 'Active' });
    // Instants are written at the organisation's wall clock: the import reads them in the same zone.
    const back = await runJob(server, { upload: readable, mode: 'dryRun', mapping: { name: 'back', timeZone: 'Asia/Shanghai', targets: [{ entity: 'deal', key: ['title'], columns: suggestion.body.suggested, lookups: { company: { by: 'name' } } }] } });
    expect(back.counts).toMatchObject({ rows: 3, unchanged: 3, rejected: 0 });

    const lines = await uploadText('deals.jsonl', await (await get(`/api/export/deal?format=jsonl&fields=${fields},note`)).text());
    const columns = Object.fromEntries([...fields.split(','), 'note'].map((f) => [f, f]));
    const raw = await runJob(server, { upload: lines, mode: 'dryRun', mapping: { name: 'raw', targets: [{ entity: 'deal', key: ['title'], columns }] } });
    expect(raw.counts, JSON.stringify((await server.get(`/api/import/jobs/${raw.id}/rows`)).body)).toMatchObject({ rows: 3, unchanged: 3, rejected: 0 });
  });

  it('bad parameters: a 400 naming each, in the caller language', async () => {
    const res = await get('/api/export/deal?headers=names&values=pretty&lang=fr', { 'accept-language': 'zh-CN' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toEqual([
      { path: '/query/headers', message: '必须是 labels 或 keys' },
      { path: '/query/values', message: '必须是 display 或 raw' },
      { path: '/query/lang', message: '必须是 en 或 zh，或其语言标记（如 en-GB、zh-CN）' },
    ]);
  });
});
