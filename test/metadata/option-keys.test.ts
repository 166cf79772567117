// Picklist options whose keys differ only in case, width or spacing ("a" and "A", "ａ" and "a",
// "in progress" and "in-progress") were accepted; an import, a type change or a cleansing synonym then
// read a value as the first of them, whichever was meant ("A " was stored as "a"). Refused on save,
// at the later option's pointer, in en and zh.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

const entity = (fields: Record<string, unknown>) => ({ kind: 'entity', name: 'grade', label: 'Grade', fields: { name: { type: 'text' }, ...fields } });

describe('picklist options alike once case, width and spacing are set aside', () => {
  it.each([
    ['picklist', { a: {}, b: {}, A: {} }, 'A', 'a'],
    ['multipicklist', { a: {}, 'ａ': {} }, 'ａ', 'a'],
    ['picklist', { 'in progress': {}, 'in-progress': {} }, 'in-progress', 'in progress'],
    ['picklist', { 'x/y': {}, 'X/Y': {} }, 'X~1Y', 'x/y'],
  ])('a %s with %o is refused at the later option', async (type, options, pointer, first) => {
    const refused = await server.put('/api/meta/entities/grade', entity({ level: { type, options } }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: `/fields/level/options/${pointer}`, code: 'META_DUPLICATE', message: expect.stringContaining(`is the same option as "${first}" once case, full-width characters and spaces are set aside`) }]);
  });

  it('says so in Chinese, and keeps options that only look alike to nobody', async () => {
    const zh = await server.put('/api/meta/entities/grade', entity({ level: { type: 'picklist', options: { high: {}, HIGH: {} } } }), { 'accept-language': 'zh' });
    expect(zh.body.error.details).toEqual([expect.objectContaining({ path: '/fields/level/options/HIGH', message: '忽略大小写、全角字符和空格后与选项「high」相同：导入时无法判断值指的是哪一个' })]);
    const saved = await server.put('/api/meta/entities/grade', entity({ level: { type: 'picklist', options: { a: {}, b: {}, a1: {}, 'é': {}, e: {} } } }));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  });
});
