// An expression's errors in the caller's language, over HTTP: a formula with a syntax error, one
// calling a function that is not allowed (refused on save), and one that fails while a record is
// written (a type error at run time). English is JSONata's own wording; Chinese is not English.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
const cjk = /[\u3400-\u9fff]/;
const en = { 'accept-language': 'en' };
const zh = { 'accept-language': 'zh-CN' };

const entityWithFormula = (expression: string) => ({
  kind: 'entity', name: 'gadget', label: 'Gadget',
  fields: { name: { type: 'text', required: true }, code: { type: 'text' }, score: { type: 'formula', expression, returns: 'number' } },
});

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
});

async function refusal(expression: string, headers: Record<string, string>) {
  const res = await t.post('/api/meta/apply', [entityWithFormula(expression)], headers);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  const detail = res.body.error.details.find((d: any) => d.path.endsWith('/fields/score/expression'));
  expect(detail, JSON.stringify(res.body.error.details)).toBeDefined();
  expect(detail).not.toHaveProperty('text');
  return detail as { path: string; code: string; message: string };
}

describe('expression errors', () => {
  it('a syntax error: JSONata\'s words in English, the same error and position in Chinese', async () => {
    const english = await refusal('amount >', en);
    const chinese = await refusal('amount >', zh);
    expect(english.code).toBe('EXPR_SYNTAX');
    expect(english.message).toMatch(/at character \d+/);
    expect(english.message).not.toMatch(cjk);
    expect(chinese.code).toBe('EXPR_SYNTAX');
    expect(chinese.message).toMatch(cjk);
    expect(chinese.message).toContain(`第 ${/at character (\d+)/.exec(english.message)![1]} 个字符处`);
  });

  it('an unbalanced quote and an unknown operator name what is wrong in Chinese too', async () => {
    const quote = await refusal('"open', zh);
    expect(quote.message).toMatch(cjk);
    const token = await refusal('code = ]', zh);
    expect(token.message).toMatch(cjk);
    expect(token.message).toContain(']');
  });

  it('a function that is not allowed', async () => {
    const english = await refusal('$eval(code)', en);
    const chinese = await refusal('$eval(code)', zh);
    expect(english.code).toBe('EXPR_FUNCTION');
    expect(english.message).toMatch(/function \$eval is not allowed/);
    expect(chinese.message).toMatch(cjk);
    expect(chinese.message).toContain('$eval');
  });

  it('a formula failing while a record is written', async () => {
    expect((await t.post('/api/meta/apply', [entityWithFormula('name + 1')])).status).toBe(200);
    const english = await t.post('/api/data/gadget', { name: 'Widget' }, en);
    const chinese = await t.post('/api/data/gadget', { name: 'Widget' }, zh);
    expect(english.status, JSON.stringify(english.body)).toBeGreaterThanOrEqual(400);
    expect(english.status).toBeLessThan(500);
    expect(chinese.status).toBe(english.status);
    const [englishDetail] = english.body.error.details;
    const [chineseDetail] = chinese.body.error.details;
    expect(englishDetail.message).toMatch(/must evaluate to a number/);
    expect(chineseDetail.message).toMatch(cjk);
    expect(chineseDetail.message).toContain('+');
    expect(chineseDetail).not.toHaveProperty('text');
  });

  it('the designer\'s live preview of a formula failing on a stored record', async () => {
    expect((await t.post('/api/meta/apply', [entityWithFormula('1')])).status).toBe(200);
    const stored = await t.post('/api/data/gadget', { name: 'Widget' });
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    const preview = (headers: Record<string, string>) => t.post('/api/meta/preview/field', { entity: entityWithFormula('name + 1'), field: 'score', recordId: stored.body.id }, headers);
    const english = await preview(en);
    const chinese = await preview(zh);
    expect(english.status, JSON.stringify(english.body)).toBe(200);
    expect(english.body.valid).toBe(false);
    expect(english.body.issues.at(-1).message).toMatch(/must evaluate to a number/);
    expect(chinese.body.issues.at(-1).message).toMatch(cjk);
  });
});
