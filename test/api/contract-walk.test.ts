// The contract walk: every operation of the generated OpenAPI document — as an administrator and as
// a non-admin role, each from its own document — is called with valid input and with invalid
// input, and every answer is checked against the document with ajv: its status must be declared
// for the operation, and a JSON body must match the declared schema. Zero undeclared statuses or
// bodies. Parameters are filled from real records created here (or a well-formed id that exists
// nowhere); bodies are sampled from the request schema (valid) or broken on purpose (invalid).

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type ApiResponse, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata } from './api-helpers.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
type Schema = Record<string, any>;
interface Operation { path: string; method: string; op: Schema }

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;
const nowhere = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Operations in a safe order: reads, then writes, then deletes, then signing out. */
function operationsOf(doc: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc['paths'] as Record<string, Schema>)) for (const method of methods) if (item[method]) out.push({ path, method, op: { ...item[method], parameters: [...(item['parameters'] ?? []), ...(item[method].parameters ?? [])] } });
  const rank = (o: Operation) => (o.path === '/api/auth/logout' ? 4 : o.method === 'delete' ? 3 : o.method === 'get' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b));
}

function resolve(doc: Schema, schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.['$ref'] && i < 10; i++) s = (s['$ref'] as string).slice(2).split('/').reduce((o: any, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return s;
}

/** A value the schema accepts, as far as a simple sampler can tell (required properties only). */
function sample(doc: Schema, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 6) return 'x';
  if ('const' in s) return s['const'];
  if (s['enum']) return s['enum'][0];
  if (s['default'] !== undefined) return s['default'];
  if (s['examples']?.length) return s['examples'][0];
  for (const key of ['oneOf', 'anyOf', 'allOf']) if (s[key]?.length) return sample(doc, s[key][0], depth + 1);
  const type = Array.isArray(s['type']) ? s['type'].find((t: string) => t !== 'null') : s['type'];
  switch (type) {
    case 'object': return Object.fromEntries((s['required'] ?? []).map((k: string) => [k, sample(doc, s['properties']?.[k], depth + 1)]));
    case 'array': return s['minItems'] ? [sample(doc, s['items'], depth + 1)] : [];
    case 'integer': case 'number': return s['minimum'] ?? 1;
    case 'boolean': return true;
    case 'string':
      if (s['format'] === 'date') return '2026-03-01';
      if (s['format'] === 'date-time') return '2026-03-01T00:00:00.000Z';
      if (s['format'] === 'email') return 'someone@crm.test';
      if (s['pattern'] === '^[0-9]{1,9}$') return '10';
      return 'x'.repeat(Math.max(1, s['minLength'] ?? 1));
    default: return 'x';
  }
}

describe('contract walk', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const clients: Record<string, ApiClient> = {};
  const documents: Record<string, Schema> = {};

  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [...roles, account, quote, quoteApproval]);
    const rep = await server.createUser({ roles: ['salesRep'] });
    clients['admin'] = server;
    clients['salesRep'] = rep.client;
    ids['account'] = (await rep.client.post('/api/data/account', { name: 'Acme' })).body.id;
    ids['quote'] = (await rep.client.post('/api/data/quote', { account: ids['account'], listAmount: 1000, validUntil: '2026-04-01', discount: 12 })).body.id;
    ids['approval'] = (await rep.client.post(`/api/data/quote/${ids['quote']}/transitions/submit`, {})).body.approval.id;
    ids['user'] = rep.id;
    for (const who of Object.keys(clients)) documents[who] = (await clients[who]!.get('/api/openapi.json')).body;
  }, 120_000);
  afterAll(() => server.close());

  /** Fills a path's parameters: real ids where the walk made them, a well-formed unknown id otherwise. */
  function urlOf(doc: Schema, o: Operation): string {
    let url = o.path;
    for (const p of o.op['parameters'].map((x: Schema) => resolve(doc, x)!)) {
      if (p['in'] !== 'path') continue;
      const s = resolve(doc, p['schema']) ?? {};
      const entity = /^\/api\/data\/([^/{]+)\//.exec(o.path)?.[1];
      const value = s['enum']?.[0] ?? (p['name'] === 'id' && entity ? ids[entity] : p['name'] === 'id' && o.path.startsWith('/api/approvals') ? ids['approval'] : p['name'] === 'name' && o.path.startsWith('/api/meta/') ? 'account' : p['name'] === 'transition' ? 'submit' : p['name'] === 'id' ? nowhere : String(sample(doc, s)));
      url = url.replace(`{${p['name']}}`, encodeURIComponent(String(value ?? nowhere)));
    }
    return url;
  }

  it("a sales rep's document leaves out what the role cannot do", () => {
    const paths = documents['salesRep']!['paths'] as Record<string, Schema>;
    expect(paths['/api/data/quote/{id}']).not.toHaveProperty('delete');
    expect(paths['/api/data/account/{id}']).not.toHaveProperty('delete');
    expect(paths['/api/data/quote/{id}']).toHaveProperty('patch');
    expect((documents['admin']!['paths'] as Record<string, Schema>)['/api/data/quote/{id}']).toHaveProperty('delete');
  });

  it('the write schemas say what the server does: required fields, no workflow-driven fields, null clears, merge patch, typed filter', async () => {
    const doc = documents['salesRep']!;
    const ajv = new Ajv2020({ strict: false, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'doc');
    const bodyOf = (path: string, method: string, media = 'application/json') => ajv.getSchema(`doc#/paths/${path.replace(/\//g, '~1')}/${method}/requestBody/content/${media.replace(/\//g, '~1')}/schema`)!;
    const rep = clients['salesRep']!;
    // POST {}: the document refuses it as the server does.
    const create = bodyOf('/api/data/quote', 'post');
    expect(create({})).toBe(false);
    expect((await rep.post('/api/data/quote', {})).status).toBe(400);
    const valid = { account: ids['account'], listAmount: 10, validUntil: '2026-04-01' };
    expect(create(valid), ajv.errorsText(create.errors)).toBe(true);
    const created = await rep.post('/api/data/quote', valid);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The workflow-driven state is not writable, in the document either.
    expect(create({ ...valid, status: 'approved' })).toBe(false);
    expect((await rep.post('/api/data/quote', { ...valid, status: 'approved' })).status).toBe(400);
    // A required text is not satisfied by "".
    expect(bodyOf('/api/data/account', 'post')({ name: '' })).toBe(false);
    expect((await rep.post('/api/data/account', { name: '' })).status).toBe(400);
    // PATCH: null clears, as JSON and as JSON Merge Patch; nothing is required.
    for (const media of ['application/json', 'application/merge-patch+json']) {
      const patch = bodyOf('/api/data/quote/{id}', 'patch', media);
      expect(patch({ discount: null }), ajv.errorsText(patch.errors)).toBe(true);
      expect(patch({ discount: 'lots' })).toBe(false);
      expect((await rep.patch(`/api/data/quote/${created.body.id}`, { discount: 5 }, { 'content-type': media })).status).toBe(200);
      const cleared = await rep.patch(`/api/data/quote/${created.body.id}`, { discount: null }, { 'content-type': media });
      expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
      expect(cleared.body).not.toHaveProperty('discount');
    }
    // filter is JSON in a string, total a flag.
    const list = (doc['paths']['/api/data/quote'].get.parameters as Schema[]).map((p) => resolve(doc, p)!);
    expect(list.find((p) => p['name'] === 'filter')!['schema']).toMatchObject({ type: 'string', contentMediaType: 'application/json' });
    expect(list.find((p) => p['name'] === 'total')!['schema']).toMatchObject({ enum: expect.arrayContaining(['1', 'true']) });
    // A projection answers what the document says.
    const projected = await rep.get(`/api/data/quote?fields=listAmount`);
    expect(projected.status).toBe(200);
    const answer = ajv.getSchema('doc#/paths/~1api~1data~1quote/get/responses/200/content/application~1json/schema')!;
    expect(answer(projected.body), ajv.errorsText(answer.errors)).toBe(true);
  });

  for (const who of ['salesRep', 'admin']) {
    it(`as ${who}: every operation, valid and invalid input, answers only what the document declares`, async () => {
      const doc = documents[who]!;
      const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
      addFormats(ajv);
      ajv.addSchema(doc, 'doc');
      const validators = new Map<string, ValidateFunction>();
      const problems: string[] = [];
      let calls = 0;
      const succeeded: string[] = [];
      const refused: string[] = [];
      const check = (o: Operation, label: string, res: ApiResponse) => {
        calls++;
        const declared = o.op['responses'][String(res.status)] ?? o.op['responses']['default'];
        const where = `${o.method.toUpperCase()} ${o.path} (${label})`;
        if (!declared) return void problems.push(`${where}: undeclared status ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        const type = res.headers.get('content-type') ?? '';
        const content = resolve(doc, declared)!['content'];
        if (!content) return res.status === 204 || res.body === '' ? undefined : void problems.push(`${where}: ${res.status} has a body the document does not declare`);
        const media = Object.keys(content).find((m) => type.startsWith(m.split(';')[0]!));
        if (!media) return void problems.push(`${where}: ${res.status} answered ${type}, declared ${Object.keys(content).join(', ')}`);
        if (!media.includes('json')) return;
        const status = o.op['responses'][String(res.status)] ? String(res.status) : 'default';
        const pointer = `doc#/paths/${o.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${o.method}/responses/${status}/content/${media.replace(/\//g, '~1')}/schema`;
        let validate = validators.get(pointer);
        if (!validate) {
          validate = ajv.getSchema(pointer);
          if (!validate) return void problems.push(`${where}: no schema at ${pointer}`);
          validators.set(pointer, validate);
        }
        if (!validate(res.body)) problems.push(`${where}: ${res.status} body does not match: ${ajv.errorsText(validate.errors?.slice(0, 3))} ${JSON.stringify(res.body).slice(0, 160)}`);
      };
      const operations = operationsOf(doc);
      expect(operations.length).toBeGreaterThan(who === 'admin' ? 85 : 40);
      // Every operation is named once and says what it does.
      expect(operations.filter((o) => typeof o.op['summary'] !== 'string' || o.op['summary'].length < 5).map((o) => `${o.method} ${o.path}`)).toEqual([]);
      const ids = operations.map((o) => o.op['operationId']);
      expect(ids.filter((id, i) => typeof id !== 'string' || ids.indexOf(id) !== i)).toEqual([]);
      for (const o of operations) {
        const client = clients[who]!;
        const url = urlOf(doc, o);
        const bodySchema = o.op['requestBody']?.content?.['application/json']?.schema;
        const query = o.op['parameters'].map((p: Schema) => resolve(doc, p)!).filter((p: Schema) => p['in'] === 'query' && p['required']).map((p: Schema) => `${p['name']}=${encodeURIComponent(String(sample(doc, p['schema'])))}`);
        const validUrl = query.length ? `${url}?${query.join('&')}` : url;
        const body = o.op['requestBody'] ? (bodySchema ? sample(doc, bodySchema) : {}) : undefined;
        // If-Match (before the valid call, which may delete): a malformed header is 400, a well-formed
        // tag that is not current 412 (RFC 9110 §13.1.1), both declared.
        if (o.op['parameters'].some((p: Schema) => resolve(doc, p)!['name'] === 'If-Match')) {
          for (const tag of ['garbage', '"x"']) {
            const res = await client.request(o.method.toUpperCase(), validUrl, body, { 'if-match': tag });
            check(o, `If-Match: ${tag}`, res);
            expect(res.status, `${o.method} ${o.path} If-Match: ${tag}`).toBe(tag === 'garbage' ? 400 : o.method === 'post' && o.path.endsWith('/reassign') ? res.status : 412);
          }
        }
        const answer = await client.request(o.method.toUpperCase(), validUrl, body);
        check(o, 'valid', answer);
        (answer.status < 300 ? succeeded : refused).push(`${o.method.toUpperCase()} ${o.path} ${answer.status}`);
        // Invalid: an unknown query parameter, and for a body, one of the wrong shape.
        check(o, 'unknown parameter', await client.request(o.method.toUpperCase(), `${url}?notAParameter=1`, body));
        if (o.op['requestBody']) check(o, 'wrong body', await client.request(o.method.toUpperCase(), validUrl, o.method === 'post' && bodySchema?.type === 'array' ? { not: 'a list' } : ['not', 'an', 'object']));
      }
      expect(calls).toBeGreaterThan(operations.length * 2 - 1);
      // A role's document lists only what the role may use: no valid call is refused for its role
      // (deciding an approval depends on the approval's step, not the role — those may answer 403).
      const instanceDependent = ['POST /api/approvals/{id}/approve', 'POST /api/approvals/{id}/reject'];
      expect(refused.filter((r) => r.endsWith(' 403') && !instanceDependent.some((op) => r.startsWith(`${op} `)))).toEqual([]);
      if (process.env['CONTRACT_WALK_REPORT']) console.log(JSON.stringify({ who, succeeded: succeeded.length, refused }, null, 1));
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
