// Clients that send an import file the way their tools do: a JSON Lines file labelled
// application/json (kept byte for byte, never parsed as one JSON body nor emptied by the parser), and
// a form upload (curl -F) refused in words instead of kept with its boundaries as the "file".

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob } from './support.ts';

let server: TestServer;

function send(name: string, body: BodyInit, headers: Record<string, string> = {}, lang = 'en') {
  return fetch(`${server.url}/api/import/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${server.admin!.token}`, 'accept-language': lang, ...headers }, body });
}

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/lead', { kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name', fields: { code: { type: 'text', unique: true }, name: { type: 'text', required: true } } });
  expect(res.status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

const mapping = { name: 'leads', targets: [{ entity: 'lead', key: ['code'], columns: { code: 'code', name: 'name' } }] };

describe('upload content types', () => {
  it('keeps a JSON Lines file sent as application/json byte for byte, one line or several', async () => {
    for (const lines of [[{ code: 'L1', name: 'One' }], [{ code: 'L2', name: 'Two' }, { code: 'L3', name: 'Three' }]]) {
      const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
      const res = await send('leads.jsonl', text, { 'content-type': 'application/json' });
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body.bytes).toBe(Buffer.byteLength(text));
      const job = await runJob(server, { upload: body.upload, mapping, mode: 'validOnly' });
      expect(job.counts).toMatchObject({ rows: lines.length, created: lines.length, rejected: 0 });
    }
    const names = (await server.get<any>('/api/data/lead?sort=code')).body.items.map((r: any) => r.name);
    expect(names).toEqual(['One', 'Two', 'Three']);
  });

  it('refuses a multipart form with 415 naming the content type, in the caller\u2019s language, and keeps nothing', async () => {
    const form = new FormData();
    form.append('file', new Blob(['code,name\nF1,Form\n'], { type: 'text/csv' }), 'leads.csv');
    const kept = async () => (await readdir(path.join(server.dataDir, 'imports')).catch(() => [])).length;
    const before = await kept();
    for (const lang of ['en', 'zh']) {
      const res = await send('leads.csv', form, {}, lang);
      const body = (await res.json()) as any;
      expect(res.status).toBe(415);
      expect(body.error.details[0].path).toBe('/headers/content-type');
      expect(body.error.message).toMatch(lang === 'zh' ? /请把文件本身作为请求体发送/ : /Send the file itself as the request body/);
      expect(body.error.details[0].message).toMatch(lang === 'zh' ? /原始字节/ : /raw bytes/);
    }
    expect(await kept()).toBe(before);
  });
});
