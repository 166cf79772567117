// The generated document checked by third-party OpenAPI tooling, as an administrator and as a
// non-admin role: two validators (@seriousme/openapi-schema-validator, @apidevtools/swagger-parser)
// accept it, and the Redocly linter with its recommended rules reports no error.

import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from '../workflow/support/quote-metadata.ts';
import { applyMetadata } from './api-helpers.ts';

async function lintErrors(doc: unknown): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
  return problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
}

describe('the generated document passes third-party OpenAPI tooling', () => {
  let server: TestServer;
  const documents: Record<string, unknown> = {};
  beforeAll(async () => {
    server = await startTestServer();
    await applyMetadata(server, [...roles, account, quote, quoteApproval]);
    const rep = await server.createUser({ roles: ['salesRep'] });
    documents['admin'] = (await server.get('/api/openapi.json')).body;
    documents['salesRep'] = (await rep.client.get('/api/openapi.json')).body;
  });
  afterAll(() => server.close());

  for (const who of ['admin', 'salesRep']) {
    it(`as ${who}: both validators accept it`, async () => {
      const doc = documents[who] as Record<string, unknown>;
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    });

    it(`as ${who}: the Redocly recommended lint reports no error`, async () => {
      expect(await lintErrors(documents[who])).toEqual([]);
    });
  }

  it('the lint does find errors in a broken document (so its silence above means something)', async () => {
    const broken = { openapi: '3.1.0', info: { title: 'x' }, paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } } } } } };
    expect((await lintErrors(broken)).length).toBeGreaterThan(0);
  });

  it('says how callers authenticate, and documents the response headers', () => {
    const doc = documents['admin'] as { components: { securitySchemes: Record<string, { type: string; in?: string }> }; paths: Record<string, any> };
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ type: 'http' });
    expect(doc.components.securitySchemes['session']).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(doc.components.securitySchemes['csrf']).toMatchObject({ type: 'apiKey', in: 'header' });
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/data/quote'].post.responses['201'].headers)).toEqual(expect.arrayContaining(['ETag', 'Location', 'X-CRM-Duplicates']));
    expect(Object.keys(doc.paths['/api/data/quote/{id}'].get.responses['200'].headers)).toContain('ETag');
  });

  it('leaves administrator-only operations out of a non-admin\'s document', () => {
    const paths = (documents['salesRep'] as { paths: Record<string, unknown> }).paths;
    for (const path of ['/api/users', '/api/teams', '/api/templates', '/api/meta/apply', '/api/privacy/erase', '/api/scheduler/tick']) expect(paths).not.toHaveProperty([path]);
    expect(paths).toHaveProperty(['/api/auth/me']);
    expect(paths).toHaveProperty(['/api/approvals']);
  });
});
