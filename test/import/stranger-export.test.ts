// Export with metadata nobody here wrote: an entity holding every field type the schemas allow
// (a long name, Chinese labels only, a personal field, one hidden from a role), a record with every
// optional field empty, text with commas, quotes, newlines, emoji, `=cmd` and leading zeros, numbers
// at their scale's limit, dates before 1970 and after 2100, and an entity with no records. Each
// file is read back with a kept parser and compared with what the list API answers for the same
// filter and sort; JSON Lines goes back through the import into an empty server and must come out equal.

import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';
import { rejectedRows, runJob } from './support.ts';

const longName = 'gizmoWithAVeryLongNameThatAStrangerMightPickForNoGoodReason';

const org = { kind: 'entity', name: 'org', label: { zh: '机构' }, titleField: 'name', fields: { name: { type: 'text', required: true, label: { zh: '名称' } } } };
const nothing = { kind: 'entity', name: 'nothingHere', label: { zh: '空的实体' }, titleField: 'title', fields: { title: { type: 'text' }, tags: { type: 'multipicklist', options: { a: {}, b: {} } }, docs: { type: 'file', multiple: true } } };
const gizmo = {
  kind: 'entity', name: longName, label: { zh: '小玩意' }, titleField: 'name',
  fields: {
    name: { type: 'text', required: true, label: { zh: '名字' } },
    notes: { type: 'textarea', label: { zh: '备注' } },
    mail: { type: 'email', personal: true, label: { zh: '邮箱' } },
    tel: { type: 'phone', label: { zh: '电话' } },
    site: { type: 'url', label: { zh: '网址' } },
    code: { type: 'text', label: { zh: '编号' } },
    qty: { type: 'number', scale: 3, label: { zh: '数量' } },
    count: { type: 'integer', label: { zh: '个数' } },
    price: { type: 'currency', currency: 'CNY', label: { zh: '价格' } },
    pct: { type: 'percent', label: { zh: '比例' } },
    flag: { type: 'boolean', label: { zh: '标记' } },
    born: { type: 'date', label: { zh: '日期' } },
    seenAt: { type: 'datetime', label: { zh: '时间' } },
    kind: { type: 'picklist', options: { a: { label: { zh: '甲' } }, b: { label: { zh: '乙' } } }, label: { zh: '类别' } },
    // A label holding the separators a cell of several options uses.
    tags: { type: 'multipicklist', options: { x: { label: { zh: '标签一' } }, y: { label: { zh: '标签二' } }, z: { label: { zh: '标签三' } }, w: { label: { zh: '零售; 线上 | 批发' } } }, label: { zh: '标签' } },
    org: { type: 'lookup', to: 'org', label: { zh: '机构' } },
    orgs: { type: 'multiLookup', to: 'org', label: { zh: '多个机构' } },
    about: { type: 'polymorphicLookup', to: ['org'], label: { zh: '关于' } },
    addr: { type: 'address', label: { zh: '地址' } },
    docs: { type: 'file', multiple: true, label: { zh: '文件' } },
    serial: { type: 'autonumber', prefix: 'G-', digits: 4, label: { zh: '序号' } },
    doubled: { type: 'formula', returns: 'number', expression: 'qty * 2', label: { zh: '两倍' } },
  },
};
const viewer = { kind: 'role', name: 'viewer', label: { zh: '查看者' }, permissions: { org: { read: 'all' }, [longName]: { read: 'all', fields: { mail: 'hidden' } }, nothingHere: { read: 'all' } } };

const odd = 'Comma, "quote", new\nline, emoji 🦄🎉, 中文';
let live: TestServer;
const ids: Record<string, string> = {};

const bearer = (server: TestServer) => ({ authorization: `Bearer ${server.admin!.token}` });
async function exported(server: TestServer, query: string, headers: Record<string, string> = bearer(server)): Promise<Response> {
  const res = await fetch(`${server.url}/api/export/${query}`, { headers });
  expect(res.status, query).toBe(200);
  return res;
}

beforeAll(async () => {
  live = await startTestServer({ env: { CRM_TIME_ZONE: 'UTC' } });
  const applied = await live.post('/api/meta/apply', [org, nothing, gizmo, viewer]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const name of ['Org, Inc.', '机构乙']) ids[name] = (await live.post<any>('/api/data/org', { name })).body.id;
  const file = await uploadFile(live, { entity: longName, field: 'docs', name: 'a, b "c".txt', text: 'file bytes 🦄' });
  const rows = [
    {
      name: odd, notes: '=cmd|" /C calc"!A0', mail: 'Someone@Example.test', tel: '+44 20 7946 0000', site: 'https://example.test/a?b=1,2', code: '007',
      qty: 12345.678, count: -3, price: 999999999999.99, pct: 12.5, flag: true, born: '1900-01-01', seenAt: '1969-07-20T20:17:40.000Z',
      kind: 'a', tags: ['x', 'w', 'z'], org: ids['Org, Inc.'], orgs: [ids['Org, Inc.'], ids['机构乙']], about: { entity: 'org', id: ids['机构乙'] },
      addr: { street: '1 Main St, Apt "2"', city: '北京', country: 'CN' }, docs: [file],
    },
    { name: '+leading plus', qty: 0.001, price: 0.01, born: '2150-12-31', seenAt: '2101-01-01T00:00:00.000Z', code: '-0042', flag: false, tags: ['y'] },
    { name: 'only the name' },
  ];
  for (const row of rows) {
    const res = await live.post<any>(`/api/data/${longName}`, row);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[row.name] = res.body.id;
  }
}, 120_000);
afterAll(async () => live?.close());

const listed = async (server: TestServer, query: string) => {
  const res = await server.get<any>(`/api/data/${longName}?limit=100&${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Record<string, unknown>[];
};

describe('export of an entity nobody here wrote', () => {
  const query = `sort=-born,name&filter=${encodeURIComponent(JSON.stringify({ name: { $ne: 'nobody' } }))}`;

  it('JSON Lines: every record as the list API answers it, same filter, sort and count', async () => {
    const items = await listed(live, query);
    expect(items).toHaveLength(3);
    const lines = (await (await exported(live, `${longName}?format=jsonl&${query}`)).text()).trim().split('\n').map((l) => JSON.parse(l));
    // Every line has the id and every field (null when empty: one shape for the file); no system columns.
    const fieldsOnly = (item: Record<string, unknown>) => Object.fromEntries(['id', ...Object.keys(gizmo.fields)].map((k) => [k, item[k] ?? null]));
    expect(lines).toEqual(items.map(fieldsOnly));
  });

  it('CSV: same rows in the same order, odd text intact, formula-like text neutralized', async () => {
    const items = await listed(live, query);
    const table = parse(await (await exported(live, `${longName}?format=csv&${query}`)).text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(table.map((r) => r['ID'])).toEqual(items.map((i) => i['id']));
    const first = table.find((r) => r['ID'] === ids[odd])!;
    expect(first['名字']).toBe(odd);
    expect(first['备注']).toBe(`'=cmd|" /C calc"!A0`);
    expect(first['编号']).toBe('007');
    expect(first['数量']).toBe('12345.678');
    expect(first['日期']).toBe('1900-01-01');
    expect(first['时间']).toBe('1969-07-20 20:17:40');
    expect(first['网址']).toBe('https://example.test/a?b=1,2');
    const second = table.find((r) => r['ID'] === ids['+leading plus'])!;
    expect(second['名字']).toBe("'+leading plus");
    expect(second['编号']).toBe("'-0042");
    expect(second['数量']).toBe('0.001');
    expect(second['日期']).toBe('2150-12-31');
  });

  it('XLSX: same rows, numbers as numbers, dates far from 1970 intact', async () => {
    const items = await listed(live, query);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await exported(live, `${longName}?format=xlsx&${query}`)).arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (r: number, column: string) => sheet.getRow(r).getCell(header.indexOf(column) + 1).value;
    expect(sheet.rowCount - 1).toBe(items.length);
    items.forEach((item, i) => expect(cell(i + 2, 'ID')).toBe(item['id']));
    const row = items.findIndex((i) => i['id'] === ids[odd]) + 2;
    expect(cell(row, '名字')).toBe(odd);
    expect(cell(row, '数量')).toBe(12345.678);
    expect(cell(row, '价格')).toBe(999999999999.99);
    expect(cell(row, '编号')).toBe('007');
    const born = cell(row, '日期');
    expect(born instanceof Date ? born.toISOString().slice(0, 10) : born).toBe('1900-01-01');
    const late = items.findIndex((i) => i['id'] === ids['+leading plus']) + 2;
    const lateBorn = cell(late, '日期');
    expect(lateBorn instanceof Date ? lateBorn.toISOString().slice(0, 10) : lateBorn).toBe('2150-12-31');
  });

  it('the hidden field is absent from every format for the restricted role', async () => {
    const user = await live.createUser({ email: 'viewer@crm.test', roles: ['viewer'] });
    const { cookie } = await live.userClient(user.email, user.password);
    const jsonl = (await (await exported(live, `${longName}?format=jsonl`, { cookie })).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(3);
    for (const line of jsonl) expect(line).not.toHaveProperty('mail');
    const csv = await (await exported(live, `${longName}?format=csv`, { cookie })).text();
    expect(csv).not.toContain('邮箱');
    expect(csv.toLowerCase()).not.toContain('someone@example.test');
    const xlsx = Buffer.from(await (await exported(live, `${longName}?format=xlsx`, { cookie })).arrayBuffer());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    const values = book.worksheets[0]!.getSheetValues().flat().map(String);
    expect(values.some((v) => v.toLowerCase().includes('someone@example.test') || v === '邮箱')).toBe(false);
    const asked = await fetch(`${live.url}/api/export/${longName}?fields=name,mail`, { headers: { cookie } });
    expect(asked.status).toBe(400);
  });

  it('an entity with no records exports its header only (and an empty JSON Lines file)', async () => {
    const csv = parse(await (await exported(live, 'nothingHere?format=csv')).text(), { bom: true }) as string[][];
    expect(csv).toHaveLength(1);
    expect((await (await exported(live, 'nothingHere?format=jsonl')).text()).trim()).toBe('');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await exported(live, 'nothingHere?format=xlsx')).arrayBuffer()) as never);
    expect(book.worksheets[0]!.rowCount).toBeLessThanOrEqual(1);
  });

  it('JSON Lines imported back with the suggested mapping untouched: every column read back, nothing changed', async () => {
    const before = await listed(live, 'sort=name');
    const text = await (await exported(live, `${longName}?format=jsonl`)).text();
    const up = await fetch(`${live.url}/api/import/uploads?name=back.jsonl`, { method: 'POST', body: text, headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(201);
    const upload = ((await up.json()) as { upload: string }).upload;
    const suggestion = await live.post<any>('/api/import/suggest', { upload, entity: longName });
    expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
    // JSON Lines holds the values themselves (ids, objects, lists): only computed fields stay out.
    expect(Object.keys(suggestion.body.unmapped).sort()).toEqual(['doubled', 'serial']);
    // The same file with values as people read them (values=display): titles and names are not read back.
    const shown = await (await exported(live, `${longName}?format=jsonl&values=display`)).text();
    const upShown = await fetch(`${live.url}/api/import/uploads?name=shown.jsonl`, { method: 'POST', body: shown, headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
    const shownSuggestion = await live.post<any>('/api/import/suggest', { upload: ((await upShown.json()) as { upload: string }).upload, entity: longName });
    expect(Object.keys(shownSuggestion.body.unmapped).sort()).toEqual(['about', 'addr', 'docs', 'doubled', 'orgs', 'serial']);
    expect(shownSuggestion.body.mapping.targets[0].lookups).toEqual({ org: { by: 'name' } });
    const dry = await runJob(live, { upload, mapping: { name: 'back', ...suggestion.body.mapping }, mode: 'dryRun' });
    const rows = dry.counts.rejected > 0 ? await rejectedRows(live, dry.id) : [];
    expect(dry.counts, JSON.stringify(rows)).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
    // A changed value in each structured field is read back as that value.
    const changed = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)).map((line) => (line.id === ids['only the name'] ? { ...line, orgs: [ids['机构乙']], org: ids['Org, Inc.'], about: { entity: 'org', id: ids['Org, Inc.'] }, addr: { city: 'Oslo' } } : line));
    const up2 = await fetch(`${live.url}/api/import/uploads?name=changed.jsonl`, { method: 'POST', body: changed.map((l) => JSON.stringify(l)).join('\n'), headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
    const upload2 = ((await up2.json()) as { upload: string }).upload;
    const done = await runJob(live, { upload: upload2, mapping: { name: 'back', ...suggestion.body.mapping }, mode: 'allOrNothing' });
    const rows2 = done.counts.rejected > 0 ? await rejectedRows(live, done.id) : [];
    expect(done.counts, JSON.stringify(rows2)).toMatchObject({ created: 0, updated: 1, unchanged: 2, rejected: 0 });
    const after = await listed(live, 'sort=name');
    const strip = ({ version: _v, updatedAt: _u, updatedBy: _b, ...item }: Record<string, unknown>) => item;
    expect(after.map(strip)).toEqual(before.map((item) => strip(item['id'] === ids['only the name'] ? { ...item, orgs: [ids['机构乙']], org: ids['Org, Inc.'], about: { entity: 'org', id: ids['Org, Inc.'] }, addr: { city: 'Oslo' } } : item)));
  });

  it('CSV and XLSX imported back with the suggested mapping: neutralized text, leading zeros, far dates and scale-limit numbers read back unchanged', async () => {
    for (const format of ['csv', 'xlsx']) {
      const body = new Uint8Array(await (await exported(live, `${longName}?format=${format}`)).arrayBuffer());
      const up = await fetch(`${live.url}/api/import/uploads?name=back.${format}`, { method: 'POST', body, headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
      expect(up.status).toBe(201);
      const upload = ((await up.json()) as { upload: string }).upload;
      const suggestion = await live.post<any>('/api/import/suggest', { upload, entity: longName });
      expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
      const dry = await runJob(live, { upload, mapping: { name: `back-${format}`, ...suggestion.body.mapping }, mode: 'dryRun' });
      const rows = dry.counts.rejected > 0 ? await rejectedRows(live, dry.id) : [];
      expect(dry.counts, `${format}: ${JSON.stringify(rows)}`).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
    }
  });

  it('XLSX of entities whose label a spreadsheet would refuse as a sheet name (History, quotes at either end)', async () => {
    for (const [name, label] of [['pastEvent', 'History'], ['quotation', "'Quoted'"]] as const) {
      const put = await live.put(`/api/meta/entities/${name}`, { kind: 'entity', name, label, titleField: 'title', fields: { title: { type: 'text' } } });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
      expect((await live.post(`/api/data/${name}`, { title: `${label} 1` })).status).toBe(201);
      const res = await fetch(`${live.url}/api/export/${name}?format=xlsx`, { headers: bearer(live) });
      expect(res.status, name).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      expect(book.worksheets[0]!.getRow(2).getCell(2).value).toBe(`${label} 1`);
    }
  });

  it('a lookup to a record titled by a number or an option reads back by the title the export shows', async () => {
    const applied = await live.post<any>('/api/meta/apply', [
      { kind: 'entity', name: 'invoice', label: { zh: '发票' }, titleField: 'no', fields: { no: { type: 'integer', label: { zh: '号码' } } } },
      { kind: 'entity', name: 'tier', label: { zh: '等级' }, titleField: 'level', fields: { level: { type: 'picklist', options: { gold: { label: { zh: '金' } } } } } },
      { kind: 'entity', name: 'payment', label: { zh: '付款' }, titleField: 'memo', fields: { memo: { type: 'text' }, invoice: { type: 'lookup', to: 'invoice' }, tier: { type: 'lookup', to: 'tier' } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const invoice = (await live.post<any>('/api/data/invoice', { no: 1042 })).body.id;
    const tier = (await live.post<any>('/api/data/tier', { level: 'gold' })).body.id;
    expect((await live.post('/api/data/payment', { memo: 'p', invoice, tier })).status).toBe(201);
    for (const format of ['csv', 'xlsx']) {
      const body = new Uint8Array(await (await exported(live, `payment?format=${format}`)).arrayBuffer());
      const up = await fetch(`${live.url}/api/import/uploads?name=payments.${format}`, { method: 'POST', body, headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
      const upload = ((await up.json()) as { upload: string }).upload;
      const suggestion = await live.post<any>('/api/import/suggest', { upload, entity: 'payment' });
      expect(suggestion.body.mapping.targets[0].lookups).toEqual({ invoice: { by: 'no' }, tier: { by: 'level' } });
      const dry = await runJob(live, { upload, mapping: { name: `payments-${format}`, ...suggestion.body.mapping }, mode: 'dryRun' });
      const rows = dry.counts.rejected > 0 ? await rejectedRows(live, dry.id) : [];
      expect(dry.counts, `${format}: ${JSON.stringify(rows)}`).toMatchObject({ unchanged: 1, rejected: 0 });
    }
  });

  it('a JSON Lines value refused inside its field names the part, in the reader\'s language', async () => {
    const lines = [{ name: 'bad part', addr: { town: 'x' } }, { name: 'bad type', addr: { city: 5 } }];
    const up = await fetch(`${live.url}/api/import/uploads?name=parts.jsonl`, { method: 'POST', body: lines.map((l) => JSON.stringify(l)).join('\n'), headers: { ...bearer(live), 'content-type': 'application/octet-stream' } });
    const upload = ((await up.json()) as { upload: string }).upload;
    const dry = await runJob(live, { upload, mapping: { name: 'parts', targets: [{ entity: longName, columns: { name: 'name', addr: 'addr' } }] }, mode: 'dryRun' });
    expect(dry.counts).toMatchObject({ rejected: 2 });
    for (const [language, town, city] of [['en', 'town: is not a known property here', 'city: must be string'], ['zh', 'town：此处不是已知属性', 'city：应当是 string 类型']] as const) {
      const rows = await live.get<any>(`/api/import/jobs/${dry.id}/rows?limit=10`, { 'accept-language': language });
      expect(rows.body.items.map((r: any) => r.issues.map((i: any) => [i.field, i.reason]))).toEqual([[['addr', town]], [['addr', city]]]);
    }
  });

  it('JSON Lines imported into an empty copy: equal through the API but for ids, dates and people of the write', async () => {
    const copy = await startTestServer({ env: { CRM_TIME_ZONE: 'UTC' } });
    try {
      // The copy's metadata without the file field: file bytes travel by backup, not by export.
      const { docs: _docs, ...fields } = gizmo.fields;
      expect((await copy.post('/api/meta/apply', [org, { ...gizmo, fields }])).status).toBe(200);
      for (const name of ['Org, Inc.', '机构乙']) ids[`copy:${name}`] = (await copy.post<any>('/api/data/org', { name })).body.id;
      const items = await listed(live, 'sort=name');
      const text = await (await exported(live, `${longName}?format=jsonl&sort=name&fields=name,notes,mail,tel,site,code,qty,count,price,pct,flag,born,seenAt,kind,tags,addr`)).text();
      const up = await fetch(`${copy.url}/api/import/uploads?name=${encodeURIComponent('导出.jsonl')}`, { method: 'POST', body: text, headers: { ...bearer(copy), 'content-type': 'application/octet-stream' } });
      expect(up.status).toBe(201);
      const upload = ((await up.json()) as { upload: string }).upload;
      const suggestion = await copy.post<any>('/api/import/suggest', { upload, entity: longName });
      expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
      const mapping = { name: 'stranger', ...suggestion.body.mapping };
      const { id: _id, ...columns } = mapping.targets[0].columns;
      mapping.targets[0] = { ...mapping.targets[0], columns: { ...columns, addr: 'addr' }, key: undefined };
      const done = await runJob(copy, { upload, mapping, mode: 'allOrNothing' });
      const rows = done.counts.rejected > 0 ? await rejectedRows(copy, done.id) : [];
      expect(done.counts, JSON.stringify(rows)).toMatchObject({ created: 3, rejected: 0 });
      const plain = (list: Record<string, unknown>[]) =>
        list.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => ['name', 'notes', 'mail', 'tel', 'site', 'code', 'qty', 'count', 'price', 'pct', 'flag', 'born', 'seenAt', 'kind', 'tags', 'addr', 'doubled'].includes(k))));
      const back = await copy.get<any>(`/api/data/${longName}?limit=100&sort=name`);
      expect(plain(back.body.items)).toEqual(plain(items));
    } finally {
      await copy.close();
    }
  }, 120_000);
});
