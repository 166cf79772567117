// Acceptance: thousands of malformed requests — bodies, filters, ids, query parameters, headers and
// metadata documents, made by mutating valid requests with a seeded PRNG — across every endpoint:
// no response is 500 or above, every refusal has the one error shape, and the server keeps
// answering. A failure prints the seed and the request, so it can be replayed (FUZZ_SEED=…).

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, seededRandom } from './api-helpers.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? 20260301);
const random = seededRandom(seed);
const int = (n: number): number => Math.floor(random() * n);
const chance = (p: number): boolean => random() < p;
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const parent = { kind: 'entity', name: 'fuzzParent', label: 'Fuzz parent', fields: { name: { type: 'text', required: true }, children: { type: 'rollup', from: 'fuzz', via: 'parent', op: 'count' }, total: { type: 'rollup', from: 'fuzz', via: 'parent', op: 'sum', field: 'amount' } } };
const fuzz = {
  kind: 'entity',
  name: 'fuzz',
  label: { en: 'Fuzz', zh: '模糊' },
  fields: {
    name: { type: 'text', required: true, maxLength: 200, pattern: '^[^<>]*$' },
    code: { type: 'text', unique: true },
    notes: { type: 'textarea' },
    email: { type: 'email' },
    phone: { type: 'phone' },
    site: { type: 'url' },
    count: { type: 'integer', min: -1000, max: 1000 },
    ratio: { type: 'number' },
    amount: { type: 'currency', min: 0 },
    share: { type: 'percent' },
    active: { type: 'boolean' },
    day: { type: 'date' },
    at: { type: 'datetime' },
    stage: { type: 'picklist', options: { open: {}, won: {}, lost: {} } },
    tags: { type: 'multipicklist', options: { a: {}, b: {}, c: {} } },
    parent: { type: 'lookup', to: 'fuzzParent' },
    number: { type: 'autonumber', prefix: 'F-' },
    double: { type: 'formula', returns: 'number', expression: 'count * 2' },
    address: { type: 'address' },
    consent: { type: 'consent' },
  },
  rules: { lostNeedsNotes: { when: "stage = 'lost' and $not($exists(notes))", message: { en: 'A lost one needs notes', zh: '需要备注' }, field: 'notes' } },
};
const fieldNames = Object.keys(fuzz.fields);

// ---- generators -------------------------------------------------------------------------------

const strings = [
  '', ' ', 'x', 'x'.repeat(256), 'x'.repeat(20_000), '\u0000', 'a\u0000b', '\uD800', '\uFFFF', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '👩‍👩‍👧‍👦', '\u202Eevil', '中文字段',
  "' OR 1=1 --", '"); DROP TABLE fuzz; --', '$where', '{"$gt":""}', '__proto__', 'constructor', '../../etc/passwd', '%00', '\\', '\n\r\t',
  '<script>alert(1)</script>', '${7*7}', '{{7*7}}', 'NaN', 'Infinity', '-0', '1e309', 'true', 'null', '2026-02-30', '2026-03-01T25:00:00Z', '01ARZ3NDEKTSV4RRFFQ69G5FAV',
];
const numbers = [0, -0, 1, -1, 0.1, 1e308, -1e308, 5e-324, 2 ** 53, -(2 ** 53) - 2, 1000.0001, 123456789.987654];
const keys = ['$where', '$gt', '$ne', '$expr', '$function', '__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'a.b', 'a/b', '~0', '$', '\u0000', ...fieldNames];

function nested(depth: number): unknown {
  let value: unknown = pick(strings);
  for (let i = 0; i < depth; i++) value = chance(0.5) ? [value] : { [pick(keys)]: value };
  return value;
}

/** Any JSON value, biased towards the awkward. */
function anyValue(depth = 0): unknown {
  switch (int(depth > 2 ? 4 : 7)) {
    case 0: return pick(strings);
    case 1: return pick(numbers);
    case 2: return pick([true, false, null]);
    case 3: return pick([[], {}, '', 0]);
    case 4: return Array.from({ length: int(4) }, () => anyValue(depth + 1));
    case 5: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(keys), anyValue(depth + 1)]));
    default: return nested(1 + int(80));
  }
}

function validRecord(): Record<string, unknown> {
  return {
    name: `Fuzz ${int(1e6)}`,
    ...(chance(0.5) ? { count: int(2000) - 1000 } : {}),
    ...(chance(0.5) ? { amount: int(100000) / 100 } : {}),
    ...(chance(0.3) ? { stage: pick(['open', 'won']) } : {}),
    ...(chance(0.3) ? { tags: ['a'] } : {}),
    ...(chance(0.3) ? { address: { city: 'Berlin' } } : {}),
    ...(chance(0.3) ? { at: '2026-03-01T10:00:00Z' } : {}),
  };
}

/** A valid record with one to three mutations (now and then none, so the write path stays busy). */
function mutatedRecord(): unknown {
  const record: Record<string, unknown> = validRecord();
  if (chance(0.1)) return record;
  for (let i = 0, n = 1 + int(3); i < n; i++) {
    switch (int(6)) {
      case 0: record[pick(fieldNames)] = anyValue(); break;
      case 1: record[pick(keys)] = anyValue(); break;
      case 2: record[pick(['id', 'version', 'revision', 'owner', 'createdAt', 'createdBy', 'number', 'double'])] = anyValue(); break;
      case 3: delete record['name']; break;
      case 4: record[pick(fieldNames)] = nested(1 + int(70)); break;
      default: return anyValue();
    }
  }
  return record;
}

/** Raw body texts that JSON.stringify cannot make. */
function rawBody(): string {
  return pick([
    '{"name":1e309}', '{"count":-1e309}', '{"amount":1e-400}', '{"name":"x",}', '{"name":"x"', "{'name':'x'}", '{"name":"\\ud800"}', '{"name":"\\u0000"}',
    '{"__proto__":{"admin":true},"name":"x"}', '{"constructor":{"prototype":{"x":1}},"name":"x"}', '{"name":"a","name":"b"}', '[', ']', '', ' ', 'null', '0', '"x"',
    '\uFEFF{"name":"bom"}', '{"name":"x"}garbage', '{"name":NaN}', '{"name":Infinity}', '{"count":0x10}', '{"count":01}', '{"count":.5}', '{"count":1.}',
    '[' .repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), `{"name":"${'x'.repeat(900_000)}"}`, `{"notes":"${'é'.repeat(400_000)}"}`,
  ]);
}

const filterOps = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$not', '$where', '$expr', '$elemMatch', '$size', '$options', '$text', '$function', '$jsonSchema', '$mod', '$all'];
function filter(depth = 0): unknown {
  switch (int(depth > 3 ? 3 : 6)) {
    case 0: return { [pick([...fieldNames, ...keys, 'address.city', 'address.planet', 'parent.name', 'id', 'version'])]: anyValue(2) };
    case 1: return { [pick(fieldNames)]: { [pick(filterOps)]: anyValue(2) } };
    case 2: return { [pick(fieldNames)]: { $regex: pick(['(a+)+$', '(a|a)*b', '[', '.*'.repeat(40), 'x'.repeat(5000), '^ok$', '(?<n>x)\\k<n>']), ...(chance(0.3) ? { $options: pick(['i', 'g', 'x', 'mi', 'zz']) } : {}) } };
    case 3: return { [pick(['$and', '$or', '$nor', '$not'])]: chance(0.8) ? Array.from({ length: int(4) }, () => filter(depth + 1)) : anyValue(2) };
    case 4: return anyValue();
    default: return { [pick(fieldNames)]: { $not: filter(depth + 1) } };
  }
}

function cursor(): string {
  return pick([
    'x', '', '=', '%', 'a'.repeat(5000), Buffer.from('{"v":[],"id":{"$gt":""}}').toString('base64url'), Buffer.from('{"v":[1e999],"id":"x"}').toString('base64url'),
    Buffer.from('{"v":["x"],"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV"}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('null').toString('base64url'),
    Buffer.from('{"__proto__":{"v":[]},"id":"x"}').toString('base64url'), Buffer.from(JSON.stringify({ v: [nested(30)], id: 'x' })).toString('base64url'),
  ]);
}

function listQuery(): string {
  const params = new URLSearchParams();
  const count = int(4);
  for (let i = 0; i < count; i++) {
    switch (int(8)) {
      case 0: params.append('filter', chance(0.8) ? JSON.stringify(filter()) : pick(strings)); break;
      case 1: params.append('sort', pick(['name', '-amount,name', '', ',', '-', '--name', 'ghost', 'tags', 'address', 'address.city', 'double', 'name,name', '__proto__', 'a'.repeat(500), `${'name,'.repeat(50)}name`])); break;
      case 2: params.append('limit', pick(['0', '-1', '1', '1000', '1001', '1e3', '0x10', 'abc', '', '99999999999999999999', '1.5'])); break;
      case 3: params.append('cursor', cursor()); break;
      case 4: params.append('fields', pick(['name', 'name,ghost', '', ',,', '__proto__', 'id,version', 'address.city', 'a'.repeat(300)])); break;
      case 5: params.append('total', pick(['1', '0', 'yes', '', 'true', '2'])); break;
      case 6: params.append(pick(keys), pick(strings).slice(0, 100)); break;
      default: params.append('filter', '{}'); params.append('filter', '{}'); break;
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function weirdId(ids: readonly string[]): string {
  return pick([
    ...ids.slice(0, 3), '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'not-an-id', '%00', '%ZZ', '..%2F..%2Fetc', '%F0%9F%98%80', 'a'.repeat(3000), '0', '-1', '1e309',
    encodeURIComponent('{"$gt":""}'), encodeURIComponent("' OR 1=1 --"), '__proto__', 'constructor', '%E0%A4%A', ' ', '%20', '*',
  ]);
}

const weirdEntities = ['fuzz', 'fuzzParent', 'ghost', '__proto__', 'constructor', 'toString', '_audit', '_metaItems', 'sqlite_master', '%00', 'FUZZ', 'a'.repeat(300), '..', '%2E%2E', encodeURIComponent('fuzz; DROP TABLE fuzz')];

function mutatedEntity(): unknown {
  const doc = structuredClone(fuzz) as Record<string, any>;
  doc['name'] = `probe${int(1e6)}`;
  for (let i = 0, n = 1 + int(3); i < n; i++) {
    if (doc['fields'] === null || typeof doc['fields'] !== 'object') doc['fields'] = {};
    const field = pick(Object.keys(doc['fields'])) ?? 'name';
    // Earlier mutations may have replaced the field with a non-object: start it afresh then.
    if (doc['fields'][field] === null || typeof doc['fields'][field] !== 'object') doc['fields'][field] = { type: 'text' };
    switch (int(10)) {
      case 0: doc['fields'][field] = anyValue(); break;
      case 1: doc['fields'][field]['type'] = pick(['colour', '', null, 5, 'TEXT', 'lookup', 'rollup', 'formula']); break;
      case 2: doc['fields'][field][pick(['min', 'max', 'maxLength', 'pattern', 'default', 'defaultExpression', 'to', 'expression', 'options', 'returns', 'via', 'op', pick(keys)])] = anyValue(); break;
      case 3: doc['fields'][pick(keys)] = { type: 'text' }; break;
      case 4: doc['fields']['f'] = { type: 'formula', returns: 'number', expression: pick(['(', '$eval("1")', 'ghost + 1', '$sum(', 'f + 1', '$contains(name, /(a+)+b/)', '$string($)', '**', '$$', '$now() ~> $x']) }; break;
      case 5: doc[pick(['kind', 'name', 'label', 'fields', 'rules', 'indexes', pick(keys)])] = anyValue(); break;
      case 6: doc['rules'] = { r: { when: pick(['(', 'ghost', '$eval("x")', '1 +', 'true']), message: anyValue() } }; break;
      case 7: doc['indexes'] = { i: { fields: [pick([...fieldNames, 'ghost', '-', '', 'tags'])], unique: anyValue() } }; break;
      case 8: doc['fields'][field]['pattern'] = pick(['(a+)+$', '[', '(?<x>a)', '\\', 'x'.repeat(300), '^(a|aa)+$']); break;
      default: return anyValue();
    }
  }
  return doc;
}

interface FuzzRequest {
  method: string;
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** A status the request must get (beyond "below 500"). */
  expect?: number;
}

function makeRequest(ids: readonly string[]): FuzzRequest {
  const id = () => weirdId(ids);
  const json = (value: unknown): string => JSON.stringify(value) ?? 'null';
  const body = (): string => (chance(0.2) ? rawBody() : json(mutatedRecord()));
  const maybeIfMatch = (): Record<string, string> => (chance(0.5) ? { 'if-match': pick(['"1"', '"0"', 'W/"1"', '*', '"-1"', '"1e3"', 'yesterday', '"99999999999999999999"', '""', '"1", "2"', ' ', '"\u00e9"']) } : {});
  switch (int(16)) {
    case 0: case 1: return { method: 'POST', url: '/api/data/fuzz', body: body() };
    case 2: case 3: return { method: 'PATCH', url: `/api/data/fuzz/${pick(ids)}`, body: body(), headers: maybeIfMatch() };
    case 4: case 5: return { method: 'GET', url: `/api/data/fuzz${listQuery()}` };
    case 6: return { method: pick(['GET', 'PATCH', 'DELETE']), url: `/api/data/${pick(weirdEntities)}/${id()}${chance(0.3) ? '/history' : ''}`, body: json(validRecord()), headers: maybeIfMatch() };
    case 7: return { method: 'DELETE', url: `/api/data/fuzz/${id()}`, headers: maybeIfMatch() };
    case 8: return { method: pick(['GET', 'POST']), url: `/api/data/${pick(weirdEntities)}${listQuery()}`, body: body() };
    case 9: return { method: 'PUT', url: `/api/meta/entities/probe${int(1e6)}`, body: json(mutatedEntity()) };
    case 10: return { method: 'POST', url: '/api/meta/validate', body: chance(0.5) ? json(mutatedEntity()) : json({ documents: chance(0.5) ? [mutatedEntity()] : anyValue(), remove: anyValue() }) };
    case 11: return { method: 'POST', url: '/api/meta/apply', body: chance(0.2) ? rawBody() : json(Array.from({ length: 1 + int(3) }, () => mutatedEntity())) };
    case 12: return { method: pick(['GET', 'POST']), url: `/api/meta/revisions/${pick(['-1', '0x1', 'abc', '1e3', '99999', '1.5', '%00', ' ', '999999999999'])}/${pick(['diff', 'revert'])}` };
    case 13: return { method: pick(['GET', 'PUT', 'DELETE']), url: `/api/meta/${pick(['entities', 'views', 'forms', 'gizmos', '__proto__', 'roles', 'workflows', 'dashboards'])}/${pick([...weirdEntities, 'probe1'])}${chance(0.2) ? listQuery() : ''}`, body: json(anyValue()) };
    case 14: {
      // Wrong content types and over-limit bodies have exact answers.
      if (chance(0.5)) return { method: pick(['POST', 'PUT', 'PATCH']), url: pick(['/api/data/fuzz', `/api/data/fuzz/${pick(ids)}`, '/api/meta/entities/probe', '/api/meta/apply']), body: '{"name":"x"}', headers: { 'content-type': pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'text/json', 'application/jsonx']) }, expect: 415 };
      return { method: pick(['POST', 'PUT', 'PATCH']), url: pick(['/api/data/fuzz', `/api/data/fuzz/${pick(ids)}`, '/api/meta/entities/probe', '/api/meta/validate']), body: json({ name: 'x', notes: 'y'.repeat(1_048_577 + int(200_000)) }), expect: 413 };
    }
    default: return { method: pick(['GET', 'POST', 'PATCH']), url: pick(['/api/data/fuzz', `/api/data/fuzz/${pick(ids)}`, '/api/meta/entities', '/api/openapi.json', '/api/types.ts', '/api/health', '/api/meta/revisions']), body: body(), headers: { ...pick<Record<string, string>>([{ 'accept-language': pick(['zh', 'xx', '*', 'zh;q=abc', ',,,', 'en-US,zh;q=0.5', 'a'.repeat(2000)]) }, { 'content-type': pick(['application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=nope', 'application/merge-patch+json', 'application/vnd.x+json', 'APPLICATION/JSON']) }, { 'content-encoding': pick(['gzip', 'deflate', 'br', 'identity', 'zstd', 'x']) }, { accept: pick(['text/html', 'application/xml', '*/*', '']) }]) } };
  }
}

// ---- the run ----------------------------------------------------------------------------------

describe('fuzz', () => {
  let server: TestServer;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [parent, fuzz]);
    const p = await createRecord(server, 'fuzzParent', { name: 'P' });
    for (let i = 0; i < 5; i++) ids.push((await createRecord(server, 'fuzz', { name: `Seed ${i}`, parent: p.id, count: i })).id);
  });
  afterAll(async () => server.close());

  it(`sends 2,400 malformed requests across every endpoint without a 5xx (seed ${seed})`, async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const send = async (request: FuzzRequest): Promise<void> => {
      const headers = { ...(request.body !== undefined && !request.headers?.['content-type'] ? { 'content-type': 'application/json' } : {}), ...request.headers };
      const hasBody = request.body !== undefined && !['GET', 'DELETE', 'HEAD'].includes(request.method);
      let res;
      try {
        res = await server.request(request.method, request.url, hasBody ? request.body : undefined, headers);
      } catch (error) {
        failures.push(`no answer (${(error as Error).message}) to ${describeRequest(request)}`);
        return;
      }
      sent++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)} for ${describeRequest(request)}`);
      if (request.expect !== undefined && res.status !== request.expect) failures.push(`expected ${request.expect}, got ${res.status} for ${describeRequest(request)}`);
      if (res.status >= 400 && res.status !== 431 && !isErrorShape(res.body)) failures.push(`${res.status} without the error shape (${String(JSON.stringify(res.body)).slice(0, 200)}) for ${describeRequest(request)}`);
    };

    const requests = Array.from({ length: 2400 }, () => makeRequest(ids));
    // A few at a time, so that concurrent writes are part of the mix.
    for (let i = 0; i < requests.length; i += 8) await Promise.all(requests.slice(i, i + 8).map(send));

    console.info(`fuzz seed ${seed}: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2400);
    // The mix reached past the first checks: some writes succeeded, most were refused.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(800);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(415) ?? 0).toBeGreaterThan(10);

    // And the server still answers, reads and writes.
    expect((await server.get('/api/health')).status).toBe(200);
    const after = await server.post('/api/data/fuzz', { name: 'After the storm' });
    expect(after.status).toBe(201);
    expect((await server.get(`/api/data/fuzz/${after.body.id}`)).body.name).toBe('After the storm');
  });

  it('survives malformed HTTP on the wire', async () => {
    const { port } = new URL(server.url);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
    const auth = `Authorization: Bearer ${server.admin?.token ?? ''}\r\n`;
    const answers = await Promise.all([
      raw(`POST /api/data/fuzz HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`),
      raw(`POST /api/data/fuzz HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"short"}`),
      raw(`POST /api/data/fuzz HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
      raw(`GET /api/data/fuzz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      raw('BREW /api/health HTTP/1.1\r\nHost: x\r\n\r\n'),
      raw('GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n'),
      raw('GET /api/health\r\n\r\n'),
      raw('\u0000\u0001\u0002 garbage\r\n\r\n'),
      raw(`GET /api/data/fuzz/${'%'.repeat(100)} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`),
    ]);
    for (const answer of answers) {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
      // An answer below 500, or the connection closed without one — never a server error.
      expect(status === 0 || status < 500, answer.slice(0, 200)).toBe(true);
    }
    expect((await server.get('/api/health')).status).toBe(200);
  });
});

function describeRequest(request: FuzzRequest): string {
  return `${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers ?? {}).slice(0, 200)} ${(request.body ?? '').slice(0, 300)}`;
}

function isErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  return !!error && typeof error.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
}
