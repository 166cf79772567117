// A blocking duplicate rule must block. Only exact rules are checked on each write; a normalized or
// fuzzy rule declared with "block" was accepted and then blocked nothing (two spellings of one phone
// number imported side by side), so it is refused on save, saying what works instead: an exact rule
// over a field whose cleansing stores one form, which blocks on the API and in an import alike.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from '../import/support.ts';

let server: TestServer;

const entity = (rule: Record<string, unknown>) => ({
  kind: 'entity', name: 'buyer', label: { en: 'Buyer', zh: '买家' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, phone: { type: 'phone' } },
  cleansing: { phone: { phone: 'CN', halfWidth: true } },
  duplicateRules: { samePhone: { match: ['phone'], ...rule } },
});

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

describe('a blocking rule that would block nothing', () => {
  it.each(['normalized', 'fuzzy'])('a %s rule with action block is refused at its pointer, en and zh', async (method) => {
    for (const [lang, text] of [['en', 'cannot block'], ['zh', '不能阻止写入']] as const) {
      const res = await server.put<any>('/api/meta/entities/buyer', entity({ method, action: 'block' }), { 'accept-language': lang });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/duplicateRules/samePhone/action', message: expect.stringContaining(text) })]);
    }
    expect((await server.put<any>('/api/meta/entities/buyer', entity({ method, action: 'warn' }))).status).toBeLessThan(300);
  });
});

describe('an exact rule over a cleansed phone', () => {
  it('blocks a second spelling of one number through the API and within one import', async () => {
    expect((await server.put<any>('/api/meta/entities/buyer', entity({ action: 'block' }))).status).toBe(200);
    expect((await server.post<any>('/api/data/buyer', { name: '王', phone: '138 0013 8000' })).status).toBe(201);
    expect((await server.post<any>('/api/data/buyer', { name: '李', phone: '+86 138-0013-8000' })).status).toBe(409);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dup-block-'));
    await writeFile(path.join(dir, 'buyers.csv'), '姓名,电话\n张,139 0013 9000\n赵,１３９００１３９０００\n钱,+86 138 0013 8000\n孙,137 0000 0001\n');
    const up = await upload(server, path.join(dir, 'buyers.csv'), 'buyers.csv');
    const job = await runJob(server, { upload: up, mapping: { name: 'buyers', targets: [{ entity: 'buyer', columns: { name: '姓名', phone: '电话' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual([3, 4]);
  });
});
