// A field type's own patterns (a phone number's shape, a web address's scheme) run on the ordinary
// backtracking engine, not on V8's interpreted linear one (kernel/safe-regex.ts: builtInPattern):
// 30 times faster, which an import of a million rows feels. That is safe only while each such pattern
// runs in linear time there — the phone pattern before this change (`[…]*[0-9][…]*[0-9][…]*[0-9][…]*`)
// took cubic time on a long run of digits. Held here: each built-in pattern answers hostile inputs of
// 200,000 characters (a cubic pattern would not finish before the test's timeout), and means on the
// linear engine what it means on the ordinary one; the phone field accepts and refuses what it did.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../engine/fields/registry.ts';
import { listBuiltInPatterns } from '../../engine/kernel/safe-regex.ts';
import { compileSafeRegex, linearRegexEngine } from '../../engine/kernel/safe-regex.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Every character a pattern names (literals and class members, ranges' ends), and one it does not. */
function alphabetOf(pattern: string): string[] {
  const characters = new Set(pattern.replace(/\\(.)/g, '$1').replace(/[\^$?*+(){}|[\]]/g, '').split(''));
  characters.add('x');
  characters.add('7');
  return [...characters];
}

/** Inputs that make a backtracking pattern with competing quantifiers try every split: one character repeated 200,000 times, then one that fails (or none). */
function hostileInputs(pattern: string): [repeated: string, last: string][] {
  return alphabetOf(pattern).flatMap((repeated) => ['x', '!', ''].map((last): [string, string] => [repeated, last]));
}

/** A deterministic sample of short strings over the pattern's own characters. */
function sampleInputs(pattern: string, count: number): string[] {
  const alphabet = alphabetOf(pattern);
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}

describe('built-in patterns', () => {
  const patterns = listBuiltInPatterns();

  it('the field types declare some (the phone and web address types)', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(2);
  });

  // In a process of its own: a pattern that backtracks blocks its thread, where no test timeout could stop it.
  // The bound is no speed target: linear matching takes milliseconds, a cubic one would take days.
  it.each(listBuiltInPatterns())('%s answers hostile inputs of 200,000 characters on the ordinary engine', (pattern) => {
    const script = `const r = new RegExp(${JSON.stringify(pattern)}, 'u'); for (const [repeated, last] of ${JSON.stringify(hostileInputs(pattern))}) r.test(repeated.repeat(200000) + last);`;
    const run = spawnSync(process.execPath, ['-e', script], { timeout: 30_000, encoding: 'utf8' });
    expect({ signal: run.signal, status: run.status, stderr: run.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
  });

  it.each(listBuiltInPatterns())('%s means the same on the linear engine as on the ordinary one', (pattern) => {
    if (!linearRegexEngine) return; // nothing to compare against where V8 has no linear engine
    const ordinary = new RegExp(pattern);
    const linear = compileSafeRegex(pattern);
    for (const input of sampleInputs(pattern, 20_000)) expect([input, linear.test(input)]).toEqual([input, ordinary.test(input)]);
  });
});

describe('phone fields over the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.put('/api/meta/entities/caller', { kind: 'entity', name: 'caller', label: 'Caller', fields: { name: { type: 'text' }, phone: { type: 'phone' } } })).status).toBe(201);
  });
  afterAll(async () => server.close());

  // "At least three digits, with only spaces and + - ( ) . between them" — the type's own words.
  it.each(['+44 20 7946 0001', '(020) 7946-0001', '123', '+1.555.010.9999', '  1 2 3  '])('accepts %j', async (phone) => {
    expect((await server.post('/api/data/caller', { name: 'ok', phone })).status).toBe(201);
  });

  it.each(['12', 'abc', '+44 20 x 7946', '++44 123', '1-2', '+'])('refuses %j, naming the field', async (phone) => {
    const res = await server.post<{ error: { details: { path: string; message: string }[] } }>('/api/data/caller', { name: 'bad', phone });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/phone', message: expect.stringContaining('at least three digits') })]);
  });

  it('refuses a 200,000-digit number that ends in a letter, and keeps serving', async () => {
    const res = await server.post<{ error: { details: { path: string }[] } }>('/api/data/caller', { name: 'long', phone: `${'1'.repeat(200_000)}x` });
    expect(res.status).toBe(400);
    expect(new Set(res.body.error.details.map((d) => d.path))).toEqual(new Set(['/phone']));
    expect((await server.get('/api/health')).status).toBe(200);
  });
});
