// Regression, the ReDoS class: a case-insensitive `$regex` filter (`a*a*a*a*a*!` over a 120-character
// value) ran on the backtracking engine and blocked every request for 7.9 s; JSONata `/…/i` literals
// in formulas did the same and the expression timeout could not interrupt them. Every pattern a user
// or an admin writes — filters, formulas, rules, field patterns — now runs on V8's linear-time
// engine (case-insensitivity folded into the pattern), or is refused: while each hostile request is
// in flight, /api/health keeps answering within a second of its calm latency (the stall was 7.9 s;
// a tighter bound failed on a loaded CI machine, where one request can take a few hundred ms).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSafeRegex } from '../../engine/kernel/safe-regex.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
/** What counts as a stall, beyond the calm latency: far below the seconds a backtracking pattern blocks, far above a busy machine's jitter. */
const stallMs = 1000;
const long = `${'a'.repeat(120)}!`;
const longer = `${'a'.repeat(1000)}`;
const filter = (f: unknown) => `/api/data/probe?filter=${encodeURIComponent(JSON.stringify(f))}&total=1`;

async function slowestHealth(): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    expect((await server.get('/api/health')).status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

/**
 * Runs `hostile` and, while it is in flight, asks for /api/health five times. `slowestHealthMs` is
 * the slowest answer beyond the slowest of five asked just before on a calm server, so that a busy
 * test machine (hundreds of ms per request) does not count; a stall is seconds.
 */
async function healthWhile<T>(hostile: () => Promise<T>): Promise<{ result: T; slowestHealthMs: number }> {
  const calm = await slowestHealth();
  const pending = hostile();
  const during = await slowestHealth();
  return { result: await pending, slowestHealthMs: Math.max(0, during - calm) };
}

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/probe', { kind: 'entity', name: 'probe', label: 'Probe', fields: { name: { type: 'text', maxLength: 2000 } } })).status).toBe(201);
  for (const name of [long, longer, 'AAA', 'ACME Ltd', 'Straße', 'ÉCOLE']) expect((await server.post('/api/data/probe', { name })).status).toBe(201);
});
afterAll(async () => server.close());

describe('regex-redos: filters', () => {
  // Each shape is answered with the right records, or refused with its pointer; never a stall.
  it.each([
    { shape: 'a quantifier run', pattern: 'a*a*a*a*a*!', matches: [long] },
    { shape: 'a quantifier run of classes', pattern: '[a-z]*[a-z]*[a-z]*[a-z]*!', matches: [long] },
    { shape: 'a quantifier run of \\w', pattern: '\\w*\\w*\\w*\\w*\\w*$', matches: 'any' },
    { shape: 'overlapping alternation under repetition', pattern: '(a|a)+$', matches: [longer, 'AAA'] },
    { shape: 'alternation of prefixes', pattern: '^(a|aa)+!', matches: [long] },
    { shape: 'nested quantifiers', pattern: '(a+)+!', matches: 'refused' },
    { shape: 'nested stars', pattern: '(a*)*$', matches: 'refused' },
    { shape: 'a back-reference', pattern: '(a)\\1', matches: 'refused' },
  ])('$shape /$pattern/i', async ({ pattern, matches }) => {
    const { result, slowestHealthMs } = await healthWhile(() => server.get(filter({ name: { $regex: pattern, $options: 'i' } })));
    expect(slowestHealthMs).toBeLessThan(stallMs);
    if (matches === 'refused') {
      expect(result.status).toBe(400);
      expect(result.body.error.details[0]).toMatchObject({ path: '/name/$regex', code: 'UNSAFE_REGEX' });
    } else {
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      if (matches !== 'any') expect(result.body.items.map((r: { name: string }) => r.name).sort()).toEqual([...matches].sort());
    }
  });

  it('case-insensitive matching keeps its meaning beyond ASCII, and case-sensitive stays sensitive', async () => {
    const names = async (pattern: string, $options?: string) =>
      (await server.get(filter({ name: { $regex: pattern, ...($options ? { $options } : {}) } }))).body.items.map((r: { name: string }) => r.name).sort();
    expect(await names('^acme', 'i')).toEqual(['ACME Ltd']);
    expect(await names('^acme')).toEqual([]);
    expect(await names('STRASSE|straSSe|^STRAẞE', 'i')).toEqual([]); // ß has no single-unit upper case
    expect(await names('^straße$', 'i')).toEqual(['Straße']);
    expect(await names('^école$', 'i')).toEqual(['ÉCOLE']);
    expect(await names('^[^b-z]{3}$', 'i')).toEqual(['AAA']);
  });
});

describe('regex-redos: expressions', () => {
  const probe = (fields: Record<string, unknown>, rules?: Record<string, unknown>) => ({
    kind: 'entity', name: 'formulaProbe', label: 'Formula probe',
    fields: { name: { type: 'text', maxLength: 2000 }, ...fields }, ...(rules ? { rules } : {}),
  });

  it.each([
    { shape: 'a quantifier run', regex: '/a*a*a*a*a*!/i', expected: 'match' },
    { shape: 'overlapping alternation', regex: '/^(a|a)*b/i', expected: 'no match' },
    { shape: 'an alternation of prefixes', regex: '/^(a|aa)+$/i', expected: 'no match' },
  ])('a formula with $shape $regex is answered at once', async ({ regex, expected }) => {
    const saved = await server.put('/api/meta/entities/formulaProbe', probe({ result: { type: 'formula', returns: 'text', expression: `$contains(name, ${regex}) ? 'match' : 'no match'` } }));
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const { result, slowestHealthMs } = await healthWhile(() => server.post('/api/data/formulaProbe', { name: long }));
    expect(slowestHealthMs).toBeLessThan(stallMs);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.result).toBe(expected);
  });

  it('a rule with a case-insensitive quantifier run decides at once', async () => {
    const saved = await server.put('/api/meta/entities/formulaProbe', probe({}, { noShouting: { when: '$contains(name, /a*a*a*a*a*!/i)', message: 'no shouting', field: 'name' } }));
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    const { result, slowestHealthMs } = await healthWhile(() => server.post('/api/data/formulaProbe', { name: long.toUpperCase() }));
    expect(slowestHealthMs).toBeLessThan(stallMs);
    expect(result.status).toBe(400);
    expect(result.body.error.details[0]).toMatchObject({ path: '/name' });
  });

  it('nested quantifiers in an expression are refused when saved', async () => {
    const saved = await server.put('/api/meta/entities/formulaProbe', probe({ result: { type: 'formula', returns: 'text', expression: "$contains(name, /(a+)+!/i) ? 'y' : 'n'" } }));
    expect(saved.status).toBe(400);
    expect(saved.body.error.details[0]).toMatchObject({ path: '/fields/result/expression', code: 'EXPR_REGEX' });
  });

  it('a field pattern (checked by the record validator) runs linear too', async () => {
    const saved = await server.put('/api/meta/entities/patternProbe', { kind: 'entity', name: 'patternProbe', label: 'Pattern probe', fields: { code: { type: 'text', maxLength: 2000, pattern: '^(a|a)*b$' } } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const { result, slowestHealthMs } = await healthWhile(() => server.post('/api/data/patternProbe', { code: long }));
    expect(slowestHealthMs).toBeLessThan(stallMs);
    expect(result.status).toBe(400);
    expect(result.body.error.details[0]).toMatchObject({ path: '/code' });
  });
});

describe('regex-redos: case folding keeps the meaning of the i flag', () => {
  const patterns = ['^acme', 'a*a*a*a*a*!', '(a|a)+$', '[a-f]+x', '[^a-z]', 'straße', 'ÉCOLE', '\\x41b\\u0043', '[\\w-]+', '\\bfoo\\B', '(?<nm>ab)c', '[]', '[^]', 'a{2,3}', 'K', 'ſ', '[k-m]', 'ǅ', '\\cJ', 'İ', 'ı', 'µ', '[\\u0000-\\uffff]x', '[_-a]', '\\d\\W', 'ß', 'ﬀ', '[\\b]', '\\u004B'];
  const inputs = ['ACME', 'acme', 'aaaa!', 'AAA', 'Abcdefx', 'FFX', 'Z', '1', 'STRASSE', 'Straße', 'école', 'École', 'ABC', 'abc', 'a-b_c', 'foox', 'FOO bar', 'aA', 'k', 'K', 'K', 's', 'S', 'ſ', 'L', 'ǆ', 'Ǆ', 'ǅ', '\n', 'i', 'I', 'İ', 'ı', 'µ', 'Μ', 'μ', '_', '`', '9x', 'ss', 'SS', 'ẞ', 'ﬀ', 'FF', '\b'];
  it.each(patterns)('/%s/i matches what the backtracking engine matches', (pattern) => {
    const reference = new RegExp(pattern, 'i');
    const safe = compileSafeRegex(pattern, 'i');
    expect(safe.flags).toContain('l');
    for (const input of inputs) expect([input, safe.exec(input)?.[0]]).toEqual([input, reference.exec(input)?.[0]]);
  });
});
