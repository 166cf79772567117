// A phone number typed with a Chinese input method comes in full-width (０２０ ７９４６ ０００１,
// ＋４４（２０）…): the same digits, accepted and stored half-width — so a unique phone sees the same
// number however it was typed, and a filter or a tel: link reads plain digits. What is no phone
// number in either width is refused at the field, in the caller's language.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const contact = {
    kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
    fields: { name: { type: 'text', required: true }, tel: { type: 'phone', unique: true, label: { en: 'Phone', zh: '电话' } } },
  };
  const res = await server.put('/api/meta/entities/contact', contact);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

describe('a phone typed in full-width forms', () => {
  it('is accepted and stored half-width', async () => {
    const typed = '＋４４（２０）７９４６－０００１';
    const created = await server.post<any>('/api/data/contact', { name: 'Wang', tel: typed });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const stored = typed.normalize('NFKC');
    expect(created.body.tel).toBe(stored);
    expect(/^[\x20-\x7e]+$/.test(created.body.tel)).toBe(true);
    const found = await server.get<any>(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ tel: stored }))}`);
    expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
  });

  it('is the same number as its half-width spelling to a unique phone', async () => {
    const first = await server.post<any>('/api/data/contact', { name: 'Li', tel: '020 7946 0002' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await server.post<any>('/api/data/contact', { name: 'Li (2)', tel: '０２０ ７９４６ ０００２' });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error.code).toBe('UNIQUE_VIOLATION');
    expect(again.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/tel']);
  });

  it('what is no phone number in either width is refused at the field, in the caller language', async () => {
    const zh = await server.post<any>('/api/data/contact', { name: 'Zhao', tel: '０２０ ＡＢＣ' }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([{ path: '/tel', code: 'pattern', message: '必须是电话号码：至少三位数字，中间只能有空格和 + - ( ) .' }]);
  });
});
