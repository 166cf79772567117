// Names: no metadata name can overwrite what the API generates. Shared schemas are named `crm.*`
// (no entity name has a dot); an entity is refused with META_RESERVED_NAME at /name when its
// generated names would be another's — `dealInput` (DealInput is deal's input schema and type) or
// a name whose operations the engine's own routes already have (`user` → getUser). The candidates
// are derived from the generated document itself, so a new route that adds a collision fails here.

import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata } from './api-helpers.ts';

const entityVerbs = ['list', 'get', 'create', 'update', 'delete', 'history', 'stateHistory', 'transitions', 'timeline', 'aggregate', 'reassign', 'take'];
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const entity = (name: string) => ({ kind: 'entity', name, label: name, fields: { title: { type: 'text' } } });

let server: TestServer;
let doc: { paths: Record<string, Record<string, { operationId?: string }>>; components: { schemas: Record<string, unknown> } };

function operationIds(d: typeof doc): string[] {
  return Object.values(d.paths).flatMap((item) => Object.values(item).flatMap((op) => (op && typeof op === 'object' && 'operationId' in op ? [op.operationId!] : [])));
}

beforeAll(async () => {
  server = await startTestServer();
  await applyMetadata(server, [...roles, account, quote, quoteApproval]);
  doc = (await server.get('/api/openapi.json')).body;
});
afterAll(async () => server.close());

describe('generated names', () => {
  it('an entity named after any generated component or operation is refused at /name, or lands without a collision', async () => {
    const existing = new Set(['account', 'quote']);
    const candidates = new Set<string>(['error', 'crm', 'accountInput', 'quoteInput']);
    for (const name of Object.keys(doc.components.schemas)) if (/^[A-Za-z][A-Za-z0-9]*$/.test(name)) candidates.add(lowerFirst(name));
    for (const id of operationIds(doc)) {
      for (const verb of entityVerbs) {
        const rest = new RegExp(`^${verb}([A-Z][A-Za-z0-9]*?)(Transition)?$`).exec(id);
        if (rest) candidates.add(lowerFirst(rest[1]!));
      }
    }
    for (const name of existing) candidates.delete(name);
    expect(candidates.size).toBeGreaterThan(20);
    const accepted: string[] = [];
    const refused: string[] = [];
    for (const name of candidates) {
      const res = await server.post('/api/meta/validate', [entity(name)]);
      expect(res.status).toBe(200);
      if (res.body.valid) {
        accepted.push(name);
        continue;
      }
      // Every issue is this one, on a name (the other entity of a pair is named too).
      expect(res.body.issues, name).toContainEqual(expect.objectContaining({ name, path: '/name', code: 'META_RESERVED_NAME', message: expect.stringMatching(/reserved|same generated type name/) }));
      for (const issue of res.body.issues) expect(issue, name).toMatchObject({ path: '/name', code: 'META_RESERVED_NAME' });
      refused.push(name);
    }
    expect(refused).toEqual(expect.arrayContaining(['accountInput', 'quoteInput', 'user', 'team', 'approval', 'template', 'token', 'metadata']));
    // Those accepted land together, and the document and types stay correct.
    await applyMetadata(server, accepted.map(entity));
    const after = (await server.get('/api/openapi.json')).body as typeof doc;
    const ids = operationIds(after);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Each accepted entity has its own record and input schema; the earlier ones keep theirs.
    const own = (type: string) => Object.keys((after.components.schemas[type] as { properties: object }).properties);
    for (const name of accepted) {
      const type = name.charAt(0).toUpperCase() + name.slice(1);
      expect(own(type), name).toContain('title');
      expect(own(`${type}Input`), name).toEqual(['title']);
    }
    expect(own('AccountInput')).toContain('name');
    expect(own('QuoteInput')).toContain('discount');
    expect(after.components.schemas['crm.Error']).toMatchObject({ required: ['error'] });
    const result = await new Validator().validate(after as never);
    expect(result.errors ?? []).toEqual([]);
    const types = (await server.get('/api/types.ts')).body as string;
    const declared = [...types.matchAll(/export (?:interface|type) (\w+)/g)].map((m) => m[1]!);
    expect(declared.filter((n, i) => declared.indexOf(n) !== i)).toEqual([]);
  });

  it('either order of a pair is refused: deal after dealInput too', async () => {
    await applyMetadata(server, [entity('widgetInput')]);
    const res = await server.put('/api/meta/entities/widget', entity('widget'));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: '/entity/widget/name', code: 'META_RESERVED_NAME', message: expect.stringContaining('WidgetInput') }));
  });
});
