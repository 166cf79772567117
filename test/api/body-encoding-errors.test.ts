// A body the server cannot read — compressed with another Content-Encoding than it says, cut
// short, over the size limit, in another charset or media type — is refused with a detail naming
// the header or the body at fault, in the caller's language: never zlib's own English message
// ("incorrect header check") as the whole answer, and never an empty list of details.

import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [{ kind: 'entity', name: 'crate', label: 'Crate', fields: { code: { type: 'text', required: true } } }]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

async function send(body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(`${t.url}/api/data/crate`, { method: 'POST', headers: { authorization: `Bearer ${t.admin!.token}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } } };
}

describe('bodies the server cannot read', () => {
  it('a gzipped body is read', async () => {
    const res = await send(gzipSync(JSON.stringify({ code: 'gz' })), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(201);
  });

  it.each([
    ['gzip', Buffer.from(JSON.stringify({ code: 'plain' }))],
    ['gzip', gzipSync(JSON.stringify({ code: 'cut' })).subarray(0, 15)],
    ['deflate', Buffer.from('not deflate')],
    ['br', Buffer.from(JSON.stringify({ code: 'plain' }))],
    ['GZIP', deflateSync(JSON.stringify({ code: 'deflated' }))],
  ])('%s that is not whole data of it: 400 at /headers/content-encoding, in en and zh', async (encoding, body) => {
    const en = await send(body, { 'content-encoding': encoding });
    expect(en.status).toBe(400);
    expect(en.body.error.code).toBe('BAD_REQUEST');
    expect(en.body.error.message).toBe('The body could not be decompressed');
    expect(en.body.error.details).toEqual([{ path: '/headers/content-encoding', message: `is ${encoding}, but the body is not whole ${encoding} data` }]);
    const zh = await send(body, { 'content-encoding': encoding, 'accept-language': 'zh' });
    expect(zh.body.error.message).toBe('请求体无法解压');
    expect(zh.body.error.details).toEqual([{ path: '/headers/content-encoding', message: `为 ${encoding}，但请求体不是完整的 ${encoding} 数据` }]);
  });

  it('an encoding the server does not take: 415 at /headers/content-encoding', async () => {
    const res = await send(JSON.stringify({ code: 'z' }), { 'content-encoding': 'zstd' });
    expect(res.status).toBe(415);
    expect(res.body.error.details).toEqual([{ path: '/headers/content-encoding', message: 'is zstd: send the body as it is, or gzip, deflate or br' }]);
  });

  it('a charset other than UTF-8: 415 at /headers/content-type', async () => {
    const res = await send(Buffer.from('{"code":"caf\xe9"}', 'latin1'), { 'content-type': 'application/json; charset=iso-8859-1', 'accept-language': 'zh' });
    expect(res.status).toBe(415);
    expect(res.body.error.details).toEqual([{ path: '/headers/content-type', message: '指定了字符集 ISO-8859-1：请使用 UTF-8' }]);
  });

  it('a body that is not JSON: 415 at /headers/content-type, saying what was sent', async () => {
    const res = await send(JSON.stringify({ code: 'x' }), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.error.details).toEqual([{ path: '/headers/content-type', message: 'is text/plain: send application/json' }]);
  });

  it('a body over the limit: 413 naming the limit, also when it only grows past it while being decompressed', async () => {
    const big = JSON.stringify({ code: 'x'.repeat(1_100_000) });
    for (const [body, headers] of [[big, {}], [gzipSync(big), { 'content-encoding': 'gzip' }]] as const) {
      const res = await send(body, headers);
      expect(res.status).toBe(413);
      expect(res.body.error.details).toEqual([{ path: '', message: 'is over the limit of 1 MB' }]);
    }
  });
});
