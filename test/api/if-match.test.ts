// If-Match as RFC 9110 §13.1.1 has it: `*` or a list of entity tags, compared strongly. A
// well-formed tag that is not the current one is 412 (not 400); only a header that is not a list
// of entity tags is 400. Same on PATCH, DELETE, reassign and transitions (one parser).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata, createRecord, expectError } from './api-helpers.ts';

describe('If-Match', () => {
  let server: TestServer;
  let accountId: string;
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [...roles, account, quote, quoteApproval]);
    accountId = (await createRecord(server, 'account', { name: 'A' })).id;
  });
  afterAll(() => server.close());

  it.each(['"x"', '""', '"1e3"', '"99999999999999999999"', 'W/"1"', '"7", "8"'])('a well-formed tag that is not current (%s) gets 412 and changes nothing', async (tag) => {
    const record = await createRecord(server, 'account', { name: 'before' });
    expectError(await server.patch(`/api/data/account/${record.id}`, { name: 'after' }, { 'if-match': tag }), 412, 'STALE_VERSION');
    expectError(await server.delete(`/api/data/account/${record.id}`, { 'if-match': tag }), 412, 'STALE_VERSION');
    expect((await server.get(`/api/data/account/${record.id}`)).body).toMatchObject({ name: 'before', version: 1 });
  });

  it('a 412 points at If-Match and gives the current ETag, in en and zh — on PATCH, DELETE, reassign and transitions', async () => {
    const record = await createRecord(server, 'account', { name: 'v1' });
    expect((await server.patch(`/api/data/account/${record.id}`, { name: 'v2' })).status).toBe(200);
    const en = [{ path: '/headers/if-match', message: 'names no current version: the record is at version 2 (ETag "2")' }];
    expect(expectError(await server.patch(`/api/data/account/${record.id}`, { name: 'v3' }, { 'if-match': '"1"' }), 412, 'STALE_VERSION')).toEqual(en);
    expect(expectError(await server.delete(`/api/data/account/${record.id}`, { 'if-match': '"1"' }), 412, 'STALE_VERSION')).toEqual(en);
    expect(expectError(await server.post(`/api/data/account/${record.id}/reassign`, { owner: server.admin!.id }, { 'if-match': '"1"' }), 412, 'STALE_VERSION')).toEqual(en);
    expect(expectError(await server.patch(`/api/data/account/${record.id}`, { name: 'v3' }, { 'if-match': '"1"', 'accept-language': 'zh' }), 412, 'STALE_VERSION'))
      .toEqual([{ path: '/headers/if-match', message: '未指明当前版本：记录已是版本 2（ETag "2"）' }]);
    const rep = await server.createUser({ roles: ['salesRep'] });
    const q = await createRecord(rep.client, 'quote', { account: accountId, listAmount: 100, validUntil: '2030-01-01' });
    expect(expectError(await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {}, { 'if-match': '"7"' }), 412, 'STALE_VERSION').map((d) => d.path)).toEqual(['/headers/if-match']);
  });

  it.each(['yesterday', '3', '"3', 'W/3', '"a"b"', ',', '"1" "2"'])('a header that is not a list of entity tags (%s) gets 400 on its pointer', async (header) => {
    const record = await createRecord(server, 'account', { name: 'x' });
    const details = expectError(await server.patch(`/api/data/account/${record.id}`, { name: 'y' }, { 'if-match': header }), 400, 'BAD_REQUEST');
    expect(details.map((d) => d.path)).toEqual(['/headers/if-match']);
  });

  it('a list naming the current tag matches, wherever it stands; * matches any current version', async () => {
    const record = await createRecord(server, 'account', { name: 'list' });
    expect((await server.patch(`/api/data/account/${record.id}`, { name: 'one' }, { 'if-match': '"9", "x", "1"' })).status).toBe(200);
    expect((await server.patch(`/api/data/account/${record.id}`, { name: 'two' }, { 'if-match': '"2",W/"3"' })).status).toBe(200);
    expect((await server.patch(`/api/data/account/${record.id}`, { name: 'three' }, { 'if-match': '*' })).status).toBe(200);
    const current = await server.get(`/api/data/account/${record.id}`);
    expect(current.headers.get('etag')).toBe('"4"');
    expect((await server.delete(`/api/data/account/${record.id}`, { 'if-match': current.headers.get('etag')! })).status).toBe(204);
    // A record that is gone is 404 before any precondition.
    expectError(await server.delete(`/api/data/account/${record.id}`, { 'if-match': '"x"' }), 404);
  });

  it('a GET answers its JSON with type and length, and 304 to If-None-Match naming the current tag; HEAD sends no body', async () => {
    const record = await createRecord(server, 'account', { name: 'cached' });
    const res = await fetch(`${server.url}/api/data/account/${record.id}`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toMatchObject({ id: record.id, name: 'cached', version: 1 });
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${server.url}/api/data/account/${record.id}`, {
      // fetch adds Cache-Control: no-cache beside a conditional header unless one is given (no-cache rules out a 304).
      headers: { authorization: `Bearer ${server.admin!.token}`, 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await fetch(`${server.url}/api/data/account/${record.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${server.admin!.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
  });

  it('transitions and reassign read the header the same way', async () => {
    const rep = await server.createUser({ roles: ['salesRep'] });
    const q = await createRecord(rep.client, 'quote', { account: accountId, listAmount: 100, validUntil: '2030-01-01' });
    expectError(await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {}, { 'if-match': '"x"' }), 412);
    expectError(await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {}, { 'if-match': 'nonsense' }), 400);
    expectError(await server.post(`/api/data/quote/${q.id}/reassign`, { owner: rep.id }, { 'if-match': '"5"' }), 412);
    expect((await server.post(`/api/data/quote/${q.id}/reassign`, { owner: rep.id }, { 'if-match': '"0", "1"' })).status).toBe(200);
  });

  it('a metadata item has an ETag too: a PUT or DELETE meant for an older version is 412 and writes nothing (If-Match used to be ignored there, so a second admin overwrote the first)', async () => {
    const doc = (label: string) => ({ kind: 'entity', name: 'memo', label, fields: { title: { type: 'text' } } });
    const created = await server.put('/api/meta/entities/memo', doc('Memo'), { 'if-match': '*' });
    expectError(created, 412, 'STALE_VERSION'); // * needs an item that exists
    expect((await server.put('/api/meta/entities/memo', doc('Memo'))).status).toBe(201);
    const read = await server.get('/api/meta/entities/memo');
    const etag = read.headers.get('etag')!;
    expect(etag).toMatch(/^"m-[\w-]+"$/);
    // Another admin saves first: the tag moves, and the first admin's write is refused.
    const other = await server.put('/api/meta/entities/memo', doc('Memo (theirs)'), { 'if-match': etag });
    expect(other.status).toBe(200);
    const next = other.headers.get('etag')!;
    expect(next).not.toBe(etag);
    expect((await server.get('/api/meta/entities/memo')).headers.get('etag')).toBe(next);
    const stale = await server.put('/api/meta/entities/memo', doc('Memo (mine)'), { 'if-match': etag, 'accept-language': 'zh' });
    expect(expectError(stale, 412, 'STALE_VERSION')).toEqual([{ path: '/headers/if-match', message: `未指明当前版本：该条目的 ETag 已是 ${next}` }]);
    expectError(await server.delete('/api/meta/entities/memo', { 'if-match': etag }), 412, 'STALE_VERSION');
    expectError(await server.put('/api/meta/entities/memo', doc('x'), { 'if-match': 'nonsense' }), 400, 'BAD_REQUEST');
    expect((await server.get('/api/meta/entities/memo')).body.label).toBe('Memo (theirs)');
    expect((await server.delete('/api/meta/entities/memo', { 'if-match': `"m-other", ${next}` })).status).toBe(200);
  });
});
