// Files written in a locale, over HTTP: a mapping declaring day-first dates and a decimal comma
// imports 31/12/2025 and 1.234,56 from a CSV and from an XLSX's text cells, while the workbook's own
// date and number cells are read as what they are; what the declared reading cannot read is rejected
// with its column, value and reason; a mapping whose options cannot run is refused at save.

import ExcelJS from 'exceljs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

const mapping = {
  name: 'european-orders',
  delimiter: ';',
  timeZone: 'Europe/Paris',
  dateOrder: 'DMY',
  decimalSeparator: ',',
  targets: [{ entity: 'order', key: ['code'], columns: { code: 'Code', placed: 'Placed', shipped: 'Shipped', amount: 'Amount', weight: 'Weight', units: 'Units' } }],
};

async function records() {
  const res = await server.get<any>('/api/data/order?limit=100&sort=code');
  return res.body.items.map((r: any) => Object.fromEntries(['code', 'placed', 'shipped', 'amount', 'weight', 'units'].filter((k) => r[k] !== undefined).map((k) => [k, r[k]])));
}

async function removeAll() {
  for (const r of (await server.get<any>('/api/data/order?limit=100')).body.items) expect((await server.delete(`/api/data/order/${r.id}`)).status).toBe(204);
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-locale-'));
  const res = await server.put('/api/meta/entities/order', {
    kind: 'entity', name: 'order', label: { en: 'Order', zh: '订单' }, titleField: 'code',
    fields: {
      code: { type: 'text', required: true, unique: true },
      placed: { type: 'date' },
      shipped: { type: 'datetime' },
      amount: { type: 'currency', currency: 'EUR' },
      weight: { type: 'number', scale: 1 },
      units: { type: 'integer' },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('import of locale-written values', () => {
  it('reads day-first dates and decimal commas from a CSV; rejects what they cannot read, naming column, value and reason', async () => {
    const file = path.join(dir, 'orders.csv');
    await writeFile(file, [
      'Code;Placed;Shipped;Amount;Weight;Units',
      'A1;31/12/2025;31/12/2025 14:30;1.234,56;1.234,5;1.000',
      'A2;01.02.2026;1/2/2026 09:05;1 234,5;0,5;12',
      'A3;2026-03-04;2026-03-04 08:00;12,50 €;7;3',
      'B1;31/02/2025;;1;1;1',
      'B2;13/13/2025;;1;1;1',
      'B3;01/01/2026;;1,2,3;1;1',
      'B4;01/01/2026;;1,234.56;1;1',
      'B5;01/01/2026;;1;1,25;1',
      'B6;01/01/26;;1;1;1',
    ].join('\r\n'));
    const job = await runJob(server, { upload: await upload(server, file, 'orders.csv'), mapping, mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { rows: 9, created: 3, rejected: 6 } });
    expect(await records()).toEqual([
      { code: 'A1', placed: '2025-12-31', shipped: '2025-12-31T13:30:00.000Z', amount: 1234.56, weight: 1234.5, units: 1000 },
      { code: 'A2', placed: '2026-02-01', shipped: '2026-02-01T08:05:00.000Z', amount: 1234.5, weight: 0.5, units: 12 },
      { code: 'A3', placed: '2026-03-04', shipped: '2026-03-04T07:00:00.000Z', amount: 12.5, weight: 7, units: 3 },
    ]);
    const rows = await rejectedRows(server, job.id);
    const issues = Object.fromEntries(rows.map((r) => [r.row.Code, r.issues.map((i: any) => `${i.column}=${i.value}: ${i.reason}`)]));
    expect(issues).toEqual({
      B1: [expect.stringMatching(/^Placed=31\/02\/2025: .*not a calendar date read as day\/month\/year/)],
      B2: [expect.stringMatching(/^Placed=13\/13\/2025: .*not a calendar date read as day\/month\/year/)],
      B3: [expect.stringMatching(/^Amount=1,2,3: .*not a number written with a decimal comma/)],
      B4: [expect.stringMatching(/^Amount=1,234.56: .*not a number written with a decimal comma/)],
      B5: [expect.stringMatching(/^Weight=1,25: .*has 2 decimals; at most 1 allowed/)],
      B6: [expect.stringMatching(/^Placed=01\/01\/26: .*is not a date/)],
    });
    await removeAll();
  });

  it('refuses a day-first date when the mapping declares no order, saying why', async () => {
    const file = path.join(dir, 'undeclared.csv');
    await writeFile(file, 'Code;Placed\nU1;03/04/2025\n');
    const { dateOrder: _order, ...rest } = mapping;
    const undeclared = { ...rest, targets: [{ entity: 'order', columns: { code: 'Code', placed: 'Placed' } }] };
    const job = await runJob(server, { upload: await upload(server, file, 'undeclared.csv'), mapping: undeclared, mode: 'dryRun' });
    const [row] = await rejectedRows(server, job.id);
    expect(row.issues).toEqual([expect.objectContaining({ column: 'Placed', value: '03/04/2025', reason: expect.stringContaining('declare the import\'s date order') })]);
  });

  it('reads an XLSX: text cells with the declared options, date and number cells as they are', async () => {
    const file = path.join(dir, 'orders.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Orders');
    sheet.addRow(['Code', 'Placed', 'Shipped', 'Amount', 'Weight', 'Units']);
    sheet.addRow(['X1', '31/12/2025', '31/12/2025 14:30', '1.234,56', '0,5', '1.000']);
    // Typed cells: a date cell and number cells (1.5 is one and a half, whatever the decimal separator).
    sheet.addRow(['X2', new Date(Date.UTC(2026, 1, 1)), new Date(Date.UTC(2026, 1, 1, 8, 5)), 1234.5, 1.5, 1000]);
    sheet.addRow(['X3', '31/02/2025', null, 1.005, 2, 3]);
    await book.xlsx.writeFile(file);
    const { delimiter: _delimiter, ...xlsxMapping } = mapping;
    const uploaded = await upload(server, file, 'orders.xlsx');
    // The wizard's preview gets number cells as numbers (it reads text cells with the options chosen there).
    const suggestion = await server.post<any>('/api/import/suggest', { upload: uploaded, entity: 'order' });
    expect(suggestion.body.preview[1].values).toMatchObject({ Placed: '2026-02-01', Shipped: '2026-02-01T08:05:00', Amount: 1234.5, Weight: 1.5 });
    const job = await runJob(server, { upload: uploaded, mapping: xlsxMapping, mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { rows: 3, created: 2, rejected: 1 } });
    expect(await records()).toEqual([
      { code: 'X1', placed: '2025-12-31', shipped: '2025-12-31T13:30:00.000Z', amount: 1234.56, weight: 0.5, units: 1000 },
      // The date cell's wall-clock time is read in the mapping's zone (Paris, UTC+1 in February).
      { code: 'X2', placed: '2026-02-01', shipped: '2026-02-01T07:05:00.000Z', amount: 1234.5, weight: 1.5, units: 1000 },
    ]);
    const [row] = await rejectedRows(server, job.id);
    expect(row.issues.map((i: any) => `${i.column}=${i.value}: ${i.reason}`)).toEqual([
      expect.stringMatching(/^Placed=31\/02\/2025: .*not a calendar date/),
      // A number cell's text in the file's convention (read back to the same number).
      expect.stringMatching(/^Amount=1,005: .*has 3 decimals/),
    ]);
  });

  it('refuses at save, with a pointer, options that cannot run', async () => {
    const save = (body: Record<string, unknown>) => server.put<any>(`/api/import/mappings/${mapping.name}`, { ...mapping, ...body });
    for (const [body, pointer] of [
      [{ dateOrder: 'DD/MM/YYYY' }, '/dateOrder'],
      [{ dateOrder: 'dmy' }, '/dateOrder'],
      [{ decimalSeparator: ';' }, '/decimalSeparator'],
      [{ delimiter: ',' }, '/delimiter'],
    ] as const) {
      const res = await save(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: pointer })]));
    }
    expect((await save({})).status).toBe(200);
    expect((await server.get<any>(`/api/import/mappings/${mapping.name}`)).body).toMatchObject({ dateOrder: 'DMY', decimalSeparator: ',' });
  });
});
