// The OpenAPI document declares the Idempotency-Key header on exactly the POSTs the idempotency
// middleware serves under one, with the answers it brings: a generated client can send the key,
// and a key reused for another body (422 IDEMPOTENCY_KEY_REUSED) is a declared answer, not a
// surprise. Sign-in, tokens, passwords and public web forms take no key and declare none.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
type Operation = { parameters?: { name: string; in: string; $ref?: string }[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }> };
let doc: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [
    { kind: 'entity', name: 'parcel', label: 'Parcel', fields: { code: { type: 'text', required: true, unique: true } } },
    { kind: 'role', name: 'shipper', label: 'Shipper', permissions: { parcel: { create: true, read: 'all', update: 'all' } } },
    { kind: 'inbound', name: 'parcels', label: 'Parcels', role: 'shipper', key: 'code', targets: { parcel: { entity: 'parcel', match: 'code', map: '{ "code": code }' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  doc = (await t.get('/api/openapi.json')).body;
});

afterAll(async () => {
  await t?.close();
});

const keyHeader = (op: Operation | undefined) => op?.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');

describe('Idempotency-Key in the OpenAPI document', () => {
  it('is declared on POSTs that act, with 409 and 422 answers', () => {
    for (const path of ['/api/data/parcel', '/api/inbound/{name}', '/api/data/parcel/{id}/reassign']) {
      const op = doc.paths[path]?.['post'];
      expect(op, path).toBeDefined();
      expect(keyHeader(op), path).toBeDefined();
      expect(op!.responses['422']?.content?.['application/json']?.schema.$ref, path).toBe('#/components/schemas/crm.Error');
      expect(op!.responses['409'], path).toBeDefined();
    }
  });

  it('is not declared where the key is ignored: sign-in, tokens, passwords, public forms', () => {
    for (const path of ['/api/auth/login', '/api/auth/tokens', '/api/auth/password', '/api/users/{id}/password', '/api/public/forms/{name}/submissions']) {
      const op = doc.paths[path]?.['post'];
      expect(op, path).toBeDefined();
      expect(keyHeader(op), path).toBeUndefined();
    }
  });

  it('a key reused with another body answers a status the operation declares', async () => {
    const first = await t.post('/api/data/parcel', { code: 'P-1' }, { 'idempotency-key': 'parcel-1' });
    expect(first.status).toBe(201);
    const reused = await t.post('/api/data/parcel', { code: 'P-2' }, { 'idempotency-key': 'parcel-1' });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.error.details[0].path).toBe('/headers/idempotency-key');
    expect(Object.keys(doc.paths['/api/data/parcel']!['post']!.responses)).toContain(String(reused.status));
  });
});
