// Acceptance over real HTTP: runaway expressions — infinite recursion, a catastrophic regex, a
// huge string — in formulas and workflow guards are each stopped within their bound with a clear
// error, and the next request is served normally.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressionBounds } from '../../engine/expressions/compile-expression.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A runaway is stopped by its bound: the evaluation timeout at the latest, plus the request's own time.
const withinBound = expressionBounds.timeoutMs + 1500;

let t: TestServer;

const probe = (expression: string, returns = 'text') => ({
  kind: 'entity', name: 'probe', label: 'Probe',
  fields: { name: { type: 'text', required: true }, result: { type: 'formula', returns, expression } },
});

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function servesNormally(): Promise<void> {
  const { result, ms } = await timed(() => t.get('/api/health'));
  expect(result.status).toBe(200);
  expect(ms).toBeLessThan(withinBound);
}

describe('runaway expressions are stopped within their bound', () => {
  it.each([
    { name: 'infinite recursion', expression: '($f := function($n){ $f($n + 1) }; $f(0))', detail: /timeout|Stack overflow/i },
    { name: 'deep recursion that would end one day', expression: '($f := function($n){ $n > 100000000 ? $n : $f($n + 1) }; $string($f(0)))', detail: /timeout|Stack overflow/i },
    { name: 'a huge $pad', expression: "$pad(name, 500000000, 'x')", detail: /\$pad would build a string of 500000000 characters/ },
    { name: 'a huge $join', expression: "$join([1..9999].$pad('', 200), '')", detail: /\$join would build a string|timeout/i },
    { name: 'strings doubled in a loop', expression: "$string($reduce([1..40], function($a, $b){ $a & $a }, $pad(name, 100000)))", detail: /./ },
    { name: 'a huge range', expression: '$string($sum([1..100000000]))', detail: /sequence|range/i },
  ])('$name: a create is answered 400 quickly, then the server serves', async ({ expression, detail }) => {
    const saved = await t.put('/api/meta/entities/probe', probe(expression));
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const { result, ms } = await timed(() => t.post('/api/data/probe', { name: 'x' }));
    expect(result.status).toBe(400);
    expect(['EXPR_TIMEOUT', 'EXPR_ERROR']).toContain(result.body.error.code);
    expect(result.body.error.details[0].path).toBe('/fields/result/expression');
    expect(result.body.error.details[0].message).toMatch(detail);
    expect(ms).toBeLessThan(withinBound);
    await servesNormally();
  });

  it.each([
    { expression: "$pad(name, 500000000, 'x')", zh: '$pad 会生成 500000000 个字符的字符串（上限为 1000000）' },
    { expression: '$today(1.5)', zh: '$today 只接受整数天数' },
  ])('the engine\'s own expression errors are in Chinese when asked (they were "表达式错误（…）：" and the English): $expression', async ({ expression, zh }) => {
    expect((await t.put('/api/meta/entities/probe', probe(expression))).status).toBeLessThan(300);
    const result = await t.post('/api/data/probe', { name: 'x' }, { 'accept-language': 'zh' });
    expect(result.status).toBe(400);
    expect(result.body.error.details[0]).toMatchObject({ path: '/fields/result/expression', message: zh });
  });

  it('a regex with nested quantifiers is refused when the metadata is saved, with its location', async () => {
    const saved = await t.put('/api/meta/entities/probe', probe("$contains(name, /(a+)+$/) ? 'yes' : 'no'"));
    expect(saved.status).toBe(400);
    expect(saved.body.error.details[0]).toMatchObject({ path: '/fields/result/expression', code: 'EXPR_REGEX' });
    const backref = await t.put('/api/meta/entities/probe', probe("$contains(name, /(a)\\1/) ? 'yes' : 'no'"));
    expect(backref.status).toBe(400);
  });

  it('a catastrophic regex that passes the save-time heuristic runs on the linear engine: no backtracking', async () => {
    // (a|a)*b is exponential on a backtracking engine for "aaaa…!" (30 a's: minutes); linear here.
    const saved = await t.put('/api/meta/entities/probe', probe("$contains(name, /(a|a)*b/) ? 'match' : 'no match'"));
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const { result, ms } = await timed(() => t.post('/api/data/probe', { name: `${'a'.repeat(40)}!` }));
    expect(result.status).toBe(201);
    expect(result.body.result).toBe('no match');
    expect(ms).toBeLessThan(withinBound);
    await servesNormally();
  });

  it('a runaway workflow guard is reported as the reason, and the move refused', async () => {
    const applied = await t.post('/api/meta/apply', [
      { kind: 'entity', name: 'gate', label: 'Gate', fields: { name: { type: 'text' }, status: { type: 'picklist', options: { shut: { label: 'Shut' }, open: { label: 'Open' } } } } },
      {
        kind: 'workflow', name: 'gateFlow', entity: 'gate', label: 'Gate', field: 'status',
        states: { shut: { label: 'Shut', initial: true }, open: { label: 'Open' } },
        transitions: { open: { label: 'Open', from: 'shut', to: 'open', guard: "$length($pad('', 900000000)) > 0" }, loop: { label: 'Loop', from: 'shut', to: 'open', guard: '($f := function($n){ $f($n) }; $f(1))' } },
      },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const id = (await t.post('/api/data/gate', { name: 'g' })).body.id;
    const { result, ms } = await timed(() => t.get(`/api/data/gate/${id}/transitions`));
    expect(ms).toBeLessThan(withinBound);
    expect(result.body.transitions.map((x: any) => [x.name, x.allowed, x.reasons[0]?.code])).toEqual([['loop', false, 'WF_GUARD_ERROR'], ['open', false, 'WF_GUARD_ERROR']]);
    const taken = await t.post(`/api/data/gate/${id}/transitions/open`, {});
    expect(taken.status).toBe(409);
    expect(taken.body.error.details[0].message).toMatch(/\$pad would build a string/);
    await servesNormally();
  });

  it('a runaway formula added over stored records: the dry run meets it once, checks the rest against the schema alone and says so', async () => {
    const tank = (fields: Record<string, unknown> = {}) => ({ kind: 'entity', name: 'tank', label: 'Tank', fields: { name: { type: 'text' }, ...fields } });
    expect((await t.put('/api/meta/entities/tank', tank())).status).toBe(201);
    for (const name of ['t1', 't2', 't3', 't4']) expect((await t.post('/api/data/tank', { name })).status).toBe(201);
    // Each record took the whole time bound: a second each, hours over a real table, the server held meanwhile.
    const runaway = tank({ level: { type: 'formula', returns: 'number', expression: '($f := function($n){ $n > 1e12 ? $n : $f($n + 1) }; $f(0))' } });
    const dry = await t.post('/api/meta/validate', { documents: [runaway] });
    expect(dry.status).toBe(200);
    expect(dry.body.valid).toBe(false);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'tank', path: '/fields/level/expression', code: 'D1012' })]);
    expect(dry.body.impact).toEqual([expect.objectContaining({ entity: 'tank', records: 4, invalid: 1, unchecked: 3 })]);
    expect(dry.body.impact[0].examples).toEqual([{ id: expect.any(String), issues: [expect.objectContaining({ path: '/fields/level/expression', code: 'D1012' })] }]);
    const applied = await t.put('/api/meta/entities/tank', runaway);
    expect(applied.status).toBe(400);
    expect(applied.body.error.details).toEqual([expect.objectContaining({ path: '/entity/tank/fields/level/expression', code: 'D1012' })]);
    await servesNormally();
  });

  it('$eval is refused at save time', async () => {
    const saved = await t.put('/api/meta/entities/probe', probe("$eval('1 + 1')"));
    expect(saved.status).toBe(400);
    expect(saved.body.error.details[0].code).toBe('EXPR_FUNCTION');
  });
});
