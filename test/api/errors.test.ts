// The one error shape `{ error: { code, message, details: [{ path, message }] } }` across the API:
// 404 for unknown entities, records and endpoints, 405 for a method an address does not take, 413, 415, 400 for unknown or repeated query
// parameters and invalid JSON — in English or Chinese by Accept-Language.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, errorPaths, expectError } from './api-helpers.ts';

const contact = { kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, fields: { name: { type: 'text', required: true }, notes: { type: 'textarea', maxLength: 100_000 } } };

describe('errors over HTTP', () => {
  let server: TestServer;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [contact]);
    id = (await createRecord(server, 'contact', { name: 'Known' })).id;
  });
  afterAll(async () => server.close());

  describe('404', () => {
    it.each([
      ['GET', '/api/data/ghost'],
      ['POST', '/api/data/ghost'],
      ['GET', '/api/data/ghost/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['PATCH', '/api/data/ghost/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['DELETE', '/api/data/ghost/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['GET', '/api/data/ghost/01ARZ3NDEKTSV4RRFFQ69G5FAV/history'],
    ])('%s %s: unknown entity', async (method, url) => {
      const res = await server.request(method, url, method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined);
      expectError(res, 404, 'UNKNOWN_ENTITY');
    });

    it.each([
      ['GET', '/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['PATCH', '/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['DELETE', '/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['GET', '/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV/history'],
      ['GET', '/api/data/contact/not-an-id'],
      ['GET', '/api/data/contact/%00'],
    ])('%s %s: unknown record', async (method, url) => {
      const res = await server.request(method, url, method === 'PATCH' ? { name: 'x' } : undefined);
      expectError(res, 404, 'NOT_FOUND');
    });

    it.each([
      ['GET', '/api/nothing'],
      ['GET', '/api/meta/gizmos'],
      ['GET', '/api/meta/entities/ghost'],
      ['DELETE', '/api/meta/entities/ghost'],
      ['GET', '/api/meta/revisions/77/diff'],
      ['DELETE', '/api/data/contact/01ARZ3NDEKTSV4RRFFQ69G5FAV/nothing'],
    ])('%s %s: nothing there', async (method, url) => {
      expectError(await server.request(method, url, method === 'PUT' ? {} : undefined), 404, 'NOT_FOUND');
    });
  });

  describe('405: an address served for other methods', () => {
    it.each([
      ['PUT', '/api/data/contact', 'GET, HEAD, POST'],
      ['PUT', '/api/data/contact/$id', 'DELETE, GET, HEAD, PATCH'],
      ['POST', '/api/data/contact/$id', 'DELETE, GET, HEAD, PATCH'],
      ['DELETE', '/api/health', 'GET, HEAD'],
      ['PATCH', '/api/meta/entities/contact', 'DELETE, GET, HEAD, PUT'],
      ['POST', '/api/meta/revisions/1/diff', 'GET, HEAD'],
    ])('%s %s: 405 with Allow, in the caller\'s language, and nothing written', async (method, url, allow) => {
      const before = (await server.get(`/api/data/contact/${id}`)).body.version;
      const res = await server.request(method, url.replace('$id', id), method === 'DELETE' ? undefined : { name: 'changed' }, { 'accept-language': 'zh' });
      const details = expectError(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.body.error.message).toBe('不支持该方法');
      expect(details).toEqual([{ path: '', message: `此地址不支持 ${method}：只接受 ${allow.replaceAll(', ', '、')}` }]);
      expect((await server.get(`/api/data/contact/${id}`)).body).toMatchObject({ name: 'Known', version: before });
    });
  });

  describe('413: bodies over 1 MB', () => {
    it.each([
      ['POST', '/api/data/contact'],
      ['PATCH', '/api/data/contact/$id'],
      ['PUT', '/api/meta/entities/contact'],
      ['POST', '/api/meta/apply'],
      ['POST', '/api/meta/validate'],
    ])('%s %s', async (method, url) => {
      const body = JSON.stringify({ name: 'big', notes: 'x'.repeat(1_100_000) });
      expectError(await server.request(method, url.replace('$id', id), body), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a body just under the limit is read (and judged on its merits)', async () => {
      const res = await server.post('/api/data/contact', { name: 'big', notes: 'x'.repeat(1_000_000) });
      expect(errorPaths(res)).toEqual(['/notes']);
    });
  });

  describe('415: bodies that are not JSON', () => {
    it.each([
      ['text/plain', '{"name":"x"}'],
      ['application/x-www-form-urlencoded', 'name=x'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--'],
      ['application/xml', '<name>x</name>'],
      ['text/html', '<p>x</p>'],
    ])('%s', async (contentType, body) => {
      expectError(await server.post('/api/data/contact', body, { 'content-type': contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await server.patch(`/api/data/contact/${id}`, body, { 'content-type': contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await server.put('/api/meta/entities/contact', body, { 'content-type': contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts JSON with a charset and merge-patch JSON', async () => {
      expect((await server.post('/api/data/contact', '{"name":"charset"}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
      expect((await server.patch(`/api/data/contact/${id}`, '{"name":"Merged"}', { 'content-type': 'application/merge-patch+json' })).status).toBe(200);
    });
  });

  describe('400', () => {
    it.each(['{', '{"name":', "{'name':'x'}", '{"name":"x",}', 'undefined', '\u0000'])('invalid JSON %j', async (body) => {
      expectError(await server.post('/api/data/contact', body), 400, 'BAD_REQUEST');
    });

    it.each([
      ['GET', '/api/data/contact?filtr={}', '/query/filtr'],
      ['GET', '/api/data/contact?limit=1&limit=2', '/query/limit'],
      ['GET', '/api/data/contact?limit=0', '/query/limit'],
      ['GET', '/api/data/contact?limit=1001', '/query/limit'],
      ['GET', '/api/data/contact?total=yes', '/query/total'],
      ['GET', '/api/data/contact?sort=name&page=2', '/query/page'],
      ['GET', '/api/data/contact/$id?expand=all', '/query/expand'],
      ['POST', '/api/data/contact?upsert=1', '/query/upsert'],
      ['PATCH', '/api/data/contact/$id?force=1', '/query/force'],
      ['DELETE', '/api/data/contact/$id?cascade=1', '/query/cascade'],
      ['GET', '/api/data/contact/$id/history?limit=0', '/query/limit'],
      ['GET', '/api/data/contact/$id/history?since=2026', '/query/since'],
      ['GET', '/api/meta/entities?all=1', '/query/all'],
      ['PUT', '/api/meta/entities/contact?dryRun=1', '/query/dryRun'],
      ['POST', '/api/meta/validate?verbose=1', '/query/verbose'],
      ['GET', '/api/meta/revisions?page=2', '/query/page'],
    ])('%s %s: unknown or malformed query parameter', async (method, url, path) => {
      const body = method === 'POST' || method === 'PATCH' || method === 'PUT' ? (url.includes('/meta/') ? contact : { name: 'x' }) : undefined;
      const res = await server.request(method, url.replace('$id', id), body);
      expectError(res, 400, 'INVALID_QUERY');
      expect(errorPaths(res)).toEqual([path]);
    });

    it('names every unknown parameter at once', async () => {
      const res = await server.get('/api/data/contact?a=1&b=2&filter={}');
      expect(errorPaths(res)).toEqual(['/query/a', '/query/b']);
    });

    it('a refused filter is an error, never silently dropped', async () => {
      for (const filter of ['{"$where":"1"}', '{"ghost":1}', '{"name":{"$foo":1}}', 'not json']) {
        expectError(await server.get(`/api/data/contact?filter=${encodeURIComponent(filter)}`), 400, 'INVALID_FILTER');
      }
    });

    it('a malformed If-Match is refused', async () => {
      const res = await server.patch(`/api/data/contact/${id}`, { name: 'x' }, { 'if-match': 'yesterday' });
      expect(expectError(res, 400, 'BAD_REQUEST').map((d) => d.path)).toEqual(['/headers/if-match']);
    });
  });

  describe('messages follow Accept-Language', () => {
    it.each([
      ['en', 'The record is not valid', 'There is no entity "ghost"'],
      ['zh', '记录无效', '不存在实体'],
      ['zh-TW;q=0.9, en;q=0.1', '记录无效', '不存在实体'],
      ['fr', 'The record is not valid', 'There is no entity "ghost"'],
    ])('%s', async (language, invalid, unknown) => {
      const bad = await server.post('/api/data/contact', { name: 5 }, { 'accept-language': language });
      expect(bad.body.error.message).toBe(invalid);
      const missing = await server.get('/api/data/ghost', { 'accept-language': language });
      expect(missing.body.error.message).toContain(unknown);
      const tooBig = await server.post('/api/data/contact', JSON.stringify({ notes: 'x'.repeat(1_100_000) }), { 'accept-language': language });
      expect(tooBig.body.error.message).toBe(language.startsWith('zh') ? '请求体过大' : 'The request body is too large');
    });
  });

  it('never shows a stack trace', async () => {
    const res = await server.post('/api/data/contact', '{"name":', {});
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});
