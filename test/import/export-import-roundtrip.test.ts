// The round trip users of every CRM make: export a list (CSV or XLSX, headers as labels and values
// as people read them, in English or Chinese), change some cells in a spreadsheet, import the file
// back with the mapping the server suggests — the id column as the upsert key, option labels read
// back as options, titles as the linked records, wall-clock times in the organisation's zone,
// "Yes"/"是", neutralized formula text as the original — and only the changed cells change.

import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob } from './support.ts';

let server: TestServer;
let repId: string;
const ids: Record<string, string> = {};

const company = {
  kind: 'entity', name: 'company', label: { en: 'Company', zh: '公司' }, pluralLabel: { en: 'Companies', zh: '公司' }, titleField: 'name',
  fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } } },
};
const deal = {
  kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '商机' }, pluralLabel: { en: 'Deals', zh: '商机' }, titleField: 'title',
  fields: {
    title: { type: 'text', required: true, label: { en: 'Title', zh: '标题' } },
    stage: { type: 'picklist', label: { en: 'Stage', zh: '阶段' }, options: { won: { label: { en: 'Closed won', zh: '赢单' } }, lost: { label: { en: 'Closed lost', zh: '输单' } }, open: { label: { en: 'Open', zh: '进行中' } } } },
    tags: { type: 'multipicklist', label: { en: 'Tags', zh: '标签' }, options: { hot: { label: { en: 'Hot', zh: '热门' } }, new: { label: { en: 'New', zh: '新' } } } },
    company: { type: 'lookup', to: 'company', label: { en: 'Company', zh: '公司' } },
    partners: { type: 'multiLookup', to: 'company', label: { en: 'Partners', zh: '伙伴' } },
    amount: { type: 'currency', label: { en: 'Amount', zh: '金额' } },
    seats: { type: 'integer', label: { en: 'Seats', zh: '席位' } },
    probability: { type: 'percent', label: { en: 'Probability', zh: '概率' } },
    margin: { type: 'formula', returns: 'number', expression: 'amount / 10', label: { en: 'Margin', zh: '利润' } },
    closeDate: { type: 'date', label: { en: 'Close date', zh: '结束日期' } },
    closedAt: { type: 'datetime', label: { en: 'Closed at', zh: '结束时间' } },
    active: { type: 'boolean', label: { en: 'Active', zh: '有效' } },
    email: { type: 'email', label: { en: 'E-mail', zh: '邮箱' } },
    rep: { type: 'user', label: { en: 'Sales rep', zh: '销售' } },
    note: { type: 'textarea', label: { en: 'Note', zh: '备注' } },
  },
};

const seed = [
  // Big one's instant has milliseconds: files show it to the second, and an import keeps it as stored.
  { title: 'Big one', stage: 'won', tags: ['hot', 'new'], company: 'Acme', partners: ['Acme', 'Globex'], amount: 1200.5, seats: 12, probability: 90, closeDate: '2026-03-15', closedAt: '2026-03-15T02:30:00.250Z', active: true, email: 'big@acme.test', rep: true, note: '=HYPERLINK("http://x")' },
  { title: 'Small one', stage: 'open', tags: ['new'], company: 'Globex', amount: -40, seats: 1, closeDate: '2026-02-01', closedAt: '2026-02-01T23:59:59.000Z', active: false, note: '+1 call back\nthen mail' },
  { title: 'Lost one', stage: 'lost', amount: 10, note: '@home' },
];

const get = (url: string) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${server.admin!.token}` } });

/** Every deal as the records API answers it, by id, without what a write changes by itself. */
async function deals(): Promise<Record<string, Record<string, unknown>>> {
  const res = await server.get<{ items: Record<string, unknown>[] }>('/api/data/deal?limit=100');
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map(({ version: _v, updatedAt: _u, updatedBy: _b, revision: _r, ...item }) => [item['id'] as string, item]));
}

async function uploadBytes(name: string, body: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const res = await fetch(`${server.url}/api/import/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', body, headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': 'application/octet-stream' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { upload: string }).upload;
}

/** The suggested mapping, as the wizard would start a job with it untouched. */
async function suggestedMapping(upload: string, name: string) {
  const suggestion = await server.post<any>('/api/import/suggest', { upload, entity: 'deal' });
  expect(suggestion.status, JSON.stringify(suggestion.body)).toBe(200);
  return { suggestion: suggestion.body, mapping: { name, ...suggestion.body.mapping } };
}

/** Dry run, then commit: the dry run's counts must be the commit's. */
async function importBack(upload: string, mapping: unknown, expected: { updated: number; unchanged: number }) {
  const dry = await runJob(server, { upload, mapping, mode: 'dryRun' });
  const rows = dry.counts.rejected > 0 ? await rejectedRows(server, dry.id) : [];
  expect({ ...dry.counts, rows: undefined }, JSON.stringify(rows)).toMatchObject({ created: 0, rejected: 0, ...expected });
  const done = await runJob(server, { upload, mapping, mode: 'allOrNothing' });
  expect(done.status).toBe('done');
  expect(done.counts).toMatchObject({ created: 0, rejected: 0, ...expected });
}

beforeAll(async () => {
  server = await startTestServer({ env: { CRM_TIME_ZONE: 'Asia/Shanghai' } });
  for (const doc of [company, deal]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
  repId = (await server.createUser({ email: 'rep@crm.test', name: 'Wang Fang', roles: [] })).id;
  for (const name of ['Acme', 'Globex', 'Initech']) ids[name] = (await server.post('/api/data/company', { name })).body.id;
}, 120_000);
afterAll(async () => server?.close());

/** Deletes every deal and makes the seed ones again (each test starts from the same records). */
async function reseed(): Promise<void> {
  for (const id of Object.keys(await deals())) expect((await server.delete(`/api/data/deal/${id}`)).status).toBeLessThan(300);
  for (const { company: c, partners, rep: withRep, ...values } of seed) {
    const res = await server.post('/api/data/deal', { ...values, ...(c ? { company: ids[c] } : {}), ...(partners ? { partners: partners.map((p) => ids[p]) } : {}), ...(withRep ? { rep: repId } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[values.title] = res.body.id;
  }
}

/** Sets cells of a parsed sheet (header row first) by row id and header. */
function edit(table: string[][], changes: Record<string, Record<string, string>>): void {
  const header = table[0]!;
  for (const [id, cells] of Object.entries(changes)) {
    const row = table.find((r) => r[0] === id)!;
    expect(row, id).toBeDefined();
    for (const [column, value] of Object.entries(cells)) {
      const at = header.indexOf(column);
      expect(at, column).toBeGreaterThanOrEqual(0);
      row[at] = value;
    }
  }
}

/** What the edits should have done to the records (everything else as before). */
function expectChanged(before: Record<string, Record<string, unknown>>, after: Record<string, Record<string, unknown>>, changes: Record<string, Record<string, unknown>>): void {
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const [id, record] of Object.entries(before)) {
    const wanted = { ...record, ...(changes[id] ?? {}) };
    if (changes[id]) for (const [k, v] of Object.entries(changes[id])) if (v === undefined) delete wanted[k];
    expect(after[id], id).toEqual(wanted);
  }
}

describe('export → edit in a spreadsheet → import back', () => {
  it('CSV in English: the suggested mapping updates the records by id; only the edited cells change', async () => {
    await reseed();
    const before = await deals();
    const res = await get('/api/export/deal');
    expect(res.status).toBe(200);
    const table = parse(await res.text(), { bom: true }) as string[][];
    expect(table[0]!.slice(0, 3)).toEqual(['ID', 'Title', 'Stage']);
    edit(table, {
      [ids['Big one']!]: { Stage: 'Closed lost', Amount: '999.99', 'Close date': '2026-04-02', Company: 'Initech', Active: 'No', Tags: 'Hot' },
      [ids['Small one']!]: { Title: 'Small one, renamed', 'Closed at': '2026-05-01 08:00:00', Active: 'Yes', Seats: '3', Note: `'=1+1` },
    });
    const upload = await uploadBytes('deals edited.csv', stringify(table, { bom: true }));
    const { suggestion, mapping } = await suggestedMapping(upload, 'roundtrip-csv');
    // The id column identifies the records; what cannot be read back is left out, and said why.
    expect(suggestion.mapping.targets[0].key).toEqual(['id']);
    expect(suggestion.mapping.targets[0].columns).toMatchObject({ id: 'ID', title: 'Title', stage: 'Stage', tags: 'Tags', company: 'Company', amount: 'Amount', closeDate: 'Close date', closedAt: 'Closed at', active: 'Active', note: 'Note' });
    expect(suggestion.mapping.timeZone).toBe('Asia/Shanghai');
    // Without its id column the file is anyone's: no key, and no zone guessed for its date-times.
    const other = await suggestedMapping(await uploadBytes('no id.csv', stringify(table.map((row) => row.slice(1)), { bom: true })), 'no-id');
    expect(other.mapping).toEqual({ name: 'no-id', targets: [expect.not.objectContaining({ key: expect.anything() })] });
    expect(Object.keys(suggestion.unmapped).sort()).toEqual(['Created at', 'Created by', 'Margin', 'Owner', 'Partners', 'Sales rep', 'Updated at', 'Updated by', 'Version'].filter((c) => table[0]!.includes(c)).sort());
    await importBack(upload, mapping, { updated: 2, unchanged: 1 });
    expectChanged(before, await deals(), {
      [ids['Big one']!]: { stage: 'lost', amount: 999.99, margin: 99.999, closeDate: '2026-04-02', company: ids['Initech'], active: false, tags: ['hot'] },
      [ids['Small one']!]: { title: 'Small one, renamed', closedAt: '2026-05-01T00:00:00.000Z', active: true, seats: 3, note: '=1+1' },
    });
  });

  it('CSV in Chinese (lang=zh): Chinese headers, option labels and 是/否 read back', async () => {
    await reseed();
    const before = await deals();
    const table = parse(await (await get('/api/export/deal?lang=zh')).text(), { bom: true }) as string[][];
    expect(table[0]!.slice(0, 3)).toEqual(['ID', '标题', '阶段']);
    edit(table, {
      [ids['Big one']!]: { 阶段: '进行中', 标签: '新', 有效: '否', 公司: 'Globex' },
      [ids['Lost one']!]: { 金额: '11.5', 结束日期: '2026-06-30', 结束时间: '2026-06-30 09:15:00' },
    });
    const upload = await uploadBytes('商机.csv', stringify(table, { bom: true }));
    const { suggestion, mapping } = await suggestedMapping(upload, 'roundtrip-zh');
    expect(suggestion.mapping.targets[0].key).toEqual(['id']);
    expect(suggestion.mapping.targets[0].columns).toMatchObject({ id: 'ID', title: '标题', stage: '阶段', tags: '标签', company: '公司', amount: '金额', closeDate: '结束日期', closedAt: '结束时间', active: '有效' });
    await importBack(upload, mapping, { updated: 2, unchanged: 1 });
    expectChanged(before, await deals(), {
      [ids['Big one']!]: { stage: 'open', tags: ['new'], active: false, company: ids['Globex'] },
      [ids['Lost one']!]: { amount: 11.5, margin: 1.15, closeDate: '2026-06-30', closedAt: '2026-06-30T01:15:00.000Z' },
    });
  });

  it('XLSX: typed cells (numbers, dates, wall-clock instants, booleans) read back', async () => {
    await reseed();
    const before = await deals();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await get('/api/export/deal?format=xlsx')).arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const rowOf = (id: string) => {
      for (let r = 2; r <= sheet.rowCount; r++) if (sheet.getRow(r).getCell(1).value === id) return sheet.getRow(r);
      throw new Error(`no row ${id}`);
    };
    const cell = (id: string, column: string) => rowOf(id).getCell(header.indexOf(column) + 1);
    cell(ids['Big one']!, 'Amount').value = 1500;
    cell(ids['Big one']!, 'Close date').value = new Date('2026-07-01T00:00:00Z');
    cell(ids['Small one']!, 'Closed at').value = new Date('2026-07-01T18:30:00Z');
    cell(ids['Small one']!, 'Active').value = true;
    cell(ids['Small one']!, 'Stage').value = 'Closed won';
    const upload = await uploadBytes('deals.xlsx', Uint8Array.from(Buffer.from(await book.xlsx.writeBuffer() as ArrayBuffer)));
    const { suggestion, mapping } = await suggestedMapping(upload, 'roundtrip-xlsx');
    expect(suggestion.mapping.targets[0].key).toEqual(['id']);
    await importBack(upload, mapping, { updated: 2, unchanged: 1 });
    expectChanged(before, await deals(), {
      [ids['Big one']!]: { amount: 1500, margin: 150, closeDate: '2026-07-01' },
      [ids['Small one']!]: { closedAt: '2026-07-01T10:30:00.000Z', active: true, stage: 'won' },
    });
  });

  it('a file of 1 MB or more (read and mapped on the worker thread, keys read ahead per batch) updates by id alike', async () => {
    await reseed();
    const before = await deals();
    const table = parse(await (await get('/api/export/deal')).text(), { bom: true }) as string[][];
    edit(table, { [ids['Big one']!]: { Amount: '77', Stage: 'Open' }, [ids['Small one']!]: { Note: 'rewritten' } });
    // A column no field has, wide enough to make the file large: left out by the suggestion.
    table.forEach((row, i) => row.push(i === 0 ? 'Padding' : 'x'.repeat(400_000)));
    const text = stringify(table, { bom: true });
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const upload = await uploadBytes('large.csv', text);
    const { suggestion, mapping } = await suggestedMapping(upload, 'roundtrip-large');
    expect(suggestion.unmapped['Padding']).toBe('no field of this name or label');
    // Without its lookup the target is mapped on the worker (a lookup is resolved in the transaction).
    const { company: _company, ...columns } = mapping.targets[0].columns;
    mapping.targets[0] = { ...mapping.targets[0], columns, lookups: undefined };
    await importBack(upload, JSON.parse(JSON.stringify(mapping)), { updated: 2, unchanged: 1 });
    expectChanged(before, await deals(), {
      [ids['Big one']!]: { amount: 77, margin: 7.7, stage: 'open' },
      [ids['Small one']!]: { note: 'rewritten' },
    });
  });

  it('what cannot be read back is said per row and column in the dry run; an unknown id is refused, not created', async () => {
    await reseed();
    const table = parse(await (await get('/api/export/deal')).text(), { bom: true }) as string[][];
    edit(table, { [ids['Big one']!]: { Stage: 'Maybe', Company: 'Nobody Inc' } });
    table.push(table.find((r) => r[0] === ids['Lost one'])!.map((v, i) => (i === 0 ? '01JUNKNOWNUNKNOWNUNKNOWN00' : v)));
    const upload = await uploadBytes('bad.csv', stringify(table, { bom: true }));
    const { mapping } = await suggestedMapping(upload, 'roundtrip-bad');
    // Mapped by hand although the suggestion left them out: people by name, several titles in one cell.
    mapping.targets[0].columns = { ...mapping.targets[0].columns, partners: 'Partners', rep: 'Sales rep' };
    const dry = await runJob(server, { upload, mapping, mode: 'dryRun' });
    expect(dry.counts).toMatchObject({ created: 0, rejected: 2 });
    const rows = await rejectedRows(server, dry.id);
    const big = rows.find((r) => r.row?.ID === ids['Big one']);
    expect(big.issues.map((i: { column: string }) => i.column).sort()).toEqual(['Company', 'Partners', 'Sales rep', 'Stage']);
    const reasons = Object.fromEntries(big.issues.map((i: { column: string; reason: string }) => [i.column, i.reason]));
    expect(reasons).toMatchObject({
      Stage: expect.stringContaining('"Maybe" is not one of the options'),
      Company: expect.stringContaining('no Company with Name "Nobody Inc"'),
      Partners: expect.stringContaining('"Acme; Globex" cannot be read as a multiLookup value from a cell'),
      'Sales rep': expect.stringContaining('"Wang Fang" is not a record id'),
    });
    const unknown = rows.find((r) => r.row?.ID === '01JUNKNOWNUNKNOWNUNKNOWN00');
    expect(unknown.issues).toEqual([expect.objectContaining({ column: 'ID', reason: expect.stringContaining('no Deal with id') })]);
  });

  it('a title two linked records share is refused as such, not as "no record"', async () => {
    await reseed();
    const twin = await server.post('/api/data/company', { name: 'Globex' });
    expect(twin.status).toBe(201);
    try {
      const table = parse(await (await get('/api/export/deal')).text(), { bom: true }) as string[][];
      edit(table, { [ids['Big one']!]: { Company: 'Globex' } });
      const upload = await uploadBytes('twins.csv', stringify(table, { bom: true }));
      const { mapping } = await suggestedMapping(upload, 'roundtrip-twins');
      const dry = await runJob(server, { upload, mapping, mode: 'dryRun' });
      const rows = await rejectedRows(server, dry.id);
      expect(rows.map((r) => r.row?.ID).sort()).toEqual([ids['Big one'], ids['Small one']].sort());
      for (const row of rows) expect(row.issues).toEqual([expect.objectContaining({ column: 'Company', reason: expect.stringContaining('more than one Company has Name "Globex"') })]);
    } finally {
      expect((await server.delete(`/api/data/company/${twin.body.id}`)).status).toBeLessThan(300);
    }
  });
});
