// A desktop ERP exports .xls (Excel 97–2003); Chinese offices save WPS's .et; others .ods or .xlsm. The
// upload was refused as "the file name must end in .csv, .txt, .jsonl, .ndjson or .xlsx", which does
// not tell the user the file is fine once saved again. A spreadsheet of another format is named as
// such with what to do, in the reader's language, at /name; any other name keeps the list.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

async function send(name: string, lang: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/import/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${server.admin!.token}`, 'accept-language': lang, 'content-type': 'application/octet-stream' }, body: 'PK' });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

describe('uploading a spreadsheet of another format', () => {
  it.each([
    ['客户资料.xls', '.xls'],
    ['客户资料.ET', '.et'],
    ['prices.ods', '.ods'],
    ['orders.xlsm', '.xlsm'],
  ])('%s is refused naming its format and the way out', async (name, extension) => {
    const zh = await send(name, 'zh-CN');
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([{ path: '/name', message: `是 ${extension} 格式的电子表格，无法直接导入：请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 CSV UTF-8 后上传` }]);
    const en = await send(name, 'en');
    expect(en.body.error.details).toEqual([{ path: '/name', message: `is a ${extension} spreadsheet, which is not read: save it in Excel or WPS as an Excel workbook (.xlsx) or CSV UTF-8 and upload that` }]);
  });

  it('keeps the list of names for any other file', async () => {
    const res = await send('notes.docx', 'en');
    expect(res.body.error.details).toEqual([{ path: '/name', message: 'the file name must end in .csv, .txt, .jsonl, .ndjson or .xlsx' }]);
  });
});
